import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { quietSynth, testApp, validateWithAndWithoutScope } from './rule-harness';
import { acknowledgedRules } from '../../src/rules/acknowledgements';
import { assemblyTemplates } from '../../src/rules/assembly-templates';
import { FintechChecks, RuleSeverity } from '../../src/rules/fintech-checks';
import { libraryClassOf } from '../../src/rules/library-constructs';
import { FintechStage } from '../../src/stage/fintech-stage';

const durableStages = ['prod'];

function templatePaths(app: ReturnType<typeof testApp>): string[] {
  return app.synth().stacksRecursively.map(s => s.templateFullPath);
}

describe('assemblyTemplates', () => {
  test('maps logical ids to construct paths from the assembly, nested stacks and nested stages included', () => {
    const app = testApp();
    const shop = new Stack(app, 'Shop');
    new s3.CfnBucket(shop, 'Orders');
    new s3.CfnBucket(new NestedStack(shop, 'Inner'), 'Deep');
    new s3.CfnBucket(new Stack(new Stage(new Stage(app, 'outer'), 'prod'), 'Workload'), 'Ledger');
    new s3.CfnBucket(new Stack(new Stage(app, 'prod'), 'Workload'), 'Ledger');
    const templates = assemblyTemplates(templatePaths(app), { durableStages });
    expect(templates.map(t => `${t.stageName} ${t.durable} ${t.resourcesOfType('AWS::S3::Bucket').map(r => r.constructPath).join()}`).sort()).toEqual([
      ' false Shop/Inner/Deep',
      ' false Shop/Orders',
      'outer-prod false outer/prod/Workload/Ledger',
      'prod true prod/Workload/Ledger',
    ]);
    // The parent keeps the nested stack's own resource; the nested template has the nested constructs.
    const parent = templates.find(t => t.templateFile === 'Shop.template.json')!;
    expect(parent.resourcesOfType('AWS::CloudFormation::Stack').map(r => r.constructPath)).toEqual(['Shop/Inner.NestedStack/Inner.NestedStackResource']);
    expect(parent.stack).toBeUndefined();
    // Each is linked to the other, so references passed through the nested stack's parameters and outputs can be followed.
    const inner = templates.find(t => t.templateFile.endsWith('.nested.template.json'))!;
    const stackResource = parent.resourcesOfType('AWS::CloudFormation::Stack')[0];
    expect(inner.parent?.template).toBe(parent);
    expect(inner.parent?.logicalId).toBe(stackResource.logicalId);
    expect([...parent.nestedStacks]).toEqual([[stackResource.logicalId, inner]]);
    expect(templates.filter(t => t.parent !== undefined)).toEqual([inner]);
  });

  test('rebuilds the acknowledgements made on constructs inside stacks, so they reach the resource they cover', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const bucket = new s3.Bucket(stack, 'Orders');
    Validations.of(bucket).acknowledge({ id: 'Fintech-C03-BucketTlsOnly', reason: 'internal only' });
    Validations.of(stack).acknowledge({ id: 'Fintech-C01-RequiredTags', reason: 'tagged by the baseline' });
    const [template] = assemblyTemplates(templatePaths(app), { durableStages });
    const resource = template.resourcesOfType('AWS::S3::Bucket')[0];
    expect(Object.fromEntries(acknowledgedRules(template.ownerOf(resource.logicalId)!)))
      .toEqual({ 'Fintech-C03-BucketTlsOnly': 'internal only', 'Fintech-C01-RequiredTags': 'tagged by the baseline' });
  });

  test('judges a stack by the settings its library constructs recorded, unless the stage option says otherwise', () => {
    const app = testApp();
    FintechStage.settingsOf(new Stack(app, 'Legacy'));
    const paths = templatePaths(app);
    expect(assemblyTemplates(paths, { durableStages }).map(t => [t.stageName, t.durable])).toEqual([['', true]]);
    expect(assemblyTemplates(paths, { stage: 'dev', durableStages }).map(t => [t.stageName, t.durable])).toEqual([['dev', false]]);
  });

  test('a template the manifest does not list is judged alone, and an unreadable one is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-'));
    const file = path.join(dir, 'Loose.template.json');
    fs.writeFileSync(file, JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } }));
    expect(assemblyTemplates([file], { durableStages }).map(t => t.resources.map(r => r.constructPath))).toEqual([['Loose/B']]);
    expect(() => assemblyTemplates([path.join(dir, 'Missing.template.json')], { durableStages })).toThrow(/^FintechChecks cannot read the template .*Missing\.template\.json/);
  });

  test('gives each rebuilt construct the library class the construct tree file names, also when CDK splits the tree into several files or it is formatted', () => {
    for (const [maxNodes, formatted] of [[undefined, false], [5, false], [undefined, true], [5, true]] as const) {
      const app = testApp();
      if (maxNodes) app.node.setContext('@aws-cdk/core.TreeMetadata:maxNodes', maxNodes);
      const stack = new Stack(app, 'Ops');
      new ec2.BastionHostLinux(stack, 'Bastion', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
      const assembly = quietSynth(app);
      const treeFiles = fs.readdirSync(assembly.directory).filter(f => /^trees?(-\d+)?\.json$/.test(f));
      expect(treeFiles.length > 1).toBe(maxNodes !== undefined);
      // As older aws-cdk-lib versions and integ-runner snapshots write it: indented, children before constructInfo.
      for (const file of formatted ? treeFiles : []) {
        const reorder = (node: any): any => node && typeof node === 'object' && !Array.isArray(node)
          ? Object.fromEntries(Object.entries(node).sort(([a], [b]) => (a === 'constructInfo' ? 1 : 0) - (b === 'constructInfo' ? 1 : 0)).map(([k, v]) => [k, reorder(v)]))
          : node;
        const full = path.join(assembly.directory, file);
        fs.writeFileSync(full, JSON.stringify(reorder(JSON.parse(fs.readFileSync(full, 'utf-8'))), undefined, 2));
      }
      const [template] = assemblyTemplates(assembly.stacks.map(s => s.templateFullPath), { durableStages });
      const role = template.resourcesOfType('AWS::IAM::Role')[0].construct!;
      expect(role.node.path).toBe('Ops/Bastion/Resource/InstanceRole/Resource');
      expect(libraryClassOf(role.node.scope!)).toBe('aws-cdk-lib.aws_iam.Role');
      expect(libraryClassOf(role.node.scope!.node.scope!.node.scope!)).toBe('aws-cdk-lib.aws_ec2.BastionHostLinux');
    }
  });

  test('a pack without a scope tells what a library wrote from the app\'s own code, as one with the construct tree does', () => {
    const app = testApp();
    const stack = new Stack(app, 'Ops', { tags: { Environment: 'prod', Team: 'payments', CostCenter: 'cc-1', Application: 'ops' } });
    new ec2.BastionHostLinux(stack, 'Bastion', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
    const checks = FintechChecks.fromProps({ stage: 'prod' });
    checks.validate({ templatePaths: quietSynth(app).stacks.map(s => s.templateFullPath) });
    const onRole = checks.findings.filter(f => f.constructPath.startsWith('Ops/Bastion/Resource/InstanceRole/'));
    // Session Manager's statements on "*" are BastionHostLinux's, reported once as warnings naming it.
    expect(onRole.map(f => `${f.severity} ${f.ruleId}`).sort()).toEqual([`${RuleSeverity.WARNING} Fintech-C06-WildcardAction`, `${RuleSeverity.WARNING} Fintech-C06-WildcardResource`]);
    expect(onRole.every(f => f.message.includes('Ops/Bastion'))).toBe(true);
    // The stack's tags (given to CloudFormation, not written into the template) tag every resource.
    expect(checks.findings.filter(f => f.ruleId === 'Fintech-C01-RequiredTags')).toEqual([]);
  });

  test('a construct a library holds in a property is told by the references between their resources', () => {
    const app = testApp();
    const stack = new Stack(app, 'Site');
    const bucket = new s3.Bucket(stack, 'Bucket');
    const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket) } });
    const role = new iam.Role(stack, 'PublishRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // The deployment's custom resource names its handler function, which runs with the role: two references apart.
    new s3deploy.BucketDeployment(stack, 'Publish', { sources: [s3deploy.Source.data('index.html', '<html/>')], destinationBucket: bucket, distribution, role });
    const checks = FintechChecks.fromProps({ stage: 'prod' });
    checks.validate({ templatePaths: quietSynth(app).stacks.map(s => s.templateFullPath) });
    const invalidation = checks.findings.filter(f => f.constructPath === 'Site/PublishRole/DefaultPolicy/Resource' && f.ruleId === 'Fintech-C06-WildcardResource');
    expect(invalidation.map(f => f.severity)).toEqual([RuleSeverity.WARNING]);
    expect(invalidation[0].message).toContain('Site/Publish');
  });

  test('each stack deploys to the account and region of its artifact, with its stack tags', () => {
    const appIn = (regions: string[]) => {
      const app = testApp();
      regions.forEach((region, i) => {
        const stack = new Stack(app, `Config${i}-${region}`, { env: { account: '123456789012', region }, tags: { Team: 'payments' } });
        new ssm.StringParameter(stack, 'Flag', { parameterName: '/ledger/flag', stringValue: 'on' });
      });
      new Stack(app, 'Agnostic');
      return templatePaths(app);
    };
    expect(assemblyTemplates(appIn(['eu-west-1', 'eu-central-1']), { durableStages })
      .map(t => `${t.path} ${t.account} ${t.region} ${JSON.stringify(t.stackTags())}`).sort()).toEqual([
      'Agnostic undefined undefined {}',
      'Config0-eu-west-1 123456789012 eu-west-1 {"Team":"payments"}',
      'Config1-eu-central-1 123456789012 eu-central-1 {"Team":"payments"}',
    ]);
    // One parameter name in two regions is two parameters; in one region, a name CloudFormation cannot create twice.
    const duplicates = (paths: string[]) => {
      const checks = FintechChecks.fromProps({ stage: 'prod' });
      checks.validate({ templatePaths: paths });
      return checks.findings.filter(f => f.ruleId === 'Fintech-C16-DuplicatePhysicalName').map(f => f.constructPath).sort();
    };
    expect(duplicates(appIn(['eu-west-1', 'eu-central-1']))).toEqual([]);
    expect(duplicates(appIn(['eu-west-1', 'eu-west-1']))).toEqual(['Config0-eu-west-1/Flag/Resource', 'Config1-eu-west-1/Flag/Resource']);
  });

  test('a logical id an included template gives both a resource and an output (or a parameter and a condition) is the resource\'s, with and without a scope', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'include-'));
    // Outputs and Conditions are namespaces of their own in CloudFormation, so these names are valid.
    fs.writeFileSync(path.join(dir, 'ledger.json'), JSON.stringify({
      Parameters: { Env: { Type: 'String', Default: 'dev' } },
      Conditions: { Env: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
      Resources: { Ledger: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': 'ledger-${Env}' } } } },
      Outputs: { Ledger: { Value: { Ref: 'Ledger' } }, Env: { Value: { Ref: 'Env' } } },
    }));
    const include = new CfnInclude(stack, 'Legacy', { templateFile: path.join(dir, 'ledger.json') });
    Validations.of(include.getResource('Ledger')).acknowledge({ id: 'Fintech-C01-RequiredTags', reason: 'tagged by the legacy pipeline' });
    for (const checks of validateWithAndWithoutScope(app, { stage: 'dev' })) {
      const ledger = checks.findings.filter(f => f.ruleId === 'Fintech-C12-QueueWithoutDeadLetterQueue' || f.ruleId === 'Fintech-C01-RequiredTags');
      expect(ledger.map(f => `${f.ruleId} ${f.constructPath} ${f.acknowledgedReason ?? '-'}`).sort()).toEqual([
        'Fintech-C01-RequiredTags Shop/Legacy/Ledger tagged by the legacy pipeline',
        'Fintech-C12-QueueWithoutDeadLetterQueue Shop/Legacy/Ledger -',
      ]);
      expect(checks.findings.filter(f => f.ruleId === 'Fintech-C22-UnvalidatedParameter').map(f => f.constructPath)).toEqual(['Shop/Legacy/Env']);
    }
  });
});
