import * as fs from 'fs';
import * as path from 'path';
import { measureOverlap, renderControlsPage } from '../../bench/control-overlap';

// docs/controls.md shows the overlap of FintechChecks and the Control Tower Guard rules measured on the control-overlap
// benchmark's apps; this re-measures it (one synth per app with both plugins, Guard's bundled binary included).
const DOC = path.join(__dirname, '..', '..', 'docs', 'controls.md');

test('docs/controls.md shows the overlap the current rules and mapping measure', () => {
  const page = renderControlsPage(measureOverlap());
  const committed = fs.readFileSync(DOC, 'utf-8');
  try {
    expect(committed).toBe(page);
  } catch (error) {
    throw new Error(`docs/controls.md is out of date; regenerate it with \`npx ts-node --transpile-only bench/control-overlap.ts --docs\`.\n${(error as Error).message}`);
  }
}, 120_000);

test('both plugins ran: the defect apps have findings of each, and some on the same resource and control', () => {
  const page = fs.readFileSync(DOC, 'utf-8');
  const all = page.split('\n').find(line => line.startsWith('| **all** |'))!;
  const [fintech, both, , , guard, guardAlso] = all.split('|').slice(3, 9).map(cell => Number(cell.trim()));
  expect(fintech).toBeGreaterThan(0);
  expect(guard).toBeGreaterThan(0);
  expect(both).toBeGreaterThan(0);
  expect(guardAlso).toBeGreaterThan(0);
});
