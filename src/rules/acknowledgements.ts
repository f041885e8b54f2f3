import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// CDK stores a bare id as `annotation::<id>` (`Annotation::` from 2.262.1); `FintechChecks::<id>` is what CDK itself matches.
const PREFIX = /^(annotation|FintechChecks)::/i;

/**
 * Rule ids acknowledged with `Validations.of(construct).acknowledge({ id, reason })` on the
 * construct or any of its parents, with their reasons; the closest acknowledgement wins.
 * Read the way cdk-nag 3 reads them, so one acknowledgement silences one construct's subtree only.
 */
export function acknowledgedRules(construct: IConstruct): Map<string, string> {
  const acknowledged = new Map<string, string>();
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || typeof entry.data !== 'object' || entry.data === null) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        const bare = id.replace(PREFIX, '');
        if (!acknowledged.has(bare)) acknowledged.set(bare, String(reason));
      }
    }
  }
  return acknowledged;
}
