import { alarmMetrics } from './alarm-metrics';
import { StackReferences } from './stack-references';
import { isCustomResourceProvider } from '../custom-resource-providers';
import { isEdgeFunction } from '../lambda/edge-functions';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { deadLetterQueuesOf } from '../sqs/dead-letter-targets';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** A kind of resource that needs an alarm, and how alarms name it. */
interface MonitoredKind {
  readonly type: string;
  /** What goes wrong unnoticed, after "so". */
  readonly consequence: string;
  /** Dimensions whose value names such a resource: an unknown value in one of them may name any. */
  readonly dimensionNames: readonly string[];
  /** Property holding the literal physical name. */
  readonly nameProperty: string;
  /** Whether a literal dimension value names the resource called `name`. */
  readonly namedBy: (value: string, name: string) => boolean;
  readonly fix: string;
}

const QUEUE = 'AWS::SQS::Queue';
// Lambda@Edge functions live in us-east-1; their replicas name themselves after it (CloudFront Developer Guide, "Lambda@Edge
// CloudWatch metrics and logs", checked 2026-12).
const EDGE_REPLICA_PREFIX = 'us-east-1.';
const EDGE_FIX = 'Alarm on the distribution\'s LambdaExecutionError (AWS/CloudFront, dimensions DistributionId and Region "Global", in us-east-1), ' +
  'which counts the failures of its Lambda@Edge functions: a Lambda@Edge function\'s own metrics are published in each region that serves it, under FunctionName us-east-1.<name>.';
const KINDS: readonly MonitoredKind[] = [
  {
    type: 'AWS::Lambda::Function',
    consequence: 'its errors, throttles and timeouts page nobody',
    // The Resource dimension names an alias or version as `<function>:<qualifier>`; a Lambda@Edge function's replicas
    // publish their metrics in each region that serves them as `us-east-1.<function>`.
    dimensionNames: ['FunctionName', 'Resource'],
    nameProperty: 'FunctionName',
    namedBy: (value, name) => value === name || value.startsWith(`${name}:`) || value === `${EDGE_REPLICA_PREFIX}${name}`,
    fix: 'Use a TracedFunction (it ships error-rate, throttle and duration alarms), or add an ErrorRateAlarm on the function.',
  },
  {
    type: QUEUE,
    consequence: 'failed messages pile up unnoticed until their retention expires',
    dimensionNames: ['QueueName'],
    nameProperty: 'QueueName',
    namedBy: (value, name) => value === name,
    fix: 'Use a SecureQueue (its dead-letter queue is alarmed), or alarm on the queue\'s ApproximateNumberOfMessagesVisible >= 1.',
  },
  {
    type: 'AWS::StepFunctions::StateMachine',
    consequence: 'failed and timed-out executions page nobody',
    dimensionNames: ['StateMachineArn'],
    nameProperty: 'StateMachineName',
    namedBy: (value, name) => value.endsWith(`:stateMachine:${name}`),
    fix: 'Add an ErrorRateAlarm on the state machine (ExecutionsFailed / ExecutionsStarted) and an alarm on ExecutionsTimedOut.',
  },
  {
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    consequence: 'target errors and unhealthy hosts page nobody',
    // The LoadBalancer dimension is the full name, `app/<name>/<id>` (net/ and gwy/ for other types).
    dimensionNames: ['LoadBalancer'],
    nameProperty: 'Name',
    namedBy: (value, name) => /^(app|net|gwy)\//.test(value) && value.split('/')[1] === name,
    fix: 'Add an ErrorRateAlarm on the load balancer (HTTPCode_Target_5XX_Count / RequestCount) and an alarm on its target groups\' UnHealthyHostCount.',
  },
  {
    type: 'AWS::ECS::Service',
    consequence: 'a service that cannot keep its tasks running pages nobody',
    dimensionNames: ['ServiceName'],
    nameProperty: 'ServiceName',
    namedBy: (value, name) => value === name,
    fix: 'Alarm on the service\'s CPUUtilization and MemoryUtilization (AWS/ECS, ServiceName and ClusterName) or on its running task count.',
  },
];

/** What the alarms of the app watch. */
interface AlarmIndex {
  readonly watched: ReadonlySet<TemplateResource>;
  readonly literalValues: ReadonlySet<string>;
  /** Dimension names with a value that cannot be resolved: every resource such a dimension names is unknown. */
  readonly unknownDimensions: ReadonlySet<string>;
  /** An alarm whose metrics cannot be read at all: every resource is unknown. */
  readonly unknownAlarm: boolean;
  /** Some alarm watches a CloudFront distribution (AWS/CloudFront): it watches the Lambda@Edge functions the app runs too. */
  readonly watchesDistribution: boolean;
}

/**
 * C09: every Lambda function, dead-letter queue, state machine, load balancer and ECS service has at least one
 * alarm. An alarm watches a resource when one of its metrics (plain `Dimensions` or `Metrics[].MetricStat`) has a
 * dimension whose value is a `Ref` / `Fn::GetAtt` of it (imports resolved through exports) or its literal physical
 * name, followed through cross-stack exports and nested stacks (an alarm in the parent watches a resource of a nested
 * stack, and the other way round). A queue counts as a dead-letter queue when another resource sends its failures there
 * (SQS or SNS subscription redrive, Lambda DLQ or on-failure destination, EventBridge rule target, Scheduler or Pipes
 * DLQ). Judged over the whole app, since alarms often live in a separate monitoring stack. Must not judge: queues that
 * are no dead-letter queue, CDK's custom-resource provider functions, Lambda@Edge functions when an alarm watches a
 * CloudFront distribution (their errors are the distribution's `LambdaExecutionError`), and anything when some alarm
 * cannot be read.
 */
