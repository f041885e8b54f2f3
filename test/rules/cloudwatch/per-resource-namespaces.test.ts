import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ACCOUNT_LEVEL_METRICS, PER_RESOURCE_NAMESPACES } from '../../../src/rules/cloudwatch/per-resource-namespaces';

function stack(): Stack {
  return new Stack(new App(), 'Shop');
}

describe('PER_RESOURCE_NAMESPACES', () => {
  test('holds the namespace of the per-resource metrics aws-cdk-lib\'s L2s emit, and every such metric has dimensions', () => {
    const s = stack();
    const restApi = new apigateway.RestApi(s, 'Rest');
    restApi.root.addMethod('GET');
    const metrics = [
      lambda.Function.fromFunctionArn(s, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:capture').metricErrors(),
      sqs.Queue.fromQueueArn(s, 'Queue', 'arn:aws:sqs:eu-west-1:123456789012:orders').metricApproximateAgeOfOldestMessage(),
      restApi.metricServerError(),
      sfn.StateMachine.fromStateMachineArn(s, 'Machine', 'arn:aws:states:eu-west-1:123456789012:stateMachine:settle').metricFailed(),
      dynamodb.Table.fromTableName(s, 'Table', 'ledger').metricConsumedReadCapacityUnits(),
      sns.Topic.fromTopicArn(s, 'Topic', 'arn:aws:sns:eu-west-1:123456789012:events').metricNumberOfNotificationsFailed(),
      kinesis.Stream.fromStreamArn(s, 'Stream', 'arn:aws:kinesis:eu-west-1:123456789012:stream/ledger').metricGetRecordsIteratorAgeMilliseconds(),
    ];
    for (const metric of metrics) {
      expect(PER_RESOURCE_NAMESPACES.has(metric.namespace)).toBe(true);
      expect(Object.keys(metric.dimensions ?? {}).length).toBeGreaterThan(0);
    }
  });

  test('uses CloudWatch\'s exact AWS/ spelling for every namespace', () => {
    for (const namespace of PER_RESOURCE_NAMESPACES) expect(namespace).toMatch(/^AWS\/[A-Za-z]+$/);
    expect(PER_RESOURCE_NAMESPACES.has('aws/lambda')).toBe(false);
  });
});

describe('ACCOUNT_LEVEL_METRICS', () => {
  test('exempts only metrics of per-resource namespaces; an exemption elsewhere would never apply', () => {
    for (const namespace of Object.keys(ACCOUNT_LEVEL_METRICS)) expect(PER_RESOURCE_NAMESPACES.has(namespace)).toBe(true);
  });

  test('holds the account-wide Lambda concurrency metrics aws-cdk-lib offers, which have no dimensions', () => {
    const metrics = [
      lambda.Function.metricAllConcurrentExecutions({ period: Duration.minutes(1) }),
      lambda.Function.metricAllUnreservedConcurrentExecutions(),
    ];
    for (const metric of metrics) {
      expect(metric.dimensions ?? {}).toEqual({});
      expect(ACCOUNT_LEVEL_METRICS[metric.namespace]?.has(metric.metricName)).toBe(true);
    }
  });

  test('does not exempt per-resource failure and request metrics', () => {
    for (const [namespace, name] of [['AWS/Lambda', 'Errors'], ['AWS/Lambda', 'Invocations'], ['AWS/DynamoDB', 'ThrottledRequests'], ['AWS/DynamoDB', 'SystemErrors']]) {
      expect(ACCOUNT_LEVEL_METRICS[namespace]?.has(name)).toBe(false);
    }
    expect(ACCOUNT_LEVEL_METRICS['AWS/SQS']).toBeUndefined();
  });
});
