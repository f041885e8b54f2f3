import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { EventRuleOptions, SecureEventRule } from './secure-event-rule';
import { FailureQueue, FailureQueueMonitoring } from '../data/failure-queue';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { FintechStage } from '../stage/fintech-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `SecureEventBus`. */
export interface SecureEventBusProps {
  /**
   * Base of an explicit bus name, `<application>-<base>-<stage>`; the bus's dead-letter queue becomes `<base>-bus-dlq`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly nameBase?: string;

  /**
   * Key that encrypts the events on the bus and in its archive.
   *
   * @default - a new `DataKey`, created next to the bus as `<id>Key`
   */
  readonly dataKey?: DataKey;

  /**
   * What the bus carries, shown in the EventBridge console; at most 512 characters.
   *
   * @default - "Events of <construct path>"
   */
  readonly description?: string;

  /**
   * Archive the account's events on this bus, so they can be replayed. Turn it off for a bus whose events can be
   * produced again from their source (a bus fed by another bus that archives them already, or by a scheduler), where
   * a second copy would only be paid for.
   *
   * @default true
   */
  readonly archive?: boolean;

  /**
   * How long the archive keeps events: whole days, at least 1. Only with `archive` on.
   *
   * @default Duration.days(365) in durable stages, Duration.days(7) in ephemeral ones
   */
  readonly archiveRetention?: Duration;

  /**
   * The alarm on the bus's dead-letter queue (C09, C12): any event the bus could not process pages.
   *
   * @default - the alarm, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: FailureQueueMonitoring;
}

/** Properties of `SecureEventBus.addRule`: a `SecureEventRule` on the bus, which always has a description. */
export interface EventBusRuleProps extends EventRuleOptions {
  /** What the rule is for, shown in the EventBridge console and the catalog; at most 512 characters. */
  readonly description: string;

  /** The events of the bus the rule matches. Scheduled rules exist only on the default bus, so a bus rule has a pattern. */
  readonly eventPattern: events.EventPattern;
}

// EventBridge's limit on bus, rule and archive descriptions (EventBridge API Reference, CreateEventBus, PutRule,
// CreateArchive: Description, checked 2026-12).
const MAX_DESCRIPTION_LENGTH = 512;
// A durable stage keeps a year of trades for replay: enough to rebuild a consumer or its table from events after a
// defect found at the yearly audit or reconciliation; the table of record, not the archive, is what is kept longer.
const DURABLE_ARCHIVE_RETENTION = Duration.days(365);
// An ephemeral stage needs a replay within a week of testing; more would be paid for and never read.
const EPHEMERAL_ARCHIVE_RETENTION = Duration.days(7);
const DAY_MILLIS = 24 * 60 * 60 * 1000;

/**
 * A custom EventBridge bus for business events such as trades: events are encrypted with a customer key (a
 * `DataKey`, C04), events the bus cannot process (the key disabled or its policy changed) go to the bus's own
 * dead-letter queue (a `FailureQueue` on a key of its own, with an alarm, C12), and an archive keeps the account's
 * events on the bus (`eventArchive`), encrypted with the bus's key, for replay: a year in durable stages, a week in
 * ephemeral ones. Archives added with `archive()` are encrypted and bounded the same way.
 *
 * Rules on it come from `addRule`: `SecureEventRule`s, so every target gets retries and a dead-letter queue, and
 * each rule has a description. It is an `events.EventBus`, so it goes wherever an `IEventBus` does. Outside a
 * `FintechStage` it follows `FintechStage.settingsOf` (durable unless the context says otherwise).
 */
export class SecureEventBus extends events.EventBus {
  /** The key of the bus and its archive. */
  public readonly dataKey: DataKey;
  /** Where events the bus could not process go. */
  public readonly deadLetterQueue: FailureQueue;
  /**
   * The archive of the account's events on this bus, for replay; absent with `archive: false`. (Not `archive`, which is
   * `EventBus`'s method that adds another archive.)
   */
  public readonly eventArchive?: events.Archive;

  private readonly at: string;
  private readonly busArnForKeys: string;
  private archiveKeyOpened = false;

