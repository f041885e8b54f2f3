import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { awscdk, typescript } from 'projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { CheckTask } from '../../src/project/check-task';
import { ChecksReportTask } from '../../src/project/checks-report-task';
import { DeployTasks } from '../../src/project/deploy-tasks';
import { DiagramTask } from '../../src/project/diagram-task';
import { IntegTasks } from '../../src/project/integ-tasks';
import { ParallelBuild } from '../../src/project/parallel-build';
import { cdkAppProject, typescriptProject } from '../support/projen-fixture';

function tasksOf(options: Partial<typescript.TypeScriptProjectOptions>, customize?: (project: typescript.TypeScriptProject) => void): any {
  const project = typescriptProject(options);
  customize?.(project);
  new ParallelBuild(project);
  return synthSnapshot(project)['.projen/tasks.json'].tasks;
}

const withSynth = (project: typescript.TypeScriptProject) => project.postCompileTask.spawn(project.addTask('synth:silent', { exec: 'cdk synth -q' }));
const withVerify = (project: typescript.TypeScriptProject) => project.testTask.spawn(project.addTask('integ:verify', { exec: 'fintech-integ verify' }));
const lintFirst = { spawn: 'eslint', name: 'Lint and fix sources before anything reads them' };

describe('ParallelBuild: test', () => {
  test('moves jest to test:unit and runs it side by side with the tasks test spawned, after eslint (which fixes sources)', () => {
    const tasks = tasksOf({}, withVerify);
    expect(tasks.test.steps).toEqual([lintFirst, { exec: 'fintech-parallel test:unit,integ:verify', receiveArgs: true, name: 'Run test:unit, integ:verify side by side' }]);
    expect(tasks.test.description).toBe('Runs eslint (it fixes sources), then test:unit, integ:verify side by side (fintech-parallel), each task\'s output in one block');
    expect(tasks['test:unit'].steps).toEqual([expect.objectContaining({ execArgs: expect.arrayContaining(['jest']), receiveArgs: true })]);
  });

  test('never runs eslint --fix side by side with jest or synth, which read the same files', () => {
    const tasks = tasksOf({}, project => { withVerify(project); withSynth(project); });
    expect(tasks.test.steps[0]).toEqual(lintFirst);
    expect(tasks.test.steps[1].exec).toBe('fintech-parallel test:unit,integ:verify,synth:silent');
  });

  test('leaves test alone when there is only one thing to run', () => {
    const tasks = tasksOf({ eslint: false });
    expect(tasks.test.steps).toEqual([expect.objectContaining({ execArgs: expect.arrayContaining(['jest']) })]);
    expect(tasks['test:unit']).toBeUndefined();
    // jest, then eslint: one after the other, as projen runs them.
    expect(tasksOf({}).test.steps).toEqual([expect.objectContaining({ execArgs: expect.arrayContaining(['jest']) }), { spawn: 'eslint' }]);
  });
});

describe('ParallelBuild: synth', () => {
  test('moves synth:silent from post-compile into test, next to the other checks', () => {
    const tasks = tasksOf({}, withSynth);
    expect(tasks.test.steps).toEqual([lintFirst, {
      exec: 'fintech-parallel test:unit,synth:silent',
      receiveArgs: true,
      name: 'Run test:unit, synth:silent side by side',
    }]);
    expect(tasks['post-compile'].steps).toBeUndefined();
    // build is projen's own: test still runs after compile.
    expect(tasks.build.steps).toEqual(['default', 'pre-compile', 'compile', 'post-compile', 'test', 'package'].map(spawn => ({ spawn })));
  });

  test('runs synth next to jest alone when test spawns nothing', () => {
    const tasks = tasksOf({ eslint: false }, withSynth);
    expect(tasks.test.steps).toEqual([expect.objectContaining({ exec: 'fintech-parallel test:unit,synth:silent' })]);
  });

  test('leaves post-compile alone when it does more than synth, as later steps may read cdk.out', () => {
    const tasks = tasksOf({}, project => {
      withSynth(project);
      withVerify(project);
      project.postCompileTask.exec('cdk-dia --tree cdk.out/tree.json');
    });
    expect(tasks['post-compile'].steps).toEqual([{ spawn: 'synth:silent' }, { exec: 'cdk-dia --tree cdk.out/tree.json' }]);
    expect(tasks.test.steps).toEqual([lintFirst, expect.objectContaining({ exec: 'fintech-parallel test:unit,integ:verify' })]);
  });
});

