import { FintechChecks } from '../../src/rules/fintech-checks';
import { FINTECH_RULES } from '../../src/rules/fintech-rules';
import { RULE_FAILED } from '../../src/rules/rule-engine';

const infos = FINTECH_RULES.flatMap(rule => rule.infos);

describe('FINTECH_RULES', () => {
  test('lists the rules under unique ids that carry the catalog id and a name', () => {
    expect(infos.map(i => i.id)).toEqual([
      'Fintech-C01-RequiredTags',
      'Fintech-C02-EphemeralRetainsData',
      'Fintech-C02-BucketNotEmptiedOnDelete',
      'Fintech-C02-DurableDeletesData',
      'Fintech-C02-DeletionProtectionOff',
      'Fintech-C03-BucketEncryption',
      'Fintech-C03-BucketPublicAccessBlock',
      'Fintech-C03-BucketTlsOnly',
      'Fintech-C03-BucketName',
      'Fintech-C04-UnencryptedStore',
      'Fintech-C04-StoreWithoutCustomerKey',
      'Fintech-C04-LogGroupWithoutCustomerKey',
      'Fintech-C04-KeyRotation',
      'Fintech-C05-ProducerWithoutKeyAccess',
      'Fintech-C05-ConsumerWithoutKeyAccess',
      'Fintech-C05-LogGroupKeyWithoutLogsAccess',
      'Fintech-C05-TrailKeyWithoutCloudTrailAccess',
      'Fintech-C05-EventBusKeyWithoutEventsAccess',
      'Fintech-C05-ProducerWithoutInvokePermission',
      'Fintech-C05-ProducerWithoutQueuePolicy',
      'Fintech-C05-ProducerWithoutTopicPolicy',
      'Fintech-C05-DependencyCycle',
      'Fintech-C06-WildcardAction',
      'Fintech-C06-WildcardResource',
      'Fintech-C06-PublicResourcePolicy',
      'Fintech-C06-RoleNameWithoutStage',
      'Fintech-C07-AlarmOnErrorCount',
      'Fintech-C08-AlarmWithoutDescription',
      'Fintech-C08-AlarmWithoutMissingDataPolicy',
      'Fintech-C08-AlarmWithoutDatapointsToAlarm',
      'Fintech-C08-AlarmWithoutActions',
      'Fintech-C08-AlarmToUnsubscribedTopic',
      'Fintech-C09-UnmonitoredResource',
      'Fintech-C10-DashboardMetricWithoutDimensions',
      'Fintech-C11-FunctionWithoutTracing',
      'Fintech-C11-ApiStageWithoutTracing',
      'Fintech-C11-StateMachineWithoutTracing',
      'Fintech-C11-GraphqlApiWithoutTracing',
      'Fintech-C12-QueueWithoutDeadLetterQueue',
      'Fintech-C12-AsyncFunctionWithoutFailureDestination',
      'Fintech-C12-RuleTargetWithoutDeadLetterQueue',
      'Fintech-C12-RuleTargetWithoutRetryPolicy',
      'Fintech-C12-QueueBatchWithoutPartialFailures',
      'Fintech-C12-SubscriptionWithoutDeadLetterQueue',
      'Fintech-C12-ScheduleWithoutDeadLetterQueue',
      'Fintech-C12-ScheduleWithoutRetryPolicy',
      'Fintech-C12-PipeWithoutDeadLetterQueue',
      'Fintech-C12-PipeUnboundedRetries',
      'Fintech-C12-StreamSourceWithoutOnFailure',
      'Fintech-C12-StreamSourceUnboundedRetries',
      'Fintech-C12-StreamSourceWithoutBatchSplitting',
      'Fintech-C13-LambdaTaskByBareArn',
      'Fintech-C13-TaskWithoutRetry',
      'Fintech-C14-DeprecatedRuntime',
      'Fintech-C15-ReservedConcurrencyAboveLimit',
      'Fintech-C16-PhysicalNameWithoutStage',
      'Fintech-C16-DuplicatePhysicalName',
      'Fintech-C16-InvalidPhysicalName',
      'Fintech-C17-DatabaseNotIsolated',
      'Fintech-C17-GatewayEndpointWithoutRouteTables',
      'Fintech-C17-InterfaceEndpointWithoutHttps',
      'Fintech-C17-GatewayEndpointOpenPolicy',
      'Fintech-C17-FunctionWithoutServiceRoute',
      'Fintech-C17-SecurityGroupOpenToWorld',
      'Fintech-C18-HttpListenerForwards',
      'Fintech-C18-WeakListenerTlsPolicy',
      'Fintech-C18-WeakApiTlsPolicy',
      'Fintech-C18-QueueTlsOnly',
      'Fintech-C18-TopicTlsOnly',
      'Fintech-C18-SearchDomainWithoutTls',
      'Fintech-C18-CacheWithoutTls',
      'Fintech-C18-KafkaWithoutTls',
      'Fintech-C18-DistributionAllowsHttp',
      'Fintech-C18-WeakDistributionTlsPolicy',
      'Fintech-C18-PlaintextFileTransfer',
      'Fintech-C18-WeakFileTransferPolicy',
      'Fintech-C19-StageWithoutWebAcl',
      'Fintech-C19-GraphqlApiWithoutWebAcl',
      'Fintech-C19-WebAclWithoutRules',
      'Fintech-C19-WebAclWithoutRateRule',
      'Fintech-C19-RateRuleOutOfBounds',
      'Fintech-C19-StageWithoutThrottling',
      'Fintech-C19-StageWithoutAccessLogs',
      'Fintech-C19-StageNameHardCoded',
      'Fintech-C19-RestApiWithoutExplicitStage',
      'Fintech-C19-HttpApiStageWithoutAccessLogs',
      'Fintech-C19-HttpApiStageWithoutThrottling',
      'Fintech-C19-GraphqlApiWithoutLogs',
      'Fintech-C19-EventApiWithoutLogs',
      'Fintech-C19-DistributionWithoutWebAcl',
      'Fintech-C19-DistributionWithoutAccessLogs',
      'Fintech-C20-LogGroupWithoutRetention',
      'Fintech-C20-AuditLogHistoryTooShort',
      'Fintech-C20-AuditLogsArchivedEarly',
      'Fintech-C20-ImageWithoutAsset',
      'Fintech-C20-FunctionWithoutLogGroup',
      'Fintech-C20-FunctionWithDefaultSizing',
      'Fintech-C21-ServiceWithoutCircuitBreaker',
      'Fintech-C21-ServiceWithoutGracePeriod',
      'Fintech-C21-ContainerWithoutHealthCheck',
      'Fintech-C21-ClusterWithoutContainerInsights',
      'Fintech-C22-UnvalidatedParameter',
      'Fintech-C22-MissingReference',

    ]);
    for (const info of infos) expect(info.id).toMatch(new RegExp(`^Fintech-${info.catalogId}-[A-Z][A-Za-z]+$`));
    expect(new Set([...infos.map(i => i.id), RULE_FAILED.id]).size).toBe(infos.length + 1);
  });

  test('documents every rule: title, why, fix, severity and durable acknowledgement', () => {
    for (const info of infos) {
      expect(info.catalogId).toMatch(/^C\d\d$/);
      expect(info.title.length).toBeGreaterThan(10);
      expect(info.description.length).toBeGreaterThan(40);
      expect(info.fix.length).toBeGreaterThan(20);
      expect(['error', 'warning']).toContain(info.defaultSeverity);
      expect(typeof info.acknowledgeableInDurableStages).toBe('boolean');
    }
  });

  // Issue 15: each rule writes down what it must not judge, and docs/rules.md publishes the description verbatim.
  test('says in every rule\'s description what the rule does not judge', () => {
    expect(infos.filter(info => !/(^|\. )Not judged: \S/.test(info.description)).map(info => info.id)).toEqual([]);
  });

  test('is in catalog order and has unique rule names', () => {
    const catalogIds = infos.map(i => i.catalogId);
    expect(catalogIds).toEqual([...catalogIds].sort());
    expect(new Set(FINTECH_RULES.map(r => r.name)).size).toBe(FINTECH_RULES.length);
  });

  test('FintechChecks.rules() exposes copies of the same metadata, each with the controls it helps meet', () => {
    const rules = FintechChecks.rules();
    expect(rules.map(({ controls, ...info }) => info)).toEqual(infos);
    expect(rules.every(info => info.controls !== undefined)).toBe(true);
    (rules[0] as { title: string }).title = 'changed';
    expect(FintechChecks.rules()[0].title).not.toBe('changed');
  });
});
