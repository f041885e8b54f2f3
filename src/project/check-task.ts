import * as path from 'path';
import { Component, ProjenrcFile } from 'projen';
import type { TypeScriptProject } from 'projen/lib/typescript';

const TS_NAME = 'Type-check and lint src, test and .projenrc.ts with one TypeScript program (synth, jest and projenrc run transpile-only)';
const TSC_NAME = 'Type-check src, test and .projenrc.ts once (synth, jest and projenrc run transpile-only)';

/**
 * `compile` type-checks and lints src, test and the projenrc files with one TypeScript program
 * (`fintech-check`): tsc and typescript-eslint each built the same program before, 6 s + 10 s measured
 * against 9.4 s together. With a JavaScript projenrc (typescript-eslint lints only files of its program), or
 * without eslint, `compile` is `tsc --noEmit`, followed by the `eslint` task when there is one.
 * Either way linting, which fixes sources (`--fix`), is part of `compile` and done before `test` reads the sources;
 * `test` no longer spawns `eslint`, and the `eslint` task stays for linting alone.
 * Every linted folder is part of the dev tsconfig, since typescript-eslint lints only files of its program.
 *
 * Everything is set up when the component is constructed, from the project's projenrc and eslint components (both made
 * by projen's constructors), so the order in which the template's components are created does not matter. Only the list
 * of folders `fintech-check` lints is completed at synth, as projen's own Eslint component does for its task.
 */
export class CheckTask extends Component {
  private readonly tsProject: TypeScriptProject;
  /** Whether `compile` runs fintech-check (TypeScript lint patterns only) rather than tsc and eslint. */
  private readonly oneProgram: boolean;

  constructor(project: TypeScriptProject) {
    super(project);
    this.tsProject = project;
    for (const file of [`${project.srcdir}/**/*.ts`, '.projenrc.ts', 'projenrc/**/*.ts']) this.include(file);
    const eslint = project.eslint;
    const projenrc = ProjenrcFile.of(project)?.filePath ?? '';
    this.oneProgram = eslint !== undefined && !/\.[cm]?jsx?$/.test(projenrc);
    const compile = project.compileTask;
    const tsconfig = project.tsconfigDev.fileName;
    if (eslint) {
      const lintStep = project.testTask.steps.findIndex(step => step.spawn === eslint.eslintTask.name);
      if (lintStep >= 0) project.testTask.removeStep(lintStep);
    }
    if (this.oneProgram) {
      compile.reset(this.fintechCheck(), { name: TS_NAME });
      compile.env('ESLINT_USE_FLAT_CONFIG', 'false');
      compile.description = 'Type-checks and lints src, test and .projenrc.ts once (fintech-check); synth, jest and projenrc run transpile-only';
    } else {
      compile.reset(`tsc --noEmit -p ${tsconfig}`, { name: TSC_NAME });
      if (eslint) compile.spawn(eslint.eslintTask);
      compile.description = `Type-checks src, test and .projenrc.ts once${eslint ? ', then lints (eslint --fix) before test runs' : ''}; synth, jest and projenrc run transpile-only`;
    }
  }

  /** projen's projenrc component adds its files to the lint patterns at synth: lint them too, and keep them in the program. */
  public preSynthesize(): void {
    if (!this.oneProgram) return;
    for (const pattern of this.tsProject.eslint!.lintPatterns) this.include(/\.tsx?$/.test(pattern) ? pattern : `${pattern}/**/*.ts`);
    this.tsProject.compileTask.updateStep(0, { exec: this.fintechCheck(), name: TS_NAME });
  }

  private fintechCheck(): string {
    const patterns = this.tsProject.eslint!.lintPatterns;
    return `fintech-check --project ${this.tsProject.tsconfigDev.fileName} --fix --ext .ts,.tsx ${patterns.join(' ')}`;
  }

  /** Adds a file or glob, given from the project root, to the dev tsconfig once. */
  private include(fromRoot: string): void {
    const tsconfig = this.tsProject.tsconfigDev;
    const relative = path.posix.join(path.posix.relative(path.posix.dirname(tsconfig.fileName), '.') || '.', fromRoot);
    if (!tsconfig.include.includes(relative)) tsconfig.addInclude(relative);
  }
}
