import { NAME_LIMITS, NameLimitKind, S3_BUCKET_RESERVED_PREFIXES, S3_BUCKET_RESERVED_SUFFIXES } from '../../facts/name-limits';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** A name property of a resource type, as a path below `Properties`, and the limit it is held to. */
interface NameProperty {
  readonly path: readonly string[];
  readonly kind: NameLimitKind;
  /** The boolean property that makes the resource FIFO, whose name must then end in `.fifo` (and only then). */
  readonly fifoProperty?: string;
}

const NAME_PROPERTIES: { readonly [type: string]: readonly NameProperty[] } = {
  'AWS::SQS::Queue': [{ path: ['QueueName'], kind: 'sqsQueue', fifoProperty: 'FifoQueue' }],
  'AWS::SNS::Topic': [{ path: ['TopicName'], kind: 'snsTopic', fifoProperty: 'FifoTopic' }],
  'AWS::Lambda::Function': [{ path: ['FunctionName'], kind: 'lambdaFunction' }],
  'AWS::IAM::Role': [{ path: ['RoleName'], kind: 'iamRole' }, { path: ['Path'], kind: 'iamPath' }],
  'AWS::S3::Bucket': [{ path: ['BucketName'], kind: 's3Bucket' }],
  'AWS::DynamoDB::Table': [{ path: ['TableName'], kind: 'dynamodbTable' }],
  'AWS::DynamoDB::GlobalTable': [{ path: ['TableName'], kind: 'dynamodbTable' }],
  'AWS::Logs::LogGroup': [{ path: ['LogGroupName'], kind: 'logGroup' }],
  'AWS::KMS::Alias': [{ path: ['AliasName'], kind: 'kmsAlias' }],
  'AWS::StepFunctions::StateMachine': [{ path: ['StateMachineName'], kind: 'stateMachine' }],
  'AWS::Events::Rule': [{ path: ['Name'], kind: 'eventRule' }],
  'AWS::CloudWatch::Alarm': [{ path: ['AlarmName'], kind: 'cloudwatchAlarm' }],
  'AWS::CloudWatch::CompositeAlarm': [{ path: ['AlarmName'], kind: 'cloudwatchAlarm' }],
  'AWS::ECS::Cluster': [{ path: ['ClusterName'], kind: 'ecsCluster' }],
  'AWS::ECS::Service': [{ path: ['ServiceName'], kind: 'ecsService' }],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [{ path: ['Name'], kind: 'loadBalancer' }],
  'AWS::ElasticLoadBalancingV2::TargetGroup': [{ path: ['Name'], kind: 'targetGroup' }],
  'AWS::ApiGateway::Stage': [{ path: ['StageName'], kind: 'apiGatewayStage' }],
  'AWS::ApiGateway::Deployment': [{ path: ['StageName'], kind: 'apiGatewayStage' }],
  'AWS::SecretsManager::Secret': [{ path: ['Name'], kind: 'secret' }],
  'AWS::XRay::SamplingRule': [{ path: ['SamplingRule', 'RuleName'], kind: 'xraySamplingRule' }, { path: ['RuleName'], kind: 'xraySamplingRule' }],
  'AWS::Synthetics::Canary': [{ path: ['Name'], kind: 'syntheticsCanary' }],
  'AWS::IAM::ManagedPolicy': [{ path: ['ManagedPolicyName'], kind: 'iamManagedPolicy' }],
  'AWS::Events::EventBus': [{ path: ['Name'], kind: 'eventBus' }],
  'AWS::Events::Archive': [{ path: ['ArchiveName'], kind: 'eventArchive' }],
  'AWS::CloudWatch::Dashboard': [{ path: ['DashboardName'], kind: 'cloudwatchDashboard' }],
  'AWS::Kinesis::Stream': [{ path: ['Name'], kind: 'kinesisStream' }],
  'AWS::ECR::Repository': [{ path: ['RepositoryName'], kind: 'ecrRepository' }],
  'AWS::RDS::DBCluster': [{ path: ['DBClusterIdentifier'], kind: 'rdsIdentifier' }],
  'AWS::RDS::DBInstance': [{ path: ['DBInstanceIdentifier'], kind: 'rdsIdentifier' }],
  'AWS::ElastiCache::ReplicationGroup': [{ path: ['ReplicationGroupId'], kind: 'elasticacheReplicationGroup' }],
  'AWS::DAX::Cluster': [{ path: ['ClusterName'], kind: 'daxCluster' }],
  'AWS::OpenSearchService::Domain': [{ path: ['DomainName'], kind: 'opensearchDomain' }],
  'AWS::SSM::Parameter': [{ path: ['Name'], kind: 'ssmParameter' }],
  'AWS::Batch::JobQueue': [{ path: ['JobQueueName'], kind: 'batchName' }],
  'AWS::Batch::ComputeEnvironment': [{ path: ['ComputeEnvironmentName'], kind: 'batchName' }],
  'AWS::Batch::JobDefinition': [{ path: ['JobDefinitionName'], kind: 'batchName' }],
  'AWS::Batch::SchedulingPolicy': [{ path: ['Name'], kind: 'batchName' }],
};

