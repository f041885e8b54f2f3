import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** What a template value names: a resource of the same template, something outside it, or unknown until deploy. */
export type ResolvedReference =
  | { readonly kind: 'resource'; readonly resource: TemplateResource }
  | { readonly kind: 'external' }
  | { readonly kind: 'unknown' };

/**
 * AWS services that write into a queue, topic, function or bucket on behalf of a resource of the template:
 * `delivery.logs` writes VPC flow logs, WAF logs and Network Load Balancer access logs into buckets, `logging.s3` a
 * bucket's server access logs, `cloudtrail` a trail's log files. `ses`, `iot` and `logs` invoke functions for SES
 * receipt rules, IoT topic rules and CloudWatch Logs subscription filters (`functionInvocationsOf`, not `deliveriesOf`).
 */
export type ProducingService = 'sns' | 'events' | 'cloudwatch' | 's3' | 'delivery.logs' | 'logging.s3' | 'cloudtrail' | 'ses' | 'iot' | 'logs';

/** One service pushing into one target: the delivery a producer resource sets up. */
export interface Delivery {
  /** The service that delivers; its principal is `<service>.amazonaws.com`. */
  readonly service: ProducingService;
  /** The resource that sets the delivery up (subscription, rule, alarm, bucket, notification custom resource). */
  readonly producer: TemplateResource;
  /** Template location of the target, e.g. `Properties/Targets/0/Arn`. */
  readonly location: string;
  /** The value naming the target, as synthesized. */
  readonly value: unknown;
  /** What the target value names, followed across stacks (`resolveAcrossStacks`): possibly a resource of another template. */
  readonly target: ResolvedReference;
  /** Whether the target receives only what failed to arrive elsewhere (an SNS subscription or EventBridge target dead-letter queue). */
  readonly deadLetter: boolean;
}

const UNKNOWN: ResolvedReference = { kind: 'unknown' };
const EXTERNAL: ResolvedReference = { kind: 'external' };

// Where a literal ARN's resource name sits, and the property that holds the literal name in a template.
const NAME_PROPERTIES: { readonly [service: string]: { readonly type: string; readonly property: string } | undefined } = {
  sqs: { type: 'AWS::SQS::Queue', property: 'QueueName' },
  sns: { type: 'AWS::SNS::Topic', property: 'TopicName' },
  lambda: { type: 'AWS::Lambda::Function', property: 'FunctionName' },
};

/**
 * What a value naming a resource (an ARN, URL, name or id) points at: `Ref` and `Fn::GetAtt` of a resource of the
 * template; a literal ARN, or an `Fn::Join`/`Fn::Sub` of literals and pseudo parameters, whose name matches a
 * resource's literal name; a join or sub that references exactly one resource of the template. A literal or an
 * import that names nothing here is external; anything else (`Fn::If`, `Fn::Select`, several resources) is unknown.
 */
export function resolveReference(stack: StackTemplate, value: unknown): ResolvedReference {
  const logicalId = TemplateValue.refTarget(value) ?? TemplateValue.getAttTarget(value);
  if (logicalId !== undefined) {
    const resource = stack.resource(logicalId);
    // A Ref to a parameter or pseudo parameter is a value chosen at deploy time, outside this template's resources.
    return resource ? { kind: 'resource', resource } : EXTERNAL;
  }
  if (typeof value === 'string') return byLiteralName(stack, value) ?? EXTERNAL;
  if (!TemplateValue.isObject(value) || !TemplateValue.isIntrinsic(value)) return UNKNOWN;
  if (value['Fn::ImportValue'] !== undefined) return EXTERNAL;
  const pieces = interpolatedPieces(value);
  if (!pieces) return UNKNOWN;
  const referenced = new Set<string>();
  let opaque = false;
  for (const piece of pieces) {
    if (typeof piece === 'string') continue;
    const target = TemplateValue.refTarget(piece) ?? TemplateValue.getAttTarget(piece);
    if (target !== undefined && stack.resource(target)) referenced.add(target);
    else if (target === undefined || !target.startsWith('AWS::')) opaque = true;
  }
  if (referenced.size === 1) return { kind: 'resource', resource: stack.resource([...referenced][0])! };
  if (referenced.size > 1 || opaque) return UNKNOWN;
  // Literals and pseudo parameters only: the name at the end is literal.
  const text = pieces.map(piece => (typeof piece === 'string' ? piece : '*')).join('');
  return byLiteralName(stack, text) ?? EXTERNAL;
}

