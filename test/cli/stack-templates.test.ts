import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stackTemplates, templateName } from '../../src/cli/stack-templates';

describe('stackTemplates', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, content: unknown) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(content));
  };

  test('reads what the manifest lists, nested stage assemblies and nested stacks included, and nothing a previous synth left', () => {
    write('manifest.json', {
      artifacts: {
        'assembly-dev': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-dev' } },
        'Assert': { type: 'aws:cloudformation:stack', properties: { templateFile: 'Assert.template.json' } },
        'Tree': { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    });
    write('Assert.template.json', { Resources: {} });
    write('Stale.template.json', { Resources: {} });
    write('assembly-dev/manifest.json', { artifacts: { devApp: { type: 'aws:cloudformation:stack' } } });
    write('assembly-dev/devApp.template.json', {
      Resources: { Inner: { Type: 'AWS::CloudFormation::Stack', Metadata: { 'aws:asset:path': 'devAppInner.nested.template.json' } } },
    });
    write('assembly-dev/devAppInner.nested.template.json', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } });
    const found = stackTemplates([dir, path.join(dir, 'Assert.template.json')]);
    expect(found.map(t => templateName(t.file))).toEqual(['devApp', 'devAppInner.nested', 'Assert']);
    expect(found[1].template.Resources.Q.Type).toBe('AWS::SQS::Queue');
  });

  test('a directory without a manifest: its templates and assembly-* directories; a missing path adds nothing', () => {
    write('One.template.json', {});
    write('assembly-prod/Two.template.json', {});
    write('other/Three.template.json', {});
    expect(stackTemplates([dir, path.join(dir, 'missing')]).map(t => templateName(t.file)).sort()).toEqual(['One', 'Two']);
  });
});
