// Writes docs/api-overview.md from the jsii manifest (.jsii): every public type with its OWN members only
// (`npx projen docs:api`, run after each compile). API.md, written by jsii-docgen, lists every member including the
// hundreds each construct inherits from aws-cdk-lib; jsii-docgen 10.x has no option to leave those out or order them.
import * as fs from 'fs';
import * as path from 'path';
import { cell, Docs, JsiiAssembly, JsiiType, Parameter, readAssembly, ROOT, TypeReference } from './jsii-assembly';

export type { JsiiAssembly, JsiiType } from './jsii-assembly';

const KIND_ORDER = ['class', 'interface', 'struct', 'enum'];

/**
 * The Markdown overview of `assembly`: types grouped by source folder (in the order `folderOrder` gives, e.g. the
 * order of src/index.ts), classes first, each with its own constructor, properties and methods, and a link to the
 * type's full entry in API.md (`apiReference`, relative to the overview).
 */
export function renderApiOverview(assembly: JsiiAssembly, folderOrder: readonly string[] = [], apiReference = '../API.md'): string {
  const own = (fqn: string) => fqn.startsWith(`${assembly.name}.`);
  const types = Object.values(assembly.types).filter(t => own(t.fqn));
  const groups = new Map<string, JsiiType[]>();
  for (const type of types) {
    const folder = folderOf(type);
    groups.set(folder, [...(groups.get(folder) ?? []), type]);
  }
  const rank = (folder: string) => (folderOrder.includes(folder) ? folderOrder.indexOf(folder) : folderOrder.length);
  const folders = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

  const lines = [
    `# API overview of ${assembly.name}`,
    '',
    'Generated from the jsii manifest by `scripts/write-api-overview.ts` on every compile (`npx projen docs:api`); do not edit.',
    `Each public type with its **own** members only. [API.md](${apiReference}) has every member, including the ones each`,
    'construct inherits from aws-cdk-lib (jsii-docgen cannot leave those out).',
    '',
    ...folders.map(folder => `- [${folder}](#${anchor(folder)}): ${sortTypes(groups.get(folder)!).map(t => `[${t.name}](#${anchor(t.name)})`).join(', ')}`),
  ];
  for (const folder of folders) {
    lines.push('', `## ${folder}`);
    for (const type of sortTypes(groups.get(folder)!)) lines.push('', ...renderType(type, own, apiReference));
  }
  return lines.join('\n') + '\n';
}

function renderType(type: JsiiType, own: (fqn: string) => boolean, apiReference: string): string[] {
  const name = (fqn: string) => typeName(fqn, own);
  const heritage = [
    type.base ? `extends ${name(type.base)}` : undefined,
    type.interfaces?.length ? `${type.kind === 'class' ? 'implements' : 'extends'} ${type.interfaces.map(name).join(', ')}` : undefined,
  ].filter(Boolean).join(', ');
  const lines = [
    `### ${type.name}`,
    '',
    [`*${kindOf(type)}*`, heritage, type.locationInModule ? `\`${type.locationInModule.filename}\`` : undefined,
      `[full reference](${apiReference}#${type.fqn})`].filter(Boolean).join(' · '),
  ];
  // A type's docs stay Markdown as written (paragraphs, code examples).
  if (type.docs?.summary) lines.push('', description(type.docs, true).trim());
  if (type.kind === 'enum') {
    lines.push('', '| Member | Description |', '| --- | --- |');
    for (const member of type.members ?? []) lines.push(`| \`${member.name}\` | ${cell(description(member.docs))} |`);
    return lines;
  }
  if (type.kind === 'class' && type.initializer && !type.abstract) {
    lines.push('', `\`new ${type.name}(${parameters(type.initializer.parameters, own)})\``);
  }
  const properties = (type.properties ?? []).filter(p => !p.protected);
  const methods = (type.methods ?? []).filter(m => !m.protected);
  if (properties.length === 0 && methods.length === 0) return lines;
  const struct = type.datatype === true;
  lines.push('', struct ? '| Property | Type | Default | Description |' : '| Member | Type | Description |', struct ? '| --- | --- | --- | --- |' : '| --- | --- | --- |');
  const sortedProperties = [...properties].sort((a, b) => Number(!!b.static) - Number(!!a.static) || a.name.localeCompare(b.name));
  for (const property of sortedProperties) {
    const label = `\`${property.static ? 'static ' : ''}${property.name}${property.optional ? '?' : ''}\``;
    const text = cell(description(property.docs)) + overrides(property.overrides, own);
    lines.push(struct
      ? `| ${label} | ${typeRef(property.type, own)} | ${cell(property.docs?.default ?? (property.optional ? '' : 'required'))} | ${text} |`
      : `| ${label} | ${typeRef(property.type, own)} | ${text} |`);
  }
  const sortedMethods = [...methods].sort((a, b) => Number(!!b.static) - Number(!!a.static) || (a.name ?? '').localeCompare(b.name ?? ''));
  for (const method of sortedMethods) {
    const label = `\`${method.static ? 'static ' : ''}${method.name}(${parameters(method.parameters, own).replace(/`/g, '')})\``;
    const returns = method.returns ? typeRef(method.returns.type, own) + (method.returns.optional ? ' \\| undefined' : '') : '`void`';
    lines.push(`| ${label} | ${returns} | ${cell(description(method.docs))}${overrides(method.overrides, own)} |`);
  }
  return lines;
}

