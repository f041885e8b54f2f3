import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, generate, mustRun, nestedEnv, run } from './generated-repo';

// One repo generated from the packed tarball serves every assertion below (generation and build take minutes).
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-e2e-'));
const APP = path.join(WORK, 'ledger');
const MINUTES = 60_000;

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(APP, file), 'utf-8'));

/** Every stack template of a stage, their resources merged (logical ids are unique per stack, prefixed by the stack file). */
function template(stage: string) {
  const dir = path.join(APP, 'cdk.out', `assembly-${stage}`);
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.template.json'));
  if (files.length === 0) throw new Error(`no template in ${dir}`);
  const Resources: Record<string, unknown> = {};
  for (const file of files) {
    const resources = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8')).Resources ?? {};
    for (const [id, resource] of Object.entries(resources)) Resources[`${file}:${id}`] = resource;
  }
  return { Resources };
}

function resourcesOf(tpl: any, type: string): any[] {
  return Object.values(tpl.Resources).filter((r: any) => r.Type === type);
}

let staleSnapshot: SpawnSyncReturns<string>;

beforeAll(() => {
  const created = generate(APP, ['--team=payments', '--cost-center=cc-42', '--application=ledger', '--alarm-email=oncall@example.com',
    '--blueprints=payment-webhook', '--blueprints=starter', '--blueprints=transaction-web-app', '--blueprints=fraud-detection-api',
    '--blueprints=trade-pipeline', '--blueprints=observability']);
  if (created.status !== 0) throw new Error(`projen new failed:\n${created.stdout}\n${created.stderr}`);

  // Non-default environments and tags are edited into .projenrc.ts, the single source of truth.
  const projenrc = path.join(APP, '.projenrc.ts');
  const source = fs.readFileSync(projenrc, 'utf-8');
  const edited = source.replace(/new FintechCdkApp\(\{/, `$&
  environments: [
    { name: 'sandbox', region: 'eu-west-1' },
    { name: 'live', account: '123456789012', region: 'eu-central-1', durable: true, replicaRegions: ['eu-west-1'] },
  ],
  extraTags: { DataClassification: 'pci' },`);
  if (edited === source) throw new Error(`could not find "new FintechCdkApp({" in ${projenrc}:\n${source}`);
  fs.writeFileSync(projenrc, edited);

  mustRun('npx', ['projen'], APP);
  // New tags and stages change what the integ test deploys: verification must notice, then a new snapshot is taken.
  // One test is enough to show it (and each integ synth of the three blueprints costs seconds).
  staleSnapshot = run('npx', ['projen', 'integ:verify', 'integ.ledger.ts'], APP);
  mustRun('npx', ['projen', 'integ:snapshot'], APP);
  mustRun('npx', ['projen', 'build'], APP);
}, 25 * MINUTES);

afterAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
});

