import { StackTemplate } from '../../../src/rules/stack-template';
import { DependencyCycle } from '../../../src/rules/template/dependency-cycle';
import { InvalidPhysicalName } from '../../../src/rules/template/invalid-physical-name';
import { MissingReference } from '../../../src/rules/template/missing-reference';
import { isPseudoParameter, subTargets, templateReferences } from '../../../src/rules/template/template-references';

function stackOf(template: unknown): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/T.template.json', template, stageName: '', durable: false, elements: new Map() });
}

describe('subTargets', () => {
  test('reads ${Name} and ${Name.Attr}, leaves out escapes, pseudo parameters and shadowed variables', () => {
    expect(subTargets('${A}-${B.Arn}-${!C}-${AWS::Region}-${D}-${ E }-${N.Outputs.Url}', new Set(['D']))).toEqual([
      { name: 'A' },
      { name: 'B', attribute: 'Arn' },
      { name: 'E' },
      { name: 'N', attribute: 'Outputs.Url' },
    ]);
    expect(subTargets('no variables')).toEqual([]);
  });
});

describe('isPseudoParameter', () => {
  test('AWS:: names only', () => {
    expect([isPseudoParameter('AWS::NoValue'), isPseudoParameter('AWSBucket')]).toEqual([true, false]);
  });
});

describe('templateReferences', () => {
  test('collects every name each resource, output and condition uses, with its location, but not Metadata', () => {
    const refs = templateReferences(stackOf({
      Parameters: { P: { Type: 'String' } },
      Mappings: { M: {} },
      Conditions: { C: { 'Fn::Equals': [{ Ref: 'P' }, 'x'] }, D: { 'Fn::Not': [{ Condition: 'C' }] } },
      Resources: {
        R: {
          Type: 'AWS::SQS::Queue',
          Condition: 'C',
          DependsOn: ['S'],
          Metadata: { Ignored: { Ref: 'Nothing' } },
          Properties: {
            QueueName: { 'Fn::If': ['D', { Ref: 'S' }, { 'Fn::GetAtt': 'S.QueueName' }] },
            Policy: { Statement: [{ Condition: { StringEquals: { 'aws:SourceArn': { 'Fn::Sub': ['${X}-${S.Arn}', { X: { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'k'] } }] } } } }] },
          },
        },
        S: { Type: 'AWS::SQS::Queue' },
      },
      Outputs: { O: { Value: { Ref: 'R' }, Condition: 'C', Export: { Name: { 'Fn::Sub': '${AWS::StackName}-o' } } } },
    }));
    expect(refs.judgeable).toBe(true);
    expect([...refs.resources, ...refs.parameters, ...refs.conditions, ...refs.mappings]).toEqual(['R', 'S', 'P', 'C', 'D', 'M']);
    const summary = refs.elements.map(e => `${e.section}/${e.logicalId}: ${e.references.map(r => `${r.via} ${r.target} ${r.kind} @${r.location}`).join(' | ')}`);
    expect(summary).toEqual([
      'Resources/R: Fn::If D condition @Properties/QueueName/Fn::If | Ref S resource-or-parameter @Properties/QueueName/Fn::If/0/Ref | ' +
        'Fn::GetAtt S resource @Properties/QueueName/Fn::If/1/Fn::GetAtt | Fn::Sub S resource @Properties/Policy/Statement/0/Condition/StringEquals/aws:SourceArn/Fn::Sub | ' +
        'Fn::FindInMap M mapping @Properties/Policy/Statement/0/Condition/StringEquals/aws:SourceArn/Fn::Sub/X/Fn::FindInMap | DependsOn S resource @DependsOn/0 | Condition C condition @Condition',
      'Resources/S: ',
      'Outputs/O: Ref R resource-or-parameter @Value/Ref | Condition C condition @Condition',
      'Conditions/C: Ref P resource-or-parameter @Fn::Equals/0/Ref',
      'Conditions/D: Condition C condition @Fn::Not/0/Condition',
    ]);
  });

  test('a transform anywhere makes the template unjudgeable; odd shapes are skipped, never thrown on', () => {
    expect(templateReferences(stackOf({ Transform: 'AWS::Serverless-2016-10-31', Resources: {} })).judgeable).toBe(false);
    expect(templateReferences(stackOf({ Resources: { R: { Type: 'T', Properties: { A: { 'Fn::Transform': {} } } } } })).judgeable).toBe(false);
    expect(templateReferences(stackOf({ Resources: { 'Fn::ForEach::Q': ['x', [], {}] } })).judgeable).toBe(true);
    const odd = templateReferences(stackOf({
      Resources: { R: { Type: 'T', DependsOn: [1, 'S'], Properties: { A: { Ref: 3 }, B: { 'Fn::GetAtt': [{ Ref: 'P' }, { Ref: 'Q' }] }, C: { 'Fn::If': 'x' }, D: null } }, X: 'not an object' },
      Outputs: 'nope',
      Conditions: [],
    }));
    expect(odd.elements.map(e => e.references.map(r => `${r.via} ${r.target}`))).toEqual([['Ref Q', 'DependsOn S']]);
  });
});

