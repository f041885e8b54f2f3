import { SynthKnowledge, TemplateValue } from '../../src/rules/template-value';

/** Synth knowledge of a stack in eu-west-1 of account 111122223333, with conditions decided as given. */
function known(conditions: { [name: string]: boolean | undefined } = {}): SynthKnowledge {
  return {
    pseudoParameter: name => ({ 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333' } as { [key: string]: string })[name],
    conditionValue: name => conditions[name],
  };
}

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

  test('isNoValue is true for { Ref: AWS::NoValue } alone', () => {
    expect(TemplateValue.isNoValue({ Ref: 'AWS::NoValue' })).toBe(true);
    for (const other of [{ Ref: 'AWS::Region' }, { Ref: 'AWS::NoValue', Extra: 1 }, 'AWS::NoValue', null, undefined]) {
      expect([other, TemplateValue.isNoValue(other)]).toEqual([other, false]);
    }
  });

  test('literalObject keeps a map and nothing else: not an intrinsic, a list, a string or an absent value', () => {
    const map = { Mode: 'Active' };
    expect(TemplateValue.literalObject(map)).toBe(map);
    expect(TemplateValue.literalObject({})).toEqual({});
    for (const other of [{ Ref: 'Param' }, { 'Fn::If': ['C', {}, {}] }, [map], 'Active', 42, null, undefined]) {
      expect([other, TemplateValue.literalObject(other)]).toEqual([other, undefined]);
    }
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

  test.each([
    [7, 7], [0, 0], [-1, -1], ['30', 30], [' 14 ', 14], ['-1', -1],
    [1.5, undefined], ['1.5', undefined], ['7 days', undefined], [Number.NaN, undefined], [{ Ref: 'Days' }, undefined], [undefined, undefined],
  ])('integerOf(%j) is %s', (value, expected) => {
    expect(TemplateValue.integerOf(value)).toBe(expected);
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

  test('getAtt reads the logical id and attribute of both Fn::GetAtt forms, nested attributes included', () => {
    expect(TemplateValue.getAtt({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toEqual({ logicalId: 'Table', attribute: 'StreamArn' });
    expect(TemplateValue.getAtt({ 'Fn::GetAtt': 'Jobs.Outputs.QueueArn' })).toEqual({ logicalId: 'Jobs', attribute: 'Outputs.QueueArn' });
    expect(TemplateValue.getAtt({ 'Fn::GetAtt': ['Table', { Ref: 'Attribute' }] })).toEqual({ logicalId: 'Table', attribute: '' });
    expect(TemplateValue.getAtt({ 'Fn::GetAtt': 'Table' })).toEqual({ logicalId: 'Table', attribute: '' });
    for (const value of [{ 'Fn::GetAtt': 42 }, { 'Fn::GetAtt': ['T', 'A'], 'Extra': 1 }, { Ref: 'A' }, 'Table.Arn', undefined]) {
      expect(TemplateValue.getAtt(value)).toBeUndefined();
    }
  });

  test('referencesIn finds Ref, Fn::GetAtt and Fn::ImportValue at any depth, leaving pseudo parameters out', () => {
    const value = { 'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'Alias' }, { 'Fn::Select': [7, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Fn', 'Arn'] }] }] }]] };
    expect(TemplateValue.referencesIn(value)).toEqual([{ Ref: 'Alias' }, { 'Fn::GetAtt': ['Fn', 'Arn'] }]);
    expect(TemplateValue.referencesIn([{ 'Fn::ImportValue': 'Shared' }, 'literal', 3])).toEqual([{ 'Fn::ImportValue': 'Shared' }]);
    expect(TemplateValue.referencesIn({ Ref: 'AWS::Region' })).toEqual([]);
  });

  describe('resolveString', () => {
    test.each([
      ['literal', 'orders', 'orders'],
      ['Fn::Join of literals', { 'Fn::Join': ['-', ['orders', 'eu', { 'Fn::Join': ['', ['a', 'b']] }]] }, 'orders-eu-ab'],
      ['Fn::Join with the literal region', { 'Fn::Join': [':', ['arn:aws:sqs', { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, 'q']] }, 'arn:aws:sqs:eu-west-1:111122223333:q'],
      ['Fn::Sub with pseudo parameters', { 'Fn::Sub': 'logs.${AWS::Region}.amazonaws.com' }, 'logs.eu-west-1.amazonaws.com'],
      ['Fn::Sub with literal variables', { 'Fn::Sub': ['${Name}-${!Literal}', { Name: { 'Fn::Join': ['', ['a', 'b']] } }] }, 'ab-${Literal}'],
      ['Fn::If on a decided condition', { 'Fn::If': ['IsProd', 'retain', 'delete'] }, 'retain'],
      ['Fn::Select of literals', { 'Fn::Select': [1, ['a', 'b']] }, 'b'],
    ])('%s', (_name, value, expected) => {
      expect(TemplateValue.resolveString(value, known({ IsProd: true }))).toBe(expected);
    });

    test.each([
      ['a parameter, even with a default', { Ref: 'BucketName' }],
      ['AWS::Partition', { 'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, 's3']] }],
      ['a resource attribute', { 'Fn::Sub': '${Bucket.Arn}/*' }],
      ['an undecided condition', { 'Fn::If': ['IsProd', 'retain', 'delete'] }],
      ['an import', { 'Fn::ImportValue': 'Shared-Bucket' }],
      ['a number', 7],
      ['a malformed Fn::Join', { 'Fn::Join': ['-'] }],
      ['an Fn::Join of nothing', { 'Fn::Join': ['-', []] }],
      ['strings nested deeper than CDK writes them', Array.from({ length: 10 }).reduce<unknown>(inner => ({ 'Fn::Join': ['', [inner]] }), 'x')],
      ['a malformed Fn::Sub', { 'Fn::Sub': [7, {}] }],
      ['AWS::NoValue', { Ref: 'AWS::NoValue' }],
    ])('leaves %s unknown', (_name, value) => {
      expect(TemplateValue.resolveString(value, known())).toBeUndefined();
    });

    test('without synth knowledge only literals resolve', () => {
      expect(TemplateValue.resolveString({ 'Fn::Sub': 'a-${AWS::Region}' })).toBeUndefined();
      expect(TemplateValue.resolveString({ 'Fn::Join': ['-', ['a', 'b']] })).toBe('a-b');
    });
  });

  test('stringParts keeps what synth cannot know as intrinsics between literal pieces', () => {
    expect(TemplateValue.stringParts({ 'Fn::Sub': ['{"Resource":"${Fn.Arn}","Next":"${Next}","R":"${AWS::Region}","V":"${Var}"}', { Var: { Ref: 'Param' } }] }, known())).toEqual([
      '{"Resource":"', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '","Next":"', { Ref: 'Next' }, '","R":"eu-west-1","V":"', { Ref: 'Param' }, '"}',
    ]);
    expect(TemplateValue.stringParts({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['A', 'Arn'] }, '/x']] })).toEqual([{ 'Fn::GetAtt': ['A', 'Arn'] }, '/x']);
    expect(TemplateValue.stringParts({ Key: 'x' })).toBeUndefined();
  });

  describe('parseJson', () => {
    test('parses a literal, and Fn::Sub and Fn::Join text with a placeholder for each intrinsic', () => {
      expect(TemplateValue.parseJson('{"AWSOwnedKey":true}')).toEqual({ document: { AWSOwnedKey: true }, intrinsics: [] });
      const sub = TemplateValue.parseJson({ 'Fn::Sub': '{"Resource":["collection/kb-${Stage}"],"Key":"${Key.Arn}"}' });
      expect(sub).toEqual({
        document: { Resource: ['collection/kb-@@intrinsic:0@@'], Key: '@@intrinsic:1@@' },
        intrinsics: [{ Ref: 'Stage' }, { 'Fn::GetAtt': ['Key', 'Arn'] }],
      });
      const join = TemplateValue.parseJson({ 'Fn::Join': ['', ['{"StartAt":"', { Ref: 'First' }, '"}']] });
      expect(join?.document).toEqual({ StartAt: '@@intrinsic:0@@' });
    });

    test('an intrinsic outside a JSON string reads as a string of its own, never as the value it may have', () => {
      expect(TemplateValue.parseJson({ 'Fn::Sub': '{"AWSOwnedKey":${Flag}}' })?.document).toEqual({ AWSOwnedKey: '@@intrinsic:0@@' });
      // An escaped quote does not end the string the placeholder is in.
      expect(TemplateValue.parseJson({ 'Fn::Sub': '{"Comment":"say \\"${Name}\\" twice"}' })?.document).toEqual({ Comment: 'say "@@intrinsic:0@@" twice' });
    });

    test('is undefined for text that is not JSON and for values that are no string expression', () => {
      expect(TemplateValue.parseJson('widgets')).toBeUndefined();
      expect(TemplateValue.parseJson({ Ref: 'Body' })?.document).toBe('@@intrinsic:0@@');
      expect(TemplateValue.parseJson({ 'Fn::Sub': '{"a":${X} ${Y}}' })).toBeUndefined();
      expect(TemplateValue.parseJson(42)).toBeUndefined();
      expect(TemplateValue.parseJson({ widgets: [] })).toBeUndefined();
    });
  });

  describe('evaluateCondition', () => {
    test.each([
      [{ 'Fn::Equals': ['prod', 'prod'] }, true],
      [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, false],
      [{ 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] }, undefined],
      [{ 'Fn::Not': [{ 'Fn::Equals': ['a', 'b'] }] }, true],
      [{ 'Fn::And': [{ 'Fn::Equals': ['a', 'a'] }, { Condition: 'Unknown' }] }, undefined],
      [{ 'Fn::And': [{ 'Fn::Equals': ['a', 'b'] }, { Condition: 'Unknown' }] }, false],
      [{ 'Fn::Or': [{ Condition: 'Unknown' }, { Condition: 'IsProd' }] }, true],
      [{ 'Fn::Or': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Equals': [1, '2'] }] }, false],
      [{ 'Fn::Equals': [1, '1'] }, true],
      [{ 'Fn::Equals': ['a'] }, undefined],
      [{ 'Fn::Not': 'x' }, undefined],
      [{ 'Fn::And': [] }, undefined],
      ['true', undefined],
      [null, undefined],
    ])('%j is %s', (expression, expected) => {
      expect(TemplateValue.evaluateCondition(expression, known({ IsProd: true }))).toBe(expected);
    });
  });

  describe('simplify', () => {
    test('puts in decided branches and joined literals, leaves AWS::NoValue entries out', () => {
      const properties = {
        Name: { 'Fn::Sub': 'orders-${AWS::Region}' },
        Encryption: { 'Fn::If': ['IsProd', { Algorithm: 'aws:kms' }, { Ref: 'AWS::NoValue' }] },
        Logging: { 'Fn::If': ['IsDev', { Prefix: 'x' }, { Ref: 'AWS::NoValue' }] },
        Tags: [{ Key: 'a', Value: 'b' }, { 'Fn::If': ['IsDev', { Key: 'dev', Value: 'yes' }, { Ref: 'AWS::NoValue' }] }],
        Undecided: { 'Fn::If': ['Unknown', 'x', 'y'] },
        Arn: { 'Fn::GetAtt': ['Key', 'Arn'] },
      };
      expect(TemplateValue.simplify(properties, known({ IsProd: true, IsDev: false }))).toEqual({
        Name: 'orders-eu-west-1',
        Encryption: { Algorithm: 'aws:kms' },
        Tags: [{ Key: 'a', Value: 'b' }],
        Undecided: { 'Fn::If': ['Unknown', 'x', 'y'] },
        Arn: { 'Fn::GetAtt': ['Key', 'Arn'] },
      });
    });

    test('returns the value itself when synth knows nothing more, and undefined for AWS::NoValue', () => {
      const properties = { A: { Ref: 'Param' }, B: ['x', { 'Fn::If': ['Unknown', 1, 2] }] };
      expect(TemplateValue.simplify(properties, known())).toBe(properties);
      expect(TemplateValue.simplify({ Ref: 'AWS::NoValue' }, known())).toBeUndefined();
      expect(TemplateValue.simplify('x', known())).toBe('x');
    });
  });
});
