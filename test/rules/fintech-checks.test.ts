import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnCondition, CfnParameter, Fn, NestedStack, RemovalPolicy, Stack, Stage, Tags, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { lines, synthWithPlugin, testApp, validate } from './rule-harness';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { FintechStage } from '../../src/stage/fintech-stage';

const C01 = 'Fintech-C01-RequiredTags';
const EPHEMERAL = 'Fintech-C02-EphemeralRetainsData';
const DURABLE = 'Fintech-C02-DurableDeletesData';
const ENCRYPTION = 'Fintech-C03-BucketEncryption';

// Buckets that pass the C03 rules, so the findings below are the C01 and C02 ones each test is about.
const SECURE_BUCKET: s3.BucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
};

function secureCfnBucket(stack: Stack, id: string): s3.CfnBucket {
  const bucket = new s3.CfnBucket(stack, id, {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  });
  new s3.CfnBucketPolicy(stack, `${id}Policy`, {
    bucket: bucket.ref,
    policyDocument: { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
  });
  return bucket;
}

function tagged(stack: Stack): Stack {
  for (const key of ['Environment', 'Team', 'CostCenter', 'Application']) Tags.of(stack).add(key, 'x');
  return stack;
}

describe('FintechChecks', () => {
  describe('props', () => {
    test('defaults and plugin identity', () => {
      const app = testApp();
      const checks = new FintechChecks(app);
      const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
      expect(checks.name).toBe('FintechChecks');
      expect(checks.version).toBe(version);
      expect(checks.ruleIds).toEqual(FintechChecks.rules().map(r => r.id));
      expect(checks.lastReport).toBeUndefined();
      expect(checks.findings).toEqual([]);
    });

    test.each([
      [{ requiredTagKeys: ['Team', ''] }, /^FintechChecks at Shop: requiredTagKeys\[1\] is ""; tag keys cannot be empty\. Remove the entry or name the tag\.$/],
      [{ requiredTagKeys: ['  '] }, /requiredTagKeys\[0\] is "  "/],
      [{ accountConcurrencyLimit: -5 }, /^FintechChecks at Shop: accountConcurrencyLimit is -5; it must be a whole number above 100, because AWS keeps 100 executions unreserved\. Use your account's Lambda concurrency quota \(the default is 1000\)\.$/],
      [{ accountConcurrencyLimit: 100 }, /accountConcurrencyLimit is 100;/],
      [{ accountConcurrencyLimit: 1000.5 }, /accountConcurrencyLimit is 1000\.5;/],
      [{ warningRules: ['Fintech-C01-RequiredTags', 'Fintech-C02-Typo'] }, /^FintechChecks at Shop: warningRules\[1\] is "Fintech-C02-Typo", which is not a rule of the pack\. Use one of: Fintech-C01-RequiredTags, Fintech-C02-EphemeralRetainsData, /],
    ])('rejects %j', (props, message) => {
      const app = testApp();
      expect(() => new FintechChecks(new Stack(app, 'Shop'), props)).toThrow(message);
    });

    test('names the app when constructed on it', () => {
      expect(() => new FintechChecks(testApp(), { accountConcurrencyLimit: 0 })).toThrow(/^FintechChecks at \(app\): accountConcurrencyLimit is 0/);
    });

    test('accepts a valid configuration', () => {
      const props = { accountConcurrencyLimit: 101, requiredTagKeys: [], warningRules: [C01], durableStages: [] };
      expect(() => new FintechChecks(testApp(), props)).not.toThrow();
    });
  });

  describe('as a registered plugin', () => {
    test('CDK writes its findings with the construct path, in a bare App without path metadata', () => {
      const app = testApp();
      const stack = new Stack(app, 'Shop');
      new s3.Bucket(stack, 'Orders', SECURE_BUCKET);
      const checks = new FintechChecks(app);
      const report = synthWithPlugin(app, checks)!;
      expect(report.summary.status).toBe('failure');
      const c01 = report.violations.filter(v => v.ruleName === C01);
      expect(c01).toEqual([expect.objectContaining({
        severity: 'error',
        description: expect.stringMatching(/^Shop\/Orders\/Resource: AWS::S3::Bucket Orders[0-9A-F]{8} lacks the tags Environment, Team, CostCenter, Application/),
        violatingConstructs: [expect.objectContaining({ constructPath: 'Shop/Orders/Resource', templatePath: expect.stringMatching(/Shop\.template\.json$/) })],
      })]);
      expect(checks.lastReport?.violations.find(v => v.ruleName === C01)?.ruleMetadata).toEqual({
        catalogId: 'C01', logicalId: expect.stringMatching(/^Orders/), templateFile: 'Shop.template.json', stage: '(app) (ephemeral)', resourceType: 'AWS::S3::Bucket',
      });
    });

    test('never sets the process exit code in tests (failSynthOnValidationErrors false)', () => {
      const app = testApp();
      new sqs.CfnQueue(new Stack(app, 'Shop'), 'Queue');
      const before = process.exitCode;
      const report = synthWithPlugin(app, new FintechChecks(app, { stage: 'prod' }));
      expect(report?.summary.status).toBe('failure');
      expect(process.exitCode).toBe(before);
    });

    test('judges a multi-stage app per stage in one synth', () => {
      const app = testApp();
      for (const name of ['dev', 'prod']) new s3.Bucket(tagged(new Stack(new Stage(app, name), 'Workload')), 'Orders', { ...SECURE_BUCKET, removalPolicy: RemovalPolicy.RETAIN });
      const checks = new FintechChecks(app);
      const report = synthWithPlugin(app, checks)!;
      expect(report.violations.map(v => `${v.ruleName} ${v.violatingConstructs[0].constructPath}`)).toEqual([`${EPHEMERAL} dev/Workload/Orders/Resource`]);
      expect(checks.lastReport?.metadata?.stages).toBe('dev (ephemeral), prod (durable)');
    });

    test('registered on one stage, it judges only that stage', () => {
      const app = testApp();
      const dev = new Stage(app, 'dev');
      new s3.Bucket(tagged(new Stack(dev, 'Workload')), 'Orders', SECURE_BUCKET);
      new sqs.CfnQueue(new Stack(new Stage(app, 'prod'), 'Workload'), 'Queue');
      const checks = new FintechChecks(dev);
      synthWithPlugin(app, checks, dev);
      expect(lines(checks.findings)).toEqual([`${EPHEMERAL} dev/Workload/Orders/Resource`]);
    });

    test('judges a root app (no stage) as the stage prop says', () => {
      const app = testApp();
      new s3.Bucket(tagged(new Stack(app, 'Shop')), 'Orders', { ...SECURE_BUCKET, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      expect(lines(validate(app, { stage: 'prod' }).findings)).toEqual([`${DURABLE} Shop/Orders/Resource`]);
      expect(validate(app, { stage: 'dev' }).findings).toEqual([]);
      expect(lines(validate(app, { stage: 'dev', durableStages: ['dev'] }).findings)).toEqual([`${DURABLE} Shop/Orders/Resource`]);
    });

    test('an acknowledgement silences one finding on one construct, and the finding stays visible', () => {
      const app = testApp();
      const stack = tagged(new Stack(app, 'Shop'));
      const kept = new s3.Bucket(stack, 'Kept', SECURE_BUCKET);
      new s3.Bucket(stack, 'Other', SECURE_BUCKET);
      Validations.of(kept).acknowledge({ id: EPHEMERAL, reason: 'evidence for the audit, deleted by hand' });
      const checks = new FintechChecks(app, { stage: 'dev' });
      const report = synthWithPlugin(app, checks)!;
      expect(report.violations.map(v => `${v.ruleName} ${v.severity} ${v.violatingConstructs[0].constructPath}`).sort()).toEqual([
        `${EPHEMERAL} error Shop/Other/Resource`,
        `${EPHEMERAL} info Shop/Kept/Resource`,
      ]);
      expect(report.violations.find(v => v.severity === 'info')!.description).toMatch(/^Shop\/Kept\/Resource: acknowledged \("evidence for the audit, deleted by hand"\): /);
      expect(report.summary.metadata).toEqual({
        'stages': 'dev (ephemeral)',
        'acknowledged': '1',
        'acknowledged-1': `${EPHEMERAL} at Shop/Kept/Resource: evidence for the audit, deleted by hand`,
      });
      expect(checks.acknowledgedFindings).toEqual([expect.objectContaining({
        ruleId: EPHEMERAL, constructPath: 'Shop/Kept/Resource', acknowledgedReason: 'evidence for the audit, deleted by hand', severity: 'error',
      })]);
      expect(checks.findings).toHaveLength(2);
    });

    test('with every finding acknowledged the report succeeds and still lists the acknowledgements', () => {
      const app = testApp();
      const kept = new s3.Bucket(tagged(new Stack(app, 'Shop')), 'Kept', SECURE_BUCKET);
      Validations.of(kept).acknowledge({ id: EPHEMERAL, reason: 'reviewed' });
      const checks = new FintechChecks(app, { stage: 'dev' });
      const report = synthWithPlugin(app, checks)!;
      expect(report.summary.status).toBe('success');
      expect(report.violations.map(v => [v.ruleName, v.severity])).toEqual([[EPHEMERAL, 'info']]);
      expect(checks.lastReport).toMatchObject({ success: true, metadata: { 'acknowledged': '1', 'acknowledged-1': `${EPHEMERAL} at Shop/Kept/Resource: reviewed` } });
    });

    test('warnings alone do not fail the report, and warningRules turns errors into warnings', () => {
      const app = testApp();
      secureCfnBucket(tagged(new Stack(app, 'Shop')), 'Raw');
      const warned = validate(app, { stage: 'dev' });
      expect(warned.lastReport).toMatchObject({ success: true, violations: [expect.objectContaining({ ruleName: 'Fintech-C02-BucketNotEmptiedOnDelete', severity: 'warning' })] });
      const lowered = validate(app, { stage: 'prod', warningRules: [DURABLE] });
      expect(lowered.lastReport).toMatchObject({ success: true, violations: [expect.objectContaining({ ruleName: DURABLE, severity: 'warning' })] });
      expect(validate(app, { stage: 'prod' }).lastReport?.success).toBe(false);
    });

    test('a finding on a resource CDK creates inside an L2 is acknowledged on the L2', () => {
      const app = testApp();
      const stack = new Stack(app, 'Shop');
      const bucket = new s3.Bucket(stack, 'Orders', { ...SECURE_BUCKET, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      Validations.of(bucket).acknowledge({ id: C01, reason: 'tagged by the platform team later' });
      const checks = validate(app, { stage: 'dev' });
      expect(lines(checks.acknowledgedFindings)).toEqual([`${C01} Shop/Orders/Resource`]);
      expect(lines(checks.findings.filter(f => !f.acknowledgedReason))).toEqual([]);
    });

    test('odd templates (intrinsics in tags and policies) do not crash the synth', () => {
      const app = testApp();
      const shop = new Stack(app, 'Shop');
      // A declared condition: the template is odd, not undeployable (Fintech-C22-MissingReference would rightly report it).
      const mode = new CfnParameter(shop, 'Mode', { allowedValues: ['a', 'b'] });
      new CfnCondition(shop, 'C', { expression: Fn.conditionEquals(mode.valueAsString, 'a') });
      const bucket = secureCfnBucket(shop, 'Odd');
      bucket.addPropertyOverride('Tags', { 'Fn::If': ['C', [], []] });
      bucket.addOverride('DeletionPolicy', { 'Fn::If': ['C', 'Retain', 'Delete'] });
      bucket.addOverride('UpdateReplacePolicy', { Ref: 'Policy' });
      const checks = new FintechChecks(app, { stage: 'prod' });
      const report = synthWithPlugin(app, checks);
      expect(report).toBeUndefined();
      expect(checks.lastReport).toMatchObject({ success: true, violations: [] });
    });
  });
});

describe('FintechChecks under the aws-cdk CLI', () => {
  // The CLI sets CDK_CLI_VERSION and failSynthOnValidationErrors=false for the app, then reads a report file aws-cdk-lib 2.257 does not write.
  function synthRetainedBucketAsCli(cliVersion: string | undefined): { exitCode: typeof process.exitCode; stderr: string } {
    const previous = { exitCode: process.exitCode, cli: process.env.CDK_CLI_VERSION };
    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { written.push(String(chunk)); return true; });
    try {
      if (cliVersion) process.env.CDK_CLI_VERSION = cliVersion;
      else delete process.env.CDK_CLI_VERSION;
      const app = testApp();
      secureCfnBucket(tagged(new Stack(app, 'Shop')), 'Leftover').addOverride('DeletionPolicy', 'Retain');
      synthWithPlugin(app, new FintechChecks(app, { stage: 'dev' }));
      return { exitCode: process.exitCode, stderr: written.join('') };
    } finally {
      write.mockRestore();
      process.exitCode = previous.exitCode;
      if (previous.cli === undefined) delete process.env.CDK_CLI_VERSION;
      else process.env.CDK_CLI_VERSION = previous.cli;
    }
  }

  test('fails the app and prints each error with its path and fix', () => {
    const { exitCode, stderr } = synthRetainedBucketAsCli('2.1148.1');
    expect(exitCode).toBe(1);
    expect(stderr).toContain(`FintechChecks found 1 error:\n  x ${EPHEMERAL}  Shop/Leftover\n`);
    expect(stderr).toContain('fix: ');
  });

  test('leaves the exit code alone outside the CLI (tests that read the report)', () => {
    const { exitCode, stderr } = synthRetainedBucketAsCli(undefined);
    expect(exitCode).toBeUndefined();
    expect(stderr).not.toContain('FintechChecks found');
  });
});

describe('FintechChecks reports', () => {
  test('with fintech:checks-report-dir set, each stage pack writes <stage>.sarif and <stage>.md there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-reports-'));
    const app = testApp();
    app.node.setContext(FintechChecks.REPORT_DIR_CONTEXT, dir);
    const stage = new Stage(app, 'dev');
    const stack = tagged(new Stack(stage, 'Workload'));
    new s3.Bucket(stack, 'Plain', { ...SECURE_BUCKET, enforceSSL: false, removalPolicy: RemovalPolicy.DESTROY });
    const checks = new FintechChecks(stage);
    synthWithPlugin(app, checks, stage);
    expect(fs.readdirSync(dir).sort()).toEqual(['dev.md', 'dev.sarif']);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'dev.sarif'), 'utf-8'));
    const tls = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'Fintech-C03-BucketTlsOnly');
    expect(tls.locations[0].logicalLocations[0].fullyQualifiedName).toBe('dev/Workload/Plain/Resource');
    expect(tls.locations[0].physicalLocation.artifactLocation.uri).toBe('test/rules/fintech-checks.test.ts');
    expect(fs.readFileSync(path.join(dir, 'dev.md'), 'utf-8')).toMatch(/^# FintechChecks: stage dev\n\nFAILED: 1 error/);
  });

  test('writes nothing without the context value', () => {
    const app = testApp();
    const before = fs.readdirSync(process.cwd());
    validate(app);
    expect(fs.readdirSync(process.cwd())).toEqual(before);
  });
});

