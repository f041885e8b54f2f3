import { typescript } from 'projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { ParallelTestTask } from '../../src/project/parallel-test-task';
import { typescriptProject } from '../support/projen-fixture';

function tasksOf(options: Partial<typescript.TypeScriptProjectOptions>): any {
  const project = typescriptProject(options);
  new ParallelTestTask(project);
  return synthSnapshot(project)['.projen/tasks.json'].tasks;
}

describe('ParallelTestTask', () => {
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
