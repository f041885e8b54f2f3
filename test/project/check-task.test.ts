import { typescript } from 'projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { CheckTask } from '../../src/project/check-task';
import { typescriptProject } from '../support/projen-fixture';

function synth(options: Partial<typescript.TypeScriptProjectOptions>): any {
  const project = typescriptProject(options);
  new CheckTask(project);
  return synthSnapshot(project);
}

describe('CheckTask', () => {
  test('compile type-checks and lints every lint pattern with one program; test no longer runs eslint', () => {
    const files = synth({ projenrcTs: true });
    const tasks = files['.projen/tasks.json'].tasks;
    expect(tasks.compile.steps).toEqual([expect.objectContaining({
      exec: 'fintech-check --project test/tsconfig.json --fix --ext .ts,.tsx src test build-tools projenrc .projenrc.ts',
    })]);
    expect(tasks.compile.env).toEqual({ ESLINT_USE_FLAT_CONFIG: 'false' });
    expect(tasks.test.steps.some((step: any) => step.spawn === 'eslint')).toBe(false);
    expect(tasks.eslint).toBeDefined();
    // typescript-eslint lints only files of its program: every lint pattern is in the dev tsconfig, once.
    expect(files['test/tsconfig.json'].include).toEqual(['**/*.ts', '../src/**/*.ts', '../.projenrc.ts', '../projenrc/**/*.ts', '../test/**/*.ts', '../build-tools/**/*.ts']);
  });

  test('a JavaScript projenrc keeps tsc in compile, then lints (and fixes) before test; no eslint keeps tsc alone', () => {
    const js = synth({ projenrcTs: false })['.projen/tasks.json'].tasks;
    expect(js.compile.steps).toEqual([expect.objectContaining({ exec: 'tsc --noEmit -p test/tsconfig.json' }), { spawn: 'eslint' }]);
    expect(js.test.steps.some((step: any) => step.spawn === 'eslint')).toBe(false);
    const none = synth({ eslint: false })['.projen/tasks.json'].tasks;
    expect(none.compile.steps).toEqual([expect.objectContaining({ exec: 'tsc --noEmit -p test/tsconfig.json' })]);
  });
});
