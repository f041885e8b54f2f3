import { App, CfnResource, Duration, RemovalPolicy, Size, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { ENV, dataKey, deadLetterQueue, handler, removalFor, tagWorkload } from './careful-team';
import * as aspectHardening from './clean/aspect-hardening';
import * as auditTrailBackup from './clean/audit-trail-backup';
import * as branchFileShares from './clean/branch-file-shares';
import * as cardAdvisorAgent from './clean/card-advisor-agent';
import * as cardEventsMsk from './clean/card-events-msk';
import * as cardPlatformEks from './clean/card-platform-eks';
import * as cardServiceEcs from './clean/card-service-ecs';
import * as cardSwitchBroker from './clean/card-switch-broker';
import * as chargebackWorkerEcs from './clean/chargeback-worker-ecs';
import * as compositeAlarms from './clean/composite-alarms';
import * as containerRelease from './clean/container-release';
import * as coreLedgerEc2 from './clean/core-ledger-ec2';
import * as customerIdentity from './clean/customer-identity';
import * as customerPortalEdge from './clean/customer-portal-edge';
import * as deliveryPipeline from './clean/delivery-pipeline';
import * as disputesMailbox from './clean/disputes-mailbox';
import * as edgeSignedDownloads from './clean/edge-signed-downloads';
import * as eventRuleDlq from './clean/event-rule-dlq';
import * as fraudModelEndpoint from './clean/fraud-model-endpoint';
import * as fraudSearch from './clean/fraud-search';
import * as fxPricingFunctions from './clean/fx-pricing-functions';
import * as kycDocuments from './clean/kyc-documents';
import * as ledgerFifoArchive from './clean/ledger-fifo-archive';
import * as ledgerMultiStack from './clean/ledger-multi-stack';
import * as ledgerNoManagedPolicies from './clean/ledger-no-managed-policies';
import * as ledgerRdsProxy from './clean/ledger-rds-proxy';
import * as legacyInclude from './clean/legacy-include';
import * as mobileBankingGraphql from './clean/mobile-banking-graphql';
import * as nestedReconciliation from './clean/nested-reconciliation';
import * as nightlyBatchFargate from './clean/nightly-batch-fargate';
import * as notificationFanout from './clean/notification-fanout';
import * as partnerOpenBanking from './clean/partner-open-banking';
import * as partnerPrivatelink from './clean/partner-privatelink';
import * as partnerSftp from './clean/partner-sftp';
import * as paymentEventsArchive from './clean/payment-events-archive';
import * as paymentsApi from './clean/payments-api';
import * as payoutRelease from './clean/payout-release';
import * as payoutsSam from './clean/payouts-sam';
import * as portalStaticPublish from './clean/portal-static-publish';
import * as privatePaymentsApi from './clean/private-payments-api';
import * as rawCfnLedger from './clean/raw-cfn-ledger';
import * as realtimeQuotes from './clean/realtime-quotes';
import * as reconciliationAirflow from './clean/reconciliation-airflow';
import * as recordsRetention from './clean/records-retention';
import * as reportingWorkflow from './clean/reporting-workflow';
import * as retailIdentity from './clean/retail-identity';
import * as riskBatch from './clean/risk-batch';
import * as scheduledSettlement from './clean/scheduled-settlement';
import * as settlementFileMap from './clean/settlement-file-map';
import * as settlementWorkflow from './clean/settlement-workflow';
import * as sharedNetwork from './clean/shared-network';
import * as stackTaggedLedger from './clean/stack-tagged-ledger';
import * as stageInStage from './clean/stage-in-stage';
import * as statementArchive from './clean/statement-archive';
import * as statementRenderEfs from './clean/statement-render-efs';
import * as streamConsumer from './clean/stream-consumer';
import * as streamPipe from './clean/stream-pipe';
import * as terminalTelemetry from './clean/terminal-telemetry';
import * as tradingDataStores from './clean/trading-data-stores';
import * as treasuryGlobalLedger from './clean/treasury-global-ledger';
import * as webhookIntake from './clean/webhook-intake';

/** One app of the defect corpus: a clean app's shape with one mistake, and the rule that must catch it. */
export interface DefectApp {
  /** What the app gets wrong. */
  readonly name: string;
  /** The rule that must report it. */
  readonly ruleId: string;
  /** Where the finding must be: the end of its construct path. */
  readonly at: string;
  /** The stages the defect is one in. */
  readonly stages: readonly string[];
  /** Other error rules the same mistake legitimately trips (e.g. an orphaned dead-letter queue). */
  readonly alsoErrors?: readonly string[];
  /** Whether the finding must be an error, when a warning of the same rule on the same construct is expected beside it. */
  readonly mustBeError?: boolean;
  readonly build: (app: App, stage: string) => void;
}

/** The construct whose path ends with `suffix`. */
function find<T extends IConstruct>(app: App, suffix: string): T {
  const found = app.node.findAll().filter(c => c.node.path.endsWith(suffix));
  if (found.length !== 1) throw new Error(`${found.length} constructs end with ${suffix}`);
  return found[0] as T;
}

/** The L1 resource of an L2 whose path ends with `suffix`. */
function l1(app: App, suffix: string): CfnResource {
  return find<IConstruct>(app, suffix).node.defaultChild as CfnResource;
}

/** Takes out the one construct whose id is `id`, as if its line had been deleted from the app. */
function remove(app: App, id: string): void {
  find<IConstruct>(app, `/${id}`).node.scope!.node.tryRemoveChild(id);
}

const ALL = ['dev', 'staging', 'prod'];

export const DEFECT_APPS: readonly DefectApp[] = [
  {
    name: 'payments-api: the WAF association was left out',
    ruleId: 'Fintech-C19-StageWithoutWebAcl',
    at: '/Api/DeploymentStage.dev/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      paymentsApi.build(app, stage);
      remove(app, 'WebAclAssociation');
    },
  },
  {
    name: 'statement-archive: the bucket policy denies plain HTTP on uploads/ only',
    ruleId: 'Fintech-C03-BucketTlsOnly',
    at: '/Statements/Resource',
    stages: ALL,
    build: (app, stage) => {
      statementArchive.build(app, stage);
      const policy = l1(app, '/Statements/Policy');
      policy.addPropertyOverride('PolicyDocument.Statement.0.Resource.1', { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Stack.of(policy).getLogicalId(l1(app, '/Statements') as s3.CfnBucket), 'Arn'] }, '/uploads/*']] });
    },
  },
  {
    name: 'ledger-multi-stack: the shared failure queue in the data stack has no alarm',
    ruleId: 'Fintech-C09-UnmonitoredResource',
    at: 'LedgerData-dev/Failures/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      ledgerMultiStack.build(app, stage);
      remove(app, 'FailuresAlarm');
    },
  },
  {
    name: 'ledger-multi-stack: the auditor\'s permission for SNS went in a clean-up of "unused" resources, so the data stack\'s events never reach it',
    ruleId: 'Fintech-C05-ProducerWithoutInvokePermission',
    at: 'LedgerCompute-dev/AuditEntry/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      ledgerMultiStack.build(app, stage);
      const permissions = app.node.findAll().filter(c => c instanceof lambda.CfnPermission && c.principal === 'sns.amazonaws.com' && c.node.path.includes('AuditEntry'));
      if (permissions.length !== 1) throw new Error(`${permissions.length} SNS permissions of the auditor`);
      permissions[0].node.scope!.node.tryRemoveChild(permissions[0].node.id);
    },
  },
  {
    name: 'payment-events-archive: the archive rule\'s dead letters rely on targets.CloudWatchLogGroup, which adds no queue policy for them',
    ruleId: 'Fintech-C05-ProducerWithoutQueuePolicy',
    at: 'PaymentEvents-prod/Undelivered/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      paymentEventsArchive.build(app, stage);
      const policy = find<sqs.QueuePolicy>(app, '/Undelivered/Policy');
      const document = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement: Array<{ Condition?: unknown }> };
      const kept = document.Statement.filter(statement => !JSON.stringify(statement.Condition ?? {}).includes('ArchiveAll'));
      (policy.node.defaultChild as sqs.CfnQueuePolicy).addPropertyOverride('PolicyDocument.Statement', kept);
    },
  },
  {
    name: 'ledger-multi-stack: only the data stack is tagged, its siblings carry no tags',
    ruleId: 'Fintech-C01-RequiredTags',
    at: 'LedgerMonitoring-prod/Alerts/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      ledgerMultiStack.build(app, stage);
      for (const stack of app.node.children.filter(Stack.isStack)) {
        if (!stack.node.id.startsWith('LedgerData')) Tags.of(stack).remove('Team');
      }
    },
  },
  {
    name: 'ledger-multi-stack: the data stack\'s key policy no longer lets SNS write the compute stack\'s subscription failures',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: 'LedgerData-staging/Failures/Resource',
    stages: ['staging'],
    build: (app, stage) => {
      ledgerMultiStack.build(app, stage);
      // An escape hatch that rewrites the key policy without the SNS statement: the dead-letter queue of a subscription
      // in another stack, reached through an export, is the only thing that needed it.
      const key = find<kms.Key>(app, 'LedgerData-staging/LedgerKey');
      const cfnKey = key.node.defaultChild as kms.CfnKey;
      const policy = Stack.of(key).resolve(cfnKey.keyPolicy) as { Statement: Array<{ Principal?: { Service?: unknown } }> };
      cfnKey.addPropertyOverride('KeyPolicy', { ...policy, Statement: policy.Statement.filter(s => s.Principal?.Service !== 'sns.amazonaws.com') });
    },
  },
  {
    name: 'nested-reconciliation: the parent lost the alarm on the nested job',
    ruleId: 'Fintech-C09-UnmonitoredResource',
    at: '/Job/Reconcile/Resource',
    stages: ['staging'],
    build: (app, stage) => {
      nestedReconciliation.build(app, stage);
      remove(app, 'ReconcileErrors');
    },
  },
  {
    name: 'scheduled-settlement: the schedule lost its dead-letter queue, which is now an orphan',
    ruleId: 'Fintech-C12-ScheduleWithoutDeadLetterQueue',
    at: '/Daily/Resource',
    stages: ALL,
    alsoErrors: ['Fintech-C12-QueueWithoutDeadLetterQueue'],
    build: (app, stage) => {
      scheduledSettlement.build(app, stage);
      l1(app, '/Daily').addPropertyDeletionOverride('Target.DeadLetterConfig');
    },
  },
  {
    name: 'notification-fanout: the payment events topic is not encrypted',
    ruleId: 'Fintech-C04-UnencryptedStore',
    at: '/PaymentEvents/Resource',
    stages: ALL,
    build: (app, stage) => {
      notificationFanout.build(app, stage);
      (l1(app, `Notifications-${stage}/PaymentEvents`) as sns.CfnTopic).addPropertyDeletionOverride('KmsMasterKeyId');
    },
  },
  {
    name: 'composite-alarms: the composite alarm pages nobody (its members are not asked to)',
    ruleId: 'Fintech-C08-AlarmWithoutActions',
    at: '/AuthorizerDegraded/Resource',
    stages: ALL,
    build: (app, stage) => {
      compositeAlarms.build(app, stage);
      (l1(app, '/AuthorizerDegraded') as cloudwatch.CfnCompositeAlarm).addPropertyDeletionOverride('AlarmActions');
    },
  },
  {
    name: 'stage-in-stage: the accounts table has deletion protection off in prod',
    ruleId: 'Fintech-C02-DeletionProtectionOff',
    at: 'prod/Primary/Accounts/Accounts/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      stageInStage.build(app, stage);
      (l1(app, 'Accounts/Accounts') as dynamodb.CfnTable).addPropertyOverride('DeletionProtectionEnabled', false);
    },
  },
  {
    name: 'aspect-hardening: an escape hatch removes the tracing the aspect set',
    ruleId: 'Fintech-C11-FunctionWithoutTracing',
    at: '/HandleDispute/Resource',
    stages: ALL,
    build: (app, stage) => {
      aspectHardening.build(app, stage);
      (l1(app, '/HandleDispute') as lambda.CfnFunction).addPropertyDeletionOverride('TracingConfig');
    },
  },
  {
    name: 'legacy-include: the included queue policy denies plain HTTP on the DLQ only',
    ruleId: 'Fintech-C18-QueueTlsOnly',
    at: '/Legacy/Rates',
    stages: ALL,
    build: (app, stage) => {
      legacyInclude.build(app, stage);
      (find<CfnResource>(app, '/Legacy/RatesPolicy')).addPropertyOverride('PolicyDocument.Statement.0.Resource', [{ 'Fn::GetAtt': ['RatesDlq', 'Arn'] }]);
    },
  },
  {
    name: 'card-service-ecs: the container has no health check',
    ruleId: 'Fintech-C21-ContainerWithoutHealthCheck',
    at: '/Service/Service',
    stages: ALL,
    build: (app, stage) => {
      cardServiceEcs.build(app, stage);
      (find<ecs.FargateTaskDefinition>(app, '/Task').node.defaultChild as ecs.CfnTaskDefinition).addPropertyDeletionOverride('ContainerDefinitions.0.HealthCheck');
    },
  },
  {
    name: 'settlement-workflow: the booking step has no retry',
    ruleId: 'Fintech-C13-TaskWithoutRetry',
    at: '/Workflow/Resource',
    stages: ALL,
    build: (app, stage) => {
      settlementWorkflow.build(app, stage);
      // A hand-edited definition whose one Task lost its Retry block.
      l1(app, '/Workflow').addPropertyOverride('DefinitionString', JSON.stringify({
        StartAt: 'Book',
        States: { Book: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'book' }, End: true } },
      }));
    },
  },
  {
    name: 'raw-cfn-ledger: the journal bucket policy covers its objects but not the bucket',
    ruleId: 'Fintech-C03-BucketTlsOnly',
    at: 'RawLedger-dev/Journal',
    stages: ['dev'],
    alsoErrors: [],
    build: (app, stage) => {
      rawCfnLedger.build(app, stage);
      find<CfnResource>(app, '/JournalPolicy').addPropertyOverride('PolicyDocument.Statement.0.Resource', [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Journal', 'Arn'] }, '/*']] }]);
    },
  },
  {
    name: 'event-rule-dlq: the rule target has no retry policy',
    ruleId: 'Fintech-C12-RuleTargetWithoutRetryPolicy',
    at: '/PaymentCreated/Resource',
    stages: ALL,
    build: (app, stage) => {
      eventRuleDlq.build(app, stage);
      l1(app, '/PaymentCreated').addPropertyDeletionOverride('Targets.0.RetryPolicy');
    },
  },
  {
    name: 'stream-pipe: the published queue uses the SQS-owned key',
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    at: '/Published/Resource',
    stages: ALL,
    build: (app, stage) => {
      streamPipe.build(app, stage);
      (l1(app, '/Published') as sqs.CfnQueue).addPropertyDeletionOverride('KmsMasterKeyId');
      (l1(app, '/Published') as sqs.CfnQueue).addPropertyOverride('SqsManagedSseEnabled', true);
    },
  },
  {
    name: 'notification-fanout: the on-failure destination of the push function has no alarm',
    ruleId: 'Fintech-C09-UnmonitoredResource',
    at: '/PushFailures/Resource',
    stages: ALL,
    build: (app, stage) => {
      notificationFanout.build(app, stage);
      remove(app, 'PushFailuresAlarm');
    },
  },
  {
    name: 'raw-cfn-ledger: the raw key does not rotate',
    ruleId: 'Fintech-C04-KeyRotation',
    at: 'RawLedger-prod/Key',
    stages: ['prod'],
    build: (app, stage) => {
      rawCfnLedger.build(app, stage);
      find<CfnResource>(app, 'RawLedger-prod/Key').addPropertyOverride('EnableKeyRotation', false);
    },
  },
  {
    name: 'raw queue: a raw CfnResource queue next to L2s tagged through their construct (not the stack), which Tags.of never reaches',
    ruleId: 'Fintech-C01-RequiredTags',
    at: 'Inbox-dev/Inbox/RawInbox',
    stages: ['dev'],
    build: (app, stage) => {
      const stack = new Stack(app, `Inbox-${stage}`);
      const workload = new Construct(stack, 'Inbox');
      tagWorkload(workload, stage, 'inbox');
      const key = dataKey(workload, 'Key', stage);
      const dlq = deadLetterQueue(workload, 'InboxDlq', key, stage);
      const inbox = new CfnResource(workload, 'RawInbox', {
        type: 'AWS::SQS::Queue',
        properties: { KmsMasterKeyId: key.keyArn, RedrivePolicy: { deadLetterTargetArn: dlq.queueArn, maxReceiveCount: 3 } },
      });
      inbox.applyRemovalPolicy(removalFor(stage));
      new sqs.CfnQueuePolicy(workload, 'RawInboxPolicy', {
        queues: [inbox.ref],
        policyDocument: {
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: inbox.getAtt('Arn'), Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        },
      });
    },
  },
  {
    name: 'default sizing: a function left at 128 MB and 3 s',
    ruleId: 'Fintech-C20-FunctionWithDefaultSizing',
    at: 'Quotes-dev/Quote/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      const stack = new Stack(app, `Quotes-${stage}`);
      tagWorkload(stack, stage, 'quotes');
      const fn = handler(stack, 'Quote', stage);
      (fn.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('MemorySize');
      (fn.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('Timeout');
    },
  },
  {
    name: 'shared-network: the workers\' stack no longer adds the SQS endpoint its function in the network stack\'s isolated subnets needs',
    ruleId: 'Fintech-C17-FunctionWithoutServiceRoute',
    at: 'PaymentWorkers-prod/PostPayment/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      sharedNetwork.build(app, stage);
      remove(app, 'SqsEndpoint');
    },
  },
  {
    name: 'shared-network: the network stack dropped its DynamoDB gateway endpoint, which a nested stack\'s function uses',
    ruleId: 'Fintech-C17-FunctionWithoutServiceRoute',
    at: 'PaymentWorkers-dev/Reconciliation/Reconcile/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      sharedNetwork.build(app, stage);
      remove(app, 'DynamoDb');
    },
  },
  {
    name: 'shared-network: the workers open the network stack\'s endpoint group on 8443 instead of 443',
    ruleId: 'Fintech-C17-InterfaceEndpointWithoutHttps',
    at: 'Network-dev/Vpc/Kms/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      sharedNetwork.build(app, stage);
      const ingress = app.node.findAll().filter(c => c instanceof ec2.CfnSecurityGroupIngress && c.node.path.includes('PaymentWorkers') && c.node.id.includes('EndpointGroup'));
      if (ingress.length !== 1) throw new Error(`${ingress.length} ingress rules into the endpoint group`);
      (ingress[0] as ec2.CfnSecurityGroupIngress).fromPort = 8443;
      (ingress[0] as ec2.CfnSecurityGroupIngress).toPort = 8443;
    },
  },
  {
    name: 'shared-network: the ledger\'s subnet group was pointed at the network stack\'s NAT-backed subnets',
    ruleId: 'Fintech-C17-DatabaseNotIsolated',
    at: 'LedgerStore-staging/Ledger/Resource',
    stages: ['staging'],
    build: (app, stage) => {
      sharedNetwork.build(app, stage);
      const network = find<sharedNetwork.SharedNetwork>(app, `Network-${stage}`);
      l1(app, '/Ledger/Subnets').addPropertyOverride('SubnetIds', network.vpc.selectSubnets({ subnetGroupName: 'egress' }).subnetIds);
    },
  },
  {
    name: 'customer-portal-edge: the distribution still accepts TLS 1.0 viewers',
    ruleId: 'Fintech-C18-WeakDistributionTlsPolicy',
    at: 'CustomerPortal-prod/Distribution/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      customerPortalEdge.build(app, stage);
      l1(app, '/Distribution').addPropertyOverride('DistributionConfig.ViewerCertificate.MinimumProtocolVersion', 'TLSv1');
    },
  },
  {
    name: 'customer-portal-edge: the HTTP API stage writes no access logs',
    ruleId: 'Fintech-C19-HttpApiStageWithoutAccessLogs',
    at: 'CustomerPortal-dev/ApiStage/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      customerPortalEdge.build(app, stage);
      l1(app, '/ApiStage').addPropertyDeletionOverride('AccessLogSettings');
    },
  },
  {
    name: 'realtime-quotes: the Valkey group keeps seven days of snapshots but no final one (no removal policy)',
    ruleId: 'Fintech-C02-DurableDeletesData',
    at: 'RealtimeQuotes-prod/Quotes',
    stages: ['prod'],
    build: (app, stage) => {
      realtimeQuotes.build(app, stage);
      const cache = find<CfnResource>(app, '/Quotes');
      cache.cfnOptions.deletionPolicy = undefined;
      cache.cfnOptions.updateReplacePolicy = undefined;
    },
  },
  {
    name: 'realtime-quotes: the Valkey group was left in the "preferred" migration mode, which accepts plaintext clients',
    ruleId: 'Fintech-C18-CacheWithoutTls',
    at: 'RealtimeQuotes-staging/Quotes',
    stages: ['staging'],
    build: (app, stage) => {
      realtimeQuotes.build(app, stage);
      find<CfnResource>(app, '/Quotes').addPropertyOverride('TransitEncryptionMode', 'preferred');
    },
  },
  {
    name: 'fraud-search: the domain accepts TLS 1.0 clients',
    ruleId: 'Fintech-C18-SearchDomainWithoutTls',
    at: 'FraudSearch-dev/Domain/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      fraudSearch.build(app, stage);
      l1(app, 'FraudSearch-dev/Domain').addPropertyOverride('DomainEndpointOptions.TLSSecurityPolicy', 'Policy-Min-TLS-1-0-2019-07');
    },
  },
  {
    name: 'card-events-msk: the provisioned-mode consumer\'s on-failure queue dropped as "Kafka keeps the records anyway", so batches skipped after five retries leave no trace',
    ruleId: 'Fintech-C12-StreamSourceWithoutOnFailure',
    // The mapping CDK names after the function and the topic: .../KafkaEventSource:<function id><hash>authorizations/Resource.
    at: 'authorizations/Resource',
    stages: ['staging', 'prod'],
    build: (app, stage) => cardEventsMsk.build(app, stage, { withoutOnFailure: true }),
  },
  {
    name: 'card-events-msk: producers may still connect in plaintext',
    ruleId: 'Fintech-C18-KafkaWithoutTls',
    at: 'CardEvents-prod/Cluster',
    stages: ['prod'],
    build: (app, stage) => {
      cardEventsMsk.build(app, stage);
      find<CfnResource>(app, '/Cluster').addPropertyOverride('EncryptionInfo.EncryptionInTransit.ClientBroker', 'TLS_PLAINTEXT');
    },
  },
  {
    name: 'statement-render-efs: the function may mount any access point of the account',
    ruleId: 'Fintech-C06-WildcardResource',
    at: 'StatementRender-dev/RenderStatement/ServiceRole/DefaultPolicy/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      statementRenderEfs.build(app, stage);
      const role = find<iam.Role>(app, '/RenderStatement/ServiceRole');
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: ['*'],
        conditions: { StringLike: { 'elasticfilesystem:AccessPointArn': `arn:aws:elasticfilesystem:${ENV.region}:${ENV.account}:access-point/*` } },
      }));
    },
  },
  {
    name: 'audit-trail-backup: CloudTrail files move to Glacier after 30 days, before the three months PCI DSS keeps at hand',
    ruleId: 'Fintech-C20-AuditLogsArchivedEarly',
    at: 'AuditBaseline-prod/TrailLogs/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      auditTrailBackup.build(app, stage);
      l1(app, '/TrailLogs').addPropertyOverride('LifecycleConfiguration.Rules.0.Transitions.0.TransitionInDays', 30);
    },
  },
  {
    name: 'audit-trail-backup: the trail moved to a key of its own, whose policy does not let CloudTrail use it',
    ruleId: 'Fintech-C05-TrailKeyWithoutCloudTrailAccess',
    at: 'AuditBaseline-prod/Trail/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      auditTrailBackup.build(app, stage);
      const stack = Stack.of(find<IConstruct>(app, '/Trail'));
      const trailKey = dataKey(stack, 'TrailKey', stage);
      l1(app, '/Trail').addPropertyOverride('KMSKeyId', trailKey.keyArn);
    },
  },
  {
    name: 'customer-identity: the profile bus moved to a key of its own, set on the raw bus, whose policy does not let EventBridge use it',
    ruleId: 'Fintech-C05-EventBusKeyWithoutEventsAccess',
    at: 'CustomerIdentity-prod/ProfileEvents/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      customerIdentity.build(app, stage);
      const stack = Stack.of(find<IConstruct>(app, '/ProfileEvents'));
      const busKey = dataKey(stack, 'BusKey', stage);
      l1(app, '/ProfileEvents').addPropertyOverride('KmsKeyIdentifier', busKey.keyArn);
    },
  },
  {
    name: 'customer-identity: the dead-letter queue moved onto the event bus\'s key, whose statement for EventBridge is scoped to the bus',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: 'CustomerIdentity-prod/UndeliveredProfiles/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      customerIdentity.build(app, stage);
      const busKey = l1(app, `CustomerIdentity-${stage}/Key`);
      l1(app, '/UndeliveredProfiles').addPropertyOverride('KmsMasterKeyId', { 'Fn::GetAtt': [Stack.of(busKey).getLogicalId(busKey as kms.CfnKey), 'Arn'] });
    },
  },
  {
    name: 'customer-identity: a replay archive added with bus.archive({ kmsKey }), which CDK drops, so the profile changes are kept on a key AWS owns',
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    at: '/ProfileEvents/Replay/Archive',
    stages: ALL,
    build: (app, stage) => {
      customerIdentity.build(app, stage);
      const bus = find<events.EventBus>(app, `CustomerIdentity-${stage}/ProfileEvents`);
      const key = find<kms.Key>(app, `CustomerIdentity-${stage}/Key`);
      bus.archive('Replay', { eventPattern: { source: ['customer.profile'] }, retention: Duration.days(365), kmsKey: key }).applyRemovalPolicy(removalFor(stage));
    },
  },
  {
    name: 'customer-identity: the KYC webhook target lost its dead-letter queue',
    ruleId: 'Fintech-C12-RuleTargetWithoutDeadLetterQueue',
    at: 'CustomerIdentity-dev/ProfileChanged/Resource',
    stages: ['dev'],
    // The queue nothing names as a dead-letter queue any more is a work queue without one.
    alsoErrors: ['Fintech-C12-QueueWithoutDeadLetterQueue'],
    build: (app, stage) => {
      customerIdentity.build(app, stage);
      l1(app, '/ProfileChanged').addPropertyDeletionOverride('Targets.0.DeadLetterConfig');
    },
  },
  {
    name: 'ledger-rds-proxy: the ledger instance is destroyed with its stack in prod',
    ruleId: 'Fintech-C02-DurableDeletesData',
    at: 'GeneralLedger-prod/Ledger/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      ledgerRdsProxy.build(app, stage);
      l1(app, 'GeneralLedger-prod/Ledger').applyRemovalPolicy(RemovalPolicy.DESTROY);
    },
  },
  {
    name: 'private-payments-api: tracing was switched off on the Express workflow',
    ruleId: 'Fintech-C11-StateMachineWithoutTracing',
    at: 'InternalPayments-staging/Workflow/Resource',
    stages: ['staging'],
    build: (app, stage) => {
      privatePaymentsApi.build(app, stage);
      l1(app, '/Workflow').addPropertyOverride('TracingConfiguration.Enabled', false);
    },
  },
  {
    name: 'edge-signed-downloads: the CloudFront alarms were dropped, so nothing watches the edge function',
    ruleId: 'Fintech-C09-UnmonitoredResource',
    at: 'TaxDocuments-dev/CheckToken/Fn/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      edgeSignedDownloads.build(app, stage);
      remove(app, 'OriginErrors');
      remove(app, 'EdgeFunctionErrors');
    },
  },
  {
    name: 'edge-signed-downloads: the distribution has no web ACL',
    ruleId: 'Fintech-C19-DistributionWithoutWebAcl',
    at: 'TaxDocuments-prod/Downloads/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      edgeSignedDownloads.build(app, stage);
      l1(app, '/Downloads').addPropertyDeletionOverride('DistributionConfig.WebACLId');
    },
  },
  {
    name: 'settlement-file-map: the task the distributed map runs for each line has no retry',
    ruleId: 'Fintech-C13-TaskWithoutRetry',
    at: 'SettlementFiles-dev/Workflow/Resource',
    stages: ['dev'],
    build: (app, stage) => settlementFileMap.build(app, stage, { retryEachLine: false }),
  },
  {
    name: 'treasury-global-ledger: the flow log bucket deletes objects after 200 days',
    ruleId: 'Fintech-C20-AuditLogHistoryTooShort',
    at: 'TreasuryLedger-prod/FlowLogs/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      treasuryGlobalLedger.build(app, stage);
      l1(app, '/FlowLogs').addPropertyOverride('LifecycleConfiguration.Rules.0.ExpirationInDays', 200);
    },
  },
  {
    name: 'treasury-global-ledger: the flow log bucket moved onto the team\'s key, which does not let log delivery use it',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: 'TreasuryLedger-dev/FlowLogs/Resource',
    stages: ['dev'],
    build: (app, stage) => {
      treasuryGlobalLedger.build(app, stage);
      const key = find<kms.Key>(app, `TreasuryLedger-${stage}/Key`);
      l1(app, '/FlowLogs').addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault', {
        SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn,
      });
    },
  },
  {
    name: 'mobile-banking-graphql: the transfer resolver\'s function lost its error-rate alarm',
    ruleId: 'Fintech-C09-UnmonitoredResource',
    at: 'MobileBanking-staging/StartTransfer/Resource',
    stages: ['staging'],
    build: (app, stage) => {
      mobileBankingGraphql.build(app, stage);
      remove(app, 'StartTransferErrors');
    },
  },
  {
    name: 'raw-cfn-ledger: the alert topic\'s own policy (TLS only) leaves out EventBridge, so key-deletion pages never arrive',
    ruleId: 'Fintech-C05-ProducerWithoutTopicPolicy',
    at: '/Alerts',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => rawCfnLedger.build(app, stage, { alertsPolicyWithoutEventBridge: true }),
  },
  {
    name: 'mobile-banking-graphql: the API\'s web ACL association was dropped, so queries reach the resolvers unlimited',
    ruleId: 'Fintech-C19-GraphqlApiWithoutWebAcl',
    at: '/Api/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => {
      mobileBankingGraphql.build(app, stage);
      remove(app, 'WebAclAssociation');
    },
  },
  {
    name: 'card-advisor-agent: the agent remembers customers\' sessions under a key AWS owns',
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    at: '/Advisor',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => cardAdvisorAgent.build(app, stage, { memoryOnServiceKey: true }),
  },
  {
    name: 'card-advisor-agent: the payment notifications Events API writes no request logs',
    ruleId: 'Fintech-C19-EventApiWithoutLogs',
    at: '/PaymentNotifications/Resource',
    stages: ['staging'],
    mustBeError: true,
    build: (app, stage) => cardAdvisorAgent.build(app, stage, { eventLogsOff: true }),
  },
  {
    name: 'payout-release: the on-failure destination is on the function while the cut-off rule invokes the live alias',
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    at: '/ReleasePayouts/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => payoutRelease.build(app, stage, { destinationOnFunctionOnly: true }),
  },
  {
    name: 'payout-release: the S3 gateway endpoint lets code in the VPC put objects into any bucket',
    ruleId: 'Fintech-C17-GatewayEndpointOpenPolicy',
    at: '/Vpc/S3/Resource',
    stages: ['staging', 'prod'],
    build: (app, stage) => payoutRelease.build(app, stage, { endpointWritesAnywhere: true }),
  },
  {
    name: 'terminal-telemetry: the function the IoT rule invokes keeps no failed health reports',
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    at: '/RecordHealth/Resource',
    stages: ['dev', 'staging'],
    mustBeError: true,
    build: (app, stage) => terminalTelemetry.build(app, stage, { telemetryWithoutDestination: true }),
  },
  {
    name: 'terminal-telemetry: the function the IoT rule invokes does not let IoT invoke it',
    ruleId: 'Fintech-C05-ProducerWithoutInvokePermission',
    at: '/RecordHealth/Resource',
    stages: ['prod'],
    mustBeError: true,
    build: (app, stage) => terminalTelemetry.build(app, stage, { withoutIotPermission: true }),
  },
  {
    name: 'mobile-banking-graphql: the API writes no request logs',
    ruleId: 'Fintech-C19-GraphqlApiWithoutLogs',
    at: '/Api/Resource',
    stages: ['staging'],
    mustBeError: true,
    build: (app, stage) => mobileBankingGraphql.build(app, stage, { requestLogsOff: true }),
  },
  {
    name: 'records-retention: the records bucket\'s access logs are deleted after 90 days',
    ruleId: 'Fintech-C20-AuditLogHistoryTooShort',
    at: 'CustomerRecords-prod/AccessLogs/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      recordsRetention.build(app, stage);
      l1(app, `CustomerRecords-${stage}/AccessLogs`).addPropertyOverride('LifecycleConfiguration.Rules.0.ExpirationInDays', 90);
    },
  },
  {
    name: 'fx-pricing-functions: the SNS-invoked rate fetcher lost its on-failure destination',
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    at: 'FxPricing-dev/FetchRates/Resource',
    stages: ['dev'],
    // The queue nothing sends failures to any more is a work queue without a dead-letter queue.
    alsoErrors: ['Fintech-C12-QueueWithoutDeadLetterQueue'],
    build: (app, stage) => {
      fxPricingFunctions.build(app, stage);
      find<CfnResource>(app, '/FetchRates/EventInvokeConfig/Resource').addPropertyDeletionOverride('DestinationConfig.OnFailure');
    },
  },
  {
    name: 'stack-tagged-ledger: the stack tags leave out CostCenter, so no resource gets it',
    ruleId: 'Fintech-C01-RequiredTags',
    at: 'StackTaggedLedger-prod/Replay',
    stages: ['prod'],
    build: (app, stage) => {
      stackTaggedLedger.build(app, stage);
      Tags.of(find<Stack>(app, `StackTaggedLedger-${stage}`)).remove('CostCenter');
    },
  },
  {
    name: 'partner-privatelink: the partner\'s TLS listener on the network load balancer still accepts TLS 1.0',
    ruleId: 'Fintech-C18-WeakListenerTlsPolicy',
    at: 'AcquiringLink-staging/PartnerNlb/Tls/Resource',
    stages: ['staging'],
    build: (app, stage) => {
      partnerPrivatelink.build(app, stage);
      l1(app, '/PartnerNlb/Tls').addPropertyOverride('SslPolicy', 'ELBSecurityPolicy-2016-08');
    },
  },
  {
    name: 'nightly-batch-fargate: the schedule that runs the Fargate task lost its dead-letter queue',
    ruleId: 'Fintech-C12-ScheduleWithoutDeadLetterQueue',
    at: 'InterestAccrual-dev/Nightly/Resource',
    stages: ['dev'],
    // The queue nothing names as a dead-letter queue any more is a work queue without one.
    alsoErrors: ['Fintech-C12-QueueWithoutDeadLetterQueue'],
    build: (app, stage) => {
      nightlyBatchFargate.build(app, stage);
      l1(app, '/Nightly').addPropertyDeletionOverride('Target.DeadLetterConfig');
    },
  },
  {
    name: 'partner-open-banking: the mutual-TLS domain still accepts TLS 1.0',
    ruleId: 'Fintech-C18-WeakApiTlsPolicy',
    at: 'OpenBanking-prod/Domain/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      partnerOpenBanking.build(app, stage);
      l1(app, 'OpenBanking-prod/Domain').addPropertyOverride('SecurityPolicy', 'TLS_1_0');
    },
  },
  {
    name: 'ledger-fifo-archive: the FIFO subscription lost its dead-letter queue',
    ruleId: 'Fintech-C12-SubscriptionWithoutDeadLetterQueue',
    at: 'LedgerPostings-dev/PostingsQueue/LedgerPostingsdevPostings987823DB/Resource',
    stages: ['dev'],
    // The queue nothing names as a dead-letter queue any more is a work queue without one.
    alsoErrors: ['Fintech-C12-QueueWithoutDeadLetterQueue'],
    build: (app, stage) => {
      ledgerFifoArchive.build(app, stage);
      const subscription = app.node.findAll().find(c => c instanceof sns.CfnSubscription && c.node.path.includes('/PostingsQueue/'));
      if (!subscription) throw new Error('no subscription of the postings queue');
      (subscription as sns.CfnSubscription).addPropertyDeletionOverride('RedrivePolicy');
    },
  },
  {
    name: 'chargeback-worker-ecs: the worker container lost its health check',
    ruleId: 'Fintech-C21-ContainerWithoutHealthCheck',
    at: 'Chargebacks-staging/Worker/QueueProcessingFargateService/Service',
    stages: ['staging'],
    build: (app, stage) => {
      chargebackWorkerEcs.build(app, stage);
      l1(app, '/Worker/QueueProcessingTaskDef').addPropertyDeletionOverride('ContainerDefinitions.0.HealthCheck');
    },
  },
  {
    name: 'delivery-pipeline: the smoke step may read every secret of the account',
    ruleId: 'Fintech-C06-WildcardResource',
    at: '/Smoke/Role/DefaultPolicy/Resource',
    stages: ['prod'],
    build: (app, stage) => {
      deliveryPipeline.build(app, stage);
      find<iam.Role>(app, '/Smoke/Role').addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }));
    },
  },
  {
    name: 'delivery-pipeline: the app lets the self-mutation step read every object, beside what CDK Pipelines gives it',
    ruleId: 'Fintech-C06-WildcardResource',
    at: 'LedgerDelivery-staging/Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource',
    stages: ['staging'],
    // CDK Pipelines' own statements on "*" stay a warning on the same policy.
    mustBeError: true,
    build: (app, stage) => {
      deliveryPipeline.build(app, stage);
      find<iam.Role>(app, '/UpdatePipeline/SelfMutation/Role').addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    },
  },
  {
    name: 'scheduled-settlement: the schedule keeps the role CDK creates, which may send to the encrypted DLQ but not use its key',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: '/Undelivered/Resource',
    stages: ['dev', 'prod'],
    build: (app, stage) => scheduledSettlement.build(app, stage, { cdkDefaultRole: true }),
  },
  {
    name: 'webhook-intake: the integration role\'s sqs:SendMessage is written by hand, without the queue\'s key',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: '/Webhooks/Resource',
    stages: ['staging'],
    build: (app, stage) => webhookIntake.build(app, stage, { handWrittenSend: true }),
  },
  {
    name: 'stream-consumer: the authorizer\'s kinesis:PutRecord is written by hand, without the stream\'s key',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: '/Authorizations/Resource',
    stages: ['prod'],
    build: (app, stage) => streamConsumer.build(app, stage, { handWrittenPut: true }),
  },
  {
    name: 'stream-consumer: the scoring function reads the stream through its own mapping, with kinesis:GetRecords written by hand, without the stream\'s key',
    ruleId: 'Fintech-C05-ConsumerWithoutKeyAccess',
    at: '/Authorizations/Resource',
    stages: ['dev', 'prod'],
    build: (app, stage) => streamConsumer.build(app, stage, { handWrittenRead: true }),
  },
  {
    name: 'partner-sftp: EventBridge may not use the key of the queue it writes undelivered events into',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: '/Undelivered/Resource',
    stages: ['dev', 'prod'],
    build: (app, stage) => partnerSftp.build(app, stage, { withoutEventsOnKey: true }),
  },
  {
    name: 'partner-sftp: the rule target has a dead-letter queue, but a file the ingest function fails on is discarded',
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    at: '/Ingest/Resource',
    stages: ['staging'],
    build: (app, stage) => partnerSftp.build(app, stage, { targetDlqOnly: true }),
  },
  {
    name: 'partner-sftp: the server was copied from a sample that leaves SecurityPolicyName out, so CloudFormation gives it the 2018 policy',
    ruleId: 'Fintech-C18-WeakFileTransferPolicy',
    at: '/Server',
    stages: ALL,
    build: (app, stage) => {
      partnerSftp.build(app, stage);
      find<CfnResource>(app, `PartnerSftp-${stage}/Server`).addPropertyDeletionOverride('SecurityPolicyName');
    },
  },
  {
    name: 'partner-sftp: a legacy partner is let in over FTP beside SFTP on the server\'s VPC endpoint',
    ruleId: 'Fintech-C18-PlaintextFileTransfer',
    at: '/Server',
    stages: ['prod'],
    build: (app, stage) => {
      partnerSftp.build(app, stage);
      const server = find<CfnResource>(app, `PartnerSftp-${stage}/Server`);
      server.addPropertyOverride('Protocols', ['SFTP', 'FTP']);
      server.addPropertyOverride('EndpointType', 'VPC');
      server.addPropertyOverride('EndpointDetails', { VpcId: 'vpc-0a1b2c3d4e5f60718', SubnetIds: ['subnet-0a1b2c3d4e5f60718'] });
      server.addPropertyOverride('IdentityProviderType', 'AWS_DIRECTORY_SERVICE');
      server.addPropertyOverride('IdentityProviderDetails', { DirectoryId: 'd-0123456789' });
    },
  },
  {
    name: 'kyc-documents: the bastion\'s role may read every secret, besides the Session Manager statement the library writes',
    ruleId: 'Fintech-C06-WildcardResource',
    at: 'KycDocuments-prod/Bastion/Resource/InstanceRole/DefaultPolicy/Resource',
    stages: ['prod'],
    mustBeError: true,
    build: (app, stage) => {
      kycDocuments.build(app, stage);
      find<ec2.BastionHostLinux>(app, '/Bastion').instance.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] }));
    },
  },
  {
    name: 'core-ledger-ec2: the month-end close runs from the app\'s own rule, whose ECS task target has no dead-letter queue',
    ruleId: 'Fintech-C12-RuleTargetWithoutDeadLetterQueue',
    at: '/MonthEndClose/Resource',
    stages: ['dev', 'prod'],
    // The same rule's retry-policy finding, on the same target.
    alsoErrors: ['Fintech-C12-RuleTargetWithoutRetryPolicy'],
    mustBeError: true,
    build: (app, stage) => coreLedgerEc2.build(app, stage, { monthEndWithoutDeadLetterQueue: true }),
  },
  {
    name: 'core-ledger-ec2: a volume added for the ledger\'s write-ahead journal leaves encryption to the account\'s default',
    ruleId: 'Fintech-C04-UnencryptedStore',
    at: '/Journal/Resource',
    stages: ['prod'],
    mustBeError: true,
    build: (app, stage) => {
      coreLedgerEc2.build(app, stage);
      const stack = find<Stack>(app, `CoreLedger-${stage}`);
      new ec2.Volume(stack, 'Journal', { availabilityZone: 'eu-west-1a', size: Size.gibibytes(200), removalPolicy: RemovalPolicy.SNAPSHOT });
    },
  },
  {
    name: 'retail-identity: the GitHub deploy role may call every CloudFormation action itself',
    ruleId: 'Fintech-C06-WildcardAction',
    at: '/Deploy/Resource',
    stages: ['staging', 'prod'],
    build: (app, stage) => retailIdentity.build(app, stage, { broadDeployRole: true }),
  },
  {
    name: 'disputes-mailbox: SNS may not use the key of the queue it writes undeliverable notices into',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: '/UndeliveredNotices/Resource',
    stages: ['dev'],
    build: (app, stage) => disputesMailbox.build(app, stage, { withoutSnsOnKey: true }),
  },
  {
    name: 'reporting-workflow: the Athena query has no results location, so the workflow may write into every bucket',
    ruleId: 'Fintech-C06-WildcardResource',
    at: 'RegulatoryReport-prod/Report/Role/DefaultPolicy/Resource',
    stages: ['prod'],
    // The tasks' own statements on "*" stay a warning on the same policy.
    mustBeError: true,
    build: (app, stage) => reportingWorkflow.build(app, stage, { resultsAnywhere: true }),
  },
  {
    name: 'portal-static-publish: the pages are served through the deprecated S3Origin, whose origin access identity cannot read the encrypted bucket',
    ruleId: 'Fintech-C05-ConsumerWithoutKeyAccess',
    at: '/Pages/Resource',
    stages: ['dev', 'prod'],
    build: (app, stage) => portalStaticPublish.build(app, stage, { legacyOrigin: true }),
  },
  {
    name: 'reporting-workflow: Athena writes results into the encrypted bucket with the workflow\'s role, which may not use the key',
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    at: '/Reports/Resource',
    stages: ['dev', 'staging'],
    build: (app, stage) => reportingWorkflow.build(app, stage, { athenaWithoutKey: true }),
  },
  {
    name: 'container-release: the ECS deploy action runs with a role of the team\'s that may also start any task',
    ruleId: 'Fintech-C06-WildcardResource',
    at: '/DeployRole/DefaultPolicy/Resource',
    stages: ['dev', 'prod'],
    // The deploy action's own statements on "*" stay a warning on the same policy.
    mustBeError: true,
    build: (app, stage) => containerRelease.build(app, stage, { migrationsFromDeployRole: true }),
  },
  {
    name: 'card-platform-eks: the card API\'s service account may read every object in the account',
    ruleId: 'Fintech-C06-WildcardResource',
    at: '/Cluster/CardApi/Role/DefaultPolicy/Resource',
    stages: ['dev', 'prod'],
    // The library's statements on "*" (creation role, load balancer controller) stay warnings under the same rule.
    mustBeError: true,
    build: (app, stage) => cardPlatformEks.build(app, stage, { serviceAccountReadsAnyObject: true }),
  },
  {
    name: 'trading-data-stores: the DAX cluster in front of the quotes table keeps DAX\'s default, no encryption at rest',
    ruleId: 'Fintech-C04-UnencryptedStore',
    at: '/QuotesCache',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => tradingDataStores.build(app, stage, { quotesCacheAtDefaults: true }),
  },
  {
    name: 'trading-data-stores: the DAX cluster keeps its default endpoint, so the quote services talk to it in plaintext',
    ruleId: 'Fintech-C18-CacheWithoutTls',
    at: '/QuotesCache',
    stages: ['staging'],
    mustBeError: true,
    build: (app, stage) => tradingDataStores.build(app, stage, { quotesCacheWithoutTls: true }),
  },
  {
    name: 'risk-batch: the Batch job queue has a fixed name, so the staging and prod runs collide in one account',
    ruleId: 'Fintech-C16-PhysicalNameWithoutStage',
    at: '/RiskQueue/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => riskBatch.build(app, stage, { fixedQueueName: true }),
  },
  {
    name: 'risk-batch: the workflow submits the Batch job without a retry, so one throttled SubmitJob fails the end-of-day run',
    ruleId: 'Fintech-C13-TaskWithoutRetry',
    at: '/RiskWorkflow/Resource',
    stages: ['prod'],
    mustBeError: true,
    build: (app, stage) => riskBatch.build(app, stage, { submitWithoutRetry: true }),
  },
  {
    name: 'fraud-model-endpoint: the model\'s execution role may read every object of every bucket (arn:aws:s3:::*/*), not only the model artifact',
    ruleId: 'Fintech-C06-WildcardResource',
    at: '/ModelRole/DefaultPolicy/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => fraudModelEndpoint.build(app, stage, { wholeBucketModelRole: true }),
  },
  {
    name: 'fraud-model-endpoint: a cost review dropped the VPC\'s SageMaker runtime endpoint, so the scorer\'s InvokeEndpoint calls from isolated subnets time out',
    ruleId: 'Fintech-C17-FunctionWithoutServiceRoute',
    at: '/Scorer/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => {
      fraudModelEndpoint.build(app, stage);
      remove(app, 'SageMakerRuntime');
    },
  },
  {
    name: 'fraud-model-endpoint: the scorer now asks a Bedrock model to explain high scores to the analysts, but the isolated VPC has no bedrock-runtime endpoint',
    ruleId: 'Fintech-C17-FunctionWithoutServiceRoute',
    at: '/Scorer/Resource',
    stages: ['staging'],
    mustBeError: true,
    build: (app, stage) => {
      fraudModelEndpoint.build(app, stage);
      const scorer = find<lambda.Function>(app, `FraudModel-${stage}/Scorer`);
      scorer.addToRolePolicy(new iam.PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: [`arn:aws:bedrock:${ENV.region}::foundation-model/amazon.nova-pro-v1:0`],
      }));
    },
  },
  {
    name: 'kyc-documents: the DocumentDB cluster keeps CDK\'s default subnets, which route to the NAT gateway',
    ruleId: 'Fintech-C17-DatabaseNotIsolated',
    at: '/Documents/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => kycDocuments.build(app, stage, { clusterAtCdkDefaultSubnets: true }),
  },
  {
    name: 'card-switch-broker: the ActiveMQ broker stores the switch\'s messages under a key AWS owns',
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    at: '/Broker',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => cardSwitchBroker.build(app, stage, { brokerOnAwsOwnedKey: true }),
  },
  {
    name: 'card-switch-broker: the broker names no subnets, so Amazon MQ places it in the default VPC, whose subnets are public',
    ruleId: 'Fintech-C17-DatabaseNotIsolated',
    at: '/Broker',
    stages: ['staging'],
    mustBeError: true,
    build: (app, stage) => cardSwitchBroker.build(app, stage, { brokerWithoutSubnets: true }),
  },
  {
    name: 'reconciliation-airflow: the MWAA execution role may use every key of every account, through any service',
    ruleId: 'Fintech-C06-WildcardResource',
    at: '/ExecutionRole/DefaultPolicy/Resource',
    stages: ['dev', 'prod'],
    mustBeError: true,
    build: (app, stage) => reconciliationAirflow.build(app, stage, { everyKey: true }),
  },
  {
    name: 'branch-file-shares: the Windows share is deleted with its stack like the scratch file system beside it, and the branches\' files with it',
    ruleId: 'Fintech-C02-DurableDeletesData',
    at: '/BranchShare',
    stages: ['staging', 'prod'],
    build: (app, stage) => branchFileShares.build(app, stage, { retainedShareDeleted: true }),
  },
  {
    name: 'branch-file-shares: the Windows share names no KmsKeyId, so FSx encrypts the statements with the AWS managed key alias/aws/fsx',
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    at: '/BranchShare',
    stages: ['dev', 'prod'],
    build: (app, stage) => {
      branchFileShares.build(app, stage);
      find<CfnResource>(app, `BranchFileShares-${stage}/BranchShare`).addPropertyDeletionOverride('KmsKeyId');
    },
  },
  {
    name: 'payouts-sam: the SAM function has no EventInvokeConfig, so a nightly run that keeps failing is dropped after Lambda\'s retries',
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    at: '/Payout',
    stages: ALL,
    build: (app, stage) => payoutsSam.build(app, stage, { withoutFailureDestination: true }),
  },
  {
    name: 'payouts-sam: the schedule\'s dead-letter queue is the one SAM creates for `Type: SQS`, which has no customer key (nor a TLS-only policy)',
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    at: '/Payout',
    stages: ['dev', 'prod'],
    alsoErrors: ['Fintech-C18-QueueTlsOnly', 'Fintech-C02-DurableDeletesData', 'Fintech-C01-RequiredTags'],
    build: (app, stage) => payoutsSam.build(app, stage, { scheduleDlqBySam: true }),
  },
  {
    name: 'payouts-sam: the Api event names no API, as SAM\'s getting-started templates do, so the route is served by the implicit API staged "Prod"',
    ruleId: 'Fintech-C19-StageNameHardCoded',
    at: '/Payout',
    stages: ['dev', 'staging'],
    // The implicit API has none of the team's stage settings, nor its web ACL; its deployment adds a bare "Stage" stage.
    alsoErrors: ['Fintech-C19-StageWithoutThrottling', 'Fintech-C19-StageWithoutAccessLogs', 'Fintech-C19-StageWithoutWebAcl', 'Fintech-C11-ApiStageWithoutTracing',
      'Fintech-C01-RequiredTags'],
    build: (app, stage) => payoutsSam.build(app, stage, { implicitApi: true }),
  },
  {
    name: 'payouts-sam: the function polls the encrypted queue with SAM\'s SQSPollerPolicy but has no KMSDecryptPolicy, so every receive fails on the key',
    ruleId: 'Fintech-C05-ConsumerWithoutKeyAccess',
    at: '/PayoutRequests/Resource',
    stages: ['dev', 'prod'],
    build: (app, stage) => payoutsSam.build(app, stage, { pollerWithoutKey: true }),
  },
  {
    name: 'ledger-no-managed-policies: the network-interface statement is copied into the role of the reader outside the VPC, which Lambda never needs',
    ruleId: 'Fintech-C06-WildcardResource',
    at: '/ReportRole/DefaultPolicy/Resource',
    stages: ['dev', 'prod'],
    build: (app, stage) => ledgerNoManagedPolicies.build(app, stage, { interfacesOutsideVpc: true }),
  },
];
