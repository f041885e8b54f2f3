import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// A CDK app that adopts the library one piece at a time: only the packed tarball, aws-cdk-lib and constructs are installed
// (no projen), the constructs live in plain stacks (no FintechStage), and FintechChecks is registered the cdk-nag 3 way.
const ROOT = path.join(__dirname, '..', '..');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-standalone-'));
const MINUTES = 60_000;
const DURABLE_DEFAULT_ACK = '[ack: annotation::fintech:durable-default]';

// Installs must not see jest's or CI's environment.
const env: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['CI', 'NODE_ENV', 'JEST_WORKER_ID', 'CDK_CONTEXT_JSON', 'CDK_OUTDIR']) delete env[name];

function run(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: WORK, env: { ...env, ...extraEnv }, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
}

function mustRun(command: string, args: string[]): string {
  const result = run(command, args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${WORK} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

// The app: a legacy stack on the durable default (with a deliberately bad raw bucket), and a stack whose scope sets the
// stage by context. `props` registers the pack with props only (new FintechChecks({...})), `factory` with
// FintechChecks.fromProps, `scope` the classic way.
const APP = `
const path = require('path');
const cdk = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');
const { FintechChecks, SecureBucket, SecureQueue, TracedFunction } = require('fintech-infra-template');

const [style, outdir] = process.argv.slice(2);
const app = new cdk.App({ outdir, context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false } });

const legacy = new cdk.Stack(app, 'Legacy');
new SecureBucket(legacy, 'Archive');
new SecureQueue(legacy, 'Jobs');
new TracedFunction(legacy, 'Ingest', { entry: path.join(__dirname, 'handler.js') });
new s3.CfnBucket(legacy, 'Raw');

const dev = new cdk.Stack(app, 'Dev');
dev.node.setContext('fintech:stage', 'dev');
dev.node.setContext('fintech:durable', 'false');
dev.node.setContext('fintech:application', 'ledger');
new SecureQueue(dev, 'Jobs', { nameBase: 'jobs' });

const checks = style === 'props' ? new FintechChecks({ warningRules: ['Fintech-C02-BucketNotEmptiedOnDelete'] })
  : style === 'factory' ? FintechChecks.fromProps({})
  : new FintechChecks(app, {});
cdk.Validations.of(app).addPlugins(checks);
app.synth();
console.log('FINDINGS ' + JSON.stringify(checks.findings.map(f => f.ruleId + ' ' + f.constructPath)));
`;

interface Synth {
  readonly result: SpawnSyncReturns<string>;
  readonly outdir: string;
  readonly findings: string[];
}

function synth(style: 'props' | 'factory' | 'scope'): Synth {
  const outdir = path.join(WORK, `cdk.out.${style}`);
  const result = run('node', ['app.js', style, outdir]);
  const line = result.stdout.split('\n').find(l => l.startsWith('FINDINGS '));
  if (!line) throw new Error(`node app.js ${style} printed no findings (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { result, outdir, findings: JSON.parse(line.slice('FINDINGS '.length)) };
}

/** Every metadata entry of one stack of the assembly, by construct path (manifest and the stack's metadata file). */
function metadataOf(outdir: string, stack: string): Record<string, Array<{ type: string; data: unknown }>> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  const artifact = manifest.artifacts[stack];
  const extra = artifact.additionalMetadataFile ? JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf-8')) : {};
  return { ...(artifact.metadata ?? {}), ...extra };
}

function durableDefaultWarnings(outdir: string, stack: string): string[] {
  return Object.values(metadataOf(outdir, stack)).flat()
    .filter(e => e.type === 'aws:cdk:warning' && String(e.data).includes(DURABLE_DEFAULT_ACK)).map(e => String(e.data));
}

interface TemplateResource {
  readonly Type: string;
  readonly DeletionPolicy?: string;
  readonly Properties?: Record<string, unknown>;
}

function resources(outdir: string, stack: string, type: string): TemplateResource[] {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stack}.template.json`), 'utf-8'));
  return Object.values(template.Resources as Record<string, TemplateResource>).filter(r => r.Type === type);
}

let synths: Record<'props' | 'factory' | 'scope', Synth>;

beforeAll(() => {
  const tarballs = fs.readdirSync(path.join(ROOT, 'dist', 'js')).filter(f => /^fintech-infra-template@.*\.jsii\.tgz$/.test(f));
  if (tarballs.length !== 1) throw new Error(`expected one tarball in dist/js, found ${tarballs.length}; run 'npx projen compile && npx projen package' first.`);
  mustRun('npm', ['init', '-y']);
  mustRun('npm', ['install', '--no-audit', '--no-fund', path.join(ROOT, 'dist', 'js', tarballs[0]), 'aws-cdk-lib@2.257.0', 'constructs@10.5.1']);
  fs.writeFileSync(path.join(WORK, 'handler.js'), 'exports.handler = async () => ({ statusCode: 200 });\n');
  fs.writeFileSync(path.join(WORK, 'app.js'), APP);
  synths = { props: synth('props'), factory: synth('factory'), scope: synth('scope') };
}, 10 * MINUTES);

afterAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe('the package in a CDK app without projen', () => {
  test('projen is not installed, the package loads, and the projen project type says what it needs', () => {
    expect(run('node', ['-e', "require.resolve('projen')"]).status).not.toBe(0);
    const loaded = mustRun('node', ['-e', "const lib = require('fintech-infra-template'); console.log(typeof lib.FintechChecks, typeof lib.SecureBucket, 'FintechCdkApp' in lib)"]);
    expect(loaded.trim()).toBe('function function true');
    const projectType = run('node', ['-e', "require('fintech-infra-template').FintechCdkApp"]);
    expect(projectType.status).not.toBe(0);
    expect(projectType.stderr).toContain('FintechCdkApp is part of the projen project type of fintech-infra-template and needs projen, which is not installed: npm install --save-dev projen.');
  });

  test('a TypeScript app with the compiler options of cdk init type-checks without projen', () => {
    fs.writeFileSync(path.join(WORK, 'app.ts'), [
      "import { App, Stack, Validations } from 'aws-cdk-lib';",
      "import { FintechChecks, FintechStage, SecureQueue, StageSettingsSource } from 'fintech-infra-template';",
      'const app = new App();',
      "const stack = new Stack(app, 'Legacy');",
      "new SecureQueue(stack, 'Jobs');",
      'const source: StageSettingsSource = FintechStage.settingsOf(stack).source;',
      'Validations.of(app).addPlugins(FintechChecks.fromProps({ durableStages: [source] }), new FintechChecks());',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(WORK, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: [] },
      files: ['app.ts'],
    }));
    const checked = run('node', [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', WORK]);
    expect(`${checked.stdout}${checked.stderr}`).toBe('');
    expect(checked.status).toBe(0);
  });

  test('synth succeeds in every construction style of the pack; the raw bucket fails validation, as it must', () => {
    for (const { result, outdir } of Object.values(synths)) {
      expect(result.stderr).not.toMatch(/TypeError/);
      for (const stack of ['Legacy', 'Dev']) expect(fs.existsSync(path.join(outdir, `${stack}.template.json`))).toBe(true);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-validation-report.json'), 'utf-8'));
      const plugin = report.pluginReports.find((r: { summary: { pluginName: string } }) => r.summary.pluginName === 'FintechChecks');
      expect(plugin.summary.status).toBe('failure');
    }
  });

  test('outside a FintechStage, the durable default: data retained, and exactly one warning, on the stack without context', () => {
    const { outdir } = synths.props;
    expect(durableDefaultWarnings(outdir, 'Legacy')).toHaveLength(1);
    expect(durableDefaultWarnings(outdir, 'Dev')).toEqual([]);
    expect(resources(outdir, 'Legacy', 'AWS::S3::Bucket').filter(b => b.Properties?.BucketEncryption).map(b => b.DeletionPolicy)).toEqual(['Retain']);
    // The queue, its dead-letter queue and the function's on-failure queue; an sqs.Queue alone would be deleted.
    expect(resources(outdir, 'Legacy', 'AWS::SQS::Queue').map(q => q.DeletionPolicy)).toEqual(['Retain', 'Retain', 'Retain']);
    expect(resources(outdir, 'Legacy', 'AWS::Logs::LogGroup').map(l => [l.DeletionPolicy, l.Properties?.RetentionInDays])).toEqual([['Retain', 365]]);
  });

  test('the stage set by context on a scope: names carry it, an ephemeral stage destroys its data', () => {
    const { outdir } = synths.props;
    const queues = resources(outdir, 'Dev', 'AWS::SQS::Queue').map(q => `${q.Properties?.QueueName} ${q.DeletionPolicy}`).sort();
    expect(queues).toEqual(['ledger-jobs-dev Delete', 'ledger-jobs-dlq-dev Delete']);
  });

  test('FintechChecks finds the bad raw bucket whichever way it was constructed, and judges the library constructs as they were built', () => {
    for (const { findings } of Object.values(synths)) {
      expect(findings).toEqual(expect.arrayContaining([
        'Fintech-C03-BucketEncryption Legacy/Raw',
        'Fintech-C03-BucketPublicAccessBlock Legacy/Raw',
        'Fintech-C03-BucketTlsOnly Legacy/Raw',
      ]));
      // The durable default retains data and the Dev stage destroys it: the pack agrees with both.
      expect(findings.filter(f => f.startsWith('Fintech-C02') && !f.endsWith('Legacy/Raw'))).toEqual([]);
    }
  });
});
