import { alarmEmailFromContext, applicationFromContext, recordedStageSettings, stageFromContext } from '../../src/config/stage-context';

const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

describe('stageFromContext', () => {
  test('is undefined without fintech:stage', () => {
    expect(stageFromContext(contextOf({}), 'App/S')).toBeUndefined();
    expect(stageFromContext(contextOf({ 'fintech:stage': '' }), 'App/S')).toBeUndefined();
  });

  test('durable follows fintech:durable, as a boolean or the string the CLI passes, else the default durable names', () => {
    expect(stageFromContext(contextOf({ 'fintech:stage': 'dev' }), 'S')).toEqual({ stageName: 'dev', durable: false });
    expect(stageFromContext(contextOf({ 'fintech:stage': 'prod' }), 'S')).toEqual({ stageName: 'prod', durable: true });
    expect(stageFromContext(contextOf({ 'fintech:stage': 'prod', 'fintech:durable': 'false' }), 'S')).toEqual({ stageName: 'prod', durable: false });
    expect(stageFromContext(contextOf({ 'fintech:stage': 'qa', 'fintech:durable': true }), 'S')).toEqual({ stageName: 'qa', durable: true });
  });

  test('names the path, the key and the fix on bad values', () => {
    expect(() => stageFromContext(contextOf({ 'fintech:stage': 'Prod_1' }), 'App/S'))
      .toThrow('App/S: context fintech:stage is "Prod_1"; a stage name is lowercase letters, digits and hyphens, starting with a letter, e.g. "dev".');
    expect(() => stageFromContext(contextOf({ 'fintech:stage': 'dev', 'fintech:durable': 1 }), 'S')).toThrow('S: context fintech:durable is 1; use true or false.');
    expect(() => stageFromContext(contextOf({ 'fintech:durable': false }), 'S')).toThrow(/fintech:durable is set but fintech:stage is not/);
  });
});

describe('applicationFromContext', () => {
  test('is the name, undefined when unset, an error when invalid', () => {
    expect(applicationFromContext(contextOf({ 'fintech:application': 'payments' }), 'S')).toBe('payments');
    expect(applicationFromContext(contextOf({}), 'S')).toBeUndefined();
    expect(() => applicationFromContext(contextOf({ 'fintech:application': 'Pay Ments' }), 'S')).toThrow(/S: context fintech:application is "Pay Ments"/);
  });
});

describe('alarmEmailFromContext', () => {
  test('is the address, undefined when unset, an error when not an address', () => {
    expect(alarmEmailFromContext(contextOf({ 'fintech:alarm-email': 'oncall@example.com' }), 'S')).toBe('oncall@example.com');
    expect(alarmEmailFromContext(contextOf({}), 'S')).toBeUndefined();
    expect(() => alarmEmailFromContext(contextOf({ 'fintech:alarm-email': 'oncall' }), 'S'))
      .toThrow('S: context fintech:alarm-email is "oncall"; use an email address, e.g. "oncall@example.com".');
  });
});

describe('recordedStageSettings', () => {
  test('reads the entry a stack records, ignoring malformed ones', () => {
    expect(recordedStageSettings([{ type: 'x', data: 1 }, { type: 'fintech:stage-settings', data: { stageName: '', durable: true } }]))
      .toEqual({ stageName: '', durable: true });
    expect(recordedStageSettings([{ type: 'fintech:stage-settings', data: { stageName: 'dev' } }])).toBeUndefined();
    expect(recordedStageSettings([])).toBeUndefined();
  });
});
