import { Component } from 'projen';
import type { TypeScriptProject } from 'projen/lib/typescript';

/**
 * Runs the parts of `build` that do not depend on each other side by side with `fintech-parallel`. Synth, jest and the
 * integ snapshots are transpile-only and mostly single-threaded, so two cores finish them in about the time of the
 * longest. `test` becomes:
 *
 * - its own steps (jest), moved to `test:unit`; arguments of `npx projen test -- ...` go to jest;
 * - the tasks it spawned (`integ:verify`);
 * - `synth:silent` (synth with the rule pack, a check like the others), taken from `post-compile` when that is all
 *   `post-compile` does, as in every CDK app projen makes. `build` runs `test` after `compile`, which may rewrite
 *   sources with `eslint --fix` and so runs first and alone. Other `post-compile` steps may read `cdk.out`: with them,
 *   `post-compile` stays as it is.
 *
 * Each task's output is printed in one block when it ends. `test` is left as it is when there is nothing to run together.
 */
export class ParallelBuild extends Component {
  private readonly tsProject: TypeScriptProject;

  constructor(project: TypeScriptProject) {
    super(project);
    this.tsProject = project;
  }

  public preSynthesize(): void {
    const { postCompileTask, testTask, tasks: projectTasks } = this.tsProject;
    const steps = testTask.steps;
    const spawned = steps.filter(step => step.spawn !== undefined).map(step => step.spawn!);
    const own = steps.filter(step => step.spawn === undefined);
    const synth = projectTasks.tryFind('synth:silent');
    const postCompileIsSynth = synth !== undefined && postCompileTask.steps.length === 1 && postCompileTask.steps[0].spawn === synth.name;
    if (spawned.length + (own.length > 0 ? 1 : 0) + (postCompileIsSynth ? 1 : 0) < 2) return;
    const tasks = [...spawned];
    if (own.length > 0) {
      const unit = projectTasks.tryFind('test:unit') ?? this.tsProject.addTask('test:unit', {
        description: 'Unit tests (jest) alone; `test` runs them side by side with the other test tasks',
      });
      unit.reset();
      unit.insertStep(0, ...own);
      tasks.unshift(unit.name);
    }
    if (postCompileIsSynth) {
      postCompileTask.reset();
      tasks.push(synth.name);
    }
    testTask.reset(`fintech-parallel ${tasks.join(',')}`, { receiveArgs: true, name: `Run ${tasks.join(', ')} side by side` });
    testTask.description = `Runs ${tasks.join(', ')} side by side (fintech-parallel), each task's output in one block`;
  }
}
