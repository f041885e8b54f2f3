import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateName, containsStackName, containsStage, templateName } from './template-name';
import { UNIQUE_NAMES } from './unique-names';

// Buckets (C03) and IAM roles (C06) have rules of their own for names without the stage.
const OWN_RULES = new Set(['AWS::S3::Bucket', 'AWS::IAM::Role']);
const NAME_PROPERTIES: { readonly [type: string]: string | undefined } = Object.fromEntries(Object.entries(UNIQUE_NAMES)
  .filter(([type]) => !OWN_RULES.has(type))
  .map(([type, unique]) => [type, unique!.property]));

/**
 * C16: an explicit physical name contains the stage name, so stages deploy side by side in one
 * account and region. Judged on the synthesized name (a literal, or a join of literals and pseudo
 * parameters); names built from other intrinsics are unknown, and a name holding the name of a stack of its stage (its
 * own, or another one in its account with that stack's region) is unique to that stack. Skipped outside a stage ('' has
 * nothing to compare).
 */
export class PhysicalNameStage implements FintechRule {
  /** Metadata of `Fintech-C16-PhysicalNameWithoutStage`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C16-PhysicalNameWithoutStage',
    catalogId: 'C16',
    title: 'Explicit physical names carry the stage name',
    description: 'A fixed name collides when a second stage or a CI preview deploys to the same account and region, and the deployment fails or, worse, two stages share one resource. ' +
      `Judged on every type whose names must be unique where it deploys: ${Object.keys(NAME_PROPERTIES).map(type => `${type} (${NAME_PROPERTIES[type]})`).join(', ')}. ` +
      'Not judged: buckets and IAM roles, which have rules of their own (Fintech-C03-BucketName, Fintech-C06-RoleNameWithoutStage); names that ' +
      'need not be unique (Cognito user pools, AppSync APIs, AWS Batch job definitions); names built from parameters or other intrinsics; stacks ' +
      'outside a stage (no stage name to compare); names that contain the name of their own stack (`${Stack.of(this).stackName}-ledger`, and the ' +
      'names CDK builds from a construct\'s path, such as a pipeline\'s key alias or a default event bus name); and names that contain the name ' +
      'of another stack of the stage in the same account, with that stack\'s region when it deploys to another one (the parameter an EdgeFunction ' +
      'writes in us-east-1, `/cdk/EdgeFunctionArn/<region>/<stack>/<path>`): stack names are unique in an account and region, so another ' +
      'stage deploying there has a stack of another name, and a name it shares is reported in the stage whose stack name it lacks.',
    fix: "Build the name with PhysicalName.of(this, '<base>', { kind: NameKind.<KIND> }), or drop it and let CloudFormation generate one.",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'PhysicalNameStage';
  public readonly infos = [PhysicalNameStage.INFO];
  public readonly resourceTypes = Object.keys(NAME_PROPERTIES);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const { stageName } = resource.stack;
    const property = NAME_PROPERTIES[resource.type];
    const value = property ? resource.properties?.[property] : undefined;
    if (stageName === '' || !property || value === undefined) return [];
    const name = templateName(value);
    if (!name || containsStage(name, stageName) || holdsStackName(name, resource.stack)) return [];
    return [findingOn(resource, PhysicalNameStage.INFO.id,
      `${resource.type} ${resource.logicalId} has ${property} "${name.text}", which lacks the stage name "${stageName}", so it collides with the same resource of another stage.`,
      [`Properties/${property}`])];
  }
}

/**
 * Whether a name holds the name of a stack of its stage: its own, or another one in the same account whose region is the
 * name's or appears in the name too (CDK names an EdgeFunction's parameter after the region and construct path of the stack
 * that uses it). Either pair of account and region holds one stack of that name, so the name is unique to this stage.
 */
function holdsStackName(name: TemplateName, stack: StackTemplate): boolean {
  return stack.peers.templates.some(peer => peer.account === stack.account
    && (peer.region === stack.region || (peer.region !== undefined && name.text.includes(peer.region)))
    && containsStackName(name, peer.stackName));
}
