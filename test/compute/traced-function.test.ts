import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { PowertoolsLogLevel, TracedFunction, TracedFunctionProps } from '../../src/compute/traced-function';
import { FailureQueue } from '../../src/data/failure-queue';
import { SecureQueue } from '../../src/data/secure-queue';
import { DataKey } from '../../src/encryption/data-key';
import { CURRENT_LAMBDA_NODE_RUNTIME } from '../../src/facts/current-runtimes';
import * as versions from '../../src/project/versions';
import { UnmonitoredResource } from '../../src/rules/cloudwatch/unmonitored-resource';
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
    Template.fromStack(prod).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365, DeletionProtectionEnabled: Match.absent() } });
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

  test('asynchronous invocations retry twice within an hour, then go to an encrypted failure queue kept 14 days, with no DLQ of its own', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = traced(stack);
    const template = Template.fromStack(stack);
    const queueArn = stack.resolve(fn.onFailureQueue!.queueArn);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(fn.dataKey.key.keyArn),
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: queueArn })]) },
    });
    expect(fn.onFailureQueue).toBeInstanceOf(FailureQueue);
  });

  test('a function invoked only synchronously or by an event source mapping gets no on-failure queue (asynchronousInvocation: false)', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = traced(stack, { asynchronousInvocation: false });
    const template = Template.fromStack(stack);
    expect(fn.onFailureQueue).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    // Error rate, throttles and duration: no alarm on a queue that could never receive a message.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  test('asynchronous settings with asynchronousInvocation: false are refused, naming them', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(() => traced(stack, { asynchronousInvocation: false, retryAttempts: 1, maxEventAge: Duration.minutes(5) }))
      .toThrow('TracedFunction at dev/Workload/Ingest: retryAttempts, maxEventAge apply to asynchronous invocations, but asynchronousInvocation is false; drop them, or drop asynchronousInvocation.');
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
      DestinationConfig: { OnFailure: { Destination: stack.resolve(queue.queueArn) } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(key.key.keyArn) });
    // The passed queue and key replace the ones the function would create.
    const ownedBy = (type: string) => Object.keys(template.findResources(type)).filter(id => id.startsWith('Ingest'));
    expect(ownedBy('AWS::SQS::Queue')).toEqual([]);
    expect(ownedBy('AWS::KMS::Key')).toEqual([]);
  });

  test('alarms on its error rate, throttles and p99 duration at 80% of its timeout, routed to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod');
    const fn = traced(stack);
    const template = Template.fromStack(stack);
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const routed = { TreatMissingData: 'notBreaching', AlarmActions: [topic], OKActions: [topic] };
    const functionName = [{ Name: 'FunctionName', Value: stack.resolve(fn.functionName) }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)', ReturnData: true }),
        Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: functionName } }) }),
        Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: functionName } }) }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed, Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: functionName, Statistic: 'Sum', Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed, Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: functionName, ExtendedStatistic: 'p99', Threshold: 4000,
    });
    expect(fn.alarms.map(alarm => alarm.node.path)).toEqual([
      'prod/Workload/Ingest/ErrorRate/Alarm', 'prod/Workload/Ingest/ThrottlesAlarm', 'prod/Workload/Ingest/DurationAlarm',
    ]);
    // Three on the function, one on its on-failure queue: the first failed invocation pages.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect((fn.onFailureQueue as FailureQueue).alarm?.node.path).toBe('prod/Workload/Ingest/OnFailure/DeadLettersAlarm');
  });

  test('monitoring options set the thresholds and the topic of the function\'s alarms', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    const fn = traced(stack, {
      timeout: Duration.seconds(10),
      monitoring: { errorRatePercent: 5, minimumInvocations: 50, durationFractionOfTimeout: 0.5, alertTopic: pager },
    });
    const pagerRef = stack.resolve(pager.topicArn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(FILL(requests, 0) >= 50, 100 * FILL(errors, 0) / FILL(requests, 0), 0)' })]),
      AlarmActions: [pagerRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 5000, AlarmActions: [pagerRef], OKActions: [pagerRef] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', AlarmActions: [pagerRef], OKActions: [pagerRef] });
    expect(fn.alarms).toHaveLength(3);
  });

  test('monitoring.enabled false drops the function\'s alarms; its on-failure queue keeps its alarm on the first message', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = traced(stack, { monitoring: { enabled: false } });
    const template = Template.fromStack(stack);
    expect(fn.alarms).toEqual([]);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda' }, 0);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Metrics: Match.anyValue() }, 0);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 }, 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
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

  test('powertoolsLayer adds the layer of the installed Powertools version from its public SSM parameter, Powertools left out of the bundle', () => {
    const stack = stackIn(testApp(), 'dev');
    const fromAsset = jest.spyOn(lambda.Code, 'fromAsset');
    try {
      traced(stack, { powertoolsLayer: true });
      traced(stack, { powertoolsLayer: true }, 'Export');
      const bundling = fromAsset.mock.calls[0][1]?.bundling as unknown as { props: { externalModules: string[] } };
      expect(bundling.props.externalModules).toEqual(['@aws-sdk/*', '@aws-lambda-powertools/*']);
    } finally {
      fromAsset.mockRestore();
    }
    const template = Template.fromStack(stack);
    // One deploy-time lookup per stack, of the version this repo installs (the one generated repos pin).
    const parameters = Object.keys(template.findParameters('*', {
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `/aws/service/powertools/typescript/generic/all/${versions.POWERTOOLS_VERSION}`,
    }));
    expect(parameters).toHaveLength(1);
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Layers: [{ Ref: parameters[0] }] } }))).toHaveLength(2);
  });

  test('without powertoolsLayer, Powertools is bundled and the function has no layer', () => {
    const stack = stackIn(testApp(), 'dev');
    traced(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Layers: Match.absent() });
  });

  test.each([[false], ['false']])('context fintech:powertools-layer=%j bundles Powertools instead of its layer and resolves no SSM parameter', value => {
    const app = testApp();
    app.node.setContext('fintech:powertools-layer', value);
    const stack = stackIn(app, 'dev');
    const fromAsset = jest.spyOn(lambda.Code, 'fromAsset');
    try {
      traced(stack, { powertoolsLayer: true });
      const bundling = fromAsset.mock.calls[0][1]?.bundling as unknown as { props: { externalModules: string[] } };
      expect(bundling.props.externalModules).toEqual(['@aws-sdk/*']);
    } finally {
      fromAsset.mockRestore();
    }
    const template = Template.fromStack(stack);
    // Only CDK's own bootstrap version parameter is left.
    expect(Object.values(template.findParameters('*', { Type: Match.stringLikeRegexp('^AWS::SSM::Parameter::Value') })).map(p => p.Default))
      .toEqual(['/cdk-bootstrap/hnb659fds/version']);
    template.hasResourceProperties('AWS::Lambda::Function', { Layers: Match.absent() });
  });

  test('context fintech:powertools-layer=true keeps the layer, and any other value fails naming the context value', () => {
    const app = testApp();
    app.node.setContext('fintech:powertools-layer', 'true');
    const stack = stackIn(app, 'dev');
    traced(stack, { powertoolsLayer: true });
    Template.fromStack(stack).hasParameter('*', { Default: `/aws/service/powertools/typescript/generic/all/${versions.POWERTOOLS_VERSION}` });
    const off = testApp();
    off.node.setContext('fintech:powertools-layer', 'no');
    expect(() => traced(stackIn(off, 'dev'), { powertoolsLayer: true }))
      .toThrow('TracedFunction at dev/Workload/Ingest: context value fintech:powertools-layer is "no"; use false to bundle Powertools instead of its layer');
  });

  test('powertoolsLayer fails, naming the option, when no Powertools is installed for the entry', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-'));
    const outside = path.join(dir, 'handler.ts');
    fs.writeFileSync(outside, 'export const handler = async () => ({});\n');
    expect(() => traced(stackIn(testApp(), 'dev'), { entry: outside, powertoolsLayer: true }))
      .toThrow(`: powertoolsLayer is set, but no @aws-lambda-powertools/commons is installed where ${outside} can import it, so the layer version is unknown;`);
  });

  test('powertoolsLayer fails, naming the region and partition, where AWS publishes no Powertools layer', () => {
    const govCloud = { ...CONFIG, environments: [{ name: 'dev', region: 'us-gov-west-1', durable: false }] };
    expect(() => traced(stackIn(testApp(), 'dev', govCloud), { powertoolsLayer: true }))
      .toThrow(': powertoolsLayer is set, but region us-gov-west-1 is in partition aws-us-gov, where AWS does not publish the Powertools layer;');
    // Bundled Powertools works in any partition.
    expect(() => traced(stackIn(testApp(), 'dev', govCloud))).not.toThrow();
  });

  test('powertoolsLayer fails, naming each package and the install to run, when the installed Powertools packages differ in version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-'));
    const install = (name: string, version: string) => {
      fs.mkdirSync(path.join(dir, 'node_modules', '@aws-lambda-powertools', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules', '@aws-lambda-powertools', name, 'package.json'), JSON.stringify({ name: `@aws-lambda-powertools/${name}`, version }));
    };
    install('commons', '2.35.0');
    install('logger', '2.35.0');
    install('tracer', '2.36.0');
    const handler = path.join(dir, 'src', 'handler.ts');
    fs.mkdirSync(path.dirname(handler));
    fs.writeFileSync(handler, 'export const handler = async () => ({});\n');
    expect(() => traced(stackIn(testApp(), 'dev'), { entry: handler, powertoolsLayer: true }))
      .toThrow('differ in version (commons 2.35.0, @aws-lambda-powertools/tracer 2.36.0), and the layer has one version of all; ' +
        'install one version of every Powertools package (npm install @aws-lambda-powertools/tracer@2.35.0).');
    install('tracer', '2.35.0');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}');
    const stack = stackIn(testApp(), 'dev');
    traced(stack, { entry: handler, powertoolsLayer: true, depsLockFilePath: path.join(dir, 'package-lock.json') });
    Template.fromStack(stack).hasParameter('*', { Default: '/aws/service/powertools/typescript/generic/all/2.35.0' });
  });

  test('consumes a SecureQueue with batch item failures reported', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue = new SecureQueue(stack, 'Payments');
    traced(stack).addSqsEventSource(queue, { batchSize: 5 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
      EventSourceArn: stack.resolve(queue.queueArn),
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
    expect(violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    // The function ships its own alarms and its on-failure queues theirs, so nothing is unmonitored (C09).
    expect(violations.filter(v => v.ruleName === UnmonitoredResource.INFO.id).map(v => v.constructPath)).toEqual([]);
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

    test.each([0, 101])('monitoring.errorRatePercent %p', errorRatePercent => {
      expect(() => traced(stackIn(testApp(), 'dev'), { monitoring: { errorRatePercent } }))
        .toThrow(`TracedFunction at dev/Workload/Ingest: monitoring.errorRatePercent ${errorRatePercent} is not a percentage above 0 and at most 100; ` +
          'use e.g. 1 for "page when more than 1% fail", or drop it for that default.');
    });

    test.each([0, 2.5])('monitoring.minimumInvocations %p', minimumInvocations => {
      expect(() => traced(stackIn(testApp(), 'dev'), { monitoring: { minimumInvocations } }))
        .toThrow(`TracedFunction at dev/Workload/Ingest: monitoring.minimumInvocations ${minimumInvocations} must be a whole number of at least 1, ` +
          'or the rate divides by zero on no traffic; drop it for the default 10.');
    });

    test('monitoring.durationFractionOfTimeout', () => {
      expect(() => traced(stackIn(testApp(), 'dev'), { monitoring: { durationFractionOfTimeout: 1 } }))
        .toThrow('TracedFunction at dev/Workload/Ingest: monitoring.durationFractionOfTimeout 1 must be above 0 and below 1 (a share of the function timeout); use the default 0.8.');
    });
  });
});

const durableDefaultWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

describe('TracedFunction outside a FintechStage', () => {
  test('with context: named for the context stage, a week of logs in an ephemeral stage, metrics namespace the application', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    app.node.setContext('fintech:application', 'ledger');
    const stack = new Stack(app, 'Loose');
    traced(stack, { nameBase: 'ingest' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'ledger-ingest-dev',
      Environment: { Variables: Match.objectLike({ POWERTOOLS_METRICS_NAMESPACE: 'ledger' }) },
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 7, LogGroupName: '/aws/lambda/ledger-ingest-dev' } });
    expect(durableDefaultWarnings(stack)).toEqual([]);
  });

  test('without context: logs kept a year and retained, metrics namespace the stack, exactly one warning', () => {
    const stack = new Stack(testApp(), 'Loose');
    traced(stack);
    traced(stack, {}, 'Settle');
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources('AWS::Logs::LogGroup')).map(r => [r.DeletionPolicy, r.Properties.RetentionInDays])).toEqual([['Retain', 365], ['Retain', 365]]);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ POWERTOOLS_METRICS_NAMESPACE: 'Loose' }) } });
    expect(durableDefaultWarnings(stack)).toHaveLength(1);
  });
});
