import * as fs from 'fs';
import * as path from 'path';
import { Component, SampleFile, SampleReadme } from 'projen';
import { writeFile } from 'projen/lib/util';
import { ASSEMBLY_RETENTION_DAYS } from './deploy-workflow';
import type { FintechCdkApp } from './fintech-cdk-app';
import { PINS_CHECKED } from './pinned-actions';
import * as versions from './versions';
import { centralMonitoringBusArn } from '../config/central-monitoring';
import { FintechPlatformConfig } from '../config/platform-config';

/** Where the blueprints ship inside this package (compiled, synthesized and tested by its own suite). */
const BLUEPRINTS_DIR = path.join(__dirname, '..', '..', 'blueprints');

/** One sample workload a new repo can start from. */
interface Blueprint {
  /** What it is, for the README. */
  readonly summary: string;
  /** The stack `main.ts` creates in every stage. */
  readonly stack: { readonly file: string; readonly className: string; readonly id: string };
  /** Files copied, relative to the blueprint's folder; `src/` goes to the srcdir and `test/` to the testdir. */
  readonly files: readonly string[];
  /** Runtime dependencies (bundled into handlers) and development dependencies (handler tests). */
  readonly deps: readonly string[];
  readonly devDeps: readonly string[];
  /** README section explaining its architecture. */
  readonly architecture?: string;
  /**
   * What the observability blueprint's stack is given from this workload's stack, as code of `ObservabilityStackProps`
   * entries; the stack's variable is passed in.
   */
  readonly observed?: {
    /** `PaymentService` entries: services whose handlers publish payment KPIs. */
    readonly paymentServices?: readonly string[];
    /** `PublicEndpoint` entries, given the variable holding this blueprint's stack. */
    readonly publicEndpoints?: (stack: string) => readonly string[];
  };
  /** A blueprint that adds to the others rather than a workload of its own: created last, given what they offer. */
  readonly addOn?: boolean;
}

