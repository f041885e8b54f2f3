import { StackReferences } from '../cloudwatch/stack-references';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const LOG_GROUP = 'AWS::Logs::LogGroup';
const BUCKET = 'AWS::S3::Bucket';
// PCI DSS v4.0 requirement 10.5.1: audit log history is kept at least 12 months, the latest three immediately available.
const HISTORY_DAYS = 365;
const IMMEDIATE_DAYS = 90;
// S3 storage classes whose objects must be restored before they can be read (S3 user guide, "Understanding and
// managing Amazon S3 storage classes", checked 2026-12); GLACIER_IR, the IA classes and Intelligent-Tiering's
// default tiers are read at once.
const RESTORE_FIRST = new Set(['GLACIER', 'DEEP_ARCHIVE']);
// The log levels at which Step Functions writes execution history; OFF (CloudFormation's default) writes none.
const STATE_MACHINE_LOGGING = new Set(['ALL', 'ERROR', 'FATAL']);
// Stands for a piece of a name synth does not know (the partition, region, account or stack name).
const UNKNOWN_PIECE = '\u0000';

/** A resource that routes audit records somewhere, e.g. `access logs of AWS::ApiGateway::Stage ApiStage`. */
interface AuditSource {
  /** What it writes and who writes it. */
  readonly label: string;
}

/** An audit source writing into a bucket. */
interface BucketSource extends AuditSource {
  /** The key prefix every object it writes starts with; undefined when synth cannot tell. */
  readonly keyPrefix?: string;
}

/** Where audit records go in the templates of one validation. */
interface AuditDestinations {
  readonly logGroups: ReadonlyMap<TemplateResource, readonly AuditSource[]>;
  readonly buckets: ReadonlyMap<TemplateResource, readonly BucketSource[]>;
  /** Log groups a subscription filter ships elsewhere: their history may be kept at the destination. */
  readonly subscribed: ReadonlySet<TemplateResource>;
  /** An account-wide subscription policy, or a filter on a log group that cannot be resolved: no log group is judged. */
  readonly anySubscribed: boolean;
}

/** A resource an ARN, name or domain names, with what follows its name in an ARN (`''` for nothing, undefined when unknown). */
interface NamedResource {
  readonly resource: TemplateResource;
  readonly suffix?: string;
}

/**
 * C20, PCI DSS v4.0 10.5.1: audit log history is kept at least 12 months, the most recent three immediately available.
 * Judged in durable stages, on the destinations audit trails are routed to in the templates of the validation
 * (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, nested-stack outputs and parameters, ARNs and names built with `Fn::Join` or
 * `Fn::Sub`): CloudWatch log groups receiving API Gateway (REST, HTTP, WebSocket) access logs, VPC flow logs, WAF logs,
 * Step Functions execution history and CloudTrail events, with a literal RetentionInDays below 365; S3 buckets receiving
 * S3 server access logs, load balancer access logs, CloudFront standard logs, VPC flow logs, WAF logs or CloudTrail
 * events, whose enabled lifecycle rules that cover those logs expire objects before 365 days or move them to GLACIER or
 * DEEP_ARCHIVE before 90. Must not judge: ephemeral stages; intrinsic retention or lifecycle values; a log group without
 * retention (never expires; `Fintech-C20-LogGroupWithoutRetention` judges that); Lambda function log groups (application
 * logs, not an audit trail by themselves); log groups a subscription filter ships elsewhere; buckets that replicate;
 * lifecycle rules that are disabled, filter by tags or object size, or whose prefix the logs are not written under.
 */
