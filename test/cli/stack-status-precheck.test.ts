import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adviceFor, cloudFormationStackStates, precheckStackStates, StackState, stateAdvice, StackToCheck } from '../../src/cli/stack-status-precheck';

const ledger: StackToCheck = { stackName: 'dev-Ledger', displayName: 'dev/Ledger', region: 'eu-west-1' };
const webhook: StackToCheck = { stackName: 'dev-Webhook', displayName: 'dev/Webhook', region: 'eu-west-1' };
const audit: StackToCheck = { stackName: 'dev-Audit', displayName: 'dev/Audit', region: 'us-east-1' };

describe('stateAdvice', () => {
  test.each(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'])('%s blocks: another operation runs', status => {
    expect(stateAdvice('dev', ledger, { status })).toEqual({
      blocksDeploy: true,
      advice: `dev/Ledger (stack dev-Ledger, eu-west-1) is ${status}: another operation is running on it (an interrupted deploy goes on in CloudFormation after Ctrl-C), ` +
        'and CloudFormation accepts no update until it ends. Wait until `aws cloudformation describe-stacks --stack-name dev-Ledger --region eu-west-1 ' +
        "--query 'Stacks[0].StackStatus'` no longer ends in _IN_PROGRESS, then run npx projen deploy:dev again.",
    });
  });

  test('against an emulator, a stack in progress may be stuck: the advice adds the delete to run', () => {
    const advice = stateAdvice('dev', ledger, { status: 'CREATE_IN_PROGRESS' }, true)!;
    expect(advice.blocksDeploy).toBe(true);
    expect(advice.advice).toMatch(/no longer ends in _IN_PROGRESS, then run npx projen deploy:dev again\. An emulator may leave a stack in progress for good after a resource failed \(moto does\): /);
    expect(advice.advice).toContain('aws cloudformation delete-stack --stack-name dev-Ledger --region eu-west-1 (or npx projen destroy:dev).');
    expect(stateAdvice('dev', ledger, { status: 'CREATE_IN_PROGRESS' })!.advice).not.toContain('emulator');
  });

  test('UPDATE_ROLLBACK_FAILED blocks and names cdk rollback; DELETE_FAILED blocks and names destroy', () => {
    const rollback = stateAdvice('dev', ledger, { status: 'UPDATE_ROLLBACK_FAILED', reason: 'Bucket could not be restored' })!;
    expect(rollback.blocksDeploy).toBe(true);
    expect(rollback.advice).toBe('dev/Ledger (stack dev-Ledger, eu-west-1) is UPDATE_ROLLBACK_FAILED ("Bucket could not be restored"): an update failed and so did its rollback, ' +
      "and CloudFormation accepts no update until the rollback finishes. Fix what the stack's events name, then continue the rollback: " +
      "npx cdk rollback --app cdk.out 'dev/Ledger' (add --orphan <LogicalId> for a resource that cannot roll back), then run npx projen deploy:dev again.");
    const deleted = stateAdvice('dev', ledger, { status: 'DELETE_FAILED' })!;
    expect(deleted.blocksDeploy).toBe(true);
    expect(deleted.advice).toContain('run npx projen destroy:dev again, then npx projen deploy:dev.');
  });

  test('REVIEW_IN_PROGRESS (a change set never executed) needs nothing on AWS, but blocks against an emulator, naming the stack to delete', () => {
    expect(stateAdvice('dev', ledger, { status: 'REVIEW_IN_PROGRESS' })).toBeUndefined();
    expect(stateAdvice('dev', ledger, { status: 'REVIEW_IN_PROGRESS' }, true)).toEqual({
      blocksDeploy: true,
      advice: 'dev/Ledger (stack dev-Ledger, eu-west-1) is REVIEW_IN_PROGRESS: a deploy was interrupted after creating its change set. AWS lets cdk replace that ' +
        'change set, but an emulator does not (cdk would wait for ever for its deletion). The stack holds nothing yet: remove it with ' +
        'aws cloudformation delete-stack --stack-name dev-Ledger --region eu-west-1 (or npx projen destroy:dev), then run npx projen deploy:dev again.',
    });
  });

  test('a failed creation is a note, not a blocker: cdk deletes the stack and creates it again', () => {
    for (const status of ['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED']) {
      const advice = stateAdvice('dev', ledger, { status })!;
      expect(advice.blocksDeploy).toBe(false);
      expect(advice.advice).toContain('its creation failed and was rolled back, so it holds nothing; cdk deletes it and creates it again.');
      expect(advice.advice).toContain('npx projen destroy:dev removes the stack.');
    }
  });

  test.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS', 'UPDATE_FAILED', 'CREATE_FAILED', 'IMPORT_COMPLETE'])('%s needs nothing (or is not judged)', status => {
    expect(stateAdvice('dev', ledger, { status })).toBeUndefined();
  });
});