describe('FintechChecks constructed without a scope, the cdk-nag 3 way', () => {
  /** An app with a bad raw bucket, an acknowledged one, a nested stack and a durable stage. */
  function appWithFindings() {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Raw');
    const accepted = new s3.CfnBucket(stack, 'Accepted');
    Validations.of(accepted).acknowledge({ id: ENCRYPTION, reason: 'encrypted by the account default' });
    new s3.CfnBucket(new NestedStack(stack, 'Inner'), 'Deep');
    const prod = new Stack(new Stage(app, 'prod'), 'Workload');
    new s3.Bucket(prod, 'Orders', { ...SECURE_BUCKET, removalPolicy: RemovalPolicy.DESTROY });
    return app;
  }

  const findingLines = (checks: FintechChecks) =>
    checks.findings.map(f => `${f.ruleId} ${f.constructPath} ${f.stageName || '(app)'}${f.acknowledgedReason ? ` ack: ${f.acknowledgedReason}` : ''}`).sort();

  test('finds what a pack with a scope finds: the same rules, paths, stages, nested stacks and acknowledgements', () => {
    const withScope = findingLines(validate(appWithFindings(), {}));
    const app = appWithFindings();
    const scopeless = new FintechChecks();
    const report = synthWithPlugin(app, scopeless);
    // C01 reads taggability from the construct classes where it can, which the cloud assembly does not record: never more without a scope.
    const notC01 = (found: string[]) => found.filter(line => !line.startsWith(C01));
    expect(notC01(findingLines(scopeless))).toEqual(notC01(withScope));
    expect(withScope).toEqual(expect.arrayContaining(findingLines(scopeless).filter(line => line.startsWith(C01))));
    expect(findingLines(scopeless)).toEqual(expect.arrayContaining([
      `${ENCRYPTION} Shop/Raw (app)`,
      `${ENCRYPTION} Shop/Accepted (app) ack: encrypted by the account default`,
      `${ENCRYPTION} Shop/Inner/Deep (app)`,
      `${DURABLE} prod/Workload/Orders/Resource prod`,
    ]));
    expect(report?.summary.status).toBe('failure');
  });

  test('props alone, as JavaScript passes them, or through fromProps, are the props', () => {
    for (const checks of [new FintechChecks({ stage: 'prod' } as never), FintechChecks.fromProps({ stage: 'prod' }), new FintechChecks(undefined, { stage: 'prod' })]) {
      const app = testApp();
      new s3.Bucket(new Stack(app, 'Shop'), 'Orders', { ...SECURE_BUCKET, removalPolicy: RemovalPolicy.DESTROY });
      synthWithPlugin(app, checks);
      expect(lines(checks.findings).filter(l => l.startsWith('Fintech-C02'))).toEqual([`${DURABLE} Shop/Orders/Resource`]);
    }
  });

  test('judges a stack outside a FintechStage by the settings its constructs recorded', () => {
    const app = testApp();
    const stack = new Stack(app, 'Legacy');
    FintechStage.settingsOf(stack);
    new s3.Bucket(stack, 'Kept', { ...SECURE_BUCKET, removalPolicy: RemovalPolicy.RETAIN });
    const checks = new FintechChecks();
    synthWithPlugin(app, checks);
    expect(checks.findings.filter(f => f.ruleId.startsWith('Fintech-C02'))).toEqual([]);
    expect(checks.lastReport?.metadata?.stages).toBe('(app) (durable)');
  });

  test('a first argument that is neither a construct nor props, or props twice, is a clear error, never a TypeError', () => {
    expect(() => new FintechChecks('app' as never))
      .toThrow('FintechChecks: the first argument is "app", not a construct, and the props are given too. Pass a scope and props (new FintechChecks(app, props)), or only props (new FintechChecks(props), FintechChecks.fromProps(props)).');
    expect(() => new FintechChecks({ stage: 'prod' } as never, { stage: 'dev' })).toThrow(/^FintechChecks: the first argument is an object \(stage\), not a construct, and the props are given too/);
    expect(() => FintechChecks.fromProps({ warningRules: ['Nope'] })).toThrow(/^FintechChecks: warningRules\[0\] is "Nope", which is not a rule of the pack/);
    expect(() => FintechChecks.fromProps({ companions: [new FintechChecks()] }))
      .toThrow('FintechChecks: companions need the app or stage to register them on; construct the pack with a scope, new FintechChecks(app, { companions }).');
  });
});
