// Writes docs/rules.md from the rule pack's metadata (`npx projen docs:rules`, run by every build).
import * as fs from 'fs';
import * as path from 'path';
import { FintechChecks } from '../src/rules/fintech-checks';
import { renderRulesReference } from '../src/rules/rules-reference';

const target = path.join(__dirname, '..', 'docs', 'rules.md');
fs.writeFileSync(target, renderRulesReference(FintechChecks.rules()));
console.log(`wrote ${path.relative(process.cwd(), target)} (${FintechChecks.rules().length} rules)`);
