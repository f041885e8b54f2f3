import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IntegInput } from '../../src/testing/integ-input';

const CERTIFICATE = {
  name: 'FINTECH_INTEG_CERTIFICATE_ARN',
  description: 'ARN of an ACM certificate in the test region',
  placeholder: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
  pattern: '^arn:aws[-a-z]*:acm:',
};

describe('IntegInput', () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    delete process.env.FINTECH_INTEG_CERTIFICATE_ARN;
    delete process.env.FINTECH_INTEG_DOMAIN;
  });
  afterEach(() => { process.env = saved; });

  test('offline: the placeholder, and the stack template records each input once for the deploy pre-check', () => {
    const stack = new Stack(new App(), 'Web');
    expect(IntegInput.value(stack, CERTIFICATE)).toBe(CERTIFICATE.placeholder);
    IntegInput.value(stack, CERTIFICATE);
    IntegInput.value(stack, { name: 'FINTECH_INTEG_DOMAIN', description: 'a domain of a hosted zone', placeholder: 'web.example.com' });
    expect(Template.fromStack(stack).toJSON().Metadata).toEqual({
      'fintech:integ-inputs': [
        { name: 'FINTECH_INTEG_CERTIFICATE_ARN', description: 'ARN of an ACM certificate in the test region' },
        { name: 'FINTECH_INTEG_DOMAIN', description: 'a domain of a hosted zone' },
      ],
    });
  });

  test('deploying: the value the environment gives, checked against the pattern', () => {
    const stack = new Stack(new App(), 'Web');
    process.env.FINTECH_INTEG_CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/abc';
    expect(IntegInput.value(stack, CERTIFICATE)).toBe('arn:aws:acm:eu-west-1:111122223333:certificate/abc');
    process.env.FINTECH_INTEG_CERTIFICATE_ARN = 'my-cert';
    expect(() => IntegInput.value(stack, CERTIFICATE))
      .toThrow('IntegInput at Web: FINTECH_INTEG_CERTIFICATE_ARN "my-cert" does not match ^arn:aws[-a-z]*:acm:; it must be ARN of an ACM certificate in the test region.');
  });

  test('a name that is no environment variable, or no placeholder, fails synth', () => {
    const stack = new Stack(new App(), 'Web');
    expect(() => IntegInput.value(stack, { ...CERTIFICATE, name: 'certificate-arn' }))
      .toThrow('IntegInput at Web: name "certificate-arn" is not an environment variable name; use capitals, digits and underscores, e.g. FINTECH_INTEG_DOMAIN.');
    expect(() => IntegInput.value(stack, { ...CERTIFICATE, placeholder: '' }))
      .toThrow('IntegInput at Web: FINTECH_INTEG_CERTIFICATE_ARN needs a literal placeholder for offline synths; give an obviously fake value.');
  });
});
