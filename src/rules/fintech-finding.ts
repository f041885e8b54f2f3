import { RuleSeverity } from './rule-severity';

/** One finding of `FintechChecks` on one resource, acknowledged or not. */
export interface FintechFinding {
  /** Rule id, e.g. `Fintech-C02-DurableDeletesData`. */
  readonly ruleId: string;

  /** Failure catalog class, e.g. `C02`. */
  readonly catalogId: string;

  /** Severity after `warningRules`. */
  readonly severity: RuleSeverity;

  /** What is wrong with this resource. */
  readonly message: string;

  /** How to fix it. */
  readonly fix: string;

  /** Construct path of the resource (the stack path plus the logical id for resources that exist only in the template). */
  readonly constructPath: string;

  /** Logical id in the template. */
  readonly logicalId: string;

  /**
   * CloudFormation type of the resource.
   *
   * @default - the finding is not about a resource (e.g. a parameter)
   */
  readonly resourceType?: string;

  /** Absolute path of the synthesized template. */
  readonly templatePath: string;

  /** Locations in the template, e.g. `Properties/Tags` or `DeletionPolicy`. */
  readonly locations: string[];

  /**
   * Source file (relative to the working directory) of the user code that created the construct.
   *
   * @default - unknown: CDK recorded no creation stack for it (e.g. a resource that exists only in the template)
   */
  readonly sourceFile?: string;

  /**
   * Line in `sourceFile`.
   *
   * @default - unknown
   */
  readonly sourceLine?: number;

  /** Name of the stage that judged it ('' for stacks directly in the app). */
  readonly stageName: string;

  /** Whether that stage is durable. */
  readonly durable: boolean;

  /**
   * Reason of the acknowledgement that silenced the finding.
   *
   * @default - not acknowledged: the finding is a violation in the report
   */
  readonly acknowledgedReason?: string;
}
