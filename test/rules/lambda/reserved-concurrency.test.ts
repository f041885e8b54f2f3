import { App, Fn, Stack, StackProps, Stage, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FintechChecks } from '../../../src/rules/fintech-checks';
import { ReservedConcurrency } from '../../../src/rules/lambda/reserved-concurrency';
import { findingsOf, lines, quietSynth, testApp } from '../rule-harness';

const C15 = ReservedConcurrency.INFO.id;
const IRELAND = { env: { account: '123456789012', region: 'eu-west-1' } };

function c15(app: App, accountConcurrencyLimit?: number) {
  return findingsOf(app, [C15], accountConcurrencyLimit === undefined ? {} : { accountConcurrencyLimit });
}

function reserving(stack: Stack, id: string, reservedConcurrentExecutions?: number) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), reservedConcurrentExecutions,
  });
}

function raw(stack: Stack, id: string, reserved: unknown) {
  const fn = new lambda.CfnFunction(stack, id, { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' }, runtime: 'nodejs22.x', handler: 'index.handler' });
  fn.addPropertyOverride('ReservedConcurrentExecutions', reserved);
  return fn;
}

function stacks(...props: Array<[string, StackProps]>) {
  const app = testApp();
  return { app, stacks: props.map(([id, p]) => new Stack(app, id, p)) };
}

describe('Fintech-C15-ReservedConcurrencyAboveLimit', () => {
  test('fails every reserving L2 function of an account and region whose sum leaves fewer than 100 unreserved, and passes a sum within it', () => {
    const { app, stacks: [payments, ledger] } = stacks(['Payments', IRELAND], ['Ledger', IRELAND]);
    reserving(payments, 'Authorize', 500);
    reserving(ledger, 'Post', 450);
    reserving(ledger, 'Unreserved');
    reserving(ledger, 'Throttled', 0);
    const findings = c15(app);
    expect(lines(findings)).toEqual([`${C15} Ledger/Post/Resource`, `${C15} Payments/Authorize/Resource`]);
    expect(findings.find(f => f.logicalId.startsWith('Post'))).toMatchObject({
      severity: 'error',
      locations: ['Properties/ReservedConcurrentExecutions'],
      message: expect.stringMatching(
        /^AWS::Lambda::Function Post[0-9A-F]{8} reserves 450 concurrent executions; the functions of account 123456789012, region eu-west-1 reserve 950 in all \(Authorize[0-9A-F]{8} 500, Post[0-9A-F]{8} 450\), above 900 \(accountConcurrencyLimit 1000 minus the 100 Lambda keeps unreserved\)/),
      fix: expect.stringContaining('Reserve at most 900 in account 123456789012, region eu-west-1 together'),
    });

    const within = stacks(['Payments', IRELAND]);
    reserving(within.stacks[0], 'Authorize', 450);
    reserving(within.stacks[0], 'Post', 450);
    expect(c15(within.app)).toEqual([]);
  });

  test('sums per account and region: other regions and accounts are separate', () => {
    const { app, stacks: [ireland, frankfurt, other] } = stacks(
      ['Ireland', IRELAND], ['Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } }], ['Other', { env: { account: '210987654321', region: 'eu-west-1' } }]);
    reserving(ireland, 'A', 600);
    reserving(frankfurt, 'B', 600);
    reserving(other, 'C', 600);
    expect(c15(app)).toEqual([]);
  });

  test('groups environment-agnostic stacks only with their own functions', () => {
    const { app, stacks: [first, second] } = stacks(['First', {}], ['Second', {}]);
    reserving(first, 'A', 500);
    reserving(second, 'B', 500);
    reserving(first, 'C', 401);
    const findings = c15(app);
    expect(lines(findings)).toEqual([`${C15} First/A/Resource`, `${C15} First/C/Resource`]);
    expect(findings[0].message).toContain('the functions of stack First (account and region unknown) reserve 901 in all');
  });

  test('a single function above the limit is a finding, and accountConcurrencyLimit moves the limit', () => {
    const { app, stacks: [stack] } = stacks(['Payments', IRELAND]);
    reserving(stack, 'Greedy', 1000);
    expect(lines(c15(app))).toEqual([`${C15} Payments/Greedy/Resource`]);
    expect(c15(app, 1100)).toEqual([]);
    expect(lines(c15(app, 1099))).toEqual([`${C15} Payments/Greedy/Resource`]);
  });

  test('counts L1 functions and escape hatches, numeric strings included, and names at most five functions', () => {
    const { app, stacks: [stack] } = stacks(['Payments', IRELAND]);
    for (let i = 0; i < 6; i++) raw(stack, `Raw${i}`, 100);
    raw(stack, 'AsString', '100');
    const hatched = reserving(stack, 'Hatched', 10);
    (hatched.node.defaultChild as lambda.CfnFunction).addPropertyOverride('ReservedConcurrentExecutions', 201);
    const findings = c15(app);
    expect(findings).toHaveLength(8);
    expect(findings[0].message).toMatch(/reserve 901 in all \(Hatched[0-9A-F]{8} 201, AsString 100, Raw0 100, Raw1 100, Raw2 100 and 3 more\), above 900/);
  });

  test('does not count intrinsic or odd values', () => {
    const { app, stacks: [stack] } = stacks(['Payments', IRELAND]);
    reserving(stack, 'Big', 800);
    raw(stack, 'Intrinsic', Fn.ref('Reserved'));
    raw(stack, 'Conditional', { 'Fn::If': ['C', 500, 0] });
    raw(stack, 'Odd', 'lots');
    raw(stack, 'Fraction', 50.5);
    raw(stack, 'Negative', -200);
    const odd = new lambda.CfnFunction(stack, 'OddProperties', { role: 'arn:aws:iam::123456789012:role/fn', code: { zipFile: 'x' } });
    odd.addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c15(app)).toEqual([]);
  });

  test('sums across stages deployed to one account and region, each stage reporting only its own functions', () => {
    const app = testApp();
    const packs: FintechChecks[] = [];
    for (const [name, env] of [['dev', IRELAND.env], ['test', IRELAND.env], ['prod', { account: '210987654321', region: 'eu-west-1' }]] as const) {
      const stage = new Stage(app, name, { env });
      reserving(new Stack(stage, 'Work'), 'Worker', 500);
      const checks = new FintechChecks(stage);
      Validations.of(stage).addPlugins(checks);
      packs.push(checks);
    }
    quietSynth(app);
    const own = (checks: FintechChecks) => lines(checks.findings.filter(f => f.ruleId === C15));
    // dev and test share 123456789012/eu-west-1: 1000 reserved > 900 allowed; each stage alone reserves 500.
    expect(own(packs[0])).toEqual([`${C15} dev/Work/Worker/Resource`]);
    expect(own(packs[1])).toEqual([`${C15} test/Work/Worker/Resource`]);
    expect(packs[0].findings.find(f => f.ruleId === C15)!.message).toContain('reserve 1000 in all');
    expect(own(packs[2])).toEqual([]);
  });
});
