import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { PowertoolsLogLevel, TracedFunction, TracedFunctionProps } from '../../src/compute/traced-function';
import { FailureQueue } from '../../src/data/failure-queue';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTable } from '../../src/data/secure-table';
import { DataKey } from '../../src/encryption/data-key';
import { CURRENT_LAMBDA_NODE_RUNTIME } from '../../src/facts/current-runtimes';
import { FintechVpc, FintechVpcProps } from '../../src/network/fintech-vpc';
import * as versions from '../../src/project/versions';
import { UnmonitoredResource } from '../../src/rules/cloudwatch/unmonitored-resource';
import { PolicyWildcards } from '../../src/rules/iam/policy-wildcards';
import { CONFIG, stackIn, synthReport, testApp, twoStacksIn } from '../support/fintech-fixture';

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

describe('TracedFunction in a VPC', () => {
  const privateVpc = (stack: Stack, props: FintechVpcProps = {}) => new FintechVpc(stack, 'Network', { internetAccess: false, ...props });
  const egressRules = (template: Template, fn: TracedFunction) => {
    const group = Object.entries(template.findResources('AWS::EC2::SecurityGroup'))
      .find(([logicalId]) => JSON.stringify({ 'Fn::GetAtt': [logicalId, 'GroupId'] }) === JSON.stringify(Stack.of(fn).resolve(fn.securityGroup!.securityGroupId)))!;
    const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { GroupId: { 'Fn::GetAtt': [group[0], 'GroupId'] } } }))
      .map(rule => rule.Properties);
    return { group: group[1].Properties, egress: [...(group[1].Properties.SecurityGroupEgress ?? []), ...separate] };
  };
  const inlinePolicy = (template: Template) => {
    const roles = template.findResources('AWS::IAM::Role', { Properties: { Policies: Match.arrayWith([Match.objectLike({ PolicyName: 'NetworkInterfaces' })]) } });
    expect(Object.keys(roles)).toHaveLength(1);
    return Object.values(roles)[0].Properties;
  };

  test('defaults to the isolated subnets of a FintechVpc without internet, behind its own group that lets only HTTPS out to the endpoints', () => {
    const stack = stackIn(testApp(), 'dev');
    const vpc = privateVpc(stack);
    const fn = traced(stack, { vpc });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SubnetIds: vpc.isolatedSubnets.map(subnet => stack.resolve(subnet.subnetId)),
        SecurityGroupIds: [stack.resolve(fn.securityGroup!.securityGroupId)],
      },
    });
    const { group, egress } = egressRules(template, fn);
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(egress).toEqual(expect.arrayContaining([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: stack.resolve(vpc.endpointSecurityGroup.securityGroupId) }),
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: stack.resolve(vpc.gatewayEndpointPrefixListId('s3')) }),
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationPrefixListId: stack.resolve(vpc.gatewayEndpointPrefixListId('dynamodb')) }),
    ]));
    expect(egress).toHaveLength(3);
    expect(JSON.stringify(egress)).not.toContain('0.0.0.0/0');
  });

  test('gets the network interface permissions scoped to its subnets and group on a role without the AWSLambdaVPCAccessExecutionRole policy', () => {
    const stack = stackIn(testApp(), 'dev');
    const vpc = privateVpc(stack);
    const fn = traced(stack, { vpc });
    const template = Template.fromStack(stack);
    const role = inlinePolicy(template);
    expect(JSON.stringify(role.ManagedPolicyArns)).toContain('service-role/AWSLambdaBasicExecutionRole');
    expect(JSON.stringify(template.toJSON())).not.toContain('AWSLambdaVPCAccessExecutionRole');
    const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:eu-west-1:', { Ref: 'AWS::AccountId' }, `:${resource}`]] });
    const withId = (resource: string, id: string) => stack.resolve(stack.formatArn({ service: 'ec2', resource, resourceName: id }));
    expect(role.Policies).toEqual([{
      PolicyName: 'NetworkInterfaces',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CreateNetworkInterfacesInItsSubnets',
            Effect: 'Allow',
            Action: 'ec2:CreateNetworkInterface',
            Resource: [
              arn('network-interface/*'),
              ...vpc.isolatedSubnets.map(subnet => withId('subnet', subnet.subnetId)),
              withId('security-group', fn.securityGroup!.securityGroupId),
            ],
          },
          {
            Sid: 'ManageNetworkInterfaces',
            Effect: 'Allow',
            Action: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
            Resource: arn('network-interface/*'),
          },
          { Sid: 'DescribeNetworkInterfaces', Effect: 'Allow', Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], Resource: '*' },
        ],
      },
    }]);
    template.hasResourceProperties('AWS::Lambda::Function', { Role: stack.resolve(fn.role!.roleArn) });
    expect(fn.role!.node.path).toBe('dev/Workload/IngestServiceRole');
  });

  test('outside a VPC it keeps CDK\'s role and logical ids, with no network interface permissions and no security group', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = traced(stack);
    expect(fn.role!.node.path).toBe('dev/Workload/Ingest/ServiceRole');
    expect(fn.securityGroup).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('ec2:CreateNetworkInterface');
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }],
    });
  });

  test('in a FintechVpc with internet it still defaults to the isolated subnets; selecting the NAT-backed tier adds HTTPS to anywhere', () => {
    const stack = stackIn(testApp(), 'dev');
    const vpc = new FintechVpc(stack, 'Network');
    const isolated = traced(stack, { vpc }, 'Isolated');
    const natted = traced(stack, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, 'Natted');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId)), SecurityGroupIds: Match.anyValue() } });
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: vpc.privateSubnets.map(s => stack.resolve(s.subnetId)), SecurityGroupIds: Match.anyValue() } });
    const anywhere = expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(egressRules(template, isolated).egress).not.toContainEqual(anywhere);
    expect(egressRules(template, natted).egress).toContainEqual(anywhere);
    expect(egressRules(template, natted).egress).toHaveLength(4);
  });

  test('in a plain VPC it lets HTTPS out to the VPC CIDR, and to anywhere from private subnets with egress', () => {
    const stack = stackIn(testApp(), 'dev');
    const withIsolated = new ec2.Vpc(stack, 'Tiers', {
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const natOnly = new ec2.Vpc(stack, 'Natted');
    const inIsolated = traced(stack, { vpc: withIsolated }, 'InIsolated');
    const inPrivate = traced(stack, { vpc: natOnly }, 'InPrivate');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: withIsolated.isolatedSubnets.map(s => stack.resolve(s.subnetId)), SecurityGroupIds: Match.anyValue() } });
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: natOnly.privateSubnets.map(s => stack.resolve(s.subnetId)), SecurityGroupIds: Match.anyValue() } });
    const toCidr = (vpc: ec2.Vpc) => expect.objectContaining({ CidrIp: stack.resolve(vpc.vpcCidrBlock), IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expect(egressRules(template, inIsolated).egress).toEqual([toCidr(withIsolated)]);
    expect(egressRules(template, inPrivate).egress).toEqual([toCidr(natOnly), expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })]);
  });

  test('security groups given are used as they are, with no group of its own, and scope the network interface permission', () => {
    const stack = stackIn(testApp(), 'dev');
    const vpc = privateVpc(stack);
    const mine = new ec2.SecurityGroup(stack, 'Mine', { vpc, allowAllOutbound: false });
    const fn = traced(stack, { vpc, securityGroups: [mine] });
    expect(fn.securityGroup).toBeUndefined();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SecurityGroupIds: [stack.resolve(mine.securityGroupId)], SubnetIds: Match.anyValue() } });
    expect(Object.keys(template.findResources('AWS::EC2::SecurityGroup')).filter(id => id.startsWith('Ingest'))).toEqual([]);
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupEgress', { GroupId: stack.resolve(mine.securityGroupId) }, 0);
    const statements = inlinePolicy(template).Policies[0].PolicyDocument.Statement;
    expect(statements[0].Resource).toContainEqual(stack.resolve(stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: mine.securityGroupId })));
  });

  test('works across stacks: the VPC in a network stack, the function in a workload stack of the same stage', () => {
    const inTwoStacks = () => {
      const app = testApp();
      const [network, workload] = twoStacksIn(app, 'prod');
      const fn = traced(workload, { vpc: privateVpc(network, { endpoints: ['sqs', 'dynamodb'] }) });
      return { app, workload, fn };
    };
    const { workload } = inTwoStacks();
    const template = Template.fromStack(workload);
    const imported = (property: string) => template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupEgress', { [property]: { 'Fn::ImportValue': Match.anyValue() }, FromPort: 443 }, 1);
    imported('DestinationSecurityGroupId');
    imported('DestinationPrefixListId');
    const failing = inTwoStacks();
    new sns.Topic(failing.workload, 'Alerts').grantPublish(failing.fn);
    expect(failing.fn.node.validate()).toEqual([expect.stringContaining('TracedFunction at prod/Settle/Ingest: runs in subnets of prod/Ingest/Network without an internet route')]);
    expect(() => failing.app.synth()).toThrow(/\[prod\/Settle\/Ingest\] .* granted sns:Publish, but the VPC has no sns endpoint/);
  });

  describe('synth-time endpoint check in subnets without an internet route', () => {
    test('fails naming the function, the action, the missing endpoint and the fix', () => {
      const app = testApp();
      const stack = stackIn(app, 'dev');
      const vpc = privateVpc(stack, { endpoints: ['dynamodb', 'sqs', 'logs'] });
      const fn = traced(stack, { vpc });
      new sns.Topic(stack, 'Alerts').grantPublish(fn);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:x'] }));
      expect(fn.node.validate()).toEqual([
        'TracedFunction at dev/Workload/Ingest: runs in subnets of dev/Workload/Network without an internet route, and its role is granted sns:Publish, ' +
          'but the VPC has no sns endpoint, so those calls can only time out; add \'sns\' to the endpoints of the FintechVpc (endpoints: [..., \'sns\']), ' +
          'or drop the grant if the function does not call sns.',
        expect.stringContaining('its role is granted secretsmanager:GetSecretValue, but the VPC has no secretsmanager endpoint'),
      ]);
      expect(() => app.synth()).toThrow(/\[dev\/Workload\/Ingest\] TracedFunction at dev\/Workload\/Ingest: .* granted sns:Publish, but the VPC has no sns endpoint/);
    });

    test('a grant added after construction is judged too, and is accepted once the VPC has its endpoint', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = privateVpc(stack, { endpoints: ['dynamodb', 'sqs', 'sns'] });
      const fn = traced(stack, { vpc, initialPolicy: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-west-1:123456789012:q'] })] });
      new sns.Topic(stack, 'Alerts').grantPublish(fn);
      new SecureTable(stack, 'Payments', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }).grantReadWriteData(fn);
      expect(fn.node.validate()).toEqual([]);
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: ['arn:aws:states:eu-west-1:123456789012:stateMachine:m'] }));
      expect(fn.node.validate()).toEqual([expect.stringContaining('its role is granted states:StartExecution, but the VPC has no states endpoint')]);
    });

    test('what Lambda does with the role outside the VPC needs no endpoint: logs, traces, network interfaces, the on-failure queue, event sources, KMS', () => {
      const stack = stackIn(testApp(), 'dev');
      // Only DynamoDB: no sqs, logs, xray or kms endpoint.
      const vpc = privateVpc(stack, { endpoints: ['dynamodb'] });
      const fn = traced(stack, { vpc });
      fn.addSqsEventSource(new SecureQueue(stack, 'Work'));
      // A stream consumer: DynamoDB Streams reads, and an on-failure queue the event source mapping sends to.
      new SecureTable(stack, 'Ledger', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: true }).addStreamConsumer(fn);
      expect(fn.node.validate()).toEqual([]);
      const template = Template.fromStack(stack);
      expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toMatch(/sqs:SendMessage[\s\S]*sqs:ReceiveMessage[\s\S]*dynamodb:GetRecords/);
    });

    test('services split over several endpoints are judged by action; grants a called service uses itself are not the code\'s', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = privateVpc(stack, { endpoints: ['dynamodb', 'sqs', 'athena'] });
      const fn = traced(stack, { vpc });
      const grant = (...actions: string[]) => fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: ['arn:aws:sagemaker:eu-west-1:123456789012:endpoint/fraud'] }));
      // Athena reads the catalog and the bucket with the function's permissions: no glue endpoint is asked for.
      grant('athena:StartQueryExecution', 'glue:GetTable', 's3:GetObject');
      // The control plane and wildcards of a split service name no one endpoint.
      grant('sagemaker:DescribeEndpoint', 'sagemaker:Invoke*', 'payment-cryptography:*');
      expect(fn.node.validate()).toEqual([]);
      grant('sagemaker:InvokeEndpoint', 'payment-cryptography:VerifyCardValidationData');
      expect(fn.node.validate()).toEqual([
        expect.stringContaining('its role is granted sagemaker:InvokeEndpoint, but the VPC has no sagemaker.runtime endpoint'),
        expect.stringContaining('its role is granted payment-cryptography:VerifyCardValidationData, but the VPC has no payment-cryptography.dataplane endpoint'),
      ]);
    });

    test('Bedrock: a knowledge-base answer through the agent runtime needs only its endpoint; a direct model call needs bedrock-runtime', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = privateVpc(stack, { endpoints: ['dynamodb', 'sqs', 'bedrock-agent-runtime'] });
      const fn = traced(stack, { vpc });
      const grant = (...actions: string[]) => fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: ['arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0'] }));
      // Retrieve-and-generate invokes the model with the function's own permissions.
      grant('bedrock:RetrieveAndGenerate', 'bedrock:Retrieve', 'bedrock:InvokeModel');
      expect(fn.node.validate()).toEqual([]);
      const direct = traced(stack, { vpc }, 'Direct');
      direct.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0'] }));
      expect(direct.node.validate()).toEqual([expect.stringContaining('its role is granted bedrock:InvokeModel, but the VPC has no bedrock-runtime endpoint')]);
    });

    test('a FintechVpc\'s isolated subnets are judged even with internet access; its NAT-backed subnets and other VPCs are not', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = new FintechVpc(stack, 'Network', { endpoints: ['s3', 'dynamodb'] });
      const isolated = traced(stack, { vpc }, 'Isolated');
      const natted = traced(stack, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, 'Natted');
      const plain = traced(stack, { vpc: new ec2.Vpc(stack, 'PlainVpc', { subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) }, 'Plain');
      const topic = new sns.Topic(stack, 'Alerts');
      for (const fn of [isolated, natted, plain]) topic.grantPublish(fn);
      expect(isolated.node.validate()).toEqual([expect.stringContaining('granted sns:Publish, but the VPC has no sns endpoint')]);
      expect(natted.node.validate()).toEqual([]);
      expect(plain.node.validate()).toEqual([]);
    });
  });

  test('passes the rule pack with zero wildcard findings and no errors in both kinds of stage', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stageName);
      const vpc = privateVpc(stack);
      const fn = traced(stack, { vpc, nameBase: 'score' });
      new SecureQueue(stack, 'Flags').grantSendMessages(fn);
      new SecureTable(stack, 'Scores', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }).grantReadWriteData(fn);
    }
    const { violations } = synthReport(app);
    expect(violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    const wildcardRules = [PolicyWildcards.WILDCARD_ACTION.id, PolicyWildcards.WILDCARD_RESOURCE.id];
    expect(violations.filter(v => wildcardRules.includes(v.ruleName)).map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
  });

  describe('bad input fails with the construct path and the fix', () => {
    test('the NAT-backed tier of a FintechVpc without internet', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = privateVpc(stack);
      expect(() => traced(stack, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
        .toThrow('TracedFunction at dev/Workload/Ingest: vpcSubnets selects PRIVATE_WITH_EGRESS subnets, but FintechVpc dev/Workload/Network has internetAccess: false, ' +
          'so it has no NAT gateway and no such subnets; drop vpcSubnets to run in its isolated subnets');
    });

    test('a selection that yields no subnets', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = privateVpc(stack);
      expect(() => traced(stack, { vpc, vpcSubnets: { subnetGroupName: 'Databases' } }))
        .toThrow(/^TracedFunction at dev\/Workload\/Ingest: vpcSubnets select no subnets of dev\/Workload\/Network \(.*Databases.*\); select a subnet type or group the VPC has/);
      expect(() => traced(stack, { vpc, vpcSubnets: { subnets: [] } }, 'Empty'))
        .toThrow('TracedFunction at dev/Workload/Empty: vpcSubnets select no subnets of dev/Workload/Network, and Lambda needs at least one;');
    });

    test('public subnets', () => {
      const stack = stackIn(testApp(), 'dev');
      const vpc = new FintechVpc(stack, 'Network');
      expect(() => traced(stack, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
        .toThrow('TracedFunction at dev/Workload/Ingest: vpcSubnets select public subnets of dev/Workload/Network, where a function gets no public address and so no internet;');
    });

    test('an empty securityGroups list', () => {
      const stack = stackIn(testApp(), 'dev');
      expect(() => traced(stack, { vpc: privateVpc(stack), securityGroups: [] }))
        .toThrow('TracedFunction at dev/Workload/Ingest: securityGroups is empty, and CDK would then make the function a group that lets everything out; ' +
          'drop securityGroups for a group of its own that lets only HTTPS out to the VPC\'s endpoints, or list at least one group.');
    });

    test('securityGroups or vpcSubnets without vpc', () => {
      const stack = stackIn(testApp(), 'dev');
      const group = new ec2.SecurityGroup(stack, 'Group', { vpc: new ec2.Vpc(stack, 'Other') });
      expect(() => traced(stack, { securityGroups: [group] }))
        .toThrow('TracedFunction at dev/Workload/Ingest: securityGroups is set, but vpc is not, so the function runs in no VPC and it would have no effect; ' +
          'pass vpc too (e.g. a FintechVpc), or drop securityGroups.');
      expect(() => traced(stack, { securityGroups: [group], vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, 'Both'))
        .toThrow('TracedFunction at dev/Workload/Both: vpcSubnets and securityGroups are set, but vpc is not');
    });
  });
});
