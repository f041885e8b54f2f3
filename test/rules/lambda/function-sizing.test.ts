import { App, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FunctionSizing } from '../../../src/rules/lambda/function-sizing';
import { findingsOf, lines, shop } from '../rule-harness';

const C20 = FunctionSizing.INFO.id;

function c20(app: App) {
  return findingsOf(app, [C20]);
}

function fn(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), ...props });
}

const L1_FUNCTION = { code: { zipFile: 'exports.handler = async () => ({})' }, role: 'arn:aws:iam::123456789012:role/ledger', runtime: 'nodejs22.x', handler: 'index.handler' };

describe('Fintech-C20-FunctionWithDefaultSizing', () => {
  test('warns on an L2 function left at the defaults, naming what is unset, and passes one that chooses both', () => {
    const { app, stack } = shop();
    fn(stack, 'Defaults');
    fn(stack, 'MemoryOnly', { memorySize: 512 });
    fn(stack, 'Chosen', { memorySize: 1024, timeout: Duration.seconds(10) });
    // Choosing the default values is still a choice.
    fn(stack, 'ChosenSmall', { memorySize: 128, timeout: Duration.seconds(3) });
    const findings = c20(app);
    expect(lines(findings)).toEqual([`${C20} Shop/Defaults/Resource`, `${C20} Shop/MemoryOnly/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/MemorySize', 'Properties/Timeout'],
      message: expect.stringMatching(/^AWS::Lambda::Function Defaults[0-9A-F]{8} leaves MemorySize \(128 MB\) and Timeout \(3 s\) at Lambda's defaults/),
    });
    expect(findings[1]).toMatchObject({ locations: ['Properties/Timeout'], message: expect.stringContaining("leaves Timeout (3 s) at Lambda's default,") });
  });

  test('judges raw Cfn functions and escape hatches; an intrinsic size counts as chosen', () => {
    const { app, stack } = shop();
    new lambda.CfnFunction(stack, 'Raw', L1_FUNCTION);
    const memory = new CfnParameter(stack, 'Memory', { type: 'Number' });
    new lambda.CfnFunction(stack, 'FromParameter', { ...L1_FUNCTION, memorySize: memory.valueAsNumber, timeout: 30 });
    const overridden = fn(stack, 'Overridden', { memorySize: 512, timeout: Duration.seconds(10) });
    (overridden.node.defaultChild as lambda.CfnFunction).addPropertyDeletionOverride('Timeout');
    expect(lines(c20(app))).toEqual([`${C20} Shop/Overridden/Resource`, `${C20} Shop/Raw`]);
  });

  test('does not judge CDK\'s custom-resource providers, nor functions whose properties cannot be read', () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Emptied', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new lambda.CfnFunction(stack, 'Odd', L1_FUNCTION).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c20(app)).toEqual([]);
  });
});
