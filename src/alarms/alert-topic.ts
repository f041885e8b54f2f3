import { Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IConstruct } from 'constructs';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { FintechStage } from '../stage/fintech-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

const ALERT_TOPIC_ID = 'FintechAlerts';

/**
 * Where a stack's alarms go: a KMS-encrypted, TLS-only topic whose key lets CloudWatch alarms and
 * EventBridge rules of this account publish (C05), with the project's `alarmEmail` subscribed (C08).
 * One per stack, found with `AlertTopic.of(this)`; the name carries the stack and the stage
 * (`<application>-<stack>-alerts-<stage>`), so the stacks of one stage never collide. It is an
 * `sns.Topic`, so it goes wherever an `ITopic` does (alarm actions, subscriptions, grants).
 */
export class AlertTopic extends sns.Topic {
  /**
   * The alert topic of the stack that contains `scope`, created on first use.
   */
  public static of(scope: IConstruct): AlertTopic {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ALERT_TOPIC_ID);
    return existing instanceof AlertTopic ? existing : new AlertTopic(stack, ALERT_TOPIC_ID);
  }

  /** The key of the topic. */
  public readonly dataKey: DataKey;
  /** The email subscribed, if the project set `alarmEmail`. */
  public readonly email?: string;

  private constructor(scope: Construct, id: string) {
    const stack = Stack.of(scope);
    // Named after its stack: every stack of a stage has its own topic, in the same account and region.
    const nameBase = `${stagePathBase(stack)}-alerts`;
    const dataKey = new DataKey(scope, `${id}Key`, { aliasBase: `${nameBase}-topic` });
    super(scope, id, {
      topicName: PhysicalName.of(scope, nameBase, { kind: NameKind.SNS_TOPIC }),
      masterKey: dataKey.key,
      enforceSSL: true,
    });
    this.dataKey = dataKey;
    this.email = FintechStage.settingsOf(this).alarmEmail;
    if (this.email) this.addSubscription(new subscriptions.EmailSubscription(this.email));
    // Patterns, not references to the alarms and rules: the key must never depend on what publishes through it.
    dataKey.allowService(KeyConsumer.CLOUDWATCH, { sourceArn: `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` });
    dataKey.allowService(KeyConsumer.EVENTS, { sourceArn: `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/*` });
  }
}
