import { App, CustomResource, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FunctionLogGroup } from '../../../src/rules/lambda/function-log-group';
import { findingsOf, lines, shop } from '../rule-harness';

const C20 = FunctionLogGroup.INFO.id;

function c20(app: App) {
  return findingsOf(app, [C20]);
}

function fn(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'), ...props });
}

function cfnFn(stack: Stack, id: string, props: Partial<lambda.CfnFunctionProps> = {}) {
  return new lambda.CfnFunction(stack, id, { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'nodejs22.x', ...props });
}

describe('Fintech-C20-FunctionWithoutLogGroup', () => {
  test('warns on an L2 function without logGroup and passes one with a log group', () => {
    const { app, stack } = shop();
    fn(stack, 'Implicit');
    fn(stack, 'Explicit', { logGroup: new logs.LogGroup(stack, 'ExplicitLogs') });
    const findings = c20(app);
    expect(lines(findings)).toEqual([`${C20} Shop/Implicit/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/LoggingConfig'],
      message: expect.stringMatching(/^AWS::Lambda::Function Implicit[0-9A-F]{8} has no LoggingConfig LogGroup and no stack of the stage has a \/aws\/lambda\/<function name> log group/),
      fix: expect.stringContaining('TracedFunction'),
    });
  });

  test('leaves Lambda@Edge functions alone: they log to /aws/lambda/us-east-1.<name> in every region that serves them', () => {
    const app = new App();
    const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    new cloudfront.experimental.EdgeFunction(stack, 'CheckToken', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    fn(stack, 'Regional');
    expect(lines(c20(app))).toEqual([`${C20} Edge/Regional/Resource`]);
  });

  test('accepts a /aws/lambda/<name> log group by literal name, Fn::Join, Fn::Sub, and a LogRetention resource', () => {
    const { app, stack } = shop();
    cfnFn(stack, 'Named', { functionName: 'ledger-named-dev' });
    new logs.CfnLogGroup(stack, 'NamedLogs', { logGroupName: '/aws/lambda/ledger-named-dev', retentionInDays: 30 });
    const joined = cfnFn(stack, 'Joined');
    new logs.CfnLogGroup(stack, 'JoinedLogs', { logGroupName: Fn.join('', ['/aws/lambda/', joined.ref]), retentionInDays: 30 });
    cfnFn(stack, 'Subbed');
    new logs.CfnLogGroup(stack, 'SubbedLogs', { logGroupName: Fn.sub('/aws/lambda/${Subbed}'), retentionInDays: 30 });
    // logRetention is deprecated in favour of logGroup, but repositories still use it; CDK's warning is not what this test is about.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    fn(stack, 'Retained', { logRetention: logs.RetentionDays.ONE_MONTH });
    warn.mockRestore();
    cfnFn(stack, 'OtherName', { functionName: 'ledger-other-dev' });
    new logs.CfnLogGroup(stack, 'Unrelated', { logGroupName: '/ledger/other', retentionInDays: 30 });
    const found = lines(c20(app));
    expect(found).toContain(`${C20} Shop/OtherName`);
    expect(found.filter(l => /Shop\/(Named|Joined|Subbed|Retained)\b/.test(l))).toEqual([]);
  });

  test('does not judge functions that only back custom resources (CDK providers run at deploy time)', () => {
    const { app, stack } = shop();
    const provider = new lambda.Function(stack, 'Provider', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1') });
    new CustomResource(stack, 'Thing', { serviceToken: provider.functionArn });
    expect(findingsOf(app, [FunctionLogGroup.INFO.id])).toEqual([]);
  });

  test('judges L1 functions with and without LoggingConfig, and escape hatches', () => {
    const { app, stack } = shop();
    cfnFn(stack, 'WithConfig', { loggingConfig: { logGroup: 'ledger-functions' } });
    cfnFn(stack, 'FormatOnly', { loggingConfig: { logFormat: 'JSON' } });
    const patched = fn(stack, 'Patched', { logGroup: new logs.LogGroup(stack, 'PatchedLogs') });
    (patched.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('LoggingConfig');
    expect(lines(c20(app))).toEqual([`${C20} Shop/FormatOnly`, `${C20} Shop/Patched/Resource`]);
  });

  test('treats unreadable log group names and logging configs as unknown', () => {
    const { app, stack } = shop();
    cfnFn(stack, 'IfConfig').addPropertyOverride('LoggingConfig', { 'Fn::If': ['C', {}, {}] });
    expect(c20(app)).toEqual([]);
    const imported = shop();
    cfnFn(imported.stack, 'Maybe');
    new logs.CfnLogGroup(imported.stack, 'Imported', { logGroupName: Fn.importValue('LogGroupName'), retentionInDays: 30 });
    expect(c20(imported.app)).toEqual([]);
  });

  test('does not crash on odd shapes', () => {
    const { app, stack } = shop();
    cfnFn(stack, 'OddConfig').addPropertyOverride('LoggingConfig', 'json');
    new logs.CfnLogGroup(stack, 'IfProperties').addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c20(app)).toEqual([]);
  });

  test('accepts the log group another stack or a parent stack creates under the function\'s name', () => {
    const build = (place: (app: App, stack: Stack, name: string) => void) => {
      const { app, stack } = shop();
      const handler = fn(stack, 'Settle');
      place(app, stack, handler.functionName);
      return lines(c20(app));
    };
    const logGroup = (scope: Construct, name: string) => new logs.LogGroup(scope, 'SettleLogs', { logGroupName: `/aws/lambda/${name}` });
    expect(build(() => undefined)).toEqual([`${C20} Shop/Settle/Resource`]);
    expect(build((app, _stack, name) => logGroup(new Stack(app, 'Observability'), name))).toEqual([]);
    expect(build((_app, stack, name) => logGroup(new NestedStack(stack, 'Observability'), name))).toEqual([]);
    // Another function's log group in that stack does not count.
    expect(build((app, _stack) => logGroup(new Stack(app, 'Observability'), fn(new Stack(app, 'Other'), 'Other').functionName))).toEqual([`${C20} Shop/Settle/Resource`]);
  });
});
