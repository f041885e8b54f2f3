import { Component } from 'projen';
import type { TypeScriptProject } from 'projen/lib/typescript';

/**
 * `test` runs its parts side by side with `fintech-parallel`: its own steps (jest) move to `test:unit`, and the tasks
 * it spawned (`integ:verify`) run next to it. Both are mostly single-threaded (transpile-only jest, one synthesis at
 * a time), so two cores finish them in about the time of the longer one. Each task's output is printed in one block
 * when it ends; arguments of `npx projen test -- ...` go to jest. Left as it is when there is nothing to run together.
 */
export class ParallelTestTask extends Component {
  private readonly tsProject: TypeScriptProject;

  constructor(project: TypeScriptProject) {
    super(project);
    this.tsProject = project;
  }

  public preSynthesize(): void {
    const test = this.tsProject.testTask;
    const steps = test.steps;
    const spawned = steps.filter(step => step.spawn !== undefined).map(step => step.spawn!);
    const own = steps.filter(step => step.spawn === undefined);
    if (spawned.length + (own.length > 0 ? 1 : 0) < 2) return;
    const tasks = [...spawned];
    if (own.length > 0) {
      const unit = this.tsProject.tasks.tryFind('test:unit') ?? this.tsProject.addTask('test:unit', {
        description: 'Unit tests (jest) alone; `test` runs them side by side with the other test tasks',
      });
      unit.reset();
      unit.insertStep(0, ...own);
      tasks.unshift(unit.name);
    }
    test.reset(`fintech-parallel ${tasks.join(',')}`, { receiveArgs: true, name: `Run ${tasks.join(', ')} side by side` });
    test.description = `Runs ${tasks.join(', ')} side by side (fintech-parallel), each task's output in one block`;
  }
}
