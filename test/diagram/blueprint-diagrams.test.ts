import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FintechPlatformConfig, FintechStage } from '../../src';
import { architectureFlowchart } from '../../src/diagram/architecture-diagram';
import { BLUEPRINTS, blueprintDiagramPath } from '../../src/project/blueprint-samples';
import { StackTemplate } from '../../src/rules/stack-template';

// The README of a new repo shows its blueprint's architecture as drawn from the synthesized stack. The drawings ship with
// the blueprints; this test fails when one is out of date, and `npx projen diagram:blueprints` redraws them.
const UPDATE = process.env.UPDATE_BLUEPRINT_DIAGRAMS === '1';
const ROOT = path.join(__dirname, '..', '..', 'blueprints');

function draw(name: string): string {
  const blueprint = BLUEPRINTS[name];
  const config: FintechPlatformConfig = JSON.parse(fs.readFileSync(path.join(ROOT, name, 'src', 'fintech.config.json'), 'utf-8'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stackClass = require(path.join(ROOT, name, 'src', blueprint.stack.file))[blueprint.stack.className] as new (scope: FintechStage, id: string) => Stack;
  const app = new App({
    context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
  const [stage] = FintechStage.fromConfig(app, { ...config, environments: config.environments.slice(0, 1) });
  const stack = new stackClass(stage, blueprint.stack.id);
  const template = new StackTemplate({ templatePath: `${stack.artifactId}.template.json`, template: Template.fromStack(stack).toJSON(), stageName: stage.stageName, durable: false, elements: new Map() });
  return `${architectureFlowchart(template, stack.node.path)}\n`;
}

describe.each(Object.keys(BLUEPRINTS))('blueprint %s', name => {
  test('ships the drawing of its synthesized stack', () => {
    const file = blueprintDiagramPath(name);
    const drawn = draw(name);
    if (UPDATE) fs.writeFileSync(file, drawn);
    const shipped = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : '';
    if (shipped !== drawn) {
      throw new Error(`${path.relative(process.cwd(), file)} is not the drawing of the synthesized ${name} stack; run \`npx projen diagram:blueprints\` and commit it.`);
    }
    expect(shipped).toMatch(/^flowchart LR\n/);
  });
});
