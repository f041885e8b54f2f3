import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MotoServer, motoMissing } from './moto-server';

// The deploy path of a generated repo, run for real against moto's server mode (a local AWS emulator): bootstrap
// pre-check, cdk bootstrap, deploy:dev, stack outputs, a deploy without change, destroy:dev, and the faults users meet.
// moto 5.2.1 implements CloudFormation, S3, SSM, STS, KMS, SQS, SNS, DynamoDB, IAM and Lambda (created, never run).
const missing = motoMissing();
if (missing) {
  console.log(`deploy rehearsal skipped: moto is missing (${missing}), so there is no local AWS emulator to deploy to; pip install "moto[server]" to run it.`);
}
const describeWithMoto = missing ? describe.skip : describe;

const ROOT = path.join(__dirname, '..', '..');
const WORK = missing ? '' : fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-rehearsal-'));
const APP = path.join(WORK, 'ledger');
const MINUTES = 60_000;
// The default environments give an ephemeral `dev` stage in us-east-1 (src/config/config-validation.ts).
const STAGE = 'dev';
const REGION = 'us-east-1';
// moto cannot hold AWS's public parameter /aws/service/powertools/...: the rehearsal bundles Powertools instead.
const LAYER_OFF = ['-c', 'fintech:powertools-layer=false'];
// "In seconds": a pre-check answers before any synth or asset upload (measured: a few seconds on 2 cores).
const PRECHECK_SECONDS = 30;

let moto: MotoServer;
let started = 0;
let generated = 0;
let account = '';

/** The generated repo's environment: fake keys for the emulator, nothing of this machine's AWS set-up, jest or CI. */
function rehearsalEnv(extra: NodeJS.ProcessEnv = {}, omit: string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('AWS_') || name.startsWith('CDK_') || ['CI', 'NODE_ENV', 'JEST_WORKER_ID'].includes(name)) continue;
    env[name] = value;
  }
  const result: NodeJS.ProcessEnv = {
    ...env,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: path.join(WORK, 'no-aws-credentials'),
    AWS_CONFIG_FILE: path.join(WORK, 'no-aws-config'),
    ...extra,
  };
  for (const name of omit) delete result[name];
  return result;
}

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

function run(command: string, args: string[], extra: NodeJS.ProcessEnv = {}, cwd: string = APP, omit: string[] = []): Run {
  const start = Date.now();
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { cwd, env: rehearsalEnv(extra, omit), encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, seconds: (Date.now() - start) / 1000 };
}

/** The command's output, for assertion messages: what the user saw, and what the emulator logged last. */
function shown(what: string, result: Run): string {
  return `${what} (exit ${result.status}, ${result.seconds.toFixed(1)} s):\n${result.output.slice(-6000)}\n--- moto log ---\n${moto.log().slice(-2000)}`;
}

function mustSucceed(what: string, result: Run): Run {
  if (result.status !== 0) throw new Error(`${shown(what, result)}`);
  return result;
}

/** Runs boto3 (installed with moto) against the emulator; the script prints one JSON value. */
function boto3(script: string): any {
  const result = run('python3', ['-c', `import boto3, json\n${script}`], {}, WORK);
  if (result.status !== 0) throw new Error(shown('boto3', result));
  return JSON.parse(result.output.trim());
}

interface StackArtifact {
  readonly stackName: string;
  readonly template: any;
}

