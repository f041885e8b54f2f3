import { App, Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FintechChecksProps } from '../../../src/rules/fintech-checks';
import { BucketName } from '../../../src/rules/s3/bucket-name';
import { NameKind, PhysicalName } from '../../../src/stage/physical-name';
import { stackIn } from '../../support/fintech-fixture';
import { lines, testApp, validate, validateWithAndWithoutScope } from '../rule-harness';

const C03 = BucketName.INFO.id;

function c03(app: App, props: FintechChecksProps = {}) {
  return validate(app, props).findings.filter(f => f.ruleId === C03 || f.ruleId === 'Fintech-RuleFailed');
}

describe('Fintech-C03-BucketName', () => {
  test('passes PhysicalName bucket names with a known account (prod) and a token account (dev)', () => {
    const app = testApp();
    for (const stage of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stage);
      new s3.Bucket(stack, 'Archive', { bucketName: PhysicalName.of(stack, 'archive', { kind: NameKind.S3_BUCKET }) });
    }
    expect(c03(app)).toEqual([]);
  });

  test('fails a literal name without stage or account, naming what is missing', () => {
    const app = testApp();
    new s3.Bucket(stackIn(app, 'prod'), 'Archive', { bucketName: 'ledger-archive' });
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} prod/Workload/Archive/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/BucketName'],
      message: expect.stringMatching(/^AWS::S3::Bucket Archive[0-9A-F]{8} has BucketName "ledger-archive", which lacks the account id 123456789012 and the stage name "prod": /),
      fix: expect.stringContaining('PhysicalName.of'),
    });
  });

  test('fails an L1 name with the stage but no account, and one with the account but not the stage', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
    new s3.CfnBucket(stack, 'NoAccount', { bucketName: 'ledger-archive-dev' });
    new s3.CfnBucket(stack, 'NoStage', { bucketName: 'ledger-archive-111122223333' });
    new s3.CfnBucket(stack, 'Both', { bucketName: 'ledger-archive-111122223333-dev' });
    const findings = c03(app, { stage: 'dev' });
    expect(lines(findings)).toEqual([`${C03} Shop/NoAccount`, `${C03} Shop/NoStage`]);
    expect(findings.map(f => f.message.split(': ')[0])).toEqual([
      'AWS::S3::Bucket NoAccount has BucketName "ledger-archive-dev", which lacks the account id 111122223333',
      'AWS::S3::Bucket NoStage has BucketName "ledger-archive-111122223333", which lacks the stage name "dev"',
    ]);
  });

  test('compares a known account with and without a scope: another 12-digit number in the name (a timestamp) is not the account', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { account: '111122223333', region: 'eu-west-1' } });
    new s3.CfnBucket(stack, 'Stamped', { bucketName: 'ledger-archive-dev-1796641347148' });
    new s3.CfnBucket(stack, 'Owned', { bucketName: 'ledger-archive-dev-111122223333' });
    for (const checks of validateWithAndWithoutScope(app, { stage: 'dev' })) {
      expect(checks.findings.filter(f => f.ruleId === C03).map(f => f.message.split(': ')[0])).toEqual([
        'AWS::S3::Bucket Stamped has BucketName "ledger-archive-dev-1796641347148", which lacks the account id 111122223333',
      ]);
    }
  });

  test('counts AWS::AccountId in a joined name as the account, and checks only the account outside a stage', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Joined', { bucketName: `ledger-archive-${Aws.ACCOUNT_ID}` });
    new s3.CfnBucket(stack, 'Literal', { bucketName: 'ledger-archive' });
    expect(lines(c03(app))).toEqual([`${C03} Shop/Literal`]);
  });

  test('catches an escape hatch that sets a fixed name', () => {
    const app = testApp();
    const bucket = new s3.Bucket(stackIn(app, 'dev'), 'Archive');
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketName', 'archive');
    expect(c03(app).map(f => f.message)).toEqual([expect.stringContaining('lacks an account id and the stage name "dev"')]);
  });

  test('treats names built from parameters or other intrinsics as unknown', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const stage = new CfnParameter(stack, 'Stage', { type: 'String' });
    new s3.CfnBucket(stack, 'Param', { bucketName: stage.valueAsString });
    new s3.CfnBucket(stack, 'Joined', { bucketName: Fn.join('-', ['archive', stage.valueAsString]) });
    new s3.CfnBucket(stack, 'StackName', { bucketName: `archive-${Aws.STACK_NAME}` });
    expect(c03(app, { stage: 'dev' })).toEqual([]);
  });
});
