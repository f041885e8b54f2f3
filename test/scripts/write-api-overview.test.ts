import { readAssembly } from '../../scripts/jsii-assembly';
import { indexFolderOrder, JsiiAssembly, renderApiOverview } from '../../scripts/write-api-overview';

const ASSEMBLY: JsiiAssembly = {
  name: 'pkg',
  version: '1.0.0',
  types: {
    'pkg.Api': {
      fqn: 'pkg.Api',
      name: 'Api',
      kind: 'class',
      base: 'aws-cdk-lib.aws_apigateway.RestApi',
      docs: { summary: 'A protected API.', remarks: 'More about it.\n\n```ts\nnew Api(this, \'Api\');\n```' },
      locationInModule: { filename: 'src/api/api.ts' },
      initializer: { parameters: [{ name: 'scope', type: { fqn: 'constructs.Construct' } }, { name: 'props', optional: true, type: { fqn: 'pkg.ApiProps' } }] },
      properties: [
        { name: 'webAcl', type: { fqn: 'aws-cdk-lib.aws_wafv2.CfnWebACL' }, docs: { summary: 'The web ACL;', remarks: 'on the stage.' } },
        { name: 'hidden', type: { primitive: 'string' }, protected: true },
      ],
      methods: [
        {
          name: 'addDomainName',
          overrides: 'aws-cdk-lib.aws_apigateway.RestApiBase',
          parameters: [{ name: 'id', type: { primitive: 'string' } }],
          returns: { type: { fqn: 'aws-cdk-lib.aws_apigateway.DomainName' } },
          docs: { summary: 'TLS 1.2 only.' },
        },
        { name: 'of', static: true, parameters: [{ name: 'scope', type: { fqn: 'constructs.IConstruct' } }], returns: { type: { fqn: 'pkg.Api' } } },
      ],
    },
    'pkg.ApiProps': {
      fqn: 'pkg.ApiProps',
      name: 'ApiProps',
      kind: 'interface',
      datatype: true,
      locationInModule: { filename: 'src/api/api.ts' },
      properties: [
        { name: 'rateLimit', optional: true, type: { primitive: 'number' }, docs: { summary: 'Requests per second.', default: '100' } },
        { name: 'mode', type: { union: { types: [{ primitive: 'string' }, { fqn: 'pkg.Mode' }] } }, docs: { summary: 'Which | mode.' } },
      ],
    },
    'pkg.Mode': { fqn: 'pkg.Mode', name: 'Mode', kind: 'enum', locationInModule: { filename: 'src/stage/mode.ts' }, members: [{ name: 'FAST', docs: { summary: 'Quick.' } }] },
    'other.Foreign': { fqn: 'other.Foreign', name: 'Foreign', kind: 'class' },
  },
};

describe('renderApiOverview', () => {
  const overview = renderApiOverview(ASSEMBLY, ['stage', 'api']);

  test('groups the package\'s own types by source folder in the order given, classes before structs before enums', () => {
    expect(overview.match(/^## .*/gm)).toEqual(['## stage', '## api']);
    expect(overview.match(/^### .*/gm)).toEqual(['### Mode', '### Api', '### ApiProps']);
    expect(overview).not.toContain('Foreign');
    expect(overview).toContain('- [api](#api): [Api](#api), [ApiProps](#apiprops)');
  });

  test('a class: its base, file, link to API.md, constructor and only its own public members, properties then methods, statics first', () => {
    expect(overview).toContain('*class* · extends aws_apigateway.RestApi · `src/api/api.ts` · [full reference](../API.md#pkg.Api)');
    expect(overview).toContain('A protected API. More about it.\n\n```ts\nnew Api(this, \'Api\');\n```');
    expect(overview).toContain('`new Api(scope: Construct, props?: ApiProps)`');
    const rows = overview.split('\n').filter(line => line.startsWith('| `'));
    expect(rows.slice(1, 4)).toEqual([
      '| `webAcl` | `aws_wafv2.CfnWebACL` | The web ACL; on the stage. |',
      '| `static of(scope: IConstruct)` | [`Api`](#api) |  |',
      '| `addDomainName(id: string)` | `aws_apigateway.DomainName` | TLS 1.2 only. (overrides `aws_apigateway.RestApiBase`) |',
    ]);
    expect(overview).not.toContain('hidden');
  });

  test('a struct lists each property with its default; enums their members; pipes are escaped', () => {
    expect(overview).toContain('| `rateLimit?` | `number` | 100 | Requests per second. |');
    expect(overview).toContain('| `mode` | `string \\| Mode` | required | Which \\| mode. |');
    expect(overview).toContain('| `FAST` | Quick. |');
  });
});

test('indexFolderOrder reads the folders in the order src/index.ts exports them', () => {
  expect(indexFolderOrder("export * from './stage/a';\nexport * from './rules/b';\nexport * from './stage/c';\n")).toEqual(['stage', 'rules']);
});

// The real manifest, which `compile` writes before `build` runs the tests: ProtectedRestApi's own members are there,
// the hundreds RestApi has are not.
test('the package\'s overview lists ProtectedRestApi\'s own members only', () => {
  const assembly = readAssembly();
  const overview = renderApiOverview(assembly);
  const section = overview.split('\n### ').find(s => s.startsWith('ProtectedRestApi\n'))!;
  expect(section).toContain('`webAcl`');
  const rows = section.split('\n').filter(line => line.startsWith('| `'));
  expect(rows.some(row => row.startsWith('| `webAcl`'))).toBe(true);
  expect(rows.filter(row => /^\| `(addResource|metricServerError|addMethod|node)\b/.test(row))).toEqual([]);
});
