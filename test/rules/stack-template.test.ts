import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { StackTemplate } from '../../src/rules/stack-template';

function templateOf(template: unknown, elements: ReadonlyMap<string, IConstruct> = new Map(), stack?: Stack): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/out/Shop.template.json', template, stack, stageName: 'dev', durable: false, elements });
}

describe('StackTemplate', () => {
  test('indexes resources by logical id and by type, in template order', () => {
    const stack = templateOf({
      Resources: {
        A: { Type: 'AWS::S3::Bucket' },
        B: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 1 } },
        C: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' },
      },
    });
    expect(stack.resources.map(r => r.logicalId)).toEqual(['A', 'B', 'C']);
    expect(stack.resourcesOfType('AWS::S3::Bucket').map(r => r.logicalId)).toEqual(['A', 'C']);
    expect(stack.resourcesOfType('AWS::SNS::Topic')).toEqual([]);
    expect(stack.resource('B')?.properties).toEqual({ DelaySeconds: 1 });
    expect(stack.resource('A')?.properties).toEqual({});
    expect(stack.resource('C')?.definition.DeletionPolicy).toBe('Retain');
  });

  test('treats odd shapes as unknown instead of failing', () => {
    expect(templateOf(null).resources).toEqual([]);
    expect(templateOf({ Resources: 'none' }).resources).toEqual([]);
    const stack = templateOf({
      Resources: {
        NoType: { Properties: {} },
        NotAnObject: 'x',
        Conditional: { Type: 'AWS::S3::Bucket', Properties: { 'Fn::If': ['C', {}, {}] } },
        ListProps: { Type: 'AWS::S3::Bucket', Properties: [] },
      },
    });
    expect(stack.resources.map(r => r.logicalId)).toEqual(['Conditional', 'ListProps']);
    expect(stack.resource('Conditional')?.properties).toBeUndefined();
    expect(stack.resource('ListProps')?.properties).toBeUndefined();
  });

  test('names the construct path from the tree, else from aws:cdk:path metadata, else stack path plus logical id', () => {
    const app = new App();
    const cdkStack = new Stack(app, 'Shop');
    const bucket = new s3.CfnBucket(cdkStack, 'Orders');
    const stack = templateOf({
      Resources: {
        Orders: { Type: 'AWS::S3::Bucket' },
        Imported: { Type: 'AWS::S3::Bucket', Metadata: { 'aws:cdk:path': 'Shop/Imported/Resource' } },
        Raw: { Type: 'AWS::S3::Bucket' },
      },
    }, new Map([['Orders', bucket]]), cdkStack);
    expect(stack.resource('Orders')?.constructPath).toBe('Shop/Orders');
    expect(stack.resource('Orders')?.construct).toBe(bucket);
    expect(stack.resource('Imported')?.constructPath).toBe('Shop/Imported/Resource');
    expect(stack.resource('Raw')?.constructPath).toBe('Shop/Raw');
    expect(stack.ownerOf('Orders')).toBe(bucket);
    expect(stack.ownerOf('Raw')).toBe(cdkStack);
  });

  test('without a stack, paths start with the template name', () => {
    const stack = templateOf({ Resources: { Raw: { Type: 'AWS::S3::Bucket' } } });
    expect(stack.path).toBe('Shop');
    expect(stack.templateFile).toBe('Shop.template.json');
    expect(stack.resource('Raw')?.constructPath).toBe('Shop/Raw');
    expect(stack.ownerOf('Raw')).toBeUndefined();
  });

  test('memo computes a per-template value once', () => {
    const stack = templateOf({});
    const compute = jest.fn(() => new Set(['x']));
    expect(stack.memo('k', compute)).toBe(stack.memo('k', compute));
    expect(compute).toHaveBeenCalledTimes(1);
  });
});
