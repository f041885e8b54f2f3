import { App, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ConsumerKeyAccess } from '../../../src/rules/kms/consumer-key-access';
import { findingsOf, lines, shop } from '../rule-harness';

const C05 = ConsumerKeyAccess.INFO.id;

function c05(app: App) {
  return findingsOf(app, [C05]);
}

/** A queue on a customer key and a function role that polls it, as a hand-written event source mapping's role does. */
function settlement() {
  const { app, stack } = shop();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const queue = new sqs.Queue(stack, 'Settlements', { encryptionMasterKey: key, enforceSSL: true });
  const role = new iam.Role(stack, 'Settler', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { app, stack, key, queue, role };
}

const POLL = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'];
const poll = (queue: sqs.IQueue) => new iam.PolicyStatement({ actions: POLL, resources: [queue.queueArn] });

function settler(stack: Stack, role?: iam.IRole) {
  return new lambda.Function(stack, 'Settle', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), role,
  });
}

describe('Fintech-C05-ConsumerWithoutKeyAccess', () => {
  test('fails a role allowed sqs:ReceiveMessage by hand on a queue whose customer key it may not decrypt with, and names the role and its policy', () => {
    const { app, queue, role } = settlement();
    role.addToPolicy(poll(queue));
    const [finding, ...rest] = c05(app);
    expect(rest).toEqual([]);
    expect(lines([finding])).toEqual([`${C05} Shop/Settlements/Resource`]);
    expect(finding.message).toMatch(
      /encrypted with AWS::KMS::Key Key\w+, but AWS::IAM::Role Settler\w+ \(AWS::IAM::Policy SettlerDefaultPolicy\w+ allows sqs:ReceiveMessage\) may not use that key \(kms:Decrypt\)/);
    expect(finding.message).toMatch(/every sqs:ReceiveMessage by it fails with a KMS access error/);
    expect(finding.fix).toContain('queue.grantConsumeMessages(role)');
  });

  test('fails a raw event source mapping whose function role was written by hand, and passes SqsEventSource and the grant method', () => {
    const raw = settlement();
    const fn = settler(raw.stack, raw.role);
    raw.role.addToPolicy(poll(raw.queue));
    new lambda.CfnEventSourceMapping(raw.stack, 'FromQueue', { functionName: fn.functionName, eventSourceArn: raw.queue.queueArn, functionResponseTypes: ['ReportBatchItemFailures'] });
    expect(lines(c05(raw.app))).toEqual([`${C05} Shop/Settlements/Resource`]);
    const l2 = settlement();
    settler(l2.stack).addEventSource(new sources.SqsEventSource(l2.queue, { reportBatchItemFailures: true }));
    expect(c05(l2.app)).toEqual([]);
    const granted = settlement();
    granted.queue.grantConsumeMessages(granted.role);
    expect(c05(granted.app)).toEqual([]);
  });

  test('passes the key granted apart: kms:Decrypt on the key, on "*", in another policy, or in a key policy naming the role', () => {
    const onKey = settlement();
    onKey.role.addToPolicy(poll(onKey.queue));
    onKey.key.grantDecrypt(onKey.role);
    expect(c05(onKey.app)).toEqual([]);
    const anywhere = settlement();
    anywhere.role.addToPolicy(poll(anywhere.queue));
    new iam.Policy(anywhere.stack, 'KeyUse', { roles: [anywhere.role], statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] })] });
    expect(c05(anywhere.app)).toEqual([]);
    const byKeyPolicy = settlement();
    byKeyPolicy.role.addToPolicy(poll(byKeyPolicy.queue));
    byKeyPolicy.key.addToResourcePolicy(new iam.PolicyStatement({ principals: [byKeyPolicy.role], actions: ['kms:Decrypt'], resources: ['*'] }));
    expect(c05(byKeyPolicy.app)).toEqual([]);
  });

  test('a key granted for encryption only, or another key, does not let the role read', () => {
    const encryptOnly = settlement();
    encryptOnly.role.addToPolicy(poll(encryptOnly.queue));
    encryptOnly.key.grantEncrypt(encryptOnly.role);
    expect(lines(c05(encryptOnly.app))).toEqual([`${C05} Shop/Settlements/Resource`]);
    const other = settlement();
    other.role.addToPolicy(poll(other.queue));
    new kms.Key(other.stack, 'Other', { enableKeyRotation: true }).grantDecrypt(other.role);
    expect(lines(c05(other.app))).toEqual([`${C05} Shop/Settlements/Resource`]);
  });

  test('judges raw resources: a CfnQueue on a CfnKey whose policy does not delegate to the account and a CfnRole with an inline policy', () => {
    for (const named of [false, true]) {
      const { app, stack } = shop();
      const role = new iam.CfnRole(stack, 'Settler', {
        assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      });
      const admin = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/KeyAdmin' }, Action: 'kms:*', Resource: '*' };
      const reader = { Effect: 'Allow', Principal: { AWS: role.attrArn }, Action: ['kms:Decrypt'], Resource: '*' };
      const key = new kms.CfnKey(stack, 'Key', { enableKeyRotation: true, keyPolicy: { Version: '2012-10-17', Statement: named ? [admin, reader] : [admin] } });
      const queue = new sqs.CfnQueue(stack, 'Settlements', { kmsMasterKeyId: key.attrArn });
      // Even a grant on "*" in the role's own policy does not count: the key policy does not delegate to IAM policies.
      role.policies = [{ policyName: 'Poll', policyDocument: { Statement: [{ Effect: 'Allow', Action: POLL, Resource: queue.attrArn }, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] } }];
      const found = c05(app);
      expect([named, lines(found)]).toEqual([named, named ? [] : [`${C05} Shop/Settlements`]]);
      if (!named) expect(found[0].message).toMatch(/AWS::IAM::Role Settler \(its inline policy allows sqs:ReceiveMessage\)/);
    }
  });

  test('judges roles reading a Kinesis stream on a customer key, and leaves streams on the AWS managed key', () => {
    for (const [encryption, grant, expected] of [
      [kinesis.StreamEncryption.KMS, false, [`${C05} Shop/Trades/Resource`]],
      [kinesis.StreamEncryption.KMS, true, []],
      [kinesis.StreamEncryption.MANAGED, false, []],
    ] as const) {
      const { app, stack, key, role } = settlement();
      const trades = new kinesis.Stream(stack, 'Trades', encryption === kinesis.StreamEncryption.KMS ? { encryption, encryptionKey: key } : { encryption });
      if (grant) trades.grantRead(role);
      else role.addToPolicy(new iam.PolicyStatement({ actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream'], resources: [trades.streamArn] }));
      const found = c05(app);
      expect([encryption, grant, lines(found)]).toEqual([encryption, grant, expected]);
      if (expected.length > 0) expect(found[0].message).toMatch(/every kinesis:GetRecords by it fails/);
    }
  });

  test('judges roles getting the objects of a bucket whose default encryption is a customer key, by a pattern too; leaves SSE-S3, aws/s3 and the bucket ARN alone', () => {
    for (const [encryption, actions, objects, expected] of [
      [s3.BucketEncryption.KMS, ['s3:GetObject'], true, [`${C05} Shop/Statements/Resource`]],
      [s3.BucketEncryption.KMS, ['s3:Get*'], true, [`${C05} Shop/Statements/Resource`]],
      [s3.BucketEncryption.KMS, ['s3:GetObject'], false, []],
      [s3.BucketEncryption.KMS, ['s3:ListBucket'], true, []],
      [s3.BucketEncryption.KMS_MANAGED, ['s3:GetObject'], true, []],
      [s3.BucketEncryption.S3_MANAGED, ['s3:GetObject'], true, []],
    ] as const) {
      const { app, stack, key, role } = settlement();
      const statements = new s3.Bucket(stack, 'Statements', encryption === s3.BucketEncryption.KMS ? { encryption, encryptionKey: key } : { encryption });
      role.addToPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [objects ? statements.arnForObjects('monthly/*') : statements.bucketArn] }));
      const found = c05(app);
      expect([encryption, actions, objects, lines(found)]).toEqual([encryption, actions, objects, expected]);
      if (expected.length > 0) expect(found[0].message).toMatch(/every s3:GetObject by it fails with AccessDenied/);
    }
    const granted = settlement();
    new s3.Bucket(granted.stack, 'Statements', { encryption: s3.BucketEncryption.KMS, encryptionKey: granted.key }).grantRead(granted.role);
    expect(c05(granted.app)).toEqual([]);
  });

  test('fails a distributed map reading its items from a bucket on a customer key (its item reader grants s3:GetObject only) until the workflow may decrypt', () => {
    for (const granted of [false, true]) {
      const { app, stack, key } = settlement();
      const batches = new s3.Bucket(stack, 'Batches', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true });
      const each = new sfn.DistributedMap(stack, 'EachPayment', { itemReader: new sfn.S3JsonItemReader({ bucket: batches, key: 'batch.json' }) });
      each.itemProcessor(new sfn.Pass(stack, 'Pay'));
      const machine = new sfn.StateMachine(stack, 'Payout', { definitionBody: sfn.DefinitionBody.fromChainable(each) });
      if (granted) key.grantDecrypt(machine);
      expect([granted, lines(c05(app))]).toEqual([granted, granted ? [] : [`${C05} Shop/Batches/Resource`]]);
    }
  });

  test('does not judge topics (SNS decrypts for its subscribers), AWS managed keys, or roles whose other grants it cannot read', () => {
    const topic = settlement();
    topic.role.addToPolicy(new iam.PolicyStatement({ actions: ['sns:*'], resources: [new sns.Topic(topic.stack, 'Alerts', { masterKey: topic.key }).topicArn] }));
    expect(c05(topic.app)).toEqual([]);
    const managed = shop();
    const awsKey = new sqs.Queue(managed.stack, 'Settlements', { encryptionMasterKey: kms.Alias.fromAliasName(managed.stack, 'Sqs', 'alias/aws/sqs') });
    new iam.Role(managed.stack, 'Settler', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(poll(awsKey));
    expect(c05(managed.app)).toEqual([]);
    const opaque = settlement();
    opaque.role.addToPolicy(poll(opaque.queue));
    opaque.role.addManagedPolicy(iam.ManagedPolicy.fromManagedPolicyName(opaque.stack, 'TeamPolicy', 'payments-team-readers'));
    expect(c05(opaque.app)).toEqual([]);
  });

  test('follows a role of a nested stack reading its parent\'s queue, and a queue another stack exports', () => {
    const nested = settlement();
    const workers = new NestedStack(nested.stack, 'Workers');
    new iam.Role(workers, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(poll(nested.queue));
    expect(lines(c05(nested.app))).toEqual([`${C05} Shop/Settlements/Resource`]);
    const exported = settlement();
    const consumers = new Stack(exported.app, 'Consumers');
    new iam.Role(consumers, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(poll(exported.queue));
    const [finding] = c05(exported.app);
    expect(lines([finding])).toEqual([`${C05} Shop/Settlements/Resource`]);
    expect(finding.message).toMatch(/AWS::IAM::Role Worker\w+ \(in Consumers\)/);
  });

  describe('CloudFront distributions serving a bucket on a customer key', () => {
    function portal(origin: (site: s3.Bucket) => cloudfront.IOrigin, encryption = s3.BucketEncryption.KMS) {
      const { app, stack } = shop();
      const site = new s3.Bucket(stack, 'Site', { encryption, enforceSSL: true });
      new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: origin(site) } });
      return app;
    }

    test('fails an origin access identity (the deprecated S3Origin uses one), which does not support SSE-KMS; passes an origin access control and SSE-S3', () => {
      const [finding] = c05(portal(site => origins.S3BucketOrigin.withOriginAccessIdentity(site)));
      expect(lines([finding])).toEqual([`${C05} Shop/Site/Resource`]);
      expect(finding.message).toMatch(/AWS::CloudFront::Distribution Cdn\w+ reads it through an origin access identity, .* CloudFront answers 403 for every object\./);
      expect(finding.fix).toContain('S3BucketOrigin.withOriginAccessControl(bucket)');
      expect(lines(c05(portal(site => new origins.S3Origin(site))))).toEqual([`${C05} Shop/Site/Resource`]);
      expect(c05(portal(site => origins.S3BucketOrigin.withOriginAccessControl(site)))).toEqual([]);
      expect(c05(portal(site => origins.S3BucketOrigin.withOriginAccessIdentity(site), s3.BucketEncryption.S3_MANAGED))).toEqual([]);
    });

    test('leaves a distribution whose origin requests run a function at the edge, which may sign them itself', () => {
      const app = portal(site => origins.S3BucketOrigin.withOriginAccessIdentity(site));
      const distribution = app.node.findAll().find((c): c is cloudfront.Distribution => c instanceof cloudfront.Distribution)!;
      (distribution.node.defaultChild as cloudfront.CfnDistribution).addPropertyOverride('DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations',
        [{ EventType: 'origin-request', LambdaFunctionARN: 'arn:aws:lambda:us-east-1:123456789012:function:sign:1' }]);
      expect(c05(app)).toEqual([]);
    });

    /** A raw distribution of `distributionStack` serving a bucket of `stack` through an OAC, the bucket on a raw key with `statements` beside the account's. */
    function rawPortal(statements: (distributionArn: string) => unknown[], crossStack = false, extra?: (stack: Stack, key: kms.CfnKey) => void) {
      const { app, stack } = shop();
      const key = new kms.CfnKey(stack, 'SiteKey', {
        enableKeyRotation: true,
        keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] },
      });
      const site = new s3.CfnBucket(stack, 'Site', {
        bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } }] },
      });
      const distributionStack = crossStack ? new Stack(app, 'Edge') : stack;
      const oac = new cloudfront.CfnOriginAccessControl(distributionStack, 'Oac', {
        originAccessControlConfig: { name: 'site', originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' },
      });
      const distribution = new cloudfront.CfnDistribution(distributionStack, 'Cdn', {
        distributionConfig: {
          enabled: true,
          origins: [{ id: 'site', domainName: site.attrRegionalDomainName, originAccessControlId: oac.attrId, s3OriginConfig: { originAccessIdentity: '' } }],
          defaultCacheBehavior: { targetOriginId: 'site', viewerProtocolPolicy: 'redirect-to-https', cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        },
      });
      const arn = `arn:aws:cloudfront::123456789012:distribution/${distribution.attrId}`;
      (key.keyPolicy as { Statement: unknown[] }).Statement.push(...statements(arn));
      extra?.(stack, key);
      return app;
    }
    test('leaves a key whose policy a custom resource rewrites at deploy time: it names the key, and a policy of the template may PutKeyPolicy on it', () => {
      // The shape of aws-solutions-constructs' CloudFrontToS3 with a customer key: its KmsKeyPolicyUpdater adds the CloudFront statement at deploy time.
      const withUpdater = (options: { put?: unknown; namesKey?: boolean }) => c05(rawPortal(() => [], false, (stack, key) => {
        const role = new iam.CfnRole(stack, 'UpdaterRole', {
          assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        });
        if (options.put !== undefined) {
          new iam.CfnPolicy(stack, 'UpdaterPolicy', {
            policyName: 'updater',
            roles: [role.ref],
            policyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy'], Resource: options.put === 'key' ? key.attrArn : options.put }] },
          });
        }
        new CfnResource(stack, 'KeyPolicyUpdater', {
          type: 'Custom::KmsKeyPolicyUpdater',
          properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:updater', KmsKeyId: options.namesKey === false ? 'another-key' : key.ref, CloudFrontDistributionId: 'E2EXAMPLE' },
        });
      }));
      expect(withUpdater({ put: 'key' })).toEqual([]);
      expect(withUpdater({ put: '*' })).toEqual([]);
      // Without the permission, or naming another key, the custom resource cannot be what lets CloudFront in.
      expect(withUpdater({})).toHaveLength(1);
      expect(withUpdater({ put: 'arn:aws:kms:eu-west-1:123456789012:key/other' })).toHaveLength(1);
      expect(withUpdater({ put: 'key', namesKey: false })).toHaveLength(1);
    });

    const cloudFrontMay = (condition?: unknown) => ({
      Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*', ...condition ? { Condition: condition } : {},
    });

    test('judges raw resources: an origin access control on a key whose policy does not allow CloudFront, across stacks too', () => {
      const [finding] = c05(rawPortal(() => []));
      expect(lines([finding])).toEqual([`${C05} Shop/Site`]);
      expect(finding.message).toMatch(/whose key policy does not allow cloudfront\.amazonaws\.com kms:Decrypt for AWS::CloudFront::Distribution Cdn, which reads it through an origin access control/);
      expect(c05(rawPortal(() => [], true)).map(f => f.message)).toEqual([expect.stringMatching(/for AWS::CloudFront::Distribution Cdn \(in Edge\), which reads/)]);
      expect(c05(rawPortal(() => [cloudFrontMay()]))).toEqual([]);
      expect(c05(rawPortal(arn => [cloudFrontMay({ StringEquals: { 'AWS:SourceArn': arn } })]))).toEqual([]);
      expect(c05(rawPortal(() => [cloudFrontMay({ ArnLike: { 'AWS:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/*' } })]))).toEqual([]);
    });
  });
});
