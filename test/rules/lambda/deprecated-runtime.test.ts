import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import { DEPRECATED_LAMBDA_RUNTIMES } from '../../../src/facts/deprecated-runtimes';
import { DeprecatedRuntimeRule } from '../../../src/rules/lambda/deprecated-runtime';
import { findingsOf, lines, shop } from '../rule-harness';

const C14 = DeprecatedRuntimeRule.INFO.id;

function c14(app: App) {
  return findingsOf(app, [C14]);
}

function fn(stack: Stack, id: string, runtime: lambda.Runtime) {
  return new lambda.Function(stack, id, { runtime, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};') });
}

function cfnCanary(stack: Stack, id: string, runtimeVersion: string) {
  return new synthetics.CfnCanary(stack, id, {
    name: id.toLowerCase(),
    runtimeVersion,
    artifactS3Location: 's3://ledger-canary-123456789012-dev/',
    executionRoleArn: 'arn:aws:iam::123456789012:role/canary',
    schedule: { expression: 'rate(5 minutes)' },
    code: { handler: 'index.handler', script: 'exports.handler = async () => {};' },
  });
}

describe('Fintech-C14-DeprecatedRuntime', () => {
  test('fails an L2 function on a deprecated runtime and passes current ones', () => {
    const { app, stack } = shop();
    fn(stack, 'Old', new lambda.Runtime('nodejs16.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }));
    fn(stack, 'Latest', lambda.Runtime.NODEJS_LATEST);
    fn(stack, 'Python', lambda.Runtime.PYTHON_3_13);
    new lambda.CfnFunction(stack, 'Corretto', { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' }, handler: 'a.B::handle', runtime: 'java8.al2' });
    const findings = c14(app);
    expect(lines(findings)).toEqual([`${C14} Shop/Old/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/Runtime'],
      message: expect.stringMatching(/^AWS::Lambda::Function Old[0-9A-F]{8} uses Runtime "nodejs16\.x", which is deprecated \(aws-cdk-lib 2\.257 lambda\.Runtime @deprecated\)\.$/),
      fix: expect.stringContaining('NODEJS_LATEST'),
    });
  });

  test('lists every runtime aws-cdk-lib marks deprecated, and no current one', () => {
    const names = DEPRECATED_LAMBDA_RUNTIMES.map(r => r.name);
    expect(names).toEqual(expect.arrayContaining(['nodejs18.x', 'python3.9', 'java8', 'go1.x', 'ruby2.7', 'dotnetcore3.1', 'dotnet6', 'provided']));
    const { NODEJS_LATEST, NODEJS_22_X, PYTHON_3_12, JAVA_8_CORRETTO, PROVIDED_AL2023 } = lambda.Runtime;
    const current = [NODEJS_LATEST, NODEJS_22_X, PYTHON_3_12, JAVA_8_CORRETTO, PROVIDED_AL2023];
    for (const runtime of current) expect(names).not.toContain(runtime.name);
  });

  test('judges L1 functions and escape hatches, and skips container images', () => {
    const { app, stack } = shop();
    new lambda.CfnFunction(stack, 'Raw', { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'python3.8' });
    new lambda.CfnFunction(stack, 'Image', { role: 'arn:aws:iam::123456789012:role/fn', code: { imageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:1' }, packageType: 'Image' });
    const patched = fn(stack, 'Patched', lambda.Runtime.NODEJS_22_X);
    (patched.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Runtime', 'go1.x');
    expect(lines(c14(app))).toEqual([`${C14} Shop/Patched/Resource`, `${C14} Shop/Raw`]);
  });

  test('fails a canary on a deprecated Synthetics runtime and passes a current one', () => {
    const { app, stack } = shop();
    cfnCanary(stack, 'Old', 'syn-nodejs-puppeteer-6.2');
    cfnCanary(stack, 'Current', 'syn-nodejs-puppeteer-13.0');
    new synthetics.Canary(stack, 'L2', {
      runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PLAYWRIGHT_6_0,
      test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
    });
    const findings = c14(app);
    expect(lines(findings)).toEqual([`${C14} Shop/Old`]);
    expect(findings[0]).toMatchObject({ locations: ['Properties/RuntimeVersion'], message: expect.stringContaining('AWS::Synthetics::Canary Old uses RuntimeVersion "syn-nodejs-puppeteer-6.2", which is deprecated (CloudWatch Synthetics') });
  });

  test("passes CDK's own providers (the auto-delete-objects handler is a raw CfnResource function)", () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Orders', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    expect(c14(app)).toEqual([]);
  });

  test('treats an intrinsic runtime as unknown', () => {
    const { app, stack } = shop();
    const runtime = new CfnParameter(stack, 'Runtime', { type: 'String' });
    new lambda.CfnFunction(stack, 'Param', { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' }, handler: 'index.handler', runtime: runtime.valueAsString });
    cfnCanary(stack, 'Canary', 'x').addPropertyOverride('RuntimeVersion', { 'Fn::If': ['C', 'syn-nodejs-puppeteer-3.5', 'syn-nodejs-puppeteer-13.0'] });
    expect(c14(app)).toEqual([]);
  });
});
