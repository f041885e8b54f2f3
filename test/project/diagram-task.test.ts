import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { awscdk } from 'projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { DiagramTask } from '../../src/project/diagram-task';
import * as versions from '../../src/project/versions';

function tasksOf(options: Partial<awscdk.AwsCdkTypeScriptAppOptions> = {}, stage?: string): any {
  const project = new awscdk.AwsCdkTypeScriptApp({
    name: 'ledger',
    defaultReleaseBranch: 'main',
    cdkVersion: versions.CDK_VERSION,
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-task-')),
    sampleCode: false,
    ...options,
  });
  new DiagramTask(project, stage);
  return synthSnapshot(project)['.projen/tasks.json'].tasks;
}

describe('DiagramTask', () => {
  test('synthesizes, then draws the stage it is given into docs/architecture.md', () => {
    const tasks = tasksOf({}, 'sandbox');
    expect(tasks.diagram.steps).toEqual([{ spawn: 'synth:silent' }, { exec: 'fintech-diagram --app cdk.out --stage sandbox --out docs/architecture.md' }]);
    expect(tasks.diagram.description).toMatch(/^Synthesizes the app and draws each stack of the sandbox stage/);
  });

  test('without a stage, leaves the choice to fintech-diagram', () => {
    expect(tasksOf().diagram.steps[1]).toEqual({ exec: 'fintech-diagram --app cdk.out --out docs/architecture.md' });
  });

  test('reads the cloud assembly where the project writes it', () => {
    expect(tasksOf({ cdkout: 'build/assembly' }).diagram.steps[1]).toEqual({ exec: 'fintech-diagram --app build/assembly --out docs/architecture.md' });
  });
});
