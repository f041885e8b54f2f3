import { documentStatements, isEveryone, literalStrings } from '../iam/policy-statements';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { awsServiceName, endpointType } from './vpc-endpoint-index';

/**
 * C17: in a durable stage, an S3 or DynamoDB gateway endpoint restricts what it reaches. Judged: an
 * `AWS::EC2::VPCEndpoint` of type Gateway (or without a type, for S3 and DynamoDB) with no `PolicyDocument`
 * (the default policy allows everything), or whose literal policy has an Allow statement of Principal `*`, Action
 * `*` or `<service>:*`, Resource `*` and no Condition, and no Deny statement. Not judged: ephemeral stages,
 * interface endpoints (their default policy is a separate decision), policies synth cannot read.
 */
export class GatewayEndpointPolicy implements FintechRule {
  /** Metadata of `Fintech-C17-GatewayEndpointOpenPolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C17-GatewayEndpointOpenPolicy',
    catalogId: 'C17',
    title: 'Gateway endpoints of durable stages reach only the account\'s buckets and tables',
    description: 'A gateway endpoint without a policy, or with one that allows every principal every action on every resource, lets code in the VPC write to ' +
      'any account\'s S3 bucket or DynamoDB table through it: an exfiltration path that bypasses the missing internet route. ' +
      'Judged in durable stages on gateway endpoints (type Gateway, or S3 and DynamoDB without a type) with no PolicyDocument, or with an Allow statement of ' +
      'Principal *, Action * (or s3:* / dynamodb:*), Resource * and no Condition while no Deny statement narrows it. ' +
      'Not judged: ephemeral stages, interface endpoints (their default policy is a separate decision), ' +
      'endpoints without a type whose service name synth cannot read, policies synth cannot read (intrinsics, JSON that does not parse), ' +
      'and Allow statements limited to some principals or actions, even on Resource * (e.g. s3:PutObject).',
    fix: 'Use a FintechVpc (its gateway endpoint policies allow only the account\'s buckets and tables, plus the AWS-owned buckets a private workload needs), ' +
      'or endpoint.addToPolicy(...) with a condition on aws:ResourceAccount; with L1, set PolicyDocument.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'GatewayEndpointPolicy';
  public readonly infos = [GatewayEndpointPolicy.INFO];
  public readonly resourceTypes = ['AWS::EC2::VPCEndpoint'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!resource.stack.durable || !properties) return [];
    const service = awsServiceName(resource.stack, properties.ServiceName);
    if (endpointType(properties.VpcEndpointType, service) !== 'gateway') return [];
    const where = `in durable stage "${resource.stack.stageName}"`;
    const reaches = service === 'dynamodb' ? 'any DynamoDB table' : service === 's3' ? 'any S3 bucket' : 'any bucket or table';
    const report = (problem: string) => [findingOn(resource, GatewayEndpointPolicy.INFO.id,
      `${resource.type} ${resource.logicalId} is a gateway endpoint ${where} ${problem}, so code in the VPC can reach ${reaches} of any account through it.`,
      ['Properties/PolicyDocument'])];
    const document = properties.PolicyDocument;
    if (document === undefined) return report('with no PolicyDocument (the default policy allows everything)');
    const statements = documentStatements(typeof document === 'string' ? TemplateValue.parseJson(document)?.document : document, 'Properties/PolicyDocument');
    if (statements.length === 0 || statements.some(({ statement }) => statement.Effect === 'Deny')) return [];
    const open = statements.find(({ statement }) => allowsEverything(statement, service));
    return open ? report(`whose policy allows everything (${open.location.replace('Properties/PolicyDocument/', '')}: Principal *, Action *, Resource *, no Condition)`) : [];
  }
}


function allowsEverything(statement: { readonly [key: string]: unknown }, service: string | undefined): boolean {
  if (statement.Effect !== 'Allow' || !isEveryone(statement.Principal)) return false;
  const condition = statement.Condition;
  if (condition !== undefined && !(TemplateValue.isObject(condition) && Object.keys(condition).length === 0)) return false;
  const everyAction = service === undefined ? ['*', 's3:*', 'dynamodb:*'] : ['*', `${service}:*`];
  return literalStrings(statement.Action).some(action => everyAction.includes(action.toLowerCase()))
    && literalStrings(statement.Resource).includes('*');
}
