import { App, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { EventSourceBatchFailures } from '../../../src/rules/lambda/event-source-batch-failures';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C12 = EventSourceBatchFailures.INFO.id;

function c12(app: App) {
  return findingsOf(app, [C12]);
}

function handler(stack: Stack, id: string) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), timeout: Duration.seconds(5) });
}

describe('Fintech-C12-QueueBatchWithoutPartialFailures', () => {
  test('fails an L2 SQS event source without reportBatchItemFailures and passes one with it', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(30) });
    handler(stack, 'Whole').addEventSource(new SqsEventSource(queue));
    handler(stack, 'Partial').addEventSource(new SqsEventSource(queue, { reportBatchItemFailures: true }));
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Whole/SqsEventSource:ShopQueue2BB62074/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/FunctionResponseTypes'],
      message: expect.stringMatching(/^AWS::Lambda::EventSourceMapping WholeSqsEventSource\w+ reads an SQS queue without FunctionResponseTypes \["ReportBatchItemFailures"\]/),
      fix: expect.stringContaining('SecureQueue.addConsumer'),
    });
  });

  test('judges L1 mappings from literal and joined SQS ARNs, and leaves streams alone', () => {
    const { app, stack } = shop();
    const fn = handler(stack, 'Fn');
    new lambda.CfnEventSourceMapping(stack, 'Literal', { functionName: fn.functionName, eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders' });
    new lambda.CfnEventSourceMapping(stack, 'Joined', { functionName: fn.functionName, eventSourceArn: Fn.join('', ['arn:', Fn.ref('AWS::Partition'), ':sqs:eu-west-1:123456789012:orders']) });
    new lambda.CfnEventSourceMapping(stack, 'Subbed', { functionName: fn.functionName, eventSourceArn: Fn.sub('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders') });
    new lambda.CfnEventSourceMapping(stack, 'Reported', {
      functionName: fn.functionName, eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders', functionResponseTypes: ['ReportBatchItemFailures'],
    });
    new lambda.CfnEventSourceMapping(stack, 'Kinesis', { functionName: fn.functionName, eventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s', startingPosition: 'LATEST' });
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    fn.addEventSource(new DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));
    expect(lines(c12(app))).toEqual([`${C12} Shop/Joined`, `${C12} Shop/Literal`, `${C12} Shop/Subbed`]);
  });

  test('leaves a mapping with a batch of one message alone, and judges a batch of two', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Settlements', { fifo: true, visibilityTimeout: Duration.seconds(30) });
    handler(stack, 'InOrder').addEventSource(new SqsEventSource(queue, { batchSize: 1 }));
    handler(stack, 'Pairs').addEventSource(new SqsEventSource(queue, { batchSize: 2 }));
    const fn = handler(stack, 'Raw');
    // Raw templates may write numbers as strings.
    new lambda.CfnEventSourceMapping(stack, 'OneAsText', { functionName: fn.functionName, eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders' })
      .addPropertyOverride('BatchSize', '1');
    expect(lines(c12(app))).toEqual([`${C12} Shop/Pairs/SqsEventSource:ShopSettlementsF70DB04B/Resource`]);
  });

  test('catches an escape hatch that drops the response types', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Queue');
    const fn = handler(stack, 'Fn');
    fn.addEventSource(new SqsEventSource(queue, { reportBatchItemFailures: true }));
    const mapping = fn.node.findAll().find(c => c instanceof lambda.CfnEventSourceMapping) as lambda.CfnEventSourceMapping;
    mapping.addPropertyOverride('FunctionResponseTypes', []);
    expect(lines(c12(app))).toEqual([`${C12} Shop/Fn/SqsEventSource:ShopQueue2BB62074/Resource`]);
  });

  test('reports nothing on unresolvable sources and response types, or odd shapes', () => {
    const { app, stack } = shop();
    const fn = handler(stack, 'Fn');
    new lambda.CfnEventSourceMapping(stack, 'Imported', { functionName: fn.functionName, eventSourceArn: Fn.importValue('QueueArn') });
    new lambda.CfnEventSourceMapping(stack, 'Conditional', { functionName: fn.functionName, eventSourceArn: Fn.conditionIf('C', 'a', 'b').toString() });
    new lambda.CfnEventSourceMapping(stack, 'IntrinsicTypes', { functionName: fn.functionName, eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders' })
      .addPropertyOverride('FunctionResponseTypes', Fn.split(',', 'ReportBatchItemFailures'));
    new lambda.CfnEventSourceMapping(stack, 'IntrinsicType', { functionName: fn.functionName, eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders' })
      .addPropertyOverride('FunctionResponseTypes', [{ 'Fn::If': ['C', 'ReportBatchItemFailures', { Ref: 'AWS::NoValue' }] }]);
    new lambda.CfnEventSourceMapping(stack, 'NoSource', { functionName: fn.functionName });
    expect(c12(app)).toEqual([]);
  });

  test('judges the mappings of a nested stack reading a queue its parent passes in', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Orders', { visibilityTimeout: Duration.seconds(30) });
    const jobs = new NestedStack(stack, 'Jobs');
    const fn = handler(jobs, 'Fulfil');
    new lambda.EventSourceMapping(jobs, 'Whole', { target: fn, eventSourceArn: queue.queueArn });
    new lambda.EventSourceMapping(jobs, 'Partial', { target: fn, eventSourceArn: queue.queueArn, reportBatchItemFailures: true });
    expect(lines(c12(app))).toEqual([`${C12} Shop/Jobs/Whole/Resource`]);
  });

  test('judges a mapping of one stack reading a queue another stack exports', () => {
    const app = testApp();
    const queue = new sqs.Queue(new Stack(app, 'Data'), 'Orders', { visibilityTimeout: Duration.seconds(30) });
    const compute = new Stack(app, 'Compute');
    const fn = handler(compute, 'Fulfil');
    new lambda.EventSourceMapping(compute, 'Whole', { target: fn, eventSourceArn: queue.queueArn });
    new lambda.EventSourceMapping(compute, 'Partial', { target: fn, eventSourceArn: queue.queueArn, reportBatchItemFailures: true });
    expect(lines(c12(app))).toEqual([`${C12} Compute/Whole/Resource`]);
  });
});
