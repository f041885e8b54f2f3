import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthKey, synthOnce } from '../../src/cli/synth-once';

describe('synth-once', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-once-'));
    file = path.join(dir, 'integ.ledger.ts');
    fs.writeFileSync(file, 'new App();');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A synth that writes a template and a toolkit lock into CDK_OUTDIR and counts its runs. */
  function fakeSynth(env: NodeJS.ProcessEnv, runs: string[][], code = 0) {
    return (command: string, args: string[]) => {
      runs.push([command, ...args]);
      fs.mkdirSync(path.join(env.CDK_OUTDIR!, 'assembly-integ'), { recursive: true });
      fs.writeFileSync(path.join(env.CDK_OUTDIR!, 'assembly-integ', 'Ledger.template.json'), '{"Resources":{}}');
      fs.writeFileSync(path.join(env.CDK_OUTDIR!, 'synth.lock'), `${process.pid}`);
      return code;
    };
  }

  test('the key ignores the output directory and CDK_DOCKER, and follows the context, any other variable and the file', () => {
    const env = { CDK_CONTEXT_JSON: '{"a":1}', CDK_OUTDIR: '/one', PATH: '/bin' };
    const key = synthKey(file, env);
    expect(synthKey(file, { ...env, CDK_OUTDIR: '/two', CDK_DOCKER: 'docker' })).toBe(key);
    expect(synthKey(file, { ...env, CDK_CONTEXT_JSON: '{"a":2}' })).not.toBe(key);
    expect(synthKey(file, { ...env, CDK_INTEG_ACCOUNT: '12345678' })).not.toBe(key);
    fs.writeFileSync(file, 'new App(); // changed');
    expect(synthKey(file, env)).not.toBe(key);
  });

  test('synthesizes once and copies that assembly, without lock files, into the second output directory', () => {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(cache);
    const runs: string[][] = [];
    const first = { CDK_CONTEXT_JSON: '{}', CDK_OUTDIR: path.join(dir, 'out1') };
    expect(synthOnce(cache, 'ts-node', file, first, fakeSynth(first, runs))).toBe(0);
    const second = { ...first, CDK_OUTDIR: path.join(dir, 'snapshot'), CDK_DOCKER: 'docker' };
    expect(synthOnce(cache, 'ts-node', file, second, fakeSynth(second, runs))).toBe(0);

    expect(runs).toEqual([['ts-node', '--transpile-only', file]]);
    expect(fs.readFileSync(path.join(dir, 'snapshot', 'assembly-integ', 'Ledger.template.json'), 'utf-8')).toBe('{"Resources":{}}');
    expect(fs.existsSync(path.join(dir, 'snapshot', 'synth.lock'))).toBe(false);
    expect(fs.readdirSync(cache).filter(name => name.endsWith('.partial'))).toEqual([]);
  });

  test('a different context synthesizes again', () => {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(cache);
    const runs: string[][] = [];
    const first = { CDK_CONTEXT_JSON: '{}', CDK_OUTDIR: path.join(dir, 'out1') };
    const other = { CDK_CONTEXT_JSON: '{"lookups":true}', CDK_OUTDIR: path.join(dir, 'out2') };
    synthOnce(cache, 'ts-node', file, first, fakeSynth(first, runs));
    synthOnce(cache, 'ts-node', file, other, fakeSynth(other, runs));
    expect(runs).toHaveLength(2);
  });

  test('a failed synth is not kept, so the next call synthesizes again and fails the same way', () => {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(cache);
    const runs: string[][] = [];
    const env = { CDK_CONTEXT_JSON: '{}', CDK_OUTDIR: path.join(dir, 'out') };
    expect(synthOnce(cache, 'ts-node', file, env, fakeSynth(env, runs, 1))).toBe(1);
    expect(fs.readdirSync(cache)).toEqual([]);
    expect(synthOnce(cache, 'ts-node', file, env, fakeSynth(env, runs, 1))).toBe(1);
    expect(runs).toHaveLength(2);
  });

  test('without CDK_OUTDIR it says it runs under integ-runner, and runs nothing', () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const runs: string[][] = [];
    expect(synthOnce(dir, 'ts-node', file, {}, () => { runs.push([]); return 0; })).toBe(2);
    expect(runs).toEqual([]);
    expect(errors.mock.calls[0][0]).toContain('CDK_OUTDIR is not set');
    errors.mockRestore();
  });
});
