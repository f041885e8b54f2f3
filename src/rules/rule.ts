import { RuleInfo } from './rule-info';
import { RuleSeverity } from './rule-severity';
import { StackTemplate, TemplateResource } from './stack-template';

// The contract between the engine and each rule; internal, not part of the jsii API.

/** Pack-wide settings a rule may need, validated by `FintechChecks`. */
export interface RuleSettings {
  /** Tag keys every taggable resource must carry. */
  readonly requiredTagKeys: readonly string[];
  /** Lambda concurrency limit of an account and region. */
  readonly accountConcurrencyLimit: number;
}

/** One thing wrong with one template element, as a rule reports it. */
export interface RuleFinding {
  /** One of the rule's `infos` ids. */
  readonly ruleId: string;
  /** Template the element is in. */
  readonly stack: StackTemplate;
  /** Logical id of the resource, parameter or output. */
  readonly logicalId: string;
  /** CloudFormation type, for resources. */
  readonly resourceType?: string;
  /** What is wrong with this element in particular; starts with its type and logical id. */
  readonly message: string;
  /** Template locations, e.g. `Properties/Tags`. */
  readonly locations: readonly string[];
  /** A fix specific to this finding; the rule's `fix` otherwise. */
  readonly fix?: string;
  /**
   * The library construct that wrote what the finding is about, when the app did not (statements a library writes into
   * a role it creates): the engine reports it as a warning naming that construct. The engine itself recognises CDK's
   * custom-resource providers and the resources a library creates whole.
   * @default - the engine decides from the element
   */
  readonly createdFor?: CreatedFor;
  /**
   * `WARNING` to report this finding as a warning though the rule's severity is error: where the rule cannot tell (an IAM
   * action its data does not know). `ERROR` changes nothing.
   * @default - the rule's severity
   */
  readonly severity?: RuleSeverity;
}

/** The constructs an element was created for, when the app's code did not write it. */
export interface CreatedFor {
  /** Construct paths of the constructs that asked for it. */
  readonly constructs: readonly string[];
  /**
   * What the element is to them, and how the app can choose otherwise.
   * @default - not said
   */
  readonly how?: string;
  /**
   * Who created the element for them.
   * @default 'CDK'
   */
  readonly by?: string;
}

/**
 * One rule file. It reports under one or more rule ids and judges the synthesized templates at
 * the narrowest scope it needs: one resource (dispatched by type, each stack walked once for
 * all rules), one template, or all templates at once (e.g. per account and region). Put
 * cross-resource views a resource check needs in `stack.memo(...)` so they are built once per stack.
 * Rules never throw on unknown values: an intrinsic is unknown, and unknown reports nothing.
 */
export interface FintechRule {
  /** Name used when the rule itself fails, e.g. `RequiredTags`. */
  readonly name: string;
  /** The rule ids it reports under. */
  readonly infos: readonly RuleInfo[];
  /** Resource types `checkResource` is called for; every type when undefined. */
  readonly resourceTypes?: readonly string[];
  /**
   * `checkApp` sees the templates of every stage synthesized with this one (limits shared by all stages deployed to one
   * account and region); only findings on this validation's own templates are kept, so each stage reports its own.
   */
  readonly spansStages?: boolean;
  /** Judges one resource. */
  checkResource?(resource: TemplateResource, settings: RuleSettings): RuleFinding[];
  /** Judges one template (e.g. its parameters). */
  checkTemplate?(stack: StackTemplate, settings: RuleSettings): RuleFinding[];
  /** Judges all templates of the validation together. */
  checkApp?(stacks: readonly StackTemplate[], settings: RuleSettings): RuleFinding[];
}

/** A finding on a resource. */
export function findingOn(resource: TemplateResource, ruleId: string, message: string, locations: readonly string[], fix?: string): RuleFinding {
  return { ruleId, stack: resource.stack, logicalId: resource.logicalId, resourceType: resource.type, message, locations, ...(fix ? { fix } : {}) };
}
