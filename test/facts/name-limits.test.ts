import { NAME_LIMITS, S3_BUCKET_RESERVED_PREFIXES, S3_BUCKET_RESERVED_SUFFIXES } from '../../src/facts/name-limits';

describe('NAME_LIMITS', () => {
  test('every limit is a sane range of whole numbers', () => {
    for (const [kind, limit] of Object.entries(NAME_LIMITS)) {
      expect([kind, Number.isInteger(limit.minLength) && Number.isInteger(limit.maxLength)]).toEqual([kind, true]);
      expect(limit.minLength).toBeGreaterThanOrEqual(1);
      expect(limit.maxLength).toBeGreaterThan(limit.minLength);
      expect(limit.what.length).toBeGreaterThan(0);
    }
  });

  test('the documented lengths', () => {
    expect(Object.fromEntries(Object.entries(NAME_LIMITS).map(([kind, limit]) => [kind, limit.maxLength]))).toEqual({
      sqsQueue: 80,
      snsTopic: 256,
      lambdaFunction: 64,
      iamRole: 64,
      iamPath: 512,
      s3Bucket: 63,
      dynamodbTable: 255,
      logGroup: 512,
      kmsAlias: 256,
      stateMachine: 80,
      eventRule: 64,
      cloudwatchAlarm: 255,
      ecsCluster: 255,
      ecsService: 255,
      loadBalancer: 32,
      targetGroup: 32,
      apiGatewayStage: 128,
      secret: 512,
      xraySamplingRule: 32,
      syntheticsCanary: 255,
      iamManagedPolicy: 128,
      eventBus: 256,
      eventArchive: 48,
      cloudwatchDashboard: 255,
      kinesisStream: 128,
      ecrRepository: 256,
      rdsIdentifier: 63,
      elasticacheReplicationGroup: 40,
      daxCluster: 20,
      opensearchDomain: 28,
      batchName: 128,
      ssmParameter: 967,
    });
    expect([NAME_LIMITS.s3Bucket.minLength, NAME_LIMITS.dynamodbTable.minLength]).toEqual([3, 3]);
  });

  test.each([
    ['sqsQueue', 'settlements-dev', true], ['sqsQueue', 'settlements-dev.fifo', true], ['sqsQueue', 'settlements.dev', false],
    ['snsTopic', 'alerts_dev.fifo', true], ['snsTopic', 'alerts dev', false],
    ['lambdaFunction', 'Settle-Dev_1', true], ['lambdaFunction', 'settle.dev', false],
    ['iamRole', 'ledger+role=a,b.c@d_e-f', true], ['iamRole', 'ledger/role', false],
    ['iamPath', '/', true], ['iamPath', '/ledger/ops/', true], ['iamPath', 'ledger/', false], ['iamPath', '/ledger', false],
    ['s3Bucket', 'ledger-archive-123456789012-dev', true], ['s3Bucket', 'my.bucket', true], ['s3Bucket', 'Ledger-Archive', false],
    ['s3Bucket', '-ledger', false], ['s3Bucket', 'ledger..archive', false], ['s3Bucket', 'ledger_archive', false],
    ['dynamodbTable', 'Ledger.Entries_dev-1', true], ['dynamodbTable', 'ledger entries', false],
    ['logGroup', '/aws/lambda/settle#1', true], ['logGroup', '/aws/lambda/settle:1', false],
    ['kmsAlias', 'alias/ledger/dev_key-1', true], ['kmsAlias', 'ledger-key', false], ['kmsAlias', 'alias/aws/s3', false],
    ['stateMachine', 'Settlement-Flow.dev', true], ['stateMachine', 'settlement flow', false], ['stateMachine', 'settle/dev', false],
    ['eventRule', 'ledger.rule_dev-1', true], ['eventRule', 'ledger rule', false],
    ['cloudwatchAlarm', 'Ledger: errors > 1% (dev)', true], ['cloudwatchAlarm', 'ledger\nerrors', false],
    ['ecsCluster', 'ledger_dev-1', true], ['ecsService', 'ledger.api', false],
    ['loadBalancer', 'ledger-api-dev', true], ['loadBalancer', 'ledger-', false], ['loadBalancer', 'internal-ledger', false],
    ['targetGroup', 'ledger-api', true], ['targetGroup', 'ledger_api', false],
    ['apiGatewayStage', 'prod_v1-a', true], ['apiGatewayStage', 'prod.v1', false],
    ['secret', 'ledger/db+x=y.z@a_b-c', true], ['secret', 'ledger db', false],
    ['xraySamplingRule', 'ledger-dev', true], ['syntheticsCanary', 'ledger-dev', true], ['syntheticsCanary', 'Ledger-dev', false],
    ['iamManagedPolicy', 'ledger+read=a,b.c@d_e-f', true], ['iamManagedPolicy', 'ledger/read', false],
    ['eventBus', 'aws.partner/bank.com/ledger_dev-1', true], ['eventBus', 'ledger bus', false],
    ['eventArchive', 'trades.replay_dev-1', true], ['eventArchive', 'trades/replay', false], ['eventArchive', 'trades replay', false],
    ['cloudwatchDashboard', 'Ledger_dev-1', true], ['cloudwatchDashboard', 'ledger.dev', false],
    ['kinesisStream', 'ledger.postings_dev-1', true], ['kinesisStream', 'ledger/postings', false],
    ['ecrRepository', 'ledger/api-dev', true], ['ecrRepository', 'team/ledger/api_v2.1', true], ['ecrRepository', 'Ledger/api', false],
    ['ecrRepository', 'ledger--api', true], ['ecrRepository', 'ledger-/api', false], ['ecrRepository', 'ledger/', false],
    ['rdsIdentifier', 'Ledger-dev-1', true], ['rdsIdentifier', 'l', true], ['rdsIdentifier', '1ledger', false], ['rdsIdentifier', 'ledger-', false],
    ['rdsIdentifier', 'ledger--dev', false], ['rdsIdentifier', 'ledger_dev', false],
    ['elasticacheReplicationGroup', 'sessions-dev', true], ['elasticacheReplicationGroup', 'sessions--dev', false],
    ['daxCluster', 'quotes-dev', true], ['daxCluster', 'quotes-', false],
    ['opensearchDomain', 'ledger-search-dev', true], ['opensearchDomain', 'Ledger-search', false], ['opensearchDomain', '1ledger', false],
    ['batchName', 'Risk_queue-dev1', true], ['batchName', 'risk.queue', false], ['batchName', 'risk/queue', false],
    ['ssmParameter', 'ledger-endpoint_dev.v1', true], ['ssmParameter', '/ledger/dev/Api-Url', true], ['ssmParameter', '/awsome/x', false],
    ['ssmParameter', 'AWS-ledger', false], ['ssmParameter', '/SSM/ledger', false], ['ssmParameter', '/aws/service/x', false], ['ssmParameter', '/ledger/awsx', true],
    ['ssmParameter', 'ledger/dev', false], ['ssmParameter', '/ledger dev', false], ['ssmParameter', '/ledger:dev', false],
    ['ssmParameter', `/${'l/'.repeat(14)}x`, true], ['ssmParameter', `/${'l/'.repeat(15)}x`, false],
  ] as const)('%s accepts "%s": %s', (kind, name, accepted) => {
    expect(NAME_LIMITS[kind].pattern.test(name)).toBe(accepted);
  });
});

describe('S3 reserved bucket-name parts', () => {
  test('are names the bucket pattern would otherwise accept, so the rule needs them', () => {
    for (const prefix of S3_BUCKET_RESERVED_PREFIXES) expect(NAME_LIMITS.s3Bucket.pattern.test(`${prefix}ledger`)).toBe(true);
    for (const suffix of S3_BUCKET_RESERVED_SUFFIXES) expect(NAME_LIMITS.s3Bucket.pattern.test(`ledger${suffix}`)).toBe(true);
    expect([...S3_BUCKET_RESERVED_PREFIXES, ...S3_BUCKET_RESERVED_SUFFIXES]).toContain('--x-s3');
  });
});