describe('ParallelBuild: jest beside synth', () => {
  function jestConfigOf(project: typescript.TypeScriptProject) {
    new ParallelBuild(project);
    return synthSnapshot(project)['package.json'].jest;
  }

  test('keeps jest\'s crawl out of the cloud assembly synth rewrites beside it, the app\'s cdkout included', () => {
    expect(jestConfigOf(typescriptProject()).modulePathIgnorePatterns).toBeUndefined();
    const withSynthBeside = typescriptProject();
    withSynth(withSynthBeside);
    expect(jestConfigOf(withSynthBeside).modulePathIgnorePatterns).toEqual(['<rootDir>/cdk\\.out/']);
    const app = cdkAppProject({ cdkout: 'build/assembly', jestOptions: { jestConfig: { modulePathIgnorePatterns: ['<rootDir>/fixtures/'] } } });
    expect(jestConfigOf(app).modulePathIgnorePatterns).toEqual(['<rootDir>/fixtures/', '<rootDir>/build/assembly/']);
  });

  test('adds nothing when synth stays in post-compile', () => {
    const project = typescriptProject();
    withSynth(project);
    withVerify(project);
    project.postCompileTask.exec('cdk-dia --tree cdk.out/tree.json');
    expect(jestConfigOf(project).modulePathIgnorePatterns).toBeUndefined();
  });
});

describe('the template\'s task components', () => {
  type Build = (project: awscdk.AwsCdkTypeScriptApp) => void;
  const components: Record<string, Build> = {
    check: project => new CheckTask(project),
    integ: project => new IntegTasks(project, { directory: 'test/integ', region: 'eu-west-1' }),
    parallel: project => new ParallelBuild(project),
    deploy: project => new DeployTasks(project, [{ name: 'dev', region: 'eu-west-1' }, { name: 'prod', region: 'eu-west-1', durable: true }]),
    report: project => new ChecksReportTask(project, 'eu-west-1'),
    diagram: project => new DiagramTask(project, 'dev'),
  };

  function tasksJson(order: string[], projenrcTs: boolean): string {
    const project = new awscdk.AwsCdkTypeScriptApp({
      name: 'ledger',
      defaultReleaseBranch: 'main',
      cdkVersion: '2.257.0',
      projenrcTs,
      sampleCode: false,
      outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'task-order-')),
    });
    for (const name of order) components[name](project);
    return JSON.stringify(synthSnapshot(project)['.projen/tasks.json'], undefined, 2);
  }

  test.each([true, false])('make the same tasks.json whatever order they are created in (projenrcTs: %s)', projenrcTs => {
    const names = Object.keys(components);
    const reference = tasksJson(names, projenrcTs);
    expect(tasksJson([...names].reverse(), projenrcTs)).toBe(reference);
    expect(tasksJson(['parallel', 'diagram', 'check', 'deploy', 'integ', 'report'], projenrcTs)).toBe(reference);
    const tasks = JSON.parse(reference).tasks;
    expect(tasks.test.steps.map((step: any) => step.exec ?? step.spawn)).toEqual(['fintech-parallel test:unit,integ:verify,synth:silent']);
    expect(tasks.compile.steps.map((step: any) => step.exec ?? step.spawn))
      .toEqual(projenrcTs ? [expect.stringMatching(/^fintech-check /)] : ['tsc --noEmit -p test/tsconfig.json', 'eslint']);
  });
});
