import { CfnResource, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TAGGABLE_TYPES } from '../../facts/taggable-types';
import { providerUsers } from '../custom-resource-providers';
import { lateFluentBitResourceOf } from '../ecs/fluent-bit-router';
import { createdForLibrary, libraryClassOf } from '../library-constructs';
import { CreatedFor, FintechRule, RuleFinding, RuleSettings, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { UNTAGGED_BY_TRANSFORM } from '../serverless-transform';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** The tags a template gives a resource; `complete` is false when some entries are intrinsics. */
interface TemplateTags {
  readonly values: ReadonlyMap<string, unknown>;
  readonly complete: boolean;
}

/**
 * C01: every taggable resource carries every required tag key, with a value, each judged on its own tags: tags applied
 * to one construct do not cover its siblings. Taggability comes from the construct tree (the L1 class has a tag
 * manager), or for raw `CfnResource`s and template-only resources from `TAGGABLE_TYPES`, every type aws-cdk-lib's L1
 * classes tag; the tags come from the synthesized template, so `addPropertyOverride('Tags', ...)` escape hatches
 * are judged as deployed, plus the stack's own tags (`new Stack(app, id, { tags })`), which CDK hands to CloudFormation
 * as stack tags and CloudFormation propagates to the stack's resources and nested stacks. Must not judge: types that
 * take no tags, and tags that are intrinsics (unknown). Resources a library creates while CDK synthesizes, after the app's
 * tag aspects ran (the FireLens router a task definition adds, and its execution role), are the library's when their
 * creator carries the tags.
 */
export class RequiredTags implements FintechRule {
  /** Metadata of `Fintech-C01-RequiredTags`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C01-RequiredTags',
    catalogId: 'C01',
    title: 'Every taggable resource carries the required tags',
    description: 'Untagged resources cannot be attributed to an environment, team, cost center or application, which cost and ownership reviews of fintech workloads require. ' +
      'Each taggable resource is judged on its own tags: Tags.of(construct) tags only that construct\'s resources, so siblings it does not contain carry none. ' +
      'Raw CfnResource resources, included templates and templates judged from the cloud assembly alone are judged by every type ' +
      'aws-cdk-lib\'s L1 classes tag. ' +
      'A stack\'s own tags (new Stack(app, id, { tags })) count for all its resources and nested stacks: CloudFormation propagates them at deploy. ' +
      'Reported as a warning naming the task definition: the FireLens log router a task definition adds while CDK synthesizes, and the execution role it needs, ' +
      'when they miss tags the task definition carries (created after the app\'s Tags.of aspects ran, which reach no stack tags under @aws-cdk/core:explicitStackTags); ' +
      'and what the AWS SAM transform creates without tags that no property of the serverless resource tags: the event source mappings and EventBridge rules of an AWS::Serverless::Function\'s ' +
      'or AWS::Serverless::StateMachine\'s events, and an AWS::Serverless::GraphQLApi\'s roles (a function\'s role, and with PropagateTags the queues and topics it creates, take the function\'s Tags, so those stay errors). ' +
      'Also reported as warnings naming their construct: what CDK\'s own providers and library constructs create, such as a BucketDeployment\'s ' +
      'handler function and an eks.Cluster\'s kubectl barrier (a raw SSM parameter Tags.of does not reach). ' +
      'Not judged: types that take no tags (custom resources among them); the raw function and role of CDK\'s own custom-resource providers ' +
      '(autoDeleteObjects, log retention), which no Tags.of reaches; the values of the tags, beyond being empty; tags given by an intrinsic, or a ' +
      'required key missing beside an intrinsic entry (an empty required value is still reported).',
    fix: "Create the resource inside a FintechStage (it tags everything), or tag its scope: Tags.of(stack).add('Team', 'payments').",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'RequiredTags';
  public readonly infos = [RequiredTags.INFO];

  public checkResource(resource: TemplateResource, settings: RuleSettings): RuleFinding[] {
    const property = tagPropertyOf(resource);
    if (!property || !resource.properties) return [];
    const tags = tagsOf(resource.properties[property]);
    if (!tags) return [];
    // CloudFormation gives every resource the tags of the stack it deploys, unless the resource sets the key itself.
    const stackTags = stackLevelTags(resource.stack);
    const valueOf = (key: string) => (tags.values.has(key) ? tags.values.get(key) : stackTags.get(key));

    const missing = settings.requiredTagKeys.filter(key => !tags.values.has(key) && !stackTags.has(key));
    const empty = settings.requiredTagKeys.filter(key => valueOf(key) === '');
    // An intrinsic entry may be the missing tag: unknown, so not reported.
    if ((missing.length === 0 || !tags.complete) && empty.length === 0) return [];

    const problems = [
      ...(missing.length > 0 && tags.complete ? [`lacks the tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`] : []),
      ...(empty.length > 0 ? [`has an empty ${empty.join(', ')}`] : []),
    ];
    const example = [...missing, ...empty][0];
    // A resource CDK created while synthesizing, after the app's tag aspects ran, misses tags its creator carries.
    const late = missing.length > 0 ? lateFluentBitResourceOf(resource) : undefined;
    const fluentBit = late && hasEvery(late.taskDefinition, settings.requiredTagKeys) ? createdForLibrary(late.owner) : undefined;
    const createdFor = fluentBit ?? untaggedByTransform(resource);
    const finding = findingOn(resource, RequiredTags.INFO.id,
      `${resource.type} ${resource.logicalId} ${problems.join(' and ')} (required: ${settings.requiredTagKeys.join(', ')}).`,
      [`Properties/${property}`],
      `Create it inside a FintechStage, which tags every resource, or add the tag to its scope: Tags.of(stack).add('${example}', '<value>'); ` +
      `an escape hatch that sets ${property} must keep the required tags.` +
      (resource.stack.isServerlessExpansion(resource.logicalId)
        ? ' The AWS SAM transform writes this resource: give the serverless resource the tags, with PropagateTags: true for what it creates besides functions and stages.'
        : ''));
    return [createdFor ? { ...finding, createdFor } : finding];
  }
}

/**
 * For a resource the AWS SAM transform creates without tags and which no property of its serverless resource can tag (a
 * function's or state machine's event source mappings and rules, which `PropagateTags` does not reach; a GraphQL API's
 * roles): the serverless resource it was created for.
 */
function untaggedByTransform(resource: TemplateResource): CreatedFor | undefined {
  const source = resource.stack.serverlessSourceOf(resource.logicalId);
  const untagged = source === undefined ? undefined : UNTAGGED_BY_TRANSFORM[resource.stack.resource(source)?.type ?? ''];
  if (source === undefined || !untagged?.types.includes(resource.type)) return undefined;
  return { by: 'The AWS SAM transform', constructs: [resource.stack.constructPathOf(source)], how: untagged.what(source) };
}

/** Whether a resource carries every one of `keys`, in its own tags or its stack's. */
function hasEvery(resource: TemplateResource, keys: readonly string[]): boolean {
  const property = tagPropertyOf(resource);
  const tags = property ? tagsOf(resource.properties?.[property]) : undefined;
  const stackTags = stackLevelTags(resource.stack);
  return tags !== undefined && keys.every(key => tags.values.has(key) || stackTags.has(key));
}

/**
 * The property a resource takes its tags in: from its L1 class's tag manager, or for a resource without one (a raw
 * `new CfnResource({ type })`, a resource CfnInclude keeps dehydrated, a template-only resource) from the known
 * taggable types. Undefined for untaggable resources: nothing to require.
 */
function tagPropertyOf(resource: TemplateResource): string | undefined {
  const construct = resource.construct;
  const taggable = CfnResource.isCfnResource(construct) && (TagManager.isTaggable(construct) || TagManager.isTaggableV2(construct));
  const manager = taggable ? TagManager.of(construct) : undefined;
  if (manager) return manager.tagPropertyName.charAt(0).toUpperCase() + manager.tagPropertyName.slice(1);
  // An L1 class without a tag manager is a type CloudFormation cannot tag; only constructs that are no L1 class fall back.
  if (CfnResource.isCfnResource(construct) && construct.constructor !== CfnResource) return undefined;
  // CDK's own custom-resource providers are raw resources too, which no Tags.of reaches: not the user's to tag. A construct
  // rebuilt from the cloud assembly that tree.json records as an L1 class (a provider's CfnFunction) is judged as with a scope,
  // and so is every provider of a template judged outside any assembly: its author wrote them, as CfnInclude's L1s show.
  const recorded = construct && !CfnResource.isCfnResource(construct) ? libraryClassOf(construct) : undefined;
  if (recorded === 'aws-cdk-lib.CfnResource' && isTaggedPrivateResource(construct!)) return 'Tags';
  const l1 = recorded !== undefined && recorded !== 'aws-cdk-lib.CfnResource' && /\.Cfn[A-Za-z0-9]+$/.test(recorded);
  if (!l1 && resource.stack.writtenByCdk && providerUsers(resource.stack).has(resource.logicalId)) return undefined;
  return TAGGABLE_TYPES[resource.type]?.property;
}

// The private CfnResource subclasses of aws-cdk-lib that carry a tag manager, so that `Tags.of` reaches them, which tree.json
// records as a raw `CfnResource`: the function of CDK's bucket notifications handler (aws-s3/lib/notifications-resource/
// notifications-resource-handler.js, `InLineLambda`), by its id and its parent's.
const TAGGED_PRIVATE_RESOURCES: ReadonlyArray<{ readonly parent: RegExp; readonly id: string }> = [
  { parent: /^BucketNotificationsHandler[0-9a-f]{32}$/, id: 'Resource' },
];

/** Whether a construct rebuilt from the cloud assembly is one of `TAGGED_PRIVATE_RESOURCES`. */
function isTaggedPrivateResource(construct: IConstruct): boolean {
  const parent = construct.node.scope;
  return parent !== undefined && TAGGED_PRIVATE_RESOURCES.some(known => construct.node.id === known.id && known.parent.test(parent.node.id));
}

/**
 * The tags CloudFormation gives every resource of a template: those of the top-level stack deploying it (its own
 * `tags`, or tags `Tags.of` a stage or the app gives the stack), which CDK passes as stack tags and CloudFormation
 * propagates to the stack's resources and its nested stacks (read from the cloud assembly when the stack is not in the
 * construct tree).
 */
function stackLevelTags(stack: StackTemplate): ReadonlyMap<string, string> {
  return stack.memo('required-tags.stack-tags', () => {
    let top = stack;
    while (top.parent) top = top.parent.template;
    return new Map(Object.entries(top.stackTags()));
  });
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
