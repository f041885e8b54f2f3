import * as fs from 'fs';
import * as path from 'path';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { isEdgeFunction } from '../../../src/rules/lambda/edge-functions';
import { StackTemplate, TemplatePeers } from '../../../src/rules/stack-template';

const CODE = lambda.Code.fromInline('exports.handler = async (event) => event.Records[0].cf.request;');

/** Every template of the app, validated together, and the functions of each by construct path. */
function functionsOf(app: App): Map<string, boolean> {
  const assembly = app.synth();
  const stacks = app.node.findAll().filter(Stack.isStack);
  const peers = new TemplatePeers();
  const templates = stacks.map(stack => {
    const file = path.join(assembly.directory, stack.templateFile);
    const elements = new Map(stack.node.findAll().filter(CfnElement.isCfnElement).filter(e => Stack.of(e) === stack)
      .map(e => [stack.resolve(e.logicalId) as string, e as IConstruct]));
    return new StackTemplate({ templatePath: file, template: JSON.parse(fs.readFileSync(file, 'utf-8')), stack, stageName: 'dev', durable: false, elements, peers });
  });
  const found = new Map<string, boolean>();
  for (const template of templates) for (const fn of template.resourcesOfType('AWS::Lambda::Function')) found.set(fn.constructPath, isEdgeFunction(fn));
  return found;
}

describe('isEdgeFunction', () => {
  test('is true for an EdgeFunction, in us-east-1 and in the stack CDK adds there for another region; false for other functions', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const virginia = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    new cloudfront.experimental.EdgeFunction(virginia, 'CheckToken', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE, timeout: Duration.seconds(5) });
    new lambda.Function(virginia, 'Plain', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE });
    const ireland = new Stack(app, 'Portal', { env: { account: '123456789012', region: 'eu-west-1' } });
    new cloudfront.experimental.EdgeFunction(ireland, 'Rewrite', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: CODE });
    const found = functionsOf(app);
    expect(found.get('Edge/CheckToken/Fn/Resource')).toBe(true);
    expect(found.get('Edge/Plain/Resource')).toBe(false);
    const replicated = [...found].filter(([constructPath]) => constructPath.endsWith('/Rewrite/Resource'));
    expect(replicated).toEqual([[expect.stringMatching(/^edge-lambda-stack-/), true]]);
  });

  test('reads a raw role\'s trust policy: a principal list naming edgelambda counts, a Deny or another service does not, an imported role is unknown (false)', () => {
    const app = new App();
    const stack = new Stack(app, 'Raw');
    const role = (id: string, statement: object) => new iam.CfnRole(stack, id, { assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [statement] } });
    const trusts = (id: string, execution: iam.CfnRole | string) => new lambda.CfnFunction(stack, id, {
      code: { zipFile: 'x' }, handler: 'index.handler', runtime: 'nodejs22.x', role: typeof execution === 'string' ? execution : execution.attrArn,
    });
    trusts('Listed', role('ListedRole', { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'EdgeLambda.amazonaws.com'] }, Action: 'sts:AssumeRole' }));
    trusts('Denied', role('DeniedRole', { Effect: 'Deny', Principal: { Service: 'edgelambda.amazonaws.com' }, Action: 'sts:AssumeRole' }));
    trusts('Lambda', role('LambdaRole', { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }));
    trusts('Imported', 'arn:aws:iam::123456789012:role/edge');
    expect(Object.fromEntries(functionsOf(app))).toEqual({ 'Raw/Listed': true, 'Raw/Denied': false, 'Raw/Lambda': false, 'Raw/Imported': false });
  });
});