describe('odd templates', () => {
  // A seeded generator of JSON shapes a template may hold: literals, intrinsics with wrong arities and types, nesting.
  function shapes(seed: number): () => unknown {
    let state = seed;
    const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const value = (depth: number): unknown => {
      const leaf = pick<unknown>([null, 42, true, '', 'x', '${A}', '${!B}', '${A.Arn}', [], {}]);
      if (depth > 3) return leaf;
      return pick<() => unknown>([
        () => leaf,
        () => ({ Ref: pick<unknown>(['A', 'Nope', 'AWS::Region', 3, null, ['A']]) }),
        () => ({ 'Fn::GetAtt': pick<unknown>([['A', 'Arn'], 'A.Arn', 'A', [], [7], [{ Ref: 'A' }, 'x'], null]) }),
        () => ({ 'Fn::Sub': pick<unknown>(['${A}-${Nope.Arn}', ['${X}', { X: value(depth + 1) }], ['${A}'], [], 5, [value(depth + 1), 'y']]) }),
        () => ({ 'Fn::If': pick<unknown>([['C', value(depth + 1), value(depth + 1)], 'C', [], [1, 2, 3]]) }),
        () => ({ 'Fn::FindInMap': pick<unknown>([['M', 'a', 'b'], [{ Ref: 'A' }, 'a'], 'M', []]) }),
        () => ({ Condition: pick<unknown>(['C', 1, {}]) }),
        () => [value(depth + 1), value(depth + 1)],
        () => ({ Key: value(depth + 1), Other: value(depth + 1) }),
      ])();
    };
    return () => value(0);
  }

  test('references, cycles and missing names never throw on any shape', () => {
    const found = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const next = shapes(seed);
      const template = {
        Parameters: next(),
        Conditions: { C: next(), D: next() },
        Resources: { A: { Type: 'AWS::SQS::Queue', Properties: next(), DependsOn: next(), Condition: next() }, B: next(), Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: next() } } },
        Outputs: { O: { Value: next(), Condition: next(), Export: next() }, P: next() },
      };
      const stack = stackOf(template);
      expect(() => {
        templateReferences(stack);
        const findings = [...new DependencyCycle().checkTemplate(stack), ...new MissingReference().checkTemplate(stack)];
        for (const resource of stack.resources) findings.push(...new InvalidPhysicalName().checkResource(resource));
        for (const finding of findings) found.add(finding.ruleId);
      }).not.toThrow();
    }
    // The shapes are odd enough to reach every rule's findings, not only its early returns.
    expect([...found].sort()).toEqual([DependencyCycle.INFO.id, InvalidPhysicalName.INFO.id, MissingReference.INFO.id].sort());
  });
});
