import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { containsStage, templateName } from './template-name';

// Explicit physical name property of each type; S3 buckets (C03) and IAM roles (C06) have their own rules.
const NAME_PROPERTIES: { readonly [type: string]: string | undefined } = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SecretsManager::Secret': 'Name',
};

/**
 * C16: an explicit physical name contains the stage name, so stages deploy side by side in one
 * account and region. Judged on the synthesized name (a literal, or a join of literals and pseudo
 * parameters); names built from other intrinsics are unknown. Skipped outside a stage ('' has nothing to compare).
 */
export class PhysicalNameStage implements FintechRule {
  /** Metadata of `Fintech-C16-PhysicalNameWithoutStage`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C16-PhysicalNameWithoutStage',
    catalogId: 'C16',
    title: 'Explicit physical names carry the stage name',
    description: 'A fixed table, queue, topic, function, state machine, log group or secret name collides when a second stage or a CI preview deploys to the same account and region, and the deployment fails or, worse, two stages share one resource.',
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
    if (!name || containsStage(name, stageName)) return [];
    return [findingOn(resource, PhysicalNameStage.INFO.id,
      `${resource.type} ${resource.logicalId} has ${property} "${name.text}", which lacks the stage name "${stageName}", so it collides with the same resource of another stage.`,
      [`Properties/${property}`])];
  }
}
