import { EndpointService, LAMBDA_SERVICE_SIDE_PREFIXES, endpointForIamAction, forwardedGrants, isForwarded } from '../../facts/vpc-endpoint-services';
import { followedResource } from '../events/deliveries';
import { IDENTITY_POLICY_TYPES, PolicyStatement, actionPattern, documentStatements, literalStrings, policyStatements, trustsOnlyService } from '../iam/policy-statements';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { idsLeavingTemplate, idsLeavingValidation, nameFrom, subnetRouteIndex } from './subnet-routes';
import { templateReferences } from '../template/template-references';
import { TemplateValue } from '../template-value';
import { IndexedEndpoint, vpcEndpointIndex } from './vpc-endpoint-index';

// IAM action prefixes are letters, digits and dashes: a prefix with a wildcard names no one service.
const PLAIN_PREFIX = /^[a-z0-9-]+$/;
// Environment variables that send the SDK's calls through a proxy, a path the templates do not show.
const PROXY_VARIABLE = /^(https?|all)_proxy$/i;
/**
 * Actions the Lambda service calls with the function's role to poll an event source (SQS, DynamoDB streams, Kinesis),
 * outside the function's network; source: Lambda developer guide, "execution role permissions" of each event
 * source (read 2026-12), and the grants aws-cdk-lib 2.257's event sources add.
 */
const POLLER_ACTIONS: { readonly [prefix: string]: ReadonlySet<string> } = {
  sqs: new Set(['receivemessage', 'deletemessage', 'deletemessagebatch', 'changemessagevisibility', 'changemessagevisibilitybatch', 'getqueueattributes', 'getqueueurl']),
  dynamodb: new Set(['describestream', 'getrecords', 'getsharditerator', 'liststreams']),
  kinesis: new Set(['describestream', 'describestreamsummary', 'describestreamconsumer', 'getrecords', 'getsharditerator', 'listshards', 'liststreams', 'subscribetoshard']),
};
// Event source ARNs by the type of the template resource they name.
const SOURCE_SERVICE_BY_TYPE: { readonly [type: string]: string } = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::Kinesis::StreamConsumer': 'kinesis',
};
// References to a KMS key that are not a service encrypting with it: the key's own policy, aliases and identity policies.
const KEY_REFERENCES_BY_CODE = new Set(['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::IAM::RolePolicy', ...IDENTITY_POLICY_TYPES]);

/** Where a function runs, when every subnet, route table and route of its VPC is in the template. */
interface PrivatePlacement {
  readonly vpc: TemplateResource;
  readonly subnets: readonly TemplateResource[];
  /** The route tables of those subnets. */
  readonly tables: readonly TemplateResource[];
  /** Subnets without a route table association: they use the VPC's main route table, which holds only the local route. */
  readonly onMainTable: readonly TemplateResource[];
}

/** One allowed action of a role, with where it is granted. */
interface Grant {
  /** As written, e.g. `sqs:SendMessage`. */
  readonly action: string;
  /** The prefix in lower case, e.g. `sqs`. */
  readonly prefix: string;
  /** The part after the prefix in lower case, e.g. `sendmessage`. */
  readonly name: string;
  /** The statement granting it. */
  readonly statement: { readonly [key: string]: unknown };
  /** `AWS::IAM::Policy Name` or the like. */
  readonly source: string;
}

/** What the Lambda service does on the function's behalf with its role, outside the function's network. */
interface ServiceSideUse {
  /** Services of its event source mappings, whose polling actions Lambda calls; 'any' when a source cannot be read. */
  readonly polled: ReadonlySet<string> | 'any';
  /** Logical ids and literal ARNs of its dead-letter queue and destinations, which Lambda sends to. */
  readonly targets: ReadonlySet<string>;
  /** Whether an event source authenticates with a secret, which Lambda reads. */
  readonly sourceSecrets: boolean;
}

