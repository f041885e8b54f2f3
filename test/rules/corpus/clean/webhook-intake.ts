import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { ENV, alertTopic, dataKey, errorRateAlarm, firstMessageAlarm, handler, protectApiStage, rateAlarm, restStageOptions, tagWorkload, workQueue } from '../careful-team';

/**
 * Storage-first webhook intake: the REST API (IAM auth, WAF, throttling, access logs) writes each webhook straight to an
 * encrypted queue through an AWS integration whose role may send to it, and a worker drains the queue with partial batch
 * failures. With `handWrittenSend` (a defect app), the role's policy allows sqs:SendMessage by hand, without the key.
 */
export function build(app: App, stage: string, { handWrittenSend = false }: { readonly handWrittenSend?: boolean } = {}): void {
  const stack = new Stack(app, `WebhookIntake-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'webhook-intake');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const { queue, dlq } = workQueue(stack, 'Webhooks', key, stage);
  firstMessageAlarm(stack, 'WebhooksDlqAlarm', dlq, topic);
  const credentials = new iam.Role(stack, 'ApiToQueue', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
  // The grant covers the queue's key too; a hand-written sqs:SendMessage statement (the defect app) would not.
  if (handWrittenSend) credentials.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  else queue.grantSendMessages(credentials);
  const api = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: { ...restStageOptions(stack, stage, 50), metricsEnabled: true } });
  const send = new apigateway.AwsIntegration({
    service: 'sqs',
    path: `${ENV.account}/${queue.queueName}`,
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole: credentials,
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
      integrationResponses: [{ statusCode: '202', responseTemplates: { 'application/json': '{"accepted":true}' } }, { statusCode: '500', selectionPattern: '5\\d{2}' }],
    },
  });
  api.root.addResource('webhooks').addMethod('POST', send, {
    authorizationType: apigateway.AuthorizationType.IAM,
    methodResponses: [{ statusCode: '202' }, { statusCode: '500' }],
  });
  protectApiStage(stack, 'webhook-intake', api.deploymentStage.stageArn, 3000);
  rateAlarm(stack, 'Api5xx', api.metricServerError({ statistic: 'Sum' }), api.metricCount({ statistic: 'Sum' }), { description: 'Webhook intake 5xx rate above 1%: check the queue and the integration role, runbook https://wiki.example.com/runbooks/intake', threshold: 1, topic });
  const worker = handler(stack, 'Process', stage, { timeout: Duration.seconds(30) });
  worker.addEventSource(new sources.SqsEventSource(queue, { batchSize: 10, reportBatchItemFailures: true }));
  errorRateAlarm(stack, 'ProcessErrors', worker, topic);
}
