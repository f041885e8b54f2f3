import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, handler, isDurable, rateAlarm, removalFor, tagWorkload } from '../careful-team';

/**
 * The mobile app's GraphQL API (AppSync): customers signed in through Cognito read balances straight from DynamoDB
 * and start transfers through a function; field-level logs (errors) kept a year, X-Ray on, a regional web ACL, and
 * the API's 5xx rate and the function's error rate page the team.
 */
export function build(app: App, stage: string, defects: { readonly requestLogsOff?: boolean } = {}): void {
  const stack = new Stack(app, `MobileBanking-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'mobile-banking');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const customers = new cognito.UserPool(stack, 'Customers', {
    selfSignUpEnabled: false,
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { sms: false, otp: true },
    passwordPolicy: { minLength: 14 },
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
  });
  const accounts = dataTable(stack, 'Accounts', 'accountId', key, stage);
  const transfer = handler(stack, 'StartTransfer', stage, { timeout: Duration.seconds(15) });
  errorRateAlarm(stack, 'StartTransferErrors', transfer, topic);

  const api = new appsync.GraphqlApi(stack, 'Api', {
    name: `mobile-banking-${stage}`,
    definition: appsync.Definition.fromFile(path.join(__dirname, 'templates', 'mobile-banking.graphql')),
    authorizationConfig: {
      defaultAuthorization: { authorizationType: appsync.AuthorizationType.USER_POOL, userPoolConfig: { userPool: customers } },
    },
    logConfig: defects.requestLogsOff
      ? undefined
      : { fieldLogLevel: appsync.FieldLogLevel.ERROR, excludeVerboseContent: true, retention: logs.RetentionDays.ONE_YEAR },
    xrayEnabled: true,
    introspectionConfig: isDurable(stage) ? appsync.IntrospectionConfig.DISABLED : appsync.IntrospectionConfig.ENABLED,
  });
  api.addDynamoDbDataSource('AccountsSource', accounts).createResolver('AccountResolver', {
    typeName: 'Query',
    fieldName: 'account',
    requestMappingTemplate: appsync.MappingTemplate.dynamoDbGetItem('accountId', 'accountId'),
    responseMappingTemplate: appsync.MappingTemplate.dynamoDbResultItem(),
  });
  api.addLambdaDataSource('TransferSource', transfer).createResolver('TransferResolver', { typeName: 'Mutation', fieldName: 'transfer' });

  const acl = new wafv2.CfnWebACL(stack, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'mobile-banking', sampledRequestsEnabled: true },
    rules: [{
      name: 'rate',
      priority: 0,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: 'IP' } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rate', sampledRequestsEnabled: true },
    }],
  });
  new wafv2.CfnWebACLAssociation(stack, 'WebAclAssociation', { resourceArn: api.arn, webAclArn: acl.attrArn });

  const appsyncMetric = (metricName: string, statistic: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/AppSync', metricName, dimensionsMap: { GraphQLAPIId: api.apiId }, statistic });
  rateAlarm(stack, 'ApiErrors', appsyncMetric('5XXError', 'Sum'), appsyncMetric('Latency', 'SampleCount'), {
    description: 'Server error rate of the mobile banking API above 1%: check the AppSync logs, runbook https://wiki.example.com/runbooks/mobile-banking',
    threshold: 1,
    topic,
  });
}