/** The blueprints `FintechCdkApp` can write, by name. */
export const BLUEPRINTS: { readonly [name: string]: Blueprint } = {
  'payment-webhook': {
    summary: 'a payment provider\'s webhooks: API Gateway behind WAF, a signed and idempotent receiver, a queue with a DLQ, a processor, a table, a stream audit',
    stack: { file: 'payment-webhook-stack', className: 'PaymentWebhookStack', id: 'PaymentWebhook' },
    files: [
      'src/payment-webhook-stack.ts',
      'src/handlers/receiver.ts', 'src/handlers/processor.ts', 'src/handlers/audit.ts', 'src/handlers/webhook-event.ts', 'src/handlers/webhook-signature.ts',
      'test/payment-webhook-stack.test.ts',
      'test/handlers/handler-environment.ts', 'test/handlers/receiver.test.ts', 'test/handlers/processor.test.ts', 'test/handlers/audit.test.ts',
      'test/integ/integ.payment-webhook.ts', 'test/integ/handlers/webhook-sender.ts',
    ],
    deps: versions.BLUEPRINT_HANDLER_DEPS,
    devDeps: versions.BLUEPRINT_TEST_DEPS,
    observed: {
      paymentServices: ["{ serviceName: 'payment-webhook' }"],
      publicEndpoints: stack => [`{ name: 'webhooks', url: ${stack}.healthUrl, expectedJsonPath: '$.status', expectedJsonValue: 'ok' }`],
    },
    architecture: `\`\`\`
provider --POST /webhooks--> WAF (managed rules + rate rule) --> API Gateway stage <env> (throttling, access logs, X-Ray)
   --> receiver (HMAC signature with the Secrets Manager key, Powertools Idempotency on the event id, 202 at once)
   --> SQS inbound (KMS, TLS only) --3 failed receives--> DLQ (alarm when not empty)
   --> processor (Powertools batch: partial failures; conditional write, so a redelivery is stored once)
   --> DynamoDB payments (KMS, PITR, deletion protection in durable stages) --stream--> audit (SDK unmarshall, structured log)
every function: ARM64, tracing, retained encrypted logs, Powertools logs/metrics/traces, error-rate alarm (100 * errors / invocations)
\`\`\`
- The handlers run on AWS's Powertools layer of the version \`package.json\` pins, looked up at deploy time from its public SSM
  parameter, so each function package is only the handler (a few KB instead of about 200 KB with Powertools and the X-Ray SDK
  bundled). In AWS GovCloud (US) or China, or to bundle Powertools with your lock file's dependencies, pass
  \`powertoolsLayer: false\` to \`PaymentWebhookStack\`.
- \`src/payment-webhook-stack.ts\`: the stack; \`src/handlers/\`: receiver, processor, audit and their shared parsing and signature code.
- Set the provider's signing secret once after the first deploy:
  \`aws secretsmanager put-secret-value --secret-id <application>-webhook-signing-secret-<stage> --secret-string <key from the provider>\`.
- \`test/handlers/\`: handler unit tests with \`aws-sdk-client-mock\` (bad signature, replay, duplicate delivery, malformed body, poison record).
- \`test/integ/integ.payment-webhook.ts\`: on AWS, a signed POST gets 202 and is stored, a duplicate is stored once, a forged
  signature gets 401, a poison message reaches the DLQ, alarms carry their metric math, resources carry every tag, and WAF blocks a burst.`,
  },
  'starter': {
    summary: 'a small ledger: an encrypted table, a statement archive and a settlement queue',
    stack: { file: 'ledger-stack', className: 'LedgerStack', id: 'Ledger' },
    files: ['src/ledger-stack.ts', 'test/ledger-stack.test.ts', 'test/integ/integ.ledger.ts'],
    deps: [],
    devDeps: [],
  },
  'transaction-web-app': {
    summary: 'a transaction web app: CloudFront with WAF in front of a static front end and a containerised API on Fargate, Aurora PostgreSQL in isolated subnets, the schema created on deploy',
    stack: { file: 'transaction-web-app-stack', className: 'TransactionWebAppStack', id: 'TransactionWebApp' },
    files: [
      'src/transaction-web-app-stack.ts', 'src/web-domains.json',
      'src/app/Dockerfile', 'src/app/.dockerignore', 'src/app/package.json', 'src/app/package-lock.json',
      'src/app/main.ts', 'src/app/server.ts', 'src/app/transaction-store.ts', 'src/app/transaction-input.ts', 'src/app/currencies.ts',
      'src/app/database-pool.ts', 'src/app/iam-auth-token.ts', 'src/app/json-logger.ts',
      'src/handlers/schema-migration.ts', 'src/handlers/transaction-schema.ts',
      'src/frontend/index.html', 'src/frontend/app.js', 'src/frontend/styles.css',
      'test/transaction-web-app-stack.test.ts', 'test/pglite-database.ts',
      'test/app/server.test.ts', 'test/app/transaction-input.test.ts', 'test/app/currencies.test.ts',
      'test/app/database-pool.test.ts', 'test/app/fake-postgres.ts', 'test/app/iam-auth-token.test.ts', 'test/app/json-logger.test.ts', 'test/app/main.test.ts', 'test/app/dockerfile.test.ts',
      'test/handlers/migration-environment.ts', 'test/handlers/schema-migration.test.ts', 'test/handlers/transaction-schema.test.ts',
      'test/frontend/app.test.ts',
      'test/integ/integ.transaction-web-app.ts', 'test/integ/handlers/origin-probe.ts',
    ],
    // The migration's Powertools and Secrets Manager client (bundled into it), pg and the container's IAM token signer.
    deps: [
      ...versions.BLUEPRINT_HANDLER_DEPS.filter(dep => /^@aws-lambda-powertools\/(logger|tracer|parameters)@|^@aws-sdk\/client-secrets-manager@/.test(dep)),
      ...versions.TRANSACTION_APP_DEPS,
    ],
    devDeps: [...versions.BLUEPRINT_TEST_DEPS, ...versions.TRANSACTION_APP_TEST_DEPS],
    observed: {
      // CloudFront's own name answers too, so the canary needs no custom domain.
      publicEndpoints: stack => [`{ name: 'web', url: \`https://\${${stack}.distribution.distributionDomainName}/\`, expectedText: '<h1>Transactions</h1>' }`],
    },
    architecture: `\`\`\`
viewer --HTTPS--> CloudFront <domainName> (CLOUDFRONT WAF in us-east-1, TLSv1.2_2021, HSTS/CSP headers, access logs)
   /*      --origin access control--> S3 front end (private SecureBucket, KMS): index.html, app.js, styles.css
   /api/*  --HTTPS + X-Origin-Verify secret--> ALB <originDomainName> (regional WAF; admits CloudFront's prefix list only, 403 without the header)
   --> Fargate API tasks, private subnets (circuit breaker with rollback, /health checks, Container Insights, auto scaling)
   --TLS verified with the RDS CA bundle, IAM token as role transaction_api (SELECT, INSERT only)--> Aurora PostgreSQL, isolated subnets
deploy: custom resource --> schema migration function (isolated subnets, master secret) --> table, index, role; then the tasks start
\`\`\`
- **Domains and certificates, per stage, before the first deploy.** In \`src/web-domains.json\`, under \`stages\`, give each stage of
  \`.projenrc.ts\` an entry:
  \`\`\`json
  "prod": {
    "domainName": "pay.example.com",
    "certificateArn": "arn:aws:acm:us-east-1:<account>:certificate/<id>",
    "originDomainName": "origin.pay.example.com",
    "originCertificateArn": "arn:aws:acm:<stage region>:<account>:certificate/<id>",
    "hostedZoneId": "Z0123456789ABC", "hostedZoneName": "example.com"
  }
  \`\`\`
  \`certificateArn\` is an ACM certificate **in us-east-1** for the name viewers use (CloudFront reads certificates only there);
  \`originCertificateArn\` is one **in the stage's region** for the name CloudFront reaches the load balancer by (the ALB's HTTPS
  listener). Request both with DNS validation (\`aws acm request-certificate --domain-name <name> --validation-method DNS --region <region>\`)
  and create the validation records. With \`hostedZoneId\` and \`hostedZoneName\` (a Route 53 public zone holding both names) the stack
  writes the alias records; without them, create them from the stack outputs \`ViewerDnsRecord\` (the name to the distribution) and
  \`OriginDnsRecord\` (the origin name to the load balancer). Synth checks the entry (regions, accounts, names) and names what is wrong;
  a stage without an entry synthesizes with example.com placeholders, and \`deploy:<stage>\` refuses it, naming the entry to add.
  A stage outside us-east-1 also deploys two small stacks there, \`<stage>-Edge\` (the distribution's CLOUDFRONT web ACL) and
  \`<stage>-TransactionWebApp-EdgeLogs\` (its access log delivery), because CloudFront takes both only in us-east-1: bootstrap
  us-east-1 in that account too (\`npx cdk bootstrap aws://<account>/us-east-1\`).
- \`src/app/\`: the API (Node.js 22, node:http, \`pg\`): \`POST /api/transactions\` (\`amount\` as a decimal string or \`amountMinor\`,
  \`currency\` ISO 4217, \`reference\`, \`idempotencyKey\`: the same key twice records one transaction and answers the same),
  \`GET /api/transactions/{id}\`, \`GET /api/transactions?limit=\`, \`GET /health\` (the load balancer's check, asks the database) and
  \`GET /health/live\` (the container's check). It connects over TLS that verifies the server against the RDS CA bundle the image
  downloads at build time (\`rejectUnauthorized\` on, host name checked), with an IAM token (\`@aws-sdk/rds-signer\`, signed again five
  minutes before its 15 minutes run out) as the password of \`transaction_api\`, never the master user. Logs are JSON lines.
  \`src/app/Dockerfile\` builds it in two stages (\`npm ci\` of \`src/app/package-lock.json\`, one esbuild bundle) into a \`node:22-alpine\`
  image that runs as the \`node\` user on port 8080. Docker is needed to deploy, not to synth or test: \`.dockerignore\` keeps the
  folder CDK copies into \`cdk.out\` to the sources.
- \`src/handlers/\`: the schema migration, a custom resource run on every deploy that changes the statements in \`transaction-schema.ts\`
  (idempotent DDL in one transaction: the table, its index for recent reads, the role with \`LOGIN\` and \`rds_iam\`, SELECT and INSERT only).
  To change the schema, add statements there that run any number of times; the API's tasks start only after it succeeded.
- \`src/frontend/\`: a form that records a transaction and a list of recent ones; no inline script or style, so the strict
  Content-Security-Policy of the distribution applies. A changed front end is uploaded and invalidated on deploy.
- \`test/\`: the migration's SQL and the API's queries and HTTP routes run against a real PostgreSQL in the test process (PGlite,
  WebAssembly, no server), as the application role; validation, idempotent POST, token refresh, the bundled container program
  (started with node, stopped with SIGTERM), the Dockerfile, the front end, and the stack with zero \`FintechChecks\` findings.
- \`test/integ/integ.transaction-web-app.ts\`: on AWS, the front end answers 200 over HTTPS through CloudFront and HTTP is redirected,
  a transaction POSTed through the public URL is recorded once and reads back, a client that skips CloudFront gets no answer from the
  load balancer, the database is private in subnets without a route to the internet, the service has its circuit breaker and the
  cluster Container Insights, and resources carry the stage's tags. It needs a Route 53 hosted zone and two certificates
  (\`FINTECH_INTEG_DOMAIN\`, \`FINTECH_INTEG_HOSTED_ZONE_ID\`, \`FINTECH_INTEG_EDGE_CERTIFICATE_ARN\`, \`FINTECH_INTEG_CERTIFICATE_ARN\`;
  \`integ:deploy\` names each one missing before deploying anything), and Docker to build the image.`,
  },
  'fraud-detection-api': {
    summary: 'a fraud-scoring API whose functions run in a VPC with no internet path: WAF and API Gateway in front of a scorer that reads the merchant\'s recent history, ' +
      'high-risk results to an alert topic and a review queue, AWS services reached through VPC endpoints only',
    stack: { file: 'fraud-detection-api-stack', className: 'FraudDetectionApiStack', id: 'FraudDetectionApi' },
    files: [
      'src/fraud-detection-api-stack.ts',
      'src/handlers/scorer.ts', 'src/handlers/reviewer.ts', 'src/handlers/fraud-score.ts', 'src/handlers/transaction.ts',
      'src/handlers/review-request.ts', 'src/handlers/handler-subsegment.ts',
      'test/fraud-detection-api-stack.test.ts',
      'test/handlers/fraud-handler-environment.ts', 'test/handlers/transactions-table.ts', 'test/handlers/fraud-score.test.ts',
      'test/handlers/transaction.test.ts', 'test/handlers/scorer.test.ts', 'test/handlers/reviewer.test.ts',
      'test/integ/integ.fraud-detection-api.ts', 'test/integ/handlers/fraud-probe.ts',
    ],
    // Powertools logs, traces, metrics and batch processing; the DynamoDB document client, SQS and SNS (bundled into the handlers).
    deps: [
      ...versions.BLUEPRINT_HANDLER_DEPS.filter(dep => /^@aws-lambda-powertools\/(logger|tracer|metrics|batch)@|^@aws-sdk\/(client-sqs|client-dynamodb|lib-dynamodb)@/.test(dep)),
      ...versions.FRAUD_API_DEPS,
    ],
    devDeps: versions.BLUEPRINT_TEST_DEPS,
    architecture: `\`\`\`
client --POST /transactions--> WAF (managed rules + rate rule) --> API Gateway stage <env> (throttling, access logs, X-Ray)
   --> scorer (VPC, isolated subnets; security group: no inbound, HTTPS out to the endpoints only)
         --DynamoDB gateway endpoint--> transactions table: query index merchant-time (the merchant's last 30 days, newest 200),
                                        conditional put of the scored transaction (once per transactionId)
         --SNS interface endpoint--> fraud-alerts topic (KMS) --> alert email       } HIGH scores only
         --SQS interface endpoint--> fraud-reviews queue (KMS) --3 failed receives--> DLQ (alarm when not empty)
   fraud-reviews --> reviewer (same subnets; Powertools batch: partial failures) --DynamoDB endpoint--> reviewStatus PENDING_REVIEW, once
VPC: isolated subnets only; no internet gateway, no NAT gateway; endpoints: dynamodb (gateway, policy: this account's tables), sqs, sns
alarms: flag rate 100 * TransactionsFlagged / TransactionsScored (metric math, service and stage dimensions), error rates, DLQ
\`\`\`
- **The score** (\`src/handlers/fraud-score.ts\`, pure, thresholds in \`SCORING\`): velocity (the merchant's transactions in the last
  10 minutes: 5 is elevated, 10 high), the amount against the merchant's mean and spread in the same currency (2.5 standard deviations
  unusual, 4 extreme; fewer than 5 earlier transactions is no history, so neutral), and a country the merchant has not sold to.
  One strong signal or two moderate ones make a transaction HIGH; HIGH ones are published to the alert topic and queued for review.
  The answer is \`{ transactionId, score, level, reasons }\`; a re-post of the same \`transactionId\` gets the first answer, and the same id
  with other details gets 409. Tune \`SCORING\` on your own data: it is a starting point, not a model.
- **Request**: \`{ "transactionId", "merchantId", "amount" (minor units, e.g. 1250), "currency" (ISO 4217), "country" (ISO 3166 alpha-2),
  "cardFingerprint" and/or "customerId", "timestamp" (ISO 8601 with a zone) }\`; anything else gets 400 naming the field.
- **No internet path.** The functions run in isolated subnets of a \`FintechVpc\` with \`internetAccess: false\`: there is no internet or NAT
  gateway to leak data through or to reach anything outside AWS. Each AWS service a function calls needs an endpoint: a function granted a
  service the VPC has no endpoint for fails at synth, naming the endpoint to add to \`endpoints\`. Logs and traces are delivered by Lambda and
  KMS is called by DynamoDB, SQS and SNS themselves, so none of them needs one.
- **Cost of the endpoints.** DynamoDB's gateway endpoint is free; the SQS and SNS interface endpoints are billed per endpoint, per
  availability zone and hour, plus per GB: in us-east-1 at $0.01 an hour and $0.01 per GB (AWS PrivateLink pricing, read 2026-12), two
  endpoints in two zones cost about $29 a month and in three zones about $44, whatever the traffic. The NAT design they replace costs
  $0.045 an hour per gateway plus $0.045 per GB and an elastic IP: about $36 a month for one gateway, $110 for one per zone as a durable
  stage needs, and four and a half times as much per GB. Each further interface endpoint adds about $7.30 a month per zone, so add
  only what the functions call.
- \`test/handlers/\`: the score's signals and thresholds, input validation, and both handlers against an in-memory table with
  \`aws-sdk-client-mock\` (a burst scored HIGH and alerted, an outlier amount, a new country, an idempotent re-post, a retried alert,
  the reviewer's partial batch failures); \`test/fraud-detection-api-stack.test.ts\`: zero \`FintechChecks\` findings in an ephemeral and a
  durable stage, no internet or NAT gateway, the endpoints, the functions' subnets and security groups, the index, the flag-rate alarm.
- \`test/integ/integ.fraud-detection-api.ts\`: on AWS, a calm transaction is LOW and not alerted, a burst for one merchant is HIGH,
  reaches the alert topic and gets its review opened through the queue, the VPC has no internet gateway and no route to one or to a NAT
  (while the functions reached DynamoDB, SQS and SNS), resources carry every tag, and WAF blocks a burst over the rate.`,
  },
  'trade-pipeline': {
    summary: 'an event-driven trade pipeline: trades put on an encrypted, archived event bus start a Step Functions workflow that validates, ' +
      'enriches and records each trade once in a DynamoDB global table replicated to the stage\'s replica regions; invalid trades are recorded with their reasons',
    stack: { file: 'trade-pipeline-stack', className: 'TradePipelineStack', id: 'TradePipeline' },
    files: [
      'src/trade-pipeline-stack.ts',
      'src/handlers/validate.ts', 'src/handlers/enrich.ts', 'src/handlers/record.ts', 'src/handlers/rejected.ts',
      'src/handlers/trade.ts', 'src/handlers/enrichment.ts', 'src/handlers/notional.ts', 'src/handlers/check-digits.ts',
      'src/handlers/currencies.ts', 'src/handlers/trade-status.ts', 'src/handlers/handler-subsegment.ts',
      'test/trade-pipeline-stack.test.ts',
      'test/handlers/trade-handler-environment.ts', 'test/handlers/trade.test.ts', 'test/handlers/check-digits.test.ts',
      'test/handlers/enrichment.test.ts', 'test/handlers/validate.test.ts', 'test/handlers/enrich.test.ts',
      'test/handlers/record.test.ts', 'test/handlers/rejected.test.ts',
      'test/integ/integ.trade-pipeline.ts', 'test/integ/handlers/trade-probe.ts',
    ],
    // Powertools logs, traces and metrics; DynamoDB for the handlers, SQS for the integ test's probe (bundled into the functions).
    deps: versions.BLUEPRINT_HANDLER_DEPS.filter(dep => /^@aws-lambda-powertools\/(logger|tracer|metrics)@|^@aws-sdk\/(client-dynamodb|util-dynamodb|client-sqs)@/.test(dep)),
    devDeps: versions.BLUEPRINT_TEST_DEPS,
    architecture: `\`\`\`
source system --PutEvents (source <application>.trading, detail-type TradeSubmitted)--> event bus trades (KMS, DLQ, archive: 365 days durable / 7 ephemeral)
   --rule trade-submitted (10 retries, 1 hour; then its DLQ, alarmed)--> Step Functions trade-workflow (STANDARD, X-Ray, encrypted logs, failure-rate alarm)
        Validate --> IsValid --valid--> Enrich --> Record --> Recorded   (execution output: tradeId, recorded, duplicate, settlementDate)
                             --invalid--> RecordRejection --> Rejected  (status REJECTED and the reasons, in the table and the output)
        any task: Retry of Lambda's transient errors (2 s doubling, 6 attempts, full jitter), then Catch --> RecordFailure --> TradeFailed
   Record / RecordRejection / RecordFailure --conditional PutItem--> DynamoDB global table trades (a customer key per region, PITR, insights)
        index sourceSystem-tradeDate; replicas in replicaRegions, each with its key and alarms in a <stage>-Replicas-<region> stack
alarms: rejection rate 100 * TradesRejected / TradesValidated (metric math), workflow failure rate, function errors, DLQs, replication latency
\`\`\`
- **Send trades** with \`aws events put-events\` or any SDK, to the bus of the \`BusName\` output, with \`Source\` <application>.trading (the
  \`tradeSource\` prop changes it) and \`DetailType\` TradeSubmitted. The detail: \`{ "tradeId", "sourceSystem", "counterpartyLei" (ISO 17442,
  check digits verified), "isin" (check digit verified), "side" (BUY or SELL), "quantity" (whole units), "price" (a decimal string in major
  units, e.g. "187.25"), "currency" (ISO 4217, from \`src/handlers/currencies.ts\`), "tradeDate" (YYYY-MM-DD), "executedAt" (optional) }\`.
- **Each task**: \`Validate\` checks the schema and the business rules (notional above 0 and at most \`maxTradeNotional\`, 100 million major units
  by default; counterparty not in \`blockedCounterparties\`; trade date and execution time not in the future) and answers
  \`{ valid: true, trade }\` or \`{ valid: false, reasons }\`: an invalid trade is a business outcome, not an error. \`Enrich\` computes the
  notional in minor units in integers, the settlement date (T + \`settlementDays\` weekdays, 2 by default; public holidays are not known)
  and a booking key (a digest of the economic fields). \`Record\` writes the trade once per \`tradeId\`: a second delivery (EventBridge
  delivers at least once, and an archive replay sends trades again) answers \`duplicate: true\`, and a reused id with other details is
  logged as a warning, the first trade kept. \`RecordRejection\` and \`RecordFailure\` record the trade as REJECTED or FAILED with its reasons;
  a corrected resend of a rejected or failed trade replaces that record.
- **Rejected, not failed.** An invalid trade ends in the \`Rejected\` succeed state with its reasons as the execution's output, so the
  workflow's failure-rate alarm pages only for faults (a function that keeps failing, a table that refuses writes); rejections have
  their own rate alarm. A fault ends in \`TradeFailed\` with the error and cause, after the trade was recorded as FAILED.
- **Second region.** Give an environment \`replicaRegions\` in \`.projenrc.ts\` (e.g. \`replicaRegions: ['us-west-2']\`, with its \`account\`
  set) and its trades table gets a replica there, under a key of that region, with its alarms, in a \`<stage>-Replicas-<region>\` stack
  that deploys first; bootstrap that region too (\`npx cdk bootstrap aws://<account>/us-west-2\`). Reads in the replica region are
  eventually consistent; the workflow writes in the home region.
- **Query by source system**: the index \`sourceSystem-tradeDate\` holds every item with a source system, e.g. a day's REJECTED trades of one
  system: \`aws dynamodb query --index-name sourceSystem-tradeDate --key-condition-expression "sourceSystem = :s AND tradeDate = :d"\`.
- **Replay**: the bus archives every event (a year in durable stages); \`aws events start-replay\` sends them through the rule again,
  and the conditional write keeps each trade recorded once.
- \`test/handlers/\`: every validation rule passing and failing, LEI and ISIN check digits, exact notionals, settlement over weekends, a
  duplicate and a reused id, rejections and failures recorded (\`aws-sdk-client-mock\`); \`test/trade-pipeline-stack.test.ts\`: zero
  \`FintechChecks\` findings in an ephemeral and a replicated durable stage, Retry and Catch on every task, the rule's retries and DLQ,
  the replicas and their keys, the archive, PutItem-only grants and the exports.
- \`test/integ/integ.trade-pipeline.ts\`: on AWS, a valid trade put on the bus is recorded by a SUCCEEDED execution, the same trade again is
  recorded once (the second execution answers duplicate), an invalid one ends in Rejected with its reasons and a REJECTED item, the trade
  becomes readable in the replica region, an event whose target cannot be invoked reaches the rule's DLQ, the deployed workflow's tasks
  carry Retry and Catch, and resources carry every tag in both regions. It needs \`FINTECH_INTEG_ACCOUNT\` (the account, bootstrapped in
  both regions): replicas need the account at synth.`,
  },
  'observability': {
    summary: 'observability on top of the other blueprints\' workloads: X-Ray sampling at 0.1 and groups, Contributor Insights, saved Logs Insights queries, ' +
      'one dashboard with a payment KPI row, change events and alarm state changes forwarded to the central monitoring account, canaries on the public ' +
      'endpoints, and payment success, fraud and amount alarms as rates and statistics',
    stack: { file: 'observability-stack', className: 'ObservabilityStack', id: 'Observability' },
    files: [
      'src/observability-stack.ts',
      'test/observability-stack.test.ts', 'test/observed-payment-service.ts',
      'test/integ/integ.observability.ts', 'test/integ/handlers/observed-payment.ts', 'test/integ/handlers/observability-probe.ts',
    ],
    // The integ test's payment function publishes KPIs with Powertools (bundled); its probe reads X-Ray and CloudWatch.
    deps: versions.BLUEPRINT_HANDLER_DEPS.filter(dep => /^@aws-lambda-powertools\/(logger|metrics)@/.test(dep)),
    devDeps: [...versions.BLUEPRINT_TEST_DEPS, ...versions.OBSERVABILITY_TEST_DEPS],
    addOn: true,
    architecture: `\`\`\`
every stack of the stage (created before it in src/main.ts) --WorkloadObservability finds--> functions, REST APIs, queues, tables, state machines, web services
   tracing:      X-Ray sampling rule (1 a second, then 10%), a group with insights per traced service (Lambda, API Gateway, Step Functions)
   insights:     Contributor Insights: top API consumers (access logs), error-prone functions (ERROR logs); DynamoDB throttled keys
   queries:      saved Logs Insights queries per stage: errors, slow requests, failed payments by id
   dashboard:    <application>-service-<stage>: payment KPI row first, then a row per resource
   change events: Lambda, API Gateway, DynamoDB, SQS configuration changes (CloudTrail) and alarm state changes
                 --rule (retries, DLQ)--> stage alert topic, and --role: events:PutEvents on it only--> central monitoring bus (monitoring in .projenrc.ts)
   canaries:     one per public endpoint (status, content, latency budget), artifacts in an encrypted private bucket with a lifecycle, alarm on success rate
   KPI alarms:   100 * PaymentFailed / payments, 100 * FraudTriggered / payments (metric math, at least 10 payments), Average PaymentAmount per currency band
\`\`\`
- \`src/observability-stack.ts\`: \`ObservabilityStack\`, created last in every stage by \`src/main.ts\`, which passes it what the workloads offer:
  the payment services whose handlers publish payment KPIs (the payment-webhook processor does, with \`PaymentKpis\` from
  \`fintech-infra-template/lib/observability/payment-kpis\`) and the public endpoints to check (the webhook API's \`GET /health\`, the web app's
  front end through CloudFront's own name). Leave a part out by name: \`exclude: [ObservabilityPart.CANARIES]\`. Give a payment service
  \`averageAmountBands\` (\`{ currency: 'EUR', min: 500, max: 20000 }\`, minor units) to alarm on its average amount.
- **Publish payment KPIs from your own handlers**: \`const kpis = new PaymentKpis(new Metrics())\` at module scope, \`kpis.record({ outcome, amountMinorUnits,
  currency, fraudTriggered })\` per payment attempt, \`publishStoredMetrics()\` at the end; give the function
  \`BusinessKpiAlarms.stageEnvironment(this)\` in its environment and add its service to \`paymentServices\`.
- **Central monitoring**: with \`monitoring\` set in \`.projenrc.ts\`, change events and alarm state changes go to the monitoring account's bus too
  (see "Central monitoring" above for its stack and the permissions); without it they go to the stage's alert topic only.
- **Cost** per stage and month, before traffic and the account's free tier, at us-east-1 list prices (fintech-infra-template's
  \`bench/observability-cost.ts\` over payment-webhook, prices of 2026-12): about $15.31: the dashboard $3.00, two Contributor Insights
  rules $1.00, eight alarm metrics $0.80, and one canary every 5 minutes $10.51 (8,760 runs at $0.0012; each further endpoint adds as
  much, a longer \`schedule\` less). Traffic adds: log events the rules match, traces, events sent to the monitoring account.
- \`test/observability-stack.test.ts\`: zero \`FintechChecks\` findings in an ephemeral and a durable stage, over a small payment service of its own
  (\`test/observed-payment-service.ts\`, whatever workloads the repo has): the sampling rule, groups, insight rules, queries, dashboard with its KPI
  row, events to the central bus, the canary, the KPI alarms' math.
- \`test/integ/integ.observability.ts\`: on AWS, after payments through the API, a trace is found in the functions' X-Ray group, the KPI metric is
  in CloudWatch with its service and stage dimensions, the top-api-consumers rule ranks the test's caller, an \`UpdateFunctionConfiguration\`
  reaches the central bus's log group, the health canary passes and one pointed at a missing path fails, and the KPI alarms carry their math. It
  needs \`FINTECH_INTEG_ACCOUNT\` (it plays the stage and the monitoring account) and a CloudTrail trail in that account and region.`,
  },
};

