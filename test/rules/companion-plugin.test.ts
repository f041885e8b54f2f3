import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, IPolicyValidationPlugin, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { quietSynth, synthWithPlugin, testApp } from './rule-harness';
import { CompanionPlugin, failOnCompanionErrors, registerCompanions } from '../../src/rules/companion-plugin';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { FintechStage } from '../../src/stage/fintech-stage';
import { CONFIG } from '../support/fintech-fixture';

const NAG_CONFIG = { ...CONFIG, cdkNagPacks: ['AwsSolutions'] };

/** A dev stage of `NAG_CONFIG` writing its reports to a fresh directory, with two buckets lacking access logs (AwsSolutions-S1). */
function stageWithBuckets(): { app: App; stage: FintechStage; dir: string; accepted: s3.Bucket } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-nag-'));
  const app = testApp();
  app.node.setContext(FintechChecks.REPORT_DIR_CONTEXT, dir);
  const stage = new FintechStage(app, 'dev', { config: NAG_CONFIG, environment: NAG_CONFIG.environments[0] });
  const stack = new Stack(stage, 'Workload');
  new s3.Bucket(stack, 'Open', { enforceSSL: true });
  const accepted = new s3.Bucket(stack, 'Accepted', { enforceSSL: true });
  Validations.of(accepted).acknowledge({ id: 'AwsSolutions-S1', reason: 'Access logs go to the central log archive via CloudTrail data events.' });
  return { app, stage, dir, accepted };
}

describe('CompanionPlugin with the cdk-nag packs of a FintechStage', () => {
  test('the stage writes AwsSolutions findings into its SARIF and Markdown reports, acknowledgements shown with their reasons', () => {
    const { app, dir } = stageWithBuckets();
    quietSynth(app);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'dev.sarif'), 'utf-8'));
    expect(sarif.runs.map((run: { tool: { driver: { name: string } } }) => run.tool.driver.name)).toEqual(['FintechChecks', 'AwsSolutions']);
    const nag = sarif.runs[1];
    const s1 = nag.results.filter((r: { ruleId: string }) => r.ruleId === 'AwsSolutions-S1');
    type Located = { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] };
    expect(s1.map((r: Located) => r.locations[0].logicalLocations[0].fullyQualifiedName))
      .toEqual(['dev/Workload/Accepted/Resource', 'dev/Workload/Open/Resource']);
    expect(s1[0].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'Access logs go to the central log archive via CloudTrail data events.' }]);
    expect(s1[1].suppressions).toBeUndefined();
    expect(s1[1].level).toBe('error');
    expect(s1[1].locations[0].physicalLocation.artifactLocation.uri).toBe('test/rules/companion-plugin.test.ts');
    expect(nag.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('AwsSolutions-S1');

    const markdown = fs.readFileSync(path.join(dir, 'dev.md'), 'utf-8');
    expect(markdown).toMatch(/^# FintechChecks: stage dev\n/);
    expect(markdown).toMatch(/\n## AwsSolutions \(cdk-nag\)\n\nFAILED: \d+ errors?, \d+ warnings?, 1 acknowledged finding\.\n/);
    expect(markdown).toMatch(/\| error \| `AwsSolutions-S1` \| `dev\/Workload\/Open\/Resource` \|/);
    expect(markdown).toContain('| `AwsSolutions-S1` | `dev/Workload/Accepted/Resource` | Access logs go to the central log archive via CloudTrail data events. |');
  });

  test('CDK\'s report lists the pack under its own name, and the pack runs once per synth', () => {
    const spy = jest.spyOn(AwsSolutionsChecks.prototype, 'validateScope');
    try {
      const { app, stage } = stageWithBuckets();
      const assembly = quietSynth(app);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toBe(stage);
      const written = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'policy-validation-report.json'), 'utf-8'));
      const nag = written.pluginReports.find((r: { summary: { pluginName: string } }) => r.summary.pluginName === 'AwsSolutions');
      const s1 = nag.violations.filter((v: { ruleName: string }) => v.ruleName === 'AwsSolutions-S1');
      expect(s1.map((v: { severity: string; description: string }) => [v.severity, v.description.startsWith('acknowledged (')])).toEqual(
        expect.arrayContaining([['error', false], ['info', true]]));
      expect(nag.summary.status).toBe('failure');
    } finally {
      spy.mockRestore();
    }
  });

  test('a stage without cdkNagPacks runs no pack and writes FintechChecks alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-nag-'));
    const app = testApp();
    app.node.setContext(FintechChecks.REPORT_DIR_CONTEXT, dir);
    const stage = new FintechStage(app, 'dev', { config: CONFIG, environment: CONFIG.environments[0] });
    new s3.Bucket(new Stack(stage, 'Workload'), 'Open', { enforceSSL: true });
    const spy = jest.spyOn(AwsSolutionsChecks.prototype, 'validateScope');
    try {
      quietSynth(app);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'dev.sarif'), 'utf-8'));
    expect(sarif.runs).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, 'dev.md'), 'utf-8')).not.toContain('cdk-nag');
  });

  test('FintechChecks in a plain app takes a cdk-nag pack as it is constructed, and registers it', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new sqs.Queue(stack, 'Queue');
    const checks = new FintechChecks(app, { companions: [new AwsSolutionsChecks()] });
    const report = synthWithPlugin(app, checks);
    expect(report).toBeDefined();
    const plugins = (app as unknown as { _validationPlugins: IPolicyValidationPlugin[] })._validationPlugins;
    expect(plugins.map(p => p.name)).toEqual(['AwsSolutions', 'FintechChecks']);
    expect(plugins[0]).toBeInstanceOf(CompanionPlugin);
  });
});

