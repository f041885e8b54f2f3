import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from './data-key';
import { SecureQueue } from './secure-queue';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `SecureTopic`. */
export interface SecureTopicProps {
  /**
   * Key that encrypts the topic.
   *
   * @default - a new `DataKey` for this topic
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
 * An SNS topic encrypted with a customer key and TLS-only (C04). `subscribeQueue` wires an
 * encrypted `SecureQueue` and grants SNS on the queue's key, so messages actually arrive (C05).
 */
export class SecureTopic extends Construct {
  /** The topic. */
  public readonly topic: sns.Topic;
  /** The key of the topic. */
  public readonly dataKey: DataKey;

  constructor(scope: Construct, id: string, props: SecureTopicProps = {}) {
    super(scope, id);
    if (props.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email)) {
      throw new Error(`SecureTopic at ${this.node.path}: email "${props.email}" is not an email address; use e.g. 'oncall@example.com' or omit email.`);
    }
    this.dataKey = props.dataKey ?? new DataKey(this, 'Key', { aliasBase: props.nameBase ? `${props.nameBase}-topic` : `${stagePathBase(this)}-topic` });
    this.topic = new sns.Topic(this, 'Topic', {
      ...(props.nameBase ? { topicName: PhysicalName.of(this, props.nameBase, { kind: NameKind.SNS_TOPIC }) } : {}),
      masterKey: this.dataKey.key,
      enforceSSL: true,
    });
    if (props.email) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }

  /** Delivers every message to an encrypted queue, with the key grant SNS needs (C05). */
  public subscribeQueue(queue: SecureQueue): void {
    queue.allowProducer(KeyConsumer.SNS, this.topic.topicArn);
    this.topic.addSubscription(new subscriptions.SqsSubscription(queue.queue, { rawMessageDelivery: true }));
  }

  /** Lets a service such as CloudWatch or EventBridge publish to this topic through its key (C05). */
  public allowPublisher(consumer: KeyConsumer, sourceArn?: string): void {
    this.dataKey.allowService(consumer, sourceArn ? { sourceArn } : {});
  }
}
