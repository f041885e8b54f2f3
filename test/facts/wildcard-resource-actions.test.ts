import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as mwaa from 'aws-cdk-lib/aws-mwaa';
import { CALLBACK_ACTIONS, OPTIONAL_RESOURCE_ACTIONS, SERVICE_ROLE_WILDCARDS, WILDCARD_RESOURCE_ACTIONS, allowedOnEveryResource, isKnownAction } from '../../src/facts/wildcard-resource-actions';
import { PolicyWildcards } from '../../src/rules/iam/policy-wildcards';
import { StackTemplate } from '../../src/rules/stack-template';
import { cfnLintIamActions } from '../support/cfn-lint-iam-actions';

/** Whether PolicyWildcards, which reads this list, lets an identity policy allow `action` on Resource "*". */
function ruleAllowsOnEveryResource(action: string): boolean {
  const stack = new StackTemplate({
    templatePath: '/tmp/cdk.out/Shop.template.json',
    template: {
      Resources: {
        FnPolicy: {
          Type: 'AWS::IAM::Policy',
          Properties: { PolicyName: 'fn', Roles: [{ Ref: 'FnRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] } },
        },
      },
    },
    stageName: 'dev',
    durable: false,
    elements: new Map(),
  });
  return new PolicyWildcards().checkResource(stack.resource('FnPolicy')!).length === 0;
}

describe('WILDCARD_RESOURCE_ACTIONS', () => {
  // The exact actions this list held before RESOURCELESS_ACTIONS made them derivable: what the library's constructs and the
  // corpus grant on "*". Each names no resource type in cfn-lint's data, so the rule still allows it.
  const FORMERLY_LISTED = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
    'xray:GetSamplingStatisticSummaries', 'xray:GetTraceSummaries', 'xray:BatchGetTraces', 'cloudwatch:PutMetricData', 'cloudwatch:GetMetricData',
    'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'sts:GetCallerIdentity', 'kms:CreateKey', 'kms:ListKeys', 'kms:ListAliases',
    'kms:GenerateRandom', 'ecr:GetAuthorizationToken', 'ecs:DiscoverPollEndpoint', 'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel',
    'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel', 'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
    'lakeformation:GetDataAccess', 'states:InvokeHTTPEndpoint', 'emr-containers:CreateVirtualCluster', 's3:ListAllMyBuckets',
    's3:GetAccountPublicAccessBlock', 'sqs:ListQueues', 'sns:ListTopics', 'lambda:ListFunctions', 'dynamodb:ListTables', 'dynamodb:ListStreams',
    'states:ListStateMachines', 'secretsmanager:GetRandomPassword', 'secretsmanager:ListSecrets', 'ssm:DescribeParameters', 'tag:GetResources'];

  test('holds only wildcard actions: an exact action that takes no resource comes from RESOURCELESS_ACTIONS, as the formerly listed ones do', () => {
    expect(WILDCARD_RESOURCE_ACTIONS.every(entry => entry.includes('*'))).toBe(true);
    for (const action of FORMERLY_LISTED) {
      expect([action, allowedOnEveryResource(action), ruleAllowsOnEveryResource(action)]).toEqual([action, true, true]);
    }
  });

  test('every entry is one service:Action, unique regardless of case', () => {
    for (const entry of WILDCARD_RESOURCE_ACTIONS) expect(entry).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]*\*?$/);
    const lower = WILDCARD_RESOURCE_ACTIONS.map(entry => entry.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
  });

  test('the Session Manager channels of ECS Exec are allowed on Resource "*", other ssmmessages actions are not listed', () => {
    for (const action of ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']) {
      expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, true]);
    }
    expect(ruleAllowsOnEveryResource('ssmmessages:*')).toBe(false);
  });

  test('a wildcard entry names a verb, never a whole service', () => {
    for (const entry of WILDCARD_RESOURCE_ACTIONS.filter(e => e.includes('*'))) expect(entry).toMatch(/^[a-z0-9-]+:[A-Z][a-z]+\*$/);
  });

  test('every entry, and every action a wildcard entry names, is allowed on Resource "*" in any case', () => {
    for (const entry of WILDCARD_RESOURCE_ACTIONS) {
      expect([entry, ruleAllowsOnEveryResource(entry)]).toEqual([entry, true]);
      expect([entry.toUpperCase(), ruleAllowsOnEveryResource(entry.toUpperCase())]).toEqual([entry.toUpperCase(), true]);
    }
    for (const action of ['ec2:DescribeNetworkInterfaces', 'ec2:describesubnets']) expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, true]);
  });

  test('leaves out actions that take a resource, even ones often granted on "*"', () => {
    for (const action of ['logs:CreateLogGroup', 'logs:PutLogEvents', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:RunInstances',
      'kms:Decrypt', 's3:GetObject', 's3:ListBucket', 'sqs:SendMessage', 'secretsmanager:GetSecretValue', 'dynamodb:DescribeStream', 'xray:GetGroup', 'xray:UpdateSamplingRule']) {
      expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, false]);
    }
  });

  test('agrees with the IAM action data cfn-lint ships: no exact entry has a resource type there, and few of a wildcard\'s actions do', () => {
    const actions = cfnLintIamActions();
    const resourceTypes = (entry: string) => {
      const [service, verb] = entry.toLowerCase().split(':');
      const pattern = new RegExp(`^${verb.replace('*', '.*')}$`);
      return Object.entries(actions[service]?.Actions ?? {})
        .filter(([name]) => pattern.test(name))
        .map(([name, action]) => [name, action.Resources ?? []] as const);
    };
    for (const entry of [...WILDCARD_RESOURCE_ACTIONS.filter(e => !e.includes('*')), ...FORMERLY_LISTED]) {
      expect([entry, resourceTypes(entry)]).toEqual([entry, [[entry.split(':')[1].toLowerCase(), []]]]);
    }
    // ec2:Describe*: the attribute and history reads the list's comment names take one; they stay a small share.
    const describe = resourceTypes('ec2:Describe*');
    const taking = describe.filter(([, types]) => types.length > 0).map(([name]) => name);
    expect(taking).toEqual(expect.arrayContaining(['describeinstanceattribute', 'describefleetinstances']));
    expect(taking.length).toBeLessThan(describe.length / 10);
  });

  test('a statement\'s own wildcard is allowed only when listed verbatim', () => {
    expect(ruleAllowsOnEveryResource('ec2:Describe*')).toBe(true);
    expect(ruleAllowsOnEveryResource('xray:PutTrace*')).toBe(false);
    expect(ruleAllowsOnEveryResource('logs:*Delivery')).toBe(false);
  });
});

