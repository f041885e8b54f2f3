import { App, Aws, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { keyPolicyForRole } from '../../../src/rules/kms/key-policy';
import { TargetRole, roleMayUseKey, rolesDeniedKey, targetKey, targetRoles } from '../../../src/rules/kms/target-roles';
import { testApp } from '../../support/fintech-fixture';
import { loadTogether, shop } from '../rule-harness';

/** A resource of the app's templates, loaded together as one validation loads them, by construct id in `stack`. */
function load(stack: Stack) {
  const { resourceOf } = loadTogether(stack.node.root as App);
  return { resource: (id: string) => resourceOf(stack.node.findChild(id)) };
}

describe('targetRoles', () => {
  test('finds the roles whose policies allow sending into a queue or publishing to a topic, with all their statements', () => {
    const { stack } = shop();
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    const sender = new iam.Role(stack, 'Sender', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    sender.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:Send*'], resources: [queue.queueArn] }));
    new iam.Policy(stack, 'Extra', { roles: [sender], statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn] })] });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    queue.grantConsumeMessages(reader);
    topic.grantPublish(reader);
    const { resource } = load(stack);
    const toQueue = targetRoles(resource('Queue'), 'send');
    expect(toQueue.map(s => s.role.logicalId)).toEqual([resource('Sender').logicalId]);
    expect(toQueue[0].statements.map(s => s.statement.Action)).toEqual(['sqs:Send*', 'kms:Decrypt']);
    expect(targetRoles(resource('Topic'), 'send').map(s => s.role.logicalId)).toEqual([resource('Reader').logicalId]);
    // grantConsumeMessages allows sqs:ReceiveMessage; nothing receives from a topic.
    expect(targetRoles(resource('Queue'), 'receive').map(s => s.role.logicalId)).toEqual([resource('Reader').logicalId]);
    expect(targetRoles(resource('Topic'), 'receive')).toEqual([]);
  });
});

describe('targetRoles for bucket objects', () => {
  test('finds roles allowed s3:PutObject on a bucket\'s objects, by its ARN or by its name in an s3 ARN; not on the bucket alone or a text ARN', () => {
    const { stack } = shop();
    const bucket = new s3.Bucket(stack, 'Reports', { encryption: s3.BucketEncryption.KMS });
    const role = (id: string, resources: string[], actions = ['s3:PutObject']) =>
      new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(new iam.PolicyStatement({ actions, resources }));
    role('ByArn', [bucket.arnForObjects('daily/*')]);
    role('ByName', [`arn:${Stack.of(stack).partition}:s3:::${bucket.bucketName}/athena/*`]);
    role('ByPattern', [bucket.arnForObjects('*')], ['s3:Put*']);
    role('BucketOnly', [bucket.bucketArn]);
    role('Text', ['arn:aws:s3:::reports-bucket/*']);
    role('Reads', [bucket.arnForObjects('*')], ['s3:GetObject']);
    const { resource } = load(stack);
    expect(targetRoles(resource('Reports'), 'send').map(s => s.role.logicalId).sort()).toEqual(['ByArn', 'ByName', 'ByPattern'].map(id => resource(id).logicalId).sort());
    expect(targetRoles(resource('Reports'), 'receive').map(s => s.role.logicalId)).toEqual([resource('Reads').logicalId]);
  });
});

