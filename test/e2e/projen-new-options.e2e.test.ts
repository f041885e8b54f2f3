import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generate } from './generated-repo';

// projen new refusing bad options: no repo is generated, so these run apart from the generated repo's e2e tests, on the
// other jest worker.
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-new-options-'));
const MINUTES = 60_000;

afterAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe('projen new with bad options', () => {
  const scratch = path.join(WORK, 'bad');

  test('a missing --team names the option and its flag', () => {
    const result = generate(scratch, ['--cost-center=cc-42', '--alarm-email=oncall@example.com']);
    expect(result.status).not.toBe(0);
    expect(result.stderr + result.stdout).toMatch(/Missing required option:\s+--team \[string\]/);
    expect(fs.existsSync(path.join(scratch, '.projenrc.ts'))).toBe(false);
  }, 10 * MINUTES);

  test('an invalid value is reported with the option, the value and the fix, without a stack trace or files', () => {
    const result = generate(scratch, ['--team=payments', '--cost-center=cc-42', '--application=Ledger_App', '--alarm-email=oncall']);
    const output = result.stderr + result.stdout;
    expect(result.status).not.toBe(0);
    expect(output).toContain('FintechCdkApp (.projenrc.ts): 2 invalid options:');
    expect(output).toContain('application = "Ledger_App"');
    expect(output).toContain('alarmEmail = "oncall"');
    expect(output).not.toMatch(/^\s+at .*\.(js|ts):\d+/m);
    expect(fs.existsSync(path.join(scratch, '.projenrc.ts'))).toBe(false);
    expect(fs.existsSync(path.join(scratch, 'src'))).toBe(false);
  }, 10 * MINUTES);
});
