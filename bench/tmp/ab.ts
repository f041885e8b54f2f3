import { App } from 'aws-cdk-lib';
import { buildLargeApp, buildSmallApp } from '../rules';
/* eslint-disable @typescript-eslint/no-require-imports */
const NEW = require('../../src/rules/fintech-checks').FintechChecks;
const OLD = require('/tmp/wt-old/src/rules/fintech-checks').FintechChecks;

const ROUNDS = Number(process.env.ROUNDS ?? 100);

function templates(app: App): { app: App; paths: string[] } {
  const assembly = app.synth();
  return { app, paths: assembly.stacks.map(s => s.templateFullPath) };
}

function time(Checks: any, app: App, paths: string[]): number {
  const start = process.hrtime.bigint();
  new Checks(app, { durableStages: [''] }).validate({ templatePaths: paths } as any);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const large = templates(buildLargeApp(1600));
const small = Array.from({ length: 30 }, (_, i) => templates(buildSmallApp(i)));
const ratios = { large: [] as number[], small: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? [OLD, NEW] : [NEW, OLD];
  const t: Record<string, { large: number; small: number }> = {};
  for (const Checks of order) {
    const key = Checks === NEW ? 'new' : 'old';
    const l = time(Checks, large.app, large.paths);
    let s = 0;
    for (const app of small) s += time(Checks, app.app, app.paths);
    t[key] = { large: l, small: s };
  }
  ratios.large.push(t.new.large / t.old.large);
  ratios.small.push(t.new.small / t.old.small);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`median new/old over ${ROUNDS} rounds: large ${median(ratios.large).toFixed(3)}, small ${median(ratios.small).toFixed(3)}`);
