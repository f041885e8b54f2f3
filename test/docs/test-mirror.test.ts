import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// House rule: test/ mirrors src/ file by file, so a reader finds a file's test by its name alone.
const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');
const TEST = path.join(ROOT, 'test');

/** src files without a test of their own, each with why: declarations only (nothing runs), or re-exports. */
const WITHOUT_TEST: { readonly [file: string]: string } = {
  'alarms/monitor-options.ts': 'interfaces only; the defaults they document are checked in alarms/monitoring-defaults.test.ts',
  'config/platform-config.ts': 'interfaces only; config/config-validation.test.ts checks the values',
  'config/report-context.ts': 'one string constant, the context key project/checks-report-task.test.ts asserts',
  'facts/lambda-limits.ts': 'one number constant (an AWS quota)',
  'facts/sqs-limits.ts': 'one number constant (an AWS quota)',
  'rules/fintech-finding.ts': 'an interface only',
  'rules/rule-info.ts': 'an interface only',
  'rules/rule-severity.ts': 'an enum only',
  'testing/jest-global-setup.ts': 're-exports setup of testing/jest-temp-dir.ts (tested there) as the default export jest needs',
  'testing/jest-global-teardown.ts': 're-exports teardown of testing/jest-temp-dir.ts (tested there) as the default export jest needs',
};

/** Every .ts file under `dir`, relative to it, with `/` separators. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map(entry => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The test file that mirrors a src file: src/a/b.ts -> test/a/b.test.ts. */
function mirrorOf(file: string): string {
  return file.replace(/\.ts$/, '.test.ts');
}

/** src files that have neither a mirrored test nor an entry in `exempt`. */
function missingTests(srcFiles: readonly string[], testFiles: ReadonlySet<string>, exempt: { readonly [file: string]: string }): string[] {
  return srcFiles.filter(file => !testFiles.has(mirrorOf(file)) && !(file in exempt)).map(file => `src/${file} has no test/${mirrorOf(file)}`);
}

/** A literal, or an array or object of literals: a value, not code. */
function isPlainValue(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return true;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(node.operand);
  if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return isPlainValue(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(isPlainValue);
  if (ts.isObjectLiteralExpression(node)) return node.properties.every(p => ts.isPropertyAssignment(p) && isPlainValue(p.initializer));
  return false;
}

/** The statements of a file that run code: anything but imports, re-exports, interfaces, types, enums and constants of plain values. */
function logicIn(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(SRC, file), 'utf-8'), ts.ScriptTarget.Latest, true);
  return source.statements.filter(statement => {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) return false;
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) return false;
    if (ts.isExportAssignment(statement)) return !ts.isIdentifier(statement.expression);
    if (ts.isVariableStatement(statement)) {
      const constant = statement.declarationList.getFirstToken()?.kind === ts.SyntaxKind.ConstKeyword;
      return !constant || !statement.declarationList.declarations.every(d => d.initializer !== undefined && isPlainValue(d.initializer));
    }
    return true;
  }).map(statement => `src/${file}:${source.getLineAndCharacterOfPosition(statement.getStart()).line + 1}: ${statement.getText().split('\n')[0]}`);
}

const srcFiles = tsFiles(SRC);
const testFiles = new Set(tsFiles(TEST));

describe('test/ mirrors src/', () => {
  test('every src file has its test of the same name, or a reason in WITHOUT_TEST', () => {
    expect(missingTests(srcFiles, testFiles, WITHOUT_TEST)).toEqual([]);
  });

  test('every file WITHOUT_TEST lists exists and has no test yet, with a one-line reason', () => {
    for (const [file, reason] of Object.entries(WITHOUT_TEST)) {
      expect(`${file}: ${srcFiles.includes(file) ? 'exists' : 'missing from src'}`).toBe(`${file}: exists`);
      expect(`${file}: ${testFiles.has(mirrorOf(file)) ? 'has a test now; drop it from WITHOUT_TEST' : 'no test'}`).toBe(`${file}: no test`);
      expect(reason).toMatch(/^\S[^\n]*$/);
    }
  });

  test('files WITHOUT_TEST hold no logic: once one does, it needs a test', () => {
    expect(Object.keys(WITHOUT_TEST).flatMap(logicIn)).toEqual([]);
  });

  test('the checks catch a new file with logic and no test', () => {
    expect(missingTests(['project/versions.ts', 'index.ts'], new Set(['project/other.test.ts']), { 'index.ts': 're-exports' }))
      .toEqual(['src/project/versions.ts has no test/project/versions.test.ts']);
    // versions.ts computes its dependency lists, so it could not be listed WITHOUT_TEST either.
    expect(logicIn('project/versions.ts')).toEqual([
      expect.stringMatching(/^src\/project\/versions\.ts:\d+: export const BLUEPRINT_HANDLER_DEPS/),
      expect.stringMatching(/^src\/project\/versions\.ts:\d+: export const BLUEPRINT_TEST_DEPS/),
      expect.stringMatching(/^src\/project\/versions\.ts:\d+: export const TRANSACTION_APP_DEPS/),
      expect.stringMatching(/^src\/project\/versions\.ts:\d+: export const FRAUD_API_DEPS/),
      expect.stringMatching(/^src\/project\/versions\.ts:\d+: export const OBSERVABILITY_TEST_DEPS/),
    ]);
  });
});
