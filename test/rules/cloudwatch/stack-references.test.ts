import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, NestedStack, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { StackReferences } from '../../../src/rules/cloudwatch/stack-references';
import { NestedStackParent, StackTemplate } from '../../../src/rules/stack-template';

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

describe('StackReferences across nested stacks', () => {
  test('follows a parent\'s Fn::GetAtt Outputs.<name> into the nested template, and a nested parameter to the value the parent passes', () => {
    const app = new App();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Jobs');
    const nestedQueue = new sqs.CfnQueue(nested, 'NestedQueue');
    const parentQueue = new sqs.CfnQueue(parent, 'ParentQueue');
    new CfnOutput(parent, 'FromNested', { value: nestedQueue.attrArn });
    new sqs.CfnQueuePolicy(nested, 'Policy', { queues: [parentQueue.ref], policyDocument: {} });
    const assembly = app.synth();
    const load = (stack: Stack, parentTemplate?: NestedStackParent) => new StackTemplate({
      templatePath: path.join(assembly.directory, stack.templateFile),
      template: JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf-8')),
      stack,
      stageName: '',
      durable: false,
      elements: new Map(),
      parent: parentTemplate,
    });
    const parentTemplate = load(parent);
    const nestedTemplate = load(nested, { template: parentTemplate, logicalId: parent.resolve(nested.nestedStackResource!.logicalId) });
    const both = new StackReferences([parentTemplate, nestedTemplate]);
    const fromNested = (parentTemplate.template.Outputs as Record<string, { Value: unknown }>).FromNested.Value;
    expect(both.resolve(parentTemplate, fromNested)).toEqual({ kind: 'resource', resource: nestedTemplate.resource('NestedQueue'), attribute: 'Arn' });
    const passed = (nestedTemplate.resource('Policy')!.properties!.Queues as unknown[])[0];
    expect(both.resolve(nestedTemplate, passed)).toEqual({ kind: 'resource', resource: parentTemplate.resource('ParentQueue') });
    // A nested template loaded without its parent: the parameter is unknown; a parent loaded without its nested template: the output is the stack resource.
    const alone = load(nested);
    expect(new StackReferences([alone]).resolve(alone, passed)).toEqual({ kind: 'unknown' });
    const childless = load(parent);
    expect(new StackReferences([childless]).resolve(childless, fromNested))
      .toEqual({ kind: 'resource', resource: childless.resource(parent.resolve(nested.nestedStackResource!.logicalId)), attribute: expect.stringMatching(/^Outputs\./) });
  });
});

describe('StackReferences.of', () => {
  test('builds one index per list of templates, so the rules judging one validation share it', () => {
    const stacks = [producer, consumer];
    expect(StackReferences.of(stacks)).toBe(StackReferences.of(stacks));
    expect(StackReferences.of([producer, consumer])).not.toBe(StackReferences.of(stacks));
    expect(StackReferences.of(stacks).resolve(consumer, { 'Fn::ImportValue': 'producer-topic' })).toEqual({ kind: 'resource', resource: producer.resource('Topic') });
  });
});