  constructor(scope: Construct, id: string, props: SecureEventBusProps = {}) {
    const at = `SecureEventBus at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    validateDescription(at, 'description', props.description);
    const archived = props.archive ?? true;
    if (!archived && props.archiveRetention) {
      throw new Error(`${at}: archiveRetention is given with archive: false, so nothing would be kept; drop archiveRetention, or drop archive: false.`);
    }
    if (props.archiveRetention) validateRetention(at, props.archiveRetention, 'archiveRetention');
    // Named first, so a bad nameBase is reported as the bus's name rather than its key's alias.
    const eventBusName = props.nameBase ? PhysicalName.of(scope, props.nameBase, { kind: NameKind.GENERIC }) : undefined;
    const base = props.nameBase ? `${props.nameBase}-bus` : stagePathBase(scope, id);
    // The key is a prop of the bus, so it is made first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: base });
    // Its own key, not the bus's: the bus sends events here exactly when the bus's key is disabled or closed to it.
    const deadLetterQueue = new FailureQueue(scope, `${id}DeadLetters`, {
      ...(props.nameBase ? { nameBase: `${props.nameBase}-bus-dlq` } : {}),
      description: `Dead-letter queue of the event bus ${[scope.node.path, id].filter(Boolean).join('/')} holds events the bus could not process, ` +
        'mostly because its KMS key is disabled, scheduled for deletion or no longer lets EventBridge use it: restore the key or its policy, then put the events on the bus again.',
      ...(props.monitoring ? { monitoring: props.monitoring } : {}),
    });
    super(scope, id, {
      ...(eventBusName ? { eventBusName } : {}),
      kmsKey: dataKey.key,
      deadLetterQueue,
      description: props.description ?? `Events of ${[scope.node.path, id].filter(Boolean).join('/')}`.slice(0, MAX_DESCRIPTION_LENGTH),
    });
    this.at = at;
    this.dataKey = dataKey;
    this.deadLetterQueue = deadLetterQueue;

    // Key policies name the bus by an ARN built from its name: a reference to the bus would be a cycle (bus -> key -> bus).
    this.busArnForKeys = Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: this.physicalName });
    deadLetterQueue.dataKey.allowService(KeyConsumer.EVENTS, { sourceArn: this.busArnForKeys });
    deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBusDeadLetters',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.eventBusArn } },
    }));

    if (archived) {
      this.eventArchive = this.archive('Archive', {
        // Every event put on this bus by this account, whatever its source.
        eventPattern: { account: [Stack.of(this).account] },
        ...(props.archiveRetention ? { retention: props.archiveRetention } : {}),
      });
    }
  }

  /** Its alarms: the dead-letter queue not empty; empty when monitoring is off. */
  public get alarms(): cloudwatch.Alarm[] {
    return this.deadLetterQueue.alarm ? [this.deadLetterQueue.alarm] : [];
  }

  /**
   * Adds an archive of the events matching `props.eventPattern`, encrypted with the bus's key unless `props.kmsKey`
   * names another, kept `props.retention` (whole days, at least 1), by default as long as the stage keeps the bus's own
   * archive (365 days in durable stages, 7 in ephemeral ones) rather than forever; retained with the stack in durable stages.
   */
  public archive(id: string, props: events.BaseArchiveProps): events.Archive {
    const at = `${this.at}: archive("${id}")`;
    if (props.retention) validateRetention(this.at, props.retention, `archive("${id}") retention`);
    validateDescription(at, 'description', props.description);
    const durable = FintechStage.settingsOf(this).durable;
    const retention = props.retention ?? (durable ? DURABLE_ARCHIVE_RETENTION : EPHEMERAL_ARCHIVE_RETENTION);
    const ownKey = !props.kmsKey || props.kmsKey === this.dataKey.key;
    const archive = new events.Archive(this, id, {
      ...props,
      sourceEventBus: this,
      retention,
      description: props.description ?? `Events of ${this.node.path}, kept ${retention.toHumanString()} for replay`.slice(0, MAX_DESCRIPTION_LENGTH),
      // Another key is opened by CDK's Archive; the bus's own key below.
      ...(ownKey ? { kmsKey: undefined } : {}),
    });
    // A durable stage keeps its events when the stack goes, like its key: a bus made again with the same name has the
    // same ARN, so the retained archive replays onto it. An ephemeral stage's archive goes with the stage.
    if (durable) archive.applyRemovalPolicy(RemovalPolicy.RETAIN);
    if (ownKey) {
      // CDK's Archive would open the key by a reference to the bus, the cycle above; the key is set here and opened by name.
      (archive.node.defaultChild as events.CfnArchive).kmsKeyIdentifier = this.dataKey.key.keyArn;
      this.openKeyToArchives();
    }
    return archive;
  }

  /**
   * A `SecureEventRule` on this bus: add targets with its methods (`addQueueTarget`, `addFunctionTarget`,
   * `addStateMachineTarget`, ...), each with retries and the rule's dead-letter queue.
   */
  public addRule(id: string, props: EventBusRuleProps): SecureEventRule {
    const at = `${this.at}: addRule("${id}")`;
    if (props.description === undefined) {
      throw new Error(`${at}: description is missing; say what the rule does and for whom, e.g. 'Trades from the booking system start the settlement workflow'.`);
    }
    validateDescription(at, 'description', props.description);
    if ((props as { schedule?: unknown }).schedule !== undefined) {
      throw new Error(`${at}: schedule is given, but EventBridge runs scheduled rules on the default bus only; use new SecureEventRule(scope, id, { schedule }) ` +
        'without eventBus, or EventBridge Scheduler.');
    }
    if (!props.eventPattern) {
      throw new Error(`${at}: eventPattern is missing; give the events of the bus the rule matches, e.g. { source: ['trading.booking'] }.`);
    }
    return new SecureEventRule(this, id, { ...props, eventBus: this });
  }

  private openKeyToArchives(): void {
    if (this.archiveKeyOpened) return;
    this.archiveKeyOpened = true;
    this.dataKey.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventsArchive',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:events:event-bus:arn': this.busArnForKeys } },
    }));
    // As the EventBridge guide's archive key policy has it: DescribeKey reads only the key's metadata, when an archive is created.
    this.dataKey.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventsDescribeKey',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    }));
  }
}

function validateDescription(at: string, option: string, description: string | undefined): void {
  if (description === undefined) return;
  if (description.trim().length === 0) {
    throw new Error(`${at}: ${option} is empty; say what it carries or does, or drop it for the default.`);
  }
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new Error(`${at}: ${option} is ${description.length} characters, more than the ${MAX_DESCRIPTION_LENGTH} EventBridge allows; shorten it.`);
  }
}

function validateRetention(at: string, retention: Duration, option: string): void {
  if (retention.isUnresolved()) return;
  const days = retention.toMilliseconds() / DAY_MILLIS;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${at}: ${option} ${retention.toHumanString()} is not what EventBridge allows; use whole days, at least Duration.days(1) ` +
      '(EventBridge counts retention in days, and 0 would keep events forever), or drop it for the stage default.');
  }
}
