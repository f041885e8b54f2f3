import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { synthSnapshot } from 'projen/lib/util/synth';
import { FraudDetectionApiStack } from '../../blueprints/fraud-detection-api/src/fraud-detection-api-stack';
import { ObservabilityStack } from '../../blueprints/observability/src/observability-stack';
import { PaymentWebhookStack } from '../../blueprints/payment-webhook/src/payment-webhook-stack';
import { LedgerStack } from '../../blueprints/starter/src/ledger-stack';
import { TradePipelineStack } from '../../blueprints/trade-pipeline/src/trade-pipeline-stack';
import { TransactionWebAppStack } from '../../blueprints/transaction-web-app/src/transaction-web-app-stack';
import { FintechEnvironment, FintechPlatformConfig } from '../../src/config/platform-config';
import { BLUEPRINT_NAMES, BLUEPRINTS, BlueprintSamples, blueprintDiagramPath } from '../../src/project/blueprint-samples';
import * as versions from '../../src/project/versions';
import { FintechStage } from '../../src/stage/fintech-stage';
import { addOnProps } from '../support/add-on-props';
import { creating, newProject } from '../support/fintech-cdk-app-fixture';

const BLUEPRINTS_DIR = path.join(__dirname, '..', '..', 'blueprints');

/** `name@version` specs as the name -> version map package.json holds. */
function asDependencies(specs: readonly string[]): Record<string, string> {
  return Object.fromEntries(specs.map(spec => {
    const at = spec.lastIndexOf('@');
    return [spec.slice(0, at), spec.slice(at + 1)];
  }));
}

