import { CfnParameter } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as logs from 'aws-cdk-lib/aws-logs';
import { GraphqlApiLogs } from '../../../src/rules/appsync/graphql-api-logs';
import { findingsOf, lines, schemaFile, shop } from '../rule-harness';

const ID = GraphqlApiLogs.INFO.id;
const ROLE = 'arn:aws:iam::123456789012:role/appsync-logs';

describe('Fintech-C19-GraphqlApiWithoutLogs', () => {
  test('passes an L2 API with logConfig, whatever its field log level, and an L1 that names the role', () => {
    const { app, stack } = shop();
    new appsync.GraphqlApi(stack, 'Banking', {
      name: 'banking',
      definition: appsync.Definition.fromFile(schemaFile()),
      logConfig: { fieldLogLevel: appsync.FieldLogLevel.ERROR, retention: logs.RetentionDays.ONE_YEAR },
    });
    // Field logs off still leaves the request logs on.
    new appsync.GraphqlApi(stack, 'Quiet', { name: 'quiet', definition: appsync.Definition.fromFile(schemaFile()), logConfig: {} });
    new appsync.CfnGraphQLApi(stack, 'Raw', { name: 'raw', authenticationType: 'AWS_IAM', logConfig: { cloudWatchLogsRoleArn: ROLE, fieldLogLevel: 'NONE' } });
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });

  test('fails an API without LogConfig, L2 and L1', () => {
    const { app, stack } = shop();
    new appsync.GraphqlApi(stack, 'Banking', { name: 'banking', definition: appsync.Definition.fromFile(schemaFile()) });
    new appsync.CfnGraphQLApi(stack, 'Raw', { name: 'raw', authenticationType: 'AWS_IAM' });
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    expect(lines(findings)).toEqual([`${ID} Shop/Banking/Resource`, `${ID} Shop/Raw`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/LogConfig'],
      message: expect.stringMatching(/^AWS::AppSync::GraphQLApi Banking[0-9A-F]{8} has no LogConfig, so AppSync writes no request logs/),
      fix: expect.stringContaining('logConfig'),
    });
    expect(GraphqlApiLogs.INFO.acknowledgeableInDurableStages).toBe(false);
  });

  test('catches an escape hatch that removes the logs, and leaves intrinsic settings alone', () => {
    const { app, stack } = shop();
    const api = new appsync.GraphqlApi(stack, 'Banking', { name: 'banking', definition: appsync.Definition.fromFile(schemaFile()), logConfig: {} });
    (api.node.defaultChild as appsync.CfnGraphQLApi).addPropertyDeletionOverride('LogConfig');
    const role = new CfnParameter(stack, 'LogsRole');
    new appsync.CfnGraphQLApi(stack, 'ByParameter', { name: 'p', authenticationType: 'AWS_IAM', logConfig: { cloudWatchLogsRoleArn: role.valueAsString, fieldLogLevel: 'ERROR' } });
    new appsync.CfnGraphQLApi(stack, 'Conditional', { name: 'c', authenticationType: 'AWS_IAM' }).addPropertyOverride('LogConfig', { 'Fn::If': ['Logs', { CloudWatchLogsRoleArn: ROLE }, { Ref: 'AWS::NoValue' }] });
    expect(lines(findingsOf(app, [ID], { stage: 'prod' }))).toEqual([`${ID} Shop/Banking/Resource`]);
  });
});

describe('Fintech-C19-EventApiWithoutLogs', () => {
  const EVENT_ID = GraphqlApiLogs.EVENT_API.id;
  const iam = { authorizationType: appsync.AppSyncAuthorizationType.IAM };
  const rawAuth = { authProviders: [{ authType: 'AWS_IAM' }], connectionAuthModes: [{ authType: 'AWS_IAM' }], defaultPublishAuthModes: [{ authType: 'AWS_IAM' }], defaultSubscribeAuthModes: [{ authType: 'AWS_IAM' }] };

  test('passes an L2 Events API with logConfig, whatever its log level, and an L1 with EventConfig.LogConfig', () => {
    const { app, stack } = shop();
    new appsync.EventApi(stack, 'Notifications', {
      apiName: 'notifications',
      authorizationConfig: { authProviders: [iam] },
      logConfig: { fieldLogLevel: appsync.AppSyncFieldLogLevel.ERROR, retention: logs.RetentionDays.ONE_YEAR },
    });
    new appsync.EventApi(stack, 'Quiet', { apiName: 'quiet', authorizationConfig: { authProviders: [iam] }, logConfig: { fieldLogLevel: appsync.AppSyncFieldLogLevel.NONE } });
    new appsync.CfnApi(stack, 'Raw', { name: 'raw', eventConfig: { ...rawAuth, logConfig: { cloudWatchLogsRoleArn: ROLE, logLevel: 'INFO' } } });
    expect(findingsOf(app, [EVENT_ID, ID], { stage: 'prod' })).toEqual([]);
  });

  test('fails an Events API without EventConfig.LogConfig, L2 and L1, and not as a GraphQL API', () => {
    const { app, stack } = shop();
    new appsync.EventApi(stack, 'Notifications', { apiName: 'notifications', authorizationConfig: { authProviders: [iam] } });
    new appsync.CfnApi(stack, 'Raw', { name: 'raw', eventConfig: rawAuth });
    new appsync.CfnApi(stack, 'Bare', { name: 'bare' });
    const findings = findingsOf(app, [EVENT_ID, ID], { stage: 'prod' });
    expect(lines(findings)).toEqual([`${EVENT_ID} Shop/Bare`, `${EVENT_ID} Shop/Notifications/Resource`, `${EVENT_ID} Shop/Raw`]);
    const at = (path: string) => findings.find(f => f.constructPath === path)!;
    expect(at('Shop/Raw')).toMatchObject({
      severity: 'error',
      locations: ['Properties/EventConfig/LogConfig'],
      message: 'AWS::AppSync::Api Raw has no EventConfig.LogConfig, so AppSync writes no request logs: nothing records who connected, subscribed or published.',
      fix: expect.stringContaining('logConfig on the appsync.EventApi'),
    });
    expect(at('Shop/Bare').locations).toEqual(['Properties/EventConfig']);
    expect(GraphqlApiLogs.EVENT_API.acknowledgeableInDurableStages).toBe(false);
  });

  test('leaves an intrinsic EventConfig or LogConfig alone', () => {
    const { app, stack } = shop();
    new appsync.CfnApi(stack, 'Conditional', { name: 'c', eventConfig: rawAuth })
      .addPropertyOverride('EventConfig.LogConfig', { 'Fn::If': ['Logs', { CloudWatchLogsRoleArn: ROLE, LogLevel: 'ERROR' }, { Ref: 'AWS::NoValue' }] });
    new appsync.CfnApi(stack, 'Whole', { name: 'w' }).addPropertyOverride('EventConfig', { 'Fn::If': ['Logs', rawAuth, rawAuth] });
    expect(findingsOf(app, [EVENT_ID], { stage: 'prod' })).toEqual([]);
  });
});
