import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IntegDependencies, destroyArgs, integRunnerArgs, main } from '../../src/cli/fintech-integ';

describe('fintech-integ', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
  });
  afterEach(() => jest.restoreAllMocks());

  test('prints the usage for an unknown command or flag', async () => {
    expect(await main(['launch'])).toBe(2);
    expect(await main(['verify', '--bogus'])).toBe(2);
    expect(await main(['verify', '--', '--no-clean'])).toBe(2);
    expect(errors.join('\n')).toContain('usage: fintech-integ <snapshot|verify|deploy|destroy>');
  });

  test('with no integ test, snapshot and verify succeed (a repo without tests yet) and deploy fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['verify', '--directory', dir])).toBe(0);
    expect(log).toHaveBeenCalledWith(`fintech-integ: no integ tests (integ.*.ts) in ${dir}`);
    expect(await main(['deploy', '--directory', dir])).toBe(1);
    expect(errors.join('\n')).toContain(`no integ tests (integ.*.ts) in ${dir}`);
  });

  test('verify reports a test without a snapshot as NEW and says how to create it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
    fs.writeFileSync(path.join(dir, 'integ.ledger.ts'), '');
    fs.writeFileSync(path.join(dir, 'helpers.ts'), '');
    expect(await main(['verify', `--directory=${dir}`])).toBe(1);
    expect(errors).toEqual(['NEW      integ.ledger.ts: no snapshot yet. Run `npx projen integ:snapshot` and commit integ.ledger.ts.snapshot/.']);
  });

  describe('deploy and destroy (AWS calls injected)', () => {
    const ENV_WITH_KEYS = { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'x' };
    let dir: string;
    let runs: Array<{ command: string; args: string[]; region?: string }>;
    let saved: NodeJS.ProcessEnv;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-'));
      fs.writeFileSync(path.join(dir, 'integ.ledger.ts'), '');
      runs = [];
      saved = { ...process.env };
      Object.assign(process.env, ENV_WITH_KEYS);
      delete process.env.AWS_REGION;
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
    });
    afterEach(() => { process.env = saved; });

    function dependencies(overrides: Partial<IntegDependencies> = {}): IntegDependencies {
      return {
        callerIdentity: async () => ({ Account: '111122223333' }),
        bootstrapVersion: async () => '28',
        run: (command, args, env) => {
          runs.push({ command: path.basename(command), args, region: env.AWS_REGION });
          return 0;
        },
        ...overrides,
      };
    }

    test('deploy runs integ-runner for real (--force, no --dry-run) in the region, passing extra arguments through', async () => {
      expect(await main(['deploy', '--directory', dir, '--region', 'eu-west-1', '--', '--verbose'], dependencies())).toBe(0);
      expect(runs).toEqual([{ command: 'integ-runner', args: [...integRunnerArgs(dir, 'eu-west-1', ['integ.ledger.ts']), '--force', '--verbose'], region: 'eu-west-1' }]);
      expect(runs[0].args).not.toContain('--dry-run');
    });

    test('deploy stops before integ-runner when credentials fail, naming the ways to provide them and the offline alternatives', async () => {
      const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' });
      const code = await main(['deploy', '--directory', dir], dependencies({ callerIdentity: async () => { throw expired; } }));
      expect(code).toBe(1);
      expect(runs).toEqual([]);
      expect(errors.join('\n')).toMatch(/^fintech-integ: deploy: Credentials were found \(environment variables\) but they have expired \(ExpiredToken\)/);
      expect(errors.join('\n')).toContain('npx projen integ:snapshot and npx projen integ:verify');
    });

    test('deploy stops when the region is not bootstrapped and prints the bootstrap command', async () => {
      const code = await main(['deploy', '--directory', dir, '--region', 'eu-west-1'], dependencies({ bootstrapVersion: async () => undefined }));
      expect(code).toBe(1);
      expect(runs).toEqual([]);
      expect(errors).toEqual([expect.stringContaining('eu-west-1 of account 111122223333 is not bootstrapped for the CDK')]);
      expect(errors[0]).toContain('npx cdk bootstrap aws://111122223333/eu-west-1');
    });

    test('deploy goes on when the bootstrap parameter cannot be read (a least-privilege role), and reports integ-runner failures', async () => {
      const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      const code = await main(['deploy', '--directory', dir], dependencies({ bootstrapVersion: async () => { throw denied; }, run: () => 3 }));
      expect(code).toBe(3);
      expect(errors).toEqual([
        expect.stringContaining('could not read the CDK bootstrap version in us-east-1 (AccessDeniedException); going on.'),
        'fintech-integ: deploy failed (integ-runner exit 3). Leftover stacks, if any: npx projen integ:destroy',
      ]);
    });

    test('destroy removes every stack of each snapshot assembly, nested stages and assertions included', async () => {
      fs.mkdirSync(path.join(dir, 'integ.ledger.ts.snapshot'));
      expect(await main(['destroy', '--directory', dir], dependencies())).toBe(0);
      expect(runs).toEqual([{ command: 'cdk', args: destroyArgs(path.join(dir, 'integ.ledger.ts.snapshot')), region: 'us-east-1' }]);
      expect(destroyArgs('s')).toEqual(['destroy', '--app', 's', '**', '--force']);
    });

    test('destroy needs the snapshots and credentials, and never checks bootstrap', async () => {
      expect(await main(['destroy', '--directory', dir], dependencies())).toBe(1);
      expect(errors).toEqual([expect.stringContaining('destroy needs the snapshot of integ.ledger.ts to know its stacks')]);
      fs.mkdirSync(path.join(dir, 'integ.ledger.ts.snapshot'));
      const bootstrap = jest.fn(async () => undefined);
      expect(await main(['destroy', '--directory', dir], dependencies({ bootstrapVersion: bootstrap, run: () => 1 }))).toBe(1);
      expect(bootstrap).not.toHaveBeenCalled();
    });
  });
});
