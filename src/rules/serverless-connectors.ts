import { TemplateValue } from './template-value';
import { SAM_CONNECTOR_PROFILES, SAM_CONNECTOR_RESOURCES } from '../facts/sam-transform-data';

type Json = { [key: string]: unknown };

/** What the AWS SAM transform makes of one connector. */
export interface ConnectorExpansion {
  /** The resources it writes, by logical id: managed policies on roles, Lambda permissions, queue and topic policies. */
  readonly resources: readonly (readonly [string, Json])[];
  /** `DependsOn` it adds to resources of the template: [resource, what it then depends on]. */
  readonly dependsOn: readonly (readonly [string, string])[];
}

// Serverless types a connector may name by Type, as the CloudFormation types its profiles are written for.
const SERVERLESS_TYPES: { readonly [type: string]: string } = {
  'AWS::Serverless::Function': 'AWS::Lambda::Function',
  'AWS::Serverless::StateMachine': 'AWS::StepFunctions::StateMachine',
  'AWS::Serverless::Api': 'AWS::ApiGateway::RestApi',
  'AWS::Serverless::HttpApi': 'AWS::ApiGatewayV2::Api',
  'AWS::Serverless::SimpleTable': 'AWS::DynamoDB::Table',
};
// Resource attributes a connector passes to everything it writes.
const CONNECTOR_ATTRIBUTES = ['Condition', 'DeletionPolicy', 'UpdatePolicy', 'UpdateReplacePolicy'];

/** A connector's source or destination, with what its profile's variables stand for. */
interface Reference {
  readonly logicalId?: string;
  readonly type: string;
  readonly arn?: unknown;
  readonly roleName?: unknown;
  readonly queueUrl?: unknown;
  readonly resourceId?: unknown;
  readonly name?: unknown;
  readonly qualifier?: unknown;
}

/**
 * What the AWS SAM transform makes of an `AWS::Serverless::Connector` (`entry`, under `id`), from its profile for the
 * source's and destination's types: an `AWS::IAM::ManagedPolicy` on the role of the source (or destination) with the
 * statements of the permissions it asks for (`Read`, `Write`), `AWS::Lambda::Permission`s, or an SQS queue or SNS topic
 * policy; one set per destination. A source or destination given by `Id` is read from `resources` (the template's
 * resources after the transform, so a serverless function is its `AWS::Lambda::Function`); one given by `Type` and
 * `Arn`, `RoleName` or `QueueUrl` is taken as written. Undefined when the transform rejects the connector (a resource it
 * cannot find, a pair of types without a profile, permissions the profile does not offer, a value the profile needs
 * missing).
 */
export function expandConnector(id: string, entry: { readonly [key: string]: unknown }, resources: { readonly [id: string]: unknown },
  originalTypes: { readonly [id: string]: unknown }): ConnectorExpansion | undefined {
  const p = TemplateValue.literalObject(entry.Properties);
  const source = TemplateValue.literalObject(p?.Source);
  const destinations = Array.isArray(p?.Destination) ? p!.Destination : TemplateValue.literalObject(p?.Destination) ? [p!.Destination] : undefined;
  const permissions = Array.isArray(p?.Permissions) && p!.Permissions.every(x => typeof x === 'string') ? [...new Set(p!.Permissions as string[])] : undefined;
  if (!source || !destinations || destinations.length === 0 || !permissions || permissions.length === 0) return undefined;
  const multi = Array.isArray(p!.Destination);
  const out: [string, Json][] = [];
  const dependsOn: [string, string][] = [];
  for (const [index, value] of destinations.entries()) {
    const target = TemplateValue.literalObject(value);
    if (!target) return undefined;
    const destination = reference(target, resources, source);
    const from = reference(source, resources, target);
    if (!destination || !from) return undefined;
    const profile = profileOf(from.type, destination.type);
    if (!profile) return undefined;
    const generated = generate(id, profile, from, destination, permissions, multi ? index : undefined, resources, dependsOn);
    if (!generated) return undefined;
    const metadata = {
      'aws:sam:connectors': {
        [id]: {
          Source: { Type: (from.logicalId && originalTypes[from.logicalId]) || from.type },
          Destination: { Type: (destination.logicalId && originalTypes[destination.logicalId]) || destination.type },
        },
      },
    };
    for (const [logicalId, properties] of generated) {
      const attributes: Json = {};
      for (const attribute of CONNECTOR_ATTRIBUTES) if (entry[attribute] !== undefined) attributes[attribute] = entry[attribute];
      if (entry.DependsOn !== undefined) attributes.DependsOn = entry.DependsOn;
      attributes.Metadata = { ...TemplateValue.literalObject(entry.Metadata), ...metadata };
      out.push([logicalId, { ...properties, ...attributes }]);
    }
  }
  return { resources: out, dependsOn };
}