// Values handed from stack to stack (nested stacks, exports): follow a few hops, never a cycle.
const MAX_STACK_HOPS = 5;

/** A value followed to where it is written, and what it names there. */
export interface FollowedValue {
  /** The template the value is written in. */
  readonly stack: StackTemplate;
  /** The value, as written there. */
  readonly value: unknown;
  /** What it names there (`resolveReference`). */
  readonly target: ResolvedReference;
}

/**
 * `resolveReference` after following what the stacks of one validation hand each other: a nested template's parameter
 * to the value its parent passes in, a parent's `Fn::GetAtt` of a nested stack's output to the output's value in the
 * nested template, and `Fn::ImportValue` to the value another template exports. A queue of one stack read by a mapping
 * of another is thus that queue, not an external value. A join or sub of literal text around one such value (a prefix
 * of a bucket another stack exports) names what that value names.
 */
export function resolveAcrossStacks(stack: StackTemplate, value: unknown): FollowedValue {
  const followed = followAcrossStacks(stack, value);
  const target = resolveReference(followed.stack, followed.value);
  if (target.kind !== 'unknown') return { ...followed, target };
  // A join or sub around one value handed in from another stack (`${bucket.bucketArn}/flow/` in a stack that imports
  // the ARN, or a nested stack's parameter) names what that value names, as the same join around a reference would.
  const handed = handedPiece(followed.stack, followed.value);
  const next = handed === undefined ? undefined : followAcrossStacks(followed.stack, handed);
  const inner = next === undefined ? undefined : resolveReference(next.stack, next.value);
  return { ...followed, target: inner?.kind === 'resource' ? inner : target };
}

/**
 * The one piece of a join or sub that another stack hands in (an import, or a `Ref` to a parameter of a nested
 * template), when every other piece is literal text or a pseudo parameter; undefined otherwise.
 */
function handedPiece(stack: StackTemplate, value: unknown): unknown {
  if (!TemplateValue.isObject(value) || !TemplateValue.isIntrinsic(value)) return undefined;
  const pieces = interpolatedPieces(value);
  if (!pieces) return undefined;
  const handed = pieces.filter(piece => {
    if (typeof piece === 'string') return false;
    const ref = TemplateValue.refTarget(piece);
    return ref === undefined || !ref.startsWith('AWS::');
  });
  if (handed.length !== 1) return undefined;
  const [piece] = handed;
  const ref = TemplateValue.refTarget(piece);
  const imported = TemplateValue.isObject(piece) && Object.keys(piece).length === 1 ? piece['Fn::ImportValue'] : undefined;
  if (ref !== undefined) return stack.resource(ref) ? undefined : piece;
  return typeof imported === 'string' ? piece : undefined;
}

/** The value and its template after following nested-stack parameters and outputs and imports, not yet resolved. */
function followAcrossStacks(stack: StackTemplate, value: unknown): Omit<FollowedValue, 'target'> {
  for (let hops = 0; hops < MAX_STACK_HOPS; hops++) {
    const ref = TemplateValue.refTarget(value);
    const getAtt = TemplateValue.getAtt(value);
    const imported = TemplateValue.isObject(value) && Object.keys(value).length === 1 ? value['Fn::ImportValue'] : undefined;
    const next = ref !== undefined ? (stack.resource(ref) ? undefined : stack.parameterValue(ref))
      : getAtt ? stack.nestedOutput(getAtt.logicalId, getAtt.attribute)
        : typeof imported === 'string' ? stack.importedValue(imported) : undefined;
    if (!next) break;
    ({ stack, value } = next);
  }
  return { stack, value };
}

