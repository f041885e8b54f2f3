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
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_ENDPOINT_URL')) delete process.env[name];
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
    });
    afterEach(() => { process.env = saved; });

    function dependencies(overrides: Partial<IntegDependencies> = {}): IntegDependencies {
      return {
        callerIdentity: async () => ({ Account: '111122223333' }),
        bootstrapVersion: async () => '28',
        missingParameters: async () => [],
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

    // A snapshot whose webhook stack (in a nested stage assembly) and assertion stack resolve SSM parameters.
    function snapshotWithLookups(): void {
      const snapshot = path.join(dir, 'integ.ledger.ts.snapshot');
      const nested = path.join(snapshot, 'assembly-dev');
      fs.mkdirSync(nested, { recursive: true });
      const ssm = (name: string) => ({ Type: 'AWS::SSM::Parameter::Value<String>', Default: name });
      fs.writeFileSync(path.join(nested, 'devWebhooks.template.json'), JSON.stringify({
        Parameters: {
          Layer: ssm('/aws/service/powertools/typescript/generic/all/2.35.0'),
          Ami: ssm('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64'),
          BootstrapVersion: ssm('/cdk-bootstrap/hnb659fds/version'),
          Stage: { Type: 'String', Default: 'dev' },
        },
      }));
      fs.writeFileSync(path.join(snapshot, 'LedgerDeployAssert.template.json'), JSON.stringify({ Parameters: { Layer: ssm('/aws/service/powertools/typescript/generic/all/2.35.0') } }));
      fs.writeFileSync(path.join(nested, 'manifest.json'), JSON.stringify({ artifacts: { devWebhooks: { type: 'aws:cloudformation:stack', properties: { templateFile: 'devWebhooks.template.json' } } } }));
      fs.writeFileSync(path.join(snapshot, 'manifest.json'), JSON.stringify({
        artifacts: {
          'assembly-dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-dev' } },
          'LedgerDeployAssert': { type: 'aws:cloudformation:stack', properties: { templateFile: 'LedgerDeployAssert.template.json' } },
        },
      }));
    }

    test('deploy stops before integ-runner when an SSM parameter the stacks resolve does not exist, naming it, its stacks and the Powertools fix', async () => {
      snapshotWithLookups();
      const lookedUp: Array<[string, string[]]> = [];
      const code = await main(['deploy', '--directory', dir, '--region', 'eu-west-1'], dependencies({
        missingParameters: async (region, names) => {
          lookedUp.push([region, names]);
          return names.filter(n => n.includes('powertools'));
        },
      }));
      expect(code).toBe(1);
      expect(runs).toEqual([]);
      expect(lookedUp).toEqual([['eu-west-1', ['/aws/service/powertools/typescript/generic/all/2.35.0', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64']]]);
      expect(errors).toEqual([
        'fintech-integ: deploy: these SSM parameters the stacks resolve at deploy time do not exist in eu-west-1, so CloudFormation would fail:\n' +
        '  /aws/service/powertools/typescript/generic/all/2.35.0 (needed by LedgerDeployAssert, devWebhooks)\n' +
        'The Powertools layer parameters are published by AWS some time after a release reaches npm, and only in commercial regions: ' +
        'install a Powertools version whose layer is listed by `aws ssm get-parameters-by-path --path /aws/service/powertools/typescript/generic/all`, ' +
        'or set powertoolsLayer: false to bundle Powertools.',
      ]);
    });

    test('deploy goes on when every SSM parameter exists, or when they cannot be looked up', async () => {
      snapshotWithLookups();
      expect(await main(['deploy', '--directory', dir], dependencies())).toBe(0);
      const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      expect(await main(['deploy', '--directory', dir], dependencies({ missingParameters: async () => { throw denied; } }))).toBe(0);
      expect(runs.map(r => r.command)).toEqual(['integ-runner', 'integ-runner']);
      expect(errors).toEqual(['fintech-integ: could not look up the SSM parameters the stacks need in us-east-1 (AccessDeniedException); going on.']);
    });

    test('deploy stops before any AWS call when an input the snapshot records (IntegInput) is not set, naming it and what it holds', async () => {
      const nested = path.join(dir, 'integ.ledger.ts.snapshot', 'assembly-integ');
      fs.mkdirSync(nested, { recursive: true });
      fs.writeFileSync(path.join(nested, 'integWeb.template.json'), JSON.stringify({
        Metadata: { 'fintech:integ-inputs': [{ name: 'FINTECH_INTEG_CERTIFICATE_ARN', description: 'ARN of an ACM certificate for the test domain' }] },
      }));
      fs.writeFileSync(path.join(nested, 'manifest.json'), JSON.stringify({ artifacts: { integWeb: { type: 'aws:cloudformation:stack', properties: { templateFile: 'integWeb.template.json' } } } }));
      fs.writeFileSync(path.join(dir, 'integ.ledger.ts.snapshot', 'manifest.json'), JSON.stringify({
        artifacts: { 'assembly-integ': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-integ' } } },
      }));
      let calls = 0;
      const counting = dependencies({ callerIdentity: async () => { calls++; return { Account: '111122223333' }; } });
      delete process.env.FINTECH_INTEG_CERTIFICATE_ARN;
      expect(await main(['deploy', '--directory', dir], counting)).toBe(1);
      expect([calls, runs]).toEqual([0, []]);
      expect(errors).toEqual([
        'fintech-integ: deploy: these integ tests need values from the account they deploy to, and the environment does not set them:\n' +
        '  FINTECH_INTEG_CERTIFICATE_ARN: ARN of an ACM certificate for the test domain (needed by integWeb)\n' +
        'Export each one (e.g. export FINTECH_INTEG_CERTIFICATE_ARN=...), then run the deploy again; offline commands (integ:snapshot, integ:verify) use placeholders and need none.',
      ]);
      process.env.FINTECH_INTEG_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/abc';
      expect(await main(['deploy', '--directory', dir], counting)).toBe(0);
      expect(runs.map(r => r.command)).toEqual(['integ-runner']);
    });

    // A snapshot as integ-runner writes it: the test's stage in a nested assembly, the assertion stack at the top.
    function snapshotWithStacks(): string {
      const snapshot = path.join(dir, 'integ.ledger.ts.snapshot');
      const stack = (name: string) => ({ type: 'aws:cloudformation:stack', displayName: name, properties: { stackName: name.replace('/', '-'), templateFile: `${name}.template.json` } });
      fs.mkdirSync(path.join(snapshot, 'assembly-dev'), { recursive: true });
      fs.writeFileSync(path.join(snapshot, 'manifest.json'), JSON.stringify({
        artifacts: { 'assembly-dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-dev', displayName: 'dev' } }, 'Assert': stack('LedgerDeployAssert') },
      }));
      fs.writeFileSync(path.join(snapshot, 'assembly-dev', 'manifest.json'), JSON.stringify({ artifacts: { devLedger: stack('dev/Ledger') } }));
      return snapshot;
    }

    test('destroy removes every stack of each snapshot assembly, nested stages and assertions included, naming them', async () => {
      const snapshot = snapshotWithStacks();
      const logs: string[] = [];
      jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args.join(' ')); });
      expect(await main(['destroy', '--directory', dir], dependencies())).toBe(0);
      expect(runs).toEqual([{ command: 'cdk', args: destroyArgs(snapshot), region: 'us-east-1' }]);
      expect(destroyArgs('s')).toEqual(['destroy', '--app', 's', '**', '--force']);
      expect(logs).toEqual(['fintech-integ: destroying the stacks of integ.ledger.ts in us-east-1 that exist: dev-Ledger, LedgerDeployAssert']);
    });

    test('destroy needs complete snapshots and credentials, never checks bootstrap, and says what to do when cdk destroy fails', async () => {
      expect(await main(['destroy', '--directory', dir], dependencies())).toBe(1);
      expect(errors).toEqual([expect.stringContaining('destroy needs the snapshot of integ.ledger.ts to know its stacks')]);
      fs.mkdirSync(path.join(dir, 'integ.ledger.ts.snapshot'));
      errors.length = 0;
      expect(await main(['destroy', '--directory', dir], dependencies())).toBe(1);
      expect(errors).toEqual([expect.stringContaining('the snapshot of integ.ledger.ts is incomplete (no manifest.json)')]);
      snapshotWithStacks();
      errors.length = 0;
      const bootstrap = jest.fn(async () => undefined);
      expect(await main(['destroy', '--directory', dir], dependencies({ bootstrapVersion: bootstrap, run: () => 1 }))).toBe(1);
      expect(bootstrap).not.toHaveBeenCalled();
      expect(errors).toEqual([expect.stringMatching(/^fintech-integ: destroying the stacks of integ\.ledger\.ts failed; .* run `npx projen integ:destroy` again\.$/)]);
    });

    test('deploy and destroy say once that they target an emulator, and still run every check', async () => {
      process.env.AWS_ENDPOINT_URL = 'http://localhost:5000';
      const logs: string[] = [];
      jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args.join(' ')); });
      const bootstrap = jest.fn(async () => '28');
      expect(await main(['deploy', '--directory', dir], dependencies({ bootstrapVersion: bootstrap }))).toBe(0);
      expect(logs[0]).toBe('fintech-integ: AWS_ENDPOINT_URL=http://localhost:5000 is set: targeting an emulator, not AWS');
      expect(logs.filter(l => l.includes('emulator'))).toHaveLength(1);
      expect(bootstrap).toHaveBeenCalledTimes(1);
    });

    test('against an emulator, a missing Powertools layer parameter gets the emulator fix', async () => {
      process.env.AWS_ENDPOINT_URL = 'http://localhost:5000';
      snapshotWithLookups();
      expect(await main(['deploy', '--directory', dir], dependencies({ missingParameters: async () => ['/aws/service/powertools/typescript/generic/all/2.35.0'] }))).toBe(1);
      expect(errors[0]).toContain("bundle Powertools for the rehearsal instead of its layer, with the context value fintech:powertools-layer=false: create the integ test's App with");
    });
  });
});
