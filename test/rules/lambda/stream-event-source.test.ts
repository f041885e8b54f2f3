import { App, CfnParameter, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { StreamEventSource } from '../../../src/rules/lambda/stream-event-source';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const ON_FAILURE = StreamEventSource.WITHOUT_ON_FAILURE.id;
const RETRIES = StreamEventSource.UNBOUNDED_RETRIES.id;
const SPLIT = StreamEventSource.WITHOUT_BATCH_SPLITTING.id;

function c12(app: App) {
  return findingsOf(app, [ON_FAILURE, RETRIES, SPLIT], { stage: 'prod' });
}

function consumer(stack: Stack, id: string) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

describe('StreamEventSource', () => {
  test('passes Kinesis and DynamoDB consumers with an on-failure queue, bounded retries and batch splitting; SQS sources are not judged', () => {
    const { app, stack } = shop();
    const failures = new sqs.Queue(stack, 'Failures');
    const stream = new kinesis.Stream(stack, 'Payments');
    consumer(stack, 'Ledger').addEventSource(new sources.KinesisEventSource(stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON, retryAttempts: 3, bisectBatchOnError: true, onFailure: new sources.SqsDlq(failures),
    }));
    const table = new dynamodb.Table(stack, 'Outbox', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    consumer(stack, 'Publisher').addEventSource(new sources.DynamoEventSource(table, {
      startingPosition: lambda.StartingPosition.LATEST,
      maxRecordAge: Duration.hours(6),
      reportBatchItemFailures: true,
      onFailure: new sources.SqsDlq(failures),
    }));
    consumer(stack, 'Worker').addEventSource(new sources.SqsEventSource(failures, { reportBatchItemFailures: true }));
    expect(c12(app)).toEqual([]);
  });

  test('fails the KinesisEventSource defaults: no on-failure destination, retries until the records expire, no batch splitting', () => {
    const { app, stack } = shop();
    consumer(stack, 'Ledger').addEventSource(new sources.KinesisEventSource(new kinesis.Stream(stack, 'Payments'), { startingPosition: lambda.StartingPosition.LATEST }));
    const findings = c12(app);
    expect(lines(findings).map(line => line.replace(/ShopPayments[0-9A-F]{8}/, 'ShopPayments'))).toEqual(
      [RETRIES, SPLIT, ON_FAILURE].map(id => `${id} Shop/Ledger/KinesisEventSource:ShopPayments/Resource`));
    expect(findings.find(f => f.ruleId === ON_FAILURE)!.message).toMatch(/^AWS::Lambda::EventSourceMapping \S+ reads a Kinesis stream without DestinationConfig OnFailure, so the batches it skips leave no record\.$/);
    expect(findings.every(f => f.severity === 'error')).toBe(true);
  });

  test('fails a raw mapping on a DynamoDB stream ARN with retries -1', () => {
    const { app, stack } = shop();
    new lambda.CfnEventSourceMapping(stack, 'Raw', {
      functionName: 'publisher',
      eventSourceArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/outbox/stream/2026-01-01T00:00:00.000',
      startingPosition: 'LATEST',
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: true,
      destinationConfig: { onFailure: { destination: 'arn:aws:sqs:eu-west-1:123456789012:failures' } },
    });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${RETRIES} Shop/Raw`]);
    expect(findings[0].message).toContain('reads a DynamoDB stream with MaximumRetryAttempts and MaximumRecordAgeInSeconds unset or -1');
  });

  describe('Kafka', () => {
    const CLUSTER_ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/card-events/0f6e1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b-4';
    const PROVISIONED = { minimumPollers: 1, maximumPollers: 3 };

    test('judges a mapping in provisioned mode like a stream; with an on-failure destination Lambda caps its retries at 10 itself', () => {
      const { app, stack } = shop();
      const failures = new sqs.Queue(stack, 'Failures');
      // No destination: retries forever, and no record of what would be skipped.
      consumer(stack, 'Bare').addEventSource(new sources.ManagedKafkaEventSource({
        clusterArn: CLUSTER_ARN, topic: 'authorizations', startingPosition: lambda.StartingPosition.TRIM_HORIZON, provisionedPollerConfig: PROVISIONED,
      }));
      // A destination and batch splitting: the default infinite retries are capped by Lambda.
      consumer(stack, 'Kept').addEventSource(new sources.ManagedKafkaEventSource({
        clusterArn: CLUSTER_ARN,
        topic: 'settlements',
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        provisionedPollerConfig: PROVISIONED,
        onFailure: new sources.SqsDlq(failures),
        reportBatchItemFailures: true,
      }));
      const findings = c12(app);
      expect(lines(findings).map(line => line.replace(/KafkaEventSource:[^/]+/, 'KafkaEventSource'))).toEqual(
        [RETRIES, SPLIT, ON_FAILURE].map(id => `${id} Shop/Bare/KafkaEventSource/Resource`));
      expect(findings.find(f => f.ruleId === RETRIES)!.message).toMatch(
        /^AWS::Lambda::EventSourceMapping \S+ reads a Kafka topic in provisioned mode with MaximumRetryAttempts and MaximumRecordAgeInSeconds unset or -1, so one failing batch blocks its partition forever\.$/);
    });

    test('judges an MSK cluster of the template and a self-managed cluster, in provisioned mode only', () => {
      const { app, stack } = shop();
      const cluster = new msk.CfnServerlessCluster(stack, 'Events', {
        clusterName: 'card-events',
        clientAuthentication: { sasl: { iam: { enabled: true } } },
        vpcConfigs: [{ subnetIds: ['subnet-0123456789abcdef0'] }],
      });
      const mapping = (id: string, props: Partial<lambda.CfnEventSourceMappingProps>) => new lambda.CfnEventSourceMapping(stack, id, {
        functionName: 'record-authorization', topics: ['authorizations'], startingPosition: 'TRIM_HORIZON', ...props,
      });
      mapping('Managed', { eventSourceArn: cluster.attrArn, provisionedPollerConfig: { minimumPollers: 1 }, maximumRetryAttempts: 3, bisectBatchOnFunctionError: true });
      mapping('SelfManaged', {
        selfManagedEventSource: { endpoints: { kafkaBootstrapServers: ['broker-1.cards.example.com:9096'] } },
        provisionedPollerConfig: { minimumPollers: 1 },
        destinationConfig: { onFailure: { destination: 'arn:aws:sqs:eu-west-1:123456789012:failures' } },
        functionResponseTypes: ['ReportBatchItemFailures'],
      });
      // On-demand mode has no retry controls: not judged, whatever it sets.
      mapping('OnDemand', { eventSourceArn: cluster.attrArn });
      mapping('OnDemandLiteral', { eventSourceArn: CLUSTER_ARN });
      // Unknown poller configuration.
      mapping('Chosen', { eventSourceArn: CLUSTER_ARN, provisionedPollerConfig: new CfnParameter(stack, 'Pollers', { type: 'String' }).valueAsString as never });
      expect(lines(c12(app))).toEqual([`${ON_FAILURE} Shop/Managed`]);
    });

    test('the CDK default Kafka source, in on-demand mode, is not judged', () => {
      const { app, stack } = shop();
      consumer(stack, 'Bare').addEventSource(new sources.ManagedKafkaEventSource({ clusterArn: CLUSTER_ARN, topic: 'authorizations', startingPosition: lambda.StartingPosition.LATEST }));
      expect(c12(app)).toEqual([]);
    });
  });

  test('leaves unreadable sources and intrinsic settings alone', () => {
    const { app, stack } = shop();
    const source = new CfnParameter(stack, 'SourceArn', { type: 'String', allowedPattern: '^arn:.*' });
    new lambda.CfnEventSourceMapping(stack, 'ByParameter', { functionName: 'f', eventSourceArn: source.valueAsString, startingPosition: 'LATEST' });
    const flag = new CfnParameter(stack, 'Bisect', { type: 'String', allowedValues: ['true', 'false'] });
    new lambda.CfnEventSourceMapping(stack, 'Intrinsic', {
      functionName: 'f',
      eventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/payments',
      startingPosition: 'LATEST',
      maximumRetryAttempts: 3,
      destinationConfig: { onFailure: { destination: 'arn:aws:sqs:eu-west-1:123456789012:failures' } },
    }).addPropertyOverride('BisectBatchOnFunctionError', flag.valueAsString);
    expect(c12(app)).toEqual([]);
  });

  test('judges the mappings of a nested stack reading a stream or a table\'s stream its parent passes in, not the table itself', () => {
    const { app, stack } = shop();
    const stream = new kinesis.Stream(stack, 'Payments');
    const table = new dynamodb.Table(stack, 'Outbox', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    const jobs = new NestedStack(stack, 'Jobs');
    const fn = consumer(jobs, 'Ledger');
    const from = (id: string, eventSourceArn: string) =>
      new lambda.EventSourceMapping(jobs, id, { target: fn, eventSourceArn, startingPosition: lambda.StartingPosition.TRIM_HORIZON });
    from('FromStream', stream.streamArn);
    from('FromTableStream', table.tableStreamArn!);
    from('FromTableArn', table.tableArn);
    const findings = c12(app);
    expect(lines(findings)).toEqual([ON_FAILURE, RETRIES, SPLIT].flatMap(id => [`${id} Shop/Jobs/FromStream/Resource`, `${id} Shop/Jobs/FromTableStream/Resource`]).sort());
    expect(findings.find(f => f.ruleId === ON_FAILURE && f.constructPath === 'Shop/Jobs/FromTableStream/Resource')!.message).toContain('reads a DynamoDB stream');
    expect(findings.find(f => f.ruleId === ON_FAILURE && f.constructPath === 'Shop/Jobs/FromStream/Resource')!.message).toContain('reads a Kinesis stream');
  });

  test('judges a mapping of one stack reading a stream another stack exports', () => {
    const app = testApp();
    const stream = new kinesis.Stream(new Stack(app, 'Data'), 'Payments');
    const compute = new Stack(app, 'Compute');
    new lambda.EventSourceMapping(compute, 'FromStream', { target: consumer(compute, 'Ledger'), eventSourceArn: stream.streamArn, startingPosition: lambda.StartingPosition.LATEST });
    expect(lines(c12(app))).toEqual([ON_FAILURE, RETRIES, SPLIT].map(id => `${id} Compute/FromStream/Resource`).sort());
  });
});
