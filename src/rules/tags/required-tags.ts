import { CfnResource, TagManager } from 'aws-cdk-lib';
import { FintechRule, RuleFinding, RuleSettings, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** The tags a template gives a resource; `complete` is false when some entries are intrinsics. */
interface TemplateTags {
  readonly values: ReadonlyMap<string, unknown>;
  readonly complete: boolean;
}

/**
 * C01: every taggable resource carries every required tag key, with a value. Taggability comes
 * from the construct tree (the L1 class has a tag manager); the tags come from the synthesized
 * template, so `addPropertyOverride('Tags', ...)` escape hatches are judged as deployed.
 */
export class RequiredTags implements FintechRule {
  /** Metadata of `Fintech-C01-RequiredTags`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C01-RequiredTags',
    catalogId: 'C01',
    title: 'Every taggable resource carries the required tags',
    description: 'Untagged resources cannot be attributed to an environment, team, cost center or application, which cost and ownership reviews of fintech workloads require.',
    fix: "Create the resource inside a FintechStage (it tags everything), or tag its scope: Tags.of(stack).add('Team', 'payments').",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'RequiredTags';
  public readonly infos = [RequiredTags.INFO];

  public checkResource(resource: TemplateResource, settings: RuleSettings): RuleFinding[] {
    const construct = resource.construct;
    // Raw `new CfnResource(...)` and untaggable types have no tag manager: nothing to require.
    if (!CfnResource.isCfnResource(construct) || !(TagManager.isTaggable(construct) || TagManager.isTaggableV2(construct))) return [];
    const manager = TagManager.of(construct);
    if (!manager || !resource.properties) return [];
    const property = manager.tagPropertyName.charAt(0).toUpperCase() + manager.tagPropertyName.slice(1);
    const tags = tagsOf(resource.properties[property]);
    if (!tags) return [];

    const missing = settings.requiredTagKeys.filter(key => !tags.values.has(key));
    const empty = settings.requiredTagKeys.filter(key => tags.values.get(key) === '');
    // An intrinsic entry may be the missing tag: unknown, so not reported.
    if ((missing.length === 0 || !tags.complete) && empty.length === 0) return [];

    const problems = [
      ...(missing.length > 0 && tags.complete ? [`lacks the tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
      ...(empty.length > 0 ? [`has an empty ${empty.join(', ')}`] : []),
    ];
    const example = [...missing, ...empty][0];
    return [findingOn(resource, RequiredTags.INFO.id,
      `${resource.type} ${resource.logicalId} ${problems.join(' and ')} (required: ${settings.requiredTagKeys.join(', ')}).`,
      [`Properties/${property}`],
      `Create it inside a FintechStage, which tags every resource, or add the tag to its scope: Tags.of(stack).add('${example}', '<value>'); ` +
      `an escape hatch that sets ${property} must keep the required tags.`)];
  }
}

/** Tags in the list form `[{ Key, Value }]` or the map form `{ key: value }`; undefined when unknown. */
function tagsOf(value: unknown): TemplateTags | undefined {
  if (value === undefined) return { values: new Map(), complete: true };
  if (TemplateValue.isIntrinsic(value)) return undefined;
  if (Array.isArray(value)) {
    const values = new Map<string, unknown>();
    let complete = true;
    for (const entry of value) {
      if (TemplateValue.isObject(entry) && typeof entry.Key === 'string') values.set(entry.Key, entry.Value);
      else complete = false;
    }
    return { values, complete };
  }
  if (TemplateValue.isObject(value)) return { values: new Map(Object.entries(value)), complete: true };
  return undefined;
}
