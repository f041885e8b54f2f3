import { RuleInfo, RuleSeverity } from './rule-info';
import { IndexedResource, IndexedStack } from './template-index';

// Internal: the contract between the engine and each rule (not part of the jsii API).

/** What a rule knows about the stage it judges. */
export interface RuleContext {
  /** Stage name ('' for stacks directly in the app). */
  readonly stageName: string;
  /** Whether that stage is durable. */
  readonly durable: boolean;
  /** Tag keys every taggable resource must carry. */
  readonly requiredTagKeys: readonly string[];
  /** Account-wide Lambda concurrency limit. */
  readonly accountConcurrencyLimit: number;
}

/** One thing wrong with one resource. */
export interface RuleFinding {
  readonly resource: IndexedResource;
  /** What is wrong with this resource in particular. */
  readonly message: string;
  /** Template locations, e.g. `Properties/Tags`. */
  readonly locations?: string[];
  /** Overrides the rule's severity for this finding. */
  readonly severity?: RuleSeverity;
}

/** A rule judges one indexed stack at a time; cross-resource rules use the stack's indexes. */
export interface Rule {
  readonly info: RuleInfo;
  check(stack: IndexedStack, context: RuleContext): RuleFinding[];
}