/**
 * What a value naming a resource by id, `Ref` or `Fn::GetAtt` (a VPC, subnet, security group, function) names, followed
 * across the stacks of the validation (`resolveAcrossStacks`): a resource of one of the templates, an id from outside
 * them (a literal, a parameter of a top-level template), or nothing synth can tell (an intrinsic, an import no
 * template exports).
 */
export type FollowedId =
  | { readonly kind: 'resource'; readonly resource: TemplateResource }
  | { readonly kind: 'literal' | 'parameter' | 'unknown' };

/** `FollowedId` of a value written in `stack`. */
export function followedId(stack: StackTemplate, value: unknown): FollowedId {
  // Only the followed value is read: resolving it by name as well (resolveReference) would be wasted work.
  const followed = followAcrossStacks(stack, value);
  if (typeof followed.value === 'string') return { kind: 'literal' };
  const id = TemplateValue.referencedId(followed.value);
  if (id === undefined) return { kind: 'unknown' };
  const resource = followed.stack.resource(id);
  return resource ? { kind: 'resource', resource } : { kind: 'parameter' };
}

/** The resource a value names by id across the validation's stacks (`followedId`), if it is one of type `type`. */
export function followedResource(stack: StackTemplate, value: unknown, type: string): TemplateResource | undefined {
  const id = followedId(stack, value);
  return id.kind === 'resource' && id.resource.type === type ? id.resource : undefined;
}

/**
 * Every delivery the template sets up, indexed once per template, its target followed across stacks: SNS subscriptions and their dead-letter queues,
 * EventBridge rule targets and their dead-letter queues, CloudWatch alarm actions, S3 bucket notifications
 * (the bucket's own `NotificationConfiguration` and CDK's `Custom::S3BucketNotifications`), and logs services write
 * into buckets: S3 server access logs, VPC flow logs, WAF logging configurations, Network Load Balancer access logs and
 * trails without a key of their own.
 */
