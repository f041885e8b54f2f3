#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { architectureDocument, DiagramStack } from '../diagram/architecture-diagram';

const USAGE = `usage: fintech-diagram [--app cdk.out] [--stage NAME] [--out FILE]

Draws the synthesized app's architecture as Mermaid flowcharts, one per stack of one stage, in a Markdown page.

  --app    cloud assembly directory written by cdk synth (default cdk.out)
  --stage  stage to draw (default: the first of the assembly, which orders stages by name;
           every stage has the same stacks)
  --out    file to write (default: standard output)

Exits 2 on bad usage or when the assembly or the stage is missing.`;

/** Parsed command line of `fintech-diagram`. */
export interface DiagramOptions {
  readonly app: string;
  readonly stage?: string;
  readonly out?: string;
}

/** Parses the command line; undefined means print the usage. */
export function parseDiagramArgs(argv: string[]): DiagramOptions | undefined {
  const values: { [flag: string]: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = /^--(app|stage|out)(?:=(.*))?$/.exec(argv[i]);
    if (!flag) return undefined;
    const value = flag[2] ?? argv[++i];
    if (value === undefined || value === '') return undefined;
    values[flag[1]] = value;
  }
  return { app: values.app ?? 'cdk.out', stage: values.stage, out: values.out };
}

/** The stacks of one stage of a cloud assembly (or of the app itself, when it has no stages). */
export function stageStacks(app: string, stage: string | undefined): { stage: string; stacks: DiagramStack[] } {
  if (!fs.existsSync(path.join(app, 'manifest.json'))) {
    throw new Error(`${app} holds no cloud assembly (no manifest.json). Synthesize first: npx projen synth:silent`);
  }
  const assembly = new CloudAssembly(app);
  const stages = assembly.nestedAssemblies;
  const toStacks = (a: CloudAssembly): DiagramStack[] =>
    a.stacks.map(s => ({ path: s.hierarchicalId, templatePath: s.templateFullPath, template: s.template }));
  if (stages.length === 0) {
    if (stage) throw new Error(`${app} has no stages, so --stage ${stage} cannot be drawn; leave --stage out.`);
    return { stage: '', stacks: toStacks(assembly) };
  }
  const chosen = stage ? stages.find(s => s.displayName === stage) : stages[0];
  if (!chosen) throw new Error(`${app} has no stage "${stage}"; it has ${stages.map(s => s.displayName).join(', ')}.`);
  return { stage: chosen.displayName, stacks: toStacks(chosen.nestedAssembly) };
}

/** Entry point of the `fintech-diagram` bin; returns the exit code. */
export function main(argv: string[]): number {
  const options = parseDiagramArgs(argv);
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  let document: string;
  try {
    const { stage, stacks } = stageStacks(options.app, options.stage);
    document = architectureDocument(stacks, stage ? `the \`${stage}\` stage of \`${options.app}\`` : `\`${options.app}\``);
  } catch (error) {
    console.error(`fintech-diagram: ${(error as Error).message}`);
    return 2;
  }
  if (options.out) {
    fs.mkdirSync(path.dirname(options.out), { recursive: true });
    fs.writeFileSync(options.out, document);
    console.log(`fintech-diagram: wrote ${options.out}`);
  } else {
    process.stdout.write(document);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
