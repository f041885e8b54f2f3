import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assemblyStacks, isCloudAssembly, readStageAssembly } from '../../src/cli/stage-assembly';

// The shape `cdk synth` writes for an app of FintechStages: one nested assembly per stage, plus a stack outside any stage.
function write(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
  const json = (file: string, value: object) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(value));
  };
  const stack = (displayName: string, region = 'eu-west-1', extra: object = {}) => ({
    type: 'aws:cloudformation:stack',
    environment: `aws://unknown-account/${region}`,
    displayName,
    properties: { templateFile: `${displayName.replace(/\//g, '')}.template.json`, stackName: displayName.replace(/\//g, '-') },
    ...extra,
  });
  json('manifest.json', {
    artifacts: {
      'assembly-dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-dev', displayName: 'dev' } },
      'assembly-prod': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-prod', displayName: 'prod' } },
      'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
      'Shared': stack('Shared'),
    },
  });
  json('assembly-dev/manifest.json', {
    artifacts: {
      'devLedger.assets': { type: 'cdk:asset-manifest', properties: { file: 'devLedger.assets.json' } },
      'devLedger': stack('dev/Ledger'),
      'devWebhook': stack('dev/Webhook', 'unknown-region'),
    },
  });
  json('assembly-prod/manifest.json', { artifacts: { prodLedger: stack('prod/Ledger', 'eu-central-1') } });
  return dir;
}

describe('readStageAssembly', () => {
  test('lists the stage\'s stacks with their names and regions, and its nested assembly as the place of its templates', () => {
    const dir = write();
    expect(readStageAssembly(dir, 'dev')).toEqual({
      stacks: [
        { stackName: 'dev-Ledger', displayName: 'dev/Ledger', region: 'eu-west-1', templateFile: path.join(dir, 'assembly-dev', 'devLedger.template.json') },
        { stackName: 'dev-Webhook', displayName: 'dev/Webhook', templateFile: path.join(dir, 'assembly-dev', 'devWebhook.template.json') },
      ],
      templateSources: [path.join(dir, 'assembly-dev')],
    });
    expect(readStageAssembly(dir, 'prod').stacks.map(s => [s.stackName, s.region])).toEqual([['prod-Ledger', 'eu-central-1']]);
    expect(readStageAssembly(dir, 'qa')).toEqual({ stacks: [], templateSources: [] });
  });

  test('a stage stack outside a nested assembly counts with its own template file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      artifacts: { devApi: { type: 'aws:cloudformation:stack', displayName: 'dev/Api', properties: { templateFile: 'devApi.template.json' } } },
    }));
    expect(readStageAssembly(dir, 'dev')).toEqual({
      stacks: [{ stackName: 'devApi', displayName: 'dev/Api', templateFile: path.join(dir, 'devApi.template.json') }],
      templateSources: [path.join(dir, 'devApi.template.json')],
    });
  });

  test('fails, naming the directory and the fix, when it is not a cloud assembly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkout-'));
    expect(isCloudAssembly(dir)).toBe(false);
    expect(() => readStageAssembly(dir, 'dev')).toThrow(`${dir} is not a cloud assembly (no manifest.json in it); synthesize one with npx cdk synth, or pass the directory the build wrote.`);
  });
});

describe('assemblyStacks', () => {
  test('lists every stack, of every stage and outside them', () => {
    expect(assemblyStacks(write()).map(s => s.stackName)).toEqual(['dev-Ledger', 'dev-Webhook', 'prod-Ledger', 'Shared']);
  });
});