/** The SAM embedded connectors of a resource (`Connectors: { Name: { Properties } }`) as connectors with the resource as source, by logical id. */
export function embeddedConnectors(sourceId: string, connectors: unknown): readonly (readonly [string, Json])[] | undefined {
  const map = TemplateValue.literalObject(connectors);
  if (!map) return undefined;
  const out: [string, Json][] = [];
  for (const [name, value] of Object.entries(map)) {
    const connector = TemplateValue.literalObject(value);
    const properties = TemplateValue.literalObject(connector?.Properties);
    if (!connector || !properties) return undefined;
    const sourceReference = properties.SourceReference === undefined ? {} : TemplateValue.literalObject(properties.SourceReference);
    if (!sourceReference || sourceReference.Id !== undefined) return undefined;
    const { SourceReference: _reference, ...rest } = properties;
    out.push([`${sourceId}${name}`, { ...connector, Type: 'AWS::Serverless::Connector', Properties: { ...rest, Source: { Id: sourceId, ...sourceReference } } }]);
  }
  return out;
}

type Profile = { readonly Type: string; readonly Properties: Json };

function profileOf(sourceType: string, destinationType: string): Profile | undefined {
  const bySource = SAM_CONNECTOR_PROFILES[sourceType];
  if (bySource === undefined) return undefined;
  const profile = (JSON.parse(bySource) as { [type: string]: Profile })[destinationType];
  return profile;
}

/** The resources (logical id, type and properties) a profile writes, or undefined when the transform rejects it. */
function generate(id: string, profile: Profile, source: Reference, destination: Reference, permissions: readonly string[], index: number | undefined,
  resources: { readonly [id: string]: unknown }, dependsOn: [string, string][]): (readonly [string, Json])[] | undefined {
  const categories = TemplateValue.literalObject(profile.Properties.AccessCategories) ?? {};
  if (permissions.some(permission => !(permission in categories))) return undefined;
  const combinations = profile.Properties.ValidAccessCategories;
  if (Array.isArray(combinations)) {
    const asked = [...permissions].sort().join('+');
    if (!combinations.some(c => Array.isArray(c) && [...c].sort().join('+') === asked)) return undefined;
  }
  const replaced = replaceVariables(profile.Properties, {
    'Source.Arn': source.arn,
    'Destination.Arn': destination.arn,
    'Source.ResourceId': source.resourceId,
    'Destination.ResourceId': destination.resourceId,
    'Source.Name': source.name,
    'Destination.Name': destination.name,
    'Source.Qualifier': source.qualifier,
    'Destination.Qualifier': destination.qualifier,
  });
  if (replaced === undefined || /%\{[\w.]+\}/.test(JSON.stringify(replaced))) return undefined;
  const properties = replaced as Json;
  const asked = Object.entries(TemplateValue.literalObject(properties.AccessCategories) ?? {}).filter(([name]) => permissions.includes(name));
  const statements = () => ({ Version: '2012-10-17', Statement: asked.flatMap(([, category]) => (TemplateValue.literalObject(category)?.Statement as unknown[]) ?? []) });
  const suffix = index === undefined ? '' : `Destination${index}`;
  const owner = properties.SourcePolicy === true ? source : destination;
  switch (profile.Type) {
    case 'AWS_IAM_ROLE_MANAGED_POLICY': {
      if (!owner.roleName) return undefined;
      const policyId = `${id}Policy${suffix}`;
      if (properties.DependedBy === 'DESTINATION_EVENT_SOURCE_MAPPING' && source.logicalId && destination.logicalId) {
        const mappings = eventSourceMappings(source.logicalId, destination.logicalId, resources);
        if (mappings.length === 1) dependsOn.push([mappings[0], policyId]);
      }
      if (properties.DependedBy === 'SOURCE' && source.logicalId) dependsOn.push([source.logicalId, policyId]);
      return [[policyId, { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: statements(), Roles: [owner.roleName] } }]];
    }
    case 'AWS_LAMBDA_PERMISSION':
      if (!owner.arn) return undefined;
      return asked.map(([name, category]) => {
        const c = TemplateValue.literalObject(category) ?? {};
        const permission: Json = { Action: c.Action, FunctionName: owner.arn, Principal: c.Principal, SourceArn: c.SourceArn };
        if (c.SourceAccount !== undefined && c.SourceAccount !== null) permission.SourceAccount = c.SourceAccount;
        return [`${id}${name}LambdaPermission${suffix}`, { Type: 'AWS::Lambda::Permission', Properties: permission }] as const;
      });
    case 'AWS_SNS_TOPIC_POLICY':
      if (!owner.arn) return undefined;
      return [[`${id}TopicPolicy${suffix}`, { Type: 'AWS::SNS::TopicPolicy', Properties: { PolicyDocument: statements(), Topics: [owner.arn] } }]];
    case 'AWS_SQS_QUEUE_POLICY':
      if (!owner.queueUrl) return undefined;
      return [[`${id}QueuePolicy${suffix}`, { Type: 'AWS::SQS::QueuePolicy', Properties: { PolicyDocument: statements(), Queues: [owner.queueUrl] } }]];
    default:
      return undefined;
  }
}