/**
 * C17: a Lambda function in subnets with no route out can call only the AWS services its VPC has endpoints for.
 * Judged: an `AWS::Lambda::Function` whose `VpcConfig.SubnetIds` are all subnets of the validated templates (its own or
 * another stack's, through imports and nested-stack parameters), in one VPC, each associated with route tables of that VPC without a route to an internet, NAT or egress-only
 * gateway (or with none: the VPC's main route table, which the template cannot name, holds only the local route), and whose role (an `AWS::IAM::Role` of the template, its inline policies and the `AWS::IAM::Policy`,
 * `ManagedPolicy` and `RolePolicy` resources attached to it) allows a literal action of a service that has a VPC
 * endpoint (facts/vpc-endpoint-services) while the VPC has no `AWS::EC2::VPCEndpoint` for it (gateway endpoints only
 * when on the route tables of the function's subnets); endpoints count from every validated template.
 * Not judged: subnets, VPCs, route tables and roles from outside the validated templates or unresolvable; roles another function or principal may
 * use (trusted by more than the Lambda service, shared, or received by other templates); a VPC with any route that is not a
 * default route to an internet, NAT or egress-only gateway (transit gateways, peering, network interfaces, VPN
 * propagation, conditional routes), whose id or route tables leave the validated templates (`idsLeavingValidation`), or that has an endpoint the
 * template cannot name (a PrivateLink service could be a proxy); functions with a proxy in their environment;
 * `*` actions, NotAction, and actions with a wildcard in the service part; the prefixes the Lambda service uses
 * itself (ENIs, logs, traces), an event source's polling actions, sends to its dead-letter queue and destinations,
 * the secrets of event sources, and KMS actions on keys that a service encrypts with (they call KMS, not the code);
 * for a service whose API is split over several endpoints (SageMaker, Bedrock, AppConfig, Payment Cryptography), its wildcard
 * actions and the actions not known to go to one endpoint; and grants a called service uses with the caller's own
 * permissions (facts `forwardsTo`: Athena's Glue and S3, the RDS Data API's Secrets Manager, Textract's S3, Polly's S3 and SNS,
 * Bedrock's agent runtime's model invocations and guardrails).
 */
