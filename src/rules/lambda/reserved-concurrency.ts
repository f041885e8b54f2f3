import { LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM } from '../../facts/lambda-limits';
import { FintechRule, RuleFinding, RuleSettings, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// Functions named in one message; the rest are counted.
const LISTED_FUNCTIONS = 5;

/** Functions with reserved concurrency that deploy to one account and region. */
interface ConcurrencyGroup {
  /** `account 123456789012, region eu-west-1`, or the stack whose environment is unknown. */
  readonly label: string;
  readonly functions: Array<{ readonly resource: TemplateResource; readonly reserved: number }>;
}

/**
 * C15: the reserved concurrency of all Lambda functions deployed to one account and region leaves the 100 unreserved
 * executions Lambda requires: the sum stays at or below `accountConcurrencyLimit - 100`. Functions are grouped by their
 * stack's account and region across the templates of every stage synthesized together (each stage reports its own);
 * a stack whose account or region is unknown (environment-agnostic) forms a group of its own. Intrinsic reserved concurrency is unknown and not counted.
 */
export class ReservedConcurrency implements FintechRule {
  /** Metadata of `Fintech-C15-ReservedConcurrencyAboveLimit`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C15-ReservedConcurrencyAboveLimit',
    catalogId: 'C15',
    title: 'Reserved concurrency leaves 100 unreserved executions per account and region',
    description: 'Lambda refuses reserved concurrency that would leave fewer than 100 unreserved executions in an account ' +
      'and region, so the deployment fails (often only in the one stage or account with most functions), and what is ' +
      'reserved for some functions starves every other one. ' +
      'Judged on the sum of ReservedConcurrentExecutions per account and region, over the Lambda functions of every stage synthesized together. ' +
      'Not judged: intrinsic reservations (not counted), functions other apps already have in the account (synth cannot see them), sums across ' +
      'environment-agnostic stacks (each such stack is summed on its own).',
    fix: 'Lower or remove reservedConcurrentExecutions (functions reserve none unless asked), or raise the account\'s Lambda concurrency quota and set FintechChecks\' accountConcurrencyLimit to it.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ReservedConcurrency';
  public readonly infos = [ReservedConcurrency.INFO];
  // Stages deployed to one account and region share its concurrency.
  public readonly spansStages = true;

  public checkApp(stacks: readonly StackTemplate[], settings: RuleSettings): RuleFinding[] {
    const allowed = settings.accountConcurrencyLimit - LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM;
    const findings: RuleFinding[] = [];
    for (const group of groupByEnvironment(stacks).values()) {
      const sum = group.functions.reduce((total, fn) => total + fn.reserved, 0);
      if (sum <= allowed) continue;
      // The biggest reservations first: they are where a fix helps most.
      group.functions.sort((a, b) => b.reserved - a.reserved || a.resource.logicalId.localeCompare(b.resource.logicalId));
      const listed = group.functions.slice(0, LISTED_FUNCTIONS).map(fn => `${fn.resource.logicalId} ${fn.reserved}`).join(', ');
      const more = group.functions.length > LISTED_FUNCTIONS ? ` and ${group.functions.length - LISTED_FUNCTIONS} more` : '';
      for (const { resource, reserved } of group.functions) {
        findings.push(findingOn(resource, ReservedConcurrency.INFO.id,
          `${resource.type} ${resource.logicalId} reserves ${reserved} concurrent executions; the functions of ${group.label} reserve ${sum} in all ` +
          `(${listed}${more}), above ${allowed} (accountConcurrencyLimit ${settings.accountConcurrencyLimit} minus the ${LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM} Lambda keeps unreserved), ` +
          'so Lambda rejects the reservation and the deployment fails.',
          ['Properties/ReservedConcurrentExecutions'],
          `Reserve at most ${allowed} in ${group.label} together: lower or remove reservedConcurrentExecutions, or raise the account's Lambda concurrency quota ` +
          'and set accountConcurrencyLimit to it.'));
      }
    }
    return findings;
  }
}

function groupByEnvironment(stacks: readonly StackTemplate[]): Map<string, ConcurrencyGroup> {
  const groups = new Map<string, ConcurrencyGroup>();
  for (const stack of stacks) {
    const functions = stack.resourcesOfType('AWS::Lambda::Function')
      .map(resource => ({ resource, reserved: reservedOf(resource) }))
      .filter((fn): fn is { resource: TemplateResource; reserved: number } => fn.reserved !== undefined && fn.reserved > 0);
    if (functions.length === 0) continue;
    const { account, region } = stack;
    const known = account !== undefined && region !== undefined;
    // Environment-agnostic stacks may deploy anywhere: summing them with others would guess.
    const key = known ? `${account}/${region}` : `unknown:${stack.templatePath}`;
    const label = known ? `account ${account}, region ${region}` : `stack ${stack.path} (account and region unknown)`;
    const group = groups.get(key) ?? { label, functions: [] };
    group.functions.push(...functions);
    groups.set(key, group);
  }
  return groups;
}

/** A literal reserved concurrency (number or numeric string); undefined when unset or unknown. */
function reservedOf(resource: TemplateResource): number | undefined {
  return TemplateValue.integerOf(resource.properties?.ReservedConcurrentExecutions);
}
