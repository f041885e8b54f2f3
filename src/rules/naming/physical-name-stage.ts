import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { containsStackName, containsStage, templateName } from './template-name';
import { UNIQUE_NAMES } from './unique-names';

// Buckets (C03) and IAM roles (C06) have rules of their own for names without the stage.
const OWN_RULES = new Set(['AWS::S3::Bucket', 'AWS::IAM::Role']);
const NAME_PROPERTIES: { readonly [type: string]: string | undefined } = Object.fromEntries(Object.entries(UNIQUE_NAMES)
  .filter(([type]) => !OWN_RULES.has(type))
  .map(([type, unique]) => [type, unique!.property]));

/**
 * C16: an explicit physical name contains the stage name, so stages deploy side by side in one
 * account and region. Judged on the synthesized name (a literal, or a join of literals and pseudo
 * parameters); names built from other intrinsics are unknown, and a name holding its own stack's name is unique to that
 * stack. Skipped outside a stage ('' has nothing to compare).
 */
export class PhysicalNameStage implements FintechRule {
  /** Metadata of `Fintech-C16-PhysicalNameWithoutStage`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C16-PhysicalNameWithoutStage',
    catalogId: 'C16',
    title: 'Explicit physical names carry the stage name',
    description: 'A fixed name collides when a second stage or a CI preview deploys to the same account and region, and the deployment fails or, worse, two stages share one resource. ' +
      `Judged on every type whose names must be unique where it deploys: ${Object.keys(NAME_PROPERTIES).map(type => `${type} (${NAME_PROPERTIES[type]})`).join(', ')}. ` +
      'Buckets and IAM roles have rules of their own. Names that need not be unique (Cognito user pools, AppSync APIs) are not judged, nor ' +
      'names that contain the name of their own stack (`${Stack.of(this).stackName}-ledger`, and the names CDK builds from a construct\'s path, ' +
      'such as a pipeline\'s key alias or a default event bus name): stack names are unique in an account and region, so another stage ' +
      'deploying there has a stack of another name, and a name it shares is reported in the stage whose stack name it lacks.',
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
    if (!name || containsStage(name, stageName) || containsStackName(name, resource.stack.stackName)) return [];
    return [findingOn(resource, PhysicalNameStage.INFO.id,
      `${resource.type} ${resource.logicalId} has ${property} "${name.text}", which lacks the stage name "${stageName}", so it collides with the same resource of another stage.`,
      [`Properties/${property}`])];
  }
}
