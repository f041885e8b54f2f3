import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { testApp } from './rule-harness';
import { acknowledgedRules } from '../../src/rules/acknowledgements';
import { assemblyTemplates } from '../../src/rules/assembly-templates';
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
});
