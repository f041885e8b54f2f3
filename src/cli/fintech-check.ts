#!/usr/bin/env node
import * as path from 'path';
import type { ESLint, loadESLint } from 'eslint';
import type * as ts from 'typescript';

const USAGE = `usage: fintech-check --project <tsconfig.json> [--fix] [--ext .ts,.tsx] <path...>

Type-checks the program of --project exactly as \`tsc --noEmit -p\` does, then lints <path...> with ESLint,
giving typescript-eslint that same program for its type-aware rules. TypeScript builds the program once
instead of twice (once for tsc, once for eslint's parserOptions.project).

  --project  tsconfig whose files are type-checked; every linted file must be part of it
  --fix      let ESLint write its fixes, like \`eslint --fix\`
  --ext      extensions to lint in the given folders (default .ts,.tsx)

Exits 1 when TypeScript or ESLint reports an error (warnings do not fail), 2 on bad usage.
Uses the project's own typescript and eslint, and its .eslintrc configuration (ESLINT_USE_FLAT_CONFIG=false).`;

/** Parsed command line of `fintech-check`. */
export interface CheckOptions {
  readonly project: string;
  readonly fix: boolean;
  readonly extensions: string[];
  readonly patterns: string[];
}

/** Parses the command line; undefined means print the usage. */
export function parseCheckArgs(argv: string[]): CheckOptions | undefined {
  let project: string | undefined;
  let fix = false;
  let extensions = ['.ts', '.tsx'];
  const patterns: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const flag = /^--(project|ext)(?:=(.*))?$/.exec(arg);
    if (flag) {
      const value = flag[2] ?? argv[++i];
      if (value === undefined || value === '') return undefined;
      if (flag[1] === 'project') project = value;
      else extensions = value.split(',').map(e => (e.startsWith('.') ? e : `.${e}`));
    } else if (arg === '--fix') {
      fix = true;
    } else if (arg.startsWith('-')) {
      return undefined;
    } else {
      patterns.push(arg);
    }
  }
  if (!project || patterns.length === 0) return undefined;
  return { project, fix, extensions, patterns };
}

/** The diagnostics `tsc --noEmit -p` reports for a program, in tsc's order (later stages only when earlier ones are clean). */
export function typeCheckDiagnostics(typescript: typeof ts, program: ts.Program): ts.Diagnostic[] {
  const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getSyntacticDiagnostics()];
  if (diagnostics.length > 0) return diagnostics;
  diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
  if (diagnostics.length > 0) return diagnostics;
  diagnostics.push(...program.getSemanticDiagnostics());
  const options = program.getCompilerOptions();
  if (diagnostics.length === 0 && (options.declaration || options.composite)) diagnostics.push(...program.getDeclarationDiagnostics());
  return [...typescript.sortAndDeduplicateDiagnostics(diagnostics)];
}

/** Creates the program of a tsconfig with noEmit, as `tsc --noEmit -p` does; throws with the config's own errors. */
export function createProgram(typescript: typeof ts, project: string): ts.Program {
  const configErrors: ts.Diagnostic[] = [];
  const host: ts.ParseConfigFileHost = {
    ...typescript.sys,
    onUnRecoverableConfigFileDiagnostic: d => configErrors.push(d),
  };
  // Absolute, so the config's own folder is the base of its include globs whatever TypeScript takes as current directory.
  const parsed = typescript.getParsedCommandLineOfConfigFile(path.resolve(project), { noEmit: true }, host);
  if (!parsed || configErrors.length > 0) {
    throw new Error(typescript.formatDiagnostics(configErrors, formatHost(typescript)).trim() || `cannot read ${project}`);
  }
  return typescript.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: parsed.errors,
  });
}

/** What `fintech-check` needs from the project; injected in tests. */
export interface CheckDependencies {
  /** The project's `typescript` module. */
  readonly typescript: typeof ts;
  /** The project's `loadESLint`, which picks the ESLint class for its configuration (ESLINT_USE_FLAT_CONFIG). */
  readonly loadESLint: () => ReturnType<typeof loadESLint>;
  readonly write: (text: string) => void;
  readonly pretty: boolean;
}