export function deliveriesOf(stack: StackTemplate): readonly Delivery[] {
  return stack.memo('events.deliveries', () => {
    const deliveries: Delivery[] = [];
    const add = (service: ProducingService, producer: TemplateResource, location: string, value: unknown, deadLetter = false) => {
      if (value !== undefined) deliveries.push({ service, producer, location: `Properties/${location}`, value, target: resolveAcrossStacks(stack, value).target, deadLetter });
    };
    for (const resource of stack.resources) {
      const properties = resource.properties;
      if (!properties) continue;
      switch (resource.type) {
        case 'AWS::SNS::Subscription':
          add('sns', resource, 'Endpoint', properties.Endpoint);
          add('sns', resource, 'RedrivePolicy/deadLetterTargetArn', TemplateValue.literalObject(properties.RedrivePolicy)?.deadLetterTargetArn, true);
          break;
        case 'AWS::SNS::Topic':
          listOf(properties.Subscription).forEach((subscription, i) => add('sns', resource, `Subscription/${i}/Endpoint`, TemplateValue.literalObject(subscription)?.Endpoint));
          break;
        case 'AWS::Events::Rule':
          listOf(properties.Targets).forEach((target, i) => {
            add('events', resource, `Targets/${i}/Arn`, TemplateValue.literalObject(target)?.Arn);
            add('events', resource, `Targets/${i}/DeadLetterConfig/Arn`, TemplateValue.literalObject(TemplateValue.literalObject(target)?.DeadLetterConfig)?.Arn, true);
          });
          break;
        case 'AWS::CloudWatch::Alarm':
        case 'AWS::CloudWatch::CompositeAlarm':
          for (const actions of ['AlarmActions', 'OKActions', 'InsufficientDataActions']) {
            listOf(properties[actions]).forEach((action, i) => add('cloudwatch', resource, `${actions}/${i}`, action));
          }
          break;
        case 'AWS::S3::Bucket':
          add('logging.s3', resource, 'LoggingConfiguration/DestinationBucketName', TemplateValue.literalObject(properties.LoggingConfiguration)?.DestinationBucketName);
          addNotifications(TemplateValue.literalObject(properties.NotificationConfiguration), (location, value) => add('s3', resource, `NotificationConfiguration/${location}`, value));
          break;
        case 'Custom::S3BucketNotifications':
          addNotifications(TemplateValue.literalObject(properties.NotificationConfiguration), (location, value) => add('s3', resource, `NotificationConfiguration/${location}`, value));
          break;
        case 'AWS::EC2::FlowLog':
          if (properties.LogDestinationType === 's3') add('delivery.logs', resource, 'LogDestination', properties.LogDestination);
          break;
        case 'AWS::WAFv2::LoggingConfiguration':
          listOf(properties.LogDestinationConfigs).forEach((destination, i) => add('delivery.logs', resource, `LogDestinationConfigs/${i}`, destination));
          break;
        case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
          if (properties.Type === 'network') {
            const attributes = listOf(properties.LoadBalancerAttributes).map(value => TemplateValue.literalObject(value));
            const bucket = attributes.findIndex(attribute => attribute?.Key === 'access_logs.s3.bucket');
            if (bucket >= 0 && attributes.some(attribute => attribute?.Key === 'access_logs.s3.enabled' && String(attribute.Value) === 'true')) {
              add('delivery.logs', resource, `LoadBalancerAttributes/${bucket}/Value`, attributes[bucket]!.Value);
            }
          }
          break;
        case 'AWS::CloudTrail::Trail':
          // A trail with a key of its own encrypts its files with that key; without one they take the bucket's default encryption.
          if (properties.KMSKeyId === undefined) add('cloudtrail', resource, 'S3BucketName', properties.S3BucketName);
          break;
      }
    }
    return deliveries;
  });
}

/**
 * The deliveries into `target` from every template loaded with its own (a subscription of a nested stack to a queue of
 * its parent, a rule of one stack targeting another's function through an export), indexed once per validation.
 */
export function deliveriesInto(target: TemplateResource): readonly Delivery[] {
  const { peers } = target.stack;
  const byTarget = peers.memo('events.deliveriesInto', () => {
    const index = new Map<TemplateResource, Delivery[]>();
    for (const delivery of peers.templates.flatMap(deliveriesOf)) {
      if (delivery.target.kind !== 'resource') continue;
      const list = index.get(delivery.target.resource);
      if (list) list.push(delivery); else index.set(delivery.target.resource, [delivery]);
    }
    return index;
  });
  return byTarget.get(target) ?? [];
}

// CloudFormation's bucket property names (Queue, Topic, Function) and the S3 API's, which CDK's notification custom resource uses.
/**
 * The resource a service delivers for, which a key policy's or a function permission's `aws:SourceArn` names: a
 * subscription's topic, a rule, an alarm, a bucket (also through CDK's notification custom resource), a flow log;
 * undefined when the templates cannot tell.
 */
export function deliverySource(delivery: Delivery): TemplateResource | undefined {
  const { producer } = delivery;
  const named = (value: unknown) => {
    const target = value === undefined ? undefined : resolveAcrossStacks(producer.stack, value).target;
    return target?.kind === 'resource' ? target.resource : undefined;
  };
  if (producer.type === 'AWS::SNS::Subscription') return named(producer.properties?.TopicArn);
  if (producer.type === 'Custom::S3BucketNotifications') return named(producer.properties?.BucketName);
  // CloudWatch Logs invokes for the log group a subscription filter reads.
  if (producer.type === 'AWS::Logs::SubscriptionFilter') return named(producer.properties?.LogGroupName);
  return producer;
}

