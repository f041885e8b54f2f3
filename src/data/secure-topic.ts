import { Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FailureQueue } from './failure-queue';
import { SecureQueue } from './secure-queue';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `SecureTopic`. */
export interface SecureTopicProps {
  /**
   * Key that encrypts the topic. One key may encrypt a topic and the queues subscribed to it: the key policy names the
   * topic by an ARN built from its name, never by a reference to the topic, so no dependency cycle arises.
   *
   * @default - a new `DataKey` for this topic, created next to it as `<id>Key`
   */
  readonly dataKey?: DataKey;

  /**
   * Base of an explicit topic name, `<application>-<base>-<stage>`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly nameBase?: string;

  /**
   * Email address subscribed to the topic (confirmed by the recipient).
   *
   * @default - no subscription
   */
  readonly email?: string;
}

/**
 * An SNS topic encrypted with a customer key and TLS-only (C04). It is an `sns.Topic`, so it goes wherever an
 * `ITopic` does (alarm actions, grants, subscriptions). `subscribeQueue` wires an encrypted queue and opens the
 * queue's key to SNS, so messages actually arrive (C05).
 */
export class SecureTopic extends sns.Topic {
  /** The key of the topic. */
  public readonly dataKey: DataKey;

  /** The topic's name when it is known at synth (`nameBase` given), for key policies that must not refer to the topic. */
  private readonly literalName?: string;

  constructor(scope: Construct, id: string, props: SecureTopicProps = {}) {
    const at = `SecureTopic at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    if (props.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email)) {
      throw new Error(`${at}: email "${props.email}" is not an email address; use e.g. 'oncall@example.com' or omit email.`);
    }
    // The key is a prop of the topic, so it is made first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: props.nameBase ? `${props.nameBase}-topic` : `${stagePathBase(scope, id)}-topic` });
    const topicName = props.nameBase ? PhysicalName.of(scope, props.nameBase, { kind: NameKind.SNS_TOPIC }) : undefined;
    super(scope, id, {
      ...(topicName ? { topicName } : {}),
      masterKey: dataKey.key,
      enforceSSL: true,
    });
    this.dataKey = dataKey;
    this.literalName = topicName;
    if (props.email) {
      this.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }

  /**
   * Delivers every message to an encrypted queue (raw message delivery unless `options` says otherwise), with the
   * queue policy and key grant SNS needs (C05). The grant names this topic by an ARN built from its name (or this
   * account's topics when CloudFormation names it), so a key shared by topic and queue makes no dependency cycle.
   *
   * A message the queue rejects (queue or key policy changed, key disabled) lands in a dead-letter queue instead of
   * being discarded (C12): `options.deadLetterQueue`, or else a `FailureQueue` created next to the queue as
   * `<queue id><topic id>DeadLetterQueue`, alarmed on its first message. The key of either is opened to SNS.
   */
  public subscribeQueue(queue: sqs.IQueue, options: subscriptions.SqsSubscriptionProps = {}): sns.Subscription {
    const snsPrincipal = new iam.ServicePrincipal('sns.amazonaws.com');
    const deadLetterQueue = options.deadLetterQueue ?? new FailureQueue(queue.node.scope ?? queue.stack, `${queue.node.id}${this.node.id}DeadLetterQueue`, {
      description: `Messages of topic ${this.node.path} that queue ${queue.node.path} rejected (queue or key policy, disabled key): fix the cause, then send them again`,
    });
    this.allowProducerOn(deadLetterQueue);
    const { policyDependable } = queue.addToResourcePolicy(new iam.PolicyStatement({
      principals: [snsPrincipal],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.topicArn } },
    }));
    this.allowProducerOn(queue);
    const subscription = new sns.Subscription(queue, Names.nodeUniqueId(this.node), {
      topic: this,
      endpoint: queue.queueArn,
      protocol: sns.SubscriptionProtocol.SQS,
      rawMessageDelivery: options.rawMessageDelivery ?? true,
      ...(options.filterPolicy ? { filterPolicy: options.filterPolicy } : {}),
      ...(options.filterPolicyWithMessageBody ? { filterPolicyWithMessageBody: options.filterPolicyWithMessageBody } : {}),
      deadLetterQueue,
    });
    if (policyDependable) subscription.node.addDependency(policyDependable);
    return subscription;
  }

  // Opens the key of a queue SNS delivers to (a subscribed queue or its dead-letter queue) to this topic only.
  private allowProducerOn(queue: sqs.IQueue): void {
    if (queue instanceof SecureQueue || queue instanceof FailureQueue) {
      queue.dataKey.allowService(KeyConsumer.SNS, { sourceArn: this.arnForKeyPolicies() });
    } else if (queue.encryptionMasterKey) {
      queue.encryptionMasterKey.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account }, ArnLike: { 'aws:SourceArn': this.arnForKeyPolicies() } },
      }));
    }
  }

  /**
   * Lets a service such as CloudWatch or EventBridge publish to this topic through its key (C05). Pass `sourceArn` as a
   * name-built ARN or pattern, not a reference to a resource that publishes to this topic, which makes a dependency cycle
   * (see `AllowServiceOptions.sourceArn`).
   */
  public allowPublisher(consumer: KeyConsumer, sourceArn?: string): void {
    this.dataKey.allowService(consumer, sourceArn ? { sourceArn } : {});
  }

  private arnForKeyPolicies(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:sns:${stack.region}:${stack.account}:${this.literalName ?? '*'}`;
  }
}
