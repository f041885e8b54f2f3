import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, NestedStack, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { FintechChecks } from '../../../src/rules/fintech-checks';
import { UnvalidatedParameter } from '../../../src/rules/parameters/unvalidated-parameter';
import { StackTemplate } from '../../../src/rules/stack-template';
import { stackIn, testApp } from '../../support/fintech-fixture';
import { findingsOf, lines, shop } from '../rule-harness';

const C22 = UnvalidatedParameter.INFO.id;

function c22(app: App) {
  return findingsOf(app, [C22]);
}

function templateWith(parameters: unknown): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/Odd.template.json', template: { Parameters: parameters }, stageName: '', durable: false, elements: new Map() });
}

describe('Fintech-C22-UnvalidatedParameter', () => {
  test('warns on a free String parameter, naming its construct path, and passes validated ones', () => {
    const { app, stack } = shop();
    new CfnParameter(stack, 'AccountId');
    new CfnParameter(stack, 'Environment', { allowedValues: ['dev', 'prod'] });
    new CfnParameter(stack, 'Bucket', { allowedPattern: '^[a-z0-9-]{3,63}$' });
    const findings = c22(app);
    expect(lines(findings)).toEqual([`${C22} Shop/AccountId`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      logicalId: 'AccountId',
      locations: ['Parameters/AccountId'],
      message: 'Parameter AccountId (Type String) has neither AllowedPattern nor AllowedValues, so any value is accepted at deploy time.',
      fix: expect.stringContaining('allowedPattern'),
    });
    expect(findings[0].resourceType).toBeUndefined();
  });

  test('names the construct path of a parameter inside a stage', () => {
    const app = testApp();
    new CfnParameter(stackIn(app, 'dev'), 'Free');
    expect(lines(c22(app))).toEqual([`${C22} dev/Workload/Free`]);
  });

  test("skips CDK's BootstrapVersion, SSM parameter types and non-String types", () => {
    const { app, stack } = shop();
    new CfnParameter(stack, 'Count', { type: 'Number' });
    new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    new CfnParameter(stack, 'Image', { type: 'AWS::SSM::Parameter::Value<String>', default: '/ledger/image' });
    ssm.StringParameter.valueForStringParameter(stack, '/ledger/endpoint');
    expect(c22(app)).toEqual([]);
    expect(Object.keys(app.synth().getStackByName('Shop').template.Parameters)).toContain('BootstrapVersion');
  });

  test('judges parameters of an included raw template (no CfnParameter written by hand)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'include-')), 'legacy.json');
    fs.writeFileSync(file, JSON.stringify({
      Parameters: { LegacyName: { Type: 'String' }, LegacyStage: { Type: 'String', AllowedValues: ['dev'] } },
      Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { Ref: 'LegacyName' } } } },
    }));
    const { app, stack } = shop();
    new cfninc.CfnInclude(stack, 'Legacy', { templateFile: file });
    expect(lines(c22(app))).toEqual([`${C22} Shop/Legacy/LegacyName`]);
  });

  test('does not crash on odd Parameters sections', () => {
    const rule = new UnvalidatedParameter();
    expect(rule.checkTemplate(templateWith('none'))).toEqual([]);
    expect(rule.checkTemplate(templateWith({ A: 'x', B: { Type: { Ref: 'T' } }, C: { Type: 'String', AllowedValues: { Ref: 'V' } } }))).toEqual([]);
    expect(rule.checkTemplate(templateWith({ D: { Type: 'String' } })).map(f => f.logicalId)).toEqual(['D']);
  });

  test('leaves out the parameters CDK generates for references from a parent stack, and judges the ones the user declares in a nested stack', () => {
    const { app, stack } = shop();
    const bucket = new s3.Bucket(stack, 'Orders');
    const nested = new NestedStack(stack, 'Workers');
    new sqs.Queue(nested, 'Jobs', { queueName: `jobs-${bucket.bucketName}` });
    new CfnParameter(nested, 'Mode');
    const assembly = app.synth();
    const nestedFile = fs.readdirSync(assembly.directory).find(file => file.endsWith('.nested.template.json'))!;
    const nestedParameters = Object.keys(JSON.parse(fs.readFileSync(path.join(assembly.directory, nestedFile), 'utf-8')).Parameters);
    expect(nestedParameters.filter(id => id.startsWith('referenceto'))).toHaveLength(1);
    expect(lines(c22(app))).toEqual([`${C22} Shop/Workers/Mode`]);
    // Judged from the cloud assembly alone (the pack without a scope), the nested template is known by its parent.
    const checks = FintechChecks.fromProps({ stage: 'prod' });
    checks.validate({ templatePaths: assembly.stacks.map(s => s.templateFullPath) });
    expect(lines(checks.findings.filter(f => f.ruleId === C22))).toEqual([`${C22} Shop/Workers/Mode`]);
  });

  test('without constructs, a referenceto parameter counts as CDK\'s only in a nested stack', () => {
    const parameters = { referencetoShopOrdersRef: { Type: 'String' }, AssetParametersabcS3Bucket: { Type: 'String' } };
    const app = new App();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Child');
    const inNested = new StackTemplate({ templatePath: '/tmp/Child.nested.template.json', template: { Parameters: parameters }, stack: nested, stageName: '', durable: false, elements: new Map() });
    expect(new UnvalidatedParameter().checkTemplate(inNested)).toEqual([]);
    expect(new UnvalidatedParameter().checkTemplate(templateWith(parameters)).map(f => f.logicalId)).toEqual(['referencetoShopOrdersRef']);
  });
});
