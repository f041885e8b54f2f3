import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InvalidOptionsError } from '../../src/project/invalid-options';

const ROOT = path.join(__dirname, '..', '..');

/** Runs a .projenrc.ts the way `npx projen` does (ts-node, transpile-only, as the main module of its own process). */
function runProjenrc(body: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invalid-options-'));
  const projenrc = path.join(dir, '.projenrc.ts');
  fs.writeFileSync(projenrc, `import { FintechCdkApp } from '${path.join(ROOT, 'src', 'project', 'fintech-cdk-app')}';\n${body}\n`);
  return spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', '--project', path.join(ROOT, 'test', 'tsconfig.json'), projenrc], {
    cwd: dir, encoding: 'utf-8', env: { ...process.env, JEST_WORKER_ID: '' },
  });
}

describe('InvalidOptionsError', () => {
  test('its stack is the message alone: projen new prints an unknown error\'s stack', () => {
    const error = new InvalidOptionsError('FintechCdkApp (.projenrc.ts): 1 invalid option:\n  - team = "": ...');
    expect(error.stack).toBe(error.message);
    expect(error).toBeInstanceOf(Error);
  });

  test('npx projen with bad options prints the message alone, without a stack trace or source line, and exits 1', () => {
    const result = runProjenrc(`new FintechCdkApp({ name: 'ledger', defaultReleaseBranch: 'main', cdkVersion: '2.257.0', team: '', costCenter: 'cc-42', alarmEmail: 'oncall', outdir: '${os.tmpdir()}/never-written' } as any);`);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^FintechCdkApp \(\.projenrc\.ts\): 2 invalid options:\n {2}- team = "": .*\n {2}- alarmEmail = "oncall": .*Fix: /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('^');
  }, 60_000);

  test('other errors in .projenrc.ts still print their stack', () => {
    const result = runProjenrc("throw new Error('something else');");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Error: something else\n\s+at /);
  }, 60_000);
});