describe('a repo generated with projen new --from the tarball', () => {
  test('records the tarball and the options in .projenrc.ts', () => {
    const projenrc = fs.readFileSync(path.join(APP, '.projenrc.ts'), 'utf-8');
    expect(projenrc).toMatch(/import \{ FintechCdkApp \} from ['"]fintech-infra-template['"]/);
    expect(projenrc).toMatch(/team: ['"]payments['"]/);
    expect(projenrc).toMatch(/costCenter: ['"]cc-42['"]/);
    expect(projenrc).toMatch(/cdkVersion: ['"]2\.257\.0['"]/);
    expect(readJson('package.json').dependencies['fintech-infra-template']).toMatch(/^file:.*fintech-infra-template@.*\.jsii\.tgz$/);
  });

  test('pins aws-cdk-lib, the CLI and TypeScript to versions that work together', () => {
    const pkg = readJson('package.json');
    expect(pkg.dependencies['aws-cdk-lib']).toBe('2.257.0');
    expect(pkg.devDependencies['aws-cdk']).toBe('2.1148.1');
    expect(pkg.devDependencies.typescript).toBe('~5.9.0');
    expect(readJson('node_modules/aws-cdk-lib/package.json').version).toBe('2.257.0');
  });

  test('materialises the environments of .projenrc.ts in the managed config file', () => {
    const config = readJson('src/fintech.config.json');
    expect(config.environments).toEqual([
      { name: 'sandbox', region: 'eu-west-1', durable: false },
      { name: 'live', account: '123456789012', region: 'eu-central-1', durable: true, replicaRegions: ['eu-west-1'] },
    ]);
    expect(config.extraTags).toEqual({ DataClassification: 'pci' });
  });

  test('synthesizes one stage per environment with its account and region', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(APP, 'cdk.out', 'assembly-live', 'manifest.json'), 'utf-8'));
    const stacks = Object.values(manifest.artifacts).filter((a: any) => a.type === 'aws:cloudformation:stack') as any[];
    // Every stack in the home region, but the web app's edge stacks (CloudFront's WAF and log bucket live in us-east-1)
    // and the one the trade pipeline's global table needs in the replica region.
    const environments = Object.fromEntries(stacks.map(a => [a.properties.stackName, a.environment]));
    expect(environments).toEqual({
      'live-ApiGatewayAccount': 'aws://123456789012/eu-central-1',
      'live-Edge': 'aws://123456789012/us-east-1',
      'live-TransactionWebApp-EdgeLogs': 'aws://123456789012/us-east-1',
      'live-Ledger': 'aws://123456789012/eu-central-1',
      'live-PaymentWebhook': 'aws://123456789012/eu-central-1',
      'live-TransactionWebApp': 'aws://123456789012/eu-central-1',
      'live-FraudDetectionApi': 'aws://123456789012/eu-central-1',
      'live-TradePipeline': 'aws://123456789012/eu-central-1',
      'live-Replicas-eu-west-1': 'aws://123456789012/eu-west-1',
      'live-Observability': 'aws://123456789012/eu-central-1',
    });
    expect(fs.existsSync(path.join(APP, 'cdk.out', 'assembly-sandbox'))).toBe(true);
    expect(fs.existsSync(path.join(APP, 'cdk.out', 'assembly-dev'))).toBe(false);
  });

  test('tags every taggable resource, extra tags included', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Events::EventBus']) {
      for (const resource of resourcesOf(template('live'), type)) {
        expect(resource.Properties.Tags).toEqual(expect.arrayContaining([
          { Key: 'Environment', Value: 'live' },
          { Key: 'Team', Value: 'payments' },
          { Key: 'CostCenter', Value: 'cc-42' },
          { Key: 'Application', Value: 'ledger' },
          { Key: 'DataClassification', Value: 'pci' },
        ]));
      }
    }
  });

  test('applies removal policies by stage: sandbox destroys, live retains and protects', () => {
    const table = (stage: string, name: string) => resourcesOf(template(stage), 'AWS::DynamoDB::Table').find(t => t.Properties.TableName === name);
    for (const base of ['entries', 'payments', 'idempotency']) {
      expect(table('sandbox', `ledger-${base}-sandbox`).DeletionPolicy).toBe('Delete');
      expect(table('live', `ledger-${base}-live`).DeletionPolicy).toBe('Retain');
      expect(table('live', `ledger-${base}-live`).Properties.DeletionProtectionEnabled).toBe(true);
    }
    // Every bucket of the ephemeral stage is emptied before it is deleted, so the stage can be destroyed.
    const emptied = resourcesOf(template('sandbox'), 'Custom::S3AutoDeleteObjects').map(r => r.Properties.BucketName.Ref).sort();
    const buckets = Object.entries(template('sandbox').Resources).filter(([, r]: [string, any]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id.split(':')[1]).sort();
    expect(emptied).toEqual(buckets);
    expect(buckets.length).toBeGreaterThanOrEqual(3);
  });

  test('integ:verify failed on the snapshot taken before the options changed, with a readable diff', () => {
    expect(staleSnapshot.status).not.toBe(0);
    const output = staleSnapshot.stdout + staleSnapshot.stderr;
    expect(output).toContain('CHANGED  integ.ledger.ts');
    expect(output).toMatch(/~ assembly-integ\/integLedger[0-9A-F]{8}\.template\.json Resources\.\w+\.Properties\.Tags/);
    expect(output).toContain('{"Key":"DataClassification","Value":"pci"}');
    expect(output).toContain('run `npx projen integ:snapshot` and commit the snapshots');
  });

  test('ran the unit tests and the rule pack without findings', () => {
    expect(fs.existsSync(path.join(APP, 'test-reports', 'junit.xml'))).toBe(true);
    const junit = fs.readFileSync(path.join(APP, 'test-reports', 'junit.xml'), 'utf-8');
    expect(junit).toMatch(/failures="0"/);
    const report = JSON.parse(fs.readFileSync(path.join(APP, 'cdk.out', 'policy-validation-report.json'), 'utf-8'));
    expect(report.pluginReports.filter((p: any) => p.summary.status === 'failure')).toEqual([]);
  });

  test('writes the six blueprints, and main.ts creates their stacks in every stage', () => {
    const main = fs.readFileSync(path.join(APP, 'src', 'main.ts'), 'utf-8');
    expect(main).toContain("new PaymentWebhookStack(stage, 'PaymentWebhook');");
    expect(main).toContain("new LedgerStack(stage, 'Ledger');");
    expect(main).toMatch(/new TransactionWebAppStack\(stage, 'TransactionWebApp'/);
    expect(main).toMatch(/new FraudDetectionApiStack\(stage, 'FraudDetectionApi'/);
    expect(main).toMatch(/new TradePipelineStack\(stage, 'TradePipeline'/);
    expect(readJson('package.json').dependencies['@aws-lambda-powertools/idempotency']).toBeDefined();
  });

  test('observability, created last in every stage, observes the five workloads: KPI alarms, canaries on the webhook API and the web app, no finding', () => {
    const main = fs.readFileSync(path.join(APP, 'src', 'main.ts'), 'utf-8');
    expect(main).toMatch(/new TradePipelineStack\(stage, 'TradePipeline'\);\n {2}\/\/ Last: it observes every stack created above in this stage\.\n {2}new ObservabilityStack\(stage, 'Observability', \{/);
    const dir = path.join(APP, 'cdk.out', 'assembly-live');
    const tpl = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(f => /^liveObservability[0-9A-F]{8}\.template\.json$/.test(f))!), 'utf-8'));
    expect(resourcesOf(tpl, 'AWS::XRay::SamplingRule').map((r: any) => r.Properties.SamplingRule.FixedRate)).toEqual([0.1]);
    expect(resourcesOf(tpl, 'AWS::XRay::Group')).toHaveLength(3);
    expect(resourcesOf(tpl, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(resourcesOf(tpl, 'AWS::Synthetics::Canary').map((r: any) => r.Properties.Name).sort()).toEqual(['ledger-web-live', 'ledger-webhooks-live']);
    const expressions = resourcesOf(tpl, 'AWS::CloudWatch::Alarm').flatMap((r: any) => (r.Properties.Metrics ?? []).map((m: any) => m.Expression).filter(Boolean));
    expect(expressions).toContain('FILL(succeeded, 0) + FILL(failed, 0)');
    // The processor publishes the payment KPIs with PaymentKpis, bundled from the installed package.
    const webhooks = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(f => /^livePaymentWebhook[0-9A-F]{8}\.template\.json$/.test(f))!), 'utf-8'));
    const processor: any = resourcesOf(webhooks, 'AWS::Lambda::Function').find((f: any) => f.Properties.FunctionName === 'ledger-webhook-processor-live');
    expect(processor.Properties.Environment.Variables.FINTECH_STAGE).toBe('live');
    const bundle = fs.readFileSync(path.join(dir, processor.Metadata['aws:asset:path'], 'index.js'), 'utf-8');
    expect(bundle).toContain('PaymentSucceeded');
    const junit = fs.readFileSync(path.join(APP, 'test-reports', 'junit.xml'), 'utf-8');
    expect(junit).toContain('finds the workload of the stage: the payment function and its API');
    expect(fs.existsSync(path.join(APP, 'test', 'integ', 'integ.observability.ts.snapshot', 'manifest.json'))).toBe(true);
  });

  test('the payment-webhook handlers were bundled with the local esbuild and their unit tests ran in the build', () => {
    const functions = resourcesOf(template('live'), 'AWS::Lambda::Function').filter(f => /ledger-(webhook-receiver|webhook-processor|payment-audit)-live/.test(f.Properties.FunctionName));
    expect(functions).toHaveLength(3);
    const junit = fs.readFileSync(path.join(APP, 'test-reports', 'junit.xml'), 'utf-8');
    for (const suite of ['receiver', 'processor', 'audit']) expect(junit).toContain(`name="${suite}`);
    expect(fs.existsSync(path.join(APP, 'test', 'integ', 'integ.payment-webhook.ts.snapshot', 'manifest.json'))).toBe(true);
  });

  test('the payment-webhook handlers run on the Powertools layer of the installed version, each bundle a few KB (goal: at most 150 KB)', () => {
    const dir = path.join(APP, 'cdk.out', 'assembly-live');
    const installed = readJson('node_modules/@aws-lambda-powertools/commons/package.json').version;
    const bundles: Record<string, number> = {};
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.template.json'))) {
      const tpl = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
      for (const fn of resourcesOf(tpl, 'AWS::Lambda::Function').filter(f => /ledger-(webhook-receiver|webhook-processor|payment-audit)-live/.test(f.Properties.FunctionName))) {
        const [layer, ...others] = fn.Properties.Layers;
        expect(others).toEqual([]);
        expect(tpl.Parameters[layer.Ref]).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: `/aws/service/powertools/typescript/generic/all/${installed}` });
        // The asset path is relative to the stage's assembly; the bundle asks the layer for Powertools.
        const bundle = path.join(dir, fn.Metadata['aws:asset:path'], 'index.js');
        expect(fs.readFileSync(bundle, 'utf-8')).toContain('require("@aws-lambda-powertools/');
        bundles[fn.Properties.FunctionName] = fs.statSync(bundle).size;
      }
    }
    expect(Object.keys(bundles).sort()).toEqual(['ledger-payment-audit-live', 'ledger-webhook-processor-live', 'ledger-webhook-receiver-live']);
    for (const size of Object.values(bundles)) expect(size).toBeLessThan(150 * 1024);
  });

  test('the transaction web app synthesizes without Docker: its image context is staged, its tests ran, a stage without domains is marked unset', () => {
    const live = template('live');
    expect(resourcesOf(live, 'AWS::ECS::Service')).toHaveLength(1);
    expect(resourcesOf(live, 'AWS::RDS::DBCluster')).toHaveLength(1);
    expect(resourcesOf(live, 'AWS::CloudFront::Distribution')).toHaveLength(1);
    const [cluster] = resourcesOf(live, 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({ StorageEncrypted: true, EnableIAMDatabaseAuthentication: true, DeletionProtection: true });
    // ContainerImage.fromAsset only copies the build context into cdk.out; docker runs at deploy, when the asset is published.
    const assets = JSON.parse(fs.readFileSync(path.join(APP, 'cdk.out', 'assembly-live', fs.readdirSync(path.join(APP, 'cdk.out', 'assembly-live'))
      .find(f => /TransactionWebApp[0-9A-F]{8}\.assets\.json$/.test(f))!), 'utf-8'));
    const images = Object.values(assets.dockerImages ?? {}) as any[];
    expect(images).toHaveLength(1);
    expect(fs.existsSync(path.join(APP, 'cdk.out', 'assembly-live', images[0].source.directory, 'Dockerfile'))).toBe(true);
    const junit = fs.readFileSync(path.join(APP, 'test-reports', 'junit.xml'), 'utf-8');
    expect(junit).toContain('the schema is created on deploy by a custom resource');
    expect(fs.existsSync(path.join(APP, 'test', 'integ', 'integ.transaction-web-app.ts.snapshot', 'manifest.json'))).toBe(true);
    // web-domains.json ships empty: every stage is synthesized with placeholders, which deploy:<stage> refuses before deploying.
    const sandbox = fs.readdirSync(path.join(APP, 'cdk.out', 'assembly-sandbox')).filter(f => /TransactionWebApp[0-9A-F]{8}\.template\.json$/.test(f));
    const metadata = JSON.parse(fs.readFileSync(path.join(APP, 'cdk.out', 'assembly-sandbox', sandbox[0]), 'utf-8')).Metadata;
    expect(metadata['fintech:unset-inputs']).toEqual([expect.objectContaining({ input: expect.stringContaining('sandbox') })]);
  });

  test('the fraud-detection-api functions run in a VPC with no internet path, reaching AWS through its endpoints; its tests ran', () => {
    const dir = path.join(APP, 'cdk.out', 'assembly-live');
    const file = fs.readdirSync(dir).find(f => /FraudDetectionApi[0-9A-F]{8}\.template\.json$/.test(f))!;
    const tpl = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
    expect(resourcesOf(tpl, 'AWS::EC2::InternetGateway')).toEqual([]);
    expect(resourcesOf(tpl, 'AWS::EC2::NatGateway')).toEqual([]);
    expect(resourcesOf(tpl, 'AWS::EC2::Route').filter((r: any) => r.Properties.DestinationCidrBlock === '0.0.0.0/0')).toEqual([]);
    const endpoints = resourcesOf(tpl, 'AWS::EC2::VPCEndpoint').map((e: any) => JSON.stringify(e.Properties.ServiceName));
    for (const service of ['dynamodb', 'sqs', 'sns']) expect(endpoints.some(name => name.includes(`.${service}`))).toBe(true);
    const functions = resourcesOf(tpl, 'AWS::Lambda::Function').filter((f: any) => /ledger-fraud-(scorer|reviewer)-live/.test(f.Properties.FunctionName));
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect(fn.Properties.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
    const junit = fs.readFileSync(path.join(APP, 'test-reports', 'junit.xml'), 'utf-8');
    expect(junit).toContain('the rule pack finds no error and no warning in either kind of stage');
    expect(fs.existsSync(path.join(APP, 'test', 'integ', 'integ.fraud-detection-api.ts.snapshot', 'manifest.json'))).toBe(true);
  });

  test('the trade pipeline replicates its table to the live stage\'s replica region, keyed there by a key of that region; every task retries and catches; its tests ran', () => {
    const dir = path.join(APP, 'cdk.out', 'assembly-live');
    const read = (pattern: RegExp) => JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find(f => pattern.test(f))!), 'utf-8'));
    const pipeline = read(/TradePipeline[0-9A-F]{8}\.template\.json$/);
    const replicas = read(/Replicaseuwest1[0-9A-F]{8}\.template\.json$/);
    const [table] = resourcesOf(pipeline, 'AWS::DynamoDB::GlobalTable');
    expect(table.Properties.Replicas.map((r: any) => r.Region).sort()).toEqual(['eu-central-1', 'eu-west-1']);
    for (const replica of table.Properties.Replicas) {
      expect(replica).toMatchObject({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true });
      expect(replica.SSESpecification.KMSMasterKeyId).toBeDefined();
    }
    const westKey = table.Properties.Replicas.find((r: any) => r.Region === 'eu-west-1').SSESpecification.KMSMasterKeyId;
    expect(JSON.stringify(westKey)).toContain(':kms:eu-west-1:123456789012:alias/');
    expect(resourcesOf(replicas, 'AWS::KMS::Key')).not.toHaveLength(0);
    // Each Task state of the workflow has a Retry and a Catch (the definition is a join of strings and references).
    const [machine] = resourcesOf(pipeline, 'AWS::StepFunctions::StateMachine');
    const body = machine.Properties.DefinitionString['Fn::Join'][1].map((part: unknown) => typeof part === 'string' ? part : 'ref').join('');
    const tasks = Object.values(JSON.parse(body).States).filter((state: any) => state.Type === 'Task') as any[];
    expect(tasks.length).toBeGreaterThanOrEqual(4);
    for (const task of tasks) {
      expect(task.Retry.length).toBeGreaterThan(0);
      expect(task.Catch.length).toBeGreaterThan(0);
    }
    const junit = fs.readFileSync(path.join(APP, 'test-reports', 'junit.xml'), 'utf-8');
    expect(junit).toContain('the rule pack finds no error and no warning in either kind of stage, the replica region');
    expect(fs.existsSync(path.join(APP, 'test', 'integ', 'integ.trade-pipeline.ts.snapshot', 'manifest.json'))).toBe(true);
  });

  test('fintech-checks writes a SARIF log and a Markdown summary per stage', () => {
    mustRun('npx', ['projen', 'fintech-checks'], APP);
    const dir = path.join(APP, 'reports', 'fintech-checks');
    expect(fs.readdirSync(dir).sort()).toEqual(['live.md', 'live.sarif', 'sandbox.md', 'sandbox.sarif']);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'live.sarif'), 'utf-8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThan(20);
    expect(sarif.runs[0].results.filter((r: any) => r.level === 'error' && !r.suppressions)).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'sandbox.md'), 'utf-8')).toMatch(/^# FintechChecks: stage sandbox\n\nPASSED/);
  }, 5 * MINUTES);

  test('diagram draws the first stage of the synthesized app in docs/architecture.md; the README shows the blueprint drawing', () => {
    mustRun('npx', ['projen', 'diagram'], APP);
    const page = fs.readFileSync(path.join(APP, 'docs', 'architecture.md'), 'utf-8');
    expect(page).toContain('from the `sandbox` stage of `cdk.out`');
    expect(page).toMatch(/## sandbox\/PaymentWebhook\n\n```mermaid\nflowchart LR\n[^`]* -->\|"POST \/webhooks"\| r_Receiver[^`]*```/);
    expect(page).toMatch(/## sandbox\/Ledger\n\n```mermaid\n/);
    expect(fs.readFileSync(path.join(APP, 'README.md'), 'utf-8')).toContain('```mermaid\nflowchart LR\n');
  }, 5 * MINUTES);

  test('integ:deploy first names what the web app\'s and the trade pipeline\'s integ tests need from the account, before any AWS call', () => {
    const result = spawnSync('npx', ['projen', 'integ:deploy'], { cwd: APP, env: { ...nestedEnv, HOME: WORK }, encoding: 'utf-8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('these integ tests need values from the account they deploy to, and the environment does not set them:');
    for (const name of ['FINTECH_INTEG_DOMAIN', 'FINTECH_INTEG_HOSTED_ZONE_ID', 'FINTECH_INTEG_CERTIFICATE_ARN', 'FINTECH_INTEG_EDGE_CERTIFICATE_ARN', 'FINTECH_INTEG_ACCOUNT']) {
      expect(result.stderr).toContain(`  ${name}: `);
    }
    expect(result.stderr).not.toContain('No AWS credentials were found');
  }, 5 * MINUTES);

  test('integ:deploy and deploy:<stage> stop at the credentials pre-check with the ways to authenticate', () => {
    const noCredentials = { ...nestedEnv };
    for (const name of Object.keys(noCredentials).filter(n => n.startsWith('AWS_') && n !== 'AWS_REGION')) delete noCredentials[name];
    // What the web app's and the trade pipeline's integ tests need from the account, given, so the pre-check goes on to the credentials.
    Object.assign(noCredentials, {
      FINTECH_INTEG_ACCOUNT: '123456789012',
      FINTECH_INTEG_DOMAIN: 'integ.example.com',
      FINTECH_INTEG_HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
      FINTECH_INTEG_CERTIFICATE_ARN: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      FINTECH_INTEG_EDGE_CERTIFICATE_ARN: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    });
    for (const task of ['integ:deploy', 'deploy:sandbox']) {
      const result = spawnSync('npx', ['projen', task], { cwd: APP, env: { ...noCredentials, HOME: WORK }, encoding: 'utf-8' });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('No AWS credentials were found');
      expect(result.stderr).toContain('aws sso login');
      expect(result.stderr).toContain('npx projen integ:snapshot and npx projen integ:verify');
    }
  }, 5 * MINUTES);

  test('fails synth on a rule finding, and an acknowledgement with a reason silences that one finding', () => {
    const main = path.join(APP, 'src', 'main.ts');
    const original = fs.readFileSync(main, 'utf-8');
    const withRetainedBucket = original
      .replace("import { App } from 'aws-cdk-lib';", "import { App, Stack, Validations } from 'aws-cdk-lib';\nimport { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket } from 'aws-cdk-lib/aws-s3';")
      .replace("  new LedgerStack(stage, 'Ledger');", `  new LedgerStack(stage, 'Ledger');
  if (!stage.durable) {
    // A bucket that passes every other rule, kept by an escape hatch in an ephemeral stage.
    const bucket = new Bucket(new Stack(stage, 'Extra'), 'Leftover', { encryption: BucketEncryption.S3_MANAGED, blockPublicAccess: BlockPublicAccess.BLOCK_ALL, enforceSSL: true });
    (bucket.node.defaultChild as CfnBucket).addOverride('DeletionPolicy', 'Retain');
    // ACK
  }
  void Validations;`);
    try {
      fs.writeFileSync(main, withRetainedBucket);
      const failing = run('npx', ['projen', 'synth:silent'], APP);
      expect(failing.status).not.toBe(0);
      expect(failing.stdout + failing.stderr).toMatch(/Fintech-C02-\w+/);
      expect(failing.stdout + failing.stderr).toContain('FintechChecks found 1 error:');
      expect(failing.stdout + failing.stderr).toContain('Fintech-C02-EphemeralRetainsData  sandbox/Extra/Leftover/Resource');

      const rule = /(Fintech-C02-\w+)/.exec(failing.stdout + failing.stderr)![1];
      fs.writeFileSync(main, withRetainedBucket.replace('// ACK', `Validations.of(bucket).acknowledge({ id: '${rule}', reason: 'kept for the e2e test' });`));
      const acknowledged = run('npx', ['projen', 'synth:silent'], APP);
      expect(acknowledged.stdout + acknowledged.stderr).not.toMatch(/Validation failed/);
      expect(acknowledged.status).toBe(0);
    } finally {
      fs.writeFileSync(main, original);
    }
  }, 5 * MINUTES);
});

describe('upgrading the template in a generated repo', () => {
  // The user's sample files: written once by projen new, theirs afterwards. ledger-stack.ts also carries a user edit.
  const samples = ['src/main.ts', 'src/ledger-stack.ts', 'src/payment-webhook-stack.ts', 'src/handlers/receiver.ts',
    'test/ledger-stack.test.ts', 'test/payment-webhook-stack.test.ts', 'test/integ/integ.ledger.ts', 'README.md'];
  const userEdit = '\n// Our own note: kept across template upgrades.\n';
  const before: Record<string, string> = {};
  let upgradedVersion: string;
  let upgradedTarball: string;

  beforeAll(() => {
    // A changed template: the packed tarball with a managed default changed in lib/ and a bumped version.
    const [tarball] = fs.readdirSync(path.join(ROOT, 'dist', 'js')).filter(f => /^fintech-infra-template@.*\.jsii\.tgz$/.test(f));
    const unpacked = path.join(WORK, 'upgrade');
    fs.mkdirSync(unpacked, { recursive: true });
    mustRun('tar', ['-xzf', path.join(ROOT, 'dist', 'js', tarball), '-C', unpacked], ROOT);
    const pkg = path.join(unpacked, 'package');
    const integTasks = path.join(pkg, 'lib', 'project', 'integ-tasks.js');
    const source = fs.readFileSync(integTasks, 'utf-8');
    const changed = source.replace('Synthesizes every ', 'Synthesizes (upgraded template) every ');
    if (changed === source) throw new Error(`no "Synthesizes every " in ${integTasks}`);
    fs.writeFileSync(integTasks, changed);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf-8'));
    upgradedVersion = `${manifest.version}-upgrade.1`;
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: upgradedVersion }, undefined, 2));
    upgradedTarball = path.join(unpacked, mustRun('npm', ['pack', '--silent', '--pack-destination', unpacked], pkg).trim().split('\n').pop()!);

    fs.appendFileSync(path.join(APP, 'src', 'ledger-stack.ts'), userEdit);
    for (const file of samples) before[file] = fs.readFileSync(path.join(APP, file), 'utf-8');

    // The upgrade as a user does it: point .projenrc.ts at the new version, run projen (installs it), run it again.
    const projenrc = path.join(APP, '.projenrc.ts');
    const rc = fs.readFileSync(projenrc, 'utf-8');
    const bumped = rc.replace(/fintech-infra-template@file:[^"']+/, `fintech-infra-template@file:${upgradedTarball}`);
    if (bumped === rc) throw new Error(`no fintech-infra-template@file: spec in ${projenrc}:\n${rc}`);
    fs.writeFileSync(projenrc, bumped);
    mustRun('npx', ['projen'], APP);
    mustRun('npx', ['projen'], APP);
  }, 10 * MINUTES);

  test('installs the new version, and the managed files follow it', () => {
    expect(readJson('node_modules/fintech-infra-template/package.json').version).toBe(upgradedVersion);
    expect(readJson('package.json').dependencies['fintech-infra-template']).toBe(`file:${upgradedTarball}`);
    expect(readJson('.projen/tasks.json').tasks['integ:snapshot'].description).toMatch(/^Synthesizes \(upgraded template\) every test\/integ\/integ\.\*\.ts/);
  });

  test('leaves the sample files alone, the user\'s edit included', () => {
    for (const file of samples) expect({ file, text: fs.readFileSync(path.join(APP, file), 'utf-8') }).toEqual({ file, text: before[file] });
    expect(fs.readFileSync(path.join(APP, 'src', 'ledger-stack.ts'), 'utf-8')).toContain(userEdit);
  });
});

describe('cdk-nag packs enabled in .projenrc.ts', () => {
  // Runs last: it adds cdk-nag to the generated repo, which the other tests do not expect.
  const reports = path.join(APP, 'reports', 'fintech-checks');
  const sarifOf = (stage: string) => JSON.parse(fs.readFileSync(path.join(reports, `${stage}.sarif`), 'utf-8'));
  const nagRun = (sarif: any) => sarif.runs.find((r: any) => r.tool.driver.name === 'AwsSolutions');
  let first: SpawnSyncReturns<string>;

  beforeAll(() => {
    const projenrc = path.join(APP, '.projenrc.ts');
    const source = fs.readFileSync(projenrc, 'utf-8');
    const edited = source.replace(/new FintechCdkApp\(\{/, "$&\n  cdkNagPacks: ['AwsSolutions'],");
    if (edited === source) throw new Error(`could not find "new FintechCdkApp({" in ${projenrc}`);
    fs.writeFileSync(projenrc, edited);
    mustRun('npx', ['projen'], APP);
    fs.rmSync(reports, { recursive: true, force: true });
    first = run('npx', ['projen', 'fintech-checks'], APP);
  }, 10 * MINUTES);

  test('npx projen adds cdk-nag, and fintech-checks writes the pack\'s findings into the same SARIF log and summary', () => {
    expect(readJson('package.json').dependencies['cdk-nag']).toMatch(/^\^?3\./);
    const sarif = sarifOf('sandbox');
    expect(sarif.runs.map((r: any) => r.tool.driver.name)).toEqual(['FintechChecks', 'AwsSolutions']);
    const nag = nagRun(sarif);
    expect(nag.results.length).toBeGreaterThan(0);
    for (const result of nag.results) {
      expect(result.ruleId).toMatch(/^AwsSolutions-/);
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^sandbox\//);
    }
    expect(fs.readFileSync(path.join(reports, 'sandbox.md'), 'utf-8')).toContain('AwsSolutions');
    // The task fails exactly when an open finding is an error, in either pack, after writing the reports.
    const openErrors = ['sandbox', 'live'].flatMap(stage => sarifOf(stage).runs.flatMap((r: any) => r.results))
      .filter((r: any) => r.level === 'error' && !r.suppressions);
    expect({ status: first.status === 0, openErrors: openErrors.length }).toEqual({ status: openErrors.length === 0, openErrors: openErrors.length });
  });

  test('an acknowledgement on the stage, with its reason, suppresses that pack rule in the report and nothing else', () => {
    const before = nagRun(sarifOf('sandbox')).results.filter((r: any) => !r.suppressions);
    const ruleId: string = before[0].ruleId;
    const main = path.join(APP, 'src', 'main.ts');
    const original = fs.readFileSync(main, 'utf-8');
    const acknowledged = original
      .replace("import { App } from 'aws-cdk-lib';", "import { App, Validations } from 'aws-cdk-lib';")
      .replace("  new LedgerStack(stage, 'Ledger');", `  new LedgerStack(stage, 'Ledger');\n  Validations.of(stage).acknowledge({ id: '${ruleId}', reason: 'accepted for the e2e test' });`);
    expect(acknowledged).toContain('Validations.of(stage)');
    try {
      fs.writeFileSync(main, acknowledged);
      run('npx', ['projen', 'fintech-checks'], APP);
      const after = nagRun(sarifOf('sandbox')).results;
      const ofRule = after.filter((r: any) => r.ruleId === ruleId);
      expect(ofRule.length).toBe(before.filter((r: any) => r.ruleId === ruleId).length);
      for (const result of ofRule) expect(result.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'accepted for the e2e test' }]);
      expect(after.filter((r: any) => r.ruleId !== ruleId && !r.suppressions).length).toBe(before.filter((r: any) => r.ruleId !== ruleId).length);
    } finally {
      fs.writeFileSync(main, original);
    }
  }, 5 * MINUTES);
});
