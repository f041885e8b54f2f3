import { RuleInfo } from './rule-info';

/** Renders docs/rules.md from the rules' own metadata, so the reference cannot drift from the pack. */
export function renderRulesReference(rules: readonly RuleInfo[]): string {
  const byClass = new Map<string, RuleInfo[]>();
  for (const rule of rules) byClass.set(rule.catalogId, [...(byClass.get(rule.catalogId) ?? []), rule]);
  const sections = [...byClass.keys()].sort().map(catalogId => [
    `## ${catalogId}`,
    '',
    ...byClass.get(catalogId)!.flatMap(rule => [
      `### \`${rule.id}\``,
      '',
      `${rule.title}. Severity: ${rule.defaultSeverity}. ${rule.acknowledgeableInDurableStages
        ? 'Can be acknowledged in every stage.'
        : 'Cannot be acknowledged in durable stages.'}`,
      '',
      `- Why: ${rule.description}`,
      `- Fix: ${rule.fix}`,
      '',
    ]),
  ].join('\n'));
  return [
    '<!-- Generated from the rules\' metadata by `npx projen docs:rules` (part of every build); do not edit. -->',
    '# FintechChecks rules',
    '',
    `${rules.length} rules. Acknowledge one finding on one construct with`,
    '`Validations.of(construct).acknowledge({ id: \'<rule id>\', reason: \'...\' })`; see README.md.',
    '',
    ...sections,
  ].join('\n');
}
