import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, protectApiStage, removalFor, tagWorkload, restStageOptions } from '../careful-team';

/** One stack: a REST API with WAF, throttling, access logs and tracing, a Lambda handler and a DynamoDB table. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `PaymentsApi-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'payments-api');
  const key = dataKey(stack, 'DataKey', stage);
  const topic = alertTopic(stack, key);

  const table = new dynamodb.TableV2(stack, 'Payments', {
    partitionKey: { name: 'paymentId', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
  });
  const fn = handler(stack, 'CreatePayment', stage, { environment: { TABLE_NAME: table.tableName } });
  table.grantReadWriteData(fn);
  errorRateAlarm(stack, 'CreatePaymentErrors', fn, topic);

  const api = new apigateway.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    deployOptions: { ...restStageOptions(stack, stage, 100), metricsEnabled: true },
  });
  api.root.addResource('payments').addMethod('POST', new apigateway.LambdaIntegration(fn), { authorizationType: apigateway.AuthorizationType.IAM });

  // 20 requests per second from one address, over the 5-minute window WAF counts in.
  protectApiStage(stack, 'payments-api', api.deploymentStage.stageArn, 6000);
}
