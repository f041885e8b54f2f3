import { execFileSync } from 'child_process';

/**
 * The template the AWS SAM translator (the `aws-sam-translator` Python package cfn-lint depends on, installed on every
 * machine this project runs on, CI included) makes of a template with `Transform: AWS::Serverless-2016-10-31`: the
 * reference the pack's own expansion is compared with. Offline: no managed policy lookups (policy names the translator
 * does not bundle are not resolved), the region is a placeholder.
 */
export function samTranslatedTemplate(template: object): Record<string, any> {
  const script = [
    'import json, sys',
    'from samtranslator.translator.transform import transform',
    'class Offline:',
    '    def load(self): return {}',
    'print(json.dumps(transform(json.load(sys.stdin), {}, Offline())))',
  ].join('\n');
  const output = execFileSync('python3', ['-c', script], {
    input: JSON.stringify(template),
    encoding: 'utf-8',
    env: { ...process.env, AWS_DEFAULT_REGION: 'eu-west-1' },
  });
  return JSON.parse(output);
}

/** The `Resources` of `samTranslatedTemplate`. */
export function samTranslatedResources(template: object): Record<string, any> {
  return samTranslatedTemplate(template).Resources;
}
