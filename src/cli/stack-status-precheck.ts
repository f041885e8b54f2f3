import { PrecheckResult, projectSdk } from './credentials-precheck';

/** A stack's CloudFormation status and the reason CloudFormation gave for it. */
export interface StackState {
  readonly status: string;
  readonly reason?: string;
}

/** The states of the named stacks in a region; a stack that does not exist is absent. Injected in tests. */
export type StackStates = (region: string, stackNames: string[]) => Promise<Map<string, StackState>>;

/** A stack to look up: its CloudFormation name, the path cdk selects it by, and its region. */
export interface StackToCheck {
  readonly stackName: string;
  readonly displayName: string;
  readonly region: string;
}

/** DescribeStacks of each name with the project's own SDK (one attempt, short timeouts); "does not exist" is no error. */
export function cloudFormationStackStates(projectDir: string): StackStates {
  return async (region: string, stackNames: string[]) => {
    const { sdk, clientConfig } = projectSdk(projectDir, '@aws-sdk/client-cloudformation', region);
    const client = new sdk.CloudFormationClient(clientConfig);
    const states = new Map<string, StackState>();
    await Promise.all(stackNames.map(async StackName => {
      try {
        const stack = (await client.send(new sdk.DescribeStacksCommand({ StackName }))).Stacks?.[0];
        if (!stack?.StackStatus) return;
        states.set(StackName, { status: stack.StackStatus, ...(stack.StackStatusReason ? { reason: stack.StackStatusReason } : {}) });
      } catch (error) {
        // CloudFormation's answer for a stack that was never created (or was deleted): ValidationError "... does not exist".
        if ((error as { name?: string }).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return;
        throw error;
      }
    }));
    return states;
  };
}

/** What one stack's state means for the next deploy of its stage. */
export interface StateAdvice {
  /** Whether `cdk deploy` cannot go on from this state (CloudFormation would refuse the update). */
  readonly blocksDeploy: boolean;
  /** One line for the user: the stack, its state and what to do. */
  readonly advice: string;
}

/**
 * What a stack's state means before (or after an interrupted) `deploy:<stage>`, or undefined for a state that needs
 * nothing (CREATE_COMPLETE, UPDATE_COMPLETE, ...) or that this check does not judge.
 *
 * Judged, from the cdk CLI's own handling (aws-cdk 2.11xx, deploy-stack.ts and cfn-api.ts) and CloudFormation's rules:
 * - `*_IN_PROGRESS` but REVIEW_IN_PROGRESS: CloudFormation refuses another update until the running one ends;
 * - UPDATE_ROLLBACK_FAILED: no update until the rollback is continued (`cdk rollback`);
 * - DELETE_FAILED: a stack half deleted cannot be updated; delete it again;
 * - ROLLBACK_COMPLETE / ROLLBACK_FAILED (its creation failed): not a blocker, cdk deletes such a stack and creates it
 *   again, but the user should know why it failed before.
 * - against an emulator, `*_IN_PROGRESS` may never end: the advice adds how to delete the stack;
 * - REVIEW_IN_PROGRESS, against an emulator only: a deploy interrupted between creating its change set and executing it
 *   leaves the stack so; AWS lets cdk replace that change set, but moto 5.2 answers its deletion with "Stack with id
 *   cdk-deploy-change-set does not exist" and cdk waits for ever (tried 2026-12). On AWS it needs nothing.
 * Not judged: UPDATE_FAILED and CREATE_FAILED (left by `--no-rollback`, which cdk deploys from on purpose), IMPORT_*.
 */
export function stateAdvice(stage: string, stack: StackToCheck, state: StackState, emulator: boolean = false): StateAdvice | undefined {
  const which = `${stack.displayName} (stack ${stack.stackName}, ${stack.region}) is ${state.status}${state.reason ? ` ("${state.reason}")` : ''}`;
  const watch = `aws cloudformation describe-stacks --stack-name ${stack.stackName} --region ${stack.region} --query 'Stacks[0].StackStatus'`;
  if (state.status.endsWith('_IN_PROGRESS') && state.status !== 'REVIEW_IN_PROGRESS') {
    // moto 5.2 answers a resource it cannot create with a bare error and leaves the stack CREATE_IN_PROGRESS (tried 2026-12).
    const stuck = emulator
      ? ' An emulator may leave a stack in progress for good after a resource failed (moto does): if it does not change, delete it with ' +
        `aws cloudformation delete-stack --stack-name ${stack.stackName} --region ${stack.region} (or npx projen destroy:${stage}).`
      : '';
    return {
      blocksDeploy: true,
      advice: `${which}: another operation is running on it (an interrupted deploy goes on in CloudFormation after Ctrl-C), and CloudFormation ` +
        `accepts no update until it ends. Wait until \`${watch}\` no longer ends in _IN_PROGRESS, then run npx projen deploy:${stage} again.${stuck}`,
    };
  }
  switch (state.status) {
    case 'REVIEW_IN_PROGRESS':
      return emulator ? {
        blocksDeploy: true,
        advice: `${which}: a deploy was interrupted after creating its change set. AWS lets cdk replace that change set, but an emulator ` +
          'does not (cdk would wait for ever for its deletion). The stack holds nothing yet: remove it with ' +
          `aws cloudformation delete-stack --stack-name ${stack.stackName} --region ${stack.region} (or npx projen destroy:${stage}), then run npx projen deploy:${stage} again.`,
      } : undefined;
    case 'UPDATE_ROLLBACK_FAILED':
      return {
        blocksDeploy: true,
        advice: `${which}: an update failed and so did its rollback, and CloudFormation accepts no update until the rollback finishes. ` +
          `Fix what the stack's events name, then continue the rollback: npx cdk rollback --app cdk.out '${stack.displayName}' ` +
          `(add --orphan <LogicalId> for a resource that cannot roll back), then run npx projen deploy:${stage} again.`,
      };
    case 'DELETE_FAILED':
      return {
        blocksDeploy: true,
        advice: `${which}: a deletion failed half way, and such a stack cannot be updated. Fix what the stack's events name, ` +
          `run npx projen destroy:${stage} again, then npx projen deploy:${stage}.`,
      };
    case 'ROLLBACK_COMPLETE':
    case 'ROLLBACK_FAILED':
      return {
        blocksDeploy: false,
        advice: `${which}: its creation failed and was rolled back, so it holds nothing; cdk deletes it and creates it again. ` +
          `If the same resource fails again, fix its cause first (the stack's events name it); npx projen destroy:${stage} removes the stack.`,
      };
    default:
      return undefined;
  }
}

/**
 * Looks up the stacks' states before a deploy: fails, naming each stack, its state and what to run, when one is in a
 * state CloudFormation cannot update from; goes on with notes otherwise, and with a warning when the states cannot be
 * read (a least-privilege role may not describe stacks; the deploy itself will tell).
 */
export async function precheckStackStates(stage: string, stacks: StackToCheck[], states: StackStates,
  emulator: boolean = false): Promise<PrecheckResult & { readonly notes: string[] }> {
  let advice: StateAdvice[];
  try {
    advice = await adviceFor(stage, stacks, states, emulator);
  } catch (error) {
    return { ok: true, notes: [], message: `could not read the state of the ${stage} stacks (${(error as Error).name ?? 'Error'}); going on.` };
  }
  const blockers = advice.filter(a => a.blocksDeploy).map(a => `  ${a.advice}`);
  const notes = advice.filter(a => !a.blocksDeploy).map(a => a.advice);
  if (blockers.length === 0) return { ok: true, notes };
  return { ok: false, notes, message: `a stack of ${stage} is in a state CloudFormation cannot deploy from:\n${blockers.join('\n')}` };
}

/** The advice for every stack in a state that needs any, looked up region by region. */
export async function adviceFor(stage: string, stacks: StackToCheck[], states: StackStates, emulator: boolean = false): Promise<StateAdvice[]> {
  const regions = [...new Set(stacks.map(s => s.region))];
  const found = new Map<StackToCheck, StackState>();
  for (const region of regions) {
    const inRegion = stacks.filter(s => s.region === region);
    const answer = await states(region, inRegion.map(s => s.stackName));
    for (const stack of inRegion) {
      const state = answer.get(stack.stackName);
      if (state) found.set(stack, state);
    }
  }
  return stacks.flatMap(stack => {
    const state = found.get(stack);
    const advice = state ? stateAdvice(stage, stack, state, emulator) : undefined;
    return advice ? [advice] : [];
  });
}
