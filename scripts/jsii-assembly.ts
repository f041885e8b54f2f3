// The parts of a jsii assembly (.jsii, written by `compile`) that the generated docs read: docs/options.md and
// docs/api-overview.md are rendered from it by scripts/write-options-doc.ts and scripts/write-api-overview.ts.
import * as fs from 'fs';
import * as path from 'path';

/** A jsii type reference. */
export interface TypeReference {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeReference };
  readonly union?: { readonly types: TypeReference[] };
}

/** The doc comment of a type or member. */
export interface Docs {
  readonly summary?: string;
  readonly remarks?: string;
  readonly default?: string;
  readonly deprecated?: string;
}

/** A parameter of a method or initializer. */
export interface Parameter {
  readonly name: string;
  readonly type: TypeReference;
  readonly optional?: boolean;
  readonly variadic?: boolean;
}

/** A method or initializer. */
export interface Callable {
  readonly name?: string;
  readonly docs?: Docs;
  readonly parameters?: Parameter[];
  readonly returns?: { readonly type: TypeReference; readonly optional?: boolean };
  readonly static?: boolean;
  readonly protected?: boolean;
  readonly overrides?: string;
}

/** A property of a class or interface (a struct's fields included). */
export interface Property {
  readonly name: string;
  readonly type: TypeReference;
  readonly docs?: Docs;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly const?: boolean;
  readonly protected?: boolean;
  readonly overrides?: string;
}

/** A class, interface or enum of the assembly. */
export interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly docs?: Docs;
  readonly base?: string;
  readonly interfaces?: string[];
  readonly datatype?: boolean;
  readonly abstract?: boolean;
  readonly initializer?: Callable;
  readonly properties?: Property[];
  readonly methods?: Callable[];
  readonly members?: { readonly name: string; readonly docs?: Docs }[];
  readonly locationInModule?: { readonly filename: string };
}

/** The assembly: its name, version and types by fully qualified name. */
export interface JsiiAssembly {
  readonly name: string;
  readonly version: string;
  readonly types: { [fqn: string]: JsiiType };
}

/** The repository root, where `compile` writes `.jsii`. */
export const ROOT = path.join(__dirname, '..');

/** Reads `.jsii`; says to compile first when it is missing. */
export function readAssembly(root: string = ROOT): JsiiAssembly {
  const manifest = path.join(root, '.jsii');
  if (!fs.existsSync(manifest)) throw new Error(`${path.relative(process.cwd(), manifest) || '.jsii'} is missing: run \`npx projen compile\` first`);
  return JSON.parse(fs.readFileSync(manifest, 'utf-8'));
}

/** Text for a Markdown table cell: one line, pipes escaped. */
export function cell(text: string | undefined): string {
  return (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}
