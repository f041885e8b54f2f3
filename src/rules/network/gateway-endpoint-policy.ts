import { actionPattern, documentStatements, elementValues, isEveryone, literalStrings } from '../iam/policy-statements';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { awsServiceName, endpointType } from './vpc-endpoint-index';

/**
 * C17: in a durable stage, an S3 or DynamoDB gateway endpoint restricts what it reaches. Judged: an
 * `AWS::EC2::VPCEndpoint` of type Gateway (or without a type, for S3 and DynamoDB) with no `PolicyDocument`
 * (the default policy allows everything), or whose literal policy, with no Deny statement, has an Allow statement of
 * Principal `*` and no Condition that either allows `*` or `<service>:*` on Resource `*`, or allows a write
 * (`s3:PutObject`; `dynamodb:PutItem`, `UpdateItem` or `BatchWriteItem`, by name, wildcard or NotAction) on every
 * bucket or on tables of any account. Not judged: ephemeral stages, interface endpoints (their default policy is a
 * separate decision), policies synth cannot read, reads alone.
 */
export class GatewayEndpointPolicy implements FintechRule {
  /** Metadata of `Fintech-C17-GatewayEndpointOpenPolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C17-GatewayEndpointOpenPolicy',
    catalogId: 'C17',
    title: 'Gateway endpoints of durable stages reach only the account\'s buckets and tables',
    description: 'A gateway endpoint without a policy, or with one that lets every principal write to every bucket or table, lets code in the VPC write to ' +
      'any account\'s S3 bucket or DynamoDB table through it: an exfiltration path that bypasses the missing internet route. ' +
      'Judged in durable stages on gateway endpoints (type Gateway, or S3 and DynamoDB without a type) with no PolicyDocument, or, while no Deny statement ' +
      'narrows the policy, with an Allow statement of Principal * and no Condition that allows Action * (or s3:* / dynamodb:*) on Resource *, ' +
      'or allows a write (s3:PutObject; dynamodb:PutItem, UpdateItem or BatchWriteItem; by name, wildcard such as s3:Put*, or NotAction) on Resource *, ' +
      'every bucket (arn:aws:s3:::*) or the tables of any account (arn:aws:dynamodb:<region>:*:table/*). ' +
      'Not judged: ephemeral stages, interface endpoints (their default policy is a separate decision), ' +
      'endpoints without a type whose service name synth cannot read, policies synth cannot read (intrinsics, JSON that does not parse), ' +
      'resources with an intrinsic other than a pseudo parameter, bucket name prefixes (arn:aws:s3:::acme-*), ' +
      'Allow statements limited to some principals, and statements that only read (s3:GetObject on Resource * passes).',
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
    for (const { statement, location } of statements) {
      const open = openness(statement, service);
      if (open === undefined) continue;
      const element = (name: string) => `${name} ${elementValues(statement[name]).map(value => typeof value === 'string' ? value : JSON.stringify(value)).join(', ')}`;
      const actions = statement.Action === undefined ? element('NotAction') : element('Action');
      return report(`whose policy ${open} (${location.replace('Properties/PolicyDocument/', '')}: Principal *, ${actions}, ${element('Resource')}, no Condition)`);
    }
    return [];
  }
}


// One write each service's gateway carries: a statement that allows it on every bucket or table of every account is an
// exfiltration path whatever else it allows or withholds.
const WRITES: { readonly [service: string]: readonly string[] } = {
  s3: ['s3:PutObject'],
  dynamodb: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
};

// A resource of every account: `*`, every bucket (`arn:<partition>:s3:::*`, `.../*`), every table of any account
// (`arn:<partition>:dynamodb:<region>:*:table/*`). A bucket prefix, a table of the stack's own account, is a choice.
const ANY_RESOURCE: { readonly [service: string]: RegExp } = {
  s3: /^arn:[^:]*:s3:::\*(\/\*)?$/,
  dynamodb: /^arn:[^:]*:dynamodb:[^:]*:\*:table\/\*$/,
};

/** How an Allow statement opens the endpoint: to everything, to writes anywhere, or not at all (undefined). */
function openness(statement: { readonly [key: string]: unknown }, service: string | undefined): string | undefined {
  if (statement.Effect !== 'Allow' || !isEveryone(statement.Principal)) return undefined;
  const condition = statement.Condition;
  if (condition !== undefined && !(TemplateValue.isObject(condition) && Object.keys(condition).length === 0)) return undefined;
  const services = service === undefined ? Object.keys(WRITES) : [service];
  const everyAction = ['*', ...services.map(name => `${name}:*`)];
  const actions = literalStrings(statement.Action).map(action => action.toLowerCase());
  if (actions.some(action => everyAction.includes(action)) && literalStrings(statement.Resource).includes('*')) return 'allows everything';
  const open = services.find(name => anyResource(statement.Resource, name) && allowsWrite(statement, name));
  return open === undefined ? undefined : 'lets every principal write to every resource';
}

function anyResource(resource: unknown, service: string): boolean {
  return elementValues(resource).some(value => {
    // A pseudo parameter (the partition, the region, the account) stands for one ARN field; any other intrinsic is unknown.
    const parts = TemplateValue.stringParts(value) ?? [undefined];
    if (!parts.every(part => typeof part === 'string' || TemplateValue.refTarget(part)?.startsWith('AWS::'))) return false;
    const text = parts.map(part => typeof part === 'string' ? part : 'pseudo').join('');
    return text === '*' || ANY_RESOURCE[service].test(text);
  });
}

function allowsWrite(statement: { readonly [key: string]: unknown }, service: string): boolean {
  const writes = WRITES[service] ?? [];
  if (statement.Action !== undefined) {
    return literalStrings(statement.Action).some(action => writes.some(write => actionPattern(action).test(write)));
  }
  // NotAction allows every action it does not name: a write is allowed when no literal entry names it and every entry is literal.
  const except = elementValues(statement.NotAction);
  return statement.NotAction !== undefined && except.every(value => typeof value === 'string')
    && writes.some(write => !literalStrings(except).some(action => actionPattern(action).test(write)));
}
