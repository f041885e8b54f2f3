import { functionNamed, functionOf } from '../../../src/rules/lambda/function-references';
import { StackTemplate } from '../../../src/rules/stack-template';

const STACK = new StackTemplate({
  templatePath: '/tmp/Functions.template.json',
  template: {
    Resources: {
      Settle: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'settle' } },
      Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Settle' } } },
      Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Settle' }, FunctionVersion: { 'Fn::GetAtt': ['Version', 'Version'] }, Name: 'live' } },
      Orphan: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: 'elsewhere', Name: 'live' } },
      Queue: { Type: 'AWS::SQS::Queue' },
    },
  },
  stageName: '',
  durable: false,
  elements: new Map(),
});
const settle = STACK.resource('Settle');

describe('functionOf', () => {
  test('is the function itself, or the function an alias or version of the templates names', () => {
    expect(functionOf({ kind: 'resource', resource: settle! })).toBe(settle);
    expect(functionOf({ kind: 'resource', resource: STACK.resource('Live')! })).toBe(settle);
    expect(functionOf({ kind: 'resource', resource: STACK.resource('Version')! })).toBe(settle);
  });

  test('is undefined for other resources, aliases of functions elsewhere, and what is not a resource', () => {
    expect(functionOf({ kind: 'resource', resource: STACK.resource('Queue')! })).toBeUndefined();
    expect(functionOf({ kind: 'resource', resource: STACK.resource('Orphan')! })).toBeUndefined();
    expect(functionOf({ kind: 'external' })).toBeUndefined();
    expect(functionOf({ kind: 'unknown' })).toBeUndefined();
  });
});

describe('functionNamed', () => {
  test('matches a literal name or ARN against the functions of the template, and follows references', () => {
    expect(functionNamed(STACK, 'settle')).toEqual({ kind: 'resource', resource: settle });
    expect(functionNamed(STACK, 'arn:aws:lambda:eu-west-1:123456789012:function:settle:live')).toEqual({ kind: 'resource', resource: settle });
    expect(functionNamed(STACK, { 'Fn::GetAtt': ['Live', 'AliasArn'] })).toEqual({ kind: 'resource', resource: STACK.resource('Live') });
  });

  test('is external for names the template does not declare, unknown for what synth cannot tell', () => {
    expect(functionNamed(STACK, 'someone-elses')).toEqual({ kind: 'external' });
    expect(functionNamed(STACK, 'arn:aws:lambda:eu-west-1:123456789012:function:someone-elses')).toEqual({ kind: 'external' });
    expect(functionNamed(STACK, { 'Fn::If': ['C', 'a', 'b'] })).toEqual({ kind: 'unknown' });
  });
});
