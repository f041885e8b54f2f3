import { IConstruct } from 'constructs';
import { acknowledgedRules } from './acknowledgements';
import { cdkProviderCreatedFor, libraryFunctionCreatedFor, providerUsers } from './custom-resource-providers';
import { fluentBitLogGroupOf } from './ecs/fluent-bit-router';
import { FintechFinding } from './fintech-finding';
import { createdForLibrary, libraryInternalOf } from './library-constructs';
import { CreatedFor, FintechRule, RuleFinding, RuleSettings } from './rule';
import { RuleInfo } from './rule-info';
import { RuleSeverity } from './rule-severity';
import { SourceLocation, sourceLocationOf } from './source-location';
import { StackTemplate } from './stack-template';

/** What the engine needs besides the templates. */
export interface RuleEngineOptions {
  /** The rules to run. */
  readonly rules: readonly FintechRule[];
  /** Settings passed to every rule. */
  readonly settings: RuleSettings;
  /** Rule ids reported as warnings. */
  readonly warningRules: ReadonlySet<string>;
}

// The order `localeCompare` gives, without building a collator for every comparison.
const COLLATOR = new Intl.Collator();

/** Reported when a rule throws: the resource went unchecked by that rule, and synth goes on. */
export const RULE_FAILED: RuleInfo = {
  id: 'Fintech-RuleFailed',
  catalogId: '',
  title: 'A rule could not judge a resource',
  description: 'A rule met a template shape it does not understand and threw; the resource was not checked by that rule.',
  fix: 'Report the rule and the template shape to the maintainers of fintech-infra-template; acknowledge this id on the construct meanwhile.',
  defaultSeverity: RuleSeverity.WARNING,
  acknowledgeableInDurableStages: true,
};

/**
 * Runs rules over indexed templates: each stack's resources are walked once and dispatched
 * to the rules for their type; then severities, per-construct acknowledgements and durable-stage
 * limits on acknowledgements are applied. A rule that throws becomes a `Fintech-RuleFailed` warning.
 */
export class RuleEngine {
  private readonly dispatch: Dispatch;

  /** Whether any rule judges the templates of every stage together (the caller then passes them to `run`). */
  public readonly spansStages: boolean;

  constructor(private readonly options: RuleEngineOptions) {
    this.dispatch = dispatchOf(options.rules);
    this.spansStages = this.dispatch.spansStages;
  }

  /**
   * Every finding on the templates, acknowledged ones included (with their reason), by rule id and construct path.
   * `appStacks`, the templates of every stage of the app, are what rules that span stages judge.
   */
  public run(stacks: readonly StackTemplate[], appStacks?: readonly StackTemplate[]): FintechFinding[] {
    const findings: FintechFinding[] = [];
    // Acknowledgements read once per construct and validation: findings on one construct, or under one stack, share them.
    const acknowledged = new Map<IConstruct, Map<string, string>>();
    const acknowledgedOn = (construct: IConstruct) => {
      let rules = acknowledged.get(construct);
      if (!rules) acknowledged.set(construct, rules = acknowledgedRules(construct));
      return rules;
    };
    const report = (found: readonly RuleFinding[]) => {
      for (const finding of found) findings.push(this.toFinding(finding, acknowledgedOn));
    };
    for (const stack of stacks) {
      for (const resource of stack.resources) {
        for (const rule of this.rulesOf(resource.type)) {
          let found: readonly RuleFinding[];
          // Called for every resource and rule: no closure nor message is built unless the rule fails.
          try {
            found = this.ownFindings(rule, rule.checkResource!(resource, this.options.settings));
          } catch (error) {
            found = [this.failure(rule, { stack, logicalId: resource.logicalId, resourceType: resource.type }, `${resource.type} ${resource.logicalId}`, error)];
          }
          report(found);
        }
      }
      for (const rule of this.options.rules) {
        if (rule.checkTemplate) report(this.guard(rule, { stack, logicalId: '' }, `template ${stack.templateFile}`, () => rule.checkTemplate!(stack, this.options.settings)));
      }
    }
    const own = new Set(stacks.map(s => s.templatePath));
    for (const rule of this.options.rules) {
      if (!rule.checkApp || stacks.length === 0) continue;
      const judged = rule.spansStages && appStacks ? appStacks : stacks;
      report(this.guard(rule, { stack: stacks[0], logicalId: '' }, 'the templates together', () => rule.checkApp!(judged, this.options.settings))
        .filter(finding => own.has(finding.stack.templatePath)));
    }
    return findings.sort((a, b) => COLLATOR.compare(a.ruleId, b.ruleId) || COLLATOR.compare(a.constructPath, b.constructPath));
  }