/** The shipped Mermaid flowchart of a blueprint's synthesized stack (drawn by `fintech-diagram`, kept current by a test). */
export function blueprintDiagramPath(name: string): string {
  return path.join(BLUEPRINTS_DIR, name, 'architecture.mmd');
}

/** A blueprint's stack variable in the generated `main.ts`: `payment-webhook` is `paymentWebhook`. */
export function blueprintVariable(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Blueprint names `FintechCdkApp` accepts, `none` included. */
export const BLUEPRINT_NAMES = [...Object.keys(BLUEPRINTS), 'none'];

/** Options of `BlueprintSamples`. */
export interface BlueprintSamplesOptions {
  /** Blueprint names (`BLUEPRINTS` keys); empty for none. */
  readonly blueprints: readonly string[];
  /** Source folder of the project. */
  readonly srcdir: string;
  /** Test folder of the project. */
  readonly testdir: string;
}

/**
 * The sample files of a new repo: the chosen blueprints (stacks, handlers, unit and integ tests), a `main.ts` that creates
 * each blueprint's stack in every stage, and a README that explains the architecture, the environment model and every task.
 * Written once when missing; the user owns them afterwards.
 */
export class BlueprintSamples extends Component {
  constructor(project: FintechCdkApp, options: BlueprintSamplesOptions) {
    super(project);
    // A file two blueprints both ship (the same helper, kept identical by the tests) is written once.
    const written = new Set<string>();
    for (const name of options.blueprints) {
      const blueprint = BLUEPRINTS[name];
      for (const file of blueprint.files.filter(f => !written.has(f))) {
        written.add(file);
        const to = file.replace(/^src\//, `${options.srcdir}/`).replace(/^test\//, `${options.testdir}/`);
        new SampleFile(project, to, { sourcePath: path.join(BLUEPRINTS_DIR, name, file) });
      }
      if (blueprint.deps.length > 0) project.addDeps(...blueprint.deps);
      if (blueprint.devDeps.length > 0) project.addDevDeps(...blueprint.devDeps);
    }
    new SampleFile(project, `${options.srcdir}/main.ts`, { contents: renderMain(options.blueprints) });
    new BlueprintReadme(project, options.blueprints);
  }
}

/**
 * The new repo's README: a sample file like projen's `SampleReadme` (written when missing, the user's afterwards), whose
 * contents are rendered at synth, when every task of the project is known. It takes the place of projen's one-line
 * placeholder README, which would otherwise be written first.
 */
class BlueprintReadme extends SampleFile {
  private readonly blueprints: readonly string[];

  constructor(project: FintechCdkApp, blueprints: readonly string[]) {
    super(project, 'README.md', { contents: '# rendered at synth' });
    this.blueprints = blueprints;
    for (const placeholder of project.components.filter(c => c instanceof SampleReadme)) {
      project.node.tryRemoveChild(placeholder.node.id);
    }
  }

  public synthesize(): void {
    const project = this.project as FintechCdkApp;
    const file = path.join(project.outdir, 'README.md');
    if (!fs.existsSync(file)) writeFile(file, renderReadme(project, this.blueprints), { readonly: false });
  }
}

/** The app: each chosen blueprint's stack in every stage of `.projenrc.ts`, add-ons last, given what the workloads offer them. */
function renderMain(blueprints: readonly string[]): string {
  const workloads = blueprints.filter(name => !BLUEPRINTS[name].addOn);
  const addOns = blueprints.filter(name => BLUEPRINTS[name].addOn);
  const stacks = [...workloads, ...addOns].map(name => BLUEPRINTS[name].stack);
  const offered = (name: string) => BLUEPRINTS[name].observed?.publicEndpoints !== undefined;
  const paymentServices = workloads.flatMap(name => BLUEPRINTS[name].observed?.paymentServices ?? []);
  const publicEndpoints = workloads.flatMap(name => BLUEPRINTS[name].observed?.publicEndpoints?.(blueprintVariable(name)) ?? []);
  const addOnProps = [
    ...(paymentServices.length > 0 ? [`    paymentServices: [${paymentServices.join(', ')}],`] : []),
    ...(publicEndpoints.length > 0 ? ['    publicEndpoints: [', ...publicEndpoints.map(endpoint => `      ${endpoint},`), '    ],'] : []),
  ];
  const body = [
    ...workloads.map(name => {
      const { className, id } = BLUEPRINTS[name].stack;
      return addOns.length > 0 && offered(name) ? `  const ${blueprintVariable(name)} = new ${className}(stage, '${id}');` : `  new ${className}(stage, '${id}');`;
    }),
    ...addOns.flatMap(name => {
      const { className, id } = BLUEPRINTS[name].stack;
      return ['  // Last: it observes every stack created above in this stage.',
        ...(addOnProps.length > 0 ? [`  new ${className}(stage, '${id}', {`, ...addOnProps, '  });'] : [`  new ${className}(stage, '${id}');`])];
    }),
  ];
  return [
    "import { App } from 'aws-cdk-lib';",
    "import config from './fintech.config.json';",
    ...stacks.map(s => `import { ${s.className} } from './${s.file}';`),
    "import { FintechStage } from 'fintech-infra-template';",
    '',
    '// One FintechStage per environment of .projenrc.ts: tags, stage-aware removal policies and',
    '// the FintechChecks rule pack come with the stage, so stacks only describe the workload.',
    'const app = new App();',
    'for (const stage of FintechStage.fromConfig(app, config)) {',
    ...(body.length > 0 ? body : ['  // Create your stacks here, e.g. new MyStack(stage, \'My\');', '  void stage;']),
    '}',
    'app.synth();',
    '',
  ].join('\n');
}

function renderReadme(project: FintechCdkApp, blueprints: readonly string[]): string {
  const config: FintechPlatformConfig = project.platformConfig;
  const environments = config.environments
    .map(env => `| \`${env.name}\` | ${env.account ?? '_not set: environment-agnostic_'} | ${env.region} | ${env.durable ? 'durable: RETAIN/SNAPSHOT, deletion protection on' : 'ephemeral: everything DESTROY, buckets auto-emptied'} |`)
    .join('\n');
  const tasks = project.tasks.all
    .filter(task => !task.name.startsWith('install') || task.name === 'install')
    .map(task => `| \`npx projen ${task.name}\` | ${(task.description ?? '').replace(/\|/g, '\\|')} |`)
    .join('\n');
  return `# ${project.name}

A fintech AWS CDK app made from [fintech-infra-template](https://github.com/fintech-infra-template/fintech-infra-template).
\`.projenrc.ts\` is the one place to change the project: run \`npx projen\` after editing it.

## Start
\`\`\`sh
npm install
npx projen build   # type-check and lint, then unit tests, integ snapshots and synth of every stage with the FintechChecks rule pack
\`\`\`

## Environments
Declared once in \`.projenrc.ts\` (\`environments\`), written by projen to the managed
\`src/fintech.config.json\`, and turned into one \`FintechStage\` per entry by \`src/main.ts\`.

| stage | account | region | on \`cdk destroy\` |
|---|---|---|---|
${environments}

Every stage:
- tags every taggable resource with ${(config.requiredTagKeys ?? []).map(k => `\`${k}\``).join(', ')}${Object.keys(config.extraTags ?? {}).length ? ` and ${Object.keys(config.extraTags ?? {}).map(k => `\`${k}\``).join(', ')}` : ''};
- applies stage-aware removal policies to every stateful resource (S3, DynamoDB, RDS, KMS, Logs,
  SQS, ECR, Cognito, EFS, Secrets Manager), also to raw \`Cfn*\` resources;
- runs the \`FintechChecks\` rule pack at synth: \`cdk synth\` fails on a finding. To accept one
  finding on one construct, acknowledge it with a reason:
  \`Validations.of(construct).acknowledge({ id: 'Fintech-C02-...', reason: 'why' })\`.

A stage without an \`account\` synthesizes environment-agnostic (with a warning), so everything
builds offline; set the account before deploying it. Stage names end every physical name
(\`PhysicalName.of(this, 'entries')\` gives \`${config.application}-entries-<stage>\`), so stages can be deployed side by side.

## Deploying
1. Credentials: \`aws sso login --profile <p>\` and \`export AWS_PROFILE=<p>\` (or any standard AWS credential source).
   Every deploy task checks them first and fails in seconds with what to do when they are missing or expired.
2. Bootstrap each account and region once: \`npx cdk bootstrap aws://<account>/<region>\` (\`deploy:<stage>\` stops in seconds,
   with this command, when the stage's region is not bootstrapped).
3. \`npx projen deploy:<stage>\` (\`diff:<stage>\` first to see the change set). Durable stages need an \`account\`
   in \`.projenrc.ts\` and \`--confirm\` when run by hand (CI needs no flag); credentials for another account are refused.
   A deploy synthesizes once into \`cdk.out\` and deploys that assembly (\`-- --app <dir>\` deploys one already synthesized), and
   stops before deploying when an SSM parameter its stacks resolve is missing or a stack is in a state CloudFormation cannot update
   from, naming the stack and the command that fixes it. After Ctrl-C it says which state each stack was left in.

${monitoringSection(config)}${rehearsalSection(config)}## Integration tests
\`test/integ/integ.*.ts\` are [integ-tests-alpha](https://docs.aws.amazon.com/cdk/api/v2/docs/integ-tests-alpha-readme.html) tests:
they deploy a throwaway stage and assert real behaviour with AWS API calls.
- Offline, part of \`build\`: \`npx projen integ:verify\` fails when a test synthesizes differently from its committed snapshot
  (assertions included); after an intended change run \`npx projen integ:snapshot\` and commit the snapshot.
- Against an account: \`npx projen integ:deploy\` checks credentials, bootstrap and the SSM parameters the stacks resolve at
  deploy time (such as the Powertools layer of the pinned version), deploys each test to
  ${config.environments[0]?.region ?? 'the first environment\'s region'}, runs its assertions (a failed assertion fails the run) and destroys the stacks,
  also when an assertion fails. If a run is interrupted, \`npx projen integ:destroy\` removes what it left.

## Rule pack reports
\`npx projen fintech-checks\` writes \`reports/fintech-checks/<stage>.sarif\` (SARIF 2.1.0: upload it to GitHub code scanning;
each finding points at the line that created the construct) and \`<stage>.md\` (a summary for pull requests).
${nagPacksParagraph(config.cdkNagPacks ?? [])}

## GitHub Actions
Give an environment a \`deployRoleArn\` in \`.projenrc.ts\` and projen writes \`.github/workflows/deploy.yml\`: on every push to
the default branch one build job compiles, lints, runs the offline suite and synthesizes every stage with the rule pack
(\`npx projen build\`), keeps that cloud assembly (\`cdk.out\`, bundled Lambda code included) as a workflow artifact named after
the commit, for ${ASSEMBLY_RETENTION_DAYS} days, with its SHA-256, and uploads the SARIF reports. Then each environment with a role, in the order
declared, downloads that assembly, checks its SHA-256 and deploys it as it is: \`npx projen deploy:<stage> -- --app cdk.out\`
installs dependencies but never builds or synthesizes, so what reaches an account is exactly what was checked and tested.
Each deploy job assumes its role through OIDC (no stored keys) as the GitHub environment of the same name, and deploys only from
the default branch. A durable stage approved after the artifact expired needs the whole workflow re-run (it rebuilds the commit).
- In each account, create an IAM OIDC provider for \`token.actions.githubusercontent.com\` and a role whose trust policy allows
  \`sts:AssumeRoleWithWebIdentity\` for \`repo:<owner>/<repo>:environment:<stage>\` (audience \`sts.amazonaws.com\`), with permission to
  assume the CDK bootstrap roles (\`arn:aws:iam::<account>:role/cdk-hnb659fds-*\`).
- In the repository settings, protect the GitHub environments of durable stages with required reviewers (and restrict them to the
  default branch).

**Diffs on pull requests.** Give an environment a \`diffRoleArn\` too and projen writes \`.github/workflows/diff.yml\`: on every pull
request it builds the assembly the same way, then per such environment runs \`npx projen diff:<stage> -- --app cdk.out --no-change-set\`
and posts the result as one comment per stage, updated on every push. Only these jobs may write to pull requests.
- The diff role is not the deploy role (projen refuses the same ARN): it is trusted for \`repo:<owner>/<repo>:pull_request\`, a subject
  every branch of the repository can present, so it may only read. Give it \`sts:AssumeRole\` on the CDK lookup role
  \`arn:aws:iam::<account>:role/cdk-hnb659fds-lookup-role-<account>-<region>\` (read-only; \`--no-change-set\` makes \`cdk diff\` read the
  deployed templates through it instead of creating a change set with the deploy role), and nothing else.
- Pull requests from forks get no OIDC token from GitHub, so they get a notice instead of a diff; push the branch to this repository
  to get one. The comments show template changes to everyone who can read the pull request.

**Pinned actions.** Every third-party action of every workflow, projen's own included, is pinned to a full commit SHA with its
release as a comment (\`uses: actions/checkout@<sha> # v7.0.1\`), as OpenSSF Scorecard's Pinned-Dependencies check asks. The pins come
from fintech-infra-template (\`PINNED_ACTIONS\`, checked ${PINS_CHECKED}): upgrading it and running \`npx projen\` updates them. To move one
action sooner, override it in \`.projenrc.ts\` with the commit its release tag points at (\`git rev-parse v7.0.1^{commit}\` in a clone of the action):
\`project.github?.actions.set('actions/checkout', 'actions/checkout@<sha>')\`; an override there always wins.

## Tasks
| command | what it does |
|---|---|
${tasks}

${blueprintSections(blueprints)}## Layout
- \`src/main.ts\`: the CDK app, one \`FintechStage\` per environment${blueprints.length > 0 ? `, each with ${blueprints.map(b => `\`${BLUEPRINTS[b].stack.className}\``).join(' and ')}` : ''}.
- \`test/\`: unit tests (transpile-only jest, \`npx projen test:unit\` alone; \`test\` runs them next to \`integ:verify\` and \`synth:silent\`; \`compile\` type-checks and lints src, test and \`.projenrc.ts\` once, with one TypeScript program); \`test/integ/\`: integration tests.
- \`src/fintech.config.json\`: generated from \`.projenrc.ts\`; do not edit.
`;
}

