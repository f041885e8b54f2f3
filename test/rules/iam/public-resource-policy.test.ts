import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PublicResourcePolicy } from '../../../src/rules/iam/public-resource-policy';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = PublicResourcePolicy.INFO.id;

function fn(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

describe('PublicResourcePolicy', () => {
  test('passes the policies CDK writes for grants, subscriptions, TLS-only denies and key access through a service', () => {
    const { app, stack } = shop();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const bucket = new s3.Bucket(stack, 'Statements', { enforceSSL: true });
    bucket.grantRead(new iam.AccountPrincipal('123456789012'));
    const queue = new sqs.Queue(stack, 'Inbound', { enforceSSL: true });
    new sns.Topic(stack, 'Events').addSubscription(new subscriptions.SqsSubscription(queue));
    new secretsmanager.Secret(stack, 'Signing', { encryptionKey: new kms.Key(stack, 'SecretKey') }).grantRead(role);
    // The shape AWS documents for a key used through a service: Principal AWS "*" tied to the account by kms:CallerAccount.
    new kms.CfnKey(stack, 'ViaService', {
      keyPolicy: {
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        }],
      },
    });
    // A condition naming the callers makes "*" a known set.
    queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    }));
    fn(stack).addPermission('FromBucket', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: bucket.bucketArn });
    expect(findingsOf(app, [ID])).toEqual([]);
  });

  test('fails a bucket and a queue policy that allow "*", naming the statements and actions', () => {
    const { app, stack } = shop();
    const bucket = new s3.Bucket(stack, 'Site', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
    bucket.grantPublicAccess();
    const queue = new sqs.Queue(stack, 'Open');
    queue.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    // A condition that does not name callers (here, TLS) leaves the statement open.
    queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.StarPrincipal()], actions: ['sqs:GetQueueUrl'], resources: [queue.queueArn], conditions: { Bool: { 'aws:SecureTransport': 'true' } },
    }));
    const findings = findingsOf(app, [ID]);
    expect(lines(findings)).toEqual([`${ID} Shop/Open/Policy/Resource`, `${ID} Shop/Site/Policy/Resource`]);
    const queueFinding = findings.find(f => f.constructPath === 'Shop/Open/Policy/Resource')!;
    expect(queueFinding).toMatchObject({ severity: 'error', locations: ['Properties/PolicyDocument/Statement/0', 'Properties/PolicyDocument/Statement/1'] });
    expect(queueFinding.message).toMatch(/^AWS::SQS::QueuePolicy OpenPolicy[0-9A-F]{8} allows Principal "\*" to "sqs:SendMessage", "sqs:GetQueueUrl" with no condition naming the callers \(PolicyDocument\/Statement\/0; PolicyDocument\/Statement\/1\)/);
    expect(findings.find(f => f.constructPath === 'Shop/Site/Policy/Resource')!.message).toContain('to "s3:GetObject"');
  });

  test('fails "*" whose naming condition is itself only "*", and passes one that names an account beside a wildcard', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Intake');
    queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()], actions: ['sqs:SendMessage'], resources: [queue.queueArn], conditions: { StringLike: { 'aws:SourceAccount': '*' } },
    }));
    const topic = new sns.Topic(stack, 'Events');
    topic.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': ['*'] } },
    }));
    const named = new sqs.Queue(stack, 'Named');
    named.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['sqs:SendMessage'],
      resources: [named.queueArn],
      conditions: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:123456789012:*' } },
    }));
    expect(lines(findingsOf(app, [ID]))).toEqual([`${ID} Shop/Events/Policy/Resource`, `${ID} Shop/Intake/Policy/Resource`]);
  });

  test('fails an Allow with NotPrincipal, which grants every principal but those it names; a Deny with NotPrincipal passes', () => {
    const { app, stack } = shop();
    new s3.CfnBucketPolicy(stack, 'AllButAuditors', {
      bucket: 'statements',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/auditor' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::statements/*' },
          { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:role/writer' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::statements/*' },
        ],
      },
    });
    const findings = findingsOf(app, [ID]);
    expect(lines(findings)).toEqual([`${ID} Shop/AllButAuditors`]);
    expect(findings[0]).toMatchObject({ locations: ['Properties/PolicyDocument/Statement/0'] });
    expect(findings[0].message).toMatch(/^AWS::S3::BucketPolicy AllButAuditors allows every principal but those its NotPrincipal names to "s3:GetObject" with no condition naming the callers/);
  });

  test('fails a key policy with { AWS: "*" } and a topic policy written as L1, and lets Deny statements use "*"', () => {
    const { app, stack } = shop();
    new kms.CfnKey(stack, 'Shared', {
      keyPolicy: { Statement: { Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'kms:Decrypt', Resource: '*' } },
    });
    new sns.CfnTopicPolicy(stack, 'TopicPolicy', {
      topics: ['arn:aws:sns:eu-west-1:123456789012:alerts'],
      policyDocument: {
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*' },
        ],
      },
    });
    const findings = findingsOf(app, [ID]);
    expect(lines(findings)).toEqual([`${ID} Shop/Shared`, `${ID} Shop/TopicPolicy`]);
    expect(findings.find(f => f.constructPath === 'Shop/Shared')!.locations).toEqual(['Properties/KeyPolicy/Statement']);
    expect(findings.find(f => f.constructPath === 'Shop/TopicPolicy')!.locations).toEqual(['Properties/PolicyDocument/Statement/1']);
  });

  test('fails a Lambda permission and a function URL for "*" without a source, and passes one scoped to an account', () => {
    const { app, stack } = shop();
    const handler = fn(stack);
    handler.addPermission('Anyone', { principal: new iam.AnyPrincipal() });
    handler.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    handler.addPermission('Partner', { principal: new iam.AnyPrincipal(), sourceAccount: '123456789012' });
    const findings = findingsOf(app, [ID]);
    expect(lines(findings)).toEqual([`${ID} Shop/Handler/Anyone`, `${ID} Shop/Handler/invoke-function-url`]);
    expect(findings.find(f => f.constructPath === 'Shop/Handler/Anyone')!.message)
      .toMatch(/^AWS::Lambda::Permission HandlerAnyone[0-9A-F]{8} allows "lambda:InvokeFunction" to Principal "\*" with no SourceArn, SourceAccount or PrincipalOrgID, so/);
    expect(findings.find(f => f.constructPath === 'Shop/Handler/invoke-function-url')!.message).toContain('a function URL without authentication: anyone on the internet');
  });
});