  private rulesOf(type: string): readonly FintechRule[] {
    const { rulesForType, rulesByType, rulesForEveryType } = this.dispatch;
    let rules = rulesForType.get(type);
    if (!rules) rulesForType.set(type, rules = [...rulesByType.get(type) ?? [], ...rulesForEveryType]);
    return rules;
  }

  // An odd template must not abort synth: the failure becomes a warning naming the rule and the resource.
  private guard(rule: FintechRule, where: Pick<RuleFinding, 'stack' | 'logicalId' | 'resourceType'>, what: string, check: () => RuleFinding[]): readonly RuleFinding[] {
    try {
      return this.ownFindings(rule, check());
    } catch (error) {
      return [this.failure(rule, where, what, error)];
    }
  }

  // A rule reporting another rule's id is a rule that failed.
  private ownFindings(rule: FintechRule, found: RuleFinding[]): RuleFinding[] {
    if (found.length === 0) return found;
    for (const finding of found) {
      if (!rule.infos.some(info => info.id === finding.ruleId)) throw new Error(`reported rule id "${finding.ruleId}", which is not one of its own`);
    }
    return found;
  }

  private failure(rule: FintechRule, where: Pick<RuleFinding, 'stack' | 'logicalId' | 'resourceType'>, what: string, error: unknown): RuleFinding {
    return {
      ...where,
      ruleId: RULE_FAILED.id,
      message: `Rule ${rule.name} (${rule.infos.map(i => i.id).join(', ')}) failed on ${what}: ${(error as Error).message}. It was not checked by that rule.`,
      locations: [],
    };
  }

  private toFinding(finding: RuleFinding, acknowledgedOn: (construct: IConstruct) => ReadonlyMap<string, string>): FintechFinding {
    const info = this.dispatch.infos.get(finding.ruleId)!;
    const { stack, logicalId } = finding;
    const owner = logicalId ? stack.ownerOf(logicalId) : stack.stack;
    const reason = (owner ? acknowledgedOn(owner).get(info.id) : undefined)
      ?? (logicalId ? acknowledgedByUsers(stack, logicalId, info.id, acknowledgedOn) : undefined);
    const refused = reason !== undefined && stack.durable && !info.acknowledgeableInDurableStages;
    const note = refused ? ` The acknowledgement ("${reason}") does not apply: ${info.id} cannot be acknowledged in durable stage "${stack.stageName}".` : '';
    // CDK's own providers (auto-delete, log retention, bucket notifications, AwsCustomResource) are no code the user can change: a warning naming who asked for them.
    const createdFor = finding.createdFor ?? (logicalId ? createdForOf(stack, logicalId, info.id) : undefined);
    const lowered = this.options.warningRules.has(info.id) || createdFor !== undefined || finding.severity === RuleSeverity.WARNING;
    const severity = lowered ? RuleSeverity.WARNING : info.defaultSeverity;
    const origin = createdFor ? ` ${createdFor.by ?? 'CDK'} created this resource for ${createdFor.constructs.join(', ')}${createdFor.how ? ` (${createdFor.how})` : ''}; ` +
      'it is not in your code, so it is reported as a warning: change that construct\'s options, or acknowledge the rule on it.' : '';
    // What the AWS SAM transform makes of a serverless resource is set through that resource's properties.
    const serverless = logicalId && !createdFor ? stack.serverlessSourceOf(logicalId) : undefined;
    const generated = serverless ? ` The AWS SAM transform creates ${logicalId} from ${serverless}: set it through that resource's properties.` : '';
    const found: FintechFinding = {
      ruleId: info.id,
      catalogId: info.catalogId,
      severity,
      message: finding.message + origin + generated + note,
      fix: finding.fix ?? info.fix,
      constructPath: logicalId ? stack.constructPathOf(logicalId) : stack.path,
      logicalId,
      ...(finding.resourceType ? { resourceType: finding.resourceType } : {}),
      templatePath: stack.templatePath,
      locations: [...finding.locations],
      stageName: stack.stageName,
      durable: stack.durable,
      ...(reason !== undefined && !refused ? { acknowledgedReason: reason } : {}),
    };
    return logicalId ? withLazySourceLocation(found, () => sourceLocationOf(stack.constructOf(logicalId))) : found;
  }
}

