import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkCommand, DeployDependencies, main, parseRequest, refusal } from '../../src/cli/fintech-deploy';
import { FintechPlatformConfig } from '../../src/config/platform-config';

const config: FintechPlatformConfig = {
  application: 'ledger',
  team: 'payments',
  costCenter: 'cc-1',
  environments: [
    { name: 'dev', region: 'eu-west-1', durable: false },
    { name: 'staging', region: 'eu-west-1', durable: true },
    { name: 'prod', account: '123456789012', region: 'eu-west-1', durable: true },
  ],
};

describe('parseRequest', () => {
  test('reads the action, stage, confirmation and pass-through cdk arguments', () => {
    expect(parseRequest(['deploy', 'prod', '--confirm', '--', '--hotswap'])).toEqual({ action: 'deploy', stage: 'prod', confirmed: true, cdkArgs: ['--hotswap'] });
  });

  test.each([[[]], [['deploy']], [['synth', 'dev']], [['deploy', 'dev', '--force']]])('rejects %j', argv => {
    expect(parseRequest(argv)).toBeUndefined();
  });
});

describe('refusal', () => {
  const ask = (argv: string[], env = {}) => refusal(parseRequest(argv)!, config, env);

  test('an unknown stage lists the known ones', () => {
    expect(ask(['deploy', 'qa'])).toBe('Unknown stage "qa". The environments in .projenrc.ts are: dev, staging, prod.');
  });

  test('a durable stage without an account is never deployed', () => {
    expect(ask(['deploy', 'staging', '--confirm'])).toMatch(/^Stage "staging" is durable but has no account in \.projenrc\.ts.*Set \{ name: 'staging', account: '<12 digits>'/);
    expect(ask(['deploy', 'staging'], { CI: 'true' })).toMatch(/has no account/);
  });

  test('a durable stage needs --confirm by hand, not in CI', () => {
    expect(ask(['deploy', 'prod'])).toBe('Stage "prod" is durable (it holds data that must outlive its stacks). Add --confirm to deploy it by hand: npx projen deploy:prod --confirm');
    expect(ask(['destroy', 'prod'])).toMatch(/Add --confirm to destroy it/);
    expect(ask(['deploy', 'prod', '--confirm'])).toBeUndefined();
    expect(ask(['deploy', 'prod'], { CI: 'true' })).toBeUndefined();
  });

  test('ephemeral stages and diffs go ahead', () => {
    expect(ask(['deploy', 'dev'])).toBeUndefined();
    expect(ask(['diff', 'staging'])).toBeUndefined();
  });
});

describe('cdkCommand', () => {
  const dev = config.environments[0];
  test('selects the stacks of the stage and never prompts in CI', () => {
    expect(cdkCommand(parseRequest(['deploy', 'dev'])!, dev, {})).toEqual(['deploy', 'dev/*']);
    expect(cdkCommand(parseRequest(['deploy', 'dev'])!, dev, { CI: 'true' })).toEqual(['deploy', 'dev/*', '--require-approval', 'never']);
    expect(cdkCommand(parseRequest(['destroy', 'dev', '--', '-v'])!, dev, {})).toEqual(['destroy', 'dev/*', '--force', '-v']);
  });
});

describe('main', () => {
  let errors: string[];
  const cwd = process.cwd();
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'fintech.config.json'), JSON.stringify(config));
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    jest.restoreAllMocks();
  });

  // AWS and the cdk CLI, injected: a bootstrapped region and a cdk that succeeds unless told otherwise.
  function dependencies(overrides: Partial<DeployDependencies> = {}): DeployDependencies & { cdkRuns: string[][] } {
    const cdkRuns: string[][] = [];
    return {
      callerIdentity: async () => ({ Account: '123456789012' }),
      bootstrapVersion: async () => '28',
      runCdk: args => { cdkRuns.push(args); return 0; },
      ...overrides,
      cdkRuns,
    };
  }

  test('stops before AWS when the stage is refused', async () => {
    const sts = jest.fn();
    expect(await main(['deploy', 'staging', '--confirm'], dependencies({ callerIdentity: sts }))).toBe(1);
    expect(sts).not.toHaveBeenCalled();
    expect(errors[0]).toMatch(/^fintech-deploy: refused\. Stage "staging" is durable but has no account/);
  });

  test('stops with the pre-check message when credentials are missing', async () => {
    const sts = jest.fn(async () => { throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }); });
    const deps = dependencies({ callerIdentity: sts });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(sts).toHaveBeenCalledWith('eu-west-1');
    expect(errors[0]).toMatch(/^fintech-deploy: deploy dev: .*CredentialsProviderError/);
    expect(deps.cdkRuns).toEqual([]);
  });

  test('refuses credentials of another account than the stage names', async () => {
    expect(await main(['deploy', 'prod', '--confirm'], dependencies({ callerIdentity: async () => ({ Account: '999999999999' }) }))).toBe(1);
    expect(errors[0]).toBe('fintech-deploy: refused. Stage "prod" belongs to account 123456789012, but your credentials are for 999999999999. Switch profile or role and try again.');
  });

  test('deploys the stage with cdk after the checks pass', async () => {
    const deps = dependencies();
    expect(await main(['deploy', 'prod', '--confirm', '--', '--exclusively'], deps)).toBe(0);
    expect(deps.cdkRuns).toEqual([cdkCommand(parseRequest(['deploy', 'prod', '--confirm', '--', '--exclusively'])!, config.environments[2], process.env)]);
    expect(errors).toEqual([]);
  });

  test('stops a deploy to a region that is not bootstrapped, with the bootstrap command for the stage\'s account', async () => {
    const deps = dependencies({ bootstrapVersion: async () => undefined, callerIdentity: async () => ({ Account: '111122223333' }) });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(deps.cdkRuns).toEqual([]);
    expect(errors).toEqual(['fintech-deploy: deploy dev: eu-west-1 of account 111122223333 is not bootstrapped for the CDK (no /cdk-bootstrap/hnb659fds/version parameter). ' +
      'Bootstrap it once, then run the command again: npx cdk bootstrap aws://111122223333/eu-west-1']);
  });

  test('goes on when the bootstrap version cannot be read, and never checks bootstrap for diff or destroy', async () => {
    const denied = jest.fn(async () => { throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' }); });
    const deps = dependencies({ bootstrapVersion: denied, runCdk: () => 3 });
    expect(await main(['deploy', 'dev'], deps)).toBe(3);
    expect(errors).toEqual(['fintech-deploy: could not read the CDK bootstrap version in eu-west-1 (AccessDeniedException); going on.']);
    denied.mockClear();
    expect(await main(['diff', 'dev'], dependencies({ bootstrapVersion: denied }))).toBe(0);
    expect(await main(['destroy', 'dev'], dependencies({ bootstrapVersion: denied }))).toBe(0);
    expect(denied).not.toHaveBeenCalled();
  });

  test('prints the usage for a malformed command line', async () => {
    expect(await main(['ship', 'dev'], dependencies())).toBe(2);
    expect(errors[0]).toMatch(/^usage: fintech-deploy/);
  });
});
