import { Stack } from 'aws-cdk-lib';
import { FintechStage } from '../../src/stage/fintech-stage';
import { NameKind, PhysicalName } from '../../src/stage/physical-name';
import { CONFIG, stackIn, testApp } from '../support/fintech-fixture';

describe('PhysicalName', () => {
  test('builds <application>-<base>-<stage>, lowercased', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(PhysicalName.of(stack, 'Entries')).toBe('ledger-entries-dev');
    expect(PhysicalName.of(stack, 'entries', { kind: NameKind.DYNAMODB_TABLE })).toBe('ledger-entries-dev');
  });

  test('puts the account into bucket names, since bucket names are global', () => {
    const prod = stackIn(testApp(), 'prod');
    expect(PhysicalName.of(prod, 'archive', { kind: NameKind.S3_BUCKET })).toBe('ledger-archive-123456789012-prod');
    const dev = stackIn(testApp(), 'dev');
    const agnostic = dev.resolve(PhysicalName.of(dev, 'archive', { kind: NameKind.S3_BUCKET }));
    expect(agnostic).toEqual({ 'Fn::Join': ['', ['ledger-archive-', { Ref: 'AWS::AccountId' }, '-dev']] });
  });

  test('prefixes KMS aliases with alias/', () => {
    expect(PhysicalName.of(stackIn(testApp(), 'dev'), 'ledger', { kind: NameKind.KMS_ALIAS })).toBe('alias/ledger-ledger-dev');
  });

  test.each([
    [NameKind.S3_BUCKET, 63, '123456789012'],
    [NameKind.LAMBDA_FUNCTION, 64, ''],
    [NameKind.IAM_ROLE, 64, ''],
    [NameKind.SQS_QUEUE, 80, ''],
  ])('shortens a long base for %s to %i characters, keeping the stage and a hash', (kind, max, account) => {
    const stack = stackIn(testApp(), 'prod');
    const base = 'settlement-reconciliation-report-archive-of-the-clearing-house-feed-for-every-region';
    const name = PhysicalName.of(stack, base, { kind });
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name.startsWith('ledger-settlement')).toBe(true);
    expect(name.endsWith(`${account ? `-${account}` : ''}-prod`)).toBe(true);
    expect(name).toMatch(/-[0-9a-f]{8}-/);
    // Two long bases that share a prefix still get different names.
    expect(PhysicalName.of(stack, `${base}-b`, { kind })).not.toBe(name);
  });

  test('keeps names that fit unchanged', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(PhysicalName.of(stack, 'a'.repeat(40), { kind: NameKind.LAMBDA_FUNCTION })).toBe(`ledger-${'a'.repeat(40)}-prod`);
  });

  test.each([
    ['', NameKind.GENERIC],
    ['entries table', NameKind.DYNAMODB_TABLE],
    ['entries_v2', NameKind.S3_BUCKET],
    ['-entries', NameKind.GENERIC],
  ])('rejects base %j for %s with the path and a suggestion', (base, kind) => {
    const stack = stackIn(testApp(), 'dev');
    expect(() => PhysicalName.of(stack, base, { kind })).toThrow(new RegExp(`^PhysicalName at dev/Workload: base "${base}" is not valid for ${kind} names; .*e\\.g\\. "`));
  });

  test('says so when application and stage leave no room', () => {
    const app = testApp();
    const config = { ...CONFIG, application: 'a'.repeat(32), environments: [{ name: 'prod', account: '123456789012', region: 'eu-west-1', durable: true }, { name: 'dev', region: 'eu-west-1' }] };
    const longStage = { name: 'preproduction-eu', account: '123456789012', region: 'eu-west-1', durable: true };
    const stack = new Stack(new FintechStage(app, longStage.name, { config: { ...config, environments: [longStage] }, environment: longStage }), 'S');
    expect(() => PhysicalName.of(stack, 'archive', { kind: NameKind.S3_BUCKET }))
      .toThrow(/leave no room for "archive" in a s3-bucket name of at most 63 characters; shorten the application or stage name/);
  });

  test('needs a FintechStage', () => {
    const stack = new Stack(testApp(), 'Loose');
    expect(() => PhysicalName.of(stack, 'entries')).toThrow(/^Loose is not inside a FintechStage/);
  });
});
