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
