import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AlertTopic } from '../alarms/alert-topic';
import { monitorDeadLetterQueue } from '../alarms/monitor-queue';
import { FailureQueue } from '../data/failure-queue';
import { PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';
import { validateEventRetry } from '../workflow/event-retry';
import { SecureEventRule } from '../workflow/secure-event-rule';

/** A service whose configuration changes `ServiceChangeEvents` reports. */
export enum ChangeEventService {
  /** Functions, versions, aliases, permissions, concurrency, event source mappings, function URLs. */
  LAMBDA = 'lambda',
  /** REST and HTTP APIs, deployments, stages, methods, integrations, routes, authorizers. */
  API_GATEWAY = 'apigateway',
  /** Tables, TTL, point-in-time recovery, backups and restores, global tables, resource policies. */
  DYNAMODB = 'dynamodb',
  /** Queues, their attributes and permissions, purges. */
  SQS = 'sqs',
}

interface ConfigurationChanges {
  /** Construct id of the rule and the service's name in messages. */
  readonly label: string;
  /** `source` of the event, `aws.<service>`. */
  readonly source: string;
  /** `detail.eventSource` of the CloudTrail record. */
  readonly eventSource: string;
  readonly eventNames: readonly string[];
  /** Match event names by prefix: the service's CloudTrail names carry an API version suffix. */
  readonly byPrefix?: boolean;
}

// The calls that change each service's configuration, as CloudTrail names them (management events).
// Source: "Logging <service> API calls using AWS CloudTrail" of each service's developer guide and its API
// reference, checked 2026-11. Lambda records names with an API version suffix (UpdateFunctionConfiguration20150331v2),
// so its names match by prefix.
const CONFIGURATION_CHANGES: { readonly [service in ChangeEventService]: ConfigurationChanges } = {
  [ChangeEventService.LAMBDA]: {
    label: 'Lambda',
    source: 'aws.lambda',
    eventSource: 'lambda.amazonaws.com',
    byPrefix: true,
    eventNames: [
      'CreateFunction', 'UpdateFunctionCode', 'UpdateFunctionConfiguration', 'DeleteFunction', 'PublishVersion',
      'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'AddPermission', 'RemovePermission',
      'PutFunctionConcurrency', 'DeleteFunctionConcurrency', 'PutProvisionedConcurrencyConfig', 'PutFunctionEventInvokeConfig',
      'CreateEventSourceMapping', 'UpdateEventSourceMapping', 'DeleteEventSourceMapping',
      'CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig', 'DeleteFunctionUrlConfig',
    ],
  },
  [ChangeEventService.API_GATEWAY]: {
    label: 'ApiGateway',
    source: 'aws.apigateway',
    eventSource: 'apigateway.amazonaws.com',
    eventNames: [
      'CreateRestApi', 'ImportRestApi', 'PutRestApi', 'UpdateRestApi', 'DeleteRestApi', 'CreateDeployment',
      'CreateStage', 'UpdateStage', 'DeleteStage', 'PutMethod', 'UpdateMethod', 'DeleteMethod',
      'PutIntegration', 'UpdateIntegration', 'DeleteIntegration', 'CreateAuthorizer', 'UpdateAuthorizer', 'DeleteAuthorizer',
      'CreateApi', 'UpdateApi', 'DeleteApi', 'CreateRoute', 'UpdateRoute', 'DeleteRoute', 'UpdateAccount',
    ],
  },
  [ChangeEventService.DYNAMODB]: {
    label: 'DynamoDB',
    source: 'aws.dynamodb',
    eventSource: 'dynamodb.amazonaws.com',
    eventNames: [
      'CreateTable', 'UpdateTable', 'DeleteTable', 'UpdateTimeToLive', 'UpdateContinuousBackups',
      'RestoreTableFromBackup', 'RestoreTableToPointInTime', 'DeleteBackup',
      'CreateGlobalTable', 'UpdateGlobalTable', 'UpdateGlobalTableSettings',
      'EnableKinesisStreamingDestination', 'DisableKinesisStreamingDestination', 'PutResourcePolicy', 'DeleteResourcePolicy',
    ],
  },
  [ChangeEventService.SQS]: {
    label: 'Sqs',
    source: 'aws.sqs',
    eventSource: 'sqs.amazonaws.com',
    eventNames: ['CreateQueue', 'DeleteQueue', 'SetQueueAttributes', 'PurgeQueue', 'AddPermission', 'RemovePermission'],
  },
};

const ALL_SERVICES = [ChangeEventService.LAMBDA, ChangeEventService.API_GATEWAY, ChangeEventService.DYNAMODB, ChangeEventService.SQS];

// Fail into the DLQ (and its alarm) within two hours instead of EventBridge's default 24 hours and 185 attempts.
const DEFAULT_RETRY_ATTEMPTS = 20;
const DEFAULT_MAX_EVENT_AGE = Duration.hours(2);
const EVENT_BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]+$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Properties of `ServiceChangeEvents`. */
export interface ServiceChangeEventsProps {
  /**
   * Services whose configuration changes are reported.
   *
   * @default - Lambda, API Gateway, DynamoDB and SQS
   */
  readonly services?: ChangeEventService[];

