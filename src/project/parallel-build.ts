import { Component } from 'projen';
import type { TypeScriptProject } from 'projen/lib/typescript';
import { folderPattern, keepJestOutOf } from './jest-module-paths';

/**
 * Runs the parts of `test` that do not depend on each other side by side with `fintech-parallel`. Synth, jest and the
 * integ snapshots are transpile-only and mostly single-threaded, so two cores finish them in about the time of the
 * longest. `test` becomes:
 *
 * - the `eslint` task first and alone, when `test` spawns it: it fixes sources (`--fix`) that jest and synth read;
 * - then, side by side: its own steps (jest), moved to `test:unit` (this component's task; arguments of
 *   `npx projen test -- ...` go to jest), the other tasks it spawns (`integ:verify`), and `synth:silent` (synth with the
 *   rule pack, a check like the others), taken from `post-compile` when that is all `post-compile` does, as in every CDK
 *   app projen makes. Other `post-compile` steps may read `cdk.out`: with them, `post-compile` stays as it is.
 *
 * `test:unit` is created with the component. What runs side by side is read from `test` and `post-compile` at synth,
 * when every component and `.projenrc.ts` have added their tasks: components extend `test` with `testTask.spawn(...)`
 * in their constructors, in any order, and no other component changes `test` or `post-compile` later.
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
    const fixer = this.tsProject.eslint?.eslintTask.name;
    const spawned = steps.filter(step => step.spawn !== undefined && step.spawn !== fixer).map(step => step.spawn!);
    const lintsFirst = steps.some(step => step.spawn !== undefined && step.spawn === fixer);
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
      // Synth rewrites the cloud assembly (bundled assets included) while jest runs beside it.
      keepJestOutOf(this.tsProject, folderPattern(cdkOutOf(this.tsProject)));
    }
    testTask.reset();
    if (lintsFirst) testTask.spawn(projectTasks.tryFind(fixer!)!, { name: 'Lint and fix sources before anything reads them' });
    testTask.exec(`fintech-parallel ${tasks.join(',')}`, { receiveArgs: true, name: `Run ${tasks.join(', ')} side by side` });
    testTask.description = `${lintsFirst ? `Runs ${fixer} (it fixes sources), then ` : 'Runs '}${tasks.join(', ')} side by side (fintech-parallel), each task's output in one block`;
  }
}

/** Where a CDK app project synthesizes to (`cdkout` of its cdk.json); `cdk.out`, CDK's default, for any other project. */
function cdkOutOf(project: TypeScriptProject): string {
  const cdkout: unknown = (project as { cdkConfig?: { cdkout?: unknown } }).cdkConfig?.cdkout;
  return typeof cdkout === 'string' && cdkout.length > 0 ? cdkout : 'cdk.out';
}
