import { deliveriesInto } from '../../../src/rules/events/deliveries';
import { PolicyHolder, ProducerPolicyCheck, deniedProducers, indexResourcePolicies, policyAllowsDelivery } from '../../../src/rules/iam/producer-policies';
import { StackTemplate } from '../../../src/rules/stack-template';

const HOLDERS: readonly PolicyHolder[] = [
  { type: 'AWS::SNS::TopicPolicy', property: 'Topics', list: true },
  { type: 'AWS::SNS::TopicInlinePolicy', property: 'TopicArn', list: false },
];

/** One template with topics `Settled` and `Other`, a rule publishing to each, and `extra` resources. */
function template(extra: Record<string, unknown>): StackTemplate {
  return new StackTemplate({
    templatePath: '/tmp/cdk.out/Shop.template.json',
    template: {
      Resources: {
        Settled: { Type: 'AWS::SNS::Topic' },
        Other: { Type: 'AWS::SNS::Topic' },
        SettledRule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['payments'] }, Targets: [{ Id: 'T', Arn: { Ref: 'Settled' } }] } },
        OtherRule: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['refunds'] }, Targets: [{ Id: 'T', Arn: { Ref: 'Other' } }] } },
        ...extra,
      },
    },
    stageName: 'dev',
    durable: false,
    elements: new Map(),
  });
}

const ALLOW_EVENTS = { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'Settled' } };

describe('indexResourcePolicies', () => {
  test('indexes list and single holders by the resource they name, and leaves out other types and outside targets', () => {
    const stack = template({
      ListPolicy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Settled' }, 'arn:aws:sns:eu-west-1:999999999999:partner'], PolicyDocument: {} } },
      InlinePolicy: { Type: 'AWS::SNS::TopicInlinePolicy', Properties: { TopicArn: { Ref: 'Other' }, PolicyDocument: {} } },
      RuleNamed: { Type: 'AWS::SNS::TopicInlinePolicy', Properties: { TopicArn: { 'Fn::GetAtt': ['SettledRule', 'Arn'] }, PolicyDocument: {} } },
    });
    const index = indexResourcePolicies([stack], 'AWS::SNS::Topic', HOLDERS);
    expect(index.unknown).toBe(false);
    expect([...index.byTarget].map(([topic, policies]) => [topic.logicalId, policies.map(p => p.logicalId)])).toEqual([
      ['Settled', ['ListPolicy']],
      ['Other', ['InlinePolicy']],
    ]);
  });

  test('is unknown when a list holder is not a list, or names what the templates cannot tell', () => {
    for (const topics of [{ 'Fn::Split': [',', 'a,b'] }, [{ 'Fn::If': ['C', { Ref: 'Settled' }, { Ref: 'Other' }] }]]) {
      const stack = template({ Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: topics, PolicyDocument: {} } } });
      expect(indexResourcePolicies([stack], 'AWS::SNS::Topic', HOLDERS).unknown).toBe(true);
    }
  });
});

describe('policyAllowsDelivery', () => {
  function allows(document: unknown): boolean {
    const stack = template({ Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Settled' }], PolicyDocument: document } } });
    const topic = stack.resource('Settled')!;
    const [delivery] = deliveriesInto(topic);
    return policyAllowsDelivery(stack.resource('Policy')!, topic, delivery, 'sns:Publish');
  }

  test('counts an Allow for the service or everyone, of the action or a wildcard over it, on the target or "*", for a source that may be the producer', () => {
    expect(allows({ Statement: [ALLOW_EVENTS] })).toBe(true);
    expect(allows({ Statement: ALLOW_EVENTS })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Principal: '*' }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Action: ['sns:Get*', 'sns:Pub*'] }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Resource: '*' }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['SettledRule', 'Arn'] } } } }] })).toBe(true);
  });

  test('does not count an account principal, another service, another action, another target, another source or a Deny', () => {
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Principal: { AWS: 'arn:aws:iam::123456789012:root' } }] })).toBe(false);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Principal: { Service: ['s3.amazonaws.com'] } }] })).toBe(false);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Action: 'sns:Subscribe' }] })).toBe(false);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Resource: { Ref: 'Other' } }] })).toBe(false);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['OtherRule', 'Arn'] } } } }] })).toBe(false);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Effect: 'Deny' }] })).toBe(false);
    expect(allows({ Statement: [] })).toBe(false);
  });

  test('counts what the templates cannot read: the document, a statement, the effect, the principal, the actions, the resource', () => {
    expect(allows({ 'Fn::If': ['C', {}, {}] })).toBe(true);
    expect(allows({ Statement: [{ 'Fn::If': ['C', ALLOW_EVENTS, {}] }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Effect: { Ref: 'Effect' } }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Principal: { Ref: 'Principal' } }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Action: [{ Ref: 'Action' }] }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, NotAction: 'sns:Subscribe', Action: undefined }] })).toBe(true);
    expect(allows({ Statement: [{ ...ALLOW_EVENTS, Resource: { 'Fn::ImportValue': 'topic' } }] })).toBe(true);
  });
});

describe('deniedProducers', () => {
  const CHECK: ProducerPolicyCheck = {
    targetType: 'AWS::SNS::Topic', holders: HOLDERS, action: 'sns:Publish', consequences: { events: 'EventBridge drops it' }, judgeWithoutPolicy: false,
  };

  test('names the services no policy lets in, who delivers and what happens', () => {
    const stack = template({ Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Settled' }], PolicyDocument: { Statement: [{ ...ALLOW_EVENTS, Effect: 'Deny' }] } } } });
    expect(deniedProducers(stack.resource('Settled')!, CHECK)).toEqual({
      services: ['events'], described: 'events.amazonaws.com (AWS::Events::Rule SettledRule)', consequences: 'EventBridge drops it',
    });
    expect(deniedProducers(template({ Policy: { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Settled' }], PolicyDocument: { Statement: [ALLOW_EVENTS] } } } }).resource('Settled')!, CHECK)).toBeUndefined();
  });

  test('judges a target without any policy only when told to, and services of the check only', () => {
    const bare = template({}).resource('Other')!;
    expect(deniedProducers(bare, CHECK)).toBeUndefined();
    expect(deniedProducers(bare, { ...CHECK, judgeWithoutPolicy: true })?.services).toEqual(['events']);
    expect(deniedProducers(bare, { ...CHECK, judgeWithoutPolicy: true, consequences: { s3: 'S3 refuses it' } })).toBeUndefined();
  });
});
