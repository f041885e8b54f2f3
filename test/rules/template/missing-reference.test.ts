import { Aws, CfnCondition, CfnMapping, CfnOutput, CfnParameter, CfnResource, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { FintechChecks } from '../../../src/rules/fintech-checks';
import { MissingReference } from '../../../src/rules/template/missing-reference';
import { findingsOf, lines, shop } from '../rule-harness';

const MISSING = MissingReference.INFO.id;

function raw(scope: Stack, id: string, properties: Record<string, unknown> = {}): CfnResource {
  const resource = new CfnResource(scope, id, { type: 'AWS::SQS::Queue', properties });
  resource.overrideLogicalId(id);
  return resource;
}

describe('Fintech-C22-MissingReference', () => {
  test('passes L2 resources that refer to one another, parameters, conditions, mappings and pseudo parameters', () => {
    const { app, stack } = shop();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantRead(role);
    (bucket.node.defaultChild as s3.CfnBucket).overrideLogicalId('Bucket');
    const prefix = new CfnParameter(stack, 'Prefix', { allowedPattern: '[a-z]+' });
    const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(prefix.valueAsString, 'prod') });
    const sizes = new CfnMapping(stack, 'Sizes', { mapping: { prod: { retention: '1209600' }, dev: { retention: '345600' } } });
    const q = raw(stack, 'Raw', {
      QueueName: Fn.sub('${Prefix}-${AWS::Region}-${!Literal}-${Bucket.Arn}'),
      MessageRetentionPeriod: sizes.findInMap(prefix.valueAsString, 'retention'),
      Tags: [{ Key: 'k', Value: Fn.conditionIf(isProd.logicalId, Aws.NO_VALUE, 'x') }],
    });
    q.cfnOptions.condition = isProd;
    q.addDependency(role.node.defaultChild as iam.CfnRole);
    new CfnOutput(stack, 'QueueUrl', { value: q.ref, condition: isProd });
    expect(findingsOf(app, [MISSING])).toEqual([]);
  });

  test('fails Ref, Fn::GetAtt, Fn::Sub variables and DependsOn naming no resource, one finding per name and element', () => {
    const { app, stack } = shop();
    const q = raw(stack, 'Raw', {
      QueueName: { Ref: 'Gone' },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['GoneDlq', 'Arn'] }, maxReceiveCount: 3 },
      Tags: [{ Key: 'a', Value: Fn.sub('${Gone}-${Other.Name}') }],
    });
    q.addOverride('DependsOn', ['Missing']);
    new CfnParameter(stack, 'Prefix', { allowedPattern: '[a-z]+' });
    raw(stack, 'Raw2', { QueueName: { 'Fn::GetAtt': 'Prefix.Value' } });
    const findings = findingsOf(app, [MISSING]);
    expect(findings.map(f => `${f.logicalId}: ${f.message.split(' (')[0]} [${f.locations.join(', ')}]`).sort()).toEqual([
      'Raw2: AWS::SQS::Queue Raw2 refers to "Prefix" [Properties/QueueName/Fn::GetAtt]',
      'Raw: AWS::SQS::Queue Raw refers to "Gone" [Properties/QueueName/Ref, Properties/Tags/0/Value/Fn::Sub]',
      'Raw: AWS::SQS::Queue Raw refers to "GoneDlq" [Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt]',
      'Raw: AWS::SQS::Queue Raw refers to "Missing" [DependsOn/0]',
      'Raw: AWS::SQS::Queue Raw refers to "Other" [Properties/Tags/0/Value/Fn::Sub]',
    ]);
    expect(findings.every(f => f.severity === 'error' && f.constructPath.startsWith('Shop/'))).toBe(true);
    expect(findings.find(f => f.message.includes('"Gone"'))!.message).toContain('(Ref at Properties/QueueName/Ref, Fn::Sub at Properties/Tags/0/Value/Fn::Sub), which is not a resource or parameter of Shop.template.json');
    expect(findings.find(f => f.message.includes('"Prefix"'))!.message).toContain('"Prefix" is a parameter, which has no attributes');
  });

  test('fails conditions and mappings that do not exist, in resources, outputs and conditions', () => {
    const { app, stack } = shop();
    const q = raw(stack, 'Raw', {
      MessageRetentionPeriod: { 'Fn::FindInMap': ['NoMap', 'a', 'b'] },
      QueueName: { 'Fn::If': ['NoIf', 'a', 'b'] },
    });
    q.addOverride('Condition', 'NoCondition');
    new CfnOutput(stack, 'Out', { value: Fn.getAtt('NoOutputTarget', 'Arn').toString() });
    new CfnCondition(stack, 'Both', { expression: Fn.conditionAnd({ Condition: 'NoNested' } as any, Fn.conditionEquals(Fn.ref('NoParam'), 'x')) });
    expect(lines(findingsOf(app, [MISSING]))).toEqual([
      `${MISSING} Shop/Both`,
      `${MISSING} Shop/Both`,
      `${MISSING} Shop/Out`,
      `${MISSING} Shop/Raw`,
      `${MISSING} Shop/Raw`,
      `${MISSING} Shop/Raw`,
    ]);
    const messages = findingsOf(app, [MISSING]).map(f => f.message.split(' (')[0]).sort();
    expect(messages).toEqual([
      'AWS::SQS::Queue Raw refers to "NoCondition"',
      'AWS::SQS::Queue Raw refers to "NoIf"',
      'AWS::SQS::Queue Raw refers to "NoMap"',
      'Condition Both refers to "NoNested"',
      'Condition Both refers to "NoParam"',
      'Output Out refers to "NoOutputTarget"',
    ]);
  });

  test('judges each nested template on its own: parent resources reach it as parameters', () => {
    const { app, stack } = shop();
    const parentQueue = new sqs.Queue(stack, 'Parent');
    const nested = new NestedStack(stack, 'Inner');
    new sqs.Queue(nested, 'Child', { queueName: Fn.join('-', [parentQueue.queueName, 'child']) });
    raw(nested, 'Broken', { QueueName: { Ref: 'ParentQueue' } });
    const findings = findingsOf(app, [MISSING]);
    expect(lines(findings)).toEqual([`${MISSING} Shop/Inner/Broken`]);
    expect(findings[0].templatePath).toMatch(/\.nested\.template\.json$/);
  });

  test('across a nested stack\'s boundary: outputs the parent reads and parameters it passes must be declared', () => {
    const { app, stack } = shop();
    const nested = new NestedStack(stack, 'Inner');
    const child = new sqs.Queue(nested, 'Child');
    // CDK's own cross-boundary reference: an output of the nested template read by the parent.
    new sqs.Queue(stack, 'Parent', { queueName: Fn.join('-', [child.queueName, 'parent']) });
    expect(findingsOf(app, [MISSING])).toEqual([]);

    const broken = shop();
    const inner = new NestedStack(broken.stack, 'Inner');
    new sqs.Queue(inner, 'Child');
    new CfnParameter(inner, 'Required', { allowedPattern: '[a-z]+' });
    new CfnParameter(inner, 'Optional', { allowedPattern: '[a-z]+', default: 'a' });
    const resource = inner.nestedStackResource as CfnResource;
    resource.addPropertyOverride('Parameters.Bogus', 'x');
    new CfnOutput(broken.stack, 'Url', { value: Fn.getAtt(resource.logicalId, 'Outputs.Gone').toString() });
    raw(broken.stack, 'Reader', { QueueName: Fn.sub(`\${${broken.stack.resolve(resource.logicalId)}.Outputs.AlsoGone}`) });
    const findings = findingsOf(broken.app, [MISSING]);
    expect(findings.map(f => `${f.constructPath}: ${f.message.replace(/InnerNestedStackInnerNestedStackResource[0-9A-F]{8}/g, 'InnerStack').replace(/ShopInner[0-9A-F]{8}/g, 'ShopInner')}`).sort()).toEqual([
      'Shop/Inner.NestedStack/Inner.NestedStackResource: AWS::CloudFormation::Stack InnerStack passes parameter "Bogus", which ShopInner.nested.template.json ' +
        'does not declare and does not pass parameter "Required", which ShopInner.nested.template.json declares without a default, so CloudFormation refuses the template.',
      'Shop/Reader: AWS::SQS::Queue Reader reads output "AlsoGone" of nested stack InnerStack (Fn::Sub at Properties/QueueName/Fn::Sub), ' +
        'which ShopInner.nested.template.json does not declare, so CloudFormation refuses the template.',
      'Shop/Url: Output Url reads output "Gone" of nested stack InnerStack (Fn::GetAtt at Value/Fn::GetAtt), ' +
        'which ShopInner.nested.template.json does not declare, so CloudFormation refuses the template.',
    ]);
    // Judged from the cloud assembly alone (the pack without a scope), each nested template is linked to its parent the same way.
    const withoutScope = FintechChecks.fromProps({});
    withoutScope.validate({ templatePaths: broken.app.synth().stacks.map(s => s.templateFullPath) });
    expect(withoutScope.findings.filter(f => f.ruleId === MISSING).map(f => f.constructPath).sort())
      .toEqual(['Shop/Inner.NestedStack/Inner.NestedStackResource', 'Shop/Reader', 'Shop/Url']);
  });

  test('does not judge across the boundary a nested stack whose TemplateURL is overridden to a template published elsewhere', () => {
    const { app, stack } = shop();
    // As AWS Solutions do: the nested stack's resource deploys a template of their own bucket, built apart.
    const published = new NestedStack(stack, 'Published', { parameters: { Namespace: 'asr' } });
    (published.nestedStackResource as CfnResource).addPropertyOverride('TemplateURL',
      Fn.join('', ['https://', Fn.findInMap('SourceCode', 'General', 'S3Bucket'), '.s3.amazonaws.com/member-cloudtrail.template']));
    new CfnMapping(stack, 'SourceCode', { mapping: { General: { S3Bucket: 'solutions-reference' } } });
    new CfnOutput(stack, 'Trail', { value: Fn.getAtt((published.nestedStackResource as CfnResource).logicalId, 'Outputs.TrailArn').toString() });
    // The same shape at the URL CDK gives the template it wrote is judged.
    const written = new NestedStack(stack, 'Written', { parameters: { Namespace: 'asr' } });
    new sqs.Queue(written, 'Child');
    const findings = findingsOf(app, [MISSING]);
    expect(findings.map(f => f.constructPath)).toEqual(['Shop/Written.NestedStack/Written.NestedStackResource']);
    expect(findings[0].message).toContain('passes parameter "Namespace", which ShopWritten');
    const withoutScope = FintechChecks.fromProps({});
    withoutScope.validate({ templatePaths: app.synth().stacks.map(s => s.templateFullPath) });
    expect(withoutScope.findings.filter(f => f.ruleId === MISSING).map(f => f.constructPath)).toEqual(['Shop/Written.NestedStack/Written.NestedStackResource']);
  });

  test('skips templates with a transform and intrinsic names; cannot be acknowledged in durable stages', () => {
    const { app, stack } = shop();
    stack.addTransform('AWS::Serverless-2016-10-31');
    raw(stack, 'Raw', { QueueName: { Ref: 'ImplicitApi' } });
    expect(findingsOf(app, [MISSING])).toEqual([]);

    const other = shop();
    raw(other.stack, 'Raw', { QueueName: { Ref: { 'Fn::Sub': 'x' } }, Tags: [{ Key: 'k', Value: { 'Fn::ImportValue': 'SomeExport' } }] });
    raw(other.stack, 'Included', { Tags: [{ Key: 'k', Value: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://x/y' } } } }], QueueName: { Ref: 'FromInclude' } });
    expect(findingsOf(other.app, [MISSING])).toEqual([]);
    expect(MissingReference.INFO.acknowledgeableInDurableStages).toBe(false);
  });

  test('takes names a registry module may declare (<Module>.<Resource>, <Module><Resource>) as declared; other names stay missing', () => {
    const { app, stack } = shop();
    const ledger = new CfnResource(stack, 'Ledger', { type: 'Acme::Storage::LedgerBucket::MODULE', properties: { Stage: 'dev' } });
    ledger.overrideLogicalId('Ledger');
    raw(stack, 'Raw', {
      QueueName: { Ref: 'Ledger.Bucket' },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['LedgerDeadLetters', 'Arn'] } },
      KmsMasterKeyId: { 'Fn::Sub': '${Ledger.Key.Arn}' },
      Tags: [{ Key: 'bucket', Value: { 'Fn::GetAtt': 'Ledger.Bucket.Arn' } }, { Key: 'typo', Value: { Ref: 'Ledgr.Bucket' } }],
    }).addOverride('DependsOn', ['LedgerBucketPolicy', 'Audit']);
    expect(findingsOf(app, [MISSING]).map(f => f.message.match(/refers to "([^"]+)"/)![1]).sort()).toEqual(['Audit', 'Ledgr.Bucket']);
  });
});