function blueprintSections(blueprints: readonly string[]): string {
  return blueprints.map(name => {
    const blueprint = BLUEPRINTS[name];
    const diagram = fs.readFileSync(blueprintDiagramPath(name), 'utf-8').trimEnd();
    return `## Blueprint: ${name}\n${blueprint.summary[0].toUpperCase()}${blueprint.summary.slice(1)}.\n\n` +
      `\`\`\`mermaid\n${diagram}\n\`\`\`\n` +
      'Drawn by `fintech-diagram` from the synthesized stack (dotted arrows are failure paths); `npx projen diagram` draws your app as it is now into `docs/architecture.md`.\n\n' +
      `${blueprint.architecture ?? `See \`src/${blueprint.stack.file}.ts\`.`}\n\n`;
  }).join('');
}

/** What the README says about cdk-nag packs in the reports: the ones enabled, or how to enable them. */
function nagPacksParagraph(packs: readonly string[]): string {
  const acknowledge = "acknowledge one of their findings the same way, with its id: `Validations.of(construct).acknowledge({ id: 'AwsSolutions-S1', reason: 'why' })`.";
  return packs.length > 0
    ? `The cdk-nag packs of \`.projenrc.ts\` (\`cdkNagPacks\`: ${packs.map(p => `\`${p}\``).join(', ')}) run in every synth and write into the same\n` +
      `reports, each under its own rule ids; ${acknowledge}`
    : "To run cdk-nag packs beside the rule pack, into the same reports, list them in `.projenrc.ts`, e.g. `cdkNagPacks: ['AwsSolutions']`\n" +
      `(also \`HIPAA.Security\`, \`NIST.800.53.R4\`, \`NIST.800.53.R5\`, \`PCI.DSS.321\`, \`Serverless\`); ${acknowledge}`;
}