function projectDependencies(cwd: string): CheckDependencies {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own copies, found from its folder
  const fromProject = (name: string) => require(require.resolve(name, { paths: [cwd] }));
  return {
    typescript: fromProject('typescript'),
    // loadESLint follows ESLINT_USE_FLAT_CONFIG, as the eslint CLI does.
    loadESLint: async () => fromProject('eslint').loadESLint(),
    write: text => process.stdout.write(text),
    pretty: Boolean(process.stdout.isTTY),
  };
}

/** Entry point of the `fintech-check` bin; resolves to the exit code. */
export async function main(argv: string[], dependencies: CheckDependencies = projectDependencies(process.cwd())): Promise<number> {
  const options = parseCheckArgs(argv);
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  const typescript = dependencies.typescript;
  let program: ts.Program;
  try {
    program = createProgram(typescript, options.project);
  } catch (error) {
    console.error(`fintech-check: --project ${options.project}: ${(error as Error).message}`);
    return 2;
  }

  const diagnostics = typeCheckDiagnostics(typescript, program);
  const typeErrors = diagnostics.filter(d => d.category === typescript.DiagnosticCategory.Error).length;
  if (diagnostics.length > 0) {
    const format = dependencies.pretty ? typescript.formatDiagnosticsWithColorAndContext : typescript.formatDiagnostics;
    dependencies.write(format(diagnostics, formatHost(typescript)));
  }

  const loaded = await dependencies.loadESLint();
  if (loaded.configType === 'flat') {
    console.error('fintech-check: this project uses a flat ESLint config (eslint.config.*), which fintech-check does not support; ' +
      'set ESLINT_USE_FLAT_CONFIG=false with an .eslintrc.json (what projen writes), or run `tsc --noEmit` and `eslint` separately.');
    return 2;
  }
  // The legacy (.eslintrc) class, driven through the shape both classes share; `extensions` exists only there.
  const ESLintClass = loaded as unknown as typeof ESLint;
  // Legacy (.eslintrc) options: the types of the installed eslint describe the flat ones.
  const eslintOptions = { cwd: process.cwd(), errorOnUnmatchedPattern: false, extensions: options.extensions } as ESLint.Options;
  const eslint = new ESLintClass({
    ...eslintOptions,
    overrideConfig: { parserOptions: { programs: [program], project: null, projectService: null } },
  } as ESLint.Options);
  let results = await eslint.lintFiles(options.patterns);
  if (options.fix) results = await applyFixes(ESLintClass, eslintOptions, results);
  const formatter = await eslint.loadFormatter('stylish');
  const report = await formatter.format(results);
  if (report.trim()) dependencies.write(report.endsWith('\n') ? report : `${report}\n`);
  const lintErrors = results.reduce((sum, r) => sum + r.errorCount, 0);

  const files = program.getRootFileNames().length;
  if (typeErrors > 0 || lintErrors > 0) {
    console.error(`fintech-check: ${typeErrors} TypeScript error(s) in ${files} files of ${options.project}, ${lintErrors} ESLint error(s) in ${results.length} linted files.`);
    return 1;
  }
  dependencies.write(`fintech-check: ${files} files type-checked (${options.project}), ${results.length} linted, no errors.\n`);
  return 0;
}

/**
 * ESLint re-parses a file after each round of fixes, which the fixed program cannot follow (typescript-eslint keeps
 * parsing the text the program holds). So only files with fixable problems are linted again, with --fix and the
 * project's own parserOptions (their own program); their results replace the first ones.
 */
async function applyFixes(ESLintClass: typeof ESLint, eslintOptions: ESLint.Options, results: ESLint.LintResult[]): Promise<ESLint.LintResult[]> {
  const fixable = results.filter(r => r.fixableErrorCount + r.fixableWarningCount > 0).map(r => r.filePath);
  if (fixable.length === 0) return results;
  const fixed = await new ESLintClass({ ...eslintOptions, fix: true }).lintFiles(fixable);
  await ESLintClass.outputFixes(fixed);
  const byPath = new Map(fixed.map(r => [r.filePath, r]));
  return results.map(r => byPath.get(r.filePath) ?? r);
}

function formatHost(typescript: typeof ts): ts.FormatDiagnosticsHost {
  return {
    getCanonicalFileName: f => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => typescript.sys.newLine,
  };
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => { process.exitCode = code; }, error => {
    console.error(`fintech-check: ${(error as Error).stack ?? error}`);
    process.exitCode = 1;
  });
}
