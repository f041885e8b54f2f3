import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PowertoolsLogLevel, TracedFunction, TracedFunctionProps } from '../../src/compute/traced-function';
import { DataKey } from '../../src/data/data-key';
import { SecureQueue } from '../../src/data/secure-queue';
import { CURRENT_LAMBDA_NODE_RUNTIME } from '../../src/rules/data/current-runtimes';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

const entry = path.join(__dirname, 'fixtures', 'echo.ts');

function traced(stack: Stack, props: Partial<TracedFunctionProps> = {}, id = 'Ingest'): TracedFunction {
  return new TracedFunction(stack, id, { entry, ...props });
}

describe('TracedFunction', () => {
  test('current Node.js runtime on ARM64, active tracing, explicit memory and timeout, no reserved concurrency', () => {
    const stack = stackIn(testApp(), 'dev');
    traced(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: CURRENT_LAMBDA_NODE_RUNTIME,
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 5,
      Handler: 'index.handler',
      ReservedConcurrentExecutions: Match.absent(),
      FunctionName: Match.absent(),
    });
  });

  test('Powertools environment from the construct id and the stage application, INFO logs, source maps', () => {
    const stack = stackIn(testApp(), 'dev');
    traced(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'Ingest',
          POWERTOOLS_METRICS_NAMESPACE: 'ledger',
          LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  test('service name, namespace, log level and extra variables can be set', () => {
    const stack = stackIn(testApp(), 'dev');
    traced(stack, { serviceName: 'payments', metricsNamespace: 'Payments', logLevel: PowertoolsLogLevel.DEBUG, environment: { TABLE: 'entries', LOG_LEVEL: 'WARN' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'payments', POWERTOOLS_METRICS_NAMESPACE: 'Payments', LOG_LEVEL: 'WARN', TABLE: 'entries' } },
    });
  });

  test('logs go to its own log group, encrypted with a key that allows CloudWatch Logs', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = traced(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: stack.resolve(fn.logGroup.logGroupName) } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(fn.dataKey.key.keyArn), RetentionInDays: 7 });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: Match.arrayWith(['kms:Encrypt*']) })]) },
    });
    template.hasResource('AWS::KMS::Alias', { Properties: { AliasName: 'alias/ledger-workload-ingestlogs-dev' } });
  });

  test('log retention and removal follow the stage: a week and destroyed in ephemeral, a year and kept in durable', () => {
    const app = testApp();
    const dev = stackIn(app, 'dev');
    const prod = stackIn(app, 'prod');
    traced(dev);
    traced(prod);
    Template.fromStack(dev).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 7 } });
    Template.fromStack(prod).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365, DeletionProtectionEnabled: true } });
  });

  test('log retention can be set', () => {
    const stack = stackIn(testApp(), 'prod');
    traced(stack, { logRetention: logs.RetentionDays.TEN_YEARS });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 3653 });
  });

  test('names the function, its log group, key and on-failure queue by PhysicalName when nameBase is given', () => {
    const stack = stackIn(testApp(), 'prod');
    traced(stack, { nameBase: 'ingest' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'ledger-ingest-prod' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/ledger-ingest-prod' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-ingest-function-prod' });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'ledger-ingest-failed-prod' });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.resolve(`arn:${stack.partition}:logs:eu-west-1:123456789012:log-group:/aws/lambda/ledger-ingest-prod`) } },
        })]),
      },
    });
  });

  test('asynchronous invocations retry twice within an hour, then go to an encrypted on-failure queue', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = traced(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: stack.resolve(fn.onFailureQueue.queue.queueArn) } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(fn.dataKey.key.keyArn),
      RedrivePolicy: Match.objectLike({ deadLetterTargetArn: stack.resolve(fn.onFailureQueue.deadLetterQueue.queueArn) }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: stack.resolve(fn.onFailureQueue.queue.queueArn) })]) },
    });
  });

  test('takes an on-failure queue, a key, retry settings and reserved concurrency when given', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue = new SecureQueue(stack, 'Failures');
    const key = new DataKey(stack, 'SharedKey', { aliasBase: 'functions' });
    traced(stack, { onFailureQueue: queue, dataKey: key, retryAttempts: 0, maxEventAge: Duration.minutes(5), reservedConcurrentExecutions: 5 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: stack.resolve(queue.queue.queueArn) } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(key.key.keyArn) });
    // The passed queue and key replace the ones the function would create.
    const ownedBy = (type: string) => Object.keys(template.findResources(type)).filter(id => id.startsWith('Ingest'));
    expect(ownedBy('AWS::SQS::Queue')).toEqual([]);
    expect(ownedBy('AWS::KMS::Key')).toEqual([]);
  });

  test('bundles minified, with source maps, leaving the runtime SDK v3 external', () => {
    const stack = stackIn(testApp(), 'dev');
    // Unit tests never bundle, so the options are read from the asset the function's code is made of.
    const fromAsset = jest.spyOn(lambda.Code, 'fromAsset');
    try {
      traced(stack);
      const bundling = fromAsset.mock.calls[0][1]?.bundling as unknown as { props: object };
      expect(bundling.props).toMatchObject({ minify: true, sourceMap: true, externalModules: ['@aws-sdk/*'], forceDockerBundling: false, architecture: lambda.Architecture.ARM_64 });
    } finally {
      fromAsset.mockRestore();
    }
  });

  test('consumes a SecureQueue with batch item failures reported', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue = new SecureQueue(stack, 'Payments');
    traced(stack).addSqsEventSource(queue, { batchSize: 5 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
      EventSourceArn: stack.resolve(queue.queue.queueArn),
    });
  });

  test('a queue whose visibility timeout is too short for the function fails with SecureQueue\'s message', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue = new SecureQueue(stack, 'Payments');
    expect(() => traced(stack, { timeout: Duration.seconds(10) }).addSqsEventSource(queue)).toThrow(/SecureQueue at dev\/Workload\/Payments: visibilityTimeout 30 s is shorter than 6 x/);
  });

  test('passes the rule pack in both kinds of stage, named and unnamed', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      // The on-failure queue's alarms page the stage's alert topic, which needs the project's alarmEmail.
      const stack = stackIn(app, stageName, { ...CONFIG, alarmEmail: 'oncall@example.com' });
      traced(stack, { nameBase: 'ingest' });
      traced(stack, {}, 'Settle');
    }
    const { violations } = synthReport(app);
    // Alarms on the function itself are the caller's (ErrorRateAlarm): the unmonitored-function warning may remain.
    expect(violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
  });

  describe('bad input fails with the construct path and the fix', () => {
    test('timeout above 15 minutes', () => {
      expect(() => traced(stackIn(testApp(), 'dev'), { timeout: Duration.minutes(16) }))
        .toThrow('TracedFunction at dev/Workload/Ingest: timeout 16 minutes is longer than the 15 minutes Lambda allows; shorten it, or move long work to a Step Functions state machine.');
    });

    test.each([64, 10241, 256.5])('memorySize %p', memorySize => {
      expect(() => traced(stackIn(testApp(), 'dev'), { memorySize }))
        .toThrow(`TracedFunction at dev/Workload/Ingest: memorySize ${memorySize} MB is outside what Lambda allows; use a whole number from 128 to 10240, or drop it for the default 512.`);
    });

    test('entry file missing', () => {
      expect(() => traced(stackIn(testApp(), 'dev'), { entry: 'src/handlers/missing.ts' }))
        .toThrow(/^TracedFunction at dev\/Workload\/Ingest: entry "src\/handlers\/missing.ts" does not exist \(resolved to .*missing.ts\); pass the path of the handler file/);
    });

    test('Docker bundling', () => {
      expect(() => traced(stackIn(testApp(), 'dev'), { bundling: { forceDockerBundling: true } }))
        .toThrow('TracedFunction at dev/Workload/Ingest: bundling.forceDockerBundling is set, but TracedFunction bundles with the local esbuild only; drop forceDockerBundling and add esbuild to devDependencies.');
    });

    test.each([3, -1])('retryAttempts %p', retryAttempts => {
      expect(() => traced(stackIn(testApp(), 'dev'), { retryAttempts }))
        .toThrow(`TracedFunction at dev/Workload/Ingest: retryAttempts ${retryAttempts} is not what Lambda allows for asynchronous invocations; use 0, 1 or 2.`);
    });

    test.each([Duration.seconds(30), Duration.hours(7)])('maxEventAge %p', maxEventAge => {
      expect(() => traced(stackIn(testApp(), 'dev'), { maxEventAge }))
        .toThrow(/^TracedFunction at dev\/Workload\/Ingest: maxEventAge .* is outside what Lambda allows; use 1 minute to 6 hours.$/);
    });
  });
});
