import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UnsetInput } from '../../src/stage/unset-input';

describe('UnsetInput', () => {
  test('records each input once in the stack template metadata, beside other metadata', () => {
    const stack = new Stack(new App(), 'Web');
    stack.templateOptions.metadata = { owner: 'payments' };
    const input = { input: 'web-domains.json stages.dev', fix: 'add the stage under stages' };
    UnsetInput.record(stack, input);
    UnsetInput.record(stack, input);
    UnsetInput.record(stack, { input: 'FINTECH_ORIGIN_CERT', fix: 'export it' });
    expect(Template.fromStack(stack).toJSON().Metadata).toEqual({
      'owner': 'payments',
      'fintech:unset-inputs': [input, { input: 'FINTECH_ORIGIN_CERT', fix: 'export it' }],
    });
    expect(UnsetInput.of(stack)).toHaveLength(2);
    expect(UnsetInput.of(new Stack(new App(), 'Clean'))).toEqual([]);
  });

  test('an input or fix that says nothing fails synth', () => {
    expect(() => UnsetInput.record(new Stack(new App(), 'Web'), { input: ' ', fix: 'x' }))
      .toThrow('UnsetInput at Web: input and fix must both say something; name what is missing and how to supply it.');
  });
});
