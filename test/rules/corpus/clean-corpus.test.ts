import { App } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { STAGES } from './careful-team';
import * as aspectHardening from './clean/aspect-hardening';
import * as auditTrailBackup from './clean/audit-trail-backup';
import * as branchFileShares from './clean/branch-file-shares';
import * as cardAdvisorAgent from './clean/card-advisor-agent';
import * as cardEventsMsk from './clean/card-events-msk';
import * as cardLedgerVpc from './clean/card-ledger-vpc';
import * as cardPlatformEks from './clean/card-platform-eks';
import * as cardServiceEcs from './clean/card-service-ecs';
import * as cardSwitchBroker from './clean/card-switch-broker';
import * as chargebackWorkerEcs from './clean/chargeback-worker-ecs';
import * as compositeAlarms from './clean/composite-alarms';
import * as conditionalReplica from './clean/conditional-replica';
import * as containerRelease from './clean/container-release';
import * as coreLedgerEc2 from './clean/core-ledger-ec2';
import * as crossStackEvents from './clean/cross-stack-events';
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
import * as platformBootstrap from './clean/platform-bootstrap';
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
import * as settlementReporting from './clean/settlement-reporting';
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
import { describeFinding, findingsOfCorpusApp } from './corpus-harness';
import { RuleSeverity } from '../../../src/rules/fintech-checks';

