import * as sns from 'aws-cdk-lib/aws-sns';
import { TopicTlsOnly } from '../../../src/rules/sns/topic-tls-only';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = TopicTlsOnly.INFO.id;

describe('TopicTlsOnly', () => {
  test('passes a topic with enforceSSL (a Deny of sns:Publish without TLS)', () => {
    const { app, stack } = shop();
    new sns.Topic(stack, 'Alerts', { enforceSSL: true });
    expect(findingsOf(app, [ID])).toEqual([]);
  });

  test('fails a topic without a policy, and one whose policy denies plain HTTP for another action only', () => {
    const { app, stack } = shop();
    new sns.Topic(stack, 'Plain');
    const other = new sns.CfnTopic(stack, 'Other');
    new sns.CfnTopicPolicy(stack, 'OtherPolicy', {
      topics: [other.ref],
      policyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sns:Subscribe', Resource: other.ref, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
    });
    const findings = findingsOf(app, [ID]);
    expect(lines(findings)).toEqual([`${ID} Shop/Other`, `${ID} Shop/Plain/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Other')!.message)
      .toBe('AWS::SNS::Topic Other has no AWS::SNS::TopicPolicy denying Publish where aws:SecureTransport is false with a Resource that covers its ARN, so it accepts plain HTTP.');
  });
});
