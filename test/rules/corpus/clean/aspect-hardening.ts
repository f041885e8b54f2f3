import { App, Aspects, CfnResource, Duration, IAspect, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { ENV, alertTopic, dataKey, errorRateAlarm, firstMessageAlarm, isDurable, tagWorkload } from '../careful-team';

/** The platform team's aspect: tracing on every function, and the stage's removal policy on every log group and queue. */
class PlatformBaseline implements IAspect {
  constructor(private readonly stage: string) {}

  public visit(node: IConstruct): void {
    if (node instanceof lambda.CfnFunction) node.tracingConfig = { mode: 'Active' };
    if (node instanceof logs.CfnLogGroup || node instanceof sqs.CfnQueue) {
      (node as CfnResource).applyRemovalPolicy(isDurable(this.stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
    }
  }
}

/** Resources written without tracing or removal policies; an aspect sets both after construction. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Chargebacks-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'chargebacks');
  Aspects.of(stack).add(new PlatformBaseline(stage));
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // No removal policies here: the aspect decides them per stage.
  const dlq = new sqs.Queue(stack, 'DisputesDlq', { encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14) });
  const queue = new sqs.Queue(stack, 'Disputes', {
    encryptionMasterKey: key,
    enforceSSL: true,
    visibilityTimeout: Duration.minutes(3),
    deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
  });
  const logGroup = new logs.LogGroup(stack, 'HandleDisputeLogs', { retention: logs.RetentionDays.SIX_MONTHS });
  const fn = new lambda.Function(stack, 'HandleDispute', {
    runtime: lambda.Runtime.PYTHON_3_13,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return {"batchItemFailures": []}\n'),
    memorySize: 256,
    timeout: Duration.seconds(30),
    logGroup,
  });
  fn.addEventSource(new sources.SqsEventSource(queue, { reportBatchItemFailures: true }));
  errorRateAlarm(stack, 'HandleDisputeErrors', fn, topic);
  firstMessageAlarm(stack, 'DisputesDlqAlarm', dlq, topic);
}
