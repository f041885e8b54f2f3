import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FintechChecksProps } from '../../src/rules/fintech-checks';
import { FintechStage } from '../../src/stage/fintech-stage';
import { FintechTestApp } from '../../src/testing/fintech-test-app';
import { CONFIG } from '../support/fintech-fixture';

/** A raw `AWS::SQS::Queue`, as a third-party construct or an escape hatch would write it. */
function rawQueue(stack: Stack, id: string, properties: { [key: string]: any } = {}): CfnResource {
  return new CfnResource(stack, id, { type: 'AWS::SQS::Queue', properties });
}

/** Everything printed through console or the process streams while `work` runs. */
function printedDuring(work: () => void): string[] {
  const printed: string[] = [];
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map(method => jest.spyOn(console, method).mockImplementation((...args) => {
      printed.push(`console.${method}: ${args.join(' ')}`);
    })),
    jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      printed.push(`stderr: ${String(chunk)}`);
      return true;
    }),
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      printed.push(`stdout: ${String(chunk)}`);
      return true;
    }),
  ];
  try {
    work();
  } finally {
    spies.forEach(spy => spy.mockRestore());
  }
  return printed;
}

describe('FintechTestApp', () => {
  test('a stack of a stage: its template and the stage pack\'s findings in one call, nothing printed, exit code untouched', () => {
    const app = new FintechTestApp();
    const stack = new Stack(app.addStage(CONFIG, 'prod'), 'Payments');
    rawQueue(stack, 'Inbound');
    let result: ReturnType<typeof FintechTestApp.synthesize> | undefined;
    const exitCode = process.exitCode;

    const printed = printedDuring(() => { result = FintechTestApp.synthesize(stack); });

    expect(printed).toEqual([]);
    expect(process.exitCode).toBe(exitCode);
    // CDK did announce its validation; the helper kept it.
    expect(result!.output.join('\n')).toContain('Performing Policy Validations');
    result!.template(stack).hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
    expect(result!.stacks.map(s => s.node.path)).toEqual(['prod/Payments']);
    expect(result!.findings.every(f => f.stageName === 'prod' && f.durable)).toBe(true);
  });

  test('returns the findings of a deliberately bad raw CfnResource outside any stage, with the construct path', () => {
    const app = new FintechTestApp();
    const stack = new Stack(app, 'Plain');
    // Untagged, unencrypted, without a dead-letter queue and without a TLS-only policy: the pack must say so.
    rawQueue(stack, 'Unencrypted', { SqsManagedSseEnabled: false });

    const result = FintechTestApp.synthesize(stack);

    expect(result.violationSummary).toEqual([
      'Fintech-C01-RequiredTags Plain/Unencrypted',
      'Fintech-C04-UnencryptedStore Plain/Unencrypted',
      'Fintech-C12-QueueWithoutDeadLetterQueue Plain/Unencrypted',
      'Fintech-C18-QueueTlsOnly Plain/Unencrypted',
    ]);
    const unencrypted = result.findings.find(f => f.ruleId === 'Fintech-C04-UnencryptedStore')!;
    expect(unencrypted).toEqual(expect.objectContaining({ logicalId: 'Unencrypted', resourceType: 'AWS::SQS::Queue', stageName: '' }));
    expect(unencrypted.fix.length).toBeGreaterThan(0);
  });

  test('options.checks sets the pack for stacks outside a stage, e.g. judging them as a durable stage', () => {
    const judged = (checks?: FintechChecksProps) => {
      const stack = new Stack(new FintechTestApp(), 'Plain');
      rawQueue(stack, 'Queue');
      return FintechTestApp.synthesize(stack, { checks });
    };
    const durable = judged({ stage: 'prod', durableStages: ['prod'] });
    expect(durable.findings.every(f => f.stageName === 'prod' && f.durable)).toBe(true);
    expect(durable.violationSummary).toContain('Fintech-C02-DurableDeletesData Plain/Queue');
    expect(judged().violationSummary).not.toContain('Fintech-C02-DurableDeletesData Plain/Queue');
  });

  test('acknowledged findings come back with their reason and are not violations', () => {
    const app = new FintechTestApp();
    const stack = new Stack(app, 'Plain');
    const queue = rawQueue(stack, 'Unencrypted', { SqsManagedSseEnabled: false });
    Validations.of(queue).acknowledge({ id: 'Fintech-C04-UnencryptedStore', reason: 'test fixture' });
    const result = FintechTestApp.synthesize(stack);
    expect(result.findings.find(f => f.ruleId === 'Fintech-C04-UnencryptedStore')?.acknowledgedReason).toBe('test fixture');
    expect(result.violationSummary).not.toContain('Fintech-C04-UnencryptedStore Plain/Unencrypted');
  });

  test('a stage: every stack of it, each finding only once, none from other stages', () => {
    const app = new FintechTestApp();
    const dev = app.addStage(CONFIG, 'dev');
    const prod = app.addStage(CONFIG, 'prod');
    for (const stage of [dev, prod]) {
      new sqs.Queue(new Stack(stage, 'Ingest'), 'Inbound');
      new sqs.Queue(new Stack(stage, 'Settle'), 'Outbound');
    }
    const result = FintechTestApp.synthesize(dev);
    expect(Object.keys(result.templates).sort()).toEqual(['dev/Ingest', 'dev/Settle']);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every(f => f.stageName === 'dev')).toBe(true);
    const keys = result.findings.map(f => `${f.ruleId} ${f.constructPath} ${f.locations.join(',')}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('works on a plain App whose stage would fail synth and print the report, and keeps the exit code', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const environment = CONFIG.environments.find(e => e.name === 'dev')!;
    const stack = new Stack(new FintechStage(app, 'dev', { config: CONFIG, environment }), 'Workload');
    rawQueue(stack, 'Unencrypted', { SqsManagedSseEnabled: false });
    const exitCode = process.exitCode;
    let result: ReturnType<typeof FintechTestApp.synthesize> | undefined;
    expect(printedDuring(() => { result = FintechTestApp.synthesize(stack); })).toEqual([]);
    expect(process.exitCode).toBe(exitCode);
    expect(result!.violationSummary).toContain('Fintech-C04-UnencryptedStore dev/Workload/Unencrypted');
    expect(result!.output.join('\n')).toContain('Validation failed');
  });

  test('a root FintechStage (no App, so CDK runs no plugin) still gets its findings', () => {
    const environment = CONFIG.environments.find(e => e.name === 'dev')!;
    const stage = new FintechStage(undefined as any, 'dev', { config: CONFIG, environment });
    const stack = new Stack(stage, 'Workload');
    rawQueue(stack, 'Unencrypted', { SqsManagedSseEnabled: false });
    expect(FintechTestApp.synthesize(stack).violationSummary).toContain('Fintech-C04-UnencryptedStore dev/Workload/Unencrypted');
  });

  test('the app skips bundling and does not fail synth on findings; context given wins', () => {
    const app = new FintechTestApp({ context: { 'my:flag': 'on' } });
    expect(app.node.tryGetContext('aws:cdk:bundling-stacks')).toEqual([]);
    expect(app.node.tryGetContext('@aws-cdk/core:failSynthOnValidationErrors')).toBe(false);
    expect(app.node.tryGetContext('my:flag')).toBe('on');
    expect(new FintechTestApp({ bundling: true }).node.tryGetContext('aws:cdk:bundling-stacks')).toBeUndefined();
  });

  describe('mistakes name the fix', () => {
    test('an environment the config does not have', () => {
      expect(() => new FintechTestApp().addStage(CONFIG, 'qa')).toThrow('config has no environment "qa"; its environments are: dev, prod.');
    });

    test('a scope without stacks', () => {
      const app = new FintechTestApp();
      expect(() => FintechTestApp.synthesize(app.addStage(CONFIG, 'dev'))).toThrow('dev holds no stack; pass a stack, or a stage or app with stacks in it.');
    });

    test('a template of a stack that was not synthesized', () => {
      const app = new FintechTestApp();
      const [a, b] = [new Stack(app, 'A'), new Stack(app, 'B')];
      rawQueue(a, 'Queue');
      rawQueue(b, 'Queue');
      expect(() => FintechTestApp.synthesize(a).template(b)).toThrow('B was not synthesized here; templates of: A.');
    });
  });
});
