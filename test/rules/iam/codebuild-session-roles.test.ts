import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LIBRARY_CODEBUILD_SESSIONS } from '../../../src/facts/library-internals';
import { codeBuildSessionRoles } from '../../../src/rules/iam/codebuild-session-roles';
import { loadTogether, testApp, validate } from '../rule-harness';

const BUILD_SPEC = codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['npm test'] } } });

/** A CodeBuild project with Session Manager sessions on or off, and `extra` statements the app adds to its role. */
function project(ssmSessionPermissions: boolean, ...extra: iam.PolicyStatement[]) {
  const app = testApp();
  const stack = new Stack(app, 'Ci', { env: { account: '123456789012', region: 'eu-west-1' } });
  const tests = new codebuild.PipelineProject(stack, 'Tests', { buildSpec: BUILD_SPEC, ssmSessionPermissions });
  extra.forEach(statement => tests.addToRolePolicy(statement));
  return { app, tests };
}

/** The C06 WildcardResource findings on the project's role policy, as `<severity> <message>`. */
function onRole(app: ReturnType<typeof testApp>): string[] {
  return validate(app, { stage: 'prod' }).findings
    .filter(f => f.ruleId === 'Fintech-C06-WildcardResource' && f.constructPath === 'Ci/Tests/Role/DefaultPolicy/Resource')
    .map(f => `${f.severity} ${f.message}`);
}

describe('codeBuildSessionRoles', () => {
  test('the role of a project with ssmSessionPermissions has the session log writes of the project', () => {
    const { app, tests } = project(true);
    const loaded = loadTogether(app);
    const owner = codeBuildSessionRoles(loaded.templates[0].peers).get(loaded.resourceOf(tests.role!));
    expect(owner?.construct).toBe(tests);
    expect(owner?.internal.wildcardActions).toEqual(LIBRARY_CODEBUILD_SESSIONS.logActions);
    expect(codeBuildSessionRoles(loaded.templates[0].peers).size).toBe(1);
  });

  test('without ssmSessionPermissions, or with the log writes but not the session channels, the role is the app\'s', () => {
    const plain = project(false);
    const loaded = loadTogether(plain.app);
    expect(codeBuildSessionRoles(loaded.templates[0].peers).size).toBe(0);
    const handWritten = project(false, new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 's3:PutObject'], resources: ['*'] }));
    expect(onRole(handWritten.app)).toEqual([expect.stringMatching(/^error .*"logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject" .*on Resource "\*"/)]);
  });

  test('in Fintech-C06-WildcardResource the session statement is a warning naming the project; an action the app adds on "*" stays an error', () => {
    expect(onRole(project(true).app)).toEqual([expect.stringMatching(/^warning .*"logs:CreateLogStream", "logs:PutLogEvents", "s3:GetEncryptionConfiguration", "s3:PutObject".*Ci\/Tests/)]);
    const added = onRole(project(true, new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })).app);
    expect(added).toEqual(expect.arrayContaining([expect.stringMatching(/^error .*"sqs:SendMessage"/), expect.stringMatching(/^warning /)]));
    expect(added.filter(line => line.startsWith('error'))).toEqual([expect.not.stringContaining('logs:')]);
  });
});
