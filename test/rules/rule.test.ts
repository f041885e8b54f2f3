import { findingOn } from '../../src/rules/rule';
import { StackTemplate } from '../../src/rules/stack-template';

const STACK = new StackTemplate({
  templatePath: '/tmp/cdk.out/Shop.template.json',
  template: { Resources: { OrdersQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders' } } } },
  stageName: 'dev',
  durable: false,
  elements: new Map(),
});
const QUEUE = STACK.resource('OrdersQueue')!;

describe('findingOn', () => {
  test('names the resource by its template, logical id and type, and keeps the message and locations as given', () => {
    const finding = findingOn(QUEUE, 'Fintech-C18-QueueTlsOnly', 'AWS::SQS::Queue OrdersQueue accepts plain HTTP.', ['Properties/QueueName']);
    expect(finding).toEqual({
      ruleId: 'Fintech-C18-QueueTlsOnly',
      stack: STACK,
      logicalId: 'OrdersQueue',
      resourceType: 'AWS::SQS::Queue',
      message: 'AWS::SQS::Queue OrdersQueue accepts plain HTTP.',
      locations: ['Properties/QueueName'],
    });
    expect(finding.stack).toBe(STACK);
  });

  test('carries a finding-specific fix only when one is given', () => {
    const withFix = findingOn(QUEUE, 'Fintech-C03-QueueDeadLetterQueue', 'm', [], 'Use a SecureQueue.');
    expect(withFix.fix).toBe('Use a SecureQueue.');
    // Without one (or with an empty one) the engine falls back to the rule's own fix, so the key must be absent.
    expect('fix' in findingOn(QUEUE, 'Fintech-C03-QueueDeadLetterQueue', 'm', [])).toBe(false);
    expect('fix' in findingOn(QUEUE, 'Fintech-C03-QueueDeadLetterQueue', 'm', [], '')).toBe(false);
  });

  test('keeps an empty location list for findings about the resource as a whole', () => {
    expect(findingOn(QUEUE, 'Fintech-C18-QueueTlsOnly', 'm', []).locations).toEqual([]);
  });
});