/**
 * The services of `deliveries`, once each in order of first appearance, and for findings each service's principal
 * (`principalOf`, by default `<service>.amazonaws.com`) with the resources that set its deliveries up, e.g.
 * `events.amazonaws.com (AWS::Events::Rule Settled), sns.amazonaws.com (AWS::SNS::Subscription Refunds)`.
 */
export function deliveringServices(
  deliveries: readonly Delivery[], principalOf: (service: ProducingService) => string = service => `${service}.amazonaws.com`,
): { readonly services: readonly ProducingService[]; readonly described: string } {
  const services = [...new Set(deliveries.map(delivery => delivery.service))];
  const described = services.map(service => `${principalOf(service)} (${[...new Set(deliveries.filter(d => d.service === service)
    .map(d => `${d.producer.type} ${d.producer.logicalId}`))].join(', ')})`).join(', ');
  return { services, described };
}

const NOTIFICATION_TARGETS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['QueueConfigurations', ['Queue', 'QueueArn']],
  ['TopicConfigurations', ['Topic', 'TopicArn']],
  ['LambdaConfigurations', ['Function']],
  ['LambdaFunctionConfigurations', ['LambdaFunctionArn']],
];

function addNotifications(configuration: { readonly [key: string]: unknown } | undefined, add: (location: string, value: unknown) => void): void {
  if (!configuration) return;
  for (const [list, keys] of NOTIFICATION_TARGETS) {
    listOf(configuration[list]).forEach((entry, i) => {
      for (const key of keys) add(`${list}/${i}/${key}`, TemplateValue.literalObject(entry)?.[key]);
    });
  }
}


/** A literal list, or `[]` for anything else (an intrinsic list is unknown and holds nothing we can judge). */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The pieces of an `Fn::Join` with a literal list, or of an `Fn::Sub` (its `${...}` variables as Ref/GetAtt). */
function interpolatedPieces(value: { readonly [key: string]: unknown }): readonly unknown[] | undefined {
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].flatMap((piece: unknown, i: number) => (i === 0 ? [piece] : [join[0], piece]));
  }
  const sub = value['Fn::Sub'];
  const [text, variables] = Array.isArray(sub) ? [sub[0], sub[1]] : [sub, undefined];
  if (typeof text !== 'string' || (variables !== undefined && !TemplateValue.isObject(variables))) return undefined;
  const pieces: unknown[] = [];
  let rest = text;
  for (let match = /\$\{([^!}][^}]*)\}/.exec(rest); match; match = /\$\{([^!}][^}]*)\}/.exec(rest)) {
    pieces.push(rest.slice(0, match.index));
    const name = match[1];
    const variable = TemplateValue.isObject(variables) ? variables[name] : undefined;
    if (variable !== undefined) pieces.push(variable);
    else if (name.includes('.')) pieces.push({ 'Fn::GetAtt': name });
    else pieces.push({ Ref: name });
    rest = rest.slice(match.index + match[0].length);
  }
  pieces.push(rest);
  return pieces;
}

/** The resource whose literal name ends a literal ARN (or equals a literal name/URL tail); undefined when none matches. */
function byLiteralName(stack: StackTemplate, text: string): ResolvedReference | undefined {
  const arn = /^arn:[^:]*:([^:]+):[^:]*:[^:]*:(.+)$/.exec(text);
  const service = arn?.[1] ?? (/^https:\/\/sqs\./.test(text) ? 'sqs' : undefined);
  const spec = service ? NAME_PROPERTIES[service] : undefined;
  if (!spec) return undefined;
  const resourcePart = arn ? arn[2] : text.slice(text.lastIndexOf('/') + 1);
  // Lambda ARNs are function:<name>[:qualifier]; SQS and SNS ARNs end with the bare name.
  const name = service === 'lambda' ? resourcePart.split(':')[1] : resourcePart;
  if (!name || name.includes('*')) return undefined;
  const resource = stack.resourcesOfType(spec.type).find(r => r.properties?.[spec.property] === name);
  return resource ? { kind: 'resource', resource } : undefined;
}