function sortTypes(types: readonly JsiiType[]): JsiiType[] {
  return [...types].sort((a, b) => KIND_ORDER.indexOf(kindOf(a)) - KIND_ORDER.indexOf(kindOf(b)) || a.name.localeCompare(b.name));
}

function kindOf(type: JsiiType): string {
  return type.kind === 'interface' && type.datatype ? 'struct' : type.kind;
}

/** `src/api/protected-rest-api.ts` -> `api`; files directly in src/ -> `index`. */
function folderOf(type: JsiiType): string {
  const parts = (type.locationInModule?.filename ?? 'src/index.ts').split('/');
  return parts.length > 2 ? parts[1] : 'index';
}

function parameters(list: readonly Parameter[] | undefined, own: (fqn: string) => boolean): string {
  return (list ?? []).map(p => `${p.variadic ? '...' : ''}${p.name}${p.optional ? '?' : ''}: ${typeText(p.type, own)}`).join(', ');
}

function typeRef(type: TypeReference, own: (fqn: string) => boolean): string {
  if (type.fqn && own(type.fqn)) {
    const short = typeName(type.fqn, own);
    return `[\`${short}\`](#${anchor(short)})`;
  }
  return `\`${typeText(type, own).replace(/\|/g, '\\|')}\``;
}

function typeText(type: TypeReference, own: (fqn: string) => boolean): string {
  if (type.primitive) return type.primitive === 'any' ? 'any' : type.primitive;
  if (type.fqn) return typeName(type.fqn, own);
  if (type.collection) {
    const element = typeText(type.collection.elementtype, own);
    return type.collection.kind === 'array' ? `${element}[]` : `{ [key: string]: ${element} }`;
  }
  if (type.union) return type.union.types.map(t => typeText(t, own)).join(' | ');
  return 'unknown';
}

/** `fintech-infra-template.ProtectedRestApi` -> `ProtectedRestApi`; `aws-cdk-lib.aws_logs.LogGroup` -> `aws_logs.LogGroup`. */
function typeName(fqn: string, own: (fqn: string) => boolean): string {
  const [, ...rest] = fqn.split('.');
  return own(fqn) ? rest[rest.length - 1] : rest.join('.');
}

function overrides(base: string | undefined, own: (fqn: string) => boolean): string {
  return base ? ` (overrides \`${typeName(base, own)}\`)` : '';
}

/**
 * jsii cuts a summary at the first sentence end, `;` and `:` included: a summary cut there continues in the remarks.
 * A type's description is always summary and remarks.
 */
function description(docs: Docs | undefined, full = false): string {
  const summary = docs?.summary ?? '';
  return docs?.remarks && (full || /[;:]$/.test(summary)) ? `${summary} ${docs.remarks}` : summary;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/** Source folders in the order src/index.ts exports them. */
export function indexFolderOrder(indexSource: string): string[] {
  const folders = [...indexSource.matchAll(/export \* from '\.\/([^/']+)\//g)].map(m => m[1]);
  return [...new Set(folders)];
}

if (require.main === module) {
  const assembly = readAssembly();
  const order = indexFolderOrder(fs.readFileSync(path.join(ROOT, 'src', 'index.ts'), 'utf-8'));
  const target = path.join(ROOT, 'docs', 'api-overview.md');
  fs.writeFileSync(target, renderApiOverview(assembly, order));
  const count = Object.keys(assembly.types).filter(fqn => fqn.startsWith(`${assembly.name}.`)).length;
  console.log(`wrote ${path.relative(process.cwd(), target)} (${count} types, own members only)`);
}
