import { functionInvocationsOf } from '../../../src/rules/lambda/service-invocations';
import { StackTemplate } from '../../../src/rules/stack-template';

const ARN = { 'Fn::GetAtt': ['Mail', 'Arn'] };

function stackOf(resources: { readonly [id: string]: unknown }): StackTemplate {
  return new StackTemplate({
    templatePath: '/tmp/Invocations.template.json',
    template: { Resources: { Mail: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'mail' } }, ...resources } },
    stageName: '',
    durable: false,
    elements: new Map(),
  });
}

function summary(stack: StackTemplate) {
  return functionInvocationsOf(stack).map(i => ({
    service: i.service,
    producer: i.producer.logicalId,
    location: i.location,
    asynchronous: i.asynchronous,
    target: i.target.kind === 'resource' ? i.target.resource.logicalId : i.target.kind,
  }));
}

describe('functionInvocationsOf', () => {
  test('reads SES Lambda actions: Event by default or by name is asynchronous, RequestResponse and an intrinsic type are not', () => {
    const stack = stackOf({
      Receipt: {
        Type: 'AWS::SES::ReceiptRule',
        Properties: {
          RuleSetName: 'inbound',
          Rule: {
            Actions: [
              { S3Action: { BucketName: 'mail' } },
              { LambdaAction: { FunctionArn: ARN } },
              { LambdaAction: { FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:mail', InvocationType: 'Event' } },
              { LambdaAction: { FunctionArn: ARN, InvocationType: 'RequestResponse' } },
              { LambdaAction: { FunctionArn: ARN, InvocationType: { Ref: 'Type' } } },
            ],
          },
        },
      },
    });
    expect(summary(stack)).toEqual([
      { service: 'ses', producer: 'Receipt', location: 'Properties/Rule/Actions/1/LambdaAction/FunctionArn', asynchronous: true, target: 'Mail' },
      { service: 'ses', producer: 'Receipt', location: 'Properties/Rule/Actions/2/LambdaAction/FunctionArn', asynchronous: true, target: 'Mail' },
      { service: 'ses', producer: 'Receipt', location: 'Properties/Rule/Actions/3/LambdaAction/FunctionArn', asynchronous: false, target: 'Mail' },
      { service: 'ses', producer: 'Receipt', location: 'Properties/Rule/Actions/4/LambdaAction/FunctionArn', asynchronous: false, target: 'Mail' },
    ]);
  });

  test('reads IoT Lambda actions and the error action, and every log subscription filter\'s destination, as asynchronous', () => {
    const stack = stackOf({
      Health: {
        Type: 'AWS::IoT::TopicRule',
        Properties: { TopicRulePayload: { Sql: 'SELECT * FROM \'t\'', Actions: [{ Sqs: { QueueUrl: 'q' } }, { Lambda: { FunctionArn: ARN } }], ErrorAction: { Lambda: { FunctionArn: ARN } } } },
      },
      ToMail: { Type: 'AWS::Logs::SubscriptionFilter', Properties: { LogGroupName: 'audit', FilterPattern: '', DestinationArn: ARN } },
      ToStream: { Type: 'AWS::Logs::SubscriptionFilter', Properties: { LogGroupName: 'audit', FilterPattern: '', DestinationArn: { Ref: 'Param' } } },
    });
    expect(summary(stack)).toEqual([
      { service: 'iot', producer: 'Health', location: 'Properties/TopicRulePayload/Actions/1/Lambda/FunctionArn', asynchronous: true, target: 'Mail' },
      { service: 'iot', producer: 'Health', location: 'Properties/TopicRulePayload/ErrorAction/Lambda/FunctionArn', asynchronous: true, target: 'Mail' },
      { service: 'logs', producer: 'ToMail', location: 'Properties/DestinationArn', asynchronous: true, target: 'Mail' },
      { service: 'logs', producer: 'ToStream', location: 'Properties/DestinationArn', asynchronous: true, target: 'external' },
    ]);
  });

  test('never throws on odd shapes: intrinsic rules, payloads and action lists', () => {
    const stack = stackOf({
      Receipt: { Type: 'AWS::SES::ReceiptRule', Properties: { Rule: { 'Fn::If': ['C', {}, {}] } } },
      Actions: { Type: 'AWS::SES::ReceiptRule', Properties: { Rule: { Actions: { Ref: 'Actions' } } } },
      Health: { Type: 'AWS::IoT::TopicRule', Properties: { TopicRulePayload: { Actions: [null, 'x', { Lambda: 'y' }], ErrorAction: 3 } } },
      Empty: { Type: 'AWS::Logs::SubscriptionFilter' },
    });
    expect(summary(stack)).toEqual([]);
  });
});
