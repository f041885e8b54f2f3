// Writes docs/options.md from the jsii manifest (`npx projen docs:options`, run by every build after compile).
import * as fs from 'fs';
import * as path from 'path';
import { cell, JsiiAssembly, Property, readAssembly, ROOT, TypeReference } from './jsii-assembly';

export const OPTIONS_DOC = path.join(ROOT, 'docs', 'options.md');
const ASSEMBLY = 'fintech-infra-template';

/** Reads `.jsii` (written by `compile`). */
export function readManifest(): JsiiAssembly {
  return readAssembly();
}

/** docs/options.md: every own option of `FintechCdkAppOptions` and every field of `FintechEnvironment`, from their doc comments. */
export function renderOptionsReference(manifest: JsiiAssembly): string {
  const options = typeOf(manifest, 'FintechCdkAppOptions');
  const environment = typeOf(manifest, 'FintechEnvironment');
  const base = (options.interfaces ?? []).map(fqn => `\`${fqn.replace(/^projen\./, '')}\``).join(', ');
  return `# Options reference

<!-- Generated from the jsii manifest by scripts/write-options-doc.ts (\`npx projen docs:options\`, part of every build). Edit the doc comments in src/, not this file. -->

## \`FintechCdkApp\` (\`.projenrc.ts\`)
\`FintechCdkAppOptions\` extends ${base || "projen's `AwsCdkTypeScriptAppOptions`"}: every option of a projen CDK app applies.
The options below are the template's own; they are validated when the project is constructed (\`projen new\` or
\`npx projen\`) and written to the managed \`src/fintech.config.json\`. \`projen new\` takes each as a kebab-case flag
(\`--cost-center=cc-1234\`).

${table('option', options.properties ?? [])}

### \`FintechEnvironment\`
One entry of \`environments\`.

${table('field', environment.properties ?? [])}

### Defaults the template sets on projen's options
Your options are merged with them, never replaced by them: \`jestOptions.jestConfig\`, \`tsJestOptions.transformOptions\` and
\`tsconfig\`/\`tsconfigDev\` \`compilerOptions\` are merged key by key, \`eslintOptions.dirs\`/\`devdirs\` are added to \`src\`, \`test\` and
\`build-tools\`, and any other value you set wins. The defaults: \`cdkCliVersion\` 2.1148.1, \`typescriptVersion\` ~5.9.0,
\`cdkVersionPinning\` true, ts-node transpile-only for synth and \`.projenrc.ts\`, ts-jest with \`isolatedModules\`, jest's
\`globalSetup\`/\`globalTeardown\` from \`fintech-infra-template/lib/testing\`, eslint parsing with the one program of the dev
tsconfig (\`projectService: false\`), \`skipLibCheck\`, and Lambda and integ-test auto-discovery off. jest's
\`modulePathIgnorePatterns\` gain the cloud assembly and the integ tests' snapshots and \`cdk.out\`, which \`synth:silent\` and
\`integ:verify\` rewrite while jest runs beside them (added to yours).

Values that would break what the template relies on are rejected with the fix: a \`jestOptions.jestConfig.globalSetup\` or
\`globalTeardown\` other than the template's, \`eslintOptions.projectService: true\`, an \`eslintOptions.tsconfigPath\` other than
the dev tsconfig, and \`tsJestOptions.transformOptions.isolatedModules: false\`.

### Why \`cdkVersion\` must be 2.257.x
\`FintechChecks\` is a CDK validation plugin; \`Validations\` exists from aws-cdk-lib 2.257. From 2.258 aws-cdk-lib writes
cloud assembly schema 54, which the newest integ-runner on the registry (2.197.10) cannot read. \`projen new\` records
2.257.0 in \`.projenrc.ts\`; the pins live in \`src/project/versions.ts\`.

### Errors
Every invalid option is reported at once, one line each: the option path (\`environments[1].account\`), the value, what is
wrong, and the fix. The constructor throws an \`InvalidOptionsError\` before any file is written; \`projen new\` and
\`npx projen\` print its message alone, without a stack trace, and exit 1. A missing required option stops \`projen new\`
before the project is created (\`Missing required option: --team [string] ...\`).
`;
}

function typeOf(manifest: JsiiAssembly, name: string) {
  const type = manifest.types[`${ASSEMBLY}.${name}`];
  if (!type) throw new Error(`${ASSEMBLY}.${name} is not in the jsii manifest`);
  return type;
}

function table(heading: string, properties: readonly Property[]): string {
  // Required options first, then optional ones, each alphabetically.
  const sorted = [...properties].sort((a, b) => Number(a.optional ?? false) - Number(b.optional ?? false) || a.name.localeCompare(b.name));
  const rows = sorted.map(p => `| \`${p.name}\` | ${cell(typeName(p.type))} | ${p.optional ? 'optional' : '**required**'} | ${cell(defaultOf(p))} | ${cell(p.docs?.summary ?? '')} |`);
  return [`| ${heading} | type | required | default | description |`, '|---|---|---|---|---|', ...rows].join('\n');
}

function defaultOf(property: Property): string {
  const value = property.docs?.default;
  if (value === undefined) return property.optional ? 'none' : '';
  return value.replace(/^-\s*/, '');
}

function typeName(type: TypeReference): string {
  if (type.primitive) return type.primitive;
  if (type.fqn) return `\`${type.fqn.replace(new RegExp(`^${ASSEMBLY}\\.`), '')}\``;
  if (type.collection) return type.collection.kind === 'array' ? `${typeName(type.collection.elementtype)}[]` : `map of ${typeName(type.collection.elementtype)}`;
  if (type.union) return type.union.types.map(typeName).join(' or ');
  return 'unknown';
}

if (require.main === module) {
  fs.writeFileSync(OPTIONS_DOC, renderOptionsReference(readManifest()));
  console.log(`wrote ${path.relative(process.cwd(), OPTIONS_DOC)}`);
}
