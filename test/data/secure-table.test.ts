import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureTable } from '../../src/data/secure-table';
import { stackIn, testApp } from '../support/fintech-fixture';

const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };

describe('SecureTable', () => {
  test('customer-key encryption, point-in-time recovery, deletion protection in durable stages', () => {
    const stack = stackIn(testApp(), 'prod');
    const table = new SecureTable(stack, 'Entries', { partitionKey, nameBase: 'entries' });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'ledger-entries-prod',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: stack.resolve(table.dataKey.key.keyArn) },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  test('no deletion protection in ephemeral stages', () => {
    const stack = stackIn(testApp(), 'dev');
    new SecureTable(stack, 'Entries', { partitionKey });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  test('stream consumers bisect, report item failures and send what fails to an encrypted queue', () => {
    const stack = stackIn(testApp(), 'dev');
    const table = new SecureTable(stack, 'Entries', { partitionKey, stream: true });
    const fn = new lambda.Function(stack, 'Audit', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    table.addStreamConsumer(fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EntriesStreamFailuresQueue'), 'Arn'] } } },
    });
  });

  test('a stream consumer without a stream is refused', () => {
    const stack = stackIn(testApp(), 'dev');
    const table = new SecureTable(stack, 'Entries', { partitionKey });
    const fn = new lambda.Function(stack, 'Audit', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(() => table.addStreamConsumer(fn)).toThrow('SecureTable at dev/Workload/Entries: addStreamConsumer needs a stream; set stream: true on the table.');
  });
});