describe('CompanionPlugin', () => {
  test('cdkNag names the option and the valid packs for an unknown pack', () => {
    expect(() => CompanionPlugin.cdkNag(testApp(), 'AwsSolution', 'FintechStage at dev')).toThrow(
      'FintechStage at dev: cdkNagPacks names "AwsSolution", which is not a cdk-nag 3 pack; use some of AwsSolutions, HIPAA.Security, NIST.800.53.R4, NIST.800.53.R5, PCI.DSS.321, Serverless.');
  });

  test('cdkNag says how to install cdk-nag when it cannot be loaded', () => {
    jest.isolateModules(() => {
      jest.doMock('cdk-nag', () => { throw new Error('Cannot find module \'cdk-nag\''); });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../src/rules/companion-plugin') as typeof import('../../src/rules/companion-plugin');
      expect(() => isolated.CompanionPlugin.cdkNag(testApp(), 'AwsSolutions', 'FintechStage at dev')).toThrow(
        /^FintechStage at dev: cdkNagPacks lists "AwsSolutions", but the cdk-nag package cannot be loaded \(Cannot find module 'cdk-nag'\)\. Run npx projen/);
    });
    jest.dontMock('cdk-nag');
  });

  test('loads each pack cdk-nag 3.0.2 exports', () => {
    const names = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless'];
    expect(names.map(pack => CompanionPlugin.cdkNag(testApp(), pack, 'at').name)).toEqual(names);
  });

  test('a plugin that is not a cdk-nag pack is validated as it is; a plugin that throws becomes an error result', () => {
    const app = testApp();
    const plain: IPolicyValidationPlugin = {
      name: 'Plain',
      validate: () => ({ success: false, violations: [{ ruleName: 'P1', description: 'bad', severity: 'warning', violatingResources: [{ constructPath: 'Shop/X', templatePath: '/t.json', locations: [] }] }] }),
    };
    const broken: IPolicyValidationPlugin = { name: 'Broken', validate: () => { throw new Error('boom'); } };
    const [plainCompanion, brokenCompanion] = [plain, broken].map(p => new CompanionPlugin(app, p));
    expect(plainCompanion.run({ templatePaths: [] })).toEqual({
      name: 'Plain', findings: [{ ruleId: 'P1', severity: 'warning', message: 'bad', constructPath: 'Shop/X', templatePath: '/t.json' }],
    });
    expect(brokenCompanion.run({ templatePaths: [] })).toEqual({ name: 'Broken', findings: [], error: 'Broken failed: boom' });
    expect(brokenCompanion.validate({ templatePaths: [] })).toEqual({ success: false, violations: [], metadata: { error: 'Broken failed: boom' } });
  });

  test('runs again for templates written again, and once for the same ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-nag-'));
    const template = path.join(dir, 'T.template.json');
    fs.writeFileSync(template, '{}');
    let runs = 0;
    const counted = new CompanionPlugin(testApp(), { name: 'Counted', validate: () => { runs++; return { success: true, violations: [] }; } });
    counted.run({ templatePaths: [template] });
    counted.validate({ templatePaths: [template] });
    expect(runs).toBe(1);
    fs.utimesSync(template, new Date(), new Date(Date.now() + 5000));
    counted.run({ templatePaths: [template] });
    expect(runs).toBe(2);
  });

  test('registerCompanions wraps each plugin once and registers the wrappers on the stage', () => {
    const app = testApp();
    const wrapped = new CompanionPlugin(app, new AwsSolutionsChecks());
    const companions = registerCompanions(app, [wrapped, new AwsSolutionsChecks()]);
    expect(companions[0]).toBe(wrapped);
    expect(companions[1]).toBeInstanceOf(CompanionPlugin);
    expect(registerCompanions(app, [])).toEqual([]);
  });

  test('failOnCompanionErrors sets the exit code for open errors only', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    try {
      failOnCompanionErrors([{ name: 'AwsSolutions', findings: [{ ruleId: 'AwsSolutions-S1', severity: 'error', message: 'm', constructPath: 'a', acknowledgedReason: 'r' }] }]);
      expect(process.exitCode).toBe(before);
      failOnCompanionErrors([{ name: 'AwsSolutions', findings: [{ ruleId: 'AwsSolutions-S1', severity: 'error', message: 'm', constructPath: 'a' }] }]);
      expect(process.exitCode).toBe(1);
      expect(String(write.mock.calls[0][0])).toContain('cdk-nag found 1 error:\n  x AwsSolutions-S1  a');
    } finally {
      process.exitCode = before;
      write.mockRestore();
    }
  });
});
