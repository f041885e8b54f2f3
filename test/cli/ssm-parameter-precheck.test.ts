import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { precheckParameters, ssmParameterLookups } from '../../src/cli/ssm-parameter-precheck';

const LAYER = '/aws/service/powertools/typescript/generic/all/2.35.0';
const AMI = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';
const ssm = (name: string) => ({ Type: 'AWS::SSM::Parameter::Value<String>', Default: name });

// A snapshot whose webhook stack (in a nested stage assembly, with a nested stack) and assertion stack resolve SSM
// parameters, with the manifests cdk synth writes, and a template an earlier synth left behind.
function assembly(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
  const nested = path.join(dir, 'assembly-dev');
  fs.mkdirSync(nested, { recursive: true });
  const write = (file: string, content: object) => fs.writeFileSync(file, JSON.stringify(content));
  write(path.join(nested, 'devWebhooks.template.json'), {
    Parameters: { Layer: ssm(LAYER), Again: ssm(LAYER), Ami: ssm(AMI), BootstrapVersion: ssm('/cdk-bootstrap/hnb659fds/version'), Stage: { Type: 'String', Default: 'dev' } },
    Resources: { Workers: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'devWebhooksWorkersNested.nested.template.json' } } },
  });
  write(path.join(nested, 'devWebhooksWorkersNested.nested.template.json'), { Parameters: { Token: ssm('/app/dev/token') } });
  write(path.join(nested, 'devRemoved.template.json'), { Parameters: { Old: ssm('/app/dev/removed') } });
  write(path.join(nested, 'manifest.json'), { artifacts: { devWebhooks: { type: 'aws:cloudformation:stack', properties: { templateFile: 'devWebhooks.template.json' } } } });
  write(path.join(dir, 'LedgerDeployAssert.template.json'), { Parameters: { Layer: ssm(LAYER) } });
  write(path.join(dir, 'manifest.json'), {
    artifacts: {
      'assembly-dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-dev', displayName: 'dev' } },
      'LedgerDeployAssert': { type: 'aws:cloudformation:stack', properties: { templateFile: 'LedgerDeployAssert.template.json' } },
    },
  });
  return dir;
}

describe('ssmParameterLookups', () => {
  test('reads every template the manifests list, nested assemblies and nested stacks included, each once, bootstrap left out', () => {
    const dir = assembly();
    expect(ssmParameterLookups([dir, path.join(dir, 'missing')])).toEqual(new Map([
      [LAYER, ['LedgerDeployAssert', 'devWebhooks']],
      [AMI, ['devWebhooks']],
      ['/app/dev/token', ['devWebhooksWorkersNested.nested']],
    ]));
  });

  test('skips a template no manifest lists (cdk synth never deletes a removed stack\'s template)', () => {
    expect([...ssmParameterLookups([assembly()]).keys()]).not.toContain('/app/dev/removed');
  });

  test('reads every template of a directory without a manifest', () => {
    const dir = path.join(assembly(), 'assembly-dev');
    fs.rmSync(path.join(dir, 'manifest.json'));
    expect([...ssmParameterLookups([dir]).keys()].sort()).toEqual([AMI, LAYER, '/app/dev/removed', '/app/dev/token'].sort());
  });

  test('reads a single template file too', () => {
    expect(ssmParameterLookups([path.join(assembly(), 'LedgerDeployAssert.template.json')])).toEqual(new Map([[LAYER, ['LedgerDeployAssert']]]));
  });
});

describe('precheckParameters', () => {
  const lookups = new Map([[LAYER, ['devWebhooks']], [AMI, ['devWebhooks']], ['/app/dev/token', ['devLedger']]]);
  const onAws = { emulator: false, withoutPowertoolsLayer: 'npx projen deploy:dev -- -c fintech:powertools-layer=false' };

  test('passes when nothing is looked up or everything exists, asking in the region', async () => {
    const asked: string[] = [];
    expect(await precheckParameters('eu-west-1', new Map(), async () => { throw new Error('not called'); }, onAws)).toEqual({ ok: true });
    expect(await precheckParameters('eu-west-1', lookups, async region => { asked.push(region); return []; }, onAws)).toEqual({ ok: true });
    expect(asked).toEqual(['eu-west-1']);
  });

  test('names each missing parameter and its stacks, with the Powertools fix on AWS', async () => {
    const result = await precheckParameters('eu-west-1', lookups, async (_r, names) => names.filter(n => n !== AMI), onAws);
    expect(result).toEqual({
      ok: false,
      message: 'these SSM parameters the stacks resolve at deploy time do not exist in eu-west-1, so CloudFormation would fail:\n' +
        `  ${LAYER} (needed by devWebhooks)\n  /app/dev/token (needed by devLedger)\n` +
        'The Powertools layer parameters are published by AWS some time after a release reaches npm, and only in commercial regions: ' +
        'install a Powertools version whose layer is listed by `aws ssm get-parameters-by-path --path /aws/service/powertools/typescript/generic/all`, ' +
        'or set powertoolsLayer: false to bundle Powertools.',
    });
  });

  test('against an emulator, gives the context value that turns the layer off; no Powertools advice for other parameters', async () => {
    const emulated = await precheckParameters('us-east-1', lookups, async () => [LAYER], { ...onAws, emulator: true });
    expect(emulated.message).toMatch(/An emulator holds none of AWS's public \/aws\/service\/ parameters \(moto refuses to create them\).*: npx projen deploy:dev -- -c fintech:powertools-layer=false$/);
    const other = await precheckParameters('us-east-1', lookups, async () => ['/app/dev/token'], { ...onAws, emulator: true });
    expect(other.message).not.toMatch(/Powertools/);
  });

  test('goes on, with a warning, when the parameters cannot be looked up', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    expect(await precheckParameters('eu-west-1', lookups, async () => { throw denied; }, onAws))
      .toEqual({ ok: true, message: 'could not look up the SSM parameters the stacks need in eu-west-1 (AccessDeniedException); going on.' });
  });
});
