import { containsAccount, containsStackName, containsStage, templateName } from '../../../src/rules/naming/template-name';

describe('templateName', () => {
  test('reads literals, and joins and subs of literals and pseudo parameters', () => {
    expect(templateName('ledger-entries-dev')).toEqual({ text: 'ledger-entries-dev', hasAccountRef: false });
    expect(templateName({ 'Fn::Join': ['', ['ledger-archive-', { Ref: 'AWS::AccountId' }, '-dev']] }))
      .toEqual({ text: 'ledger-archive-${AWS::AccountId}-dev', hasAccountRef: true });
    expect(templateName({ 'Fn::Sub': 'ledger-${AWS::Region}-dev' })).toEqual({ text: 'ledger-${AWS::Region}-dev', hasAccountRef: false });
    expect(templateName({ 'Fn::Join': ['-', ['a', { 'Fn::Join': ['', ['b', { Ref: 'AWS::AccountId' }]] }]] })).toEqual({ text: 'a-b${AWS::AccountId}', hasAccountRef: true });
  });

  test('treats parameters, the stack name and other intrinsics as unknown', () => {
    expect(templateName({ Ref: 'Stage' })).toBeUndefined();
    expect(templateName({ Ref: 'AWS::StackName' })).toBeUndefined();
    expect(templateName({ 'Fn::Join': ['-', ['a', { Ref: 'Stage' }]] })).toBeUndefined();
    expect(templateName({ 'Fn::Sub': 'a-${Stage}' })).toBeUndefined();
    expect(templateName({ 'Fn::Sub': ['a-${X}', { X: 'dev' }] })).toBeUndefined();
    expect(templateName({ 'Fn::Join': ['-', { Ref: 'List' }] })).toBeUndefined();
    expect(templateName(42)).toBeUndefined();
  });
});

describe('containsStackName', () => {
  test('compares letters and digits case-insensitively, never inside a pseudo parameter, and needs a known stack name', () => {
    expect(containsStackName({ text: 'alias/codepipeline-paymentseupipeline7dbde619', hasAccountRef: false }, 'Payments-EU')).toBe(true);
    expect(containsStackName({ text: 'PaymentsBusAA0A1E4B', hasAccountRef: false }, 'Payments')).toBe(true);
    expect(containsStackName({ text: 'payments-alerts', hasAccountRef: false }, 'Payments-EU')).toBe(false);
    expect(containsStackName({ text: 'ledger-${AWS::Region}', hasAccountRef: false }, 'AWS-Region')).toBe(false);
    expect(containsStackName({ text: 'ledger', hasAccountRef: false }, undefined)).toBe(false);
    expect(containsStackName({ text: 'ledger', hasAccountRef: false }, '--')).toBe(false);
  });
});

describe('containsStage and containsAccount', () => {
  test('match the stage case-insensitively, never inside a pseudo parameter', () => {
    expect(containsStage({ text: 'LedgerEntriesProd', hasAccountRef: false }, 'prod')).toBe(true);
    expect(containsStage({ text: 'ledger-entries', hasAccountRef: false }, 'prod')).toBe(false);
    expect(containsStage({ text: 'ledger-${AWS::AccountId}', hasAccountRef: true }, 'aws')).toBe(false);
  });

  test('find the known account, any 12-digit account when unknown, or an AWS::AccountId reference', () => {
    expect(containsAccount({ text: 'a-123456789012-dev', hasAccountRef: false }, '123456789012')).toBe(true);
    expect(containsAccount({ text: 'a-111122223333-dev', hasAccountRef: false }, '123456789012')).toBe(false);
    expect(containsAccount({ text: 'a-111122223333-dev', hasAccountRef: false }, undefined)).toBe(true);
    expect(containsAccount({ text: 'a-dev', hasAccountRef: false }, undefined)).toBe(false);
    expect(containsAccount({ text: 'a-${AWS::AccountId}', hasAccountRef: true }, '123456789012')).toBe(true);
  });
});
