import { StackReferences } from './stack-references';
import { followedResource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const METRIC_ALARM = 'AWS::CloudWatch::Alarm';
// Alarms that only trigger scaling policies: Application Auto Scaling (ECS, DynamoDB, Lambda) and EC2 Auto Scaling.
const SCALING_POLICIES = ['AWS::ApplicationAutoScaling::ScalingPolicy', 'AWS::AutoScaling::ScalingPolicy'];
const SCALING_POLICY_ARN = /^arn:[^:]+:autoscaling:[^:]*:[^:]*:scalingPolicy:/;
const SCALING_TRIGGERS_NOT_JUDGED = 'Not judged: scaling triggers, alarms whose every action is an auto scaling policy (step scaling alarms), which drive capacity and page nobody.';
const COMPOSITE_ALARM = 'AWS::CloudWatch::CompositeAlarm';
const TOPIC = 'AWS::SNS::Topic';
// Resources that subscribe to topics themselves, and the property listing those topics.
const SUBSCRIBERS: { readonly [type: string]: string } = {
  'AWS::SNS::Subscription': 'TopicArn',
  'AWS::Chatbot::SlackChannelConfiguration': 'SnsTopicArns',
  'AWS::Chatbot::MicrosoftTeamsChannelConfiguration': 'SnsTopicArns',
};

/** Which topics of the app someone receives messages from. */
interface SubscriptionIndex {
  readonly subscribed: ReadonlySet<TemplateResource>;
  /** Topics with a literal TopicName, for alarm actions and subscriptions that use a literal ARN. */
  readonly topicsByName: ReadonlyMap<string, readonly TemplateResource[]>;
  /** Some subscription names its topic by a value that cannot be resolved: any topic may be subscribed. */
  readonly unknownSubscriptions: boolean;
}

/**
 * C08, alarm hygiene: every alarm says what it means (AlarmDescription), decides what missing data means
 * (TreatMissingData) and how many datapoints make an alarm (DatapointsToAlarm, only where EvaluationPeriods is above 1),
 * and tells someone: it has actions (unless a composite alarm names it in its rule), and they do not all go to topics
 * nobody subscribes to. Composite alarms have no metric, so only their description and actions are judged. Subscriptions are looked up across every template of the app
 * (imports resolved through exports), since alert topics and their subscribers often live in another stack.
 * Must not judge scaling triggers: alarms whose every action is an auto scaling policy (the step scaling alarms of
 * `scaleOnMetric` and aws-ecs-patterns' queue workers) drive capacity and page nobody.
 */
export class AlarmHygiene implements FintechRule {
  /** Alarm without a description. */
  public static readonly WITHOUT_DESCRIPTION: RuleInfo = {
    id: 'Fintech-C08-AlarmWithoutDescription',
    catalogId: 'C08',
    title: 'Every alarm has a description',
    description: 'The description is what the on-call engineer reads in the page: without it they learn neither what broke, how bad it is, nor where the runbook is. ' +
      SCALING_TRIGGERS_NOT_JUDGED,
    fix: 'Set alarmDescription on the cloudwatch.Alarm (ErrorRateAlarm requires one).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metric alarm without a missing-data policy. */
  public static readonly WITHOUT_MISSING_DATA_POLICY: RuleInfo = {
    id: 'Fintech-C08-AlarmWithoutMissingDataPolicy',
    catalogId: 'C08',
    title: 'Every metric alarm decides what missing data means',
    description: 'Without TreatMissingData CloudWatch uses "missing": an alarm on a sparse metric (errors, no traffic at night) or on a producer that stopped reporting sits in INSUFFICIENT_DATA or keeps a stale state instead of the one someone chose. ' +
      SCALING_TRIGGERS_NOT_JUDGED,
    fix: 'Set treatMissingData on the cloudwatch.Alarm, e.g. TreatMissingData.NOT_BREACHING for error rates (ErrorRateAlarm does).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metric alarm without datapoints-to-alarm. */
  public static readonly WITHOUT_DATAPOINTS_TO_ALARM: RuleInfo = {
    id: 'Fintech-C08-AlarmWithoutDatapointsToAlarm',
    catalogId: 'C08',
    title: 'Every metric alarm says how many datapoints make an alarm',
    description: 'Without DatapointsToAlarm every one of EvaluationPeriods must breach, so a single good datapoint hides a sustained failure: "M out of N" is a decision to write down. ' +
      'Judged only on metric alarms with more than one evaluation period (with one, one breaching datapoint is the alarm and there is nothing to choose); not on composite alarms. ' +
      SCALING_TRIGGERS_NOT_JUDGED,
    fix: 'Set datapointsToAlarm (and evaluationPeriods) on the cloudwatch.Alarm (ErrorRateAlarm does).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Alarm that notifies nobody. */
  public static readonly WITHOUT_ACTIONS: RuleInfo = {
    id: 'Fintech-C08-AlarmWithoutActions',
    catalogId: 'C08',
    title: 'Every alarm has an alarm action',
    description: 'An alarm without actions (or with ActionsEnabled false) changes state in the console and tells nobody. ' +
      'Judged on metric and composite alarms. ' +
      'Not judged: members of a composite alarm (named in any composite\'s AlarmRule, in any stack of the app), for which the composite notifies; ' +
      'a composite\'s ActionsSuppressor, an alarm that marks when the composite must not notify (a maintenance window) and tells nobody on purpose.',
    fix: 'Add an action, e.g. alarm.addAlarmAction(new SnsAction(AlertTopic.of(this))) (ErrorRateAlarm routes to the AlertTopic).',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  /** Alarm whose actions reach only topics without subscribers. */
  public static readonly TO_UNSUBSCRIBED_TOPIC: RuleInfo = {
    id: 'Fintech-C08-AlarmToUnsubscribedTopic',
    catalogId: 'C08',
    title: 'Alarms notify a topic somebody subscribes to',
    description: 'An alarm whose actions all publish to SNS topics without any subscription pages nobody: the alarm fires, the message ' +
      'is dropped, and the outage is found by customers. ' +
      'Judged on the AlarmActions of metric and composite alarms; an SNS subscription, a topic\'s inline Subscription or a Chatbot Slack or ' +
      'Teams channel in any stack of the app counts (subscriptions made outside CloudFormation cannot be seen). ' +
      'Not judged: alarms with ActionsEnabled false (Fintech-C08-AlarmWithoutActions), alarms with an action that is not a ' +
      'topic of the app (another service, a topic outside the app, an unresolvable value), and every alarm while some ' +
      'subscription names its topic by a value synth cannot resolve.',
    fix: 'Route alarms to the AlertTopic with the project alarmEmail set, or add a subscription (topic.addSubscription(...)) to the topic.',
    defaultSeverity: RuleSeverity.ERROR,
    // Subscriptions made outside CloudFormation (an incident tool, another account) are invisible here.
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'AlarmHygiene';
  public readonly infos = [
    AlarmHygiene.WITHOUT_DESCRIPTION,
    AlarmHygiene.WITHOUT_MISSING_DATA_POLICY,
    AlarmHygiene.WITHOUT_DATAPOINTS_TO_ALARM,
    AlarmHygiene.WITHOUT_ACTIONS,
    AlarmHygiene.TO_UNSUBSCRIBED_TOPIC,
  ];
  public readonly resourceTypes = [METRIC_ALARM, COMPOSITE_ALARM];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || isScalingTrigger(resource)) return [];
    const findings: RuleFinding[] = [];
    const what = `${resource.type} ${resource.logicalId}`;
    const description = properties.AlarmDescription;
    if (description === undefined || (typeof description === 'string' && description.trim() === '')) {
      findings.push(findingOn(resource, AlarmHygiene.WITHOUT_DESCRIPTION.id,
        `${what} has no AlarmDescription: whoever it pages learns neither what broke nor what to do.`, ['Properties/AlarmDescription']));
    }
    if (resource.type === METRIC_ALARM && properties.TreatMissingData === undefined) {
      findings.push(findingOn(resource, AlarmHygiene.WITHOUT_MISSING_DATA_POLICY.id,
        `${what} has no TreatMissingData: when its metric stops reporting it goes to INSUFFICIENT_DATA instead of a state someone chose.`, ['Properties/TreatMissingData']));
    }
    // With one evaluation period one breaching datapoint is the alarm: there is no M out of N to choose.
    if (resource.type === METRIC_ALARM && properties.DatapointsToAlarm === undefined && periodsAboveOne(properties.EvaluationPeriods)) {
      findings.push(findingOn(resource, AlarmHygiene.WITHOUT_DATAPOINTS_TO_ALARM.id,
        `${what} has no DatapointsToAlarm, so every one of its EvaluationPeriods must breach: choose M out of N explicitly.`, ['Properties/DatapointsToAlarm']));
    }
    return findings;
  }

  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const references = StackReferences.of(stacks);
    const findings = withoutActions(stacks, references);
    const index = indexSubscriptions(stacks, references);
    if (index.unknownSubscriptions) return findings;
    for (const stack of stacks) {
      for (const alarm of [...stack.resourcesOfType(METRIC_ALARM), ...stack.resourcesOfType(COMPOSITE_ALARM)]) {
        const actions = alarm.properties?.AlarmActions;
        if (!Array.isArray(actions) || actions.length === 0 || TemplateValue.booleanOf(alarm.properties?.ActionsEnabled) === false) continue;
        const topics = actions.map(action => topicOf(stack, action, references, index));
        // Any action that is not one of the app's topics (another service, an unknown value) may reach someone.
        if (topics.some(topic => topic === undefined || index.subscribed.has(topic))) continue;
        const names = [...new Set(topics.map(topic => `${topic!.type} ${topic!.logicalId}${topic!.stack === stack ? '' : ` (in ${topic!.stack.path})`}`))];
        findings.push(findingOn(alarm, AlarmHygiene.TO_UNSUBSCRIBED_TOPIC.id,
          `${alarm.type} ${alarm.logicalId} sends its alarm actions only to ${names.join(', ')}, which nobody subscribes to (no AWS::SNS::Subscription, no inline Subscription): its pages are dropped.`,
          ['Properties/AlarmActions']));
      }
    }
    return findings;
  }
}

/** Whether EvaluationPeriods is a literal above 1 (an intrinsic is unknown). */
function periodsAboveOne(value: unknown): boolean {
  const periods = TemplateValue.integerOf(value);
  return periods !== undefined && periods > 1;
}

/**
 * Alarms that tell nobody: ActionsEnabled false, or no AlarmActions, unless the alarm is a member of a composite alarm
 * (which notifies for it). When some composite's rule cannot be read, any alarm may be a member: nothing is reported.
 */
function withoutActions(stacks: readonly StackTemplate[], references: StackReferences): RuleFinding[] {
  const members = compositeMembers(stacks, references);
  if (members === undefined) return [];
  const findings: RuleFinding[] = [];
  for (const stack of stacks) {
    for (const alarm of [...stack.resourcesOfType(METRIC_ALARM), ...stack.resourcesOfType(COMPOSITE_ALARM)]) {
      const properties = alarm.properties;
      if (!properties || members.has(alarm)) continue;
      const what = `${alarm.type} ${alarm.logicalId}`;
      if (TemplateValue.booleanOf(properties.ActionsEnabled) === false) {
        findings.push(findingOn(alarm, AlarmHygiene.WITHOUT_ACTIONS.id,
          `${what} has ActionsEnabled false and is no member of a composite alarm: its actions never run, so nobody is told when it fires.`, ['Properties/ActionsEnabled']));
      } else if (properties.AlarmActions === undefined || (Array.isArray(properties.AlarmActions) && properties.AlarmActions.length === 0)) {
        findings.push(findingOn(alarm, AlarmHygiene.WITHOUT_ACTIONS.id,
          `${what} has no AlarmActions and is no member of a composite alarm: it changes state and nobody is told.`, ['Properties/AlarmActions']));
      }
    }
  }
  return findings;
}

/**
 * The alarms some composite alarm's AlarmRule names: by `Fn::GetAtt`/`Ref` in an `Fn::Join` (imports and nested
 * stacks followed), or by a literal name or ARN; and the alarms composites name as their ActionsSuppressor. Undefined
 * when a rule or suppressor cannot be read (any alarm may be one of them).
 */
function compositeMembers(stacks: readonly StackTemplate[], references: StackReferences): Set<TemplateResource> | undefined {
  const members = new Set<TemplateResource>();
  const named = stacks.flatMap(stack => [...stack.resourcesOfType(METRIC_ALARM), ...stack.resourcesOfType(COMPOSITE_ALARM)])
    .filter(alarm => typeof alarm.properties?.AlarmName === 'string');
  for (const stack of stacks) {
    for (const composite of stack.resourcesOfType(COMPOSITE_ALARM)) {
      const suppressor = composite.properties?.ActionsSuppressor;
      if (suppressor !== undefined) {
        // An alarm of the templates, or a literal name or ARN (`...:alarm:<name>`) that one of them may carry.
        const reference = references.resolve(stack, suppressor);
        if (reference.kind === 'resource') {members.add(reference.resource);} else if (reference.kind !== 'literal') {return undefined;} else {
          const value = String(reference.value);
          const name = value.includes(':alarm:') ? value.slice(value.lastIndexOf(':alarm:') + ':alarm:'.length) : value;
          named.filter(alarm => alarm.properties!.AlarmName === name).forEach(alarm => members.add(alarm));
        }
      }
      const rule = composite.properties?.AlarmRule;
      const join = TemplateValue.isObject(rule) ? rule['Fn::Join'] : undefined;
      const pieces = typeof rule === 'string' ? [rule]
        : Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1]) ? join[1] as unknown[] : undefined;
      if (pieces === undefined) return undefined;
      let text = '';
      for (const piece of pieces) {
        if (typeof piece === 'string') {
          text += piece;
          continue;
        }
        const reference = references.resolve(stack, piece);
        if (reference.kind === 'resource') members.add(reference.resource);
        else if (reference.kind === 'literal') text += reference.value;
        // A pseudo parameter (region, account) inside a literal ARN stands for some text; any other unknown piece may name any alarm.
        else if (String(TemplateValue.refTarget(piece) ?? '').startsWith('AWS::')) text += '\u0000';
        else return undefined;
      }
      for (const alarm of named) {
        const name = alarm.properties!.AlarmName as string;
        if ([`alarm:${name}"`, `alarm:${name})`, `("${name}")`, `(${name})`].some(form => text.includes(form))) members.add(alarm);
      }
    }
  }
  return members;
}

function indexSubscriptions(stacks: readonly StackTemplate[], references: StackReferences): SubscriptionIndex {
  const subscribed = new Set<TemplateResource>();
  const topicsByName = new Map<string, TemplateResource[]>();
  for (const stack of stacks) {
    for (const topic of stack.resourcesOfType(TOPIC)) {
      const name = topic.properties?.TopicName;
      if (typeof name === 'string') topicsByName.set(name, [...topicsByName.get(name) ?? [], topic]);
      const inline = topic.properties?.Subscription;
      // Unknown properties, or an inline subscription list that is an intrinsic or not empty, may deliver.
      if (!topic.properties || (inline !== undefined && (!Array.isArray(inline) || inline.length > 0))) subscribed.add(topic);
    }
  }
  const index = { subscribed, topicsByName, unknownSubscriptions: false };
  for (const stack of stacks) {
    for (const [type, property] of Object.entries(SUBSCRIBERS)) {
      for (const subscriber of stack.resourcesOfType(type)) {
        const value = subscriber.properties?.[property];
        const targets = type === 'AWS::SNS::Subscription' ? [value] : value;
        if (!Array.isArray(targets)) {
          index.unknownSubscriptions ||= value !== undefined || !subscriber.properties;
          continue;
        }
        for (const target of targets) {
          const reference = references.resolve(stack, target);
          if (reference.kind === 'unknown') index.unknownSubscriptions = true;
          else for (const topic of topicsNamed(reference.kind === 'resource' ? reference.resource : reference.value, index)) subscribed.add(topic);
        }
      }
    }
  }
  return index;
}

/** The app's topic an alarm action publishes to, or undefined when it is anything else or unknown. */
function topicOf(stack: StackTemplate, action: unknown, references: StackReferences, index: SubscriptionIndex): TemplateResource | undefined {
  const reference = references.resolve(stack, action);
  if (reference.kind === 'unknown') return undefined;
  const topics = topicsNamed(reference.kind === 'resource' ? reference.resource : reference.value, index);
  // Two topics with the same literal name in different accounts or regions: cannot tell which one.
  return topics.length === 1 ? topics[0] : undefined;
}

/** The topics a resource or a literal ARN names. */
function topicsNamed(target: TemplateResource | string, index: SubscriptionIndex): readonly TemplateResource[] {
  if (typeof target !== 'string') return target.type === TOPIC ? [target] : [];
  const arn = target.split(':');
  return arn.length === 6 && arn[0] === 'arn' && arn[2] === 'sns' ? index.topicsByName.get(arn[5]) ?? [] : [];
}

/**
 * Whether an alarm only triggers auto scaling: it has actions, and each is a scaling policy of the app (by Ref, followed
 * across stacks) or a scaling policy ARN. Such an alarm is part of a scaling policy, not of the monitoring.
 */
function isScalingTrigger(alarm: TemplateResource): boolean {
  const actions = alarm.properties?.AlarmActions;
  if (!Array.isArray(actions) || actions.length === 0) return false;
  return actions.every(action => (typeof action === 'string' ? SCALING_POLICY_ARN.test(action)
    : SCALING_POLICIES.some(type => followedResource(alarm.stack, action, type) !== undefined)));
}
