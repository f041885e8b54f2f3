import { TemplateValue } from '../../src/rules/template-value';

describe('TemplateValue', () => {
  test.each([
    [{ Ref: 'Param' }, true],
    [{ 'Fn::If': ['IsProd', 'Retain', 'Delete'] }, true],
    [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, true],
    [{ Condition: 'IsProd' }, true],
    [{ Key: 'Team', Value: 'x' }, false],
    [{ Ref: 'A', Other: 1 }, false],
    ['Retain', false],
    [['Fn::If'], false],
    [null, false],
    [undefined, false],
  ])('isIntrinsic(%j) is %s', (value, expected) => {
    expect(TemplateValue.isIntrinsic(value)).toBe(expected);
  });

  test('refTarget reads only a plain Ref', () => {
    expect(TemplateValue.refTarget({ Ref: 'Bucket83908E77' })).toBe('Bucket83908E77');
    expect(TemplateValue.refTarget({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBeUndefined();
    expect(TemplateValue.refTarget({ Ref: 7 })).toBeUndefined();
    expect(TemplateValue.refTarget('Bucket')).toBeUndefined();
  });

  test.each([
    [true, true], [false, false], ['true', true], ['False', false], ['TRUE', true],
    ['yes', undefined], [1, undefined], [{ Ref: 'Protect' }, undefined], [undefined, undefined],
  ])('booleanOf(%j) is %s', (value, expected) => {
    expect(TemplateValue.booleanOf(value)).toBe(expected);
  });

  test('isObject excludes arrays and null', () => {
    expect(TemplateValue.isObject({})).toBe(true);
    expect(TemplateValue.isObject([])).toBe(false);
    expect(TemplateValue.isObject(null)).toBe(false);
  });

  test('getAttTarget and referencedId read both Fn::GetAtt forms and Ref, nothing else', () => {
    expect(TemplateValue.getAttTarget({ 'Fn::GetAtt': ['B', 'GroupId'] })).toBe('B');
    expect(TemplateValue.getAttTarget({ 'Fn::GetAtt': 'C.GroupId' })).toBe('C');
    expect(TemplateValue.getAttTarget({ 'Fn::GetAtt': 42 })).toBeUndefined();
    expect(TemplateValue.getAttTarget({ Ref: 'A' })).toBeUndefined();
    expect(TemplateValue.referencedId({ Ref: 'A' })).toBe('A');
    expect(TemplateValue.referencedId({ 'Fn::GetAtt': ['B', 'GroupId'] })).toBe('B');
    expect(TemplateValue.referencedId({ 'Fn::ImportValue': 'D' })).toBeUndefined();
    expect(TemplateValue.referencedId('sg-12345678')).toBeUndefined();
  });
});