export class FunctionServiceRoutes implements FintechRule {
  /** Metadata of `Fintech-C17-FunctionWithoutServiceRoute`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C17-FunctionWithoutServiceRoute',
    catalogId: 'C17',
    title: 'A function in subnets without a route out has an endpoint for every service it is granted',
    description: 'A Lambda function in isolated subnets reaches AWS services only through VPC endpoints: a service its role is granted but the VPC has no endpoint for ' +
      '(or a gateway endpoint not on its route tables) makes every SDK call time out at run time, while synth and deploy succeed. ' +
      'Judged on functions whose subnets, route tables, VPC and routes are all in the templates of the stage (a network stack\'s VPC passed in through exports or nested-stack parameters counts, ' +
      'with the endpoints every stack of the stage adds to it) and whose role is in the function\'s template, in a VPC whose every route is known ' +
      '(a subnet without a route table association uses the VPC\'s main route table, which holds only the local route and no gateway endpoint). ' +
      'Not judged: subnets and VPCs from outside the app (literal ids, lookups) or that cannot be resolved, ' +
      'roles of another template or from outside, roles shared with other functions or trusted by more than the Lambda service, ' +
      'VPCs with a route to a transit gateway, peering, network interface or VPN, ' +
      'VPCs whose id or route tables leave the stage (an output other than the exports CDK writes for another stack of the app, ' +
      'a custom resource), VPCs with a PrivateLink endpoint to a non-AWS service, ' +
      'functions in subnets with an internet, NAT or egress-only route or with a proxy variable, ' +
      '`*` actions, NotAction and actions with a wildcard in the service part, ' +
      'and what the Lambda service calls itself with the role (ENIs, logs, traces, event source polling, ' +
      'dead-letter queues and destinations, event source secrets, KMS keys a service encrypts with), ' +
      'wildcard actions of a service whose API is split over several endpoints (SageMaker runtime and feature store, Bedrock model and agent runtimes, AppConfig data, Payment Cryptography data plane) and its actions not known to go to one of them, ' +
      'and grants a called service uses with the function\'s own permissions (Athena\'s Glue and S3 reads, the RDS Data API\'s database secret, Textract\'s S3 documents, Polly\'s audio files and notifications, the model invocations and guardrails of Bedrock\'s retrieve-and-generate, inline agents and reranking).',
    fix: 'Add the missing endpoint to the VPC (FintechVpc endpoints: [...], vpc.addInterfaceEndpoint or vpc.addGatewayEndpoint on the function\'s subnets), ' +
      'or place the function in subnets with a NAT route, or remove the grant the code does not use.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'FunctionServiceRoutes';
  public readonly infos = [FunctionServiceRoutes.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(fn: TemplateResource): RuleFinding[] {
    const properties = fn.properties;
    if (!properties || usesProxy(properties.Environment)) return [];
    const stack = fn.stack;
    const placement = privatePlacement(stack, properties.VpcConfig);
    if (!placement) return [];
    const endpointIndex = vpcEndpointIndex(stack);
    const endpoints = endpointIndex.byVpc.get(placement.vpc) ?? [];
    if (endpointIndex.unplaced || endpoints.some(e => !e.certain || e.service === undefined)) return [];
    const role = TemplateValue.referencedId(properties.Role);
    if (!role || stack.resource(role)?.type !== 'AWS::IAM::Role' || !roleOfThisFunctionOnly(stack, role, fn)) return [];

    const serviceSide = serviceSideUse(stack, fn);
    const called = grantsOfRole(stack, role).flatMap(grant => {
      const service = isServiceSide(stack, grant, serviceSide) ? undefined : endpointForIamAction(grant.action);
      return service ? [{ service, grant }] : [];
    });
    // Grants the called services use with the role themselves (forward access sessions) are not the code's calls.
    const forwarded = forwardedGrants(called.map(call => call.service));
    const needed = new Map<string, { service: EndpointService; grant: Grant }>();
    for (const call of called) {
      if (!isForwarded(forwarded, call.grant.action) && !needed.has(call.service.name)) needed.set(call.service.name, call);
    }
    const findings: RuleFinding[] = [];
    for (const { service, grant } of needed.values()) {
      const missing = missingEndpoint(service, endpoints, placement, stack);
      if (missing === undefined) continue;
      findings.push(findingOn(fn, FunctionServiceRoutes.INFO.id,
        `${fn.type} ${fn.logicalId} runs in subnets ${names(placement.subnets, placement.vpc.stack)} of AWS::EC2::VPC ${nameFrom(placement.vpc, stack)}, which have no route to an internet or NAT gateway, ` +
        `and its role ${role} is granted ${grant.action} (${grant.source}), but ${missing}, so those calls fail at run time.`,
        ['Properties/VpcConfig/SubnetIds', 'Properties/Role'], fixFor(service)));
    }
    return findings;
  }
}

/**
 * The function's subnets when they are all known, isolated, and in one VPC of the validated templates whose every route
 * is known; the subnets and VPC may be another stack's (an import, a nested-stack parameter).
 */
function privatePlacement(stack: StackTemplate, vpcConfig: unknown): PrivatePlacement | undefined {
  const subnetIds = TemplateValue.isObject(vpcConfig) ? vpcConfig.SubnetIds : undefined;
  if (!Array.isArray(subnetIds) || subnetIds.length === 0) return undefined;
  const subnets: TemplateResource[] = [];
  const vpcs = new Set<TemplateResource>();
  for (const id of subnetIds) {
    const subnet = followedResource(stack, id, 'AWS::EC2::Subnet');
    const vpc = subnet && followedResource(subnet.stack, subnet.properties?.VpcId, 'AWS::EC2::VPC');
    if (!subnet || !vpc) return undefined;
    subnets.push(subnet);
    vpcs.add(vpc);
  }
  const [vpc] = vpcs;
  if (vpcs.size !== 1 || idsLeavingValidation(stack.peers).has(vpc)) return undefined;
  const routes = subnetRouteIndex(stack);
  if (routes.unplaced.length > 0) return undefined;
  const unknownRoutes = vpcsWithUnknownRoutes(stack);
  if (unknownRoutes === 'all' || unknownRoutes.has(vpc)) return undefined;
  const tables: TemplateResource[] = [];
  const onMainTable: TemplateResource[] = [];
  for (const subnet of subnets) {
    // Without an association a subnet uses the main route table of its VPC: the templates cannot name that table, so
    // no route and no gateway endpoint can be on it (a VPC whose id leaves the templates was left out above).
    const ofSubnet = routes.tablesOfSubnet.get(subnet) ?? [];
    if (ofSubnet.length === 0) onMainTable.push(subnet);
    for (const table of ofSubnet) {
      if (!table.table || table.vpc !== vpc || table.routes.some(route => route.target !== 'local')) return undefined;
      if (!tables.includes(table.table)) tables.push(table.table);
    }
  }
  return { vpc, subnets, tables, onMainTable };
}

/**
 * VPCs of the validated templates with a route table that others may change or a route synth cannot read ('all' when
 * such a table may be in any VPC), computed once per validation.
 */
function vpcsWithUnknownRoutes(stack: StackTemplate): ReadonlySet<TemplateResource> | 'all' {
  return stack.peers.memo('FunctionServiceRoutes.unknown-routes', () => {
    const vpcs = new Set<TemplateResource>();
    for (const table of subnetRouteIndex(stack).tables.values()) {
      if (!table.open && table.routes.every(isKnownRoute)) continue;
      if (table.unresolvedVpc) return 'all';
      if (table.vpc !== undefined) vpcs.add(table.vpc);
    }
    return vpcs;
  });
}

/** A route synth surely reads: a default route to an internet, NAT or egress-only gateway, or the VPC's own range. */
function isKnownRoute(route: { readonly target: string; readonly toAnywhere: boolean; readonly certain: boolean }): boolean {
  if (!route.certain) return false;
  return route.target === 'local' || (route.toAnywhere && route.target !== 'other');
}

/** Logical ids, each followed by its stack when another than `from`'s. */
function names(resources: readonly TemplateResource[], from: StackTemplate): string {
  return resources.map(resource => nameFrom(resource, from)).join(', ');
}

function usesProxy(environment: unknown): boolean {
  const variables = TemplateValue.isObject(environment) ? environment.Variables : undefined;
  if (variables === undefined) return false;
  if (!TemplateValue.isObject(variables) || TemplateValue.isIntrinsic(variables)) return true;
  return Object.keys(variables).some(name => PROXY_VARIABLE.test(name));
}

/** Why the VPC gives no path to the service, or undefined when it has one (or may have one); names are as seen `from` the function's template. */
function missingEndpoint(service: EndpointService, endpoints: readonly IndexedEndpoint[], placement: PrivatePlacement,
  from: StackTemplate): string | undefined {
  const serving = endpoints.filter(e => e.service === service.name || e.service === `${service.name}-fips`);
  const name = `com.amazonaws.<region>.${service.name}`;
  if (serving.length === 0) return `the VPC has no ${service.name} endpoint (${name})`;
  // An interface endpoint serves every subnet of the VPC; a gateway endpoint only the route tables it is on.
  if (serving.some(e => e.type !== 'gateway' || e.routeTables === undefined)) return undefined;
  const on = new Set(serving.flatMap(e => e.routeTables ?? []));
  const off = placement.tables.filter(table => !on.has(table));
  const endpoint = `its ${service.name} gateway endpoint ${serving.map(e => nameFrom(e.resource, from)).join(', ')}`;
  if (placement.onMainTable.length > 0) {
    return `${endpoint} cannot be on the VPC's main route table, which subnet ${names(placement.onMainTable, from)} uses (no AWS::EC2::SubnetRouteTableAssociation)`;
  }
  if (off.length === 0) return undefined;
  return `${endpoint} is not on route table ${names(off, from)} of those subnets`;
}

function fixFor(service: EndpointService): string {
  if (service.type === 'Gateway') {
    return `Put the ${service.name} gateway endpoint on the route tables of the function's subnets: FintechVpc endpoints: ['${service.name}'] wires it to every private and isolated route table; ` +
      `with ec2.Vpc, vpc.addGatewayEndpoint('${service.name}', { service: new ec2.GatewayVpcEndpointAwsService('${service.name}') }) without subnets does too; with L1, add the route tables to RouteTableIds. ` +
      'Or remove the grant the code does not use.';
  }
  return `Add an interface endpoint for ${service.name} to the VPC: FintechVpc endpoints: [..., '${service.name}'], or ` +
    `vpc.addInterfaceEndpoint('${service.name}', { service: new ec2.InterfaceVpcEndpointAwsService('${service.name}') }); ` +
    'or place the function in subnets with a NAT route, or remove the grant the code does not use.';
}

/** Whether the Lambda service, not the function's code, makes the calls a grant allows. */
function isServiceSide(stack: StackTemplate, grant: Grant, use: ServiceSideUse): boolean {
  if (LAMBDA_SERVICE_SIDE_PREFIXES.includes(grant.prefix)) return true;
  const pollerActions = POLLER_ACTIONS[grant.prefix];
  if (pollerActions && (use.polled === 'any' || use.polled.has(grant.prefix)) && (pollerActions.has(grant.name) || /[*?]/.test(grant.name))) return true;
  if (grant.prefix === 'secretsmanager' && use.sourceSecrets) return true;
  const resources = grant.statement.Resource;
  const targets = (Array.isArray(resources) ? resources : [resources]).map(r => resourceNamed(stack, r));
  if (targets.length > 0 && targets.every(target => target !== undefined && use.targets.has(target))) return true;
  if (grant.prefix === 'kms') {
    // kms:ViaService: only calls another service makes for the caller; else only keys the code alone uses are judged.
    const condition = grant.statement.Condition;
    if (TemplateValue.isObject(condition) && JSON.stringify(condition).toLowerCase().includes('kms:viaservice')) return true;
    const keys = keysUsedByCode(stack);
    return !targets.some(target => target !== undefined && keys.has(target));
  }
  return false;
}

/**
 * The logical id of the resource a policy Resource entry names (`Ref`, `Fn::GetAtt`, or one of them joined with
 * literals, as CDK writes `${Function.Arn}:*`), else the literal ARN; undefined when synth cannot tell.
 */
function resourceNamed(stack: StackTemplate, value: unknown): string | undefined {
  const direct = TemplateValue.referencedId(value);
  if (direct !== undefined) return direct;
  const parts = TemplateValue.stringParts(value, stack);
  if (parts === undefined) return undefined;
  const references = parts.filter(part => typeof part !== 'string');
  if (references.length === 0) return parts.join('');
  return references.length === 1 ? TemplateValue.referencedId(references[0]) : undefined;
}

/** What the Lambda service calls with this function's role: event sources, dead-letter queue and destinations. */
function serviceSideUse(stack: StackTemplate, fn: TemplateResource): ServiceSideUse {
  let polled: Set<string> | 'any' = new Set<string>();
  const targets = new Set<string>();
  let sourceSecrets = false;
  const addTarget = (value: unknown) => {
    const target = TemplateValue.referencedId(value) ?? stack.resolveString(value);
    if (target !== undefined) targets.add(target);
  };
  addTarget(objectAt(fn.properties, 'DeadLetterConfig', 'TargetArn'));
  for (const mapping of configsOf(stack, 'AWS::Lambda::EventSourceMapping', fn)) {
    const properties = mapping.properties!;
    const service = sourceService(stack, properties.EventSourceArn);
    if (service === undefined) polled = 'any';
    else if (polled !== 'any') polled.add(service);
    if (properties.SourceAccessConfigurations !== undefined || properties.EventSourceArn === undefined) sourceSecrets = true;
    addTarget(objectAt(properties, 'DestinationConfig', 'OnFailure', 'Destination'));
  }
  for (const config of configsOf(stack, 'AWS::Lambda::EventInvokeConfig', fn)) {
    addTarget(objectAt(config.properties, 'DestinationConfig', 'OnFailure', 'Destination'));
    addTarget(objectAt(config.properties, 'DestinationConfig', 'OnSuccess', 'Destination'));
  }
  return { polled, targets, sourceSecrets };
}

/**
 * The event source mappings or invoke configs (`type`) whose FunctionName may name the function: those naming it by
 * `Ref` or `Fn::GetAtt` are indexed once per template; the others (literal names, joins) are matched one by one.
 */
function configsOf(stack: StackTemplate, type: string, fn: TemplateResource): TemplateResource[] {
  const index = stack.memo(`FunctionServiceRoutes.${type}`, () => {
    const byFunction = new Map<string, TemplateResource[]>();
    const others: TemplateResource[] = [];
    for (const config of stack.resourcesOfType(type)) {
      if (!config.properties) continue;
      const target = TemplateValue.referencedId(config.properties.FunctionName);
      if (target === undefined) others.push(config);
      else byFunction.set(target, [...byFunction.get(target) ?? [], config]);
    }
    return { byFunction, others };
  });
  return [...index.byFunction.get(fn.logicalId) ?? [], ...index.others.filter(config => refersTo(stack, fn, config.properties!.FunctionName))];
}

function objectAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = TemplateValue.isObject(current) ? current[key] : undefined;
  return current;
}

