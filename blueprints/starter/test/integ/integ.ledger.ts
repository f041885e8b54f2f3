import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws } from 'aws-cdk-lib';
import config from '../../src/fintech.config.json';
import { LedgerStack } from '../../src/ledger-stack';
import { FintechStage, NameKind, PhysicalName } from 'fintech-infra-template';

// A throwaway ephemeral stage, so integ-runner can destroy everything it deployed.
const app = new App();
const [stage] = FintechStage.fromConfig(app, {
  ...config,
  environments: [{ name: 'integ', region: config.environments[0].region, durable: false }],
});
const ledger = new LedgerStack(stage, 'Ledger');

// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const tableName = PhysicalName.of(ledger, 'entries', { kind: NameKind.DYNAMODB_TABLE });
const integ = new IntegTest(app, 'Ledger', { testCases: [ledger], regions: [stage.environment.region] });

integ.assertions
  .awsApiCall('DynamoDB', 'describeTable', { TableName: tableName })
  .expect(ExpectedResult.objectLike({
    Table: {
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
      DeletionProtectionEnabled: false,
    },
  }));

integ.assertions
  .awsApiCall('DynamoDB', 'listTagsOfResource', {
    ResourceArn: `arn:${Aws.PARTITION}:dynamodb:${stage.environment.region}:${Aws.ACCOUNT_ID}:table/${tableName}`,
  })
  .expect(ExpectedResult.objectLike({
    Tags: Match.arrayWith(Object.entries(stage.tags).map(([Key, Value]) => ({ Key, Value }))),
  }));

app.synth();
