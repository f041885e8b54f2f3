import { TagManager } from 'aws-cdk-lib';
import { Rule, RuleFinding } from '../rule';
import { RuleSeverity } from '../rule-info';
import { IndexedResource } from '../template-index';

/** C01: every taggable resource carries every required tag key. */
export const REQUIRED_TAGS: Rule = {
  info: {
    id: 'Fintech-C01-RequiredTags',
    catalogId: 'C01',
    title: 'Every taggable resource carries the required tags',
    description: 'Untagged resources cannot be attributed to a team, cost center or environment, which fintech cost and ownership reviews require.',
    fix: "Create the resource inside a FintechStage, or add the tag: Tags.of(scope).add('Team', 'payments').",
    severity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  },
  check(stack, context) {
    const findings: RuleFinding[] = [];
    for (const resource of stack.resources) {
      const keys = tagKeys(resource);
      if (keys === undefined) continue;
      const missing = context.requiredTagKeys.filter(key => !keys.has(key));
      if (missing.length > 0) {
        findings.push({
          resource,
          message: `${resource.type} ${resource.logicalId} is missing the tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
          locations: [`Properties/${tagProperty(resource)}`],
        });
      }
    }
    return findings;
  },
};

// Taggability comes from the L1 class (its TagManager); raw CfnResources of untaggable types are skipped.
function tagProperty(resource: IndexedResource): string {
  const name = (resource.construct as unknown as { tags?: TagManager } | undefined)?.tags?.tagPropertyName ?? 'tags';
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The tag keys in the template, or undefined when the resource is not taggable or its tags are not literal. */
function tagKeys(resource: IndexedResource): Set<string> | undefined {
  if (!resource.construct || !(TagManager.isTaggable(resource.construct) || TagManager.isTaggableV2(resource.construct))) return undefined;
  const tags = resource.properties[tagProperty(resource)];
  if (tags === undefined) return new Set();
  if (Array.isArray(tags)) {
    if (!tags.every(t => t && typeof t === 'object' && typeof t.Key === 'string')) return undefined;
    return new Set(tags.map(t => t.Key as string));
  }
  if (typeof tags === 'object' && tags !== null && !Object.keys(tags).some(k => k.startsWith('Fn::') || k === 'Ref')) {
    return new Set(Object.keys(tags));
  }
  return undefined;
}
