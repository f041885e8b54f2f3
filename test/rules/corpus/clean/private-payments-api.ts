import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as stepfunctions from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, handler, protectApiStage, rateAlarm, removalFor, restStageOptions, tagWorkload } from '../careful-team';

/**
 * An internal payments API reachable only from the bank's VPC: a PRIVATE REST API whose resource policy admits calls
 * through one interface endpoint and denies every other path, in front of an Express state machine that validates a
 * payment with a function and records it in a table (synchronous execution, full logging, tracing).
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `InternalPayments-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'internal-payments');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const endpoint = vpc.addInterfaceEndpoint('ExecuteApi', { service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY, privateDnsEnabled: true });

  const payments = dataTable(stack, 'Payments', 'paymentId', key, stage);
  const validate = handler(stack, 'ValidatePayment', stage);
  errorRateAlarm(stack, 'ValidatePaymentErrors', validate, topic);
  const check = new tasks.LambdaInvoke(stack, 'Validate', { lambdaFunction: validate, outputPath: '$.Payload', retryOnServiceExceptions: true });
  check.addRetry({ errors: ['States.Timeout'], maxAttempts: 2, backoffRate: 2, interval: Duration.seconds(1) });
  const record = new tasks.DynamoPutItem(stack, 'Record', {
    table: payments,
    item: { paymentId: tasks.DynamoAttributeValue.fromString(stepfunctions.JsonPath.stringAt('$.paymentId')) },
    conditionExpression: 'attribute_not_exists(paymentId)',
  });
  record.addRetry({ errors: ['DynamoDB.ProvisionedThroughputExceededException'], maxAttempts: 3, backoffRate: 2 });
  const rejected = new stepfunctions.Fail(stack, 'Rejected', { error: 'PaymentRejected' });
  check.addCatch(rejected, { errors: ['States.ALL'] });
  record.addCatch(rejected, { errors: ['States.ALL'] });
  const workflowLogs = new logs.LogGroup(stack, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const workflow = new stepfunctions.StateMachine(stack, 'Workflow', {
    stateMachineType: stepfunctions.StateMachineType.EXPRESS,
    definitionBody: stepfunctions.DefinitionBody.fromChainable(check.next(record)),
    tracingEnabled: true,
    timeout: Duration.seconds(30),
    logs: { destination: workflowLogs, level: stepfunctions.LogLevel.ALL, includeExecutionData: false },
  });
  rateAlarm(stack, 'WorkflowFailures', workflow.metricFailed({ statistic: 'Sum' }), workflow.metricStarted({ statistic: 'Sum' }), {
    description: 'Payment workflow failure rate above 2%: check the workflow logs, runbook https://wiki.example.com/runbooks/internal-payments',
    threshold: 2,
    topic,
  });

  const api = new apigateway.StepFunctionsRestApi(stack, 'Api', {
    stateMachine: workflow,
    cloudWatchRole: false,
    endpointConfiguration: { types: [apigateway.EndpointType.PRIVATE], vpcEndpoints: [endpoint] },
    policy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
          conditions: { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
        }),
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['execute-api:Invoke'],
          resources: ['execute-api:/*'],
          conditions: { StringNotEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
        }),
      ],
    }),
    defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
    deployOptions: restStageOptions(stack, stage, 100),
  });
  protectApiStage(stack, 'internal-payments', api.deploymentStage.stageArn, 6000);
}