/** Whether a FunctionName value may name this function; a value synth cannot read may. */
function refersTo(stack: StackTemplate, fn: TemplateResource, value: unknown): boolean {
  const parts = TemplateValue.stringParts(value, stack);
  if (parts === undefined) return true;
  if (parts.some(part => TemplateValue.referencedId(part) === fn.logicalId)) return true;
  // Region, account and partition only fill in the ARN around the name.
  const isPseudo = (part: unknown) => TemplateValue.refTarget(part)?.startsWith('AWS::') === true;
  if (parts.some(part => typeof part !== 'string' && !isPseudo(part))) {
    // Another resource of the template or an import is not this function; anything else may be.
    return !parts.every(part => typeof part === 'string' || TemplateValue.referencedId(part) !== undefined
      || (TemplateValue.isObject(part) && part['Fn::ImportValue'] !== undefined));
  }
  const name = fn.properties?.FunctionName;
  if (typeof name !== 'string') return false;
  const text = parts.map(part => (typeof part === 'string' ? part : '*')).join('');
  return text === name || text.endsWith(`:function:${name}`) || text.includes(`:function:${name}:`);
}

/** The service of an event source ARN: a resource of the template or a literal ARN; undefined when unknown. */
function sourceService(stack: StackTemplate, arn: unknown): string | undefined {
  const target = TemplateValue.referencedId(arn);
  if (target !== undefined) return SOURCE_SERVICE_BY_TYPE[stack.resource(target)?.type ?? ''];
  const first = TemplateValue.stringParts(arn, stack)?.[0];
  return typeof first === 'string' ? /^arn:[^:]+:([a-z0-9-]+):/.exec(first)?.[1] : undefined;
}

