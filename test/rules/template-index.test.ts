import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { quietSynth, testApp } from './rule-harness';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { TemplateIndex } from '../../src/rules/template-index';
import { FintechStage } from '../../src/stage/fintech-stage';

const durableStages = ['prod'];

function templatePaths(app: ReturnType<typeof testApp>): string[] {
  return app.synth().stacksRecursively.map(s => s.templateFullPath);
}

describe('TemplateIndex', () => {
  test('maps a template of a bare App to its stack and constructs, without path metadata', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const bucket = new s3.Bucket(stack, 'Orders');
    const paths = templatePaths(app);
    const [template] = TemplateIndex.load(app, paths, { durableStages });
    expect(JSON.stringify(template.template)).not.toContain('aws:cdk:path');
    expect(template.stack).toBe(stack);
    expect(template.stageName).toBe('');
    expect(template.durable).toBe(false);
    const resource = template.resourcesOfType('AWS::S3::Bucket')[0];
    expect(resource.construct).toBe(bucket.node.defaultChild);
    expect(resource.constructPath).toBe('Shop/Orders/Resource');
  });

  test('maps logical ids changed by overrideLogicalId, renameLogicalId and a stack\'s own allocateLogicalId to their constructs', () => {
    class PrefixedStack extends Stack {
      protected allocateLogicalId(element: CfnElement): string {
        return `Prefixed${super.allocateLogicalId(element)}`;
      }
    }
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const overridden = new s3.Bucket(stack, 'Orders');
    (overridden.node.defaultChild as s3.CfnBucket).overrideLogicalId('OrdersBucket');
    const renamed = new s3.Bucket(stack, 'Refunds');
    stack.renameLogicalId(stack.getLogicalId(renamed.node.defaultChild as s3.CfnBucket), 'RefundsBucket');
    const plain = new s3.Bucket(stack, 'Ledger');
    const prefixed = new s3.Bucket(new PrefixedStack(app, 'Audit'), 'Trail');
    const templates = TemplateIndex.load(app, templatePaths(app), { durableStages });
    const shop = templates.find(t => t.stack === stack)!;
    expect(shop.resource('OrdersBucket')?.construct).toBe(overridden.node.defaultChild);
    expect(shop.resource('RefundsBucket')?.construct).toBe(renamed.node.defaultChild);
    const ledgerId = stack.resolve((plain.node.defaultChild as s3.CfnBucket).logicalId);
    expect(shop.resource(ledgerId)?.constructPath).toBe('Shop/Ledger/Resource');
    const [trail] = templates.find(t => t.stack !== stack)!.resourcesOfType('AWS::S3::Bucket');
    expect(trail.logicalId).toMatch(/^PrefixedTrail/);
    expect(trail.construct).toBe(prefixed.node.defaultChild);
    // Every element is found under the logical id CDK's own token resolves to, which is what synth wrote.
    for (const template of templates) {
      for (const resource of template.resources) {
        expect(resource.construct).toBeDefined();
        expect(template.stack!.resolve((resource.construct as CfnElement).logicalId)).toBe(resource.logicalId);
      }
    }
  });

  test('judges each template by its own stage in a multi-stage app', () => {
    const app = testApp();
    for (const name of ['dev', 'prod']) new s3.Bucket(new Stack(new Stage(app, name), 'Workload'), 'Orders');
    const templates = TemplateIndex.load(app, templatePaths(app), { durableStages });
    expect(templates.map(t => [t.stageName, t.durable, t.resources[0].constructPath]).sort()).toEqual([
      ['dev', false, 'dev/Workload/Orders/Resource'],
      ['prod', true, 'prod/Workload/Orders/Resource'],
    ]);
  });

  test('the stage option overrides the enclosing stage', () => {
    const app = testApp();
    new Stack(new Stage(app, 'dev'), 'Workload');
    const [template] = TemplateIndex.load(app, templatePaths(app), { stage: 'prod', durableStages });
    expect([template.stageName, template.durable]).toEqual(['prod', true]);
  });

  test('outside a FintechStage, judges a stack by the settings its library constructs recorded, nested stacks too', () => {
    const app = testApp();
    const byDefault = new Stack(app, 'Legacy');
    new NestedStack(byDefault, 'Inner');
    FintechStage.settingsOf(byDefault);
    const byContext = new Stack(app, 'Dev');
    byContext.node.setContext('fintech:stage', 'dev');
    FintechStage.settingsOf(byContext);
    new Stack(app, 'Untouched');
    const templates = TemplateIndex.load(app, templatePaths(app), { durableStages });
    expect(templates.map(t => `${t.path} "${t.stageName}" ${t.durable}`).sort()).toEqual([
      'Dev "dev" false',
      'Legacy "" true',
      'Legacy/Inner "" true',
      'Untouched "" false',
    ]);
    // The stage option still decides for every template.
    expect(TemplateIndex.load(app, templatePaths(app), { stage: 'prod', durableStages }).map(t => t.durable)).toEqual([true, true, true, true]);
  });

  test('finds stacks from a scope inside a stage, also in another stage', () => {
    const app = testApp();
    const dev = new Stage(app, 'dev');
    const devStack = new Stack(dev, 'Workload');
    const prodStack = new Stack(new Stage(app, 'prod'), 'Workload');
    const templates = TemplateIndex.load(devStack, templatePaths(app), { durableStages });
    expect(templates.map(t => t.stack)).toEqual(expect.arrayContaining([devStack, prodStack]));
  });

  test('adds the templates of nested stacks, which CDK does not pass to plugins', () => {
    const app = testApp();
    const parent = new Stack(new Stage(app, 'prod'), 'Parent');
    const nested = new NestedStack(parent, 'Storage');
    new s3.CfnBucket(nested, 'Orders');
    const paths = templatePaths(app);
    expect(paths).toHaveLength(1);
    const templates = TemplateIndex.load(app, paths, { durableStages });
    expect(templates.map(t => t.stack)).toEqual([parent, nested]);
    expect(templates[1]).toMatchObject({ stageName: 'prod', durable: true });
    expect(templates[1].resource('Orders')?.constructPath).toBe('prod/Parent/Storage/Orders');
  });

  test('names resources that exist only in the template by the stack path and logical id', () => {
    const app = testApp();
    new Stack(app, 'Shop');
    const [templatePath] = templatePaths(app);
    const template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    template.Resources = { ...template.Resources, Injected: { Type: 'AWS::SQS::Queue' } };
    fs.writeFileSync(templatePath, JSON.stringify(template));
    const [loaded] = TemplateIndex.load(app, [templatePath], { durableStages });
    expect(loaded.resource('Injected')).toMatchObject({ constructPath: 'Shop/Injected', construct: undefined });
  });

  test('falls back to a unique template file name, then to the file name alone', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Orders');
    const [templatePath] = templatePaths(app);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-index-'));
    const copied = path.join(elsewhere, path.basename(templatePath));
    const renamed = path.join(elsewhere, 'Other.template.json');
    fs.copyFileSync(templatePath, copied);
    fs.copyFileSync(templatePath, renamed);
    const [byName, unknown] = TemplateIndex.load(app, [copied, renamed], { durableStages });
    expect(byName.stack).toBe(stack);
    expect(byName.resource('Orders')?.constructPath).toBe('Shop/Orders');
    expect(unknown.stack).toBeUndefined();
    expect(unknown).toMatchObject({ stageName: '', durable: false, path: 'Other' });
    expect(unknown.resource('Orders')?.constructPath).toBe('Other/Orders');
  });

  test('names the template it cannot read', () => {
    const app = testApp();
    expect(() => TemplateIndex.load(app, ['/nonexistent/X.template.json'], { durableStages }))
      .toThrow(/^FintechChecks cannot read the template \/nonexistent\/X\.template\.json: ENOENT/);
  });

  test('adds nested stacks inside nested stacks, also in a stage inside a stage', () => {
    const app = testApp();
    const parent = new Stack(new Stage(new Stage(app, 'Payments'), 'prod'), 'Parent');
    const child = new NestedStack(parent, 'Child');
    const grandchild = new NestedStack(child, 'Grandchild');
    new s3.Bucket(grandchild, 'Deep');
    const templates = TemplateIndex.load(app, templatePaths(app), { durableStages });
    expect(templates.map(t => [t.path, t.stageName, t.durable])).toEqual([
      ['Payments/prod/Parent', 'Payments-prod', true],
      ['Payments/prod/Parent/Child', 'Payments-prod', true],
      ['Payments/prod/Parent/Child/Grandchild', 'Payments-prod', true],
    ]);
    expect(templates[2].resources.map(r => r.constructPath)).toEqual(['Payments/prod/Parent/Child/Grandchild/Deep/Resource']);
    // Each nested template is linked to its parent's, at the logical id of its stack resource there.
    const links = templates.map(t => t.parent && [t.parent.template.path, t.parent.template.resource(t.parent.logicalId)?.constructPath]);
    expect(links).toEqual([
      undefined,
      ['Payments/prod/Parent', 'Payments/prod/Parent/Child.NestedStack/Child.NestedStackResource'],
      ['Payments/prod/Parent/Child', 'Payments/prod/Parent/Child/Grandchild.NestedStack/Grandchild.NestedStackResource'],
    ]);
    expect(templates.map(t => [...t.nestedStacks.values()])).toEqual([[templates[1]], [templates[2]], []]);
  });

  test('a stage inside a durable stage is durable; a durable name elsewhere in the path of another stage is not', () => {
    const app = testApp();
    new Stack(new Stage(new Stage(app, 'prod'), 'Blue'), 'Workload');
    new Stack(new Stage(app, 'prodlike'), 'Workload');
    const templates = TemplateIndex.load(app, templatePaths(app), { durableStages });
    expect(templates.map(t => `${t.path} ${t.stageName} ${t.durable}`).sort()).toEqual([
      'prod/Blue/Workload prod-Blue true',
      'prodlike/Workload prodlike false',
    ]);
  });

  test('a registered pack leaves the stacks of inner stages with a pack of the same name to that pack, so each stack is judged once', () => {
    const app = testApp();
    const outer = new Stage(app, 'Payments');
    const inner = new Stage(outer, 'prod');
    const plain = new Stage(outer, 'Blue');
    for (const stage of [outer, inner, plain]) new Stack(stage, 'Workload');
    const outerPack = { name: 'FintechChecks', validate: () => ({ success: true, violations: [] }) };
    const innerPack = { name: 'FintechChecks', validate: () => ({ success: true, violations: [] }) };
    Validations.of(outer).addPlugins(outerPack);
    Validations.of(inner).addPlugins(innerPack);
    const paths = quietSynth(app).stacksRecursively.map(s => s.templateFullPath);
    expect(paths).toHaveLength(3);
    const judged = (scope: Stage, plugin?: { name: string }) => TemplateIndex.load(scope, paths, { durableStages, plugin }).map(t => t.path).sort();
    expect(judged(outer, outerPack)).toEqual(['Payments/Blue/Workload', 'Payments/Workload']);
    expect(judged(inner, innerPack)).toEqual(['Payments/Blue/Workload', 'Payments/Workload', 'Payments/prod/Workload']);
    // A pack that is not registered where it judges (a test calling validate) and no pack at all leave nothing out.
    expect(judged(outer, { name: 'FintechChecks' })).toHaveLength(3);
    expect(judged(outer)).toHaveLength(3);
  });

  test('parses each template once per synth for the packs of every stage, and again after the next synth', () => {
    const app = testApp();
    new Stack(new Stage(app, 'dev'), 'Workload');
    const paths = templatePaths(app);
    const [first] = TemplateIndex.load(app, paths, { durableStages });
    const [second] = TemplateIndex.load(app, paths, { durableStages: [] });
    expect(second.template).toBe(first.template);
    expect(TemplateIndex.appTemplatePaths(app)).toEqual(paths.map(p => path.resolve(p)));
    const [afterResynth] = TemplateIndex.load(app, app.synth({ force: true }).stacksRecursively.map(s => s.templateFullPath), { durableStages });
    expect(afterResynth.template).not.toBe(first.template);
    expect(afterResynth.template).toEqual(first.template);
  });

  test('indexes an included raw template and the nested template it loads, with what synth knows resolved and parameters left unknown', () => {
    const app = testApp();
    const stack = new Stack(app, 'Books');
    const fixtures = path.join(__dirname, 'fixtures');
    new cfninc.CfnInclude(stack, 'Legacy', {
      templateFile: path.join(fixtures, 'included-parent.json'),
      loadNestedStacks: { Ledger: { templateFile: path.join(fixtures, 'included-child.json') } },
    });
    const templates = TemplateIndex.load(app, templatePaths(app), { durableStages });
    expect(templates.map(t => t.path)).toEqual(['Books', 'Books/Legacy/Ledger']);
    const nested = templates[1];
    expect(nested.resources.map(r => [r.constructPath, r.properties])).toEqual([
      ['Books/Legacy/Ledger/Ledger/Entries', { QueueName: 'ledger-entries' }],
      ['Books/Legacy/Ledger/Ledger/Audit', { DelaySeconds: { 'Fn::If': ['Strict', 0, 5] } }],
    ]);
  });

  test('in a synth, the packs of an outer and an inner stage each judge their own stacks, once', () => {
    const app = testApp();
    const outer = new Stage(app, 'Payments');
    const inner = new Stage(outer, 'prod');
    new s3.CfnBucket(new Stack(outer, 'Shared'), 'Plain');
    new s3.CfnBucket(new Stack(inner, 'Workload'), 'Plain');
    const outerPack = new FintechChecks(outer);
    const innerPack = new FintechChecks(inner);
    Validations.of(outer).addPlugins(outerPack);
    Validations.of(inner).addPlugins(innerPack);
    quietSynth(app);
    const stacksOf = (pack: FintechChecks) => [...new Set(pack.findings.map(f => f.constructPath.split('/').slice(0, -1).join('/')))];
    expect(stacksOf(outerPack)).toEqual(['Payments/Shared']);
    expect(stacksOf(innerPack)).toEqual(['Payments/prod/Workload']);
    expect(innerPack.findings.every(f => f.durable)).toBe(true);
  });
});