export class AuditLogHistory implements FintechRule {
  /** A log group or bucket of audit logs keeps them less than a year. */
  public static readonly HISTORY_TOO_SHORT: RuleInfo = {
    id: 'Fintech-C20-AuditLogHistoryTooShort',
    catalogId: 'C20',
    title: 'Audit logs are kept at least 12 months',
    description: 'PCI DSS 10.5.1 asks for 12 months of audit log history: a log group or bucket that deletes access logs, flow logs, WAF logs, workflow history or CloudTrail events sooner leaves an incident review or an assessor without the trail. ' +
      'Judged in durable stages, on the log groups and buckets these trails are routed to anywhere in the app (ARNs, names, imports and nested stacks followed): a literal RetentionInDays below 365, or an enabled lifecycle rule covering the logs that expires them before 365 days ' +
      '(in a versioned bucket, expiration plus noncurrent-version expiration). ' +
      'Not judged: ephemeral stages, intrinsic values, log groups without retention (they never expire), Lambda function log groups (application logs, not an audit trail by themselves), log groups a subscription filter ships elsewhere, buckets that replicate, ' +
      'lifecycle rules that are disabled, filter by tags or size, or whose prefix the logs are not written under. Acknowledgeable where a central archive outside the app keeps the history.',
    fix: 'Keep audit logs at least a year: retention: logs.RetentionDays.ONE_YEAR or longer on the log group (EncryptedLogGroup keeps a year in durable stages, ProtectedRestApi\'s access logs and FintechVpc\'s flow logs a year by default), ' +
      'and lifecycle expiration of at least Duration.days(365) on a bucket receiving access logs, or none.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** A bucket of audit logs moves them to an archive class before three months. */
  public static readonly ARCHIVED_EARLY: RuleInfo = {
    id: 'Fintech-C20-AuditLogsArchivedEarly',
    catalogId: 'C20',
    title: 'The latest three months of audit logs stay immediately readable',
    description: 'PCI DSS 10.5.1 asks that the most recent three months of audit logs be immediately available for analysis; objects in S3 Glacier Flexible Retrieval (GLACIER) or Deep Archive must be restored first, which takes hours, in the middle of an incident. ' +
      'Judged in durable stages, on buckets receiving S3 server access logs, load balancer access logs, CloudFront standard logs, VPC flow logs, WAF logs or CloudTrail events: an enabled lifecycle rule covering the logs that transitions them to GLACIER or DEEP_ARCHIVE before 90 days. ' +
      'Not judged: GLACIER_IR, the infrequent-access classes and Intelligent-Tiering (read at once), intrinsic values, transitions by date, disabled rules and rules filtered by tags, size or a prefix the logs are not written under.',
    fix: 'Transition audit logs to GLACIER or DEEP_ARCHIVE no earlier than Duration.days(90), or use GLACIER_INSTANT_RETRIEVAL (immediately readable) for the first months.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'AuditLogHistory';
  public readonly infos = [AuditLogHistory.HISTORY_TOO_SHORT, AuditLogHistory.ARCHIVED_EARLY];

  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    if (!stacks.some(stack => stack.durable)) return [];
    const destinations = indexDestinations(stacks, StackReferences.of(stacks));
    const findings: RuleFinding[] = [];
    if (!destinations.anySubscribed) {
      for (const [group, sources] of destinations.logGroups) {
        if (group.stack.durable && !destinations.subscribed.has(group)) findings.push(...judgeLogGroup(group, sources));
      }
    }
    for (const [bucket, sources] of destinations.buckets) {
      if (bucket.stack.durable) findings.push(...judgeBucket(bucket, sources));
    }
    return findings;
  }
}

function judgeLogGroup(group: TemplateResource, sources: readonly AuditSource[]): RuleFinding[] {
  const days = TemplateValue.integerOf(group.properties?.RetentionInDays);
  if (days === undefined || days >= HISTORY_DAYS) return [];
  return [findingOn(group, AuditLogHistory.HISTORY_TOO_SHORT.id,
    `${group.type} ${group.logicalId} keeps events ${days} days (RetentionInDays), but it receives ${describe(sources)}, ` +
    `and PCI DSS 10.5.1 asks for at least 12 months of audit log history in durable stage "${group.stack.stageName}".`,
    ['Properties/RetentionInDays'],
    `Set RetentionInDays to ${HISTORY_DAYS} or more (logs.RetentionDays.ONE_YEAR); EncryptedLogGroup keeps a year in durable stages, ProtectedRestApi's access logs and FintechVpc's flow logs keep a year by default.`)];
}

function judgeBucket(bucket: TemplateResource, sources: readonly BucketSource[]): RuleFinding[] {
  const properties = bucket.properties;
  // A replica may keep the history elsewhere.
  if (!properties || properties.ReplicationConfiguration !== undefined) return [];
  const lifecycle = properties.LifecycleConfiguration;
  if (!TemplateValue.isObject(lifecycle) || TemplateValue.isIntrinsic(lifecycle) || !Array.isArray(lifecycle.Rules)) return [];
  const versioning = versioningOf(properties.VersioningConfiguration);
  const rules = lifecycle.Rules.map(rule => appliedRule(rule, sources));
  // In a versioned bucket an expired object stays as a noncurrent version until noncurrent-version expiration removes it.
  const noncurrentDays = minimum(rules.map(rule => rule?.noncurrentDays));
  const findings: RuleFinding[] = [];
  const where = `durable stage "${bucket.stack.stageName}"`;
  rules.forEach((rule, i) => {
    if (!rule) return;
    const location = `Properties/LifecycleConfiguration/Rules/${i}`;
    const named = `lifecycle rule ${rule.id === undefined ? i : `"${rule.id}"`}`;
    const what = describe(rule.covered);
    if (rule.expirationDays !== undefined && versioning !== undefined) {
      const kept = versioning ? (noncurrentDays === undefined ? undefined : rule.expirationDays + noncurrentDays) : rule.expirationDays;
      if (kept !== undefined && kept < HISTORY_DAYS) {
        findings.push(findingOn(bucket, AuditLogHistory.HISTORY_TOO_SHORT.id,
          `${bucket.type} ${bucket.logicalId} deletes objects after ${kept} days (${named}` +
          `${versioning ? `: ExpirationInDays ${rule.expirationDays} plus NoncurrentDays ${noncurrentDays}` : ''}), but it receives ${what}, ` +
          `and PCI DSS 10.5.1 asks for at least 12 months of audit log history in ${where}.`,
          [`${location}/ExpirationInDays`],
          `Expire these objects after ${HISTORY_DAYS} days or more (expiration: Duration.days(${HISTORY_DAYS})), or give the logs their own prefix and a rule that keeps them a year.`));
      }
    }
    for (const transition of rule.earlyArchive) {
      findings.push(findingOn(bucket, AuditLogHistory.ARCHIVED_EARLY.id,
        `${bucket.type} ${bucket.logicalId} moves objects to ${transition.storageClass} after ${transition.days} days (${named}), but it receives ${what}: ` +
        `objects there must be restored before they can be read, and PCI DSS 10.5.1 asks that the latest three months of audit logs be immediately available in ${where}.`,
        [`${location}/${transition.location}`],
        `Transition to ${transition.storageClass} after ${IMMEDIATE_DAYS} days or more, or to GLACIER_IR (immediately readable) before that.`));
    }
  });
  return findings;
}

/** What a lifecycle rule does to the audit logs it covers; undefined when it is disabled, unknown or covers none of them. */
interface AppliedRule {
  readonly id?: string;
  readonly covered: readonly BucketSource[];
  readonly expirationDays?: number;
  readonly noncurrentDays?: number;
  readonly earlyArchive: ReadonlyArray<{ readonly storageClass: string; readonly days: number; readonly location: string }>;
}

function appliedRule(rule: unknown, sources: readonly BucketSource[]): AppliedRule | undefined {
  if (!TemplateValue.isObject(rule) || TemplateValue.isIntrinsic(rule) || rule.Status !== 'Enabled') return undefined;
  // Audit log objects carry no tags, and their sizes are unknown: rules filtered by either are not judged.
  if (rule.TagFilters !== undefined || rule.ObjectSizeGreaterThan !== undefined || rule.ObjectSizeLessThan !== undefined) return undefined;
  const prefix = rule.Prefix ?? '';
  if (typeof prefix !== 'string') return undefined;
  const covered = sources.filter(source => prefix === '' || (source.keyPrefix !== undefined && source.keyPrefix.startsWith(prefix)));
  if (covered.length === 0) return undefined;
  const transitions: Array<{ value: unknown; location: string }> = [];
  if (Array.isArray(rule.Transitions)) rule.Transitions.forEach((value, i) => transitions.push({ value, location: `Transitions/${i}` }));
  if (rule.Transition !== undefined) transitions.push({ value: rule.Transition, location: 'Transition' });
  const earlyArchive = transitions.flatMap(({ value, location }) => {
    if (!TemplateValue.isObject(value)) return [];
    const days = TemplateValue.integerOf(value.TransitionInDays);
    const storageClass = value.StorageClass;
    return typeof storageClass === 'string' && RESTORE_FIRST.has(storageClass) && days !== undefined && days < IMMEDIATE_DAYS
      ? [{ storageClass, days, location }] : [];
  });
  const noncurrent = rule.NoncurrentVersionExpiration;
  return {
    id: typeof rule.Id === 'string' ? rule.Id : undefined,
    covered,
    expirationDays: TemplateValue.integerOf(rule.ExpirationInDays),
    noncurrentDays: TemplateValue.integerOf(TemplateValue.isObject(noncurrent) ? noncurrent.NoncurrentDays : rule.NoncurrentVersionExpirationInDays),
    earlyArchive,
  };
}

/** Whether the bucket keeps versions: false when unversioned, undefined when suspended or unknown. */
function versioningOf(configuration: unknown): boolean | undefined {
  if (configuration === undefined) return false;
  if (!TemplateValue.isObject(configuration)) return undefined;
  if (configuration.Status === 'Enabled') return true;
  return undefined;
}

function indexDestinations(stacks: readonly StackTemplate[], references: StackReferences): AuditDestinations {
  const resolver = new DestinationResolver(stacks, references);
  const logGroups = new Map<TemplateResource, AuditSource[]>();
  const buckets = new Map<TemplateResource, BucketSource[]>();
  const toGroups = (groups: readonly TemplateResource[], label: string) => {
    for (const group of groups) logGroups.set(group, [...logGroups.get(group) ?? [], { label }]);
  };
  const toBuckets = (named: readonly NamedResource[], label: string, keyPrefix: (suffix: string | undefined) => string | undefined) => {
    for (const { resource, suffix } of named) buckets.set(resource, [...buckets.get(resource) ?? [], { label, keyPrefix: keyPrefix(suffix) }]);
  };
  const subscribed = new Set<TemplateResource>();
  let anySubscribed = false;
  for (const stack of stacks) {
    for (const resource of stack.resources) {
      const p = resource.properties;
      if (!p) continue;
      const by = `${resource.type} ${resource.logicalId}${stack.stack && stacks.length > 1 ? ` (in ${stack.path})` : ''}`;
      switch (resource.type) {
        case 'AWS::ApiGateway::Stage':
          toGroups(resolver.logGroupsAt(stack, TemplateValue.literalObject(p.AccessLogSetting)?.DestinationArn), `access logs of ${by}`);
          break;
        case 'AWS::ApiGateway::Deployment':
          toGroups(resolver.logGroupsAt(stack, TemplateValue.literalObject(TemplateValue.literalObject(p.StageDescription)?.AccessLogSetting)?.DestinationArn), `access logs of ${by}`);
          break;
        case 'AWS::ApiGatewayV2::Stage':
          toGroups(resolver.logGroupsAt(stack, TemplateValue.literalObject(p.AccessLogSettings)?.DestinationArn), `access logs of ${by}`);
          break;
        case 'AWS::EC2::FlowLog': {
          const type = p.LogDestinationType ?? 'cloud-watch-logs';
          if (type === 'cloud-watch-logs') {
            toGroups(p.LogGroupName !== undefined ? resolver.logGroupsNamed(stack, p.LogGroupName) : resolver.logGroupsAt(stack, p.LogDestination), `flow logs of ${by}`);
          } else if (type === 's3') {
            toBuckets(resolver.bucketsAt(stack, p.LogDestination), `flow logs of ${by}`, suffix => underAwsLogs(suffix === undefined ? undefined : suffix.replace(/^\//, '')));
          }
          break;
        }
        case 'AWS::WAFv2::LoggingConfiguration':
          for (const destination of Array.isArray(p.LogDestinationConfigs) ? p.LogDestinationConfigs : []) {
            toGroups(resolver.logGroupsAt(stack, destination), `WAF logs of ${by}`);
            // WAF chooses the key layout under the bucket: only rules for the whole bucket are judged.
            toBuckets(resolver.bucketsAt(stack, destination), `WAF logs of ${by}`, () => undefined);
          }
          break;
        case 'AWS::StepFunctions::StateMachine': {
          const logging = TemplateValue.literalObject(p.LoggingConfiguration);
          if (typeof logging?.Level !== 'string' || !STATE_MACHINE_LOGGING.has(logging.Level)) break;
          for (const destination of Array.isArray(logging.Destinations) ? logging.Destinations : []) {
            toGroups(resolver.logGroupsAt(stack, TemplateValue.literalObject(TemplateValue.literalObject(destination)?.CloudWatchLogsLogGroup)?.LogGroupArn), `execution history of ${by}`);
          }
          break;
        }
        case 'AWS::CloudTrail::Trail':
          if (TemplateValue.booleanOf(p.IsLogging) === false) break;
          toGroups(resolver.logGroupsAt(stack, p.CloudWatchLogsLogGroupArn), `CloudTrail events of ${by}`);
          toBuckets(resolver.bucketsNamed(stack, p.S3BucketName), `CloudTrail events of ${by}`, () => underAwsLogs(optionalString(p.S3KeyPrefix)));
          break;
        case BUCKET: {
          const logging = TemplateValue.literalObject(p.LoggingConfiguration);
          if (logging?.DestinationBucketName === undefined) break;
          toBuckets(resolver.bucketsNamed(stack, logging.DestinationBucketName), `server access logs of ${by}`, () => optionalString(logging.LogFilePrefix));
          break;
        }
        case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
          const attributes = attributesOf(p.LoadBalancerAttributes);
          if (TemplateValue.booleanOf(attributes.get('access_logs.s3.enabled')) !== true) break;
          const prefix = optionalString(attributes.get('access_logs.s3.prefix'));
          toBuckets(resolver.bucketsNamed(stack, attributes.get('access_logs.s3.bucket')), `access logs of ${by}`, () => underAwsLogs(prefix));
          break;
        }
        case 'AWS::ElasticLoadBalancing::LoadBalancer': {
          const policy = TemplateValue.literalObject(p.AccessLoggingPolicy);
          if (!policy || TemplateValue.booleanOf(policy.Enabled) !== true) break;
          toBuckets(resolver.bucketsNamed(stack, policy.S3BucketName), `access logs of ${by}`, () => underAwsLogs(optionalString(policy.S3BucketPrefix)));
          break;
        }
        case 'AWS::CloudFront::Distribution': {
          const logging = TemplateValue.literalObject(TemplateValue.literalObject(p.DistributionConfig)?.Logging);
          if (logging?.Bucket === undefined) break;
          toBuckets(resolver.bucketsAt(stack, logging.Bucket), `standard logs of ${by}`, () => optionalString(logging.Prefix));
          break;
        }
        case 'AWS::Logs::SubscriptionFilter': {
          const groups = resolver.logGroupsNamed(stack, p.LogGroupName, true);
          if (groups === undefined) anySubscribed = true; else groups.forEach(group => subscribed.add(group));
          break;
        }
        case 'AWS::Logs::AccountPolicy':
          // An account-wide subscription may ship every log group elsewhere.
          if (p.PolicyType === 'SUBSCRIPTION_FILTER_POLICY' || typeof p.PolicyType !== 'string') anySubscribed = true;
          break;
      }
    }
  }
  return { logGroups, buckets, subscribed, anySubscribed };
}

/**
 * Finds the log groups and buckets of the validation's templates that an ARN, a name or a domain names: through
 * `StackReferences` (Ref, GetAtt, imports, nested stacks), literal names, and `Fn::Join`/`Fn::Sub` strings whose one
 * non-pseudo-parameter piece is such a reference.
 */
class DestinationResolver {
  private readonly groupsByName = new Map<string, TemplateResource[]>();
  private readonly bucketsByName = new Map<string, TemplateResource[]>();

  constructor(stacks: readonly StackTemplate[], private readonly references: StackReferences) {
    for (const stack of stacks) {
      for (const [type, index, property] of [[LOG_GROUP, this.groupsByName, 'LogGroupName'], [BUCKET, this.bucketsByName, 'BucketName']] as const) {
        for (const resource of stack.resourcesOfType(type)) {
          const name = stack.resolveString(resource.properties?.[property]);
          if (name !== undefined) index.set(name, [...index.get(name) ?? [], resource]);
        }
      }
    }
  }

  /** The log groups a log group ARN names (`[]` when none of the templates' or not a log group). */
  public logGroupsAt(stack: StackTemplate, value: unknown): TemplateResource[] {
    if (value === undefined) return [];
    const reference = this.references.resolve(stack, value);
    if (reference.kind === 'resource') return reference.resource.type === LOG_GROUP ? [reference.resource] : [];
    const parts = reference.kind === 'literal' ? [reference.value] : TemplateValue.stringParts(value, stack);
    const name = parts && piecesAfter(parts, ':log-group:');
    return name ? this.logGroupsNamed(stack, name.length === 1 ? name[0] : { 'Fn::Join': ['', name] }) ?? [] : [];
  }

  /**
   * The log groups a log group name names; `[]` when none of the templates', undefined when the name cannot be read
   * and `strict` asks to know.
   */
  public logGroupsNamed(stack: StackTemplate, value: unknown, strict: true): TemplateResource[] | undefined;
  public logGroupsNamed(stack: StackTemplate, value: unknown): TemplateResource[];
  public logGroupsNamed(stack: StackTemplate, value: unknown, strict = false): TemplateResource[] | undefined {
    const named = this.named(stack, value, LOG_GROUP, this.groupsByName, name => name);
    return named === undefined ? (strict ? undefined : []) : named.map(n => n.resource);
  }

  /** The buckets an S3 ARN (`arn:aws:s3:::name/prefix`) or a CloudFront logging domain (`name.s3.amazonaws.com`) names. */
  public bucketsAt(stack: StackTemplate, value: unknown): NamedResource[] {
    return this.named(stack, value, BUCKET, this.bucketsByName, literal => {
      const arn = /^arn:[^:]*:s3:::([^/]+)/.exec(literal);
      if (arn) return arn[1];
      const domain = /^([^/]+?)\.s3[.-]/.exec(literal);
      return domain ? domain[1] : undefined;
    }, true) ?? [];
  }

  /** The buckets a bucket name names. */
  public bucketsNamed(stack: StackTemplate, value: unknown): NamedResource[] {
    return this.named(stack, value, BUCKET, this.bucketsByName, name => name) ?? [];
  }

  /**
   * What a value names: a resource of `type` it refers to (with the text after it, for an ARN's key prefix), or the
   * resources whose literal name `nameOf` reads from it. Undefined when synth cannot tell.
   */
  private named(stack: StackTemplate, value: unknown, type: string, byName: ReadonlyMap<string, TemplateResource[]>,
    nameOf: (literal: string) => string | undefined, withSuffix = false): NamedResource[] | undefined {
    if (value === undefined) return [];
    const reference = this.references.resolve(stack, value);
    if (reference.kind === 'resource') return reference.resource.type === type ? [{ resource: reference.resource, suffix: '' }] : [];
    if (reference.kind === 'literal') return byLiteral(reference.value, byName, nameOf);
    const parts = TemplateValue.stringParts(value, stack);
    if (!parts) return undefined;
    const opaque = parts.flatMap((part, i) => (typeof part !== 'string' && !isPseudoParameter(part) ? [i] : []));
    if (opaque.length === 0) return byLiteral(textOf(parts), byName, nameOf);
    if (opaque.length !== 1) return undefined;
    const at = opaque[0];
    const inner = this.references.resolve(stack, parts[at]);
    if (inner.kind === 'unknown') return undefined;
    // A reference to a literal (an import, a nested-stack parameter): read the whole string again.
    if (inner.kind === 'literal') return byLiteral(textOf(parts.map((p, j) => (j === at ? inner.value : p))), byName, nameOf);
    const before = textOf(parts.slice(0, at));
    const after = parts.slice(at + 1);
    const suffix = after.every(p => typeof p === 'string') ? after.join('') : undefined;
    // Only the whole name, or the end of an ARN: 'x-' followed by a bucket's name names another bucket.
    if ((before !== '' && !before.endsWith(':')) || (!withSuffix && suffix !== '')) return undefined;
    return inner.resource.type === type ? [{ resource: inner.resource, suffix }] : [];
  }
}

/** The resources of a literal name, ARN or domain; undefined when its name holds a value synth does not know. */
function byLiteral(literal: string, byName: ReadonlyMap<string, TemplateResource[]>,
  nameOf: (literal: string) => string | undefined): NamedResource[] | undefined {
  const name = nameOf(literal);
  if (name === undefined) return [];
  if (name.includes(UNKNOWN_PIECE)) return undefined;
  const suffix = literal.startsWith('arn:') ? literal.slice(literal.indexOf(name) + name.length) : '';
  return (byName.get(name) ?? []).map(resource => ({ resource, suffix }));
}

/** The text of string parts, pseudo parameters (partition, region, account, stack name) as `UNKNOWN_PIECE`. */
function textOf(parts: readonly unknown[]): string {
  return parts.map(p => (typeof p === 'string' ? p : UNKNOWN_PIECE)).join('');
}

/** The pieces of an ARN after `marker` up to the next `:`; undefined when the marker is missing. */
function piecesAfter(parts: readonly unknown[], marker: string): unknown[] | undefined {
  const text = parts.map(p => (typeof p === 'string' ? p : '\u0000')).join('');
  if (!text.includes(marker)) return undefined;
  const pieces: unknown[] = [];
  let found = false;
  for (const part of parts) {
    if (typeof part !== 'string') {
      if (found) pieces.push(part);
      continue;
    }
    let rest = part;
    if (!found) {
      const at = part.indexOf(marker);
      if (at < 0) continue;
      found = true;
      rest = part.slice(at + marker.length);
    }
    const colon = rest.indexOf(':');
    if (colon >= 0) {
      if (colon > 0) pieces.push(rest.slice(0, colon));
      break;
    }
    if (rest !== '') pieces.push(rest);
  }
  return pieces.length > 0 ? pieces : undefined;
}

function isPseudoParameter(value: unknown): boolean {
  const ref = TemplateValue.refTarget(value);
  return ref !== undefined && ref.startsWith('AWS::');
}

/** `<prefix>/AWSLogs/`, where load balancers, CloudTrail and flow logs write; undefined when the prefix is unknown. */
function underAwsLogs(prefix: string | undefined): string | undefined {
  if (prefix === undefined) return undefined;
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? 'AWSLogs/' : `${trimmed}/AWSLogs/`;
}

/** A literal string, `''` when absent, undefined when an intrinsic. */
function optionalString(value: unknown): string | undefined {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : undefined;
}

/** Load balancer attributes by their literal keys. */
function attributesOf(value: unknown): Map<string, unknown> {
  const attributes = new Map<string, unknown>();
  for (const entry of Array.isArray(value) ? value : []) {
    if (TemplateValue.isObject(entry) && typeof entry.Key === 'string') attributes.set(entry.Key, entry.Value);
  }
  return attributes;
}


function minimum(values: ReadonlyArray<number | undefined>): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/** `access logs of AWS::ApiGateway::Stage Stage, ...`, at most three named. */
function describe(sources: readonly AuditSource[]): string {
  const labels = [...new Set(sources.map(s => s.label))];
  return labels.length <= 3 ? labels.join(', ') : `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`;
}