/** KMS keys of the template that no service encrypts with: referenced only by IAM policies, aliases and function environments. */
function keysUsedByCode(stack: StackTemplate): ReadonlySet<string> {
  return stack.memo('FunctionServiceRoutes.code-keys', () => {
    const keys = new Set(stack.resourcesOfType('AWS::KMS::Key').map(key => key.logicalId));
    for (const id of idsLeavingTemplate(stack)) keys.delete(id);
    for (const element of templateReferences(stack).elements) {
      if (element.section === 'Conditions') continue;
      const byCode = element.type !== undefined && KEY_REFERENCES_BY_CODE.has(element.type);
      for (const reference of element.references) {
        if (!keys.has(reference.target) || byCode) continue;
        // The code reads a key id from its environment; KmsKeyArn (environment encryption) is Lambda's own use.
        if (element.type === 'AWS::Lambda::Function' && reference.location.startsWith('Properties/Environment')) continue;
        keys.delete(reference.target);
      }
    }
    return keys;
  });
}

/**
 * Whether only this function uses the role: the role is trusted by the Lambda service alone, no other function of the
 * template names it (or may, through a Role synth cannot read), and no other template receives it. A role shared with
 * other functions or services holds grants for their calls too, which this function may never make.
 */
function roleOfThisFunctionOnly(stack: StackTemplate, role: string, fn: TemplateResource): boolean {
  if (idsLeavingTemplate(stack).has(role)) return false;
  if (!trustsOnlyService(stack.resource(role)!.properties?.AssumeRolePolicyDocument, LAMBDA_SERVICE)) return false;
  const users = stack.memo('FunctionServiceRoutes.role-users', () => {
    const byName = new Map(stack.resourcesOfType('AWS::IAM::Role').flatMap(r => (typeof r.properties?.RoleName === 'string' ? [[r.properties.RoleName, r.logicalId]] : [])));
    const byRole = new Map<string, string[]>();
    for (const other of stack.resourcesOfType('AWS::Lambda::Function')) {
      const value = other.properties?.Role;
      // '' collects roles synth cannot read, which may be any role; a literal ARN names a role of the template by its name.
      const id = TemplateValue.referencedId(value) ?? (typeof value === 'string' ? byName.get(value.slice(value.lastIndexOf('/') + 1)) : '');
      if (id !== undefined) byRole.set(id, [...byRole.get(id) ?? [], other.logicalId]);
    }
    return byRole;
  });
  return (users.get(role) ?? []).every(id => id === fn.logicalId) && (users.get('') ?? []).every(id => id === fn.logicalId);
}

