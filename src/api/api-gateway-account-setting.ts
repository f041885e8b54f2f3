import { RemovalPolicy, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { FintechStage } from '../stage/fintech-stage';

/** Construct id of the setting, in its home stack. */
const SETTING_ID = 'ApiGatewayAccountSetting';
/** Construct id of the stack a FintechStage keeps the setting in (stack name `<stage>-ApiGatewayAccount`). */
const SETTING_STACK_ID = 'ApiGatewayAccount';
/** Warning id of a setting made outside a FintechStage; acknowledge it with `Validations.of(stack).acknowledge(...)`. */
const PER_STACK_WARNING_ID = 'fintech:api-gateway-account-per-stack';
/** The only permission API Gateway needs to write access and execution logs (AWS managed, kept current by AWS). */
const PUSH_TO_CLOUDWATCH_LOGS_POLICY = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * The account's API Gateway CloudWatch Logs role: an IAM role API Gateway assumes, with only the
 * AWS managed policy `AmazonAPIGatewayPushToCloudWatchLogs`, set as the account setting
 * (`AWS::ApiGateway::Account`). Without it no stage of the account and region can write access
 * logs. It is ONE setting per account and region, whatever CloudFormation suggests: every
 * `AWS::ApiGateway::Account` overwrites the last one, so `ProtectedRestApi` never creates its own
 * but asks `ApiGatewayAccountSetting.of(this)`.
 *
 * Where it lives:
 * - Inside a `FintechStage`: in a stack of its own, `<stage path>/ApiGatewayAccount` (one per stage and
 *   region; a stack whose account or region differs from the stage's gets `ApiGatewayAccount-<account>-<region>`).
 *   Every stack with an API depends on that stack, so several stacks of a stage share one setting, it is
 *   deployed before the first API stage, and deleting one workload stack never removes it. Its role and
 *   setting follow the stage: retained in durable stages, destroyed with ephemeral ones.
 * - Outside a `FintechStage` there is no stage to own it: each stack gets its own (one per stack, however
 *   many APIs it has), retained, with a `fintech:api-gateway-account-per-stack` warning, since two such
 *   stacks in one account and region overwrite each other's setting.
 *
 * Several stages deployed to one account and region each set it to their own role; an ephemeral stage
 * whose role is destroyed leaves the setting pointing at a deleted role until another stage redeploys.
 * Where an account baseline sets it, pass `cloudWatchRole: false` to `ProtectedRestApi`.
 */
export class ApiGatewayAccountSetting extends Construct {
  /**
   * The account setting that the APIs of `scope`'s stack use, created on first use: the stage's
   * (per region) inside a `FintechStage`, otherwise the stack's own.
   */
  public static of(scope: IConstruct): ApiGatewayAccountSetting {
    const stack = Stack.of(scope);
    const stage = Stage.of(stack);
    const home = FintechStage.isFintechStage(stage) ? settingStack(stage, stack) : stack;
    const existing = home.node.tryFindChild(SETTING_ID);
    return existing instanceof ApiGatewayAccountSetting ? existing : new ApiGatewayAccountSetting(home, SETTING_ID);
  }

  /** The role API Gateway assumes to write logs to CloudWatch Logs. */
  public readonly role: iam.Role;
  /** The account setting that names `role`; an API stage that logs must depend on it. */
  public readonly cfnAccount: apigateway.CfnAccount;
  /** Whether the enclosing `FintechStage` owns it (false: one per stack, outside any `FintechStage`). */
  public readonly ownedByStage: boolean;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stage = Stage.of(this);
    this.ownedByStage = FintechStage.isFintechStage(stage);
    // Durable stages keep it, so removing one never breaks the logs of other APIs; ephemeral stages leave nothing behind.
    const removalPolicy = FintechStage.isFintechStage(stage) && !stage.durable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.role = new iam.Role(this, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(PUSH_TO_CLOUDWATCH_LOGS_POLICY)],
      description: 'API Gateway writes access and execution logs of every API in this account and region with this role',
    });
    this.role.applyRemovalPolicy(removalPolicy);
    this.cfnAccount = new apigateway.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.cfnAccount.applyRemovalPolicy(removalPolicy);

    if (!this.ownedByStage) {
      Validations.of(this).addWarning(PER_STACK_WARNING_ID, `${this.node.path}: this stack sets the account's API Gateway CloudWatch role itself, ` +
        'because it is not inside a FintechStage; two such stacks in one account and region overwrite each other\'s setting. ' +
        'Create the stack inside a FintechStage (one setting per stage and region), or pass cloudWatchRole: false to its APIs where the account baseline sets it.');
    }
  }
}

/** The stack of `stage` that holds the setting for `stack`'s account and region, created on first use. */
function settingStack(stage: FintechStage, stack: Stack): Stack {
  const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const sameEnvironment = account === stage.account && region === stage.region;
  const id = sameEnvironment ? SETTING_STACK_ID : [SETTING_STACK_ID, account, region].filter(Boolean).join('-');
  const existing = stage.node.tryFindChild(id);
  if (existing) return existing as Stack;
  return new Stack(stage, id, {
    ...(sameEnvironment ? {} : { env: { account, region } }),
    description: `API Gateway account setting (CloudWatch Logs role) of stage ${stage.environmentName}, shared by every API of the stage`,
  });
}