/** Apps written the way careful bank teams write them: each must pass FintechChecks without one error in every stage. */
const CLEAN_APPS: ReadonlyArray<readonly [string, (app: App, stage: string) => void]> = [
  ['payments-api (one stack: REST API, WAF, DynamoDB)', paymentsApi.build],
  ['statement-archive (one stack: S3, notifications, auto-delete in dev)', statementArchive.build],
  ['ledger-multi-stack (three stacks, cross-stack references, shared failure queue)', ledgerMultiStack.build],
  ['nested-reconciliation (nested stack, alarms in the parent)', nestedReconciliation.build],
  ['scheduled-settlement (EventBridge Scheduler with a DLQ)', scheduledSettlement.build],
  ['notification-fanout (SNS subscriptions with redrive policies, Lambda destinations)', notificationFanout.build],
  ['composite-alarms (child alarms without actions, one evaluation period, a release-window actions suppressor)', compositeAlarms.build],
  ['stage-in-stage (a Stage inside a Stage)', stageInStage.build],
  ['aspect-hardening (an aspect sets tracing and removal policies)', aspectHardening.build],
  ['legacy-include (CfnInclude of a raw JSON template)', legacyInclude.build],
  ['card-service-ecs (ECS Fargate behind HTTPS ALB, container health check)', cardServiceEcs.build],
  ['settlement-workflow (Step Functions with retries, catch, tracing)', settlementWorkflow.build],
  ['raw-cfn-ledger (raw Cfn* resources only)', rawCfnLedger.build],
  ['event-rule-dlq (EventBridge rule target DLQ, Lambda on-failure destination)', eventRuleDlq.build],
  ['platform-bootstrap (AwsCustomResource, logRetention, bucket notifications, custom-resources Provider: resources CDK adds)', platformBootstrap.build],
  ['conditional-replica (a parameter with allowed values, a condition, settings by Fn::If)', conditionalReplica.build],
  ['card-ledger-vpc (Aurora in isolated subnets, a function in the VPC, REST API with a custom domain)', cardLedgerVpc.build],
  ['cross-stack-events (topic and bus in one stack, subscribed queues and rules in another, alarms in a third)', crossStackEvents.build],
  ['stream-consumer (Kinesis event source with an SQS on-failure destination)', streamConsumer.build],
  ['stream-pipe (EventBridge Pipe from a DynamoDB stream with a DLQ)', streamPipe.build],
  ['shared-network (a network stack whose isolated subnets hold another stack\'s database and functions, one in a nested stack)', sharedNetwork.build],
  ['customer-portal-edge (CloudFront with a us-east-1 web ACL by cross-region reference, S3 and function URL origins with OAC, HTTP API)', customerPortalEdge.build],
  ['realtime-quotes (WebSocket API, Valkey replication group with TLS and AUTH in isolated subnets)', realtimeQuotes.build],
  ['fraud-search (OpenSearch in a VPC with fine-grained access and logs, a Kinesis indexer in another stack)', fraudSearch.build],
  ['card-events-msk (MSK with TLS and IAM auth, a Kafka event source with an on-failure queue)', cardEventsMsk.build],
  ['statement-render-efs (a function mounting EFS through an access point, SQS event source)', statementRenderEfs.build],
  ['audit-trail-backup (CloudTrail to an encrypted bucket and log group, an AWS Backup vault and plan)', auditTrailBackup.build],
  ['customer-identity (Cognito-authorized REST API, rotated partner secret, EventBridge API destination with a DLQ)', customerIdentity.build],
  ['ledger-rds-proxy (PostgreSQL behind an RDS Proxy, hosted rotation through the SAM transform)', ledgerRdsProxy.build],
  ['private-payments-api (PRIVATE REST API limited to one VPC endpoint, Express state machine with a failure-rate alarm)', privatePaymentsApi.build],
  ['edge-signed-downloads (a Lambda@Edge function, response headers policy, CloudFront error-rate alarms)', edgeSignedDownloads.build],
  ['partner-open-banking (mutual-TLS custom domain, usage plan and API keys, CodeDeploy canary on an alias with provisioned concurrency)', partnerOpenBanking.build],
  ['ledger-fifo-archive (FIFO topic to FIFO queues with FIFO dead-letter queues, logs archived through Firehose)', ledgerFifoArchive.build],
  ['chargeback-worker-ecs (aws-ecs-patterns queue worker with step scaling on queue depth)', chargebackWorkerEcs.build],
  ['settlement-file-map (S3 event to a workflow whose distributed map settles each CSV line)', (app, stage) => settlementFileMap.build(app, stage)],
  ['mobile-banking-graphql (AppSync with Cognito, DynamoDB and Lambda resolvers, a web ACL, a 5xx-rate alarm)', mobileBankingGraphql.build],
  ['fx-pricing-functions (Java SnapStart with Insights and ADOT, async SNS invocation with destinations, SQS source with maximum concurrency)', fxPricingFunctions.build],
  ['nightly-batch-fargate (EventBridge Scheduler runs a Fargate task with retries and a DLQ; failures counted by a metric filter)', nightlyBatchFargate.build],
  ['partner-privatelink (TLS network load balancer to an internal ALB, endpoint service for one account, task-token callback workflow)', partnerPrivatelink.build],
  ['records-retention (Object Lock in durable stages, replication to a DR region with its own key, SSE-S3 access logs)', recordsRetention.build],
  ['stack-tagged-ledger (tags given as stack props, none in the template; a raw queue and a nested stack)', stackTaggedLedger.build],
  ['webhook-intake (storage-first: REST API writes to an encrypted queue through an AWS integration role, a worker drains it)', webhookIntake.build],
  ['settlement-reporting (Glue table over an encrypted bucket, Glue security configuration, Athena workgroup with enforced encryption)', settlementReporting.build],
  ['delivery-pipeline (CDK Pipelines: V2 pipeline with artifact keys, a wave to two regions, a scoped smoke step, failure notifications)', deliveryPipeline.build],
  ['treasury-global-ledger (TableV2 replicated with a key per region, Kinesis enhanced fan-out consumer, flow logs to S3 and Logs)', treasuryGlobalLedger.build],
  ['partner-sftp (Transfer Family SFTP server into an encrypted bucket, S3 events through EventBridge to an ingest function)', (app, stage) => partnerSftp.build(app, stage)],
  ['portal-static-publish (BucketDeployment publishing to a CloudFront-fronted bucket and invalidating it, Route 53 alias, ECR)', portalStaticPublish.build],
  ['kyc-documents (DocumentDB in isolated subnets with a rotated, retained master secret, a Session Manager bastion)', kycDocuments.build],
  ['core-ledger-ec2 (ECS on an EC2 capacity provider, an aws-ecs-patterns scheduled Fargate task)', (app, stage) => coreLedgerEc2.build(app, stage)],
  ['payment-events-archive (EventBridge to a CloudWatch Logs target, an Express state machine behind StepFunctionsRestApi)', paymentEventsArchive.build],
  ['retail-identity (Cognito with SMS MFA, a DnsValidatedCertificate in us-east-1, a GitHub OIDC provider and deploy role)', (app, stage) => retailIdentity.build(app, stage)],
  ['disputes-mailbox (SES inbound with its spam filter, an HTTPS subscription with a DLQ, logs to a SIEM stream)', (app, stage) => disputesMailbox.build(app, stage)],
  ['container-release (CodePipeline: S3 source, CodeBuild tests in the VPC, the ECS deploy action; FireLens logs; AppConfig flags rolled back on an alarm)',
    (app, stage) => containerRelease.build(app, stage)],
  ['reporting-workflow (Step Functions service integrations: ECS and Glue run to completion, Athena, a child workflow, an HTTP task)', (app, stage) => reportingWorkflow.build(app, stage)],
  ['card-platform-eks (private EKS cluster: managed nodes, a Fargate profile, the load balancer controller, IRSA; CDK\'s providers in nested stacks)',
    (app, stage) => cardPlatformEks.build(app, stage)],
  ['trading-data-stores (L1 stores without L2s: MemoryDB, Amazon Keyspaces, DAX before a table, a Redshift Serverless namespace; a backup vault)',
    (app, stage) => tradingDataStores.build(app, stage)],
  ['risk-batch (AWS Batch on Fargate: job queue, job definition with retry strategies, run to completion by Step Functions on a schedule)',
    (app, stage) => riskBatch.build(app, stage)],
  ['fraud-model-endpoint (SageMaker L1s: a model in isolated subnets with a hand-written execution role, an encrypted endpoint with data capture, a scoring function)',
    (app, stage) => fraudModelEndpoint.build(app, stage)],
  ['card-switch-broker (Amazon MQ for ActiveMQ in isolated subnets on the team\'s key, a Lambda event source mapping on one of its queues)',
    (app, stage) => cardSwitchBroker.build(app, stage)],
  ['reconciliation-airflow (Amazon MWAA on the team\'s key, its execution role written from the MWAA guide: Celery queues of any account, the key through SQS and S3)',
    (app, stage) => reconciliationAirflow.build(app, stage)],
  ['branch-file-shares (FSx for Windows on the team\'s key with audit logs, retained in durable stages; an FSx for Lustre scratch file system deleted in every stage)',
    (app, stage) => branchFileShares.build(app, stage)],
  ['payouts-sam (AWS::Serverless::Function and Api kept from sam deploy: SQS, schedule and Api events, an on-failure destination, a staged, throttled, logged API behind a web ACL)',
    (app, stage) => payoutsSam.build(app, stage)],
  ['ledger-no-managed-policies (no AWS managed policy: hand-written function roles, the VPC functions\' network-interface statement copied from AWSLambdaVPCAccessExecutionRole)',
    (app, stage) => ledgerNoManagedPolicies.build(app, stage)],
  ['card-advisor-agent (a Bedrock agent with memory on the team\'s key, a guardrail, an action-group function only the agent invokes; an AppSync Events API with request logs)',
    (app, stage) => cardAdvisorAgent.build(app, stage)],
  ['payout-release (a rule on a function alias with the alias\'s on-failure destination, a digest-pinned image function behind account-only gateway endpoints, ' +
    'a REST API whose deployment and stage live in a release stack)', (app, stage) => payoutRelease.build(app, stage)],
  ['terminal-telemetry (functions invoked asynchronously by an IoT topic rule, an SES receipt rule and a log subscription filter, each with an on-failure queue)',
    (app, stage) => terminalTelemetry.build(app, stage)],
];

