import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { main, parseDiagramArgs } from '../../src/cli/fintech-diagram';

/** A synthesized app in a temporary cdk.out: stages dev and prod with a Shop stack each, or one stack without stages. */
function assembly(withStages: boolean): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const scopes = withStages ? [new Stage(app, 'dev'), new Stage(app, 'prod')] : [app];
  for (const scope of scopes) new sqs.Queue(new Stack(scope, 'Shop'), 'Orders');
  app.synth();
  return outdir;
}

function run(argv: string[]): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation(text => { out.push(String(text)); });
  const error = jest.spyOn(console, 'error').mockImplementation(text => { err.push(String(text)); });
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(text => { out.push(String(text)); return true; });
  try {
    return { code: main(argv), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

describe('fintech-diagram', () => {
  const staged = assembly(true);

  test('draws the first stage by default, each stack under its path', () => {
    const { code, stdout } = run(['--app', staged]);
    expect(code).toBe(0);
    expect(stdout).toContain(`the \`dev\` stage of \`${staged}\``);
    expect(stdout).toContain('## dev/Shop\n\n```mermaid\nflowchart LR');
    expect(stdout).toContain('SQS queue<br/>Orders');
    expect(stdout).not.toContain('prod/Shop');
  });

  test('draws the stage asked for into the file asked for', () => {
    const out = path.join(staged, 'docs', 'architecture.md');
    const { code, stdout } = run(['--app', staged, '--stage', 'prod', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toBe(`fintech-diagram: wrote ${out}`);
    expect(fs.readFileSync(out, 'utf-8')).toContain('## prod/Shop');
  });

  test('draws an app without stages', () => {
    const { code, stdout } = run(['--app', assembly(false)]);
    expect(code).toBe(0);
    expect(stdout).toContain('## Shop\n');
  });

  test('names the stages there are when the one asked for is missing', () => {
    const { code, stderr } = run(['--app', staged, '--stage', 'qa']);
    expect(code).toBe(2);
    expect(stderr).toBe(`fintech-diagram: ${staged} has no stage "qa"; it has dev, prod.`);
  });

  test('says to synthesize first when there is no cloud assembly', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-'));
    const { code, stderr } = run(['--app', empty]);
    expect(code).toBe(2);
    expect(stderr).toBe(`fintech-diagram: ${empty} holds no cloud assembly (no manifest.json). Synthesize first: npx projen synth:silent`);
  });

  test('parses its flags and refuses anything else', () => {
    expect(parseDiagramArgs([])).toEqual({ app: 'cdk.out', stage: undefined, out: undefined });
    expect(parseDiagramArgs(['--stage=prod', '--out', 'docs/a.md'])).toEqual({ app: 'cdk.out', stage: 'prod', out: 'docs/a.md' });
    expect(parseDiagramArgs(['--stage'])).toBeUndefined();
    expect(parseDiagramArgs(['cdk.out'])).toBeUndefined();
    expect(run(['--verbose']).code).toBe(2);
  });
});
