import {
  IDENTITY_POLICY_TYPES, actionPattern, documentStatements, isEveryone, literalStrings, pinnedToOtherSources, policyStatements, sourceArnNamed,
} from '../../../src/rules/iam/policy-statements';
import { StackTemplate, TemplateResource } from '../../../src/rules/stack-template';

function resource(type: string, properties: unknown): TemplateResource {
  const stack = new StackTemplate({
    templatePath: '/tmp/cdk.out/Shop.template.json',
    template: { Resources: { Subject: { Type: type, Properties: properties } } },
    stageName: 'dev',
    durable: false,
    elements: new Map(),
  });
  return stack.resource('Subject')!;
}

const READ_ORDERS = { Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Orders', 'Arn'] }, '/*']] } };
const XRAY = { Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' };

describe('policyStatements', () => {
  test('reads the one document of AWS::IAM::Policy and AWS::IAM::ManagedPolicy, with each statement\'s location', () => {
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      const statements = policyStatements(resource(type, { PolicyDocument: { Version: '2012-10-17', Statement: [READ_ORDERS, XRAY] }, Roles: [{ Ref: 'Fn' }] }));
      expect(statements).toEqual([
        { location: 'Properties/PolicyDocument/Statement/0', statement: READ_ORDERS },
        { location: 'Properties/PolicyDocument/Statement/1', statement: XRAY },
      ]);
    }
  });

  test('reads every inline policy of roles, users and groups, but not a role\'s trust policy', () => {
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
      const statements = policyStatements(resource(type, {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: [
          { PolicyName: 'read', PolicyDocument: { Statement: [READ_ORDERS] } },
          { PolicyName: 'trace', PolicyDocument: { Statement: XRAY } },
        ],
      }));
      expect(statements).toEqual([
        { location: 'Properties/Policies/0/PolicyDocument/Statement/0', statement: READ_ORDERS },
        { location: 'Properties/Policies/1/PolicyDocument/Statement', statement: XRAY },
      ]);
    }
  });

  test('leaves out intrinsic policies, documents and statements, keeping the indexes of the literal ones', () => {
    const statements = policyStatements(resource('AWS::IAM::Role', {
      Policies: [
        { 'Fn::If': ['IsProd', { PolicyName: 'p', PolicyDocument: { Statement: [XRAY] } }, { Ref: 'AWS::NoValue' }] },
        { PolicyName: 'imported', PolicyDocument: { 'Fn::ImportValue': 'SharedPolicy' } },
        { PolicyName: 'mixed', PolicyDocument: { Statement: [{ 'Fn::If': ['IsProd', XRAY, { Ref: 'AWS::NoValue' }] }, READ_ORDERS] } },
        'not a policy',
      ],
    }));
    expect(statements).toEqual([{ location: 'Properties/Policies/2/PolicyDocument/Statement/1', statement: READ_ORDERS }]);
  });

  test('is empty for unknown properties, intrinsic policy lists, missing documents and other resource types', () => {
    expect(policyStatements(resource('AWS::IAM::Policy', { 'Fn::If': ['C', { PolicyDocument: { Statement: [XRAY] } }, {}] }))).toEqual([]);
    expect(policyStatements(resource('AWS::IAM::Role', { Policies: { 'Fn::If': ['C', [], []] } }))).toEqual([]);
    expect(policyStatements(resource('AWS::IAM::Role', {}))).toEqual([]);
    expect(policyStatements(resource('AWS::IAM::Policy', {}))).toEqual([]);
    // Resource policies are not identity policies.
    expect(policyStatements(resource('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: [XRAY] } }))).toEqual([]);
    expect(policyStatements(resource('AWS::SQS::Queue', { Policies: [{ PolicyDocument: { Statement: [XRAY] } }] }))).toEqual([]);
  });

  test('IDENTITY_POLICY_TYPES lists exactly the types it reads', () => {
    expect([...IDENTITY_POLICY_TYPES].sort()).toEqual(['AWS::IAM::Group', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::User']);
    for (const type of IDENTITY_POLICY_TYPES) {
      const properties = type.endsWith('Policy') ? { PolicyDocument: { Statement: [XRAY] } } : { Policies: [{ PolicyDocument: { Statement: [XRAY] } }] };
      expect(policyStatements(resource(type, properties))).toHaveLength(1);
    }
  });
});

describe('documentStatements', () => {
  test('reads a resource policy at the location given, whether Statement is a list or one object', () => {
    const allow = { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' };
    expect(documentStatements({ Statement: [allow] }, 'Properties/KeyPolicy')).toEqual([{ location: 'Properties/KeyPolicy/Statement/0', statement: allow }]);
    expect(documentStatements({ Statement: allow }, 'Properties/KeyPolicy')).toEqual([{ location: 'Properties/KeyPolicy/Statement', statement: allow }]);
  });

  test('is empty for an intrinsic document or Statement, and for malformed input', () => {
    expect(documentStatements({ 'Fn::If': ['C', { Statement: [XRAY] }, {}] }, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements({ Statement: { Ref: 'Statements' } }, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements({}, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements({ Statement: 'Allow everything' }, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements({ Statement: [] }, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements('{"Statement":[]}', 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements(undefined, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements(null, 'Properties/PolicyDocument')).toEqual([]);
    expect(documentStatements([{ Statement: [XRAY] }], 'Properties/PolicyDocument')).toEqual([]);
  });
});

describe('literalStrings', () => {
  test('reads one string or a list, leaving out intrinsic and non-string entries', () => {
    expect(literalStrings('s3:GetObject')).toEqual(['s3:GetObject']);
    expect(literalStrings(['s3:GetObject', { 'Fn::Sub': '${Service}:Get*' }, 's3:ListBucket', 42, null])).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(literalStrings({ Ref: 'Actions' })).toEqual([]);
    expect(literalStrings(undefined)).toEqual([]);
    expect(literalStrings([])).toEqual([]);
  });
});

describe('isEveryone', () => {
  test('is true for "*" and for an AWS principal of "*", alone or in a list', () => {
    expect(isEveryone('*')).toBe(true);
    expect(isEveryone({ AWS: '*' })).toBe(true);
    expect(isEveryone({ AWS: ['arn:aws:iam::123456789012:root', '*'] })).toBe(true);
  });

  test('is false for accounts, services, intrinsics and missing principals', () => {
    expect(isEveryone({ AWS: 'arn:aws:iam::123456789012:root' })).toBe(false);
    expect(isEveryone({ AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } })).toBe(false);
    expect(isEveryone({ Service: 'sns.amazonaws.com' })).toBe(false);
    expect(isEveryone({ 'Fn::If': ['Public', '*', { Ref: 'AWS::NoValue' }] })).toBe(false);
    expect(isEveryone(['*'])).toBe(false);
    expect(isEveryone(undefined)).toBe(false);
    expect(isEveryone('arn:aws:iam::123456789012:root')).toBe(false);
  });
});

describe('actionPattern', () => {
  test('matches IAM actions case-insensitively, with * for any run of characters and ? for one', () => {
    expect(actionPattern('kms:Decrypt*').test('kms:Decrypt')).toBe(true);
    expect(actionPattern('kms:Decrypt*').test('KMS:decryptAnything')).toBe(true);
    expect(actionPattern('kms:*').test('kms:GenerateDataKey')).toBe(true);
    expect(actionPattern('*').test('s3:GetObject')).toBe(true);
    expect(actionPattern('sqs:?endMessage').test('sqs:SendMessage')).toBe(true);
    expect(actionPattern('sqs:?endMessage').test('sqs:endMessage')).toBe(false);
    expect(actionPattern('kms:Decrypt*').test('kms:Encrypt')).toBe(false);
    expect(actionPattern('kms:Decrypt').test('kms:DecryptMore')).toBe(false);
  });

  test('takes every other character literally', () => {
    expect(actionPattern('s3:Get.Object').test('s3:GetXObject')).toBe(false);
    expect(actionPattern('s3:Get.Object').test('s3:Get.Object')).toBe(true);
    expect(actionPattern('a+(b)|[c]$^').test('a+(b)|[c]$^')).toBe(true);
    expect(actionPattern('a+(b)|[c]$^').test('aab')).toBe(false);
  });

  test('compiles each pattern once, and its RegExp keeps no state between tests', () => {
    const pattern = actionPattern('sns:Publish*');
    expect(actionPattern('sns:Publish*')).toBe(pattern);
    expect([pattern.test('sns:Publish'), pattern.test('sns:Publish'), pattern.test('sns:PublishBatch')]).toEqual([true, true, true]);
  });
});

describe('sourceArnNamed and pinnedToOtherSources', () => {
  const stack = new StackTemplate({
    templatePath: '/tmp/Sources.template.json',
    template: { Resources: { Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'payments' } }, Settled: { Type: 'AWS::Events::Rule' }, Refunded: { Type: 'AWS::Events::Rule' } } },
    stageName: '',
    durable: false,
    elements: new Map(),
  });
  const settled = stack.resource('Settled')!;
  const refunded = stack.resource('Refunded')!;

  test('names a resource only by Ref or GetAtt; a join built on one (a rule ARN on its bus\'s name), a wildcard or an import names none for certain', () => {
    expect(sourceArnNamed(stack, { 'Fn::GetAtt': ['Settled', 'Arn'] })).toBe(settled);
    expect(sourceArnNamed(stack, { 'Fn::Join': ['', ['arn:aws:events:eu-west-1:123456789012:rule/', { Ref: 'Bus' }, '/settled']] })).toBeUndefined();
    expect(sourceArnNamed(stack, 'arn:aws:events:eu-west-1:123456789012:rule/*')).toBeUndefined();
    expect(sourceArnNamed(stack, { 'Fn::ImportValue': 'rule-arn' })).toBeUndefined();
  });

  test('a condition is pinned to others only when every SourceArn it names is another resource of the templates', () => {
    const onRefunded = { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['Refunded', 'Arn'] } } };
    expect(pinnedToOtherSources(stack, onRefunded, settled)).toBe(true);
    expect(pinnedToOtherSources(stack, onRefunded, refunded)).toBe(false);
    expect(pinnedToOtherSources(stack, { ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': ['Refunded', 'Arn'] }, 'arn:aws:events:*'] } }, settled)).toBe(false);
    expect(pinnedToOtherSources(stack, { StringEquals: { 'aws:SourceAccount': '123456789012' } }, settled)).toBe(false);
    expect(pinnedToOtherSources(stack, undefined, settled)).toBe(false);
  });
});