describe('precheckStackStates', () => {
  test('asks region by region and passes when no stack needs anything (a missing stack is fine)', async () => {
    const asked: Array<[string, string[]]> = [];
    const result = await precheckStackStates('dev', [ledger, audit, webhook], async (region, names) => {
      asked.push([region, names]);
      return new Map([['dev-Ledger', { status: 'UPDATE_COMPLETE' }]]);
    });
    expect(result).toEqual({ ok: true, notes: [] });
    expect(asked).toEqual([['eu-west-1', ['dev-Ledger', 'dev-Webhook']], ['us-east-1', ['dev-Audit']]]);
  });

  test('fails, listing every blocked stack; keeps the notes of the others', async () => {
    const states = new Map<string, StackState>([['dev-Ledger', { status: 'UPDATE_IN_PROGRESS' }], ['dev-Webhook', { status: 'ROLLBACK_COMPLETE' }]]);
    const result = await precheckStackStates('dev', [ledger, webhook], async () => states);
    expect(result.ok).toBe(false);
    expect(result.message).toBe(`a stack of dev is in a state CloudFormation cannot deploy from:\n  ${stateAdvice('dev', ledger, states.get('dev-Ledger')!)!.advice}`);
    expect(result.notes).toEqual([stateAdvice('dev', webhook, states.get('dev-Webhook')!)!.advice]);
  });

  test('goes on, with a warning, when the states cannot be read', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied' });
    expect(await precheckStackStates('dev', [ledger], async () => { throw denied; }))
      .toEqual({ ok: true, notes: [], message: 'could not read the state of the dev stacks (AccessDenied); going on.' });
    await expect(adviceFor('dev', [ledger], async () => { throw denied; })).rejects.toThrow('denied');
  });
});

describe('cloudFormationStackStates', () => {
  // A project whose own SDK answers DescribeStacks like CloudFormation: a stack, or ValidationError "... does not exist".
  function project(answer: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
    const pkg = (name: string, code: string) => {
      const where = path.join(dir, 'node_modules', ...name.split('/'));
      fs.mkdirSync(where, { recursive: true });
      fs.writeFileSync(path.join(where, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
      fs.writeFileSync(path.join(where, 'index.js'), code);
    };
    pkg('@aws-sdk/credential-provider-node', 'exports.defaultProvider = options => async () => ({ options });');
    pkg('@aws-sdk/client-cloudformation', `
      exports.DescribeStacksCommand = class { constructor(input) { this.input = input; } };
      exports.CloudFormationClient = class {
        constructor(config) { this.config = config; }
        async send(command) {
          const name = command.input.StackName;
          globalThis.describeCalls.push({ name, region: this.config.region, maxAttempts: this.config.maxAttempts });
          ${answer}
        }
      };`);
    return dir;
  }

  test('returns the state and reason of each stack that exists, in the region, with one attempt', async () => {
    (globalThis as { describeCalls?: object[] }).describeCalls = [];
    const dir = project(`
      if (name === 'dev-Gone') throw Object.assign(new Error('Stack with id dev-Gone does not exist'), { name: 'ValidationError' });
      return { Stacks: [{ StackName: name, StackStatus: 'UPDATE_ROLLBACK_FAILED', StackStatusReason: 'why' }] };`);
    const states = await cloudFormationStackStates(dir)('eu-west-1', ['dev-Ledger', 'dev-Gone']);
    expect(states).toEqual(new Map([['dev-Ledger', { status: 'UPDATE_ROLLBACK_FAILED', reason: 'why' }]]));
    expect((globalThis as { describeCalls?: object[] }).describeCalls).toEqual([
      { name: 'dev-Ledger', region: 'eu-west-1', maxAttempts: 1 },
      { name: 'dev-Gone', region: 'eu-west-1', maxAttempts: 1 },
    ]);
  });

  test('a project without the CloudFormation client fails with its name and npx projen, which the pre-check reports and goes on', async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
    await expect(cloudFormationStackStates(bare)('eu-west-1', ['dev-Ledger'])).rejects.toThrow(`@aws-sdk/client-cloudformation is not installed in ${bare}; run npx projen to add it`);
    expect((await precheckStackStates('dev', [ledger], cloudFormationStackStates(bare))).message)
      .toBe('could not read the state of the dev stacks (@aws-sdk/client-cloudformation not installed, run npx projen); going on.');
  });

  test('passes any other error on, for the caller to decide', async () => {
    const dir = project("throw Object.assign(new Error('not authorized'), { name: 'AccessDenied' });");
    await expect(cloudFormationStackStates(dir)('eu-west-1', ['dev-Ledger'])).rejects.toThrow('not authorized');
  });
});
