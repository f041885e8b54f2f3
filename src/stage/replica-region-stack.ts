import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { FintechStage } from './fintech-stage';
import { ConfigProblem, formatProblems, validateEnvironments } from '../config/config-validation';
import { ALARM_EMAIL_CONTEXT, APPLICATION_CONTEXT, DURABLE_CONTEXT, STAGE_CONTEXT } from '../config/stage-context';

// The stage context a replica stack outside a FintechStage takes over from the stack that asked for it.
const STAGE_CONTEXT_KEYS = [STAGE_CONTEXT, DURABLE_CONTEXT, APPLICATION_CONTEXT, ALARM_EMAIL_CONTEXT];
const REPLICA_REGION_STACK_SYMBOL = Symbol.for('fintech-infra-template.ReplicaRegionStack');

/**
 * The stack that holds a stage's resources in one of its replica regions (issue 17, C23): the keys that encrypt
 * replicas there, and the alarms that watch them (a CloudWatch alarm watches metrics of its own region only).
 *
 * One per stage and region, created on first use by `ReplicaRegionStack.forRegion(this, region)` and shared by every
 * construct that needs it. Inside a `FintechStage` it is a stack of the stage, so it is named after the stage
 * (`<stage>-Replicas-<region>`), carries the stage's tags, and its resources follow the stage's removal policies
 * (destroyed with an ephemeral stage, retained in a durable one). Outside a stage it sits beside the stack that asked
 * for it and takes over that stack's `fintech:*` context. It deploys to the stage's account, in `region`.
 */
export class ReplicaRegionStack extends Stack {
  /**
   * The stack of `region` for the stage (or, outside a stage, the app) of the stack holding `scope`, created on first use.
   * Throws, naming the construct path, when that stack's account or region is unknown at synth, or `region` is not a
   * known region of its partition, or is its own region.
   */
  public static forRegion(scope: IConstruct, region: string): ReplicaRegionStack {
    const home = topLevelStack(Stack.of(scope));
    const at = `ReplicaRegionStack.forRegion at ${scope.node.path || '(app)'}`;
    const problems = replicaRegionsProblems(home, [region]);
    if (problems.length > 0) throw new Error(formatProblems(at, problems));
    const parent = FintechStage.tryEnclosing(home) ?? home.node.scope!;
    const id = `Replicas-${region}`;
    const existing = parent.node.tryFindChild(id);
    if (existing && ReplicaRegionStack.isReplicaRegionStack(existing)) {
      if (existing.homeRegion !== home.region) {
        throw new Error(`${at}: ${existing.node.path} holds the replicas in ${region} of stacks in ${existing.homeRegion}, not of ${home.node.path} in ${home.region}; ` +
          'keep the stacks of one stage in one home region.');
      }
      return existing;
    }
    if (existing) {
      throw new Error(`${at}: ${parent.node.path || '(app)'} already has a construct "${id}" that is not a ReplicaRegionStack; rename that construct.`);
    }
    return new ReplicaRegionStack(parent, id, home, region);
  }

  /** Whether `x` is a `ReplicaRegionStack` (works across copies of this library). */
  public static isReplicaRegionStack(x: any): x is ReplicaRegionStack {
    return x !== null && typeof x === 'object' && REPLICA_REGION_STACK_SYMBOL in x;
  }

  /** The home region, where the primary copies live (the region of the stacks that asked for this one). */
  public readonly homeRegion: string;

  private constructor(scope: Construct, id: string, home: Stack, region: string) {
    super(scope, id, {
      env: { account: home.account, region },
      description: `Replicas in ${region} of resources whose home is ${home.region} (${FintechStage.tryEnclosing(home)?.environmentName ?? home.node.path})`,
    });
    Object.defineProperty(this, REPLICA_REGION_STACK_SYMBOL, { value: true });
    this.homeRegion = home.region;
    if (!FintechStage.tryEnclosing(home)) {
      for (const key of STAGE_CONTEXT_KEYS) {
        const value = home.node.tryGetContext(key);
        if (value !== undefined && this.node.tryGetContext(key) === undefined) this.node.setContext(key, value);
      }
    }
  }
}

/**
 * The problems of holding replicas of `home`'s resources in `regions`, as `.projenrc.ts` judges an environment's
 * `replicaRegions` (known regions of the home partition, each once, not the home region), plus a concrete account and
 * region on `home`. Options are named `replicaRegions[i]`. Internal.
 */
export function replicaRegionsProblems(home: Stack, regions: readonly string[]): ConfigProblem[] {
  if (Token.isUnresolved(home.account) || Token.isUnresolved(home.region)) {
    const missing = Token.isUnresolved(home.account) ? 'account' : 'region';
    return [{
      option: 'replicaRegions',
      value: regions,
      problem: `stack ${home.node.path} has no concrete ${missing}, and stacks in other regions need the account and home region to be known at synth`,
      fix: "create the stack inside a FintechStage whose environment sets account and region, or give it env: { account: '123456789012', region: 'us-east-1' }",
    }];
  }
  const unresolved = regions.findIndex(region => Token.isUnresolved(region));
  if (unresolved >= 0) {
    return [{ option: `replicaRegions[${unresolved}]`, value: regions[unresolved], problem: 'is a token, so the region cannot be checked or given a stack at synth', fix: 'pass a literal region name such as "us-west-2"' }];
  }
  // The environment check of .projenrc.ts, on an environment made of the home stack and these regions.
  const environment = { name: 'replicas', account: home.account, region: home.region, replicaRegions: [...regions] };
  const prefix = 'environments[0].';
  return validateEnvironments([environment])
    .filter(p => p.option.startsWith(`${prefix}replicaRegions`))
    .map(p => ({ ...p, option: p.option.slice(prefix.length) }));
}

function topLevelStack(stack: Stack): Stack {
  let current = stack;
  while (current.nestedStackParent) current = current.nestedStackParent;
  return current;
}