/** For an element CDK or a library created on its own (a provider, a library's internal resource), whom it was created for, as `ruleId` judges it. */
function createdForOf(stack: StackTemplate, logicalId: string, ruleId: string): CreatedFor | undefined {
  const providerFor = cdkProviderCreatedFor(stack, logicalId);
  if (providerFor) return { constructs: providerFor };
  const functionFor = libraryFunctionCreatedFor(stack, logicalId, ruleId);
  if (functionFor) return functionFor;
  const resource = stack.resource(logicalId);
  const owner = libraryInternalOf(stack.constructOf(logicalId), false, ruleId) ?? (resource ? fluentBitLogGroupOf(resource, ruleId) : undefined);
  return owner ? createdForLibrary(owner) : undefined;
}

/** How one list of rules is run: its rules by resource type and its rule metadata by id. */
interface Dispatch {
  readonly infos: ReadonlyMap<string, RuleInfo>;
  readonly rulesByType: ReadonlyMap<string, readonly FintechRule[]>;
  readonly rulesForEveryType: readonly FintechRule[];
  /** The rules of one type followed by those of every type, built on first use so no resource allocates its own list. */
  readonly rulesForType: Map<string, readonly FintechRule[]>;
  readonly spansStages: boolean;
}

// Built once per list of rules, not per engine: every FintechChecks (each FintechStage's, each unit test's) runs the same list.
const DISPATCHES = new WeakMap<readonly FintechRule[], Dispatch>();

function dispatchOf(rules: readonly FintechRule[]): Dispatch {
  const cached = DISPATCHES.get(rules);
  if (cached) return cached;
  const infos = new Map<string, RuleInfo>([[RULE_FAILED.id, RULE_FAILED]]);
  const rulesByType = new Map<string, FintechRule[]>();
  const rulesForEveryType: FintechRule[] = [];
  for (const rule of rules) {
    for (const info of rule.infos) infos.set(info.id, info);
    if (!rule.checkResource) continue;
    if (!rule.resourceTypes) {
      rulesForEveryType.push(rule);
      continue;
    }
    for (const type of rule.resourceTypes) {
      const ofType = rulesByType.get(type);
      if (ofType) ofType.push(rule); else rulesByType.set(type, [rule]);
    }
  }
  const dispatch: Dispatch = {
    infos, rulesByType, rulesForEveryType, rulesForType: new Map(), spansStages: rules.some(rule => rule.spansStages && rule.checkApp),
  };
  DISPATCHES.set(rules, dispatch);
  return dispatch;
}

/**
 * Adds `sourceFile` and `sourceLine`, read from the construct's creation stack only when a report or a caller asks:
 * most synths never write a report, and parsing every finding's stack trace was a fixed cost of each synth.
 */
function withLazySourceLocation(finding: FintechFinding, locate: () => SourceLocation | undefined): FintechFinding {
  let site: SourceLocation | null | undefined;
  const located = () => (site === undefined ? (site = locate() ?? null) : site);
  return Object.defineProperties(finding, {
    sourceFile: { enumerable: true, get: () => located()?.file },
    sourceLine: { enumerable: true, get: () => located()?.line },
  });
}

/**
 * A CDK-created provider (function, role, policy) is acknowledged when every custom resource using it is, on its
 * owning construct: a bucket that acknowledges a rule covers the auto-delete provider it asked for, but not a
 * provider that another, unacknowledged bucket uses too.
 */
function acknowledgedByUsers(stack: StackTemplate, logicalId: string, ruleId: string,
  acknowledgedOn: (construct: IConstruct) => ReadonlyMap<string, string>): string | undefined {
  const users = providerUsers(stack).get(logicalId);
  if (!users || users.length === 0) return undefined;
  const reasons = users.map(user => {
    const owner = user.stack.ownerOf(user.logicalId);
    return owner && owner !== user.stack.stack ? acknowledgedOn(owner).get(ruleId) : undefined;
  });
  if (reasons.some(r => r === undefined)) return undefined;
  return `${reasons[0]} (acknowledged on ${users[0].constructPath}, which uses this CDK-created provider)`;
}
