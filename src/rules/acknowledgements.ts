import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Rule ids acknowledged with `Validations.of(construct).acknowledge({ id, reason })` on the
 * construct or any parent, with their reasons. CDK stores bare ids as `annotation::<id>`
 * (`Annotation::` from 2.262.1); both are read, as cdk-nag 3 does.
 */
export function acknowledgedRules(construct: IConstruct): Map<string, string> {
  const acknowledged = new Map<string, string>();
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        const bare = id.replace(/^annotation::/i, '');
        if (!acknowledged.has(bare)) acknowledged.set(bare, String(reason));
      }
    }
  }
  return acknowledged;
}
