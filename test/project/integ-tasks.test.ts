import * as fs from 'fs';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import { IntegTasks } from '../../src/project/integ-tasks';
import * as versions from '../../src/project/versions';
import { newProject } from '../support/fintech-cdk-app-fixture';
import { cdkAppProject } from '../support/projen-fixture';

describe('IntegTasks as FintechCdkApp wires them', () => {
  const files = synthSnapshot(newProject());
  const tasks = files['.projen/tasks.json'].tasks;
  const pkg = files['package.json'];

  test('adds offline integ tasks with pinned integ-runner and integ-tests-alpha, verified by test', () => {
    expect(pkg.devDependencies['@aws-cdk/integ-runner']).toBe('2.197.10');
    expect(pkg.devDependencies['@aws-cdk/integ-tests-alpha']).toBe('2.245.0-alpha.0');
    expect(tasks['integ:snapshot'].steps).toEqual([expect.objectContaining({ exec: 'fintech-integ snapshot --directory test/integ --region us-east-1' })]);
    expect(tasks['integ:verify'].steps).toEqual([expect.objectContaining({ exec: 'fintech-integ verify --directory test/integ --region us-east-1' })]);
    expect(tasks.test.steps[0].exec).toMatch(/^fintech-parallel test:unit,.*integ:verify,synth:silent$/);
    expect(tasks['integ:deploy'].steps).toEqual([{ exec: 'fintech-integ deploy --directory test/integ --region us-east-1', receiveArgs: true }]);
    expect(tasks['integ:destroy'].steps).toEqual([{ exec: 'fintech-integ destroy --directory test/integ --region us-east-1', receiveArgs: true }]);
    expect(pkg.devDependencies['@aws-sdk/client-ssm']).toBeDefined();
    expect(pkg.jest.testPathIgnorePatterns).toContain('/test/integ/');
    expect(files['test/integ/integ.payment-webhook.ts']).toContain('new IntegTest(app');
  });
});

describe('IntegTasks', () => {
  function withIntegTasks(directory = 'spec/integ', region = 'eu-central-1') {
    const project = cdkAppProject();
    const component = new IntegTasks(project, { directory, region });
    return { project, component };
  }
  const { project } = withIntegTasks();
  const files = synthSnapshot(project);
  const tasks = files['.projen/tasks.json'].tasks;
  const pkg = files['package.json'];

  test('each task runs fintech-integ on the directory and region it is given, passing arguments on', () => {
    for (const action of ['snapshot', 'verify', 'deploy', 'destroy']) {
      expect(tasks[`integ:${action}`].steps).toEqual([{ exec: `fintech-integ ${action} --directory spec/integ --region eu-central-1`, receiveArgs: true }]);
    }
  });

  test('the descriptions say which steps are offline and which deploy to AWS', () => {
    expect(tasks['integ:snapshot'].description).toBe('Synthesizes every spec/integ/integ.*.ts (assertions included) and writes its snapshot; offline, no AWS');
    expect(tasks['integ:verify'].description).toBe('Fails when an integ test has no snapshot or synthesizes differently from it (readable diff); offline, part of `test`');
    expect(tasks['integ:deploy'].description).toBe('Deploys each spec/integ/integ.*.ts to eu-central-1, runs its assertions on AWS and destroys it, also on failure; ' +
      'checks credentials, bootstrap and the SSM parameters the stacks resolve first (fails in seconds)');
    expect(tasks['integ:destroy'].description).toBe('Destroys every stack of the integ tests that exists (from their snapshots; stacks never created are skipped), e.g. after an interrupted integ:deploy');
  });

  test('test spawns integ:verify, and nothing deploys as part of test', () => {
    expect(tasks.test.steps).toContainEqual({ spawn: 'integ:verify' });
    expect(tasks.test.steps.filter((step: { spawn?: string }) => step.spawn?.startsWith('integ:'))).toEqual([{ spawn: 'integ:verify' }]);
  });

  test('pins integ-runner, integ-tests-alpha and the SSM client of the deploy pre-check as devDependencies', () => {
    expect(pkg.devDependencies['@aws-cdk/integ-runner']).toBe(versions.INTEG_RUNNER_VERSION);
    expect(pkg.devDependencies['@aws-cdk/integ-tests-alpha']).toBe(versions.INTEG_TESTS_ALPHA_VERSION);
    expect(pkg.devDependencies['@aws-sdk/client-ssm']).toBe(versions.AWS_SDK_VERSION);
    expect(pkg.dependencies?.['@aws-cdk/integ-runner']).toBeUndefined();
  });

  test('keeps integ-runner\'s working assemblies out of git and the integ tests out of jest', () => {
    expect(files['.gitignore']).toContain('/spec/integ/cdk.out/');
    expect(files['.gitignore']).toContain('/spec/integ/**/cdk.context.json');
    expect(pkg.jest.testPathIgnorePatterns).toContain('/spec/integ/');
  });

  test('keeps jest\'s crawl out of the snapshots integ:verify moves and rewrites, and integ-runner\'s cdk.out', () => {
    expect(pkg.jest.modulePathIgnorePatterns).toEqual(expect.arrayContaining(['<rootDir>/spec/integ/[^/]*\\.snapshot/', '<rootDir>/spec/integ/cdk\\.out/']));
  });

  describe('after projen new', () => {
    function created(integFiles: string[]) {
      const made = withIntegTasks('test/integ');
      const dir = path.join(made.project.outdir, 'test', 'integ');
      for (const file of integFiles) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), '');
      }
      const runTask = jest.spyOn(made.project.tasks, 'runTask').mockImplementation(() => undefined);
      made.component.postProjectCreation();
      return runTask;
    }

    test('writes the snapshots when an integ test has none, so the first build verifies it', () => {
      expect(created(['integ.ledger.ts', 'handlers/webhook-sender.ts']).mock.calls).toEqual([['integ:snapshot']]);
    });

    test('leaves tests that have a snapshot, and repos without integ tests, alone', () => {
      expect(created(['integ.ledger.ts', 'integ.ledger.ts.snapshot/manifest.json'])).not.toHaveBeenCalled();
      expect(created(['handlers/webhook-sender.ts'])).not.toHaveBeenCalled();
      expect(created([])).not.toHaveBeenCalled();
    });
  });
});
