import { ArnFormat, Duration, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { validateEventRetry } from './event-retry';
import { FailureQueue } from '../data/failure-queue';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { dataKeyOf } from '../encryption/key-of';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** What every `SecureEventRule` takes, on any bus: its name, retries, dead-letter queue and alarm. */
export interface EventRuleOptions {
  /**
   * Base of an explicit rule name, `<application>-<base>-<stage>`; the dead-letter queue becomes `<base>-dlq`.
   * With a name, the dead-letter and target keys allow exactly this rule; without, every rule of the bus in this account.
   *
   * @default - CloudFormation generates unique names
   */
  readonly nameBase?: string;

  /**
   * Whether the rule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Retries of a failed delivery to a target, 0 to 185, for every target added through this rule's methods.
   *
   * @default 10
   */
  readonly retryAttempts?: number;

  /**
   * Oldest event still delivered, 1 minute to 24 hours; older ones go to the dead-letter queue.
   *
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;

  /**
   * Key that encrypts the dead-letter queue the rule creates.
   *
   * @default - a new `DataKey` for the dead-letter queue
   */
  readonly dataKey?: DataKey;

  /**
   * A dead-letter queue shared with other rules, instead of one of its own: its key and policy are opened to this
   * rule, and its alarm is its owner's to create (one alarm for all the rules), so `dataKey` and `monitoring`,
   * which are about the rule's own queue, cannot be given with it.
   *
   * @default - the rule creates its own dead-letter queue with the first target
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The dead-letter queue's alarm (C09, C12): any undelivered event in it pages.
   *
   * @default - the alarm, routed to the stack's `AlertTopic`, created with the dead-letter queue
   */
  readonly monitoring?: EventRuleMonitoring;
}

/** Properties of a `SecureEventRule`. */
export interface SecureEventRuleProps extends EventRuleOptions {
  /**
   * The events the rule matches. Give this or `schedule`.
   *
   * @default - no pattern
   */
  readonly eventPattern?: events.EventPattern;

  /**
   * When the rule runs, for a scheduled rule. Give this or `eventPattern`.
   *
   * @default - no schedule
   */
  readonly schedule?: events.Schedule;

  /**
   * The bus whose events the rule matches.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * A description of the rule.
   *
   * @default - none
   */
  readonly description?: string;
}

/** What a `SecureEventRule` alarms on. */
export interface EventRuleMonitoring {
  /**
   * Create the alarm. Turn off only where another alarm watches the dead-letter queue.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/** Retry settings of one target, overriding the rule's. */
export interface EventTargetRetryOptions {
  /**
   * Retries of a failed delivery, 0 to 185.
   *
   * @default - the rule's `retryAttempts`
   */
  readonly retryAttempts?: number;

  /**
   * Oldest event still delivered, 1 minute to 24 hours.
   *
   * @default - the rule's `maxEventAge`
   */
  readonly maxEventAge?: Duration;
}

/** Options of `SecureEventRule.addFunctionTarget`. */
export interface FunctionTargetOptions extends EventTargetRetryOptions {
  /**
   * What the function receives.
   *
   * @default - the matched event
   */
  readonly event?: events.RuleTargetInput;
}

/** Options of `SecureEventRule.addQueueTarget`. */
export interface QueueTargetOptions extends EventTargetRetryOptions {
  /**
   * The message sent.
   *
   * @default - the matched event
   */
  readonly message?: events.RuleTargetInput;

  /**
   * Message group of a FIFO queue.
   *
   * @default - none (standard queue)
   */
  readonly messageGroupId?: string;
}

/** Options of `SecureEventRule.addTopicTarget`. */
export interface TopicTargetOptions extends EventTargetRetryOptions {
  /**
   * The message published.
   *
   * @default - the matched event
   */
  readonly message?: events.RuleTargetInput;
}

/** Options of `SecureEventRule.addEventBusTarget`. */
export interface EventBusTargetOptions extends EventTargetRetryOptions {
  /**
   * Role EventBridge puts events on the bus with; it is granted `events:PutEvents` on exactly that bus.
   *
   * @default - a new role
   */
  readonly role?: iam.IRole;
}

/** Options of `SecureEventRule.addStateMachineTarget`. */
export interface StateMachineTargetOptions extends EventTargetRetryOptions {
  /**
   * The execution input.
   *
   * @default - the matched event
   */
  readonly input?: events.RuleTargetInput;

  /**
   * Role EventBridge starts executions with.
   *
   * @default - a new role allowed to start this state machine
   */
  readonly role?: iam.IRole;
}

// EventBridge backs off exponentially with jitter; 10 retries ride out a target's throttling or short outage.
const DEFAULT_RETRY_ATTEMPTS = 10;
// An event an hour old is an incident: it waits in the dead-letter queue for redrive instead of arriving late, unseen.
const DEFAULT_MAX_EVENT_AGE = Duration.hours(1);
const DEFAULTS = { retryAttempts: DEFAULT_RETRY_ATTEMPTS, maxEventAge: DEFAULT_MAX_EVENT_AGE };

/**
 * An EventBridge rule whose targets, added with `addFunctionTarget`, `addQueueTarget`, `addTopicTarget`,
 * `addEventBusTarget`, `addStateMachineTarget` or `addLogGroupTarget`, always get a retry policy and a dead-letter queue (C12): one
 * KMS-encrypted, TLS-only queue per rule, created with the first target, whose key and queue
 * policies let only EventBridge deliver, for this rule (C05), and whose alarm pages the stack's
 * `AlertTopic` as soon as an event lands in it (C08, C09) (a `FailureQueue`), or a queue shared by several
 * rules (`deadLetterQueue`). The key of an encrypted queue or topic target is opened to EventBridge the same way.
 *
 * `addTarget` (inherited) adds a target exactly as given, with no dead-letter queue or retry policy
 * unless its props carry them: use it only for target types these methods do not cover, and pass
 * `deadLetterQueue: rule.ensureDeadLetterQueue()` with `retryAttempts` and `maxEventAge` yourself.
 */
export class SecureEventRule extends events.Rule {
  private readonly retryAttempts: number;
  private readonly maxEventAge: Duration;
  private readonly nameBase?: string;
  private readonly givenKey?: DataKey;
  private readonly bus?: events.IEventBus;
  private readonly ruleNameForArn?: string;
  private readonly monitoring: EventRuleMonitoring;
  private readonly sharedDlq?: sqs.IQueue;
  private dlq?: sqs.IQueue;
  private dlqAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: SecureEventRuleProps = {}) {
    const at = `SecureEventRule at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    validateEventRetry(at, '', props, DEFAULTS);
    if (props.deadLetterQueue && (props.dataKey || props.monitoring)) {
      throw new Error(`${at}: deadLetterQueue is given together with ${props.dataKey ? 'dataKey' : 'monitoring'}, which only apply to a dead-letter queue ` +
        'the rule creates; drop it (the shared queue keeps its own key, and its owner alarms on it), or drop deadLetterQueue.');
    }
    const ruleName = props.nameBase ? PhysicalName.of(scope, props.nameBase, { kind: NameKind.GENERIC }) : undefined;
    super(scope, id, {
      ...(ruleName ? { ruleName } : {}),
      ...(props.eventPattern ? { eventPattern: props.eventPattern } : {}),
      ...(props.schedule ? { schedule: props.schedule } : {}),
      ...(props.eventBus ? { eventBus: props.eventBus } : {}),
      ...(props.description ? { description: props.description } : {}),
      enabled: props.enabled ?? true,
    });
    this.retryAttempts = props.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS;
    this.maxEventAge = props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE;
    this.nameBase = props.nameBase;
    this.givenKey = props.dataKey;
    this.bus = props.eventBus;
    this.ruleNameForArn = ruleName;
    this.monitoring = props.monitoring ?? {};
    this.sharedDlq = props.deadLetterQueue;
  }

  /** Its alarms: its own dead-letter queue not empty, once that queue exists; empty when monitoring is off or the queue is shared. */
  public get alarms(): cloudwatch.Alarm[] {
    return this.dlqAlarm ? [this.dlqAlarm] : [];
  }

  /** The rule's dead-letter queue, once a target has been added through this rule's methods. */
  public get deadLetterQueue(): sqs.IQueue | undefined {
    return this.dlq;
  }

  /**
   * The rule's dead-letter queue, created on first use: for targets added with the inherited
   * `addTarget`, whose props take a `deadLetterQueue`.
   */
  public ensureDeadLetterQueue(): sqs.IQueue {
    return this.sharedDeadLetterQueue();
  }

  /** Invokes `fn` for each matched event, with retries and the rule's dead-letter queue. */
  public addFunctionTarget(fn: lambda.IFunction, options: FunctionTargetOptions = {}): void {
    this.addTarget(new targets.LambdaFunction(fn, {
      ...this.retryOf('addFunctionTarget', options),
      deadLetterQueue: this.sharedDeadLetterQueue(),
      ...(options.event ? { event: options.event } : {}),
    }));
  }

  /**
   * Sends each matched event to `queue`, with retries and the rule's dead-letter queue. The
   * queue's policy and key let EventBridge deliver for this rule only (C05).
   */
  public addQueueTarget(queue: sqs.IQueue, options: QueueTargetOptions = {}): void {
    const retry = this.retryOf('addQueueTarget', options);
    const dlq = this.sharedDeadLetterQueue();
    this.openKeyOf(queue, 'addQueueTarget');
    this.allowDelivery(queue);
    // CDK's SqsQueue target would also open the queue's key to every rule of the account; this target grants only the above.
    this.addTarget({
      bind: () => ({
        arn: queue.queueArn,
        targetResource: queue,
        deadLetterConfig: { arn: dlq.queueArn },
        retryPolicy: { maximumRetryAttempts: retry.retryAttempts, maximumEventAgeInSeconds: retry.maxEventAge.toSeconds() },
        ...(options.message ? { input: options.message } : {}),
        ...(options.messageGroupId ? { sqsParameters: { messageGroupId: options.messageGroupId } } : {}),
      }),
    });
  }

  /**
   * Publishes each matched event to `topic`, with retries and the rule's dead-letter queue. The topic's key lets
   * EventBridge encrypt for this rule (C05); CDK's SNS target adds the topic policy that lets EventBridge publish.
   */
  public addTopicTarget(topic: sns.ITopic, options: TopicTargetOptions = {}): void {
    const retry = this.retryOf('addTopicTarget', options);
    this.openKeyOf(topic, 'addTopicTarget');
    this.addTarget(new targets.SnsTopic(topic, {
      ...retry,
      deadLetterQueue: this.sharedDeadLetterQueue(),
      ...(options.message ? { message: options.message } : {}),
    }));
  }

  /**
   * Puts each matched event on `bus` (another account's, for central monitoring), with retries and the rule's
   * dead-letter queue. The bus's own policy must let this account put events.
   */
  public addEventBusTarget(bus: events.IEventBus, options: EventBusTargetOptions = {}): void {
    const { retryAttempts, maxEventAge } = this.retryOf('addEventBusTarget', options);
    const target = new targets.EventBus(bus, { deadLetterQueue: this.sharedDeadLetterQueue(), ...(options.role ? { role: options.role } : {}) });
    // aws-events-targets' EventBus target takes no retry policy, though EventBridge accepts one on any target.
    this.addTarget({
      bind: (rule, id) => ({
        ...target.bind(rule, id),
        retryPolicy: { maximumRetryAttempts: retryAttempts, maximumEventAgeInSeconds: maxEventAge.toSeconds() },
      }),
    });
  }

  /** Starts an execution of `stateMachine` for each matched event, with retries and the rule's dead-letter queue. */
  public addStateMachineTarget(stateMachine: sfn.IStateMachine, options: StateMachineTargetOptions = {}): void {
    this.addTarget(new targets.SfnStateMachine(stateMachine, {
      ...this.retryOf('addStateMachineTarget', options),
      deadLetterQueue: this.sharedDeadLetterQueue(),
      ...(options.input ? { input: options.input } : {}),
      ...(options.role ? { role: options.role } : {}),
    }));
  }

  /**
   * Writes each matched event into `logGroup` as JSON, with retries and the rule's dead-letter queue. The log group's
   * resource policy (a CloudFormation `AWS::Logs::ResourcePolicy`) lets EventBridge write to that log group only;
   * aws-events-targets' `CloudWatchLogGroup` would write it through a custom resource whose role has
   * `logs:PutResourcePolicy` and `logs:DeleteResourcePolicy` on every resource.
   */
  public addLogGroupTarget(logGroup: logs.ILogGroup, options: EventTargetRetryOptions = {}): void {
    const { retryAttempts, maxEventAge } = this.retryOf('addLogGroupTarget', options);
    logGroup.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));
    const deadLetterQueue = this.sharedDeadLetterQueue();
    const stack = Stack.of(logGroup);
    this.addTarget({
      bind: () => ({
        // EventBridge names a log group target by its ARN without the `:*` suffix of logGroupArn.
        arn: stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: logGroup.logGroupName }),
        retryPolicy: { maximumRetryAttempts: retryAttempts, maximumEventAgeInSeconds: maxEventAge.toSeconds() },
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
        targetResource: logGroup,
      }),
    });
  }

  private retryOf(method: string, options: EventTargetRetryOptions): { retryAttempts: number; maxEventAge: Duration } {
    validateEventRetry(`SecureEventRule at ${this.node.path}`, `${method}: `, options, DEFAULTS);
    return { retryAttempts: options.retryAttempts ?? this.retryAttempts, maxEventAge: options.maxEventAge ?? this.maxEventAge };
  }

  private sharedDeadLetterQueue(): sqs.IQueue {
    if (this.dlq) return this.dlq;
    if (this.sharedDlq) {
      this.openKeyOf(this.sharedDlq, 'deadLetterQueue');
      this.allowDelivery(this.sharedDlq);
      this.dlq = this.sharedDlq;
      return this.dlq;
    }
    const key = this.givenKey ?? new DataKey(this, 'DeadLettersKey', { aliasBase: this.nameBase ? `${this.nameBase}-rule-dlq` : stagePathBase(this, 'DeadLetters') });
    key.allowService(KeyConsumer.EVENTS, { sourceArn: this.sourceArnForKeys() });
    const dlq = new FailureQueue(this, 'DeadLetters', {
      dataKey: key,
      ...(this.nameBase ? { nameBase: `${this.nameBase}-dlq` } : {}),
      description: `Dead-letter queue of ${this.node.path} holds events EventBridge could not deliver to a target after its retries, or that grew too old. ` +
        'Each message\'s attributes name the target and the error (TARGET_ARN, ERROR_CODE, ERROR_MESSAGE): fix the target, then send the events again.',
      monitoring: this.monitoring,
    });
    this.dlq = dlq;
    this.dlqAlarm = dlq.alarm;
    this.allowDelivery(dlq);
    return this.dlq;
  }

  /**
   * Opens the key of an encrypted target or dead-letter queue to EventBridge for this rule (C05): a library
   * construct's `DataKey` narrowly; any other customer key must be opened by its owner, so synth stops and says how.
   */
  private openKeyOf(resource: sqs.IQueue | sns.ITopic, option: string): void {
    const dataKey = dataKeyOf(resource);
    if (dataKey) {
      dataKey.allowService(KeyConsumer.EVENTS, { sourceArn: this.sourceArnForKeys() });
      return;
    }
    const key: kms.IKey | undefined = 'encryptionMasterKey' in resource ? resource.encryptionMasterKey : (resource as { masterKey?: kms.IKey }).masterKey;
    if (!key) return;
    const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account }, ArnLike: { 'aws:SourceArn': this.sourceArnForKeys() } },
    }));
    if (!statementAdded) {
      throw new Error(`SecureEventRule at ${this.node.path}: ${option} is encrypted with a key defined outside this app, whose policy this rule cannot change, ` +
        `so EventBridge could not deliver (C05). Let events.amazonaws.com use kms:Decrypt and kms:GenerateDataKey* on ${key.node.path} for ${this.sourceArnForKeys()} in its own stack, ` +
        'or use a queue or topic encrypted with a key of this app.');
    }
  }

  // Same Sid as CDK's own targets use for their dead-letter queues, so the statement is written once per queue.
  private allowDelivery(queue: sqs.IQueue): void {
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowEventRule${Names.nodeUniqueId(this.node)}`,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.ruleArn } },
    }));
  }

  /**
   * The rule's ARN for key policies. A key policy cannot reference the rule itself (the rule
   * references the queue, the queue its key: a cycle), so it is built from the name when there is
   * one, and otherwise covers the rules of the bus in this account.
   */
  private sourceArnForKeys(): string {
    const stack = Stack.of(this);
    const bus = this.bus && !isDefaultBus(this.bus) ? `${this.bus.eventBusName}/` : '';
    return `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/${bus}${this.ruleNameForArn ?? '*'}`;
  }
}

function isDefaultBus(bus: events.IEventBus): boolean {
  return !Token.isUnresolved(bus.eventBusName) && bus.eventBusName === 'default';
}