describe.each(CLEAN_APPS)('clean app %s', (_name, build) => {
  test.each(STAGES)('has no error in %s', stage => {
    const errors = findingsOfCorpusApp(build, stage).filter(f => f.severity === RuleSeverity.ERROR).map(describeFinding);
    expect(errors).toEqual([]);
  });

  // `cdk init` writes aws-cdk-lib's recommended feature flags into cdk.json, so an existing app adopting the pack has them on:
  // CDK then creates a log group per function, tags only what its aspects reach, and names a topic in its queues' key policy.
  test.each(['dev', 'prod'])('has no error in %s with the feature flags `cdk init` sets', stage => {
    const errors = findingsOfCorpusApp(build, stage, CURRENTLY_RECOMMENDED_FLAGS).filter(f => f.severity === RuleSeverity.ERROR).map(describeFinding);
    expect(errors).toEqual([]);
  });

  // A team may construct the pack the way cdk-nag 3 packs are, without a scope: the cloud assembly stands in for the construct tree.
  test('has no error in prod judged from its cloud assembly alone (the pack without a scope)', () => {
    const errors = findingsOfCorpusApp(build, 'prod', {}, { withoutScope: true }).filter(f => f.severity === RuleSeverity.ERROR).map(describeFinding);
    expect(errors).toEqual([]);
  });

  // `cdk init` turns this flag on: CDK then merges the statements of a policy that share resources and conditions.
  test('has no error in prod with merged policy statements (@aws-cdk/aws-iam:minimizePolicies)', () => {
    const errors = findingsOfCorpusApp(build, 'prod', { '@aws-cdk/aws-iam:minimizePolicies': true })
      .filter(f => f.severity === RuleSeverity.ERROR).map(describeFinding);
    expect(errors).toEqual([]);
  });
});