/** The README section on the central monitoring account: its cross-account permissions when set, how to set it otherwise. */
function monitoringSection(config: FintechPlatformConfig): string {
  const monitoring = config.monitoring;
  if (!monitoring) {
    return '## Central monitoring\n' +
      "To forward every stage's service change events and alarm state changes to a monitoring account, set\n" +
      "`monitoring: { account: '<12 digits>', region: '<region>' }` in `.projenrc.ts` (every environment then needs its `account`).\n\n";
  }
  const sources = [...new Set(config.environments.map(env => env.account).filter(account => account && account !== monitoring.account))];
  return `## Central monitoring
\`.projenrc.ts\` names the monitoring account \`${monitoring.account}\` (\`${monitoring.region}\`). Its event bus
\`${centralMonitoringBusArn(config.application, monitoring)}\` (\`FintechStage.centralMonitoringBusArn\`) receives the
stages' forwarded events. Permissions, on each side:
- **Monitoring account** (deploy first): \`new CentralMonitoringStack(app, 'CentralMonitoring', { config })\` in \`src/main.ts\`, deployed with
  \`npx cdk deploy CentralMonitoring\` using credentials of ${monitoring.account} (bootstrap \`aws://${monitoring.account}/${monitoring.region}\` once).
  The bus policy allows \`events:PutEvents\` on that bus only, to ${sources.length > 0 ? sources.map(a => `\`${a}\``).join(', ') : 'no other account (every stage is in the monitoring account)'}; arriving
  events go to an encrypted log group kept a year, with retries and a dead-letter queue.
