import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkPlan, CdkExit, DeployDependencies, main, parseRequest, refusal, runForwardingInterrupt, splitCdkArgs } from '../../src/cli/fintech-deploy';
import { StackState } from '../../src/cli/stack-status-precheck';
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

describe('splitCdkArgs', () => {
  const assemblies = (dir: string) => dir === 'cdk.out' || dir === 'build/assembly';
  test('tells an assembly directory from an app command, and gathers context pairs in every spelling', () => {
    expect(splitCdkArgs(['--app', 'cdk.out', '-c', 'a=1', '--context=b=2', '--context', 'c=3', '--exclusively'], assemblies)).toEqual({
      assembly: 'cdk.out', context: ['-c', 'a=1', '--context', 'b=2', '--context', 'c=3'], rest: ['--exclusively'],
    });
    expect(splitCdkArgs(['-a', 'node app.js'], assemblies)).toEqual({ appCommand: 'node app.js', context: [], rest: [] });
    expect(splitCdkArgs(['--app=build/assembly', '-v'], assemblies)).toEqual({ assembly: 'build/assembly', context: [], rest: ['-v'] });
    expect(splitCdkArgs([], assemblies)).toEqual({ context: [], rest: [] });
  });
});

describe('cdkPlan', () => {
  const dev = config.environments[0];
  const assemblies = (dir: string) => dir === 'cdk.out';
  const plan = (argv: string[], env = {}) => cdkPlan(parseRequest(argv)!, dev, env, assemblies);

  test('deploy synthesizes once into cdk.out, context included, and deploys that assembly; never prompts in CI', () => {
    expect(plan(['deploy', 'dev', '--', '-c', 'fintech:powertools-layer=false', '--exclusively'])).toEqual({
      synth: ['synth', '--quiet', '--output', 'cdk.out', '-c', 'fintech:powertools-layer=false'],
      assembly: 'cdk.out',
      command: ['deploy', 'dev/*', '--app', 'cdk.out', '--build', '', '--exclusively'],
      ignoredContext: [],
    });
    expect(plan(['deploy', 'dev'], { CI: 'true' }).command).toEqual(['deploy', 'dev/*', '--app', 'cdk.out', '--build', '', '--require-approval', 'never']);
  });

  test('deploy of an assembly given with --app does not synthesize, and reports context it cannot apply', () => {
    expect(plan(['deploy', 'dev', '--', '--app', 'cdk.out', '-c', 'k=v'], { CI: 'true' })).toEqual({
      assembly: 'cdk.out',
      command: ['deploy', 'dev/*', '--app', 'cdk.out', '--build', '', '--require-approval', 'never'],
      ignoredContext: ['-c', 'k=v'],
    });
  });

  test('deploy with an app command synthesizes with it', () => {
    expect(plan(['deploy', 'dev', '--', '--app', 'node app.js']).synth).toEqual(['synth', '--quiet', '--output', 'cdk.out', '--app', 'node app.js']);
  });

  test('diff and destroy pass every argument through, --app included', () => {
    expect(plan(['diff', 'dev', '--', '--app', 'cdk.out'])).toEqual({ command: ['diff', 'dev/*', '--build', '', '--app', 'cdk.out'], ignoredContext: [] });
    expect(plan(['destroy', 'dev', '--', '--app', 'cdk.out', '-v']).command).toEqual(['destroy', 'dev/*', '--force', '--build', '', '--app', 'cdk.out', '-v']);
  });
});

// A cloud assembly like `cdk synth` writes for the config above: one nested assembly per stage, two stacks each.
function writeAssembly(dir: string, parameters: { [stack: string]: string[] } = {}, metadata: { [stack: string]: object } = {},
  regions: { [stack: string]: string } = {}): void {
  const nested = (stage: string) => ({ type: 'cdk:cloud-assembly', properties: { directoryName: `assembly-${stage}`, displayName: stage } });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { 'assembly-dev': nested('dev'), 'assembly-prod': nested('prod') } }));
  for (const stage of ['dev', 'prod']) {
    const sub = path.join(dir, `assembly-${stage}`);
    fs.mkdirSync(sub, { recursive: true });
    const artifacts: { [id: string]: object } = {};
    for (const name of ['Ledger', 'Webhook']) {
      const id = `${stage}${name}1234`;
      artifacts[id] = {
        type: 'aws:cloudformation:stack',
        environment: `aws://unknown-account/${regions[`${stage}-${name}`] ?? 'eu-west-1'}`,
        displayName: `${stage}/${name}`,
        properties: { templateFile: `${id}.template.json`, stackName: `${stage}-${name}` },
      };
      const ssm = Object.fromEntries((parameters[`${stage}-${name}`] ?? []).map((p, i) => [`P${i}`, { Type: 'AWS::SSM::Parameter::Value<String>', Default: p }]));
      fs.writeFileSync(path.join(sub, `${id}.template.json`), JSON.stringify({ Metadata: metadata[`${stage}-${name}`], Parameters: ssm, Resources: {} }));
    }
    fs.writeFileSync(path.join(sub, 'manifest.json'), JSON.stringify({ artifacts }));
  }
}

