import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

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

  const accessLogs = new logs.LogGroup(stack, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const api = new apigateway.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    deployOptions: {
      stageName: stage,
      tracingEnabled: true,
      throttlingRateLimit: 100,
      throttlingBurstLimit: 200,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      metricsEnabled: true,
    },
  });
  api.root.addResource('payments').addMethod('POST', new apigateway.LambdaIntegration(fn), { authorizationType: apigateway.AuthorizationType.IAM });

  const acl = new wafv2.CfnWebACL(stack, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'payments-api', sampledRequestsEnabled: true },
    rules: [
      {
        name: 'common',
        priority: 0,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'common', sampledRequestsEnabled: true },
      },
      {
        name: 'rate',
        priority: 1,
        action: { block: {} },
        // 20 requests per second from one address, over the 5-minute window WAF counts in.
        statement: { rateBasedStatement: { limit: 6000, aggregateKeyType: 'IP' } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rate', sampledRequestsEnabled: true },
      },
    ],
  });
  new wafv2.CfnWebACLAssociation(stack, 'WebAclAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
}