describe('targetRoles for ARNs joined from a name', () => {
  const reader = (stack: Stack, id: string, resources: string[], actions: string[]) =>
    new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(new iam.PolicyStatement({ actions, resources }));

  test('finds a queue by its QueueName, a topic by its TopicName and a stream by its name in the ARN, as SAM policy templates and Fn::Sub write them', () => {
    const { stack } = shop();
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    // What SQSPollerPolicy, SNSPublishMessagePolicy and KinesisStreamReadPolicy become, and the same ARNs written with Fn::Sub.
    const sub = (text: string, name: string) => Fn.sub(text, { name });
    reader(stack, 'Poller', [sub('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${name}', queue.queueName)], ['sqs:ReceiveMessage']);
    reader(stack, 'Publisher', [sub('arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${name}', topic.topicName)], ['sns:Publish']);
    reader(stack, 'Streamer', [sub('arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${name}', stream.streamName)], ['kinesis:GetRecords']);
    reader(stack, 'Written', [`arn:aws:sqs:${Stack.of(stack).region}:${Stack.of(stack).account}:${queue.queueName}`], ['sqs:SendMessage']);
    const { resource } = load(stack);
    expect(targetRoles(resource('Queue'), 'receive').map(s => s.role.logicalId)).toEqual([resource('Poller').logicalId]);
    expect(targetRoles(resource('Topic'), 'send').map(s => s.role.logicalId)).toEqual([resource('Publisher').logicalId]);
    expect(targetRoles(resource('Stream'), 'receive').map(s => s.role.logicalId)).toEqual([resource('Streamer').logicalId]);
    expect(targetRoles(resource('Queue'), 'send').map(s => s.role.logicalId)).toEqual([resource('Written').logicalId]);
  });

  test('takes the stack\'s literal account and region as its own, and leaves another account or region, a wrong attribute and a mangled name alone', () => {
    const app = testApp();
    const stack = new Stack(app, 'Payouts', { env: { account: '123456789012', region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    reader(stack, 'Own', [`arn:aws:sqs:eu-west-1:123456789012:${queue.queueName}`], ['sqs:ReceiveMessage']);
    reader(stack, 'Pseudo', [`arn:aws:sqs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${queue.queueName}`], ['sqs:ReceiveMessage']);
    reader(stack, 'OtherAccount', [`arn:aws:sqs:eu-west-1:210987654321:${queue.queueName}`], ['sqs:ReceiveMessage']);
    reader(stack, 'OtherRegion', [`arn:aws:sqs:us-east-1:123456789012:${queue.queueName}`], ['sqs:ReceiveMessage']);
    reader(stack, 'ByUrl', [`arn:aws:sqs:eu-west-1:123456789012:${queue.queueUrl}`], ['sqs:ReceiveMessage']);
    reader(stack, 'Suffixed', [`arn:aws:sqs:eu-west-1:123456789012:${queue.queueName}-dlq`], ['sqs:ReceiveMessage']);
    reader(stack, 'OtherService', [`arn:aws:sns:eu-west-1:123456789012:${queue.queueName}`], ['sqs:ReceiveMessage']);
    const { resource } = load(stack);
    expect(targetRoles(resource('Queue'), 'receive').map(s => s.role.logicalId).sort()).toEqual(['Own', 'Pseudo'].map(id => resource(id).logicalId).sort());
  });
});

describe('roleMayUseKey and keyPolicyForRole', () => {
  test('read the role\'s statements and the key policy for one action', () => {
    const { stack } = shop();
    const key = new kms.Key(stack, 'Key');
    const other = new kms.Key(stack, 'Other');
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    const role = new iam.Role(stack, 'Sender', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    other.grantEncrypt(role);
    const named = new iam.Role(stack, 'Named', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [named], actions: ['kms:GenerateDataKey*'], resources: ['*'] }));
    const { resource } = load(stack);
    const [sending] = targetRoles(resource('Queue'), 'send');
    expect(roleMayUseKey(sending.statements, resource('Key'), 'kms:GenerateDataKey')).toBe(false);
    expect(roleMayUseKey(sending.statements, resource('Other'), 'kms:GenerateDataKey')).toBe(true);
    expect(roleMayUseKey(sending.statements, resource('Other'), 'kms:Sign')).toBe(false);
    expect(keyPolicyForRole(resource('Key'), resource('Sender'), 'kms:GenerateDataKey')).toBe('account');
    expect(keyPolicyForRole(resource('Key'), resource('Named'), 'kms:GenerateDataKey')).toBe('direct');
  });
});

describe('rolesDeniedKey and targetKey', () => {
  test('keep the roles neither their policies nor the key policy allow the action, and read each target type\'s key', () => {
    const { stack } = shop();
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });
    new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    new sqs.Queue(stack, 'Plain');
    const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role('Denied').addToPolicy(new iam.PolicyStatement({ actions: ['sqs:ReceiveMessage'], resources: [queue.queueArn] }));
    queue.grantConsumeMessages(role('Granted'));
    const { resource } = load(stack);
    const id = (roles: readonly TargetRole[]) => roles.map(r => r.role.logicalId);
    expect(id(rolesDeniedKey(resource('Key'), targetRoles(resource('Queue'), 'receive'), 'kms:Decrypt'))).toEqual([resource('Denied').logicalId]);
    const keyArn = { 'Fn::GetAtt': [resource('Key').logicalId, 'Arn'] };
    expect(targetKey(resource('Queue'))).toEqual(keyArn);
    expect(targetKey(resource('Bucket'))).toEqual(keyArn);
    expect(targetKey(resource('Plain'))).toBeUndefined();
    expect(targetKey(resource('Key'))).toBeUndefined();
  });
});