describe.each([
  ['OPTIONAL_RESOURCE_ACTIONS', OPTIONAL_RESOURCE_ACTIONS],
  ['CALLBACK_ACTIONS', CALLBACK_ACTIONS],
])('%s', (_, listed) => {
  test('each action takes exactly the listed types in cfn-lint\'s IAM data, so it is not resourceless there', () => {
    const iam = cfnLintIamActions();
    for (const [action, types] of Object.entries(listed)) {
      const [prefix, name] = action.toLowerCase().split(':');
      expect([action, [...iam[prefix]?.Actions?.[name]?.Resources ?? []].sort()]).toEqual([action, [...types].sort()]);
    }
  });
});

describe('OPTIONAL_RESOURCE_ACTIONS', () => {
  test('is allowed on Resource "*" by the rule, in any case; the same services\' actions on a required resource are not', () => {
    for (const action of [...Object.keys(OPTIONAL_RESOURCE_ACTIONS), 'POLLY:synthesizespeech']) expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, true]);
    for (const action of ['polly:GetLexicon', 'translate:GetTerminology', 'comprehend:ClassifyDocument', 'comprehend:StartEntitiesDetectionJob', 'transcribe:GetTranscriptionJob', 'polly:*', 'ce:UpdateAnomalyMonitor', 'ce:DeleteCostCategoryDefinition']) {
      expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, false]);
    }
  });
});

describe('CALLBACK_ACTIONS', () => {
  test('is allowed on Resource "*" by the rule; the same service\'s object actions, which name the access point, are not', () => {
    for (const action of [...Object.keys(CALLBACK_ACTIONS), 'S3-OBJECT-LAMBDA:writegetobjectresponse']) expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, true]);
    for (const action of ['s3-object-lambda:GetObject', 's3-object-lambda:PutObject', 's3-object-lambda:*', 's3:GetObject']) {
      expect([action, ruleAllowsOnEveryResource(action)]).toEqual([action, false]);
    }
  });
});

