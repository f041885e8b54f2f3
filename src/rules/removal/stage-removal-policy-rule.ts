import { STATEFUL_RESOURCE_TYPES, StatefulResourceType } from '../../facts/stateful-resources';
import { functionLogGroupOf } from '../custom-resource-providers';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

type PolicyAttribute = 'DeletionPolicy' | 'UpdateReplacePolicy';

/** A policy as CloudFormation applies it; `implicit` when the template leaves it to the default. */
interface EffectivePolicy {
  readonly attribute: PolicyAttribute;
  readonly value: string;
  readonly implicit: boolean;
}

const KEEPS_SOMETHING = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);
// What the C02 rules judge, written into their descriptions (and so into docs/rules.md) from the one list the stage applies.
const DATA_TYPES = Object.keys(STATEFUL_RESOURCE_TYPES).join(', ');
const PROTECTED_TYPES = Object.entries(STATEFUL_RESOURCE_TYPES)
  .filter(([, spec]) => spec.deletionProtection || spec.elementDeletionProtection)
  .map(([type, spec]) => `${type} (${(spec.deletionProtection ?? spec.elementDeletionProtection)!.property})`).join(', ');
const UNSET_UNKNOWN = Object.entries(STATEFUL_RESOURCE_TYPES)
  .filter(([, spec]) => spec.deletionProtection?.whenUnset === 'unknown')
  .map(([type, spec]) => `${spec.deletionProtection!.property} of ${type}`).join(', ');
// What the C02 rules leave alone because it is not in that list (`STATEFUL_RESOURCE_TYPES` says why), for their "Not judged:" sentences.
const NOT_DATA = 'types that hold no data (SNS topics, which keep no messages; IAM roles, functions, alarms, API definitions, state machines, ' +
  'event buses), caches and buffers (ElastiCache cache clusters, DAX clusters, Firehose streams), Keyspaces keyspaces (their tables are judged), ' +
  'and AWS Backup vaults, S3 table buckets and Timestream databases, which cannot be deleted while they hold recovery points or tables';
const CONSEQUENCE: Record<PolicyAttribute, string> = { DeletionPolicy: 'deleting the stack', UpdateReplacePolicy: 'replacing the resource' };

/**
 * C02, stage-aware removal, judged on the synthesized DeletionPolicy, UpdateReplacePolicy and
 * deletion protection of every type in `STATEFUL_RESOURCE_TYPES` (the list the `StageRemovalPolicy`
 * aspect applies). Ephemeral stages must leave nothing behind; durable stages must lose nothing.
 * Must not judge: types that hold no data (SNS topics, roles, functions, alarms: not in the list), caches and scratch
 * storage in durable stages (`temporaryWhen`: a replication group without automatic snapshots, an FSx for Lustre scratch
 * file system), and deletion protection where the catalog does not ask for it (log groups are retained in durable
 * stages, not protected).
 */