/** The stacks of the stage in cdk.out, with their templates, as the last synth wrote them. */
function stageStacks(): StackArtifact[] {
  const dir = path.join(APP, 'cdk.out', `assembly-${STAGE}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
  return Object.entries<any>(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => ({
      stackName: artifact.properties?.stackName ?? id,
      template: JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf-8')),
    }));
}

/** Stack names of the emulator that are not deleted, with their status. */
function liveStacks(): Record<string, string> {
  return boto3(`
cfn = boto3.client('cloudformation')
stacks = {}
for page in cfn.get_paginator('list_stacks').paginate():
    for s in page['StackSummaries']:
        if s['StackStatus'] != 'DELETE_COMPLETE':
            stacks[s['StackName']] = s['StackStatus']
print(json.dumps(stacks))`);
}

beforeAll(async () => {
  if (missing) return;
  started = Date.now();
  moto = await MotoServer.start(path.join(WORK, 'moto.log'));
  try {
    // --no-post and one npm install: the rehearsal needs the installed repo, not projen new's lint and integ snapshot
    // (fintech-cdk-app.e2e.test.ts covers those); this saves a second install and a minute of the 3-minute budget.
    mustSucceed('projen new from the tarball', run('bash', [path.join(ROOT, 'scripts', 'generate-project.sh'), APP, '--team=payments',
      '--cost-center=cc-42', '--application=ledger', '--alarm-email=oncall@example.com', '--blueprints=starter', '--blueprints=payment-webhook',
      '--no-post'], {}, ROOT));
    mustSucceed('npm install', run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']));
    generated = Date.now();
    account = boto3("print(json.dumps(boto3.client('sts').get_caller_identity()['Account']))");
  } catch (error) {
    await moto.stop();
    throw error;
  }
}, 10 * MINUTES);

afterAll(async () => {
  if (missing) return;
  await moto?.stop();
  const seconds = (from: number, to: number) => Math.round((to - from) / 1000);
  console.log(`deploy rehearsal: ${seconds(started, Date.now())} s (${generated ? `${seconds(started, generated)} s generating and installing the repo` : 'the repo was not generated'})`);
  fs.rmSync(WORK, { recursive: true, force: true });
});

describeWithMoto(`deploy rehearsal of a generated repo (starter, payment-webhook) against moto, stage ${STAGE}`, () => {
  test('1. deploy:dev on an unbootstrapped account fails in seconds, naming cdk bootstrap', () => {
    const result = run('npx', ['projen', `deploy:${STAGE}`, '--', ...LAYER_OFF]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('is not bootstrapped for the CDK');
    expect(result.output).toContain(`npx cdk bootstrap aws://${account}/${REGION}`);
    expect(result.seconds).toBeLessThan(PRECHECK_SECONDS);
    expect(liveStacks()).toEqual({});
  });

  test('2. cdk bootstrap of the account moto reports succeeds', () => {
    mustSucceed('cdk bootstrap', run('npx', ['cdk', 'bootstrap', `aws://${account}/${REGION}`]));
    expect(liveStacks()).toEqual({ CDKToolkit: expect.stringMatching(/_COMPLETE$/) });
  }, 5 * MINUTES);

  test('3. deploy:dev with the Powertools layer off creates every stack of the stage', () => {
    mustSucceed('deploy:dev', run('npx', ['projen', `deploy:${STAGE}`, '--', ...LAYER_OFF], { CI: 'true' }));
    const stacks = stageStacks();
    // Ledger, PaymentWebhook and API Gateway's account settings. moto records each stack as created, but does not
    // create every resource in it (see step 4): this step proves the deploy path, not the resources.
    expect(stacks.length).toBeGreaterThanOrEqual(2);
    const live = liveStacks();
    for (const { stackName } of stacks) expect([stackName, live[stackName]]).toEqual([stackName, expect.stringMatching(/^(CREATE|UPDATE)_COMPLETE$/)]);
  }, 10 * MINUTES);

  test('4. the stack outputs are readable and are the ones the templates in cdk.out declare', () => {
    let declaredOutputs = 0;
    let outputsRead = 0;
    let outputsBlocked = 0;
    for (const { stackName, template } of stageStacks()) {
      const declared: Record<string, any> = template.Outputs ?? {};
      declaredOutputs += Object.keys(declared).length;
      const read = boto3(`
cfn = boto3.client('cloudformation')
name = ${JSON.stringify(stackName)}
body = cfn.get_template(StackName=name)['TemplateBody']
body = json.loads(body) if isinstance(body, str) else body
print(json.dumps({
    'outputs': cfn.describe_stacks(StackName=name)['Stacks'][0].get('Outputs', []),
    'deployed': body.get('Outputs', {}),
}, default=str))`);
      // The stack holds the outputs cdk.out declares.
      expect([stackName, read.deployed]).toEqual([stackName, declared]);
      if (read.outputs.length > 0 || Object.keys(declared).length === 0) {
        expect([stackName, read.outputs.map((o: any) => o.OutputKey).sort()]).toEqual([stackName, Object.keys(declared).sort()]);
        outputsRead += read.outputs.length;
        for (const output of read.outputs) {
          const value = declared[output.OutputKey].Value;
          // A literal is kept as written; an intrinsic (Ref, Fn::GetAtt, Fn::Join) resolves to a non-empty string.
          expect([stackName, output.OutputKey, output.OutputValue]).toEqual([stackName, output.OutputKey, typeof value === 'string' ? value : expect.stringMatching(/.+/)]);
        }
      } else {
        // moto 5.2.1 blocks reading the outputs' values: ExecuteChangeSet (cdk deploy's way) applies the resources but
        // keeps the output map of the empty REVIEW_IN_PROGRESS stack, so DescribeStacks lists no outputs. Their
        // resources could not stand in either: moto's first ExecuteChangeSet of a stack with a tagged AWS::KMS::Key
        // answers 500 (its KMS tagger expects TagKey, CloudFormation passes Key: KeyError 'TagKey'), the SDK's retry
        // then marks the stack CREATE_COMPLETE without creating the resources after the key (the tables are absent).
        // Asserted instead: the stack is readable and holds exactly the outputs cdk.out declares (above).
        console.log(`deploy rehearsal: moto lists no outputs for ${stackName} after ExecuteChangeSet; checked the ${Object.keys(declared).length} outputs its deployed template declares instead`);
        outputsBlocked += Object.keys(declared).length;
      }
    }
    // Without a declared output this step would prove nothing: the blueprints declare the table name and the API URL.
    expect(declaredOutputs).toBeGreaterThan(0);
    expect(outputsRead + outputsBlocked).toBe(declaredOutputs);
  });

  test('5. a second deploy:dev reports no changes', () => {
    const result = mustSucceed('second deploy:dev', run('npx', ['projen', `deploy:${STAGE}`, '--', ...LAYER_OFF], { CI: 'true' }));
    for (const { stackName } of stageStacks()) {
      expect([stackName, result.output]).toEqual([stackName, expect.stringMatching(new RegExp(`\\(${stackName}\\) \\(no changes\\)`))]);
    }
  }, 10 * MINUTES);

  test('6. destroy:dev removes every stack of the stage', () => {
    const names = stageStacks().map(s => s.stackName);
    mustSucceed('destroy:dev', run('npx', ['projen', `destroy:${STAGE}`], { CI: 'true' }));
    const left = liveStacks();
    expect(names.filter(name => name in left)).toEqual([]);
  }, 10 * MINUTES);

  // Faults users meet on day one (issue 20, point 3), against the bootstrapped emulator with no stack of the stage left.
  describe('7. faults', () => {
    const stageStackNames = () => stageStacks().map(s => s.stackName);

    test('no credentials: deploy:dev fails in seconds with the ways to authenticate', () => {
      const result = run('npx', ['projen', `deploy:${STAGE}`, '--', ...LAYER_OFF], { CI: 'true' }, APP, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('No AWS credentials');
      expect(result.output).toContain('aws sso login');
      // Against an emulator, any keys do: the message says so.
      expect(result.output).toContain('export AWS_ACCESS_KEY_ID=testing');
      expect(result.seconds).toBeLessThan(PRECHECK_SECONDS);
    });

    test('credentials the endpoint rejects: deploy:dev fails in seconds naming the STS error', async () => {
      // moto checks signatures only with its IAM authentication on (POST /moto-api/reset-auth, the server form of
      // INITIAL_NO_AUTH_ACTION_COUNT=0): then a key it did not issue is refused with InvalidClientTokenId, as AWS does.
      await moto.authenticate(true);
      let result: Run;
      try {
        result = run('npx', ['projen', `deploy:${STAGE}`, '--', ...LAYER_OFF], { CI: 'true' });
      } finally {
        await moto.authenticate(false);
      }
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('Credentials were found (environment variables)');
      expect(result.output).toContain('InvalidClientTokenId');
      expect(result.output).toContain(moto.endpoint);
      expect(result.seconds).toBeLessThan(PRECHECK_SECONDS);
      expect(stageStackNames().filter(name => name in liveStacks())).toEqual([]);
    });

    test('an SSM parameter the stacks resolve is missing: deploy:dev without the context value names it before deploying', () => {
      // The Powertools layer's public parameter: moto holds none under /aws/ (and refuses to create one).
      const result = run('npx', ['projen', `deploy:${STAGE}`], { CI: 'true' });
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(/\/aws\/service\/powertools\/typescript\/generic\/all\/\d+\.\d+\.\d+/);
      expect(result.output).toContain('fintech:powertools-layer=false');
      expect(stageStackNames().filter(name => name in liveStacks())).toEqual([]);
    }, 5 * MINUTES);

    test('a resource that cannot be created: deploy:dev fails naming it, and destroy:dev removes what is left', () => {
      // A parameter under /aws/ is reserved in AWS and in moto alike. The stage holds only this stack here, to keep it short.
      const main = path.join(APP, 'src', 'main.ts');
      const original = fs.readFileSync(main, 'utf-8');
      const broken = original
        .replace("import { App } from 'aws-cdk-lib';", "import { App, Stack } from 'aws-cdk-lib';\nimport { StringParameter } from 'aws-cdk-lib/aws-ssm';")
        .replace(/for \(const stage of FintechStage\.fromConfig\(app, config\)\) \{[^}]*\}/,
          "for (const stage of FintechStage.fromConfig(app, config)) {\n  new StringParameter(new Stack(stage, 'Broken'), 'Reserved', { parameterName: '/aws/fintech-rehearsal/reserved', stringValue: 'x' });\n}");
      expect(broken).toContain("new Stack(stage, 'Broken')");
      try {
        fs.writeFileSync(main, broken);
        const failed = run('npx', ['projen', `deploy:${STAGE}`, '--', ...LAYER_OFF], { CI: 'true' });
        expect(failed.status).not.toBe(0);
        expect(failed.output).toContain('No access to reserved parameter name: /aws/fintech-rehearsal/reserved');
        const [stackName] = stageStackNames();
        // AWS rolls a failed creation back (ROLLBACK_COMPLETE, which the next deploy:dev names and cdk replaces); moto
        // 5.2.1 blocks rehearsing that state: its ExecuteChangeSet has no rollback ("TODO: handle execution errors and
        // implement rollback" in moto/cloudformation/models.py), so the stack stays REVIEW_IN_PROGRESS, and a next
        // deploy fails on moto's side ("Stack with id cdk-deploy-change-set does not exist"). What can be asserted: the
        // failed stack is left, and destroy:dev removes it.
        expect([stackName, liveStacks()[stackName]]).toEqual([stackName, expect.stringMatching(/^(ROLLBACK_COMPLETE|REVIEW_IN_PROGRESS)$/)]);

        mustSucceed('destroy:dev after a failed creation', run('npx', ['projen', `destroy:${STAGE}`], { CI: 'true' }));
        expect(stackName in liveStacks()).toBe(false);
      } finally {
        fs.writeFileSync(main, original);
      }
    }, 10 * MINUTES);
  });
});