/** A source or destination as the transform reads it: by `Id` from the template, or by `Type` and the values given. */
function reference(ref: Json, resources: { readonly [id: string]: unknown }, connecting: Json): Reference | undefined {
  const others = Object.keys(ref).filter(key => key !== 'Id' && key !== 'Qualifier');
  if (('Id' in ref) === others.length > 0) return undefined;
  if (!('Id' in ref)) {
    if (typeof ref.Type !== 'string' || ref.Type === '') return undefined;
    return {
      type: SERVERLESS_TYPES[ref.Type] ?? ref.Type,
      arn: ref.Arn,
      roleName: ref.RoleName,
      queueUrl: ref.QueueUrl,
      resourceId: ref.ResourceId,
      name: ref.Name,
      qualifier: ref.Qualifier,
    };
  }
  const logicalId = ref.Id;
  if (typeof logicalId !== 'string' || logicalId === '') return undefined;
  const resource = TemplateValue.literalObject(resources[logicalId]);
  if (!resource || typeof resource.Type !== 'string' || resource.Type === '') return undefined;
  const described = SAM_CONNECTOR_RESOURCES[resource.Type];
  const io = described === undefined ? {} : replaceVariables(JSON.parse(described), { logicalId }) as Json;
  const outputs = TemplateValue.literalObject(io.Outputs) ?? {};
  const properties = TemplateValue.literalObject(resource.Properties) ?? {};
  return {
    logicalId,
    type: resource.Type,
    arn: outputs.Arn,
    roleName: roleName(TemplateValue.literalObject(io.Inputs)?.Role, properties, connecting),
    queueUrl: outputs.Url,
    resourceId: outputs.Id,
    name: outputs.Name,
    qualifier: 'Qualifier' in ref ? ref.Qualifier : outputs.Qualifier,
  };
}

/** `{ Ref }` to the role a resource runs with, read from the property its profile names (a rule's: the target's role). */
function roleName(input: unknown, properties: Json, connecting: Json): unknown {
  let role: unknown;
  if (typeof input === 'string') {
    role = properties[input];
  } else if (TemplateValue.literalObject(input)?.Function === 'GetEventsRuleRole') {
    const targets = Array.isArray(properties.Targets) ? properties.Targets : [];
    for (const target of targets) {
      const t = TemplateValue.literalObject(target);
      if (!t) continue;
      const targetId = TemplateValue.referencedId(t.Arn);
      if ((targetId && targetId === connecting.Id) || (connecting.Arn && JSON.stringify(t.Arn) === JSON.stringify(connecting.Arn))) {
        role = t.RoleArn;
        break;
      }
    }
  }
  const id = TemplateValue.referencedId(role);
  return id ? { Ref: id } : undefined;
}

/** The event source mappings from a resource (`EventSourceArn`) to a function (`FunctionName`), by Ref or GetAtt. */
function eventSourceMappings(sourceId: string, functionId: string, resources: { readonly [id: string]: unknown }): string[] {
  return Object.entries(resources).flatMap(([logicalId, value]) => {
    const resource = TemplateValue.literalObject(value);
    if (resource?.Type !== 'AWS::Lambda::EventSourceMapping') return [];
    const properties = TemplateValue.literalObject(resource.Properties) ?? {};
    const toFunction = TemplateValue.referencedId(properties.FunctionName) === functionId;
    return toFunction && TemplateValue.referencedId(properties.EventSourceArn) === sourceId ? [logicalId] : [];
  });
}

/**
 * A profile with its `%{Name}` variables replaced: a string that is only the variable becomes the value, one that holds
 * it becomes an `Fn::Sub` with the value as a variable. Undefined when a variable used has no value.
 */
function replaceVariables(value: unknown, values: { readonly [name: string]: unknown }): unknown {
  let missing = false;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (TemplateValue.isObject(node)) return Object.fromEntries(Object.entries(node).map(([key, v]) => [key, walk(v)]));
    if (typeof node !== 'string') return node;
    let text = node;
    const variables: Json = {};
    for (const [name, replacement] of Object.entries(values)) {
      const pattern = `%{${name}}`;
      if (!text.includes(pattern)) continue;
      if (replacement === undefined || replacement === null) {
        missing = true;
        return node;
      }
      if (text === pattern) return replacement;
      const variable = name.replace(/[^\p{L}\p{N}]/gu, '');
      text = text.split(pattern).join(`\${${variable}}`);
      variables[variable] = replacement;
    }
    if (/\$\{.+\}/.test(text)) return Object.keys(variables).length > 0 ? { 'Fn::Sub': [text, variables] } : { 'Fn::Sub': text };
    return text;
  };
  const result = walk(value);
  return missing ? undefined : result;
}