describe('main', () => {
  let errors: string[];
  let logs: string[];
  let saved: NodeJS.ProcessEnv;
  const cwd = process.cwd();
  beforeEach(() => {
    errors = [];
    logs = [];
    saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_ENDPOINT_URL') || name === 'CI') delete process.env[name];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { logs.push(args.join(' ')); });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'fintech.config.json'), JSON.stringify(config));
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    process.env = saved;
    jest.restoreAllMocks();
  });

  // AWS and the cdk CLI, injected: a bootstrapped region, every parameter present, no stack yet, and a cdk whose synth
  // writes the assembly above and which succeeds unless told otherwise.
  type Overrides = Partial<DeployDependencies> & {
    parameters?: { [stack: string]: string[] }; metadata?: { [stack: string]: object }; regions?: { [stack: string]: string };
  };
  function dependencies(overrides: Overrides = {}): DeployDependencies & { cdkRuns: string[][] } {
    const cdkRuns: string[][] = [];
    const { parameters, metadata, regions, ...rest } = overrides;
    return {
      callerIdentity: async () => ({ Account: '123456789012' }),
      bootstrapVersion: async () => '28',
      missingParameters: async () => [],
      stackStates: async () => new Map(),
      runCdk: async args => {
        cdkRuns.push(args);
        if (args[0] === 'synth') writeAssembly(args[args.indexOf('--output') + 1], parameters, metadata, regions);
        return { code: 0, interrupted: false };
      },
      ...rest,
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

  test('stops, naming the endpoint, when the endpoint rejects the keys', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wrong' });
    const rejected = Object.assign(new Error('The security token included in the request is invalid.'), { name: 'InvalidClientTokenId' });
    const deps = dependencies({ callerIdentity: async () => { throw rejected; } });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(logs).toEqual(['fintech-deploy: AWS_ENDPOINT_URL=http://localhost:4566 is set: targeting an emulator, not AWS']);
    expect(errors[0]).toMatch(/^fintech-deploy: deploy dev: Credentials were found \(environment variables.*\) but the endpoint http:\/\/localhost:4566 does not accept them: STS GetCallerIdentity in eu-west-1 answered InvalidClientTokenId/);
    expect(deps.cdkRuns).toEqual([]);
  });

  test('refuses credentials of another account than the stage names, also against an emulator', async () => {
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = 'http://localhost:5000';
    expect(await main(['deploy', 'prod', '--confirm'], dependencies({ callerIdentity: async () => ({ Account: '999999999999' }) }))).toBe(1);
    expect(logs).toEqual(['fintech-deploy: AWS_ENDPOINT_URL_CLOUDFORMATION=http://localhost:5000 is set: targeting an emulator, not AWS']);
    expect(errors[0]).toBe('fintech-deploy: refused. Stage "prod" belongs to account 123456789012, but your credentials are for 999999999999. Switch profile or role and try again.');
  });

  test('synthesizes once, checks the stage\'s stacks, then deploys that assembly', async () => {
    const looked: Array<[string, string[]]> = [];
    const deps = dependencies({ stackStates: async (region, names) => { looked.push([region, names]); return new Map(); } });
    expect(await main(['deploy', 'prod', '--confirm', '--', '-c', 'k=v', '--exclusively'], deps)).toBe(0);
    expect(deps.cdkRuns).toEqual([
      ['synth', '--quiet', '--output', 'cdk.out', '-c', 'k=v'],
      ['deploy', 'prod/*', '--app', 'cdk.out', '--build', '', '--exclusively'],
    ]);
    expect(looked).toEqual([['eu-west-1', ['prod-Ledger', 'prod-Webhook']]]);
    expect(errors).toEqual([]);
    expect(logs).toEqual(['fintech-deploy: synthesizing the app into cdk.out once; the deploy reads that assembly.']);
  });

  test('with --app naming an assembly, scans and deploys it without synthesizing', async () => {
    writeAssembly('build-assembly', { 'dev-Webhook': ['/aws/service/powertools/typescript/generic/all/2.35.0'] });
    const asked: string[][] = [];
    const deps = dependencies({ missingParameters: async (_region, names) => { asked.push(names); return []; } });
    expect(await main(['deploy', 'dev', '--', '--app', 'build-assembly'], deps)).toBe(0);
    expect(deps.cdkRuns).toEqual([['deploy', 'dev/*', '--app', 'build-assembly', '--build', '']]);
    expect(asked).toEqual([['/aws/service/powertools/typescript/generic/all/2.35.0']]);
  });

  test('stops before deploying when an SSM parameter the stage\'s stacks resolve is missing, with the emulator fix when one is targeted', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    const layer = '/aws/service/powertools/typescript/generic/all/2.35.0';
    const deps = dependencies({
      parameters: { 'dev-Webhook': [layer, '/app/dev/secret-arn'], 'prod-Webhook': ['/app/prod/only'] },
      missingParameters: async (_region, names) => names.filter(n => n === layer),
    });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(deps.cdkRuns.map(args => args[0])).toEqual(['synth']);
    expect(errors).toEqual([
      'fintech-deploy: deploy dev: these SSM parameters the stacks resolve at deploy time do not exist in eu-west-1, so CloudFormation would fail:\n' +
      `  ${layer} (needed by devWebhook1234)\n` +
      'An emulator holds none of AWS\'s public /aws/service/ parameters (moto refuses to create them): bundle Powertools for the rehearsal instead of its layer, ' +
      'with the context value fintech:powertools-layer=false: npx projen deploy:dev -- -c fintech:powertools-layer=false',
    ]);
  });

  test('stops before deploying when a stack of the stage was synthesized with a placeholder (UnsetInput), naming it and its fix', async () => {
    const unset = { 'fintech:unset-inputs': [{ input: 'web-domains.json stages.dev', fix: 'add the stage\'s domains and certificates under stages.dev' }] };
    const deps = dependencies({ metadata: { 'dev-Webhook': unset, 'prod-Webhook': { 'fintech:unset-inputs': [{ input: 'web-domains.json stages.prod', fix: 'x' }] } } });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(deps.cdkRuns.map(args => args[0])).toEqual(['synth']);
    expect(errors).toEqual([
      'fintech-deploy: deploy dev: these stacks were synthesized with placeholders for inputs of the account, so CloudFormation would fail on them:\n' +
      '  web-domains.json stages.dev (in devWebhook1234): add the stage\'s domains and certificates under stages.dev',
    ]);
  });

  test('stops before deploying when a stack is in a state CloudFormation cannot update, naming it and what to run', async () => {
    const states = new Map<string, StackState>([
      ['dev-Ledger', { status: 'UPDATE_IN_PROGRESS' }],
      ['dev-Webhook', { status: 'UPDATE_ROLLBACK_FAILED', reason: 'Resource Queue failed to roll back' }],
    ]);
    const deps = dependencies({ stackStates: async () => states });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(deps.cdkRuns.map(args => args[0])).toEqual(['synth']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^fintech-deploy: deploy dev: a stack of dev is in a state CloudFormation cannot deploy from:\n/);
    expect(errors[0]).toContain('dev/Ledger (stack dev-Ledger, eu-west-1) is UPDATE_IN_PROGRESS: another operation is running on it');
    expect(errors[0]).toContain('dev/Webhook (stack dev-Webhook, eu-west-1) is UPDATE_ROLLBACK_FAILED ("Resource Queue failed to roll back")');
    expect(errors[0]).toContain("npx cdk rollback --app cdk.out 'dev/Webhook'");
  });

  test('against an emulator, a stack an interrupted deploy left in REVIEW_IN_PROGRESS blocks (moto cannot replace its change set)', async () => {
    const review = new Map([['dev-Webhook', { status: 'REVIEW_IN_PROGRESS' }]]);
    expect(await main(['deploy', 'dev'], dependencies({ stackStates: async () => review }))).toBe(0);
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    const deps = dependencies({ stackStates: async () => review });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(deps.cdkRuns.map(args => args[0])).toEqual(['synth']);
    expect(errors[0]).toContain('dev/Webhook (stack dev-Webhook, eu-west-1) is REVIEW_IN_PROGRESS: a deploy was interrupted after creating its change set.');
  });

  test('a stack whose creation was rolled back is noted and deployed (cdk deletes and re-creates it)', async () => {
    const deps = dependencies({ stackStates: async () => new Map([['dev-Ledger', { status: 'ROLLBACK_COMPLETE' }]]) });
    expect(await main(['deploy', 'dev'], deps)).toBe(0);
    expect(deps.cdkRuns.map(args => args[0])).toEqual(['synth', 'deploy']);
    expect(errors).toEqual([expect.stringContaining('fintech-deploy: dev/Ledger (stack dev-Ledger, eu-west-1) is ROLLBACK_COMPLETE: its creation failed and was rolled back')]);
  });

  test('stops when synth fails, and when the assembly has no stack of the stage', async () => {
    expect(await main(['deploy', 'dev'], dependencies({ runCdk: async () => ({ code: 2, interrupted: false }) }))).toBe(2);
    expect(errors).toEqual(['fintech-deploy: deploy dev: cdk synth failed (exit 2); nothing was deployed.']);
    errors.length = 0;
    fs.mkdirSync('empty');
    fs.writeFileSync(path.join('empty', 'manifest.json'), JSON.stringify({ artifacts: {} }));
    expect(await main(['deploy', 'dev', '--', '--app', 'empty'], dependencies())).toBe(1);
    expect(errors).toEqual([expect.stringMatching(/^fintech-deploy: deploy dev: the cloud assembly in empty has no stack of stage dev/)]);
  });

  test('stops a deploy to a region that is not bootstrapped, with the bootstrap command for the stage\'s account', async () => {
    const deps = dependencies({ bootstrapVersion: async () => undefined, callerIdentity: async () => ({ Account: '111122223333' }) });
    expect(await main(['deploy', 'dev'], deps)).toBe(1);
    expect(deps.cdkRuns).toEqual([]);
    expect(errors).toEqual(['fintech-deploy: deploy dev: eu-west-1 of account 111122223333 is not bootstrapped for the CDK (no /cdk-bootstrap/hnb659fds/version parameter). ' +
      'Bootstrap it once, then run the command again: npx cdk bootstrap aws://111122223333/eu-west-1']);
  });

  test('checks the bootstrap of the replica regions before the synth, and of any other region a stack names after it', async () => {
    const withReplicas = { ...config, environments: [{ ...config.environments[0], replicaRegions: ['eu-central-1'] }] };
    fs.writeFileSync(path.join('src', 'fintech.config.json'), JSON.stringify(withReplicas));
    const asked: string[] = [];
    const replicaMissing = dependencies({ bootstrapVersion: async region => { asked.push(region); return region === 'eu-central-1' ? undefined : '28'; } });
    expect(await main(['deploy', 'dev'], replicaMissing)).toBe(1);
    expect(asked).toEqual(['eu-west-1', 'eu-central-1']);
    expect(replicaMissing.cdkRuns).toEqual([]);
    expect(errors).toEqual([expect.stringContaining('deploy dev: eu-central-1 of account 123456789012 is not bootstrapped for the CDK')]);

    errors.length = 0;
    asked.length = 0;
    const edgeMissing = dependencies({
      regions: { 'dev-Webhook': 'us-east-1' },
      bootstrapVersion: async region => { asked.push(region); return region === 'us-east-1' ? undefined : '28'; },
    });
    expect(await main(['deploy', 'dev'], edgeMissing)).toBe(1);
    expect(asked).toEqual(['eu-west-1', 'eu-central-1', 'us-east-1']);
    expect(edgeMissing.cdkRuns.map(args => args[0])).toEqual(['synth']);
    expect(errors).toEqual([expect.stringContaining('deploy dev: us-east-1 of account 123456789012 is not bootstrapped for the CDK (no /cdk-bootstrap/hnb659fds/version parameter). ' +
      'Bootstrap it once, then run the command again: npx cdk bootstrap aws://123456789012/us-east-1')]);
  });

  test('goes on when the bootstrap version cannot be read, and never checks bootstrap, parameters or states for diff or destroy', async () => {
    const denied = jest.fn(async () => { throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' }); });
    const deps = dependencies({ bootstrapVersion: denied });
    const failingDeploy = { ...deps, runCdk: async (args: string[]) => (args[0] === 'deploy' ? { code: 3, interrupted: false } : deps.runCdk(args)) };
    expect(await main(['deploy', 'dev'], failingDeploy)).toBe(3);
    expect(errors).toEqual(['fintech-deploy: could not read the CDK bootstrap version in eu-west-1 (AccessDeniedException); going on.']);
    denied.mockClear();
    const states = jest.fn(async () => new Map());
    const diff = dependencies({ bootstrapVersion: denied, missingParameters: denied, stackStates: states });
    expect(await main(['diff', 'dev', '--', '--app', 'cdk.out'], diff)).toBe(0);
    expect(await main(['destroy', 'dev'], diff)).toBe(0);
    expect(diff.cdkRuns).toEqual([['diff', 'dev/*', '--build', '', '--app', 'cdk.out'], ['destroy', 'dev/*', '--force']]);
    expect(denied).not.toHaveBeenCalled();
    expect(states).not.toHaveBeenCalled();
  });

  test('after Ctrl-C during the deploy, says in which state each stack was left and what to run', async () => {
    let deployed = false;
    const deps = dependencies();
    const interrupted: DeployDependencies = {
      ...deps,
      runCdk: async args => {
        if (args[0] !== 'deploy') return deps.runCdk(args);
        deployed = true;
        return { code: 1, interrupted: true } as CdkExit;
      },
      stackStates: async () => (deployed ? new Map([['dev-Webhook', { status: 'UPDATE_IN_PROGRESS' }]]) : new Map()),
    };
    expect(await main(['deploy', 'dev'], interrupted)).toBe(130);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^fintech-deploy: deploy dev interrupted \(Ctrl-C\)\. cdk stopped, but CloudFormation goes on/);
    expect(errors[0]).toContain('dev/Webhook (stack dev-Webhook, eu-west-1) is UPDATE_IN_PROGRESS');
    expect(errors[0]).toContain('then run npx projen deploy:dev again');
  });

  test('after Ctrl-C with every stack settled, says the next deploy finishes; without states, says what each state needs', async () => {
    const deps = dependencies();
    const settled: DeployDependencies = { ...deps, runCdk: async args => (args[0] === 'deploy' ? { code: 1, interrupted: true } : deps.runCdk(args)) };
    expect(await main(['deploy', 'dev'], settled)).toBe(130);
    expect(errors[0]).toContain('No stack of dev is in progress or failed: run npx projen deploy:dev again to finish.');
    errors.length = 0;
    let calls = 0;
    const unreadable: DeployDependencies = {
      ...settled,
      stackStates: async () => { if (calls++ > 0) throw Object.assign(new Error('x'), { name: 'TimeoutError' }); return new Map(); },
    };
    expect(await main(['deploy', 'dev'], unreadable)).toBe(130);
    expect(errors[0]).toContain("Could not read the stacks' states (TimeoutError).");
    expect(errors[0]).toContain('The next npx projen deploy:dev continues once no stack of dev is in an *_IN_PROGRESS state');
  });

  test('Ctrl-C while synthesizing deploys nothing', async () => {
    const deps = dependencies({ runCdk: async () => ({ code: 130, interrupted: true }) });
    expect(await main(['deploy', 'dev'], deps)).toBe(130);
    expect(errors).toEqual(['fintech-deploy: deploy dev interrupted while synthesizing; nothing was deployed.']);
  });

  test('prints the usage for a malformed command line', async () => {
    expect(await main(['ship', 'dev'], dependencies())).toBe(2);
    expect(errors[0]).toMatch(/^usage: fintech-deploy/);
  });
});

describe('runForwardingInterrupt', () => {
  test('forwards Ctrl-C to the command instead of dying, and reports it was interrupted', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigint-'));
    const ready = path.join(dir, 'ready');
    // Stands in for cdk: exits 7 on SIGINT, after saying (through a file) that its handler is installed.
    const script = `process.on('SIGINT', () => process.exit(7)); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => undefined, 1000);`;
    const before = process.listenerCount('SIGINT');
    const run = runForwardingInterrupt(process.execPath, ['-e', script]);
    while (!fs.existsSync(ready)) await new Promise(resolve => setTimeout(resolve, 20));
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    process.emit('SIGINT', 'SIGINT');
    expect(await run).toEqual({ code: 7, interrupted: true });
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  test('passes the exit code through when nobody interrupts', async () => {
    expect(await runForwardingInterrupt(process.execPath, ['-e', 'process.exit(3)'])).toEqual({ code: 3, interrupted: false });
  });
});
