import * as fs from 'fs';
import * as path from 'path';
import { FintechChecks } from '../../src/rules/fintech-checks';

// docs/traceability.md maps each failure-catalog class to the code and tests covering it; this keeps it true.
const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'traceability.md'), 'utf-8');
const rows = doc.split('\n').filter(line => /^\| C\d\d \|/.test(line));
const CATALOG_IDS = Array.from({ length: 24 }, (_, i) => `C${String(i + 1).padStart(2, '0')}`);

test('one row per failure-catalog class, C01 to C24, in order', () => {
  expect(rows.map(row => row.split('|')[1].trim())).toEqual(CATALOG_IDS);
});

test('every file it names exists', () => {
  const named = [...doc.matchAll(/`((?:src|test|integ|blueprints|bench|scripts|docs)\/[^`*\s]+\.(?:ts|md|json|mmd))`/g)].map(m => m[1]);
  expect(named.length).toBeGreaterThan(100);
  expect([...new Set(named)].filter(file => !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
});

test('every rule it names is in the rule pack, and every rule of the pack is named in the row of its class', () => {
  const ruleIds = FintechChecks.rules().map(info => info.id);
  const unknown: string[] = [];
  const namedInOwnRow = new Set<string>();
  for (const row of rows) {
    const id = row.split('|')[1].trim();
    // Rows abbreviate a class's further rules as `-Name` after the first full id.
    let prefix = '';
    for (const [, name] of row.matchAll(/`(Fintech-C\d\d-[A-Za-z0-9]+|-[A-Z][A-Za-z0-9]+)`/g)) {
      const full = name.startsWith('-') ? `${prefix}${name}` : name;
      prefix = full.slice(0, full.lastIndexOf('-'));
      if (!ruleIds.includes(full)) unknown.push(`${id}: ${full}`);
      if (full.startsWith(`Fintech-${id}-`)) namedInOwnRow.add(full);
    }
  }
  expect(unknown).toEqual([]);
  expect(ruleIds.filter(rule => !namedInOwnRow.has(rule))).toEqual([]);
});

test('the README gives the rule pack\'s size', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  expect(readme).toContain(`${FintechChecks.rules().length} rules over catalog classes`);
});
