import { typescript } from 'projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { ParallelBuild } from '../../src/project/parallel-build';
import { typescriptProject } from '../support/projen-fixture';

function tasksOf(options: Partial<typescript.TypeScriptProjectOptions>, customize?: (project: typescript.TypeScriptProject) => void): any {
  const project = typescriptProject(options);
  customize?.(project);
  new ParallelBuild(project);
  return synthSnapshot(project)['.projen/tasks.json'].tasks;
}

const withSynth = (project: typescript.TypeScriptProject) => project.postCompileTask.spawn(project.addTask('synth:silent', { exec: 'cdk synth -q' }));

describe('ParallelBuild: test', () => {
  test('moves jest to test:unit and runs it side by side with the tasks test spawned', () => {
    const tasks = tasksOf({});
    expect(tasks.test.steps).toEqual([{ exec: 'fintech-parallel test:unit,eslint', receiveArgs: true, name: 'Run test:unit, eslint side by side' }]);
    expect(tasks.test.description).toBe('Runs test:unit, eslint side by side (fintech-parallel), each task\'s output in one block');
    expect(tasks['test:unit'].steps).toEqual([expect.objectContaining({ execArgs: expect.arrayContaining(['jest']), receiveArgs: true })]);
  });

  test('leaves test alone when there is only one thing to run', () => {
    const tasks = tasksOf({ eslint: false });
    expect(tasks.test.steps).toEqual([expect.objectContaining({ execArgs: expect.arrayContaining(['jest']) })]);
    expect(tasks['test:unit']).toBeUndefined();
  });
});

describe('ParallelBuild: synth', () => {
  test('moves synth:silent from post-compile into test, next to the other checks', () => {
    const tasks = tasksOf({}, withSynth);
    expect(tasks.test.steps).toEqual([{
      exec: 'fintech-parallel test:unit,eslint,synth:silent',
      receiveArgs: true,
      name: 'Run test:unit, eslint, synth:silent side by side',
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
      project.postCompileTask.exec('cdk-dia --tree cdk.out/tree.json');
    });
    expect(tasks['post-compile'].steps).toEqual([{ spawn: 'synth:silent' }, { exec: 'cdk-dia --tree cdk.out/tree.json' }]);
    expect(tasks.test.steps).toEqual([expect.objectContaining({ exec: 'fintech-parallel test:unit,eslint' })]);
  });
});