/**
 * C16: a literal physical name the service refuses: too long or too short, or with characters it does not accept
 * (limits in `src/facts/name-limits.ts`; for buckets also the prefixes and suffixes S3 reserves), or a FIFO queue or topic whose name lacks `.fifo` (or a standard one whose
 * name has it). CloudFormation fails the deployment on it, whatever construct wrote the name. Judged only where the
 * whole name is known at synth: a literal, or an `Fn::Join`/`Fn::Sub` of literals and of what synth knows (the region and
 * account of a stack whose environment is literal); a name holding any other intrinsic (a parameter, an attribute, the
 * account of an environment-agnostic stack) is never judged.
 */
export class InvalidPhysicalName implements FintechRule {
  /** Metadata of `Fintech-C16-InvalidPhysicalName`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C16-InvalidPhysicalName',
    catalogId: 'C16',
    title: 'Explicit physical names fit the service\'s length and character limits',
    description: 'A queue, topic, function, role, managed policy, bucket, table, log group, alias, state machine, rule, event bus, alarm, dashboard, stream, repository, ' +
      'ECS cluster, service, load balancer, target group, API stage, secret, sampling rule, canary, RDS cluster or instance, ElastiCache replication group, ' +
      'AWS Batch job queue, compute environment, job definition or scheduling policy, ' +
      'DAX cluster (at most 20 characters), OpenSearch domain (at most 28) or SSM parameter (not starting with aws or ssm) name longer than the service allows, or with a character it refuses, fails the ' +
      'deployment. Judged only on names known at synth: literals and joins of literals, the region and account of a stack whose environment is ' +
      'literal included. Not judged: a name holding a parameter, an attribute, a pseudo parameter or any other intrinsic, even when its literal ' +
      'part alone is too long; the .fifo ending while FifoQueue or FifoTopic is an intrinsic; a FunctionName given as a function ARN.',
    fix: "Build the name with PhysicalName.of(this, '<base>', { kind: NameKind.<KIND> }), which fits every limit, or drop it and let CloudFormation generate one.",
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'InvalidPhysicalName';
  public readonly infos = [InvalidPhysicalName.INFO];
  public readonly resourceTypes = Object.keys(NAME_PROPERTIES);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const property of NAME_PROPERTIES[resource.type] ?? []) {
      const value = property.path.reduce<unknown>((at, key) => (TemplateValue.isObject(at) ? at[key] : undefined), resource.properties);
      const name = literalText(value);
      // Lambda also takes a function ARN (or partial ARN) as FunctionName; only a plain name is judged.
      if (name === undefined || (property.kind === 'lambdaFunction' && name.includes(':'))) continue;
      const problem = this.problem(name, property, resource);
      if (!problem) continue;
      const limit = NAME_LIMITS[property.kind];
      const location = `Properties/${property.path.join('/')}`;
      findings.push(findingOn(resource, InvalidPhysicalName.INFO.id,
        `${resource.type} ${resource.logicalId} has ${property.path.join('.')} "${name}", ${problem}, so the deployment fails (${limit.what}: ` +
        `${limit.minLength}-${limit.maxLength} characters, ${limit.allowed}).`, [location]));
    }
    return findings;
  }

  private problem(name: string, property: NameProperty, resource: TemplateResource): string | undefined {
    const limit = NAME_LIMITS[property.kind];
    if (name.length > limit.maxLength) return `which is ${name.length} characters long, over the ${limit.maxLength} allowed`;
    if (name.length < limit.minLength) return `which is ${name.length} characters long, under the ${limit.minLength} required`;
    const reserved = property.kind === 'ssmParameter' ? /^\/?(aws|ssm)/i.exec(name) : null;
    if (reserved) return `which starts with "${reserved[1]}", a prefix Systems Manager reserves`;
    if (property.kind === 'ssmParameter' && name.includes('/') && !name.startsWith('/')) return 'which is a hierarchy that does not start with /';
    if (!limit.pattern.test(name)) return 'which holds characters or a shape the service refuses';
    if (property.kind === 's3Bucket') {
      const prefix = S3_BUCKET_RESERVED_PREFIXES.find(p => name.startsWith(p));
      const suffix = S3_BUCKET_RESERVED_SUFFIXES.find(p => name.endsWith(p));
      if (prefix || suffix) return `which ${prefix ? `starts with "${prefix}"` : `ends with "${suffix}"`}, which S3 reserves`;
      if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'which is formatted as an IP address, which S3 refuses';
    }
    if (!property.fifoProperty) return undefined;
    const setting = resource.properties?.[property.fifoProperty];
    // An intrinsic FIFO setting is unknown, so the ending is not judged.
    const fifo = setting === undefined ? false : TemplateValue.booleanOf(setting);
    if (fifo === true && !name.endsWith('.fifo')) return `which lacks the .fifo ending that ${property.fifoProperty} requires`;
    if (fifo === false && name.endsWith('.fifo')) return `which ends in .fifo while ${property.fifoProperty} is not true`;
    return undefined;
  }
}

/** The whole text of a name known at synth: a string, or an `Fn::Join` / variable-free `Fn::Sub` of literals; else undefined. */
function literalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!TemplateValue.isObject(value) || Object.keys(value).length !== 1) return undefined;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(literalText);
    return parts.every(part => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string' && !/\$\{[^!]/.test(sub)) return sub.replace(/\$\{!/g, '${');
  return undefined;
}