export class StageRemovalPolicyRule implements FintechRule {
  /** Ephemeral stage, stateful resource that outlives its stack. */
  public static readonly EPHEMERAL_RETAINS_DATA: RuleInfo = {
    id: 'Fintech-C02-EphemeralRetainsData',
    catalogId: 'C02',
    title: 'Ephemeral stages leave nothing behind',
    description: 'A retained or snapshotted resource, or one with deletion protection, in a dev or preview stage outlives its stack: it keeps costing money and the next deployment collides with its name. ' +
      `Judged on the types that hold data: ${DATA_TYPES}. ` +
      'Reported as warnings naming the construct: what a library creates and always retains, with no prop to change it, such as the log group ' +
      'of a flow log, an awslogs driver or a trail, the key a bucket, queue, table or stream creates for its encryption, and a distribution\'s ' +
      'log bucket. ' +
      `Not judged: ${NOT_DATA}; a DeletionPolicy, UpdateReplacePolicy or deletion protection given by an intrinsic; ${UNSET_UNKNOWN}, ` +
      'when unset (CloudFormation does not document the default).',
    fix: 'Use RemovalPolicy.DESTROY and deletion protection off (FintechStage does both in ephemeral stages), or list the stage in durableStages.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Ephemeral stage, bucket deleted with its stack but never emptied. */
  public static readonly BUCKET_NOT_EMPTIED_ON_DELETE: RuleInfo = {
    id: 'Fintech-C02-BucketNotEmptiedOnDelete',
    catalogId: 'C02',
    title: 'Ephemeral buckets are emptied before their stack deletes them',
    description: 'CloudFormation cannot delete a bucket that holds objects, so deleting the stack fails and the stage cannot be torn down. ' +
      'Judged on S3 buckets of ephemeral stages deleted with their stack (DeletionPolicy Delete or unset); a Custom::S3AutoDeleteObjects of the ' +
      'same template that names the bucket (by Ref or by its literal name) empties it. Not judged: durable stages; retained buckets ' +
      '(Fintech-C02-EphemeralRetainsData); a DeletionPolicy given by an intrinsic; whether the bucket will hold objects at all; and every bucket ' +
      'of a template while one of its Custom::S3AutoDeleteObjects names a bucket synth cannot read (an import, another intrinsic).',
    fix: 'Use an s3.Bucket with autoDeleteObjects: true (FintechStage empties every bucket of an ephemeral stage).',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  /** Durable stage, stateful resource deleted with its stack or on replacement. */
  public static readonly DURABLE_DELETES_DATA: RuleInfo = {
    id: 'Fintech-C02-DurableDeletesData',
    catalogId: 'C02',
    title: 'Durable stages retain or snapshot every stateful resource',
    description: 'CloudFormation deletes a resource whose DeletionPolicy or UpdateReplacePolicy is Delete or unset (except RDS, whose DeletionPolicy defaults to Snapshot), so deleting the stack or replacing the resource loses staging or production data. ' +
      `Judged on the types that hold data: ${DATA_TYPES} (an Aurora instance inside a cluster is judged through its cluster). ` +
      'Reported as warnings naming the construct: what a library decides without a prop, such as the master secret an RDS cluster or instance ' +
      'or a DocumentDB cluster generates, and CodePipeline\'s artifact key. ' +
      `Not judged: ${NOT_DATA}; an ElastiCache replication group that takes no automatic snapshots (SnapshotRetentionLimit unset or 0), ` +
      'which its owners run as a cache; an FSx for Lustre scratch file system (DeploymentType SCRATCH_1 or SCRATCH_2, SCRATCH_1 when unset), ' +
      'which FSx designs for temporary storage and short-term processing, and whose data a failed file server already loses; an FSx file system ' +
      'whose type or deployment type is an intrinsic; a DeletionPolicy or UpdateReplacePolicy given by an intrinsic.',
    fix: 'Use RemovalPolicy.RETAIN (SNAPSHOT for databases); FintechStage does this in durable stages.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Durable stage, table, database or user pool without deletion protection. */
  public static readonly DELETION_PROTECTION_OFF: RuleInfo = {
    id: 'Fintech-C02-DeletionProtectionOff',
    catalogId: 'C02',
    title: 'Durable stages turn on deletion protection',
    description: 'A retain policy guards against stack deletion only; deletion protection also stops a console click or an API call from deleting a production table, database or user pool. ' +
      `Asked for only where the catalog asks for it, in durable stages: ${PROTECTED_TYPES}. ` +
      'Not judged: ephemeral stages (Fintech-C02-EphemeralRetainsData wants it off there); log groups, queues, buckets and keys, which are ' +
      `retained instead; ${UNSET_UNKNOWN}, when unset (CloudFormation does not document the default); protection given by an intrinsic; ` +
      'an RDS instance inside a cluster (Aurora), whose cluster is judged.',
    fix: 'Turn deletion protection on, e.g. deletionProtection: true on a dynamodb.Table or rds.DatabaseInstance; FintechStage does this in durable stages.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'StageRemovalPolicyRule';
  public readonly infos = [
    StageRemovalPolicyRule.EPHEMERAL_RETAINS_DATA,
    StageRemovalPolicyRule.BUCKET_NOT_EMPTIED_ON_DELETE,
    StageRemovalPolicyRule.DURABLE_DELETES_DATA,
    StageRemovalPolicyRule.DELETION_PROTECTION_OFF,
  ];
  public readonly resourceTypes = Object.keys(STATEFUL_RESOURCE_TYPES);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const spec = STATEFUL_RESOURCE_TYPES[resource.type];
    if (!spec) return [];
    return resource.stack.durable ? this.checkDurable(resource, spec) : this.checkEphemeral(resource, spec);
  }

  private checkEphemeral(resource: TemplateResource, spec: StatefulResourceType): RuleFinding[] {
    const { stageName } = resource.stack;
    const findings: RuleFinding[] = [];
    const policies = effectivePolicies(resource);
    const kept = policies.filter(p => KEEPS_SOMETHING.has(p.value));
    const protectedBy = deletionProtections(resource, spec).filter(p => p.on);
    const problems = [...kept.map(describe), ...protectedBy.map(p => `${p.location.replace(/^Properties\//, '')} ${p.value === undefined ? 'unset (on by default)' : JSON.stringify(p.value)}`)];
    if (problems.length > 0) {
      findings.push(findingOn(resource, StageRemovalPolicyRule.EPHEMERAL_RETAINS_DATA.id,
        `${resource.type} ${resource.logicalId} in ephemeral stage "${stageName}" has ${problems.join(', ')}, so it outlives its stack: ` +
        'deleting the stack leaves it (or its snapshot) behind, or fails.',
        [...kept.map(p => p.attribute), ...protectedBy.map(p => p.location)], managedFunctionLogGroupFix(resource)));
    }
    const deletion = policies.find(p => p.attribute === 'DeletionPolicy');
    if (resource.type === 'AWS::S3::Bucket' && deletion?.value === 'Delete' && !isEmptiedOnDelete(resource)) {
      findings.push(findingOn(resource, StageRemovalPolicyRule.BUCKET_NOT_EMPTIED_ON_DELETE.id,
        `Bucket ${resource.logicalId} in ephemeral stage "${stageName}" is deleted with its stack but nothing empties it first ` +
        '(no Custom::S3AutoDeleteObjects points at it), so deleting the stack fails while it holds objects.',
        ['DeletionPolicy']));
    }
    return findings;
  }

  private checkDurable(resource: TemplateResource, spec: StatefulResourceType): RuleFinding[] {
    // A cluster member (an Aurora instance) holds no data of its own: the cluster is retained and protected.
    if (spec.clusterMemberProperty && (!resource.properties || resource.properties[spec.clusterMemberProperty] !== undefined)) return [];
    if (spec.temporaryWhen && (!resource.properties || spec.temporaryWhen(resource.properties) !== false)) return [];
    const { stageName } = resource.stack;
    const findings: RuleFinding[] = [];
    const deleting = effectivePolicies(resource).filter(p => p.value === 'Delete');
    if (deleting.length > 0) {
      findings.push(findingOn(resource, StageRemovalPolicyRule.DURABLE_DELETES_DATA.id,
        `${resource.type} ${resource.logicalId} in durable stage "${stageName}" has ${deleting.map(describe).join(', ')}, ` +
        `so ${deleting.map(p => CONSEQUENCE[p.attribute]).join(' or ')} deletes its data.`,
        deleting.map(p => p.attribute),
        `Use RemovalPolicy.${spec.durablePolicy === 'Snapshot' ? 'SNAPSHOT' : 'RETAIN'}, which sets both DeletionPolicy and UpdateReplacePolicy; FintechStage does this in durable stages.`));
    }
    const unprotected = deletionProtections(resource, spec).filter(p => !p.on);
    if (unprotected.length > 0) {
      const setting = spec.deletionProtection ?? spec.elementDeletionProtection!;
      findings.push(findingOn(resource, StageRemovalPolicyRule.DELETION_PROTECTION_OFF.id,
        `${resource.type} ${resource.logicalId} in durable stage "${stageName}" has ` +
        `${unprotected.map(p => `${p.location.replace(/^Properties\//, '')} ${p.value === undefined ? 'unset' : JSON.stringify(p.value)}`).join(', ')}, ` +
        'so one API call or console click deletes it and its data.',
        unprotected.map(p => p.location),
        `Set ${setting.property} to ${JSON.stringify(setting.on)}; FintechStage does this in durable stages.`));
    }
    return findings;
  }
}

/** DeletionPolicy and UpdateReplacePolicy as CloudFormation applies them; intrinsics (unknown) are left out. */
function effectivePolicies(resource: TemplateResource): EffectivePolicy[] {
  const policies: EffectivePolicy[] = [];
  for (const attribute of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
    const value = resource.definition[attribute];
    if (typeof value === 'string') {
      policies.push({ attribute, value, implicit: false });
    } else if (value === undefined) {
      const defaultValue = defaultPolicy(resource, attribute);
      if (defaultValue) policies.push({ attribute, value: defaultValue, implicit: true });
    }
  }
  return policies;
}

// CloudFormation DeletionPolicy reference (checked 2026-11): Snapshot is the default for DBCluster and for DBInstance outside a cluster.
function defaultPolicy(resource: TemplateResource, attribute: PolicyAttribute): string | undefined {
  if (attribute === 'UpdateReplacePolicy') return 'Delete';
  if (resource.type === 'AWS::RDS::DBCluster') return 'Snapshot';
  if (resource.type === 'AWS::RDS::DBInstance') {
    if (!resource.properties) return undefined;
    return resource.properties.DBClusterIdentifier === undefined ? 'Snapshot' : 'Delete';
  }
  return 'Delete';
}

function describe(policy: EffectivePolicy): string {
  return policy.implicit ? `${policy.attribute} unset (CloudFormation's default is ${policy.value})` : `${policy.attribute} ${policy.value}`;
}

/** One deletion protection setting of a resource as synthesized. */
interface ProtectionSetting {
  /** Template location, e.g. `Properties/DeletionProtection` or `Properties/Replicas/0/DeletionProtectionEnabled`. */
  readonly location: string;
  readonly value: unknown;
  readonly on: boolean;
}

/** Every deletion protection setting of the resource (one per list element for e.g. global table replicas); unknown values are left out. */
function deletionProtections(resource: TemplateResource, spec: StatefulResourceType): ProtectionSetting[] {
  const properties = resource.properties;
  if (!properties) return [];
  const settings: ProtectionSetting[] = [];
  const judge = (location: string, value: unknown, on: unknown, whenUnset: 'on' | 'off' | 'unknown' = 'off') => {
    const isOn = value !== undefined ? protectionIsOn(value, on) : whenUnset === 'unknown' ? undefined : whenUnset === 'on';
    if (isOn !== undefined) settings.push({ location, value, on: isOn });
  };
  if (spec.deletionProtection) {
    const { property, on, whenUnset } = spec.deletionProtection;
    judge(`Properties/${property}`, properties[property], on, whenUnset);
  }
  const element = spec.elementDeletionProtection;
  const list = element ? properties[element.list] : undefined;
  if (element && Array.isArray(list)) {
    list.forEach((item, i) => {
      if (TemplateValue.isObject(item) && !TemplateValue.isIntrinsic(item)) judge(`Properties/${element.list}/${i}/${element.property}`, item[element.property], element.on);
    });
  }
  return settings;
}

/** Whether a set `value` turns protection on; an intrinsic or an odd type is unknown. */
function protectionIsOn(value: unknown, on: unknown): boolean | undefined {
  if (typeof on === 'boolean') {
    const flag = TemplateValue.booleanOf(value);
    return flag === undefined ? undefined : flag === on;
  }
  return typeof value === 'string' ? value === on : undefined;
}

/** Whether a `Custom::S3AutoDeleteObjects` in the same template empties the bucket; unknown targets count as emptying it. */
function isEmptiedOnDelete(bucket: TemplateResource): boolean {
  const emptied = autoDeleteTargets(bucket.stack);
  if (emptied.unknown) return true;
  const name = bucket.properties?.BucketName;
  return emptied.logicalIds.has(bucket.logicalId) || (typeof name === 'string' && emptied.names.has(name));
}

function autoDeleteTargets(stack: StackTemplate): { logicalIds: Set<string>; names: Set<string>; unknown: boolean } {
  return stack.memo('c02:auto-delete-targets', () => {
    const targets = { logicalIds: new Set<string>(), names: new Set<string>(), unknown: false };
    for (const custom of stack.resourcesOfType('Custom::S3AutoDeleteObjects')) {
      const bucketName = custom.properties?.BucketName;
      const ref = TemplateValue.refTarget(bucketName);
      if (ref) targets.logicalIds.add(ref);
      else if (typeof bucketName === 'string') targets.names.add(bucketName);
      else targets.unknown = true;
    }
    return targets;
  });
}

/**
 * The fix for the log group CDK gives a function under `@aws-cdk/aws-lambda:useCdkManagedLogGroup` (`<function>/LogGroup`,
 * named /aws/lambda/<function>), which CDK retains by default and no prop of the function reaches; undefined for any other.
 */
function managedFunctionLogGroupFix(resource: TemplateResource): string | undefined {
  if (resource.type !== 'AWS::Logs::LogGroup' || !resource.constructPath.endsWith('/LogGroup/Resource')) return undefined;
  const fn = resource.stack.resource(functionLogGroupOf(resource) ?? '');
  const fnPath = resource.constructPath.slice(0, -'/LogGroup/Resource'.length);
  if (!fn || fn.constructPath !== `${fnPath}/Resource`) return undefined;
  return `This is the log group CDK creates for the function ${fnPath} (feature flag @aws-cdk/aws-lambda:useCdkManagedLogGroup), retained by default: ` +
    'in ephemeral stages call fn.logGroup.applyRemovalPolicy(RemovalPolicy.DESTROY), or pass the function a logGroup of your own with the ' +
    "stage's removal policy (FintechStage does it for every stateful resource).";
}
