import { CfnParameter } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SubscriptionDeadLetter } from '../../../src/rules/sns/subscription-dead-letter';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = SubscriptionDeadLetter.INFO.id;

function notifier(scope: sns.Topic) {
  return new lambda.Function(scope.stack, 'Notify', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

describe('SubscriptionDeadLetter', () => {
  test('passes queue and function subscriptions with a DLQ, and email subscriptions without one', () => {
    const { app, stack } = shop();
    const payments = new sns.Topic(stack, 'Payments');
    const undelivered = new sqs.Queue(stack, 'Undelivered');
    payments.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Ledger'), { rawMessageDelivery: true, deadLetterQueue: undelivered }));
    payments.addSubscription(new subscriptions.LambdaSubscription(notifier(payments), { deadLetterQueue: undelivered }));
    payments.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });

  test('fails queue and function subscriptions without a DLQ, L2 and raw', () => {
    const { app, stack } = shop();
    const payments = new sns.Topic(stack, 'Payments');
    payments.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Ledger')));
    payments.addSubscription(new subscriptions.LambdaSubscription(notifier(payments)));
    new sns.CfnSubscription(stack, 'Raw', { topicArn: payments.topicArn, protocol: 'sqs', endpoint: 'arn:aws:sqs:eu-west-1:123456789012:audit' });
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    expect(lines(findings).map(line => line.replace(/ShopPayments[0-9A-F]{8}/, 'ShopPayments'))).toEqual(
      [`${ID} Shop/Ledger/ShopPayments/Resource`, `${ID} Shop/Notify/Payments/Resource`, `${ID} Shop/Raw`]);
    expect(findings.find(f => f.logicalId === 'Raw')).toMatchObject({
      severity: 'warning',
      message: 'AWS::SNS::Subscription Raw delivers to an SQS queue without RedrivePolicy deadLetterTargetArn, so a message the endpoint rejects is discarded.',
      locations: ['Properties/RedrivePolicy'],
    });
  });

  test('leaves intrinsic protocols and redrive policies alone', () => {
    const { app, stack } = shop();
    const protocol = new CfnParameter(stack, 'Protocol', { type: 'String', allowedValues: ['sqs', 'email'] });
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:payments';
    new sns.CfnSubscription(stack, 'ByParameter', { topicArn, protocol: protocol.valueAsString, endpoint: 'x' });
    new sns.CfnSubscription(stack, 'Conditional', { topicArn, protocol: 'lambda', endpoint: 'arn:aws:lambda:eu-west-1:123456789012:function:f' })
      .addPropertyOverride('RedrivePolicy', { 'Fn::If': ['C', { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' }, { Ref: 'AWS::NoValue' }] });
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });
});
