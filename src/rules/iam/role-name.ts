import { containsStage, templateName } from '../naming/template-name';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C06, warning: an explicit role name holds the stage name. Role names are unique per account, so a
 * fixed name collides when two stages share an account, and policies elsewhere that trust the name
 * cannot tell the stages apart. Skipped outside a stage (nothing to compare) and for unknown names.
 */
export class RoleName implements FintechRule {
  /** Metadata of `Fintech-C06-RoleNameWithoutStage`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C06-RoleNameWithoutStage',
    catalogId: 'C06',
    title: 'Explicit IAM role names carry the stage name',
    description: 'A hard-coded role name collides when two stages deploy to one account, and trust policies that name it grant one stage\'s principals the other stage\'s role. ' +
      'Judged on the RoleName of AWS::IAM::Role; the fixed name an s3.Bucket gives the replication role it creates is reported naming the bucket. ' +
      'Not judged: roles without RoleName (CloudFormation generates a unique one), stacks outside a stage (no stage name to compare), names built ' +
      'from parameters or other intrinsics, and the account id (role names are unique per account only).',
    fix: "Drop roleName and let CloudFormation generate one, or use PhysicalName.of(this, '<base>', { kind: NameKind.IAM_ROLE }).",
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'RoleName';
  public readonly infos = [RoleName.INFO];
  public readonly resourceTypes = ['AWS::IAM::Role'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const { stageName } = resource.stack;
    const value = resource.properties?.RoleName;
    if (stageName === '' || value === undefined) return [];
    const name = templateName(value);
    if (!name || containsStage(name, stageName)) return [];
    return [findingOn(resource, RoleName.INFO.id,
      `${resource.type} ${resource.logicalId} has RoleName "${name.text}", which lacks the stage name "${stageName}", so it collides with the same role of another stage in the account.`,
      ['Properties/RoleName'])];
  }
}
