import { Component } from 'projen';
import type { AwsCdkTypeScriptApp } from 'projen/lib/awscdk';
import { AWS_SDK_VERSION } from './versions';
import { FintechEnvironment } from '../config/platform-config';


/**
 * Deploy, diff and destroy tasks per environment (`deploy:dev`, `diff:prod`, ...), each running
 * `fintech-deploy`: durable stages need an account and `--confirm` (or CI), missing, expired or
 * rejected credentials fail in seconds with the ways to provide them, and a deploy to a region without
 * the CDK bootstrap stack fails in seconds with the bootstrap command. A deploy synthesizes once into
 * cdk.out (or takes the assembly `-- --app <dir>` names), then fails before deploying when an SSM
 * parameter its stacks resolve is missing or a stack is in a state CloudFormation cannot update.
 * `AWS_ENDPOINT_URL` points the checks and cdk at an emulator (moto, LocalStack).
 */
export class DeployTasks extends Component {
  constructor(project: AwsCdkTypeScriptApp, environments: readonly FintechEnvironment[]) {
    super(project);
    // The pre-checks call STS (credentials), SSM (CDK bootstrap version, the stacks' parameters) and CloudFormation
    // (the stacks' states) with the project's own SDK.
    project.addDevDeps(`@aws-sdk/client-sts@${AWS_SDK_VERSION}`, `@aws-sdk/client-ssm@${AWS_SDK_VERSION}`,
      `@aws-sdk/client-cloudformation@${AWS_SDK_VERSION}`, `@aws-sdk/credential-provider-node@${AWS_SDK_VERSION}`);
    for (const action of ['deploy', 'diff', 'destroy'] as const) {
      // `cdk deploy` without a selector cannot choose among the stages' stacks: name the stage instead.
      const generic = project.tasks.tryFind(action);
      generic?.reset(`fintech-deploy ${action}`, { receiveArgs: true });
      if (generic) generic.description = `Same as ${action}:<stage>, for the stage given as argument: npx projen ${action} <stage>`;
      for (const env of environments) {
        project.addTask(`${action}:${env.name}`, {
          description: describe(action, env),
          exec: `fintech-deploy ${action} ${env.name}`,
          receiveArgs: true,
        });
      }
    }
  }
}

function describe(action: 'deploy' | 'diff' | 'destroy', env: FintechEnvironment): string {
  const where = `${env.account ? `account ${env.account}` : 'no account set'}, ${env.region}`;
  const guard = env.durable && action !== 'diff' ? '; durable: needs --confirm or CI' : '';
  const verb = { deploy: 'Deploys', diff: 'Diffs', destroy: 'Destroys' }[action];
  const checks = action === 'deploy' ? 'credentials, bootstrap, SSM parameter and stack state pre-checks' : 'a credentials pre-check';
  return `${verb} the ${env.name} stage (${where}) after ${checks}${guard}`;
}
