import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CentralMonitoringBus } from './service-change-events';
import { centralMonitoringBusName } from '../config/central-monitoring';
import { formatProblems, validatePlatformConfig } from '../config/config-validation';
import { FintechPlatformConfig } from '../config/platform-config';
import { encryptedLogGroup } from '../encryption/encrypted-log-group';
import { SecureEventRule } from '../workflow/secure-event-rule';

/** Properties of a `CentralMonitoringStack`. */
export interface CentralMonitoringStackProps extends StackProps {
  /**
   * The platform configuration (the generated repo's `fintech.config.json`): its `monitoring` names the account and
   * region the stack deploys to, and its environments' accounts are the only ones the bus accepts events from.
   */
  readonly config: FintechPlatformConfig;
}

// The receiving side is not a stage: it outlives every stage and keeps what arrived for a year (durable).
const CENTRAL_STAGE_NAME = 'central';

/**
 * The receiving side of central monitoring, to deploy in the monitoring account of `config.monitoring`: the event bus
 * `<application>-central-monitoring`, whose policy lets each environment's account put events and nothing else, and a
 * rule that writes every event those accounts send into the encrypted log group `/aws/events/<application>-central-monitoring`
 * (a year's retention) to query and alarm on, with retry and a dead-letter queue. The stages forward to it through `FintechStage.centralMonitoringBusArn`.
 *
 * It is a durable stack of its own (stage name `central` in physical names), tagged like the stages with
 * `Environment: central-monitoring`.
 */
export class CentralMonitoringStack extends Stack {
  /** The bus the stages forward to. */
  public readonly bus: CentralMonitoringBus;
  /** Every event the source accounts sent, as JSON. */
  public readonly eventLogGroup: logs.LogGroup;
  /** The rule that writes arriving events into `eventLogGroup`. */
  public readonly eventLogRule: SecureEventRule;
  /** The accounts allowed to put events on the bus: the environments' accounts other than the monitoring account. */
  public readonly sourceAccounts: string[];

  constructor(scope: Construct, id: string, props: CentralMonitoringStackProps) {
    const { config } = props;
    const at = [scope.node.path, id].filter(Boolean).join('/');
    const problems = validatePlatformConfig(config);
    if (problems.length === 0 && config.monitoring === undefined) {
      problems.push({ option: 'monitoring', value: undefined, problem: 'the central monitoring stack deploys to the monitoring account, and none is configured', fix: "set monitoring: { account: '210987654321', region: 'eu-west-1' } in .projenrc.ts" });
    }
    if (problems.length > 0) throw new Error(formatProblems(`CentralMonitoringStack at ${at}`, problems));
    const monitoring = config.monitoring!;
    super(scope, id, { ...props, env: { account: monitoring.account, region: monitoring.region } });

    // Stage settings for the library's constructs outside a FintechStage (FintechStage.settingsOf).
    this.node.setContext('fintech:stage', CENTRAL_STAGE_NAME);
    this.node.setContext('fintech:durable', true);
    this.node.setContext('fintech:application', config.application);
    if (config.alarmEmail) this.node.setContext('fintech:alarm-email', config.alarmEmail);
    const tags = { ...(config.extraTags ?? {}), Environment: 'central-monitoring', Team: config.team, CostCenter: config.costCenter, Application: config.application };
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);

    this.sourceAccounts = [...new Set(config.environments.map(env => env.account!).filter(account => account !== monitoring.account))];
    // A bus policy with no statement would be valid but useless: environments all in the monitoring account need none.
    this.bus = new CentralMonitoringBus(this, 'Bus', { sourceAccounts: this.sourceAccounts.length > 0 ? this.sourceAccounts : [monitoring.account], eventBusName: centralMonitoringBusName(config.application) });

    // Named where EventBridge's console puts log targets, so the monitoring team finds it without this code.
    const { logGroup } = encryptedLogGroup(this, { aliasBase: 'central-monitoring-events', logGroupName: `/aws/events/${centralMonitoringBusName(config.application)}` });
    this.eventLogGroup = logGroup;
    this.eventLogRule = new SecureEventRule(this, 'EventLog', {
      eventBus: this.bus.eventBus,
      description: 'Writes every service change event and alarm state change the environments forward into the central log group',
      eventPattern: { account: [...new Set(config.environments.map(env => env.account!))] } as events.EventPattern,
    });
    this.eventLogRule.addLogGroupTarget(logGroup);
  }
}
