import * as fs from 'fs';
import * as path from 'path';

// docs/architecture.md and the lint zones of .projenrc.ts say who may import whom; this keeps both covering every folder.
const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf-8');
// projen writes a comment line first.
const eslint = JSON.parse(fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf-8').replace(/^\/\/.*\n/, ''));
const folders = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter(entry => entry.isDirectory()).map(entry => entry.name);
// Test helpers and jest set-up may use any layer; nothing of the library imports them.
const UNZONED = new Set(['testing']);

test('lint fails on any import circle in the shipped code (src, the blueprints\' src); only tests, benches, scripts and integ tests skip the check', () => {
  expect(eslint.rules['import/no-cycle']).toEqual(['error', { ignoreExternal: true }]);
  const skipping = (eslint.overrides as Array<{ files: string[]; rules?: Record<string, unknown> }>)
    .filter(override => override.rules?.['import/no-cycle'] !== undefined);
  expect(skipping.map(override => override.rules!['import/no-cycle'])).toEqual(['off']);
  const outsideShippedCode = /^(test|blueprints\/\*\/test|bench|scripts|integ|projenrc)\/\*\*\/\*\.ts$|^\.projenrc\.ts$/;
  expect(skipping[0].files.filter(glob => !outsideShippedCode.test(glob))).toEqual([]);
});

test('every folder of src is a layer of docs/architecture.md', () => {
  expect(folders.filter(folder => !doc.includes(`\`src/${folder}\``))).toEqual([]);
});

test('every folder of src but the test helpers is the target of a lint zone, so its imports are checked', () => {
  const [severity, { basePath, zones }] = eslint.rules['import/no-restricted-paths'];
  expect(severity).toBe('error');
  expect(basePath).toBe('./src');
  const targets = new Set(zones.map((zone: { target: string }) => zone.target.replace(/^\.\//, '')));
  expect(folders.filter(folder => !UNZONED.has(folder) && !targets.has(folder))).toEqual([]);
});

test('facts import nothing of the package, and rules no construct', () => {
  const { zones } = eslint.rules['import/no-restricted-paths'][1];
  const zoneOf = (target: string) => zones.find((zone: { target: string }) => zone.target === target);
  expect(zoneOf('./facts')).toMatchObject({ from: '.', except: ['./facts'] });
  expect(zoneOf('./rules')).toMatchObject({ from: '.', except: ['./rules', './facts', './config'] });
});
