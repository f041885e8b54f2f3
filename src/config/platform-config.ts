/**
 * One deployment target of the platform: a stage such as `dev`, `staging` or `prod`.
 *
 * Declared once in `.projenrc.ts` (the `environments` option of `FintechCdkApp`),
 * written by projen into the generated repo's managed `src/fintech.config.json`,
 * and turned into one `FintechStage` per entry at synth.
 */
export interface FintechEnvironment {
  /**
   * Stage name: lowercase letters, digits and hyphens, starting with a letter,
   * at most 16 characters. It is appended to every physical name, so keep it short.
   */
  readonly name: string;

  /**
   * 12-digit AWS account id to deploy to.
   *
   * @default - environment-agnostic: synth works offline with a warning, and
   * deploying a durable environment is refused until an account is set.
   */
  readonly account?: string;

  /**
   * AWS region, e.g. `eu-west-1`. Must be a region known to aws-cdk-lib's region table.
   */
  readonly region: string;

  /**
   * Regions that hold replicas of this stage's regional data, besides `region` (the home region): global table
   * replicas, replicated keys, container image replicas. Constructs that replicate read them from the stage
   * (`FintechStage.replicaRegions`) and create what each region needs there, named with the stage and removed with it
   * where the stage is ephemeral. Regions known to aws-cdk-lib, in the home region's partition, each once, not the home
   * region; a stage with replicas needs its `account` (a stack in another region needs a concrete environment).
   *
   * @default - none: the stage lives in its home region only
   */
  readonly replicaRegions?: string[];

  /**
   * Whether the stage holds data that must outlive its stacks (staging, prod).
   * Durable stages retain or snapshot stateful resources and turn on deletion protection;
   * ephemeral stages make everything destroyable.
   *
   * @default false
   */
  readonly durable?: boolean;

  /**
   * IAM role the generated GitHub Actions `deploy` workflow assumes through OIDC to deploy this stage
   * (`arn:aws:iam::<account>:role/<name>`, in the stage's account). Its trust policy must allow
   * `token.actions.githubusercontent.com` for this repository; no long-lived keys are used.
   *
   * @default - the workflow does not deploy this stage
   */
  readonly deployRoleArn?: string;

  /**
   * Read-only IAM role the generated `diff` workflow assumes through OIDC on pull requests, to post `cdk diff` of this
   * stage as a comment (`arn:aws:iam::<account>:role/<name>`, in the stage's account, not the deploy role). Its trust
   * policy allows the subject `repo:<owner>/<repo>:pull_request`, which any branch of the repository can present, so it
   * may only read: `sts:AssumeRole` on the CDK lookup role (`cdk-hnb659fds-lookup-role-<account>-<region>`).
   *
   * @default - pull requests get no diff of this stage
   */
  readonly diffRoleArn?: string;
}

/**
 * The central monitoring account every stage forwards its service change events and alarm state changes to.
 * Its receiving side (`CentralMonitoringStack`) is deployed there; the stages' side reads the bus ARN from
 * `FintechStage.centralMonitoringBusArn`.
 */
export interface FintechMonitoringAccount {
  /** 12-digit id of the monitoring account. */
  readonly account: string;

  /** Region of the central event bus, e.g. `eu-west-1`; stages in other regions forward across regions. */
  readonly region: string;
}

/**
 * Everything the synth-time library needs to know about the platform: written by
 * projen from the `FintechCdkApp` options into the generated repo's
 * `src/fintech.config.json`, so `.projenrc.ts` stays the single source of truth.
 */
export interface FintechPlatformConfig {
  /**
   * Application name: used in physical names and the `Application` tag.
   * Lowercase letters, digits and hyphens, starting with a letter, at most 32 characters.
   */
  readonly application: string;

  /**
   * Owning team, written to the `Team` tag.
   */
  readonly team: string;

  /**
   * Cost center, written to the `CostCenter` tag.
   */
  readonly costCenter: string;

  /**
   * Additional tags applied to every taggable resource.
   *
   * @default - no extra tags
   */
  readonly extraTags?: { [key: string]: string };

  /**
   * Tag keys every taggable resource must carry; checked at synth by `FintechChecks`.
   *
   * @default ['Environment', 'Team', 'CostCenter', 'Application']
   */
  readonly requiredTagKeys?: string[];

  /**
   * Email address subscribed to each stage's alert topic.
   *
   * @default - no subscription
   */
  readonly alarmEmail?: string;

  /**
   * The stages to synthesize, one `FintechStage` each.
   */
  readonly environments: FintechEnvironment[];

  /**
   * cdk-nag 3 packs each stage runs beside `FintechChecks`, by pack name: `AwsSolutions`, `HIPAA.Security`,
   * `NIST.800.53.R4`, `NIST.800.53.R5`, `PCI.DSS.321`, `Serverless`. Their findings join CDK's validation report and
   * the `fintech-checks` SARIF and Markdown reports; acknowledge one with `Validations.of(construct).acknowledge({ id: 'AwsSolutions-S1', reason })`.
   * Needs the `cdk-nag` package, which the generated repo depends on only when a pack is listed.
   *
   * @default - none
   */
  readonly cdkNagPacks?: string[];

  /**
   * The central monitoring account and region: every environment then needs its `account`, which the central bus's
   * policy lets put events (and nothing else). The bus is named `<application>-central-monitoring`.
   *
   * @default - no central account: change events and alarm state changes stay in each stage's account
   */
  readonly monitoring?: FintechMonitoringAccount;
}
