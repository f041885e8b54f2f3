import { StackReferences } from '../../../src/rules/cloudwatch/stack-references';
import { DEAD_LETTER_TARGETS, deadLetterQueuesOf } from '../../../src/rules/sqs/dead-letter-targets';
import { StackTemplate } from '../../../src/rules/stack-template';

function template(name: string, resources: object, outputs: object = {}): StackTemplate {
  return new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template: { Resources: resources, Outputs: outputs }, stageName: '', durable: false, elements: new Map() });
}

const QUEUE = { Type: 'AWS::SQS::Queue', Properties: {} };

/** The dead-letter queues of the templates as `<logicalId>: <sources>` lines, and whether some target is unknown. */
function dlqs(...stacks: StackTemplate[]) {
  const found = deadLetterQueuesOf(stacks, new StackReferences(stacks));
  return { queues: [...found.sources].map(([queue, sources]) => `${queue.logicalId}: ${sources.join(', ')}`).sort(), unknown: found.unknownTargets };
}

describe('deadLetterQueuesOf', () => {
  test('lists every kind of failure target, Scheduler and Pipes included', () => {
    expect(DEAD_LETTER_TARGETS.map(t => t.type)).toEqual(expect.arrayContaining(['AWS::Scheduler::Schedule', 'AWS::Pipes::Pipe', 'AWS::SNS::Subscription', 'AWS::Lambda::EventInvokeConfig']));
    const stack = template('Shop', {
      ScheduleDlq: QUEUE,
      PipeDlq: QUEUE,
      RuleDlq: QUEUE,
      BusDlq: QUEUE,
      Plain: QUEUE,
      NamedDlq: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'named-dlq' } },
      Schedule: { Type: 'AWS::Scheduler::Schedule', Properties: { Target: { Arn: 'x', DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ScheduleDlq', 'Arn'] } } } } },
      Pipe: { Type: 'AWS::Pipes::Pipe', Properties: { SourceParameters: { SelfManagedKafkaParameters: { DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['PipeDlq', 'Arn'] } } } } } },
      Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: 'x' }, { Arn: 'y', DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['RuleDlq', 'Arn'] } } }] } },
      Subscription: { Type: 'AWS::SNS::Subscription', Properties: { RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:named-dlq"}' } },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'trades', DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['BusDlq', 'Arn'] } } } },
    });
    expect(dlqs(stack)).toEqual({
      queues: ['BusDlq: AWS::Events::EventBus Bus', 'NamedDlq: AWS::SNS::Subscription Subscription', 'PipeDlq: AWS::Pipes::Pipe Pipe', 'RuleDlq: AWS::Events::Rule Rule', 'ScheduleDlq: AWS::Scheduler::Schedule Schedule'],
      unknown: false,
    });
  });

  test('follows exports; an import no template exports is a queue of another app, an unreadable target is unknown', () => {
    const data = template('Data', { Failures: QUEUE }, { FailuresArn: { Value: { 'Fn::GetAtt': ['Failures', 'Arn'] }, Export: { Name: 'failures-arn' } } });
    const compute = template('Compute', {
      Invoke: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { DestinationConfig: { OnFailure: { Destination: { 'Fn::ImportValue': 'failures-arn' } } } } },
      Other: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { DestinationConfig: { OnFailure: { Destination: { 'Fn::ImportValue': 'not-here' } } } } },
    });
    expect(dlqs(data, compute)).toEqual({ queues: ['Failures: AWS::Lambda::EventInvokeConfig Invoke'], unknown: false });
    const odd = template('Odd', {
      Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: { 'Fn::If': ['C', [], []] } } },
    });
    expect(dlqs(odd).unknown).toBe(true);
    expect(dlqs(template('Select', { Fn: { Type: 'AWS::Lambda::Function', Properties: { DeadLetterConfig: { TargetArn: { 'Fn::Select': [0, []] } } } } })).unknown).toBe(true);
    expect(dlqs(template('Props', { Fn: { Type: 'AWS::Lambda::Function', Properties: { 'Fn::If': ['C', {}, {}] } } })).unknown).toBe(true);
  });

  test('does not count a queue as its own dead-letter queue, nor things that are no queue', () => {
    const stack = template('Shop', {
      Self: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Self', 'Arn'] } } } },
      Topic: { Type: 'AWS::SNS::Topic' },
      Invoke: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { DestinationConfig: { OnFailure: { Destination: { Ref: 'Topic' } } } } },
      Literal: { Type: 'AWS::Lambda::EventInvokeConfig', Properties: { DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:eu-west-1:123456789012:t' } } } },
    });
    expect(dlqs(stack)).toEqual({ queues: [], unknown: false });
  });
});

describe('deadLetterQueuesOf, shared', () => {
  test('indexes one list of templates once', () => {
    const stacks = [template('Shop', { Dlq: QUEUE, Fn: { Type: 'AWS::Lambda::Function', Properties: { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } } } } })];
    const references = new StackReferences(stacks);
    expect(deadLetterQueuesOf(stacks, references)).toBe(deadLetterQueuesOf(stacks, references));
  });
});
