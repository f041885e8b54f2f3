import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BucketEncryptionMode, SecureBucket } from '../../src/data/secure-bucket';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTable } from '../../src/data/secure-table';
import { SecureTopic } from '../../src/data/secure-topic';
import { KeyConsumer } from '../../src/encryption/data-key';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

// Secure by default means the rule pack finds nothing to report on what the data constructs create.
test('every data construct, with names, consumers and grants, passes the rule pack in both kinds of stage', () => {
  const app = testApp();
  for (const stage of ['dev', 'prod'] as const) {
    const stack = stackIn(app, stage);
    const logs = new SecureBucket(stack, 'AccessLogs', { encryption: BucketEncryptionMode.S3_MANAGED, nameBase: 'access-logs' });
    new SecureBucket(stack, 'Statements', { nameBase: 'statements', accessLogsBucket: logs });
    const queue = new SecureQueue(stack, 'Payments', { nameBase: 'payments', visibilityTimeout: Duration.seconds(180) });
    const topic = new SecureTopic(stack, 'Events', { nameBase: 'events', email: 'oncall@example.com' });
    topic.subscribeQueue(queue);
    topic.allowPublisher(KeyConsumer.CLOUDWATCH);
    const table = new SecureTable(stack, 'Entries', { nameBase: 'entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: true });
    const fn = new lambda.Function(stack, 'Consumer', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), timeout: Duration.seconds(30), tracing: lambda.Tracing.ACTIVE,
    });
    queue.addConsumer(fn);
    table.addStreamConsumer(fn);
  }
  const { violations } = synthReport(app);
  // The plain lambda.Function here lacks what TracedFunction will add (its log group is not encrypted): only warnings may remain.
  expect(violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
});