export class UnmonitoredResource implements FintechRule {
  /** Metadata of `Fintech-C09-UnmonitoredResource`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C09-UnmonitoredResource',
    catalogId: 'C09',
    title: 'Functions, dead-letter queues, state machines, load balancers and ECS services have an alarm',
    description: 'A resource without any alarm fails silently: the seeds alarmed one function of three and no dead-letter queue, so failed payments were found by customers. Every resource that processes requests or holds failed work needs at least one alarm. ' +
      'An alarm anywhere in the app counts: another stack (through exports) or a nested stack\'s parent (and the other way round). A queue needs one only when it is a dead-letter queue: ' +
      'another queue\'s or an SNS subscription\'s redrive target, a Lambda dead-letter queue or on-failure destination, or an EventBridge rule target, Scheduler schedule or Pipes source dead-letter queue. ' +
      'Not judged: CDK\'s custom-resource provider functions; Lambda@Edge functions when an alarm of the app watches a CloudFront distribution (AWS/CloudFront), whose LambdaExecutionError counts their failures; an alarm on FunctionName us-east-1.<name>, as the replicas of a named Lambda@Edge function publish their metrics in the regions that serve it, watches that function.',
    fix: 'Use the library constructs, which ship their alarms (TracedFunction, SecureQueue, ErrorRateAlarm), or add a cloudwatch.Alarm on one of the resource\'s metrics.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'UnmonitoredResource';
  public readonly infos = [UnmonitoredResource.INFO];

  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const references = StackReferences.of(stacks);
    const alarms = indexAlarms(stacks, references);
    if (alarms.unknownAlarm) return [];
    const deadLetterQueues = deadLetterQueuesOf(stacks, references).sources;
    const literalValues = [...alarms.literalValues];
    const findings: RuleFinding[] = [];
    for (const kind of KINDS) {
      if (kind.dimensionNames.some(name => alarms.unknownDimensions.has(name))) continue;
      for (const stack of stacks) {
        for (const resource of stack.resourcesOfType(kind.type)) {
          const sources = kind.type === QUEUE ? deadLetterQueues.get(resource) : undefined;
          if (kind.type === QUEUE && !sources) continue;
          if (!resource.properties || alarms.watched.has(resource) || isCustomResourceProvider(resource)) continue;
          // Lambda@Edge errors surface as the distribution's LambdaExecutionError and error rates.
          if (alarms.watchesDistribution && isEdgeFunction(resource)) continue;
          const name = resource.properties[kind.nameProperty];
          if (typeof name === 'string' && literalValues.some(value => kind.namedBy(value, name))) continue;
          const role = sources ? ` is the dead-letter queue of ${sources.join(', ')} and` : '';
          const edge = kind.type === 'AWS::Lambda::Function' && isEdgeFunction(resource);
          findings.push(findingOn(resource, UnmonitoredResource.INFO.id,
            `${resource.type} ${resource.logicalId}${edge ? ', a Lambda@Edge function,' : ''}${role} has no alarm (no AWS::CloudWatch::Alarm in the app has a metric dimension naming it` +
            `${edge ? ', nor one on a CloudFront distribution' : ''}), so ${kind.consequence}.`,
            [], edge ? EDGE_FIX : kind.fix));
        }
      }
    }
    return findings;
  }
}

function indexAlarms(stacks: readonly StackTemplate[], references: StackReferences): AlarmIndex {
  const watched = new Set<TemplateResource>();
  const literalValues = new Set<string>();
  const unknownDimensions = new Set<string>();
  let unknownAlarm = false;
  let watchesDistribution = false;
  for (const stack of stacks) {
    for (const alarm of stack.resourcesOfType('AWS::CloudWatch::Alarm')) {
      if (!alarm.properties) {
        unknownAlarm = true;
        continue;
      }
      const read = alarmMetrics(alarm.properties);
      unknownAlarm ||= read.unknown;
      // Inputs of an expression count too: an error-rate alarm watches the resource of both its metrics.
      for (const metric of read.metrics) {
        watchesDistribution ||= metric.namespace === 'AWS/CloudFront';
        if (metric.dimensions === undefined) continue;
        if (!Array.isArray(metric.dimensions)) {
          unknownAlarm = true;
          continue;
        }
        for (const dimension of metric.dimensions) {
          if (!TemplateValue.isObject(dimension) || TemplateValue.isIntrinsic(dimension)) {
            unknownAlarm = true;
            continue;
          }
          const reference = references.resolve(stack, dimension.Value);
          if (reference.kind === 'resource') watched.add(reference.resource);
          else if (reference.kind === 'literal') literalValues.add(reference.value);
          else if (typeof dimension.Name === 'string') unknownDimensions.add(dimension.Name);
          else unknownAlarm = true;
        }
      }
    }
  }
  return { watched, literalValues, unknownDimensions, unknownAlarm, watchesDistribution };
}
