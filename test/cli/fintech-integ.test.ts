import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/fintech-integ';

describe('fintech-integ', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
  });
  afterEach(() => jest.restoreAllMocks());

  test('prints the usage for an unknown command or flag', () => {
    expect(main(['deploy'])).toBe(2);
    expect(main(['verify', '--bogus'])).toBe(2);
    expect(errors.join('\n')).toContain('usage: fintech-integ <snapshot|verify>');
  });

  test('fails when the directory holds no integ test', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    expect(main(['verify', '--directory', dir])).toBe(1);
    expect(errors.join('\n')).toContain(`no integ tests (integ.*.ts) in ${dir}`);
  });

  test('verify reports a test without a snapshot as NEW and says how to create it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    fs.writeFileSync(path.join(dir, 'integ.ledger.ts'), '');
    fs.writeFileSync(path.join(dir, 'helpers.ts'), '');
    expect(main(['verify', `--directory=${dir}`])).toBe(1);
    expect(errors).toEqual(['NEW      integ.ledger.ts: no snapshot yet. Run `npx projen integ:snapshot` and commit integ.ledger.ts.snapshot/.']);
  });
});
