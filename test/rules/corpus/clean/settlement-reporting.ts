import { App, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENV, dataBucket, dataKey, tagWorkload } from '../careful-team';

/**
 * Settlement reporting: settlement facts in a Glue table over an encrypted bucket, a Glue security configuration, and an
 * Athena workgroup that enforces encrypted results and a per-query scan limit; analysts may query only that workgroup and
 * read only that database.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `SettlementReporting-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'settlement-reporting');
  const key = dataKey(stack, 'Key', stage);
  const facts = dataBucket(stack, 'Facts', key, stage);
  const results = dataBucket(stack, 'Results', key, stage);
  const database = new glue.CfnDatabase(stack, 'Database', { catalogId: ENV.account, databaseInput: { name: `settlement_${stage}` } });
  new glue.CfnTable(stack, 'Settlements', {
    catalogId: ENV.account,
    databaseName: `settlement_${stage}`,
    tableInput: {
      name: 'settlements',
      tableType: 'EXTERNAL_TABLE',
      parameters: { classification: 'parquet' },
      storageDescriptor: {
        location: `s3://${facts.bucketName}/settlements/`,
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        columns: [{ name: 'settlement_id', type: 'string' }, { name: 'amount_minor', type: 'bigint' }, { name: 'currency', type: 'string' }],
      },
    },
  }).addDependency(database);
  new glue.CfnSecurityConfiguration(stack, 'GlueSecurity', {
    name: `settlement-${stage}`,
    encryptionConfiguration: {
      s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
      cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
    },
  });
  new athena.CfnWorkGroup(stack, 'Analysts', {
    name: `settlement-analysts-${stage}`,
    recursiveDeleteOption: stage === 'dev',
    workGroupConfiguration: {
      enforceWorkGroupConfiguration: true,
      publishCloudWatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      resultConfiguration: {
        outputLocation: `s3://${results.bucketName}/athena/`,
        encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
      },
    },
  });
  const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountPrincipal(ENV.account) });
  facts.grantRead(analyst);
  results.grantReadWrite(analyst);
  analyst.addToPolicy(new iam.PolicyStatement({
    actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
    resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: `settlement-analysts-${stage}` })],
  }));
  analyst.addToPolicy(new iam.PolicyStatement({
    actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
    resources: [
      stack.formatArn({ service: 'glue', resource: 'catalog' }),
      stack.formatArn({ service: 'glue', resource: 'database', resourceName: `settlement_${stage}` }),
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `settlement_${stage}/*` }),
    ],
  }));
}