  /**
   * Also report every CloudWatch alarm state change of the account and region. Alarms made by this
   * library already notify the alert topic; this adds alarms made by hand or other tools, and is how
   * the central account sees them.
   *
   * @default true
   */
  readonly alarmStateChanges?: boolean;

  /**
   * ARN of a central monitoring event bus, usually in another account, that receives every matched event.
   * That bus needs a policy that lets this account put events: `CentralMonitoringBus` with this account in
   * `sourceAccounts`, or a statement allowing `events:PutEvents` to this account's root principal.
   *
   * @default - events go to the stage's alert topic only
   */
  readonly centralBusArn?: string;

  /**
   * Delivery attempts per target before an event goes to the dead-letter queue (0 to 185).
   *
   * @default 20
   */
  readonly retryAttempts?: number;

  /**
   * Longest time EventBridge keeps trying to deliver an event (1 minute to 24 hours).
   *
   * @default Duration.hours(2)
   */
  readonly maxEventAge?: Duration;
}

/**
 * EventBridge rules on the default bus that report configuration changes of Lambda, API Gateway,
 * DynamoDB and SQS (CloudTrail `AWS API Call via CloudTrail` events of successful calls) and CloudWatch
 * alarm state changes (C24). Every rule notifies the stage's `AlertTopic` with a one-line message and,
 * with `centralBusArn`, forwards the event to a central monitoring bus through a role that may put events
 * on exactly that bus. Each target retries, then falls back to one encrypted dead-letter queue with an alarm.
 *
 * CloudTrail delivers `AWS API Call via CloudTrail` events to EventBridge only while a trail with logging on
 * exists in the account (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail", checked 2026-11).
 */
export class ServiceChangeEvents extends Construct {
  /** The rules, one per service, then the alarm state change rule. */
  public readonly rules: SecureEventRule[] = [];
  /** Where events that could not be delivered go. */
  public readonly deadLetterQueue: FailureQueue;
  /** Alarm on undelivered events in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The role EventBridge uses to put events on the central bus, when `centralBusArn` is set. */
  public readonly centralBusRole?: iam.Role;

  private readonly retryAttempts: number;
  private readonly maxEventAge: Duration;
  private readonly alertTopic: AlertTopic;
  private readonly centralBus?: events.IEventBus;

  constructor(scope: Construct, id: string, props: ServiceChangeEventsProps = {}) {
    super(scope, id);
    const at = `ServiceChangeEvents at ${this.node.path}`;
    const services = [...new Set(props.services ?? ALL_SERVICES)];
    const alarmStateChanges = props.alarmStateChanges ?? true;
    if (services.length === 0 && !alarmStateChanges) {
      throw new Error(`${at}: services is empty and alarmStateChanges is false, so there is nothing to report; drop services to watch all four, or remove the construct.`);
    }
    validateEventRetry(at, '', props, { retryAttempts: DEFAULT_RETRY_ATTEMPTS, maxEventAge: DEFAULT_MAX_EVENT_AGE });
    this.retryAttempts = props.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    this.maxEventAge = props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE;
    if (props.centralBusArn !== undefined && !Token.isUnresolved(props.centralBusArn) && !EVENT_BUS_ARN.test(props.centralBusArn)) {
      throw new Error(`${at}: centralBusArn "${props.centralBusArn}" is not an event bus ARN; pass arn:aws:events:<region>:<account>:event-bus/<name> of the central account's bus.`);
    }

    this.alertTopic = AlertTopic.of(this);
    const undelivered = `Change or alarm events of ${this.node.path} could not be delivered to the alert topic or the central bus ` +
      'after all retries; read the dead-letter queue for the cause (ERROR_CODE attribute) and redrive.';
    // deadLetterAlarm below watches the queue, under a name of its own.
    this.deadLetterQueue = new FailureQueue(this, 'DeadLetters', { description: undelivered, monitoring: { enabled: false } });
    if (props.centralBusArn !== undefined) {
      this.centralBus = events.EventBus.fromEventBusArn(this, 'CentralBus', props.centralBusArn);
      // The EventBus target grants this role events:PutEvents on exactly the central bus ARN.
      this.centralBusRole = new iam.Role(this, 'CentralBusRole', {
        assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
        description: `Lets EventBridge rules of ${this.node.path} put events on the central monitoring bus`,
      });
    }

    for (const service of services) {
      const changes = CONFIGURATION_CHANGES[service];
      const eventNames = changes.byPrefix
        ? events.Match.anyOf(...changes.eventNames.map(name => events.Match.prefix(name)))
        : [...changes.eventNames];
      this.addRule(`${changes.label}Changes`, service, `${changes.label} configuration changes in this account (CloudTrail)`, {
        source: [changes.source],
        detailType: ['AWS API Call via CloudTrail'],
        // A call that failed (e.g. AccessDenied) changed nothing.
        detail: { eventSource: [changes.eventSource], eventName: eventNames, errorCode: events.Match.doesNotExist() },
      }, events.RuleTargetInput.fromText(
        `${changes.label} configuration change: ${events.EventField.fromPath('$.detail.eventName')} ` +
        `by ${events.EventField.fromPath('$.detail.userIdentity.arn')} in ${events.EventField.account}/${events.EventField.region} ` +
        `at ${events.EventField.time} (CloudTrail event ${events.EventField.fromPath('$.detail.eventID')})`,
      ));
    }
    if (alarmStateChanges) {
      this.addRule('AlarmStateChanges', 'alarm-state', 'CloudWatch alarm state changes in this account', {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
      }, events.RuleTargetInput.fromText(
        `Alarm ${events.EventField.fromPath('$.detail.alarmName')} is ${events.EventField.fromPath('$.detail.state.value')} ` +
        `(was ${events.EventField.fromPath('$.detail.previousState.value')}) in ${events.EventField.account}/${events.EventField.region} at ${events.EventField.time}`,
      ));
    }

    this.deadLetterAlarm = monitorDeadLetterQueue(this, this.deadLetterQueue, {
      owner: at,
      alarmName: PhysicalName.of(this, `${stagePathBase(this)}-undelivered`),
      description: undelivered,
      alertTopic: this.alertTopic,
    });
  }

