import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FintechPlatformConfig, FintechStage } from '../../src';
import { architectureFlowchart } from '../../src/diagram/architecture-diagram';
import { BLUEPRINTS, blueprintDiagramPath } from '../../src/project/blueprint-samples';
import { StackTemplate } from '../../src/rules/stack-template';
import { addOnProps } from '../support/add-on-props';

// The README of a new repo shows its blueprint's architecture as drawn from the synthesized stack. The drawings ship with
// the blueprints; this test fails when one is out of date, and `npx projen diagram:blueprints` redraws them.
const UPDATE = process.env.UPDATE_BLUEPRINT_DIAGRAMS === '1';
const ROOT = path.join(__dirname, '..', '..', 'blueprints');

// An add-on blueprint is drawn over this workload, given what main.ts gives it (the blueprint's own code of its props).
const ADD_ON_WORKLOAD = 'payment-webhook';

function stackClassOf(name: string): new (scope: FintechStage, id: string, props?: object) => Stack {
  const { file, className } = BLUEPRINTS[name].stack;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(ROOT, name, 'src', file))[className];
}

function draw(name: string): string {
  const blueprint = BLUEPRINTS[name];
  const config: FintechPlatformConfig = JSON.parse(fs.readFileSync(path.join(ROOT, name, 'src', 'fintech.config.json'), 'utf-8'));
  const app = new App({
    context: { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false },
  });
  const [stage] = FintechStage.fromConfig(app, { ...config, environments: config.environments.slice(0, 1) });
  const workload = () => new (stackClassOf(ADD_ON_WORKLOAD))(stage, BLUEPRINTS[ADD_ON_WORKLOAD].stack.id);
  const props = blueprint.addOn ? addOnProps({ [ADD_ON_WORKLOAD]: workload() }) : undefined;
  const stack = new (stackClassOf(name))(stage, blueprint.stack.id, props);
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
