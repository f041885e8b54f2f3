import { synthSnapshot } from 'projen/lib/util/synth';
import { FintechEnvironment } from '../../src/config/platform-config';
import { DeployTasks } from '../../src/project/deploy-tasks';
import * as versions from '../../src/project/versions';
import { newProject } from '../support/fintech-cdk-app-fixture';
import { cdkAppProject } from '../support/projen-fixture';

describe('DeployTasks as FintechCdkApp wires them', () => {
  const files = synthSnapshot(newProject());
  const tasks = files['.projen/tasks.json'].tasks;
  const pkg = files['package.json'];

  test('adds deploy, diff and destroy tasks per environment through the pre-checking fintech-deploy', () => {
    expect(tasks['deploy:prod']).toEqual(expect.objectContaining({
      description: 'Deploys the prod stage (no account set, us-east-1) after credentials, bootstrap, SSM parameter and stack state pre-checks; durable: needs --confirm or CI',
      steps: [{ exec: 'fintech-deploy deploy prod', receiveArgs: true }],
    }));
    expect(tasks['diff:dev'].steps).toEqual([{ exec: 'fintech-deploy diff dev', receiveArgs: true }]);
    expect(tasks['diff:dev'].description).toBe('Diffs the dev stage (no account set, us-east-1) after a credentials pre-check');
    expect(tasks['destroy:staging'].steps).toEqual([{ exec: 'fintech-deploy destroy staging', receiveArgs: true }]);
    expect(tasks.deploy.steps).toEqual([{ exec: 'fintech-deploy deploy', receiveArgs: true }]);
    expect(tasks.deploy.description).toBe('Same as deploy:<stage>, for the stage given as argument: npx projen deploy <stage>');
    expect(pkg.devDependencies['@aws-sdk/client-sts']).toBeDefined();
  });
});

describe('DeployTasks', () => {
  const ENVIRONMENTS: FintechEnvironment[] = [
    { name: 'sandbox', region: 'eu-west-1', durable: false },
    { name: 'live', account: '123456789012', region: 'eu-central-1', durable: true },
  ];
  const project = cdkAppProject();
  new DeployTasks(project, ENVIRONMENTS);
  const files = synthSnapshot(project);
  const tasks = files['.projen/tasks.json'].tasks;
  const pkg = files['package.json'];

  test('one task per action and environment, each running fintech-deploy with that stage and passing arguments on', () => {
    for (const action of ['deploy', 'diff', 'destroy']) {
      for (const env of ['sandbox', 'live']) {
        expect(tasks[`${action}:${env}`].steps).toEqual([{ exec: `fintech-deploy ${action} ${env}`, receiveArgs: true }]);
      }
    }
    expect(Object.keys(tasks).filter(name => /^(deploy|diff|destroy):/.test(name)).sort())
      .toEqual(['deploy:live', 'deploy:sandbox', 'destroy:live', 'destroy:sandbox', 'diff:live', 'diff:sandbox']);
  });

  test('descriptions name the account and region, the pre-checks, and the guard of durable stages (diff needs none)', () => {
    expect(tasks['deploy:sandbox'].description).toBe('Deploys the sandbox stage (no account set, eu-west-1) after credentials, bootstrap, SSM parameter and stack state pre-checks');
    expect(tasks['deploy:live'].description)
      .toBe('Deploys the live stage (account 123456789012, eu-central-1) after credentials, bootstrap, SSM parameter and stack state pre-checks; durable: needs --confirm or CI');
    expect(tasks['diff:live'].description).toBe('Diffs the live stage (account 123456789012, eu-central-1) after a credentials pre-check');
    expect(tasks['destroy:sandbox'].description).toBe('Destroys the sandbox stage (no account set, eu-west-1) after a credentials pre-check');
    expect(tasks['destroy:live'].description)
      .toBe('Destroys the live stage (account 123456789012, eu-central-1) after a credentials pre-check; durable: needs --confirm or CI');
  });

  test('the generic cdk deploy, diff and destroy take the stage as argument instead of selecting no stack', () => {
    for (const action of ['deploy', 'diff', 'destroy']) {
      expect(tasks[action].steps).toEqual([{ exec: `fintech-deploy ${action}`, receiveArgs: true }]);
      expect(tasks[action].description).toBe(`Same as ${action}:<stage>, for the stage given as argument: npx projen ${action} <stage>`);
    }
  });

  test('adds the SDK clients the pre-checks call, in the pinned version, as devDependencies', () => {
    for (const client of ['@aws-sdk/client-sts', '@aws-sdk/client-ssm', '@aws-sdk/client-cloudformation', '@aws-sdk/credential-provider-node']) {
      expect(pkg.devDependencies[client]).toBe(versions.AWS_SDK_VERSION);
    }
  });

  test('without environments, only the generic tasks remain', () => {
    const bare = cdkAppProject();
    new DeployTasks(bare, []);
    const bareTasks = synthSnapshot(bare)['.projen/tasks.json'].tasks;
    expect(Object.keys(bareTasks).filter(name => /^(deploy|diff|destroy)/.test(name)).sort()).toEqual(['deploy', 'destroy', 'diff']);
  });
});