describe('BlueprintSamples as FintechCdkApp writes them', () => {
  const project = newProject({ extraTags: { DataClassification: 'pci' }, alarmEmail: 'oncall@example.com' });
  const files = synthSnapshot(project);
  const tasks = files['.projen/tasks.json'].tasks;
  const pkg = files['package.json'];

  test('the README explains how to rehearse a deploy against an emulator, for the first ephemeral stage, before the integ tests', () => {
    const readme: string = files['README.md'];
    const section = readme.slice(readme.indexOf('## Rehearse a deploy locally\n'), readme.indexOf('## Integration tests\n'));
    expect(readme.indexOf('## Deploying')).toBeLessThan(readme.indexOf('## Rehearse a deploy locally'));
    for (const line of [
      'export AWS_ENDPOINT_URL=http://localhost:5000',
      'export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1',
      'npx cdk bootstrap aws://123456789012/us-east-1',
      'npx projen deploy:dev -- -c fintech:powertools-layer=false',
      'npx projen destroy:dev',
    ]) expect(section).toContain(line);
    expect(section).toContain('the account guard of\n  durable stages');
    expect(section).toContain('Lambda functions are created but not run');
  });

  test('writes the payment-webhook blueprint by default, its dependencies, and a README that explains it and every task', () => {
    expect(files['src/main.ts']).toContain("import { PaymentWebhookStack } from './payment-webhook-stack';");
    expect(files['src/main.ts']).toContain("  new PaymentWebhookStack(stage, 'PaymentWebhook');");
    for (const file of ['src/payment-webhook-stack.ts', 'src/handlers/receiver.ts', 'src/handlers/processor.ts', 'src/handlers/audit.ts',
      'test/payment-webhook-stack.test.ts', 'test/handlers/receiver.test.ts', 'test/integ/integ.payment-webhook.ts', 'test/integ/handlers/webhook-sender.ts']) {
      expect(files[file]).toEqual(fs.readFileSync(path.join(__dirname, '..', '..', 'blueprints', 'payment-webhook', file), 'utf-8'));
    }
    expect(files['src/ledger-stack.ts']).toBeUndefined();
    expect(pkg.dependencies['@aws-lambda-powertools/idempotency']).toBe(versions.POWERTOOLS_VERSION);
    expect(pkg.dependencies['@aws-sdk/util-dynamodb']).toBeDefined();
    expect(pkg.devDependencies['aws-sdk-client-mock']).toBeDefined();
    const readme: string = files['README.md'];
    for (const name of Object.keys(tasks).filter(t => !t.startsWith('install:'))) {
      expect(readme).toContain(`\`npx projen ${name}\``);
    }
    expect(readme).toContain('## Blueprint: payment-webhook');
    expect(readme).toContain('--> SQS inbound (KMS, TLS only) --3 failed receives--> DLQ');
    // The drawing of the synthesized stack, as shipped with the blueprint.
    expect(readme).toContain(`\`\`\`mermaid\n${fs.readFileSync(blueprintDiagramPath('payment-webhook'), 'utf-8')}\`\`\`\n`);
    expect(readme).toMatch(/ -->\|"POST \/webhooks"\| r_Receiver/);
    expect(readme).toContain('| `prod` | _not set: environment-agnostic_ | us-east-1 | durable');
  });

  test('blueprints chooses the samples: starter alone, both, or none (an empty app without blueprint dependencies)', () => {
    const starter = synthSnapshot(newProject({ blueprints: ['starter'] }));
    expect(starter['src/ledger-stack.ts']).toContain('export class LedgerStack');
    expect(starter['src/main.ts']).toContain("  new LedgerStack(stage, 'Ledger');");
    expect(starter['src/payment-webhook-stack.ts']).toBeUndefined();
    expect(starter['package.json'].dependencies['@aws-lambda-powertools/logger']).toBeUndefined();

    const both = synthSnapshot(newProject({ blueprints: ['payment-webhook', 'starter'] }));
    expect(both['src/main.ts']).toMatch(/new PaymentWebhookStack\(stage, 'PaymentWebhook'\);\n {2}new LedgerStack\(stage, 'Ledger'\);/);

    const none = synthSnapshot(newProject({ blueprints: ['none'] }));
    expect(none['src/main.ts']).toContain('// Create your stacks here');
    expect(Object.keys(none).filter(f => f.startsWith('test/'))).toEqual([expect.stringMatching(/^test\/tsconfig\.json$/)]);
  });

  test('observability is created last in every stage, given the payment services and public endpoints the workloads offer', () => {
    const generated = synthSnapshot(newProject({ blueprints: ['observability', 'payment-webhook', 'transaction-web-app', 'trade-pipeline'] }));
    expect(generated['src/main.ts']).toContain([
      'for (const stage of FintechStage.fromConfig(app, config)) {',
      "  const paymentWebhook = new PaymentWebhookStack(stage, 'PaymentWebhook');",
      "  const transactionWebApp = new TransactionWebAppStack(stage, 'TransactionWebApp');",
      "  new TradePipelineStack(stage, 'TradePipeline');",
      '  // Last: it observes every stack created above in this stage.',
      "  new ObservabilityStack(stage, 'Observability', {",
      "    paymentServices: [{ serviceName: 'payment-webhook' }],",
      '    publicEndpoints: [',
      "      { name: 'webhooks', url: paymentWebhook.healthUrl, expectedJsonPath: '$.status', expectedJsonValue: 'ok' },",
      "      { name: 'web', url: `https://${transactionWebApp.distribution.distributionDomainName}/`, expectedText: '<h1>Transactions</h1>' },",
      '    ],',
      '  });',
      '}',
    ].join('\n'));
    expect(generated['src/observability-stack.ts']).toContain('export class ObservabilityStack');
    expect(generated['test/integ/integ.observability.ts']).toBeDefined();
    expect(generated['package.json'].dependencies['@aws-lambda-powertools/metrics']).toBe(versions.POWERTOOLS_VERSION);
    expect(Object.keys(generated['package.json'].devDependencies)).toEqual(expect.arrayContaining(['@aws-sdk/client-xray', '@aws-sdk/client-cloudwatch']));
    expect(generated['README.md']).toContain('## Blueprint: observability');

    // Over a workload that offers nothing, it observes the stage all the same.
    const plain = synthSnapshot(newProject({ blueprints: ['trade-pipeline', 'observability'] }));
    expect(plain['src/main.ts']).toContain("  new TradePipelineStack(stage, 'TradePipeline');\n  // Last: it observes every stack created above in this stage.\n  new ObservabilityStack(stage, 'Observability');\n}");
  });

  test('leaves a README the user wrote alone', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-cdk-app-'));
    fs.writeFileSync(path.join(outdir, 'README.md'), '# Our ledger\n');
    expect(synthSnapshot(newProject({ outdir }))['README.md']).toBe('# Our ledger\n');
  });

  test('writes the README as a sample file in place of projen\'s one-line placeholder', () => {
    const readme: string = synthSnapshot(creating(fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-cdk-app-'))))['README.md'];
    expect(readme).toMatch(/^# ledger\n/);
    expect(readme).not.toContain('# replace this');
  });

  test('adds exactly the blueprint\'s handler dependencies at run time and its test dependencies for development', () => {
    expect(pkg.dependencies).toEqual(expect.objectContaining(asDependencies(versions.BLUEPRINT_HANDLER_DEPS)));
    expect(pkg.devDependencies).toEqual(expect.objectContaining(asDependencies(versions.BLUEPRINT_TEST_DEPS)));
    for (const name of Object.keys(asDependencies(versions.BLUEPRINT_TEST_DEPS))) expect(pkg.dependencies[name]).toBeUndefined();
  });

  test('main.ts creates the blueprint\'s stack in one FintechStage per environment of the managed config', () => {
    expect(files['src/main.ts']).toBe([
      "import { App } from 'aws-cdk-lib';",
      "import config from './fintech.config.json';",
      "import { PaymentWebhookStack } from './payment-webhook-stack';",
      "import { FintechStage } from 'fintech-infra-template';",
      '',
      '// One FintechStage per environment of .projenrc.ts: tags, stage-aware removal policies and',
      '// the FintechChecks rule pack come with the stage, so stacks only describe the workload.',
      'const app = new App();',
      'for (const stage of FintechStage.fromConfig(app, config)) {',
      "  new PaymentWebhookStack(stage, 'PaymentWebhook');",
      '}',
      'app.synth();',
      '',
    ].join('\n'));
  });

  test('the README lists every environment, the tags every stage applies, and the stacks of the layout', () => {
    const readme: string = files['README.md'];
    expect(readme).toMatch(/^# @acme\/ledger-service\n/);
    expect(readme).toContain('| `dev` | _not set: environment-agnostic_ | us-east-1 | ephemeral: everything DESTROY, buckets auto-emptied |');
    expect(readme).toContain('| `staging` | _not set: environment-agnostic_ | us-east-1 | durable: RETAIN/SNAPSHOT, deletion protection on |');
    expect(readme).toContain('tags every taggable resource with `Environment`, `Team`, `CostCenter`, `Application` and `DataClassification`;');
    expect(readme).toContain('gives `ledger-service-entries-<stage>`');
    expect(readme).toContain('- `src/main.ts`: the CDK app, one `FintechStage` per environment, each with `PaymentWebhookStack`.');
    // projen's install:* helpers stay out of the table, install itself is listed.
    expect(readme).toContain('| `npx projen install` |');
    expect(readme).not.toMatch(/`npx projen install:/);
  });

  test('samples are the user\'s: none of them is a managed file of projen', () => {
    const managed: string[] = files['.projen/files.json'].files;
    for (const sample of ['README.md', 'src/main.ts', 'src/payment-webhook-stack.ts', 'test/integ/integ.payment-webhook.ts']) {
      expect(managed).not.toContain(sample);
    }
  });
});

describe('BlueprintSamples', () => {
  test('every blueprint name is accepted, and none besides', () => {
    expect(BLUEPRINT_NAMES).toEqual([...Object.keys(BLUEPRINTS), 'none']);
    expect(BLUEPRINT_NAMES).toEqual(['payment-webhook', 'starter', 'transaction-web-app', 'fraud-detection-api', 'trade-pipeline', 'observability', 'none']);
  });

  test.each(Object.keys(BLUEPRINTS))('%s ships every file it lists, its stack file and its architecture drawing', name => {
    const blueprint = BLUEPRINTS[name];
    for (const file of blueprint.files) expect(fs.existsSync(path.join(BLUEPRINTS_DIR, name, file))).toBe(true);
    expect(blueprint.files).toContain(`src/${blueprint.stack.file}.ts`);
    expect(fs.readFileSync(path.join(BLUEPRINTS_DIR, name, 'src', `${blueprint.stack.file}.ts`), 'utf-8')).toContain(`export class ${blueprint.stack.className}`);
    expect(blueprintDiagramPath(name)).toBe(path.join(BLUEPRINTS_DIR, name, 'architecture.mmd'));
    expect(fs.existsSync(blueprintDiagramPath(name))).toBe(true);
  });

  test('writes src/ files to the project\'s source folder and test/ files to its test folder', () => {
    const project = newProject({ sampleCode: false });
    new BlueprintSamples(project, { srcdir: 'app', testdir: 'spec', blueprints: ['starter'] });
    const files = synthSnapshot(project);
    expect(files['app/ledger-stack.ts']).toEqual(fs.readFileSync(path.join(BLUEPRINTS_DIR, 'starter', 'src', 'ledger-stack.ts'), 'utf-8'));
    expect(files['spec/ledger-stack.test.ts']).toBeDefined();
    expect(files['spec/integ/integ.ledger.ts']).toBeDefined();
    expect(files['app/main.ts']).toContain("import { LedgerStack } from './ledger-stack';");
    expect(files['src/ledger-stack.ts']).toBeUndefined();
  });

  test('the starter README points at its stack in place of an architecture section; without blueprints there is no section', () => {
    const starter: string = synthSnapshot(newProject({ blueprints: ['starter'] }))['README.md'];
    expect(starter).toContain('## Blueprint: starter\nA small ledger: an encrypted table, a statement archive and a settlement queue.\n');
    expect(starter).toContain('See `src/ledger-stack.ts`.');
    const none: string = synthSnapshot(newProject({ blueprints: ['none'] }))['README.md'];
    expect(none).not.toContain('## Blueprint:');
    expect(none).toContain('- `src/main.ts`: the CDK app, one `FintechStage` per environment.\n');
  });

  test('the README shows accounts where set and escapes a task description\'s table pipes', () => {
    const project = newProject({ environments: [{ name: 'prod', account: '123456789012', region: 'eu-west-1', durable: true }] });
    project.addTask('reconcile', { description: 'Matches ledger | bank entries' });
    const readme: string = synthSnapshot(project)['README.md'];
    expect(readme).toContain('| `prod` | 123456789012 | eu-west-1 | durable: RETAIN/SNAPSHOT, deletion protection on |');
    expect(readme).toContain('| `npx projen reconcile` | Matches ledger \\| bank entries |');
    expect(readme).toContain('deploys each test to\n  eu-west-1,');
  });

  test('a main.ts the user changed is kept', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-cdk-app-'));
    fs.mkdirSync(path.join(outdir, 'src'));
    fs.writeFileSync(path.join(outdir, 'src', 'main.ts'), '// ours\n');
    expect(synthSnapshot(newProject({ outdir }))['src/main.ts']).toBe('// ours\n');
  });
});

describe('the transaction-web-app blueprint', () => {
  const files = synthSnapshot(newProject({ blueprints: ['transaction-web-app'] }));
  const pkg = files['package.json'];

  test('writes its stack, container, migration, front end and tests as shipped, and main.ts creates its stack in every stage', () => {
    for (const file of BLUEPRINTS['transaction-web-app'].files) {
      expect(files[file]).toEqual(file.endsWith('.json') ? JSON.parse(fs.readFileSync(path.join(BLUEPRINTS_DIR, 'transaction-web-app', file), 'utf-8'))
        : fs.readFileSync(path.join(BLUEPRINTS_DIR, 'transaction-web-app', file), 'utf-8'));
    }
    expect(files['src/app/Dockerfile']).toMatch(/^FROM node:22-alpine AS build$/m);
    expect(files['src/main.ts']).toContain("import { TransactionWebAppStack } from './transaction-web-app-stack';");
    expect(files['src/main.ts']).toContain("  new TransactionWebAppStack(stage, 'TransactionWebApp');");
  });

  test('adds pg, the IAM token signer and the migration\'s Powertools at run time, PGlite and the mocks for its tests', () => {
    expect(pkg.dependencies).toEqual(expect.objectContaining(asDependencies(versions.TRANSACTION_APP_DEPS)));
    for (const name of ['@aws-lambda-powertools/logger', '@aws-lambda-powertools/tracer', '@aws-lambda-powertools/parameters']) {
      expect(pkg.dependencies[name]).toBe(versions.POWERTOOLS_VERSION);
    }
    expect(pkg.dependencies['@aws-sdk/client-secrets-manager']).toBe(versions.AWS_SDK_VERSION);
    // Only what its code imports: none of the payment-webhook blueprint's queue and table clients.
    expect(pkg.dependencies['@aws-sdk/client-sqs']).toBeUndefined();
    expect(pkg.dependencies['@aws-lambda-powertools/idempotency']).toBeUndefined();
    const testDeps = asDependencies([...versions.BLUEPRINT_TEST_DEPS, ...versions.TRANSACTION_APP_TEST_DEPS]);
    expect(pkg.devDependencies).toEqual(expect.objectContaining(testDeps));
  });

  test('the container\'s own package.json pins versions within the ranges generated repos install', () => {
    const container = JSON.parse(fs.readFileSync(path.join(BLUEPRINTS_DIR, 'transaction-web-app', 'src', 'app', 'package.json'), 'utf-8'));
    const ranges = asDependencies([...versions.TRANSACTION_APP_DEPS, `esbuild@${versions.ESBUILD_VERSION}`]);
    const pinned = { ...container.dependencies, ...container.devDependencies };
    expect(Object.keys(pinned).sort()).toEqual(Object.keys(ranges).sort());
    for (const [name, version] of Object.entries<string>(pinned)) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect({ name, version, inRange: withinRange(version, ranges[name]) }).toEqual({ name, version, inRange: true });
    }
  });

  test('the README explains the architecture and how to supply the domains and certificates of each stage', () => {
    const readme: string = files['README.md'];
    expect(readme).toContain('## Blueprint: transaction-web-app');
    expect(readme).toContain(`\`\`\`mermaid\n${fs.readFileSync(blueprintDiagramPath('transaction-web-app'), 'utf-8')}\`\`\`\n`);
    for (const line of [
      'In `src/web-domains.json`, under `stages`, give each stage of',
      '"certificateArn": "arn:aws:acm:us-east-1:<account>:certificate/<id>",',
      '"originCertificateArn": "arn:aws:acm:<stage region>:<account>:certificate/<id>",',
      '`OriginDnsRecord` (the origin name to the load balancer)',
      '`test/integ/integ.transaction-web-app.ts`: on AWS, the front end answers 200 over HTTPS through CloudFront and HTTP is redirected,',
      '`FINTECH_INTEG_HOSTED_ZONE_ID`',
      'a stage without an entry synthesizes with example.com placeholders, and `deploy:<stage>` refuses it, naming the entry to add.',
    ]) expect(readme).toContain(line);
    expect(readme).toContain('- `src/main.ts`: the CDK app, one `FintechStage` per environment, each with `TransactionWebAppStack`.');
  });

  test('combines with the payment-webhook blueprint: every file of both, both stacks in every stage', () => {
    const both = synthSnapshot(newProject({ blueprints: ['payment-webhook', 'transaction-web-app'] }));
    for (const name of ['payment-webhook', 'transaction-web-app']) {
      for (const file of BLUEPRINTS[name].files) expect(both[file]).toBeDefined();
    }
    expect(both['src/main.ts']).toMatch(/new PaymentWebhookStack\(stage, 'PaymentWebhook'\);\n {2}new TransactionWebAppStack\(stage, 'TransactionWebApp'\);/);
    expect(both['package.json'].dependencies['@aws-lambda-powertools/idempotency']).toBe(versions.POWERTOOLS_VERSION);
    expect(both['package.json'].dependencies.pg).toBe(asDependencies(versions.TRANSACTION_APP_DEPS).pg);
  });
});

describe('the fraud-detection-api blueprint', () => {
  const files = synthSnapshot(newProject({ blueprints: ['fraud-detection-api'] }));
  const pkg = files['package.json'];

  test('writes its stack, handlers and tests as shipped, and main.ts creates its stack in every stage', () => {
    for (const file of BLUEPRINTS['fraud-detection-api'].files) {
      expect(files[file]).toEqual(fs.readFileSync(path.join(BLUEPRINTS_DIR, 'fraud-detection-api', file), 'utf-8'));
    }
    expect(files['src/main.ts']).toContain("import { FraudDetectionApiStack } from './fraud-detection-api-stack';");
    expect(files['src/main.ts']).toContain("  new FraudDetectionApiStack(stage, 'FraudDetectionApi');");
  });

  test('adds what its handlers import (Powertools, the DynamoDB document client, SQS, SNS) and nothing of the other blueprints', () => {
    for (const name of ['logger', 'tracer', 'metrics', 'batch']) expect(pkg.dependencies[`@aws-lambda-powertools/${name}`]).toBe(versions.POWERTOOLS_VERSION);
    for (const name of ['client-dynamodb', 'lib-dynamodb', 'client-sqs', 'client-sns']) expect(pkg.dependencies[`@aws-sdk/${name}`]).toBe(versions.AWS_SDK_VERSION);
    expect(pkg.dependencies['@aws-lambda-powertools/idempotency']).toBeUndefined();
    expect(pkg.dependencies['@aws-sdk/client-secrets-manager']).toBeUndefined();
    expect(pkg.dependencies.pg).toBeUndefined();
    expect(pkg.devDependencies).toEqual(expect.objectContaining(asDependencies(versions.BLUEPRINT_TEST_DEPS)));
  });

  test('the README shows the drawing with the VPC and its endpoints, and explains the score, the private network and the endpoints\' cost', () => {
    const readme: string = files['README.md'];
    expect(readme).toContain('## Blueprint: fraud-detection-api');
    expect(readme).toContain(`\`\`\`mermaid\n${fs.readFileSync(blueprintDiagramPath('fraud-detection-api'), 'utf-8')}\`\`\`\n`);
    expect(readme).toMatch(/subgraph vpc_\w+\["VPC Network<br\/>no internet gateway, no NAT: AWS services through endpoints only"\]/);
    expect(readme).toContain('VPC endpoint (interface)<br/>sqs');
    for (const line of [
      'One strong signal or two moderate ones make a transaction HIGH',
      'a function granted a\n  service the VPC has no endpoint for fails at synth',
      'two\n  endpoints in two zones cost about $29 a month',
    ]) expect(readme).toContain(line);
  });

  test('combines with the other service blueprints: a file two of them ship is the same file, written once; every stack in every stage', () => {
    const names = ['payment-webhook', 'transaction-web-app', 'fraud-detection-api', 'trade-pipeline'];
    const all = synthSnapshot(newProject({ blueprints: names }));
    const shippedBy = new Map<string, string[]>();
    for (const name of names) for (const file of BLUEPRINTS[name].files) shippedBy.set(file, [...shippedBy.get(file) ?? [], name]);
    for (const file of shippedBy.keys()) expect(all[file]).toBeDefined();
    // Shared helpers are identical in every blueprint that ships them, so which one is written does not matter.
    const shared = [...shippedBy].filter(([, owners]) => owners.length > 1);
    expect(shared.map(([file]) => file)).toEqual(['src/handlers/handler-subsegment.ts']);
    for (const [file, owners] of shared) {
      for (const owner of owners) expect(fs.readFileSync(path.join(BLUEPRINTS_DIR, owner, file), 'utf-8')).toBe(all[file]);
    }
    expect(all['src/main.ts']).toMatch(/new TransactionWebAppStack\(stage, 'TransactionWebApp'\);\n {2}new FraudDetectionApiStack\(stage, 'FraudDetectionApi'\);/);
  });
});

/** Whether an exact version lies in a range of the forms this package pins: exact, `^x.y.z` or `~x.y.z`. */
function withinRange(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number);
  const [major, minor, patch] = parse(version);
  const [rMajor, rMinor, rPatch] = parse(range.replace(/^[\^~]/, ''));
  const atLeast = major > rMajor || (major === rMajor && (minor > rMinor || (minor === rMinor && patch >= rPatch)));
  if (range.startsWith('^')) return atLeast && major === rMajor && (rMajor > 0 || minor === rMinor);
  if (range.startsWith('~')) return atLeast && major === rMajor && minor === rMinor;
  return version === range;
}

describe('every blueprint in one app, as main.ts creates them', () => {
  // Blueprints are written side by side into one repo: their stacks share each stage's account and region, so names
  // one blueprint gives must not collide with another's (the rule pack's C16 rule fails the generated repo's synth).
  // Every blueprint's stack class, by blueprint name; the first test keeps this list complete.
  const STACKS: { [name: string]: new (scope: FintechStage, id: string, props?: any) => unknown } = {
    'payment-webhook': PaymentWebhookStack,
    'starter': LedgerStack,
    'transaction-web-app': TransactionWebAppStack,
    'fraud-detection-api': FraudDetectionApiStack,
    'trade-pipeline': TradePipelineStack,
    'observability': ObservabilityStack,
  };

  test('covers every blueprint', () => {
    expect(Object.keys(STACKS).sort()).toEqual(Object.keys(BLUEPRINTS).sort());
    for (const [name, StackClass] of Object.entries(STACKS)) expect(StackClass.name).toBe(BLUEPRINTS[name].stack.className);
  });

  const workloads = Object.keys(STACKS).filter(name => !BLUEPRINTS[name].addOn);

  /** Stages of one account and region, as a team's config gives them; unit tests never bundle and read the report. */
  function stagesOf(environments: Array<Omit<FintechEnvironment, 'account' | 'region'>>, monitoring?: FintechPlatformConfig['monitoring']): { app: App; stages: FintechStage[] } {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const stages = FintechStage.fromConfig(app, {
      application: 'ledger',
      team: 'payments',
      costCenter: 'cc-1234',
      requiredTagKeys: ['Environment', 'Team', 'CostCenter', 'Application'],
      alarmEmail: 'ledger-oncall@example.com',
      environments: environments.map(env => ({ account: '123456789012', region: 'eu-central-1', ...env })),
      ...(monitoring ? { monitoring } : {}),
    });
    return { app, stages };
  }

  test('synthesizes with no rule finding in an ephemeral and a durable stage of one account and region, observed as main.ts observes them', () => {
    const { app, stages } = stagesOf([{ name: 'dev', durable: false }, { name: 'prod', durable: true }],
      { account: '210987654321', region: 'eu-central-1' });
    const addOns = Object.keys(STACKS).filter(name => BLUEPRINTS[name].addOn);
    expect(addOns).toEqual(['observability']);
    for (const stage of stages) {
      const created = Object.fromEntries(workloads.map(name => [name, new STACKS[name](stage, BLUEPRINTS[name].stack.id)]));
      for (const name of addOns) new STACKS[name](stage, BLUEPRINTS[name].stack.id, addOnProps(created));
    }
    expect(findingsOf(app)).toEqual([]);
  });

  test('observability over each workload alone, as main.ts creates them, synthesizes with no rule finding', () => {
    // One stage per workload, so one synth judges them all.
    const { app, stages } = stagesOf(workloads.map((_, i) => ({ name: `alone${i}`, durable: true })));
    workloads.forEach((name, i) => {
      const workload = new STACKS[name](stages[i], BLUEPRINTS[name].stack.id);
      new STACKS.observability(stages[i], BLUEPRINTS.observability.stack.id, addOnProps({ [name]: workload }));
    });
    expect(findingsOf(app)).toEqual([]);
  });
});

function findingsOf(app: App): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(app.synth().directory, 'policy-validation-report.json'), 'utf-8'));
  return (report.pluginReports as any[]).flatMap(plugin => plugin.violations.map((v: any) =>
    `${v.severity} ${v.ruleName} ${v.violatingConstructs.map((c: any) => c.constructPath).join(', ')}`));
}
