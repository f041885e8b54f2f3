// Versions that work together on this registry, measured Nov 2026 (../shared/design.md, "Tooling facts").
// Move them together: integ-runner reads cloud assembly schema <= 53, which aws-cdk-lib emits up to 2.257.x.

/** aws-cdk-lib: newest release whose assembly integ-runner 2.197.10 can read; first with `Validations`. */
export const CDK_VERSION = '2.257.0';
/** The `latest` tag of the CLI (3.0.0) was published by mistake and rejects current assemblies. */
export const CDK_CLI_VERSION = '2.1148.1';
/** TypeScript 7 (`latest`) is the native compiler, which ts-node and ts-jest cannot drive. */
export const TYPESCRIPT_VERSION = '~5.9.0';
export const INTEG_RUNNER_VERSION = '2.197.10';
export const INTEG_TESTS_ALPHA_VERSION = '2.245.0-alpha.0';
/** cdk-nag 3 packs are CDK validation plugins, like FintechChecks; 3.0.2 needs aws-cdk-lib >= 2.257.0. */
export const CDK_NAG_VERSION = '^3.0.2';
/** NodejsFunction bundles with a local esbuild (the range aws-cdk-lib 2.257 tests with); without one CDK falls back to Docker. */
export const ESBUILD_VERSION = '^0.27.3';

/** The one aws-cdk-lib line generated repos may use: Validations from 2.257, integ-runner's schema up to 2.257.x. */
export const CDK_VERSION_LINE = '2.257';
/** Node.js the generated repos run on (and the @types/node major they install). */
export const MIN_NODE_VERSION = '20.0.0';
/** AWS SDK v3 clients the pre-checks call (STS, SSM) with the project's own copy: one attempt, short timeouts. */
export const AWS_SDK_VERSION = '^3.972.0';
/** Powertools for AWS Lambda (TypeScript): one exact version for every package, so they share one commons copy. */
export const POWERTOOLS_VERSION = '2.35.0';
/** Mocks AWS SDK v3 clients in the blueprints' handler tests. */
export const AWS_SDK_CLIENT_MOCK_VERSION = '^4.1.0';
/** Lambda event and context types for the blueprints' handlers. */
export const AWS_LAMBDA_TYPES_VERSION = '^8.10.164';

/** What the payment-webhook blueprint's handlers import at run time (bundled by esbuild; `@aws-sdk/*` comes with the Lambda runtime). */
export const BLUEPRINT_HANDLER_DEPS: readonly string[] = [
  ...['logger', 'tracer', 'metrics', 'batch', 'idempotency', 'parameters'].map(p => `@aws-lambda-powertools/${p}@${POWERTOOLS_VERSION}`),
  ...['client-sqs', 'client-dynamodb', 'lib-dynamodb', 'client-secrets-manager', 'util-dynamodb'].map(p => `@aws-sdk/${p}@${AWS_SDK_VERSION}`),
];

/** What the blueprints' handler tests need. */
export const BLUEPRINT_TEST_DEPS: readonly string[] = [
  `aws-sdk-client-mock@${AWS_SDK_CLIENT_MOCK_VERSION}`,
  `@types/aws-lambda@${AWS_LAMBDA_TYPES_VERSION}`,
];

/** The transaction-web-app blueprint's container (pg with IAM tokens from rds-signer) and schema migration (Secrets Manager). */
export const TRANSACTION_APP_DEPS: readonly string[] = [
  'pg@8.23.1',
  `@aws-sdk/rds-signer@${AWS_SDK_VERSION}`,
];

/** What the fraud-detection-api blueprint's handlers import beyond the payment-webhook ones: SNS for high-risk alerts. */
export const FRAUD_API_DEPS: readonly string[] = [
  `@aws-sdk/client-sns@${AWS_SDK_VERSION}`,
];

/** What the observability blueprint's integ probe reads with (X-Ray traces, Contributor Insights reports); the Lambda runtime has them. */
export const OBSERVABILITY_TEST_DEPS: readonly string[] = [
  `@aws-sdk/client-xray@${AWS_SDK_VERSION}`,
  `@aws-sdk/client-cloudwatch@${AWS_SDK_VERSION}`,
];

/** What the transaction-web-app blueprint's tests need: pg's types and PGlite, a real PostgreSQL engine in WebAssembly (offline). */
export const TRANSACTION_APP_TEST_DEPS: readonly string[] = [
  '@types/pg@^8.6.6',
  '@electric-sql/pglite@0.5.17',
];
