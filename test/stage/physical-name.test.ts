import { Aws, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { FintechStage } from '../../src/stage/fintech-stage';
import { NameKind, PhysicalName } from '../../src/stage/physical-name';
import { CONFIG, stackIn, testApp } from '../support/fintech-fixture';

const LONG_BASE = 'settlement-reconciliation-report-archive-of-the-clearing-house-feed-for-every-region';

/** A stack in a one-environment platform, for names built from unusual applications or stages. */
function stackWith(application: string, environment: FintechPlatformConfig['environments'][number]): Stack {
  const config = { ...CONFIG, application, environments: [environment] };
  return new Stack(FintechStage.fromConfig(testApp(), config)[0], 'S');
}

describe('PhysicalName', () => {
  test('builds <application>-<base>-<stage>, lowercased, for the default kind', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(PhysicalName.of(stack, 'Entries')).toBe('ledger-entries-dev');
    expect(PhysicalName.of(stack, 'entries', { kind: NameKind.DYNAMODB_TABLE })).toBe('ledger-entries-dev');
  });

  test('takes the stage from the nearest FintechStage, at any depth', () => {
    const app = testApp();
    const deep = new Construct(new Construct(stackIn(app, 'dev'), 'Service'), 'Part');
    expect(PhysicalName.of(deep, 'x')).toBe('ledger-x-dev');
    expect(PhysicalName.of(stackIn(app, 'prod'), 'x', { kind: NameKind.LAMBDA_FUNCTION })).toBe('ledger-x-prod');
  });

  test('puts the concrete account into bucket names, since bucket names are global', () => {
    const prod = stackIn(testApp(), 'prod');
    expect(PhysicalName.of(prod, 'archive', { kind: NameKind.S3_BUCKET })).toBe('ledger-archive-123456789012-prod');
  });

  test('puts the deploy-time account into bucket names of environment-agnostic stages', () => {
    const dev = stackIn(testApp(), 'dev');
    const name = PhysicalName.of(dev, 'archive', { kind: NameKind.S3_BUCKET });
    expect(dev.resolve(name)).toEqual({ 'Fn::Join': ['', ['ledger-archive-', { Ref: 'AWS::AccountId' }, '-dev']] });
  });

  test('reserves 12 characters for a token account, so the deployed name still fits 63', () => {
    const dev = stackIn(testApp(), 'dev');
    const name = dev.resolve(PhysicalName.of(dev, LONG_BASE, { kind: NameKind.S3_BUCKET }));
    const [before, after] = [name['Fn::Join'][1][0], name['Fn::Join'][1][2]];
    expect(before.length + 12 + after.length).toBe(63);
    expect(after).toBe('-dev');
    expect(before).toMatch(/^ledger-settlement-.*-[0-9a-f]{8}-$/);
  });

  test('prefixes KMS aliases with alias/', () => {
    expect(PhysicalName.of(stackIn(testApp(), 'dev'), 'ledger', { kind: NameKind.KMS_ALIAS })).toBe('alias/ledger-ledger-dev');
  });

  test('ends FIFO queue and topic names in .fifo, after the stage', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(PhysicalName.of(stack, 'settlements', { kind: NameKind.SQS_QUEUE, fifo: true })).toBe('ledger-settlements-prod.fifo');
    expect(PhysicalName.of(stack, 'events', { kind: NameKind.SNS_TOPIC, fifo: true })).toBe('ledger-events-prod.fifo');
    const long = PhysicalName.of(stack, LONG_BASE, { kind: NameKind.SQS_QUEUE, fifo: true });
    expect(long).toHaveLength(80);
    expect(long.endsWith('-prod.fifo')).toBe(true);
  });

  test('refuses fifo for kinds that have no FIFO variant', () => {
    expect(() => PhysicalName.of(stackIn(testApp(), 'dev'), 'entries', { kind: NameKind.DYNAMODB_TABLE, fifo: true }))
      .toThrow(/^PhysicalName at dev\/Workload: fifo is set for a dynamodb-table name; only NameKind\.SQS_QUEUE and NameKind\.SNS_TOPIC/);
  });

  test.each([
    [NameKind.GENERIC, 64, ''],
    [NameKind.S3_BUCKET, 63, '-123456789012'],
    [NameKind.LAMBDA_FUNCTION, 64, ''],
    [NameKind.IAM_ROLE, 64, ''],
    [NameKind.SQS_QUEUE, 80, ''],
    [NameKind.STATE_MACHINE, 80, ''],
  ])('shortens a long base for %s to exactly %i characters, keeping the stage and adding a hash', (kind, max, account) => {
    const stack = stackIn(testApp(), 'prod');
    const name = PhysicalName.of(stack, LONG_BASE, { kind });
    expect(name).toHaveLength(max);
    expect(name.startsWith('ledger-settlement')).toBe(true);
    expect(name.endsWith(`${account}-prod`)).toBe(true);
    expect(name).toMatch(new RegExp(`-[0-9a-f]{8}${account}-prod$`));
    // Two long bases that share their beginning still get different names.
    expect(PhysicalName.of(stack, `${LONG_BASE}-b`, { kind })).not.toBe(name);
  });

  test('the hash is deterministic: the same app, base and stage give the same name in another synth', () => {
    const first = PhysicalName.of(stackIn(testApp(), 'prod'), LONG_BASE, { kind: NameKind.LAMBDA_FUNCTION });
    const second = PhysicalName.of(stackIn(testApp(), 'prod'), LONG_BASE, { kind: NameKind.LAMBDA_FUNCTION });
    expect(second).toBe(first);
    expect(PhysicalName.of(stackIn(testApp(), 'dev'), LONG_BASE, { kind: NameKind.LAMBDA_FUNCTION }).replace(/-dev$/, ''))
      .not.toBe(first.replace(/-prod$/, ''));
  });

  test('keeps names that fit unchanged, up to the limit', () => {
    const stack = stackIn(testApp(), 'prod');
    // 'ledger-' + 52 + '-prod' = 64, Lambda's limit.
    expect(PhysicalName.of(stack, 'a'.repeat(52), { kind: NameKind.LAMBDA_FUNCTION })).toBe(`ledger-${'a'.repeat(52)}-prod`);
    expect(PhysicalName.of(stack, 'a'.repeat(53), { kind: NameKind.LAMBDA_FUNCTION })).toMatch(/^ledger-a+-[0-9a-f]{8}-prod$/);
  });

  test('cuts into the application when the application and a long stage leave little room, never into the stage', () => {
    const stack = stackWith('a'.repeat(32), { name: 'preproduction-eu', account: '123456789012', region: 'eu-west-1', durable: true });
    const name = PhysicalName.of(stack, 'archive', { kind: NameKind.S3_BUCKET });
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^a{24}-[0-9a-f]{8}-123456789012-preproduction-eu$/);
    expect(PhysicalName.of(stack, 'other', { kind: NameKind.S3_BUCKET })).not.toBe(name);
  });

  test('allows each kind its own characters', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(PhysicalName.of(stack, 'entries_v2.archive', { kind: NameKind.DYNAMODB_TABLE })).toBe('ledger-entries_v2.archive-dev');
    expect(PhysicalName.of(stack, 'api/access', { kind: NameKind.LOG_GROUP })).toBe('ledger-api/access-dev');
    expect(PhysicalName.of(stack, 'db/credentials', { kind: NameKind.SECRET })).toBe('ledger-db/credentials-dev');
    expect(PhysicalName.of(stack, 'deploy@ci', { kind: NameKind.IAM_ROLE })).toBe('ledger-deploy@ci-dev');
  });

  test.each([
    ['', NameKind.GENERIC],
    ['   ', NameKind.GENERIC],
    ['entries table', NameKind.DYNAMODB_TABLE],
    ['entries_v2', NameKind.S3_BUCKET],
    ['entries.v2', NameKind.S3_BUCKET],
    ['-entries', NameKind.GENERIC],
    ['entries-', NameKind.SQS_QUEUE],
    ['api/access', NameKind.LAMBDA_FUNCTION],
    ['ledger:key', NameKind.KMS_ALIAS],
  ])('rejects base %j for %s with the path, the value and a fix', (base, kind) => {
    const stack = stackIn(testApp(), 'dev');
    expect(() => PhysicalName.of(stack, base, { kind }))
      .toThrow(new RegExp(`^PhysicalName at dev/Workload: base "${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not valid for ${kind} names; use .*, starting and ending with a letter or digit, e\\.g\\. "[a-z0-9-]+"\\.$`));
  });

  test('rejects a token base, whose length and characters are unknown at synth', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(() => PhysicalName.of(stack, Aws.STACK_NAME)).toThrow(/^PhysicalName at dev\/Workload: base ".*" is a token, .* pass a literal string/);
  });

  test('refuses bucket names S3 reserves, naming what to rename', () => {
    expect(() => PhysicalName.of(stackWith('xn--ledger', { name: 'dev', region: 'eu-west-1' }), 'archive', { kind: NameKind.S3_BUCKET }))
      .toThrow(/bucket name ".*" starts with "xn--", which S3 reserves; rename the application in \.projenrc\.ts\./);
    expect(() => PhysicalName.of(stackWith('ledger', { name: 's3alias', region: 'eu-west-1' }), 'archive', { kind: NameKind.S3_BUCKET }))
      .toThrow(/ends with "-s3alias", which S3 reserves; rename the stage in \.projenrc\.ts\./);
  });

  describe('outside a FintechStage', () => {
    test('takes application and stage from context', () => {
      const app = testApp();
      app.node.setContext('fintech:stage', 'qa');
      app.node.setContext('fintech:application', 'payments');
      const stack = new Stack(app, 'Loose', { env: { account: '210987654321', region: 'eu-west-1' } });
      expect(PhysicalName.of(stack, 'entries')).toBe('payments-entries-qa');
      expect(PhysicalName.of(stack, 'archive', { kind: NameKind.S3_BUCKET })).toBe('payments-archive-210987654321-qa');
      expect(PhysicalName.of(stack, 'jobs', { kind: NameKind.SQS_QUEUE, fifo: true })).toBe('payments-jobs-qa.fifo');
    });

    test('leaves out the parts no context gives: the durable default names are the base alone', () => {
      const stack = new Stack(testApp(), 'Loose');
      expect(PhysicalName.of(stack, 'Entries')).toBe('entries');
      expect(PhysicalName.of(stack, 'entries', { kind: NameKind.KMS_ALIAS })).toBe('alias/entries');
      expect(stack.resolve(PhysicalName.of(stack, 'archive', { kind: NameKind.S3_BUCKET })))
        .toEqual({ 'Fn::Join': ['', ['archive-', { Ref: 'AWS::AccountId' }]] });
    });

    test('names an invalid context value and how to fix it', () => {
      const app = testApp();
      app.node.setContext('fintech:stage', 'Dev Stage');
      expect(() => PhysicalName.of(new Stack(app, 'Loose'), 'entries'))
        .toThrow('Loose: context fintech:stage is "Dev Stage"; a stage name is lowercase letters, digits and hyphens, starting with a letter, e.g. "dev".');
    });
  });

  test('X-Ray sampling rule names fit 32 characters and canary names 21, canaries with a 6-digit hash', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(PhysicalName.of(stack, 'sampling', { kind: NameKind.XRAY_SAMPLING_RULE })).toBe('ledger-sampling-prod');
    expect(PhysicalName.of(stack, 'payments-authorisation-checkout', { kind: NameKind.XRAY_SAMPLING_RULE })).toMatch(/^ledger-payments-au-[0-9a-f]{8}-prod$/);
    expect(PhysicalName.of(stack, 'health', { kind: NameKind.SYNTHETICS_CANARY })).toBe('ledger-health-prod');
    expect(PhysicalName.of(stack, 'payments-health', { kind: NameKind.SYNTHETICS_CANARY })).toMatch(/^ledger-pa-[0-9a-f]{6}-prod$/);
  });
});
