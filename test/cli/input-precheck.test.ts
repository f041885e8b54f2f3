import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { precheckIntegInputs, precheckUnsetInputs, recordedIntegInputs } from '../../src/cli/input-precheck';

describe('integ input pre-check', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inputs-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Two templates of a directory without a manifest: both record the certificate, one the domain too.
  function templates(): string {
    const input = (name: string) => ({ name, description: `the ${name.toLowerCase()}` });
    fs.writeFileSync(path.join(dir, 'integWeb.template.json'), JSON.stringify({
      Metadata: { 'fintech:integ-inputs': [input('FINTECH_INTEG_DOMAIN'), input('FINTECH_INTEG_CERTIFICATE_ARN')] },
    }));
    fs.writeFileSync(path.join(dir, 'integEdge.template.json'), JSON.stringify({ Metadata: { 'fintech:integ-inputs': [input('FINTECH_INTEG_CERTIFICATE_ARN')] } }));
    fs.writeFileSync(path.join(dir, 'Plain.template.json'), JSON.stringify({ Resources: {} }));
    return dir;
  }

  test('collects each recorded input once, with every template that needs it', () => {
    expect(recordedIntegInputs([templates()])).toEqual([
      { name: 'FINTECH_INTEG_CERTIFICATE_ARN', description: 'the fintech_integ_certificate_arn', templates: ['integEdge', 'integWeb'] },
      { name: 'FINTECH_INTEG_DOMAIN', description: 'the fintech_integ_domain', templates: ['integWeb'] },
    ]);
    expect(recordedIntegInputs([path.join(dir, 'absent')])).toEqual([]);
  });

  test('fails naming only the variables the environment does not set; an empty value counts as not set', () => {
    const result = precheckIntegInputs([templates()], { FINTECH_INTEG_DOMAIN: 'web.example.com', FINTECH_INTEG_CERTIFICATE_ARN: '' });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('  FINTECH_INTEG_CERTIFICATE_ARN: the fintech_integ_certificate_arn (needed by integEdge, integWeb)');
    expect(result.message).not.toContain('FINTECH_INTEG_DOMAIN:');
    expect(result.message).toContain('export FINTECH_INTEG_CERTIFICATE_ARN=...');
  });

  test('passes when every input is set, and when no template records any', () => {
    expect(precheckIntegInputs([templates()], { FINTECH_INTEG_DOMAIN: 'd', FINTECH_INTEG_CERTIFICATE_ARN: 'c' })).toEqual({ ok: true });
    expect(precheckIntegInputs([path.join(dir, 'Plain.template.json')], {})).toEqual({ ok: true });
  });

  test('unset inputs: each named once with its fix and the templates carrying it; none recorded passes', () => {
    const unset = (input: string) => ({ 'fintech:unset-inputs': [{ input, fix: `supply ${input}` }] });
    fs.writeFileSync(path.join(dir, 'devWeb.template.json'), JSON.stringify({ Metadata: unset('web-domains.json stages.dev') }));
    fs.writeFileSync(path.join(dir, 'devEdge.template.json'), JSON.stringify({ Metadata: unset('web-domains.json stages.dev') }));
    expect(precheckUnsetInputs([dir])).toEqual({
      ok: false,
      message: 'these stacks were synthesized with placeholders for inputs of the account, so CloudFormation would fail on them:\n' +
        '  web-domains.json stages.dev (in devEdge, devWeb): supply web-domains.json stages.dev',
    });
    expect(precheckUnsetInputs([templates()].map(d => path.join(d, 'Plain.template.json')))).toEqual({ ok: true });
  });
});