- **Stage accounts**: \`ServiceChangeEvents\` with \`centralBusArn: stage.centralMonitoringBusArn\` creates, per stage, a role EventBridge assumes
  with \`events:PutEvents\` on the central bus ARN only, and a dead-letter queue for events that could not be delivered.
- An account added to \`environments\` is accepted by the bus after the monitoring stack is deployed again; with AWS Organizations you
  may prefer one \`aws:PrincipalOrgID\` condition instead of the account list (\`CentralMonitoringBus.eventBus.addToResourcePolicy\`).

`;
}

/** The README section on rehearsing a deploy against an AWS emulator, for the first ephemeral stage. */
function rehearsalSection(config: FintechPlatformConfig): string {
  const stage = config.environments.find(e => !e.durable) ?? config.environments[0];
  const name = stage?.name ?? 'dev';
  const region = stage?.region ?? 'us-east-1';
  return `## Rehearse a deploy locally
The deploy and integ tasks and their pre-checks honour \`AWS_ENDPOINT_URL\` (and the per-service \`AWS_ENDPOINT_URL_<SERVICE>\`
variables the AWS SDK, the AWS CLI and cdk read) and print one line saying they target an emulator, so a deploy can be rehearsed
without an account, against [moto](https://docs.getmoto.org/en/latest/docs/server_mode.html)'s server or LocalStack:
\`\`\`sh
python3 -m moto.server -p 5000 &                 # LocalStack instead: localstack start -d, then port 4566
export AWS_ENDPOINT_URL=http://localhost:5000   # localhost, not 127.0.0.1: moto would read the IP in an S3 URL as a bucket name
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=${region}   # fake keys: emulators accept any
npx cdk bootstrap aws://123456789012/${region}    # moto's account (LocalStack's is 000000000000); deploy:${name} names it if missing
npx projen deploy:${name} -- -c fintech:powertools-layer=false
npx projen destroy:${name}
\`\`\`
- \`-c fintech:powertools-layer=false\` (a context value, passed to the synth): functions with \`powertoolsLayer: true\` bundle
  Powertools instead of taking AWS's public layer, so the stacks resolve no \`/aws/service/powertools/...\` SSM parameter. Emulators
  hold none of AWS's public parameters and moto refuses to create any under \`/aws/\`; without the value \`deploy:${name}\` stops and names it.
- Every check still runs against the emulator: credentials, bootstrap, SSM parameters, stack states, and the account guard of
  durable stages (the emulator's account must be the stage's \`account\`).
- What an emulator cannot tell you: Lambda functions are created but not run (moto without Docker); some resource types are accepted
  without being created (moto: DynamoDB global tables, bucket and queue policies, SNS subscriptions); some change-set updates fail
  where AWS would succeed; IAM policies and quotas are not enforced. A rehearsal shows that the stacks deploy, update and delete in
  order; \`integ:deploy\` against an account shows that the workload behaves.
- A deploy interrupted (Ctrl-C) after cdk created a change set leaves its stack in \`REVIEW_IN_PROGRESS\`. AWS lets the next deploy
  replace that change set, moto does not: \`deploy:${name}\` then names the stack and the \`aws cloudformation delete-stack\` to run.
  A resource moto cannot create leaves its stack \`CREATE_IN_PROGRESS\` for good; \`deploy:${name}\` names that stack and the same delete.

`;
}