const LAMBDA_SERVICE = /^lambda\.amazonaws\.com(\.cn)?$/;

/** The actions a role of the template is allowed, from its inline policies and the policies attached to it. */
function grantsOfRole(stack: StackTemplate, role: string): readonly Grant[] {
  return stack.memo('FunctionServiceRoutes.grants', () => indexGrants(stack)).get(role) ?? [];
}

function indexGrants(stack: StackTemplate): ReadonlyMap<string, readonly Grant[]> {
  const statementsOf = new Map<string, { statements: PolicyStatement[]; source: string }[]>();
  const roleNames = new Map<string, string>();
  for (const role of stack.resourcesOfType('AWS::IAM::Role')) {
    statementsOf.set(role.logicalId, [{ statements: policyStatements(role), source: `inline policies of AWS::IAM::Role ${role.logicalId}` }]);
    if (typeof role.properties?.RoleName === 'string') roleNames.set(role.properties.RoleName, role.logicalId);
  }
  const roleOf = (value: unknown) => TemplateValue.refTarget(value) ?? (typeof value === 'string' ? roleNames.get(value) : undefined);
  const attach = (role: string | undefined, policy: TemplateResource, statements: PolicyStatement[]) => {
    statementsOf.get(role ?? '')?.push({ statements, source: `${policy.type} ${policy.logicalId}` });
  };
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const policy of stack.resourcesOfType(type)) {
      const roles = policy.properties?.Roles;
      if (Array.isArray(roles)) for (const role of new Set(roles.map(roleOf))) attach(role, policy, policyStatements(policy));
    }
  }
  for (const policy of stack.resourcesOfType('AWS::IAM::RolePolicy')) {
    attach(roleOf(policy.properties?.RoleName), policy, documentStatements(policy.properties?.PolicyDocument, 'Properties/PolicyDocument'));
  }
  for (const role of stack.resourcesOfType('AWS::IAM::Role')) {
    const arns = role.properties?.ManagedPolicyArns;
    for (const arn of Array.isArray(arns) ? arns : []) {
      const policy = stack.resource(TemplateValue.refTarget(arn) ?? '');
      if (policy?.type === 'AWS::IAM::ManagedPolicy') attach(role.logicalId, policy, policyStatements(policy));
    }
  }
  const grants = new Map<string, Grant[]>();
  for (const [role, sources] of statementsOf) grants.set(role, grantsOf(sources));
  return grants;
}

/** The plain allowed actions of some statements that no unconditional Deny of them takes back. */
function grantsOf(sources: readonly { statements: PolicyStatement[]; source: string }[]): Grant[] {
  const denied: RegExp[] = [];
  for (const { statements } of sources) {
    for (const { statement } of statements) {
      if (statement.Effect !== 'Deny' || statement.Condition !== undefined || !literalStrings(statement.Resource).includes('*')) continue;
      for (const action of literalStrings(statement.Action)) denied.push(actionPattern(action));
    }
  }
  const grants: Grant[] = [];
  for (const { statements, source } of sources) {
    for (const { statement } of statements) {
      if (statement.Effect !== 'Allow' || statement.NotAction !== undefined) continue;
      for (const action of literalStrings(statement.Action)) {
        const colon = action.indexOf(':');
        const prefix = action.slice(0, colon).toLowerCase();
        if (colon < 0 || !PLAIN_PREFIX.test(prefix) || denied.some(pattern => pattern.test(action))) continue;
        grants.push({ action, prefix, name: action.slice(colon + 1).toLowerCase(), statement, source });
      }
    }
  }
  return grants;
}
