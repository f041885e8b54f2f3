import { templateName } from './template-name';
import { NameScope, UNIQUE_NAMES } from './unique-names';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';

/**
 * C16: no two resources of one type get the same explicit name where names must be unique, across every stack and
 * stage synthesized together: CloudFormation creates the first and fails the other stack ("already exists"), often
 * only when the second stack of a stage deploys. Names are compared as synthesized (literals, and joins of literals
 * and pseudo parameters, with the stack's account and region filled in when known); stacks whose account or region is
 * unknown are compared with the stacks of their own stage whose account or region is unknown too (they deploy to the same
 * place), never with stacks where it is known, so stacks of one stage in two known regions never share a regional name.
 * Names built from other intrinsics are unknown.
 */
export class DuplicatePhysicalName implements FintechRule {
  /** Metadata of `Fintech-C16-DuplicatePhysicalName`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C16-DuplicatePhysicalName',
    catalogId: 'C16',
    title: 'Explicit physical names are unique where they deploy',
    description: 'Two resources with one explicit name in the same account and region (one partition for buckets, one account for IAM) cannot both be created: the second stack fails to deploy and rolls back, usually in the stage that has the most stacks. ' +
      'Judged on buckets, IAM roles and every type Fintech-C16-PhysicalNameWithoutStage lists, across all stacks and stages synthesized together. ' +
      'Not judged: names built from parameters or other intrinsics (AWS::StackName among them); types whose names need not be unique (Cognito ' +
      'user pools, AppSync APIs), AWS Batch job definitions (a second one is a new revision), OpenSearch Serverless security policies and ' +
      'EventBridge schedules (unique only per policy type or schedule group); a stack whose account or region synth does not know, against stacks ' +
      'of other stages or with that account or region known; names taken outside the stacks synthesized together.',
    fix: 'Give one of them another name base (PhysicalName.of(this, \'<other-base>\')), or drop the explicit name and let CloudFormation generate one.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'DuplicatePhysicalName';
  public readonly infos = [DuplicatePhysicalName.INFO];
  // Stacks of other stages deployed to the same account and region share its names.
  public readonly spansStages = true;

  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const byName = new Map<string, Array<{ resource: TemplateResource; property: string; name: string; where: string }>>();
    for (const stack of stacks) {
      for (const [type, named] of Object.entries(UNIQUE_NAMES)) {
        for (const resource of stack.resourcesOfType(type)) {
          const value = resource.properties?.[named!.property];
          const name = value === undefined ? undefined : templateName(value);
          if (!name) continue;
          const { key, where, text } = placeOf(stack, named!.scope, name.text);
          const entry = `${type}\n${key}\n${text}`;
          const list = byName.get(entry) ?? [];
          list.push({ resource, property: named!.property, name: text, where });
          byName.set(entry, list);
        }
      }
    }
    const findings: RuleFinding[] = [];
    for (const sameName of byName.values()) {
      if (sameName.length < 2) continue;
      for (const { resource, property, name, where } of sameName) {
        const others = sameName.filter(other => other.resource !== resource).map(other => `${other.resource.logicalId} in ${other.resource.stack.path}`).join(', ');
        findings.push(findingOn(resource, DuplicatePhysicalName.INFO.id,
          `${resource.type} ${resource.logicalId} in ${resource.stack.path} has ${property} "${name}", which ${others} also has (${where}), ` +
          'so CloudFormation cannot create both and one stack fails to deploy.',
          [`Properties/${property}`]));
      }
    }
    return findings;
  }
}

/** The uniqueness scope of a name in a stack, a readable description of it, and the name with known pseudo parameters filled in. */
function placeOf(stack: StackTemplate, scope: NameScope, text: string): { key: string; where: string; text: string } {
  const { account, region } = stack;
  const filled = text
    .replace(/\$\{AWS::AccountId\}/g, account ?? '${AWS::AccountId}')
    .replace(/\$\{AWS::Region\}/g, region ?? '${AWS::Region}');
  if (scope === 'partition') return { key: 'partition', where: 'bucket names are unique in the partition', text: filled };
  // Unknown account or region: the stack deploys wherever its stage does.
  const stage = `stage ${stack.stageName || '(app)'}`;
  if (scope === 'account') return { key: account ?? stage, where: account ? `account ${account}` : `the account of ${stage}`, text: filled };
  // A known region keeps stacks of other regions apart even when the account is left to the stage (env: { region }).
  if (account === undefined && region === undefined) return { key: stage, where: `the account and region of ${stage}`, text: filled };
  return {
    key: `${account ?? stage}/${region ?? stage}`,
    where: `${account ? `account ${account}` : `the account of ${stage}`}, ${region ? `region ${region}` : `the region of ${stage}`}`,
    text: filled,
  };
}
