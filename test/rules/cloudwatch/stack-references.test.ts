import { StackReferences } from '../../../src/rules/cloudwatch/stack-references';
import { StackTemplate } from '../../../src/rules/stack-template';

function template(name: string, body: object): StackTemplate {
  return new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template: body, stageName: '', durable: false, elements: new Map() });
}

const producer = template('Producer', {
  Parameters: { Name: { Type: 'String' } },
  Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} }, Topic: { Type: 'AWS::SNS::Topic' } },
  Outputs: {
    FnName: { Value: { Ref: 'Fn' }, Export: { Name: 'producer-fn' } },
    TopicArn: { Value: { Ref: 'Topic' }, Export: { Name: 'producer-topic' } },
    Loop: { Value: { 'Fn::ImportValue': 'loop' }, Export: { Name: 'loop' } },
    NotExported: { Value: { Ref: 'Fn' } },
    OddExport: { Value: { Ref: 'Fn' }, Export: 'producer-odd' },
  },
});
const relay = template('Relay', { Outputs: { Relayed: { Value: { 'Fn::ImportValue': 'producer-fn' }, Export: { Name: 'relayed-fn' } } } });
const consumer = template('Consumer', { Resources: { Alarm: { Type: 'AWS::CloudWatch::Alarm' } } });
const references = new StackReferences([producer, relay, consumer]);

describe('StackReferences', () => {
  test('resolves Ref and both forms of Fn::GetAtt to resources of the same template', () => {
    expect(references.resolve(producer, { Ref: 'Fn' })).toEqual({ kind: 'resource', resource: producer.resource('Fn') });
    expect(references.resolve(producer, { 'Fn::GetAtt': ['Fn', 'Arn'] })).toEqual({ kind: 'resource', resource: producer.resource('Fn'), attribute: 'Arn' });
    expect(references.resolve(producer, { 'Fn::GetAtt': 'Topic.TopicName' })).toEqual({ kind: 'resource', resource: producer.resource('Topic'), attribute: 'TopicName' });
    expect(references.resolve(consumer, { Ref: 'Fn' })).toEqual({ kind: 'unknown' });
  });

  test('follows imports to the exporting template, through relays, but not around a loop', () => {
    expect(references.resolve(consumer, { 'Fn::ImportValue': 'producer-topic' })).toEqual({ kind: 'resource', resource: producer.resource('Topic') });
    expect(references.resolve(consumer, { 'Fn::ImportValue': 'relayed-fn' })).toEqual({ kind: 'resource', resource: producer.resource('Fn') });
    expect(references.resolve(consumer, { 'Fn::ImportValue': 'loop' })).toEqual({ kind: 'unknown' });
    expect(references.resolve(consumer, { 'Fn::ImportValue': 'elsewhere' })).toEqual({ kind: 'unknown' });
    expect(references.resolve(consumer, { 'Fn::ImportValue': 'producer-odd' })).toEqual({ kind: 'unknown' });
    expect(references.resolve(consumer, { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-fn' } })).toEqual({ kind: 'unknown' });
  });

  test('returns literals as strings and everything else as unknown', () => {
    expect(references.resolve(consumer, 'ledger-dev')).toEqual({ kind: 'literal', value: 'ledger-dev' });
    expect(references.resolve(consumer, 42)).toEqual({ kind: 'literal', value: '42' });
    for (const value of [{ Ref: 'Name' }, { Ref: 'AWS::Region' }, { 'Fn::Sub': 'x' }, { 'Fn::GetAtt': 'NoDot' }, { Ref: 'Fn', Extra: 1 }, null, undefined, ['a'], true]) {
      expect(references.resolve(producer, value)).toEqual({ kind: 'unknown' });
    }
  });
});