  private addRule(id: string, nameSuffix: string, description: string, eventPattern: events.EventPattern, message: events.RuleTargetInput): void {
    // An explicit name lets the dead-letter queue's key policy name the rule without a reference to it, which would be a cycle.
    const rule = new SecureEventRule(this, id, {
      nameBase: `${stagePathBase(this)}-${nameSuffix}`,
      eventPattern,
      description,
      retryAttempts: this.retryAttempts,
      maxEventAge: this.maxEventAge,
      deadLetterQueue: this.deadLetterQueue,
    });
    rule.addTopicTarget(this.alertTopic, { message });
    if (this.centralBus) rule.addEventBusTarget(this.centralBus, { role: this.centralBusRole });
    this.rules.push(rule);
  }
}

/** Properties of a `CentralMonitoringBus`. */
export interface CentralMonitoringBusProps {
  /** Accounts whose `ServiceChangeEvents` forward to this bus (12-digit account ids). */
  readonly sourceAccounts: string[];

  /**
   * Base of the bus name, `<application>-<base>-<stage>`.
   *
   * @default 'monitoring'
   */
  readonly nameBase?: string;

  /**
   * The bus name as is, for a name the source stages know in advance (`CentralMonitoringStack` uses
   * `<application>-central-monitoring`, the name in `FintechStage.centralMonitoringBusArn`). Replaces `nameBase`.
   *
   * @default - `<application>-<nameBase>-<stage>`
   */
  readonly eventBusName?: string;
}

/**
 * The central account's side of `ServiceChangeEvents.centralBusArn`: a custom event bus whose policy lets
 * each source account `events:PutEvents` on it, and nothing else. Add rules on `eventBus` to act on what arrives.
 */
export class CentralMonitoringBus extends Construct {
  /** The bus; give its ARN to the source stages as `centralBusArn`. */
  public readonly eventBus: events.EventBus;
  /** The bus ARN. */
  public readonly eventBusArn: string;

  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: CentralMonitoringBusProps) {
    super(scope, id);
    if (!props.sourceAccounts || props.sourceAccounts.length === 0) {
      throw new Error(`CentralMonitoringBus at ${this.node.path}: sourceAccounts is empty, so no account may put events on the bus; list the account ids of the stages that forward to it.`);
    }
    if (props.eventBusName !== undefined && props.nameBase !== undefined) {
      throw new Error(`CentralMonitoringBus at ${this.node.path}: both eventBusName and nameBase are set, but only one names the bus; drop nameBase to keep the name "${props.eventBusName}".`);
    }
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? PhysicalName.of(this, props.nameBase ?? 'monitoring') });
    this.eventBusArn = this.eventBus.eventBusArn;
    for (const account of props.sourceAccounts) this.allowSourceAccount(account);
  }

  /** Lets `account` put events on the bus. Calling it twice for one account is a no-op. */
  public allowSourceAccount(account: string): void {
    if (!Token.isUnresolved(account) && !ACCOUNT_ID.test(account)) {
      throw new Error(`CentralMonitoringBus at ${this.node.path}: source account "${account}" is not a 12-digit account id; pass the id of the account whose ServiceChangeEvents forward here.`);
    }
    if (account === Stack.of(this).account) return;
    if (this.allowed.has(account)) return;
    this.allowed.add(account);
    this.eventBus.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowPutEventsFrom${Token.isUnresolved(account) ? this.allowed.size : account}`,
      principals: [new iam.AccountPrincipal(account)],
      actions: ['events:PutEvents'],
      resources: [this.eventBus.eventBusArn],
    }));
  }
}
