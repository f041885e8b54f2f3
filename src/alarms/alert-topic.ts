import { Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { KeyConsumer } from '../data/data-key';
import { SecureTopic } from '../data/secure-topic';
import { FintechStage } from '../stage/fintech-stage';
import { stagePathBase } from '../stage/stage-path-base';

const ALERT_TOPIC_ID = 'FintechAlerts';

/**
 * Where a stack's alarms go: a KMS-encrypted, TLS-only topic whose key lets CloudWatch alarms and
 * EventBridge rules of this account publish (C05), with the project's `alarmEmail` subscribed (C08).
 * One per stack, found with `AlertTopic.of(this)`; the name carries the stack and the stage
 * (`<application>-<stack>-alerts-<stage>`), so the stacks of one stage never collide.
 */
export class AlertTopic extends Construct {
  /**
   * The alert topic of the stack that contains `scope`, created on first use.
   */
  public static of(scope: IConstruct): AlertTopic {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ALERT_TOPIC_ID);
    return existing instanceof AlertTopic ? existing : new AlertTopic(stack, ALERT_TOPIC_ID);
  }

  /** The encrypted topic alarms publish to. */
  public readonly secureTopic: SecureTopic;
  /** The email subscribed, if the project set `alarmEmail`. */
  public readonly email?: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const stage = FintechStage.of(this);
    this.email = stage.alarmEmail;
    // Named after its stack: every stack of a stage has its own topic, in the same account and region.
    const nameBase = `${stagePathBase(Stack.of(this))}-alerts`;
    this.secureTopic = new SecureTopic(this, 'Topic', { nameBase, ...(this.email ? { email: this.email } : {}) });
    const account = Stack.of(this).account;
    const partition = Stack.of(this).partition;
    const region = Stack.of(this).region;
    this.secureTopic.allowPublisher(KeyConsumer.CLOUDWATCH, `arn:${partition}:cloudwatch:${region}:${account}:alarm:*`);
    this.secureTopic.allowPublisher(KeyConsumer.EVENTS, `arn:${partition}:events:${region}:${account}:rule/*`);
  }
}
