// Makes the package's main entry load without projen (run after each compile: `ts-node scripts/lazy-projen-exports.ts [libDir]`).
// jsii needs every public type exported statically from src/index.ts, so the compiled lib/index.js requires the projen
// project type at load, and with it projen. This rewrites each `__exportStar(require("./m"), exports)` of lib/index.js whose
// module needs projen at load into getters that require the module on first access. The names come from the module's
// declarations (.d.ts, value exports only), so nothing is listed by hand; projen and jsii still find the project type by
// name (`require('fintech-infra-template').FintechCdkApp`).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** Marks a rewritten line, so a second run changes nothing. */
export const LAZY_MARKER = '/* lazy: needs projen */';

const EXPORT_STAR = /^__exportStar\(require\("(\.[^"]+)"\), exports\);$/;
const REQUIRE = /require\("([^"]+)"\)/g;

/** What `makeProjenExportsLazy` did. */
export interface LazyExportsResult {
  /** Modules (relative to the lib directory, as index.js requires them) now loaded on first use, with their names. */
  readonly lazy: ReadonlyArray<{ readonly module: string; readonly names: readonly string[] }>;
}

/**
 * Rewrites `<libDir>/index.js` so the modules that require projen at load (directly or through other modules of
 * `libDir`) are required on first access of one of their exports. Throws, naming the chain, when a module index.js
 * still loads eagerly needs projen (e.g. a construct that imports from src/project), or when a module's declarations
 * export no value.
 */
export function makeProjenExportsLazy(libDir: string): LazyExportsResult {
  const indexFile = path.join(libDir, 'index.js');
  const lines = fs.readFileSync(indexFile, 'utf-8').split('\n');
  const graph = new RequireGraph(libDir);
  const lazy: Array<{ module: string; names: string[] }> = [];

  const rewritten = lines.map(line => {
    const match = EXPORT_STAR.exec(line);
    if (!match || !graph.needsProjen(graph.resolve(libDir, match[1]))) return line;
    const names = valueExportsOf(path.join(libDir, `${match[1]}.d.ts`));
    if (names.length === 0) {
      throw new Error(`${match[1]} needs projen at load but its declarations export no value; remove it from src/index.ts or export its types only.`);
    }
    lazy.push({ module: match[1], names });
    // One line for one line, so the inline source map still points at src/index.ts.
    return `${LAZY_MARKER} (function (load, names) { var m; names.forEach(function (name) { if (!Object.prototype.hasOwnProperty.call(exports, name)) ` +
      'Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: function () { if (!m) { try { m = load(); } catch (e) { ' +
      'if (e && e.code === "MODULE_NOT_FOUND" && /\'projen[\'/]/.test(e.message)) throw new Error(name + " is part of the projen project type of ' +
      'fintech-infra-template and needs projen, which is not installed: npm install --save-dev projen. The constructs and FintechChecks need no projen."); ' +
      'throw e; } } return m[name]; } }); }); })' +
      `(function () { return require(${JSON.stringify(match[1])}); }, ${JSON.stringify(names)});`;
  });

  const eager = rewritten.filter(line => !line.startsWith(LAZY_MARKER)).flatMap(line => [...line.matchAll(REQUIRE)].map(m => m[1]));
  for (const spec of eager) {
    const chain = graph.projenChain(graph.resolve(libDir, spec));
    if (chain) {
      throw new Error(`lib/index.js still loads projen at load: ${chain.map(file => path.relative(libDir, file)).join(' -> ')} -> projen. ` +
        'Export that module lazily (only modules src/index.ts re-exports with `export *` can be), or stop it importing projen at the top.');
    }
  }
  fs.writeFileSync(indexFile, rewritten.join('\n'));
  return { lazy };
}

/** Names of the values (classes, enums, functions, constants) a declaration file exports, re-exports included. */
export function valueExportsOf(declarationFile: string): string[] {
  const program = ts.createProgram([declarationFile], { noResolve: false, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(declarationFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`Cannot read the declarations ${declarationFile}; compile first.`);
  return checker.getExportsOfModule(moduleSymbol)
    .filter(symbol => {
      /* eslint-disable no-bitwise */ // TypeScript's symbol flags are bit masks
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) !== 0 && symbol.name !== 'default';
      /* eslint-enable no-bitwise */
    })
    .map(symbol => symbol.name)
    .sort();
}

/** The `require` calls of the compiled modules of one directory, read once. */
class RequireGraph {
  private readonly memo = new Map<string, string[] | null>();

  constructor(private readonly root: string) {}

  /** The file a relative require of `fromDir` loads, or undefined for a package. */
  public resolve(fromDir: string, spec: string): string | undefined {
    if (!spec.startsWith('.')) return undefined;
    const base = path.resolve(fromDir, spec);
    return [`${base}.js`, path.join(base, 'index.js'), base].find(file => file.endsWith('.js') && fs.existsSync(file));
  }

  public needsProjen(file: string | undefined): boolean {
    return this.projenChain(file) !== undefined;
  }

  /** The chain of files from `file` to one that requires projen, if any. */
  public projenChain(file: string | undefined): string[] | undefined {
    if (!file || !file.startsWith(this.root)) return undefined;
    if (this.memo.has(file)) return this.memo.get(file) ?? undefined;
    this.memo.set(file, null); // a cycle adds nothing
    const requires = [...fs.readFileSync(file, 'utf-8').matchAll(REQUIRE)].map(m => m[1]);
    let chain: string[] | undefined;
    if (requires.some(spec => spec === 'projen' || spec.startsWith('projen/'))) {
      chain = [file];
    } else {
      for (const spec of requires) {
        const next = this.projenChain(this.resolve(path.dirname(file), spec));
        if (next) {
          chain = [file, ...next];
          break;
        }
      }
    }
    this.memo.set(file, chain ?? null);
    return chain;
  }
}

if (require.main === module) {
  const libDir = path.resolve(process.argv[2] ?? 'lib');
  const { lazy } = makeProjenExportsLazy(libDir);
  for (const { module, names } of lazy) console.log(`lib/index.js: ${module} loads on first use of ${names.join(', ')}`);
}
