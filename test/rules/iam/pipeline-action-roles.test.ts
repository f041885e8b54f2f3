import { Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { pipelineActionRoles } from '../../../src/rules/iam/pipeline-action-roles';
import { rolesOf } from '../../../src/rules/iam/policy-statements';
import { TemplateResource } from '../../../src/rules/stack-template';
import { containerRollout } from '../pipeline-harness';
import { loadTogether, testApp } from '../rule-harness';

const env = { account: '123456789012', region: 'eu-west-1' };

/** The library pipeline action that writes into a role, if any. */
function writerOf(role: TemplateResource | undefined) {
  return role ? pipelineActionRoles(role.stack.peers).get(role) : undefined;
}

describe('pipelineActionRoles', () => {
  test('finds the ECS deploy action a role or its policy runs, owned by the pipeline, with that action class\'s statements', () => {
    const app = testApp();
    const stack = new Stack(app, 'Releases', { env });
    const pipeline = containerRollout(stack);
    const role = pipeline.node.findChild('Deploy').node.findChild('Ecs').node.findChild('CodePipelineActionRole') as iam.Role;
    const resource = loadTogether(app).resourceOf;
    for (const judged of [resource(role), resource(role.node.findChild('DefaultPolicy'))]) {
      const owner = writerOf(rolesOf(judged)[0])!;
      expect(owner.construct).toBe(pipeline);
      expect(owner.internal.library).toBe('aws-cdk-lib.aws_codepipeline_actions.EcsDeployAction');
      expect(owner.internal.wildcardActions).toEqual(expect.arrayContaining(['ecs:UpdateService', 'iam:PassRole']));
    }
    // The source action's role, and the pipeline's own, run no library action that writes statements on "*".
    const source = pipeline.node.findChild('Source').node.findChild('Release').node.findChild('CodePipelineActionRole');
    expect(writerOf(resource(source))).toBeUndefined();
    expect(writerOf(resource(pipeline.role))).toBeUndefined();
  });

  test('a role both deploy actions run with gets both classes\' statements, named together', () => {
    const app = testApp();
    const stack = new Stack(app, 'Releases', { env });
    const role = new iam.Role(stack, 'DeployRole', { assumedBy: new iam.AccountRootPrincipal() });
    containerRollout(stack, { role, blueGreen: true });
    const owner = writerOf(loadTogether(app).resourceOf(role))!;
    expect(owner.internal.library).toBe('aws-cdk-lib.aws_codepipeline_actions.EcsDeployAction, aws-cdk-lib.aws_codepipeline_actions.CodeDeployEcsDeployAction');
    expect([...owner.internal.wildcardActions!].sort()).toEqual([
      'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListTasks', 'ecs:RegisterTaskDefinition', 'ecs:TagResource',
      'ecs:UpdateService', 'iam:PassRole',
    ]);
  });

  test('an ECS deploy action of a pipeline written as L1 is no library\'s, and neither is a role of an action of another type', () => {
    const app = testApp();
    const stack = new Stack(app, 'Releases', { env });
    const deployRole = new iam.Role(stack, 'DeployRole', { assumedBy: new iam.AccountRootPrincipal() });
    const buildRole = new iam.Role(stack, 'BuildRole', { assumedBy: new iam.AccountRootPrincipal() });
    const action = (name: string, category: string, provider: string, roleArn: string) =>
      ({ name, actionTypeId: { category, owner: 'AWS', provider, version: '1' }, roleArn, configuration: {} });
    new codepipeline.CfnPipeline(stack, 'Rollout', {
      roleArn: deployRole.roleArn,
      artifactStore: { type: 'S3', location: 'artifacts' },
      stages: [
        { name: 'Source', actions: [action('Release', 'Source', 'S3', buildRole.roleArn)] },
        { name: 'Deploy', actions: [action('Ecs', 'Deploy', 'ECS', deployRole.roleArn)] },
      ],
    });
    const resource = loadTogether(app).resourceOf;
    expect(writerOf(resource(deployRole))).toBeUndefined();
    expect(writerOf(resource(buildRole))).toBeUndefined();
  });
});