describe('SERVICE_ROLE_WILDCARDS', () => {
  test('an entry with an aws-cdk-lib construct is what it writes: the property names a role only the service assumes, allowed the actions on "*"', () => {
    const app = new App();
    const stack = new Stack(app, 'Identity');
    new cognito.UserPool(stack, 'Customers', { signInAliases: { phone: true }, mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { sms: true, otp: false } });
    const template = Template.fromStack(stack).toJSON();
    const withConstruct = SERVICE_ROLE_WILDCARDS.filter(entry => entry.usedBy === 'AWS::Cognito::UserPool');
    expect(withConstruct).toHaveLength(1);
    for (const entry of withConstruct) {
      const [user] = Object.values<any>(template.Resources).filter(r => r.Type === entry.usedBy);
      const value = entry.property.split('.').reduce((at, key) => at?.[key], user.Properties);
      const role = template.Resources[value['Fn::GetAtt'][0]];
      const principals = role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal);
      expect(principals).toEqual(entry.services.map(service => ({ Service: service })));
      const onEvery = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement).filter((s: any) => s.Resource === '*').flatMap((s: any) => [s.Action].flat());
      expect(onEvery.map((a: string) => a.toLowerCase()).sort()).toEqual(entry.actions.map(a => a.toLowerCase()).sort());
    }
  });

  test('every entry names a property of its type\'s L1, and an entry without an aws-cdk-lib construct (MWAA) asks for a condition key', () => {
    const BROKER = 'arn:aws:mq:eu-west-1:123456789012:broker:settlement:b-1';
    const props: Record<string, [unknown, Record<string, unknown>]> = {
      'AWS::Cognito::UserPool': [cognito.CfnUserPool, { smsConfiguration: { snsCallerArn: 'arn:aws:iam::123456789012:role/sms' } }],
      'AWS::MWAA::Environment': [mwaa.CfnEnvironment, { name: 'reconciliation', executionRoleArn: 'arn:aws:iam::123456789012:role/mwaa' }],
      'AWS::Lambda::Function': [lambda.CfnFunction, {
        role: 'arn:aws:iam::123456789012:role/post', code: { zipFile: 'exports.handler = async () => ({})' }, vpcConfig: { subnetIds: ['subnet-0123'] },
      }],
      'AWS::Lambda::EventSourceMapping': [lambda.CfnEventSourceMapping, { functionName: 'settle', eventSourceArn: BROKER }],
    };
    const whenSetTo = { 'AWS::Lambda::Function': ['subnet-0123'], 'AWS::Lambda::EventSourceMapping': BROKER };
    const render = (type: string) => {
      const [L1, given] = props[type];
      const stack = new Stack();
      new (L1 as new (scope: Stack, id: string, props: object) => unknown)(stack, 'R', given);
      return Template.fromStack(stack).toJSON().Resources.R.Properties;
    };
    const at = (path: string, rendered: unknown) => path.split('.').reduce((value: any, key) => value?.[key], rendered);
    for (const entry of SERVICE_ROLE_WILDCARDS) {
      const rendered = render(entry.usedBy);
      // Through a resource between: the property names it (here by name), and its own property names the role.
      const role = entry.through ? at(entry.through.property, render(entry.through.type)) : at(entry.property, rendered);
      if (entry.through) expect([entry.usedBy, at(entry.property, rendered)]).toEqual([entry.usedBy, 'settle']);
      expect([entry.usedBy, role]).toEqual([entry.usedBy, expect.stringMatching(/^arn:aws:iam::/)]);
      if (entry.usedBy === 'AWS::MWAA::Environment') expect([entry.conditionKey, entry.actions.every(a => a.startsWith('kms:'))]).toEqual(['kms:ViaService', true]);
      const given = whenSetTo[entry.usedBy as keyof typeof whenSetTo];
      if (entry.whenSet) expect([entry.usedBy, at(entry.whenSet, rendered)]).toEqual([entry.usedBy, given]);
    }
  });
});

describe('isKnownAction', () => {
  test('knows every action of the IAM data, with or without resource types, in any case, and a wildcard that covers one', () => {
    for (const action of ['s3:GetObject', 'XRAY:PutTraceSegments', 'kms:decrypt', 'glue:*Schema*', 'ec2:Describe*', 'sqs:?endMessage']) {
      expect([action, isKnownAction(action)]).toEqual([action, true]);
    }
  });

  test('does not know an action newer than the data, a misspelling, a wildcard that covers nothing known, or an unknown service', () => {
    for (const action of ['lambda:RunMicrovm', 's3:GetObjects', 's3:Fetch*', 'payments-ledger:PostEntry', 'GetObject']) {
      expect([action, isKnownAction(action)]).toEqual([action, false]);
    }
  });
});

