import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { embeddedConnectors, expandConnector } from './serverless-connectors';
import { SERVERLESS_GRAPHQL_API, expandGraphqlApi } from './serverless-graphql';
import { serverlessRolePolicies } from './serverless-policies';
import { isTruthy, pick } from './serverless-values';
import { TemplateValue } from './template-value';

/** The transform that turns a template's `AWS::Serverless::*` resources into CloudFormation ones at deploy time. */
export const SERVERLESS_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** A template's resources as the AWS SAM transform would leave them, for the types the rules can judge. */
export interface ServerlessExpansion {
  /** The `Resources` section with every expanded serverless resource replaced by what the transform makes of it. */
  readonly resources: { readonly [logicalId: string]: unknown };
  /** For each resource the transform adds (a function's role, event source mappings, rules), the serverless resource it comes from. */
  readonly generatedFrom: ReadonlyMap<string, string>;
  /** The logical ids of the serverless resources replaced by what the transform makes of them (under the same id). */
  readonly expanded: ReadonlySet<string>;
  /** Conditions the transform adds to the template's `Conditions` (the implicit API's, when functions with different conditions use it). */
  readonly conditions: { readonly [name: string]: unknown };
}

type Json = { [key: string]: unknown };
/** A resource entry of the template as written. */
type Entry = { readonly [key: string]: unknown };

/** Resources the transform creates without tags for a serverless resource. */
export interface UntaggedByTransform {
  /** Their types. */
  readonly types: readonly string[];
  /** What they are, for the serverless resource with this logical id, as a finding says it. */
  readonly what: (source: string) => string;
}

/**
 * Taggable types the transform creates without tags, which no property of the serverless resource they come from tags, by
 * the type that resource becomes; with what they are, for the finding.
 */
export const UNTAGGED_BY_TRANSFORM: { readonly [sourceType: string]: UntaggedByTransform | undefined } = {
  'AWS::Lambda::Function': {
    types: ['AWS::Lambda::EventSourceMapping', 'AWS::Events::Rule'],
    what: source => `an event of AWS::Serverless::Function ${source}; the transform tags neither the event source mappings nor the rules it creates, PropagateTags included`,
  },
  'AWS::StepFunctions::StateMachine': {
    types: ['AWS::Events::Rule'],
    what: source => `an event of AWS::Serverless::StateMachine ${source}; the transform tags none of the rules it creates, PropagateTags included`,
  },
  'AWS::AppSync::GraphQLApi': {
    types: ['AWS::IAM::Role'],
    what: source => `AWS::Serverless::GraphQLApi ${source}, whose Tags reach only the API: the transform tags neither the role AppSync writes logs with nor its data sources' roles`,
  },
};

const MANAGED = 'arn:aws:iam::aws:policy/';
const BASIC_EXECUTION = `${MANAGED}service-role/AWSLambdaBasicExecutionRole`;
// A durable function's execution role: logs and the checkpoints of its durable executions.
const DURABLE_EXECUTION = `${MANAGED}service-role/AWSLambdaBasicDurableExecutionRolePolicy`;
// The managed policies the transform attaches to a function's generated role for its tracing, its VPC and its pollers.
const XRAY_WRITE = `${MANAGED}AWSXrayWriteOnlyAccess`;
const VPC_ACCESS = `${MANAGED}service-role/AWSLambdaVPCAccessExecutionRole`;
/** Per pull event type: the property naming its source, the poller's managed policy, and where a Kafka consumer group goes. */
const PULL_SOURCES: { readonly [eventType: string]: { readonly arn?: string; readonly managed?: string; readonly kafkaConfig?: string } } = {
  SQS: { arn: 'Queue', managed: `${MANAGED}service-role/AWSLambdaSQSQueueExecutionRole` },
  Kinesis: { arn: 'Stream', managed: `${MANAGED}service-role/AWSLambdaKinesisExecutionRole` },
  DynamoDB: { arn: 'Stream', managed: `${MANAGED}service-role/AWSLambdaDynamoDBExecutionRole` },
  MSK: { arn: 'Stream', managed: `${MANAGED}service-role/AWSLambdaMSKExecutionRole`, kafkaConfig: 'AmazonManagedKafkaEventSourceConfig' },
  SelfManagedKafka: { kafkaConfig: 'SelfManagedKafkaEventSourceConfig' },
  MQ: { arn: 'Broker' },
  DocumentDB: { arn: 'Cluster' },
};

// Properties of AWS::Serverless::Function the transform copies to the AWS::Lambda::Function unchanged.
const FUNCTION_PASSTHROUGH = ['FunctionName', 'Handler', 'Runtime', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Environment', 'KmsKeyArn',
  'ReservedConcurrentExecutions', 'Layers', 'FileSystemConfigs', 'ImageConfig', 'PackageType', 'Architectures', 'SnapStart', 'EphemeralStorage',
  'CodeSigningConfigArn', 'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'TenancyConfig', 'DurableConfig', 'PublishToLatestPublished'];
// Properties of a stream or queue event the transform copies to its AWS::Lambda::EventSourceMapping.
const MAPPING_PASSTHROUGH = ['BatchSize', 'Enabled', 'FilterCriteria', 'FunctionResponseTypes', 'MaximumBatchingWindowInSeconds', 'ScalingConfig', 'MetricsConfig',
  'KmsKeyArn', 'StartingPosition', 'StartingPositionTimestamp', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds', 'MaximumRetryAttempts',
  'ParallelizationFactor', 'TumblingWindowInSeconds', 'Topics', 'Queues', 'SourceAccessConfigurations', 'ProvisionedPollerConfig', 'LoggingConfig'];
// Resource attributes every generated resource shares with its serverless resource (DependsOn and Metadata stay with the main one).
const SHARED_ATTRIBUTES = ['Condition', 'DeletionPolicy', 'UpdateReplacePolicy'];
const OWN_ATTRIBUTES = ['Condition', 'DependsOn', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy'];

/**
 * What the AWS SAM transform (`Transform: AWS::Serverless-2016-10-31`) makes of a template's serverless functions, state
 * machines, APIs and simple tables, so the rules judge a SAM template (written with `aws-cdk-lib/aws-sam`'s L1s, or included
 * with `CfnInclude`) as they judge what CloudFormation deploys:
 *
 * - `AWS::Serverless::Function`: the function (tracing, dead-letter queue, memory, timeout, runtime, logging, durable and
 *   tenancy settings, the code's key); its generated role (execution (durable execution for a durable function), X-Ray,
 *   VPC and poller managed policies, inline statements, destination and dead-letter
 *   statements); event source mappings of SQS, Kinesis, DynamoDB, MSK, self-managed Kafka, MQ and DocumentDB events (their
 *   consumer groups, provisioned pollers and on-failure destinations; the poller's managed policy and the statements for
 *   their secrets, broker and destination); Schedule, EventBridgeRule and CloudWatchEvent rules
 *   with their targets' retry policies and dead-letter queues (a queue the transform creates for `Type: SQS`);
 *   ScheduleV2 schedules and their role; SNS subscriptions (through a queue with `SqsSubscription`: the queue, its
 *   policy, the subscription and a mapping); S3 notifications (the bucket's `NotificationConfiguration` in the same
 *   template); CloudWatchLogs events (a subscription filter), IoTRule events (a topic rule), Cognito events (the user
 *   pool's `LambdaConfig` triggers) and AlexaSkill events, each with its invoke permission;
 *   `EventInvokeConfig` (with the queue or topic the transform creates for a destination given only a type, or on one
 *   side of an `Fn::If` whose other side is `AWS::NoValue`, under the conditions it adds; a bucket destination's statements);
 *   `AutoPublishAlias` (a version and an alias, which events, the invoke config and the URL then name); `FunctionUrlConfig`
 *   (the URL, and with `AuthType: NONE` the permissions that let anyone call it); `PropagateTags` with tags (the
 *   function's tags on the queues, topics, roles and topic rules the transform creates, on a bucket it notifies, and on the
 *   implicit API its Api events use, without its lambda:createdBy tag).
 * - `AWS::Serverless::StateMachine`: the state machine with its definition (intrinsics inside it turned into numbered
 *   `DefinitionSubstitutions`, the JSON written as the transform writes it) or S3 location, type, logging, tracing and
 *   tags (with `PropagateTags`, its own or from globals, also on its roles and queues); its generated role (X-Ray with
 *   tracing, inline statements); Schedule, EventBridgeRule and CloudWatchEvent
 *   events (a rule, the role that starts executions unless a Schedule names one, a dead-letter queue the transform
 *   creates for `Type: SQS`); ScheduleV2 schedules and their role; Api events (the role API Gateway starts executions
 *   with, and the implicit API when they name none); its permissions boundary on those roles.
 * - `AWS::Serverless::Api` (and the implicit `ServerlessRestApi` of Api events that name no API, staged Prod, with the
 *   condition and removal policies the transform derives from the functions that use it): the REST
 *   API (name, endpoint configuration, S3 location; tags with PropagateTags), a deployment, and its stage with its method
 *   settings, access logs, tracing, cache, variables and tags; its custom domain, edge or regional (the domain name with
 *   its security policy and mutual TLS, and the base path mappings; not Route 53 records); a function's Api events become
 *   permissions for it.
 * - `AWS::Serverless::HttpApi` (and the implicit `ServerlessHttpApi`): the HTTP API and its auto-deployed stage (`$default`
 *   unless named) with its route settings, access logs, variables and tags (only with an OpenAPI 3 body the transform can
 *   edit: none from `DefinitionUri`, where it rejects tags); its regional custom domain and API mappings; HttpApi events
 *   become permissions.
 * - `AWS::Serverless::WebSocketApi`: the API, its auto-deployed stage with its access logs and route settings, and per
 *   route its route, Lambda proxy integration and invoke permission (not its `Auth` or `Domain`).
 * - `AWS::Serverless::SimpleTable`: an on-demand DynamoDB table with its key, tags and SSE setting.
 * - `AWS::Serverless::GraphQLApi`: the AppSync API with its logging, tracing and authentication, the role it writes logs
 *   with, its schema, data sources (their roles and connector policies), functions, resolvers, API keys, cache and custom
 *   domain, and the permissions its Lambda authorizers need (`expandGraphqlApi`).
 * - `AWS::Serverless::Connector`, and connectors embedded in a resource's `Connectors`: the managed policies, Lambda
 *   permissions and queue and topic policies their profiles write (`expandConnector`).
 * - `Globals`: a resource's scalars replace the global ones, maps are merged, lists appended; a resource's `IgnoreGlobals`
 *   (`"*"`, or a list of properties) leaves out what it names.
 * - References the transform resolves, anywhere in the template's resources: `Ref: MyFunction.Alias` (and `.Version`),
 *   `MyApi.Stage` (and `.Deployment`), in `Ref` and in `Fn::Sub` strings.
 *
 * The logical ids are the transform's (`<Function>Role`, `<Function><Event>`, `<Function><Event>Permission`,
 * `<Function>EventInvokeConfig`, `<Function>Alias<name>`; a stage's `<Api><name>Stage`, or `<Api>Stage<hash of the name>`
 * for a name that is not letters and digits), except the version's, whose hash of the code this cannot know
 * (`<Function>Version`). The generated role's `Policies` are read as the transform reads them (`serverlessRolePolicies`:
 * documents, SAM policy templates, managed policy names and ARNs, `Fn::If` of them); where the transform would reject them,
 * the role is left out (the resource's role ARN then names a role the templates do not hold, which the rules treat as
 * unknown), and so is a role into which an event makes the transform write statements on `*` (a DocumentDB source, a
 * self-managed Kafka cluster in a VPC: only the function's own `Role` can narrow them) or a schema registry's; an event
 * the transform rejects is not modelled, nor is its function's role. Not modelled, and so not judged: `DeploymentPreference`; a state
 * machine's other events, `AutoPublishAlias` and `DeploymentPreference`; an API's OpenAPI body (its paths, integrations,
 * authorizers and resource policy), private custom domains, Route 53 records, usage plans; a custom domain whose name is
 * an intrinsic keeps the hash of the intrinsic in its logical id, where the transform hashes the parameter's value; the other serverless types (`Application`,
 * `LayerVersion`), which stay as written and which no rule judges.
 *
 * @returns undefined when the template does not ask for the SAM transform.
 */
export function expandServerless(template: { readonly [key: string]: unknown }): ServerlessExpansion | undefined {
  const transform = template.Transform;
  if (transform !== SERVERLESS_TRANSFORM && !(Array.isArray(transform) && transform.includes(SERVERLESS_TRANSFORM))) return undefined;
  const section = template.Resources;
  if (!TemplateValue.isObject(section)) return undefined;
  const globals = TemplateValue.isObject(template.Globals) ? template.Globals : {};
  const out = new Expansion(section, globals);
  for (const [logicalId, definition] of Object.entries(section)) {
    if (!TemplateValue.isObject(definition)) continue;
    if (definition.Type === 'AWS::Serverless::Function') out.expandFunction(logicalId, definition);
    else if (definition.Type === 'AWS::Serverless::Api') out.expandRestApi(logicalId, definition, definition);
    else if (definition.Type === 'AWS::Serverless::HttpApi') out.expandHttpApi(logicalId, definition, definition);
    else if (definition.Type === 'AWS::Serverless::WebSocketApi') out.expandWebSocketApi(logicalId, definition);
    else if (definition.Type === 'AWS::Serverless::SimpleTable') out.expandSimpleTable(logicalId, definition);
    else if (definition.Type === 'AWS::Serverless::StateMachine') out.expandStateMachine(logicalId, definition);
    else if (definition.Type === SERVERLESS_GRAPHQL_API) out.expandGraphqlApi(logicalId, definition);
  }
  out.expandImplicitApis();
  out.expandConnectors();
  out.resolvePropertyReferences();
  return { resources: out.resources, generatedFrom: out.generatedFrom, expanded: out.expanded, conditions: out.conditions };
}

/**
 * `Globals` merged into a resource's properties the way the transform merges them: a resource's scalar replaces the global
 * one, maps are merged key by key (recursively), lists are the global entries followed by the resource's.
 */
export function mergeGlobals(global: unknown, own: unknown): unknown {
  if (own === undefined) return global;
  if (global === undefined) return own;
  if (Array.isArray(global) && Array.isArray(own)) return [...global, ...own];
  const globalObject = TemplateValue.literalObject(global);
  const ownObject = TemplateValue.literalObject(own);
  if (globalObject && ownObject) {
    const merged: Json = { ...globalObject };
    for (const [key, value] of Object.entries(ownObject)) merged[key] = mergeGlobals(globalObject[key], value);
    return merged;
  }
  return own;
}

class Expansion {
  public readonly resources: Json;
  public readonly generatedFrom = new Map<string, string>();
  public readonly expanded = new Set<string>();
  public readonly conditions: Json = {};
  /** The functions whose Api or HttpApi events name no API, once per event: they use the implicit REST or HTTP API. */
  private readonly implicitApis = new Map<'rest' | 'http', string[]>();
  /** What `MyFunction.Alias`, `MyFunction.Version`, `MyApi.Stage` and `MyApi.Deployment` name: the generated logical ids. */
  private readonly propertyReferences = new Map<string, string>();

  constructor(private readonly section: { readonly [key: string]: unknown }, private readonly globals: { readonly [key: string]: unknown }) {
    this.resources = { ...section };
  }

  /**
   * A REST API: the API (its body not modelled), a deployment, and the stage the transform creates with the API's stage
   * settings and tags. `from` is the entry whose Condition and removal policies what the transform adds shares: the API's
   * own, or for an implicit API (`implicitFor`) the function's.
   */
  public expandRestApi(id: string, definition: Entry, from: Entry, implicitFor?: string): void {
    const merged = mergeGlobals(this.globalsOf('Api', definition), definition.Properties ?? {});
    if (!TemplateValue.isObject(merged) || TemplateValue.isIntrinsic(merged)) return;
    const p = merged;
    const shared = pick(from, SHARED_ATTRIBUTES);
    const api: Json = pick(p, ['Name', 'Description', 'MinimumCompressionSize', 'Mode', 'DisableExecuteApiEndpoint', 'ApiKeySourceType', 'FailOnWarnings']);
    const location = definitionLocation(p.DefinitionUri);
    if (location) api.BodyS3Location = location;
    else api.Body = p.DefinitionBody ?? { swagger: '2.0', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
    const endpoint = typeof p.EndpointConfiguration === 'string' ? { Type: p.EndpointConfiguration } : TemplateValue.literalObject(p.EndpointConfiguration);
    if (endpoint) {
      api.Parameters = { endpointConfigurationTypes: endpoint.Type };
      const vpcEndpoints = endpoint.VPCEndpointIds !== undefined ? { VpcEndpointIds: endpoint.VPCEndpointIds } : {};
      api.EndpointConfiguration = { Types: [endpoint.Type], ...vpcEndpoints };
    }
    // The API itself takes the tags only with PropagateTags; its stage always does.
    const propagated = p.PropagateTags === true ? tagList(p.Tags, false) : undefined;
    if (propagated) api.Tags = propagated;
    const restApi = { ...(implicitFor ? shared : pick(definition, OWN_ATTRIBUTES)), Type: 'AWS::ApiGateway::RestApi', Properties: api };
    if (implicitFor) this.add(id, implicitFor, restApi); else this.replace(id, restApi);
    const owner = implicitFor ?? id;
    const stageName = p.StageName;
    // Without OpenApiVersion (any value), the deployment also creates a stage named "Stage", with none of the stage's settings.
    const extraStage = p.OpenApiVersion ? {} : { StageName: 'Stage' };
    this.add(`${id}Deployment`, owner, { ...shared, Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: id }, ...extraStage } });
    const stage: Json = {
      DeploymentId: { Ref: `${id}Deployment` },
      RestApiId: { Ref: id },
      StageName: stageName,
      ...pick(p, ['AccessLogSetting', 'CacheClusterEnabled', 'CacheClusterSize', 'CanarySetting', 'MethodSettings', 'TracingEnabled', 'Variables']),
    };
    const tags = tagList(p.Tags, false);
    if (tags) stage.Tags = tags;
    this.add(stageLogicalId(id, stageName), owner, { ...shared, Type: 'AWS::ApiGateway::Stage', Properties: stage });
    this.propertyReferences.set(`${id}.Stage`, stageLogicalId(id, stageName));
    this.propertyReferences.set(`${id}.Deployment`, `${id}Deployment`);
    this.restDomain(id, p, owner, shared, propagated);
  }

  /** An HTTP API: the API (its body not modelled) and its stage (`$default` unless named), auto-deployed, with its settings. */
  public expandHttpApi(id: string, definition: Entry, from: Entry, implicitFor?: string): void {
    const merged = mergeGlobals(this.globalsOf('HttpApi', definition), definition.Properties ?? {});
    if (!TemplateValue.isObject(merged) || TemplateValue.isIntrinsic(merged)) return;
    const p = merged;
    const shared = pick(from, SHARED_ATTRIBUTES);
    const api: Json = pick(p, ['FailOnWarnings', 'DisableExecuteApiEndpoint']);
    const location = definitionLocation(p.DefinitionUri);
    const body = location ? undefined : p.DefinitionBody ?? { openapi: '3.0.1', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
    // The transform tags an HTTP API and its stage only through an OpenAPI body it can edit, and rejects tags otherwise.
    const taggable = isOpenApi3(body);
    if (isTruthy(p.Tags) && !taggable) return;
    if (location) api.BodyS3Location = location;
    else api.Body = body;
    const httpApi = { ...(implicitFor ? shared : pick(definition, OWN_ATTRIBUTES)), Type: 'AWS::ApiGatewayV2::Api', Properties: api };
    if (implicitFor) this.add(id, implicitFor, httpApi); else this.replace(id, httpApi);
    const named = p.StageName !== undefined && p.StageName !== '$default';
    const tags = TemplateValue.literalObject(p.Tags) ?? {};
    const stageId = named ? stageLogicalId(id, p.StageName) : `${id}ApiGatewayDefaultStage`;
    this.propertyReferences.set(`${id}.Stage`, stageId);
    this.add(stageId, implicitFor ?? id, {
      ...shared,
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ...pick(p, ['AccessLogSettings', 'DefaultRouteSettings', 'RouteSettings', 'StageVariables']),
        ApiId: { Ref: id },
        StageName: named ? p.StageName : '$default',
        ...(taggable ? { Tags: { 'httpapi:createdBy': 'SAM', ...tags } } : {}),
        AutoDeploy: true,
      },
    });
    this.httpDomain(id, p, implicitFor ?? id, shared, p.PropagateTags === true ? tags : {});
  }

  /**
   * A REST API's custom domain (`Domain`, edge or regional: a private one is not modelled): the domain name with its
   * certificate, security policy, mutual TLS and (with PropagateTags) tags, and its base path mappings. Not its Route 53
   * records.
   */
  private restDomain(api: string, p: Json, owner: string, shared: Json, tags: unknown[] | undefined): void {
    const domain = TemplateValue.literalObject(p.Domain);
    if (!domain || domain.DomainName == null || domain.CertificateArn == null) return;
    const endpoint = domain.EndpointConfiguration ?? 'REGIONAL';
    const mutualTls = mutualTlsOf(domain.MutualTlsAuthentication);
    if ((endpoint !== 'REGIONAL' && endpoint !== 'EDGE') || mutualTls === undefined) return;
    const domainId = `ApiGatewayDomainName${logicalIdHash(domain.DomainName)}`;
    const properties: Json = {
      DomainName: domain.DomainName,
      [endpoint === 'REGIONAL' ? 'RegionalCertificateArn' : 'CertificateArn']: domain.CertificateArn,
      EndpointConfiguration: { Types: [endpoint], ...(isTruthy(domain.IpAddressType) ? { IpAddressType: domain.IpAddressType } : {}) },
      ...mutualTls,
    };
    for (const key of ['SecurityPolicy', 'EndpointAccessMode', 'Policy', 'OwnershipVerificationCertificateArn']) if (isTruthy(domain[key])) properties[key] = domain[key];
    if (tags) properties.Tags = tags;
    const paths = basePaths(domain.BasePath);
    if (paths === undefined) return;
    this.add(domainId, owner, { ...shared, Type: 'AWS::ApiGateway::DomainName', Properties: properties });
    const mapping = { DomainName: { Ref: domainId }, RestApiId: { Ref: api }, Stage: { Ref: `${api}.Stage` } };
    if (paths.length === 0) this.add(`${api}BasePathMapping`, owner, { ...shared, Type: 'AWS::ApiGateway::BasePathMapping', Properties: mapping });
    for (const path of paths) {
      const letters = [...path].filter(c => /[\p{L}\p{N}]/u.test(c)).join('');
      this.add(`${api}${letters}BasePathMapping`, owner, {
        ...shared,
        Type: 'AWS::ApiGateway::BasePathMapping',
        Properties: { ...mapping, BasePath: domain.NormalizeBasePath === false ? path : letters },
      });
    }
  }

  /**
   * An HTTP API's custom domain (`Domain`, regional): the domain name with its configuration, mutual TLS and tags, and
   * its API mappings. Not its Route 53 records.
   */
  private httpDomain(api: string, p: Json, owner: string, shared: Json, tags: Json): void {
    const domain = TemplateValue.literalObject(p.Domain);
    if (!domain || domain.DomainName == null || domain.CertificateArn == null) return;
    const mutualTls = mutualTlsOf(domain.MutualTlsAuthentication);
    const paths = basePaths(domain.BasePath);
    if ((domain.EndpointConfiguration ?? 'REGIONAL') !== 'REGIONAL' || mutualTls === undefined || paths === undefined) return;
    if (paths.some(path => /[^0-9a-zA-Z/\-_]/.test(path))) return;
    const domainId = `ApiGatewayDomainNameV2${logicalIdHash(domain.DomainName)}`;
    const configuration: Json = { CertificateArn: domain.CertificateArn, EndpointType: 'REGIONAL' };
    for (const key of ['OwnershipVerificationCertificateArn', 'SecurityPolicy']) if (isTruthy(domain[key])) configuration[key] = domain[key];
    this.add(domainId, owner, {
      ...shared,
      Type: 'AWS::ApiGatewayV2::DomainName',
      Properties: { DomainName: domain.DomainName, DomainNameConfigurations: [configuration], ...mutualTls, Tags: { ...tags, 'httpapi:createdBy': 'SAM' } },
    });
    const mapping = { DomainName: { Ref: domainId }, ApiId: { Ref: api }, Stage: { Ref: `${api}.Stage` } };
    if (paths.length === 0) this.add(`${api}ApiMapping`, owner, { ...shared, Type: 'AWS::ApiGatewayV2::ApiMapping', Properties: mapping });
    for (const path of paths) {
      this.add(`${api}${path.replace(/[-_/]+/g, '')}ApiMapping`, owner, {
        ...shared,
        Type: 'AWS::ApiGatewayV2::ApiMapping',
        Properties: { ...mapping, ApiMappingKey: path.replace(/^\/+|\/+$/g, '') },
      });
    }
  }

  /**
   * Rewrites the references the transform resolves (`Ref: MyFunction.Alias`, `${MyApi.Stage}` in `Fn::Sub`, and the
   * Version and Deployment ones) into references to the resources it generates, in every resource of the template.
   */
  public resolvePropertyReferences(): void {
    if (this.propertyReferences.size === 0) return;
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (!TemplateValue.isObject(value)) return value;
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string' && this.propertyReferences.has(value.Ref)) {
        return { Ref: this.propertyReferences.get(value.Ref) };
      }
      if (keys.length === 1 && keys[0] === 'Fn::Sub') {
        const body = value['Fn::Sub'];
        const text = (s: string) => s.replace(/\$\{([A-Za-z0-9]+\.(?:Alias|Version|Stage|Deployment))\}/g, (whole, name) => {
          const id = this.propertyReferences.get(name);
          return id ? `\${${id}}` : whole;
        });
        if (typeof body === 'string') return { 'Fn::Sub': text(body) };
        if (Array.isArray(body) && typeof body[0] === 'string') return { 'Fn::Sub': [text(body[0]), ...body.slice(1).map(rewrite)] };
      }
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
    };
    for (const [id, resource] of Object.entries(this.resources)) this.resources[id] = rewrite(resource);
  }

  /**
   * The implicit APIs (`ServerlessRestApi`, `ServerlessHttpApi`) of Api and HttpApi events that name no API, with the
   * attributes the transform derives from the functions that use them: a condition when every one of them has one (their
   * `Fn::Or`, as a condition the transform adds, when they differ), the strongest of their deletion and update-replace
   * policies. As the transform does, an implicit API replaces a resource of the template under its logical id (whatever
   * its type, and what the transform made of it), which stays only when no event uses the implicit API.
   */
  public expandImplicitApis(): void {
    for (const [kind, id] of [['rest', 'ServerlessRestApi'], ['http', 'ServerlessHttpApi']] as const) {
      const users = this.implicitApis.get(kind)?.filter(user => user !== id);
      if (!users || users.length === 0) continue;
      // The implicit API takes the place of a resource of the template under its id, whatever that resource is.
      if (this.section[id] !== undefined) this.discard(id);
      const entries = users.map(fn => TemplateValue.literalObject(this.section[fn]) ?? {});
      const from: Json = {};
      const conditions = new Set(entries.map(entry => (typeof entry.Condition === 'string' ? entry.Condition : undefined)));
      if (!conditions.has(undefined)) {
        const names = [...conditions].filter((name): name is string => name !== undefined).sort();
        from.Condition = names.length === 1 ? names[0] : `${id}Condition`;
        if (names.length > 1) Object.assign(this.conditions, combinedCondition(names, `${id}Condition`));
      }
      const strongest = (attribute: string, order: readonly string[]) => order.find(policy => entries.some(entry => entry[attribute] === policy));
      const deletion = strongest('DeletionPolicy', ['Retain', 'Delete']);
      const replace = strongest('UpdateReplacePolicy', ['Retain', 'Snapshot', 'Delete']);
      if (deletion) from.DeletionPolicy = deletion;
      if (replace) from.UpdateReplacePolicy = replace;
      const tagged = this.implicitApiTags(users);
      if (kind === 'rest') this.expandRestApi(id, { Properties: { StageName: 'Prod', ...tagged } }, from, users[0]);
      else this.expandHttpApi(id, { Properties: tagged }, from, users[0]);
    }
  }

  /**
   * The tags an implicit API takes from the functions and state machines whose events use it: those of each that asks for
   * `PropagateTags`, its own or its globals' (not merged: the transform reads them before it applies globals), as the
   * API's `Tags` with `PropagateTags`.
   */
  private implicitApiTags(users: readonly string[]): Json {
    const tags: Json = {};
    for (const user of users) {
      const entry = TemplateValue.literalObject(this.section[user]) ?? {};
      const own = TemplateValue.literalObject(entry.Properties) ?? {};
      const global = TemplateValue.literalObject(this.globalsOf(entry.Type === 'AWS::Serverless::StateMachine' ? 'StateMachine' : 'Function', entry)) ?? {};
      const userTags = TemplateValue.literalObject(isTruthy(own.Tags) ? own.Tags : global.Tags);
      if ((isTruthy(own.PropagateTags) || isTruthy(global.PropagateTags)) && userTags && isTruthy(userTags)) Object.assign(tags, userTags);
    }
    return Object.keys(tags).length > 0 ? { Tags: tags, PropagateTags: true } : {};
  }

  /**
   * Connectors (`AWS::Serverless::Connector`, and those embedded in a resource's `Connectors`), last, as the transform
   * writes them once every serverless resource is expanded (`expandConnector`); `DependsOn` on a connector is replaced by
   * what it writes. A connector the transform would reject writes nothing.
   */
  public expandConnectors(): void {
    // Each connector with the resource its findings belong to: its own, or the resource it is embedded in.
    const explicit: [string, Entry, string][] = [];
    const embedded: [string, Entry, string][] = [];
    for (const [id, definition] of Object.entries(this.section)) {
      const entry = TemplateValue.literalObject(definition);
      if (!entry) continue;
      if (entry.Type === 'AWS::Serverless::Connector') explicit.push([id, entry, id]);
      if (entry.Connectors === undefined) continue;
      // The transform takes the attribute off the resource it is on.
      const resource = TemplateValue.literalObject(this.resources[id]);
      if (resource) {
        const { Connectors: _connectors, ...rest } = resource;
        this.resources[id] = rest;
      }
      for (const [connectorId, connector] of embeddedConnectors(id, entry.Connectors) ?? []) {
        if (this.section[connectorId] === undefined) embedded.push([connectorId, connector, id]);
      }
    }
    const originalTypes = Object.fromEntries(Object.entries(this.section).map(([id, value]) => [id, TemplateValue.literalObject(value)?.Type]));
    for (const [id, entry, owner] of [...explicit, ...embedded]) {
      const expansion = expandConnector(id, entry, this.resources, originalTypes);
      if (owner === id) delete this.resources[id];
      if (!expansion) continue;
      for (const [logicalId, resource] of expansion.resources) this.add(logicalId, owner, resource);
      for (const [logicalId, dependency] of expansion.dependsOn) {
        const resource = TemplateValue.literalObject(this.resources[logicalId]);
        if (resource) this.resources[logicalId] = { ...resource, DependsOn: unique([...asList(resource.DependsOn), dependency]) };
      }
      const written = expansion.resources.map(([logicalId]) => logicalId);
      for (const [logicalId, value] of Object.entries(this.resources)) {
        const resource = TemplateValue.literalObject(value);
        const dependsOn = asList(resource?.DependsOn);
        if (!resource || !dependsOn.includes(id)) continue;
        this.resources[logicalId] = { ...resource, DependsOn: unique([...dependsOn.filter(d => d !== id), ...written]) };
      }
    }
  }

  public expandFunction(id: string, definition: Entry): void {
    const merged = mergeGlobals(this.globalsOf('Function', definition), definition.Properties);
    if (!TemplateValue.isObject(merged) || TemplateValue.isIntrinsic(merged)) return;
    const p = merged;
    const shared = pick(definition, SHARED_ATTRIBUTES);
    const properties: Json = pick(p, FUNCTION_PASSTHROUGH);
    if (isTruthy(p.FunctionScalingConfig)) properties.FunctionScalingConfig = p.FunctionScalingConfig;
    properties.Code = code(p);
    // The key Lambda decrypts a zip's code with when it is not AWS's.
    if (isTruthy(p.SourceKMSKeyArn) && p.PackageType !== 'Image') properties.Code = { ...properties.Code as Json, SourceKMSKeyArn: p.SourceKMSKeyArn };
    // With PropagateTags and tags, the transform tags what it creates with the function's tags, and leaves out its own lambda:createdBy.
    const propagated = p.PropagateTags === true ? tagList(p.Tags, false) : undefined;
    const tags = tagList(p.Tags, propagated === undefined);
    if (tags) properties.Tags = tags;
    // Any value but "Disabled" (an intrinsic too, whose value the transform reads from the parameters) turns tracing on as written.
    const traced = isTruthy(p.Tracing) && p.Tracing !== 'Disabled';
    if (traced) properties.TracingConfig = { Mode: p.Tracing };
    const deadLetter = TemplateValue.literalObject(p.DeadLetterQueue);
    if (deadLetter) properties.DeadLetterConfig = { TargetArn: deadLetter.TargetArn };
    this.replace(id, { ...pick(definition, OWN_ATTRIBUTES), Type: 'AWS::Lambda::Function', Properties: properties });

    // What events and the invoke config name: the alias when the transform publishes one, else the function.
    const aliasName = typeof p.AutoPublishAlias === 'string' ? p.AutoPublishAlias : undefined;
    const aliasId = aliasName ? `${id}Alias${aliasName.replace(/[^A-Za-z0-9]/g, '')}` : undefined;
    const target = aliasId ? { Ref: aliasId } : { Ref: id };
    const targetArn = aliasId ? { Ref: aliasId } : { 'Fn::GetAtt': [id, 'Arn'] };
    if (aliasId) {
      this.propertyReferences.set(`${id}.Alias`, aliasId);
      this.propertyReferences.set(`${id}.Version`, `${id}Version`);
      this.add(`${id}Version`, id, { ...shared, Type: 'AWS::Lambda::Version', DeletionPolicy: 'Retain', Properties: { FunctionName: { Ref: id } } });
      this.add(aliasId, id, {
        ...shared,
        Type: 'AWS::Lambda::Alias',
        Properties: { Name: aliasName, FunctionName: { Ref: id }, FunctionVersion: { 'Fn::GetAtt': [`${id}Version`, 'Version'] }, ...pick(p, ['ProvisionedConcurrencyConfig']) },
      });
    }

    const role = new GeneratedRole(p, `${id}Role`, 'lambda.amazonaws.com',
      [isTruthy(p.DurableConfig) ? DURABLE_EXECUTION : BASIC_EXECUTION, ...(traced ? [XRAY_WRITE] : []),
        ...(p.VpcConfig !== undefined ? [VPC_ACCESS] : [])]);
    if (deadLetter && deadLetter.TargetArn !== undefined) {
      role.statement('DeadLetterQueuePolicy', deadLetter.Type === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage', deadLetter.TargetArn, { first: true, version: true });
    }
    const to: EventTarget = { target, targetArn, role, shared, tags: propagated };
    this.invokeConfig(id, p.EventInvokeConfig, aliasName, to);
    this.functionUrl(id, p.FunctionUrlConfig, to);
    const events = TemplateValue.isObject(p.Events) ? p.Events : {};
    for (const [name, event] of Object.entries(events)) {
      if (TemplateValue.isObject(event)) this.event(id, `${id}${name}`, event, to);
    }
    properties.Role = this.executionRole(id, p, role, tags, shared);
  }

  public expandStateMachine(id: string, definition: Entry): void {
    // Globals give state machines only PropagateTags.
    const own = definition.Properties;
    const p = TemplateValue.literalObject(own === undefined ? undefined : mergeGlobals(this.globalsOf('StateMachine', definition), own));
    if (!p) return;
    const shared = pick(definition, SHARED_ATTRIBUTES);
    const properties: Json = {};
    const substitutions: Json = { ...TemplateValue.literalObject(p.DefinitionSubstitutions) };
    const document = TemplateValue.literalObject(p.Definition);
    if (document) {
      // Intrinsics inside the definition become substitutions the transform numbers in the order of sorted keys.
      let counter = 0;
      const replace = (value: unknown): unknown => {
        if (TemplateValue.isIntrinsic(value) || isDynamicReference(value)) {
          counter += 1;
          substitutions[`definition_substitution_${counter}`] = value;
          return `\${definition_substitution_${counter}}`;
        }
        if (Array.isArray(value)) return value.map(replace);
        if (TemplateValue.isObject(value)) return Object.fromEntries(Object.keys(value).sort().map(key => [key, replace(value[key])]));
        return value;
      };
      properties.DefinitionString = { 'Fn::Join': ['\n', pythonJson(replace(document)).split('\n')] };
    } else if (p.DefinitionUri !== undefined) {
      properties.DefinitionS3Location = definitionLocation(p.DefinitionUri) ?? {};
    }
    if (Object.keys(substitutions).length > 0) properties.DefinitionSubstitutions = substitutions;
    const tracing = TemplateValue.literalObject(p.Tracing);
    const role = new GeneratedRole(p, `${id}Role`, 'states.amazonaws.com', tracing?.Enabled === true ? [XRAY_WRITE] : []);
    // With PropagateTags and tags, the transform puts them, without its own stateMachine:createdBy, on what it creates.
    const propagated = p.PropagateTags === true ? tagList(p.Tags, false) : undefined;
    const tags = propagated ?? stateMachineTags(p.Tags);
    properties.RoleArn = this.executionRole(id, p, role, tags, shared);
    if (p.Name !== undefined) properties.StateMachineName = p.Name;
    if (p.Type !== undefined) properties.StateMachineType = p.Type;
    if (p.Logging !== undefined) properties.LoggingConfiguration = p.Logging;
    if (p.Tracing !== undefined) properties.TracingConfiguration = p.Tracing;
    properties.Tags = tags;
    this.replace(id, { ...pick(definition, OWN_ATTRIBUTES), Type: 'AWS::StepFunctions::StateMachine', Properties: properties });

    const to: EventTarget = { target: { Ref: id }, targetArn: { Ref: id }, role, shared, tags: propagated };
    const events = TemplateValue.isObject(p.Events) ? p.Events : {};
    for (const [name, event] of Object.entries(events)) {
      if (!TemplateValue.isObject(event) || !['Schedule', 'EventBridgeRule', 'CloudWatchEvent', 'ScheduleV2', 'Api'].includes(String(event.Type))) continue;
      const eventId = `${id}${name}`;
      const q = TemplateValue.literalObject(event.Properties) ?? {};
      // The role that starts executions for a rule or an API method, with the state machine's permissions boundary.
      const starter = (service: string) => {
        const eventRole = new GeneratedRole(isTruthy(p.PermissionsBoundary) ? { PermissionsBoundary: p.PermissionsBoundary } : {}, `${eventId}Role`, service);
        eventRole.statement(`${eventId}RoleStartExecutionPolicy`, 'states:StartExecution', { Ref: id });
        this.add(`${eventId}Role`, id, { ...shared, ...eventRole.resource(propagated)! });
      };
      if (event.Type === 'ScheduleV2') {
        this.scheduleV2(id, eventId, q, to, { action: 'states:StartExecution', policy: `${eventId}StartExecutionPolicy`, resource: { Ref: id } });
        continue;
      }
      if (event.Type === 'Api') {
        // A method of the API named (or of the implicit API), which API Gateway integrates with StartExecution under this role.
        const apiId = typeof q.RestApiId === 'string' ? q.RestApiId : TemplateValue.refTarget(q.RestApiId);
        if (q.RestApiId !== undefined && (apiId === undefined || !TemplateValue.literalObject(this.section[apiId]))) continue;
        if (q.RestApiId === undefined) this.implicitApis.set('rest', [...this.implicitApis.get('rest') ?? [], id]);
        starter('apigateway.amazonaws.com');
        continue;
      }
      const rule = this.ruleProperties(event.Type as string, q);
      // A Schedule event may name the role that starts executions; otherwise the transform creates one.
      const ownRole = event.Type === 'Schedule' ? q.RoleArn : undefined;
      const targetId = TemplateValue.literalObject(q.Target)?.Id ?? targetIdOf(eventId, 'StepFunctionsTarget');
      const targetEntry: Json = { Arn: { Ref: id }, Id: targetId, RoleArn: ownRole ?? { 'Fn::GetAtt': [`${eventId}Role`, 'Arn'] } };
      Object.assign(targetEntry, pick(q, ['Input', 'InputPath']));
      const dlq = this.deadLetterQueue(id, eventId, q.DeadLetterConfig, to, { Service: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [eventId, 'Arn'] } });
      if (dlq) targetEntry.DeadLetterConfig = { Arn: dlq };
      Object.assign(targetEntry, pick(q, ['RetryPolicy', 'InputTransformer']));
      rule.Targets = [targetEntry];
      this.add(eventId, id, { ...shared, Type: 'AWS::Events::Rule', Properties: rule });
      if (ownRole === undefined) starter('events.amazonaws.com');
    }
  }

  /**
   * A WebSocket API: the API, its auto-deployed stage ("default" unless named) with its access logs and route settings,
   * and per route its route, Lambda proxy integration and the permission for API Gateway to invoke the function. Not
   * modelled: `Auth` (the $connect route's authorizer) and `Domain`. An API the transform rejects (no routes, a route
   * without `FunctionArn` or with a key that is neither a special route nor letters and digits, a stage named $default)
   * is not expanded.
   */
  public expandWebSocketApi(id: string, definition: Entry): void {
    const merged = mergeGlobals(this.globalsOf('WebSocketApi', definition), definition.Properties ?? {});
    const p = TemplateValue.literalObject(merged);
    const routes = TemplateValue.literalObject(p?.Routes);
    if (!p || !routes || Object.keys(routes).length === 0 || p.StageName === '$default') return;
    const specs = Object.entries(routes).map(([key, value]) => ({ key, spec: TemplateValue.literalObject(value), name: webSocketRouteName(key) }));
    if (specs.some(({ spec, name }) => !spec || spec.FunctionArn === undefined || name === undefined)) return;
    if (specs.some(({ key, spec }) => spec!.RequestParameters !== undefined && isTruthy(spec!.RequestParameters) && key !== '$connect')) return;
    const shared = pick(definition, SHARED_ATTRIBUTES);
    const tags: Json = { ...TemplateValue.literalObject(p.Tags), 'websocketapi:createdBy': 'SAM' };
    const propagate = p.PropagateTags === true;
    const api: Json = {
      ...pick(p, ['ApiKeySelectionExpression', 'Description', 'DisableExecuteApiEndpoint', 'DisableSchemaValidation', 'IpAddressType', 'RouteSelectionExpression']),
      Name: p.Name ?? id,
      ProtocolType: 'WEBSOCKET',
      Tags: tags,
    };
    this.replace(id, { ...pick(definition, OWN_ATTRIBUTES), Type: 'AWS::ApiGatewayV2::Api', Properties: api });
    const stageName = p.StageName ?? 'default';
    const routeIds: string[] = [];
    for (const { key, spec, name } of specs) {
      const base = `${id}${name}`;
      routeIds.push(`${base}Route`);
      this.add(`${base}Route`, id, {
        ...shared,
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          RouteKey: key,
          ApiId: { Ref: id },
          ...pick(spec!, ['ApiKeyRequired', 'ModelSelectionExpression', 'OperationName', 'RequestModels', 'RouteResponseSelectionExpression']),
          ...(isTruthy(spec!.RequestParameters) ? { RequestParameters: spec!.RequestParameters } : {}),
          Target: { 'Fn::Join': ['/', ['integrations', { Ref: `${base}Integration` }]] },
        },
      });
      this.add(`${base}Integration`, id, {
        ...shared,
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: {
          ApiId: { Ref: id },
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: { 'Fn::Sub': ['arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations', { FunctionArn: spec!.FunctionArn }] },
          ...(spec!.IntegrationTimeout !== undefined ? { TimeoutInMillis: spec!.IntegrationTimeout } : {}),
        },
      });
      const arn = `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${id}.ApiId}/`;
      this.add(`${base}Permission`, id, {
        ...shared,
        Type: 'AWS::Lambda::Permission',
        Properties: {
          Action: 'lambda:InvokeFunction',
          FunctionName: spec!.FunctionArn,
          Principal: 'apigateway.amazonaws.com',
          SourceArn: typeof stageName === 'string' ? { 'Fn::Sub': `${arn}${stageName}/${key}` } : { 'Fn::Sub': [`${arn}\${__StageName__}/${key}`, { __StageName__: stageName }] },
        },
      });
    }
    // The transform writes a WebSocket stage's name into its logical id as it is (an intrinsic's as nothing).
    const prefix = typeof stageName === 'string' ? stageName : '';
    const stageId = prefix === 'default' ? `${id}DefaultStage` : `${id}${prefix}Stage`;
    this.propertyReferences.set(`${id}.Stage`, stageId);
    const stage: Json = {
      ApiId: { Ref: id },
      StageName: stageName,
      ...pick(p, ['StageVariables', 'AccessLogSettings', 'DefaultRouteSettings', 'RouteSettings']),
      Tags: propagate ? tags : { 'websocketapi:createdBy': 'SAM' },
      AutoDeploy: true,
    };
    // A stage whose route settings name routes waits for them.
    const dependsOn = isTruthy(p.RouteSettings) ? { DependsOn: routeIds } : {};
    this.add(stageId, id, { ...shared, ...dependsOn, Type: 'AWS::ApiGatewayV2::Stage', Properties: stage });
  }

  /** A GraphQL API: what `expandGraphqlApi` writes, the API under the serverless resource's id. */
  public expandGraphqlApi(id: string, definition: Entry): void {
    for (const [logicalId, resource] of expandGraphqlApi(id, definition) ?? []) {
      if (logicalId === id) this.replace(id, resource);
      else this.add(logicalId, id, resource);
    }
  }

  public expandSimpleTable(id: string, definition: Entry): void {
    const merged = mergeGlobals(this.globalsOf('SimpleTable', definition), definition.Properties ?? {});
    if (!TemplateValue.isObject(merged) || TemplateValue.isIntrinsic(merged)) return;
    const key = TemplateValue.literalObject(merged.PrimaryKey) ?? { Name: 'id', Type: 'String' };
    const types: { readonly [type: string]: string } = { String: 'S', Number: 'N', Binary: 'B' };
    const properties: Json = {
      AttributeDefinitions: [{ AttributeName: key.Name, AttributeType: typeof key.Type === 'string' ? types[key.Type] ?? key.Type : key.Type }],
      KeySchema: [{ AttributeName: key.Name, KeyType: 'HASH' }],
      ...pick(merged, ['TableName', 'SSESpecification', 'PointInTimeRecoverySpecification']),
    };
    const tags = tagList(merged.Tags, false);
    if (tags) properties.Tags = tags;
    if (merged.ProvisionedThroughput !== undefined) properties.ProvisionedThroughput = merged.ProvisionedThroughput;
    else properties.BillingMode = 'PAY_PER_REQUEST';
    this.replace(id, { ...pick(definition, OWN_ATTRIBUTES), Type: 'AWS::DynamoDB::Table', Properties: properties });
  }

  /** A function URL (`FunctionUrlConfig`) on the function or its alias, and with `AuthType: NONE` the permissions that open it to anyone. */
  private functionUrl(id: string, config: unknown, to: EventTarget): void {
    const settings = TemplateValue.literalObject(config);
    if (!settings) return;
    this.add(`${id}Url`, id, {
      ...to.shared,
      Type: 'AWS::Lambda::Url',
      Properties: { TargetFunctionArn: to.target, ...pick(settings, ['AuthType', 'Cors', 'InvokeMode']) },
    });
    if (settings.AuthType !== 'NONE') return;
    this.add(`${id}UrlPublicPermissions`, id, {
      ...to.shared,
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunctionUrl', FunctionName: to.target, Principal: '*', FunctionUrlAuthType: 'NONE' },
    });
    // Lambda also asks for lambda:InvokeFunction, limited to calls through the URL.
    this.add(`${id}URLInvokeAllowPublicAccess`, id, {
      ...to.shared,
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: to.target, Principal: '*', InvokedViaFunctionUrl: true },
    });
  }

  private invokeConfig(id: string, config: unknown, aliasName: string | undefined, { role, shared, tags }: EventTarget): void {
    const settings = TemplateValue.literalObject(config);
    if (!settings) return;
    const configId = `${id}EventInvokeConfig`;
    const properties: Json = { FunctionName: { Ref: id }, Qualifier: aliasName ?? '$LATEST', ...pick(settings, ['MaximumEventAgeInSeconds', 'MaximumRetryAttempts']) };
    const destinations = TemplateValue.literalObject(settings.DestinationConfig);
    if (destinations) {
      const written: Json = {};
      for (const [when, suffix] of [['OnSuccess', 'OnSuccess'], ['OnFailure', 'OnFailure']] as const) {
        const destination = TemplateValue.literalObject(destinations[when]);
        if (!destination) continue;
        let arn = destination.Destination;
        const type = destination.Type;
        const conditional = conditionalDestination(arn);
        // A destination Fn::If with AWS::NoValue on one side asks for a queue or topic of the transform's on that side.
        if (conditional && type !== 'SQS' && type !== 'SNS') continue;
        if ((arn === undefined || conditional) && (type === 'SQS' || type === 'SNS')) {
          // Only a type: the transform creates the queue or topic itself, under the condition the destination gives.
          let condition = conditional?.condition;
          if (conditional?.negated) {
            condition = `NOT${conditional.condition}${nameHash(configId)}`;
            this.conditions[condition] = { 'Fn::Not': [{ Condition: conditional.condition }] };
          }
          const created = `${configId}${suffix}${type === 'SQS' ? 'Queue' : 'Topic'}`;
          this.add(created, id, {
            ...shared,
            ...this.andCondition(shared.Condition, condition, id),
            Type: type === 'SQS' ? 'AWS::SQS::Queue' : 'AWS::SNS::Topic',
            Properties: tags ? { Tags: tags } : {},
          });
          arn = type === 'SQS' ? { 'Fn::GetAtt': [created, 'Arn'] } : { Ref: created };
          if (condition) arn = { 'Fn::If': [condition, arn, conditional!.otherwise] };
        }
        if (arn === undefined) continue;
        const action = { SQS: 'sqs:SendMessage', SNS: 'sns:publish', Lambda: 'lambda:InvokeFunction', EventBridge: 'events:PutEvents' }[String(type)];
        if (action) role.statement(`${configId}${suffix}${String(type)}Policy`, action, arn);
        // A bucket receives each record as an object, which the function writes.
        if (type === 'S3Bucket') {
          role.document(`${configId}${suffix}S3Policy`, { Statement: [allow('s3:PutObject', { 'Fn::Join': ['/', [arn, '*']] }), allow('s3:ListBucket', arn)] });
        }
        written[when] = { Destination: arn };
      }
      properties.DestinationConfig = written;
    }
    this.add(configId, id, { ...shared, ...(aliasName ? { DependsOn: [`${id}Alias${aliasName.replace(/[^A-Za-z0-9]/g, '')}`] } : {}), Type: 'AWS::Lambda::EventInvokeConfig', Properties: properties });
  }

  private event(fn: string, id: string, event: { readonly [key: string]: unknown }, to: EventTarget): void {
    const q = TemplateValue.literalObject(event.Properties) ?? {};
    const { shared } = to;
    switch (event.Type) {
      case 'SQS':
      case 'Kinesis':
      case 'DynamoDB':
      case 'MSK':
      case 'SelfManagedKafka':
      case 'MQ':
      case 'DocumentDB':
        this.pullEvent(fn, id, event.Type, q, to);
        return;
      case 'Schedule':
      case 'EventBridgeRule':
      case 'CloudWatchEvent': {
        const properties = this.ruleProperties(event.Type, q);
        const targetId = TemplateValue.literalObject(q.Target)?.Id ?? targetIdOf(id, 'LambdaTarget');
        const targetEntry: Json = { Arn: to.targetArn, Id: targetId, ...pick(q, ['Input', 'InputPath', 'InputTransformer', 'RetryPolicy']) };
        const dlq = this.deadLetterQueue(fn, id, q.DeadLetterConfig, to, { Service: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [id, 'Arn'] } });
        if (dlq) targetEntry.DeadLetterConfig = { Arn: dlq };
        properties.Targets = [targetEntry];
        this.add(id, fn, { ...shared, Type: 'AWS::Events::Rule', Properties: properties });
        this.permission(fn, id, to, 'events.amazonaws.com', { SourceArn: { 'Fn::GetAtt': [id, 'Arn'] } });
        return;
      }
      case 'ScheduleV2':
        this.scheduleV2(fn, id, q, to, { action: 'lambda:InvokeFunction', policy: `${id}LambdaPolicy`, resource: to.target.Ref === fn ? { 'Fn::GetAtt': [fn, 'Arn'] } : to.target });
        return;
      case 'SNS': {
        if (q.SqsSubscription !== undefined && q.SqsSubscription !== false) {
          this.sqsSubscription(fn, id, q, to);
          return;
        }
        this.add(id, fn, {
          ...shared,
          Type: 'AWS::SNS::Subscription',
          Properties: { Endpoint: to.targetArn, Protocol: 'lambda', TopicArn: q.Topic, ...pick(q, ['Region', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy']) },
        });
        this.permission(fn, id, to, 'sns.amazonaws.com', { SourceArn: q.Topic });
        return;
      }
      case 'Api':
      case 'HttpApi': {
        const rest = event.Type === 'Api';
        const apiRef = rest ? q.RestApiId : q.ApiId;
        const explicitId = typeof apiRef === 'string' ? apiRef : TemplateValue.isObject(apiRef) && typeof apiRef.Ref === 'string' ? apiRef.Ref : undefined;
        const explicit = explicitId ? TemplateValue.literalObject(this.section[explicitId]) : undefined;
        if (apiRef === undefined) this.implicitApis.set(rest ? 'rest' : 'http', [...this.implicitApis.get(rest ? 'rest' : 'http') ?? [], fn]);
        const apiId = apiRef ?? { Ref: rest ? 'ServerlessRestApi' : 'ServerlessHttpApi' };
        // The transform rejects an event naming its API otherwise than by Ref or logical id, or an API the template does not hold.
        if (apiRef !== undefined && (explicitId === undefined || !explicit)) return;
        // REST API permissions are named after the stage: Prod for the implicit API, the explicit API's stage name ("Stage"
        // when an intrinsic gives it); HTTP API ones are not.
        let suffix = '';
        if (rest) {
          const stageName = apiRef === undefined ? 'Prod' : TemplateValue.literalObject(mergeGlobals(this.globalsOf('Api', explicit ?? {}), explicit?.Properties ?? {}))?.StageName ?? 'Stage';
          // The transform rejects an API staged under an empty name.
          if (stageName === '') return;
          suffix = typeof stageName === 'string' ? stageName : 'Stage';
        }
        const method = typeof q.Method === 'string' ? (q.Method.toLowerCase() === 'any' ? '*' : q.Method.toUpperCase()) : undefined;
        const path = typeof q.Path === 'string' ? q.Path.replace(/^(.+)\/$/, '$1').replace(/\{[^}]*\}/g, '*') : undefined;
        const resource = method !== undefined && path !== undefined ? `\${__ApiId__}/\${__Stage__}/${method}${path}` : '${__ApiId__}/${__Stage__}/*';
        const arn = rest ? `arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:${resource}` : `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${resource}`;
        this.permission(fn, `${id}`, to, 'apigateway.amazonaws.com', { SourceArn: { 'Fn::Sub': [arn, { __ApiId__: apiId, __Stage__: '*' }] } }, suffix);
        return;
      }
      case 'S3': {
        this.permission(fn, id, to, 's3.amazonaws.com', { SourceAccount: { Ref: 'AWS::AccountId' } });
        const bucketId = TemplateValue.isObject(q.Bucket) && typeof q.Bucket.Ref === 'string' ? q.Bucket.Ref : undefined;
        const bucket = bucketId ? TemplateValue.literalObject(this.resources[bucketId]) : undefined;
        if (!bucketId || !bucket || bucket.Type !== 'AWS::S3::Bucket') return;
        const bucketProperties = TemplateValue.literalObject(bucket.Properties) ?? {};
        const notifications = TemplateValue.literalObject(bucketProperties.NotificationConfiguration) ?? {};
        const existing = Array.isArray(notifications.LambdaConfigurations) ? notifications.LambdaConfigurations : [];
        // A function with a condition is notified only when it exists; the bucket then waits for its permission through a
        // conditional reference in a tag, as DependsOn cannot be conditional.
        const condition = typeof to.shared.Condition === 'string' ? to.shared.Condition : undefined;
        const added = (Array.isArray(q.Events) ? q.Events : [q.Events]).map(name => {
          const entry = { Function: to.targetArn, Event: name, ...pick(q, ['Filter']) };
          return condition ? { 'Fn::If': [condition, entry, { Ref: 'AWS::NoValue' }] } : entry;
        });
        const permission = permissionLogicalId(id, '');
        const notificationConfiguration = { ...notifications, LambdaConfigurations: [...existing, ...added] };
        const properties: Json = { ...bucketProperties, NotificationConfiguration: notificationConfiguration };
        const expanded: Json = { ...bucket, Properties: properties };
        if (condition) {
          const tags = bucketProperties.Tags ?? [];
          if (Array.isArray(tags)) properties.Tags = [...tags, { Key: `sam:ConditionalDependsOn:${permission}`, Value: { 'Fn::If': [condition, { Ref: permission }, 'no dependency'] } }];
        } else {
          const dependsOn = bucket.DependsOn === undefined ? [] : Array.isArray(bucket.DependsOn) ? bucket.DependsOn : [bucket.DependsOn];
          expanded.DependsOn = [...dependsOn, permission];
        }
        // The transform returns the bucket among what it creates for the function, so PropagateTags replaces its tags too.
        if (to.tags) properties.Tags = to.tags;
        this.resources[bucketId] = expanded;
        return;
      }
      case 'CloudWatchLogs': {
        if (!isStringOrIntrinsic(q.LogGroupName) || !isStringOrIntrinsic(q.FilterPattern)) return;
        const sourceArn = { 'Fn::Sub': ['arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*', { __LogGroupName__: q.LogGroupName }] };
        this.permission(fn, id, to, 'logs.amazonaws.com', { SourceArn: sourceArn });
        this.add(id, fn, {
          ...shared,
          DependsOn: [permissionLogicalId(id, '')],
          Type: 'AWS::Logs::SubscriptionFilter',
          Properties: { LogGroupName: q.LogGroupName, FilterPattern: q.FilterPattern, DestinationArn: to.targetArn },
        });
        return;
      }
      case 'IoTRule': {
        if (!isStringOrIntrinsic(q.Sql) || (q.AwsIotSqlVersion !== undefined && !isStringOrIntrinsic(q.AwsIotSqlVersion))) return;
        const sourceArn = { 'Fn::Sub': ['arn:aws:iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}', { RuleName: { Ref: id } }] };
        this.permission(fn, id, to, 'iot.amazonaws.com', { SourceArn: sourceArn, SourceAccount: { 'Fn::Sub': '${AWS::AccountId}' } });
        const payload: Json = { Sql: q.Sql, RuleDisabled: false, Actions: [{ Lambda: { FunctionArn: to.targetArn } }] };
        if (isTruthy(q.AwsIotSqlVersion)) payload.AwsIotSqlVersion = q.AwsIotSqlVersion;
        this.add(id, fn, { ...shared, Type: 'AWS::IoT::TopicRule', Properties: { TopicRulePayload: payload, ...(to.tags ? { Tags: to.tags } : {}) } });
        return;
      }
      case 'AlexaSkill':
        if (q.SkillId !== undefined && !isStringOrIntrinsic(q.SkillId)) return;
        this.permission(fn, id, to, 'alexa-appkit.amazon.com', q.SkillId !== undefined ? { EventSourceToken: q.SkillId } : {});
        return;
      case 'Cognito':
        this.cognitoTrigger(fn, q, to);
        return;
      default:
        return;
    }
  }

  /**
   * A Cognito event: the function becomes the user pool's trigger (its `LambdaConfig` entry) for each of the event's
   * triggers, with the permission that lets Cognito invoke it (one per function). The transform rejects a user pool not
   * referred to by `Ref` to a resource of the template, or a trigger the pool already has.
   */
  private cognitoTrigger(fn: string, q: Json, to: EventTarget): void {
    const poolId = TemplateValue.isObject(q.UserPool) && typeof q.UserPool.Ref === 'string' ? q.UserPool.Ref : undefined;
    const pool = poolId ? TemplateValue.literalObject(this.resources[poolId]) : undefined;
    const triggers = typeof q.Trigger === 'string' ? [q.Trigger] : Array.isArray(q.Trigger) && q.Trigger.every(t => typeof t === 'string') ? q.Trigger as string[] : undefined;
    if (!poolId || !pool || !triggers) return;
    // The transform starts from an empty map where the pool has no Properties or LambdaConfig (or a null one).
    const mapOrEmpty = (value: unknown) => (value === undefined || value === null ? {} : TemplateValue.literalObject(value));
    const properties = mapOrEmpty(pool.Properties);
    const config = mapOrEmpty(properties?.LambdaConfig);
    if (!properties || !config || triggers.some((trigger, i) => trigger in config || triggers.indexOf(trigger) !== i)) return;
    this.permission(fn, `${fn}Cognito`, to, 'cognito-idp.amazonaws.com', { SourceArn: { 'Fn::GetAtt': [poolId, 'Arn'] } });
    const lambdaConfig = { ...config, ...Object.fromEntries(triggers.map(trigger => [trigger, to.targetArn])) };
    this.resources[poolId] = { ...pool, Properties: { ...properties, LambdaConfig: lambdaConfig } };
  }

  /**
   * An EventBridge Scheduler schedule (a function's or state machine's ScheduleV2 event), with its dead-letter queue and,
   * unless the event names one (`RoleArn`), the role it runs with, allowed to invoke the function or start the state machine.
   */
  private scheduleV2(owner: string, id: string, q: Json, to: EventTarget, invoke: ScheduleInvoke): void {
    // The transform rejects a name beside OmitName.
    if (q.OmitName === true && isTruthy(q.Name)) return;
    const roleArn = isTruthy(q.RoleArn) ? q.RoleArn : { 'Fn::GetAtt': [`${id}Role`, 'Arn'] };
    const targetEntry: Json = { Arn: to.targetArn, RoleArn: roleArn, ...pick(q, ['Input', 'RetryPolicy']) };
    const dlq = this.deadLetterQueue(owner, id, q.DeadLetterConfig, to);
    if (dlq) targetEntry.DeadLetterConfig = { Arn: dlq };
    const properties: Json = {
      ScheduleExpression: q.ScheduleExpression,
      FlexibleTimeWindow: isTruthy(q.FlexibleTimeWindow) ? q.FlexibleTimeWindow : { Mode: 'OFF' },
      ...(q.OmitName === true ? {} : { Name: isTruthy(q.Name) ? q.Name : id }),
      ...pick(q, ['ScheduleExpressionTimezone', 'Description', 'GroupName', 'StartDate', 'EndDate', 'KmsKeyArn']),
      ...(isTruthy(q.State) ? { State: q.State } : {}),
      Target: targetEntry,
    };
    this.add(id, owner, { ...to.shared, Type: 'AWS::Scheduler::Schedule', Properties: properties });
    if (isTruthy(q.RoleArn)) return;
    const scheduler = new GeneratedRole(isTruthy(q.PermissionsBoundary) ? { PermissionsBoundary: q.PermissionsBoundary } : {}, `${id}Role`, 'scheduler.amazonaws.com');
    scheduler.statement(invoke.policy, invoke.action, invoke.resource);
    if (dlq) scheduler.statement(`${id}SQSPolicy`, 'sqs:SendMessage', dlq);
    this.add(`${id}Role`, owner, { ...to.shared, ...scheduler.resource(to.tags)! });
  }

  /** The properties of the EventBridge rule a Schedule, EventBridgeRule or CloudWatchEvent event becomes, but its targets. */
  private ruleProperties(type: string, q: { readonly [key: string]: unknown }): Json {
    const properties: Json = type === 'Schedule' ? pick(q, ['Description', 'Name', 'State']) : pick(q, ['EventBusName', 'State']);
    if (type === 'Schedule') properties.ScheduleExpression = q.Schedule;
    else properties.EventPattern = q.Pattern;
    if (type !== 'Schedule' && q.RuleName !== undefined) properties.Name = q.RuleName;
    if (q.Enabled !== undefined && properties.State === undefined) properties.State = q.Enabled === false ? 'DISABLED' : 'ENABLED';
    return properties;
  }

  /**
   * An SNS event delivered through a queue (`SqsSubscription`): the queue (the transform's own unless `QueueArn` names one),
   * a queue policy letting the topic send, the topic's subscription of the queue, and an event source mapping on it.
   */
  private sqsSubscription(fn: string, id: string, q: { readonly [key: string]: unknown }, to: EventTarget): void {
    const settings = TemplateValue.literalObject(q.SqsSubscription) ?? {};
    const own = settings.QueueArn === undefined;
    const queueArn = own ? { 'Fn::GetAtt': [`${id}Queue`, 'Arn'] } : settings.QueueArn;
    const queueUrl = own ? { Ref: `${id}Queue` } : settings.QueueUrl;
    if (own) this.add(`${id}Queue`, fn, { ...to.shared, Type: 'AWS::SQS::Queue', Properties: to.tags ? { Tags: to.tags } : {} });
    const policyId = typeof settings.QueuePolicyLogicalId === 'string' ? settings.QueuePolicyLogicalId : `${id}QueuePolicy`;
    this.add(policyId, fn, {
      ...to.shared,
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Principal: '*', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': q.Topic } } }],
        },
        Queues: [queueUrl],
      },
    });
    this.add(id, fn, {
      ...to.shared,
      Type: 'AWS::SNS::Subscription',
      Properties: { Endpoint: queueArn, Protocol: 'sqs', TopicArn: q.Topic, ...pick(q, ['Region', 'FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy']) },
    });
    this.add(`${id}EventSourceMapping`, fn, {
      ...to.shared,
      Type: 'AWS::Lambda::EventSourceMapping',
      // The transform writes Enabled: true whatever the subscription says.
      Properties: { BatchSize: settings.BatchSize || 10, Enabled: true, EventSourceArn: queueArn, FunctionName: to.target },
    });
    to.role.managed(PULL_SOURCES.SQS.managed);
  }

  /**
   * A pull event (a queue, stream, Kafka topic, broker or DocumentDB change stream): its event source mapping, and what
   * the transform adds to the generated role: the poller's managed policy, the statements for the source's secrets and
   * broker, and the on-failure destination's. An event the transform rejects (a source without the access configuration
   * it requires) is not modelled, and the role is then unknown; so is a role to which the transform adds statements on
   * `*` (for the network interfaces of a self-managed Kafka cluster's VPC or a DocumentDB cluster's, which only the
   * function's own `Role` can narrow) or a schema registry's statements.
   */
  private pullEvent(fn: string, id: string, type: string, q: Json, to: EventTarget): void {
    const source = PULL_SOURCES[type];
    const access = pullSourceAccess(type, q, id);
    if (!access) {
      to.role.unknown();
      return;
    }
    const properties: Json = { FunctionName: to.target, ...pick(q, MAPPING_PASSTHROUGH) };
    if (source.arn) properties.EventSourceArn = q[source.arn];
    if (q.KafkaBootstrapServers !== undefined) properties.SelfManagedEventSource = { Endpoints: { KafkaBootstrapServers: q.KafkaBootstrapServers } };
    const kafkaConfig: Json = {};
    if (q.ConsumerGroupId !== undefined) kafkaConfig.ConsumerGroupId = q.ConsumerGroupId;
    if (q.SchemaRegistryConfig !== undefined) kafkaConfig.SchemaRegistryConfig = q.SchemaRegistryConfig;
    if (Object.keys(kafkaConfig).length > 0 && source.kafkaConfig) properties[source.kafkaConfig] = kafkaConfig;
    if (type === 'DocumentDB') {
      properties.DocumentDBEventSourceConfig = { DatabaseName: q.DatabaseName, ...pick(q, ['CollectionName', 'FullDocument']) };
    }
    const destinations = TemplateValue.literalObject(q.DestinationConfig);
    let destinationPolicy: { name: string; statements: Json[] } | undefined;
    if (destinations) {
      const onFailure = TemplateValue.literalObject(destinations.OnFailure);
      if (!onFailure) {
        to.role.unknown();
        return;
      }
      const { Type: destinationType, ...kept } = onFailure;
      if (destinationType !== undefined && !['SQS', 'SNS', 'S3', 'Kafka'].includes(String(destinationType))) {
        to.role.unknown();
        return;
      }
      properties.DestinationConfig = { ...destinations, OnFailure: kept };
      const arn = onFailure.Destination;
      if (destinationType === 'SQS') destinationPolicy = { name: `${id}SQSPolicy`, statements: [allow('sqs:SendMessage', arn)] };
      if (destinationType === 'SNS') destinationPolicy = { name: `${id}SNSPolicy`, statements: [allow('sns:publish', arn)] };
      if (destinationType === 'S3') {
        destinationPolicy = { name: `${id}S3Policy`, statements: [allow('s3:PutObject', { 'Fn::Join': ['/', [arn, '*']] }), allow('s3:ListBucket', arn)] };
      }
    }
    to.role.managed(source.managed);
    if (access.unjudged || q.SchemaRegistryConfig !== undefined) to.role.unknown();
    if (access.policy) to.role.policy(access.policy.name, access.policy.document, { unlessGranted: true });
    if (destinationPolicy) to.role.policy(destinationPolicy.name, { Statement: destinationPolicy.statements }, { unlessGranted: true });
    this.add(id, fn, { ...to.shared, Type: 'AWS::Lambda::EventSourceMapping', Properties: properties });
  }

  /** The ARN of a rule's or schedule's dead-letter queue: the one named, or the queue the transform creates for `Type: SQS`. */
  private deadLetterQueue(fn: string, id: string, config: unknown, { shared, tags }: EventTarget, sender?: QueueSender): unknown {
    const settings = TemplateValue.literalObject(config);
    if (!settings) return undefined;
    if (settings.Arn !== undefined) return settings.Arn;
    if (settings.Type !== 'SQS') return undefined;
    const queueId = typeof settings.QueueLogicalId === 'string' ? settings.QueueLogicalId : `${id}Queue`;
    this.add(queueId, fn, { ...shared, Type: 'AWS::SQS::Queue', Properties: tags ? { Tags: tags } : {} });
    const arn = { 'Fn::GetAtt': [queueId, 'Arn'] };
    if (sender) {
      this.add(`${id}QueuePolicy`, fn, {
        ...shared,
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Principal: { Service: sender.Service }, Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': sender.SourceArn } } }],
          },
        },
      });
    }
    return arn;
  }

  private permission(fn: string, id: string, to: EventTarget, principal: string, more: Json, suffix = ''): void {
    this.add(permissionLogicalId(id, suffix), fn, {
      ...to.shared,
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: to.target, Principal: principal, ...more },
    });
  }

  /**
   * The role ARN a function or state machine runs with: its own `Role`, or the role the transform generates as
   * `<id>Role` (added unless its policies cannot be expanded, when the ARN names a role the templates do not hold).
   */
  private executionRole(id: string, p: Entry, role: GeneratedRole, tags: unknown, shared: Json): unknown {
    if (p.Role !== undefined) return p.Role;
    const generated = role.resource(tags);
    if (generated) this.add(`${id}Role`, id, { ...shared, ...generated });
    return { 'Fn::GetAtt': [`${id}Role`, 'Arn'] };
  }

  /**
   * The `Globals` section for a serverless type (`Function`, `Api`, ...) as they apply to one resource: without what its
   * `IgnoreGlobals` attribute names (`"*"` for all of them, or a list of properties).
   */
  private globalsOf(section: string, definition: Entry): unknown {
    const global = this.globals[section];
    const ignored = definition.IgnoreGlobals;
    if (ignored === '*') return undefined;
    const map = TemplateValue.literalObject(global);
    if (!Array.isArray(ignored) || !map) return global;
    return Object.fromEntries(Object.entries(map).filter(([key]) => !ignored.includes(key)));
  }

  /**
   * The `Condition` attribute of a resource the transform creates for a conditional resource under a condition of its own:
   * either one alone, or both through a condition the transform adds (`<resource>AND<own><hash of the id>`).
   */
  private andCondition(resourceCondition: unknown, own: string | undefined, id: string): Json {
    const outer = typeof resourceCondition === 'string' ? resourceCondition : undefined;
    if (!outer || !own) return outer ?? own ? { Condition: outer ?? own } : {};
    const name = `${outer}AND${own}${nameHash(id)}`;
    // Written as the transform writes it, each condition wrapped twice ({ Condition: { Condition: name } }).
    this.conditions[name] = { 'Fn::And': [{ Condition: { Condition: outer } }, { Condition: { Condition: own } }] };
    return { Condition: name };
  }

  /** Removes a resource of the template and what the transform made of it. */
  private discard(id: string): void {
    delete this.resources[id];
    this.expanded.delete(id);
    for (const [generated, source] of [...this.generatedFrom]) {
      if (source !== id) continue;
      delete this.resources[generated];
      this.generatedFrom.delete(generated);
    }
    for (const name of [...this.propertyReferences.keys()]) if (name.startsWith(`${id}.`)) this.propertyReferences.delete(name);
  }

  /** Puts what the transform makes of a serverless resource in its place, under its logical id. */
  private replace(id: string, definition: Json): void {
    this.resources[id] = definition;
    this.expanded.add(id);
  }

  private add(id: string, from: string, definition: Json): void {
    // A resource of the template itself keeps its id: the transform fails on such a clash, and the template's own is what the user wrote.
    if (this.resources[id] !== undefined && !this.generatedFrom.has(id)) return;
    this.resources[id] = definition;
    this.generatedFrom.set(id, from);
  }
}

/** The service a generated dead-letter queue's policy lets send, and the rule it sends for. */
interface QueueSender {
  readonly Service: string;
  readonly SourceArn: unknown;
}

/** What a schedule's role is allowed to do with its target, and the name of that policy. */
interface ScheduleInvoke {
  readonly action: string;
  readonly policy: string;
  readonly resource: unknown;
}

/** What a function's events are wired to: the function or its alias, and what its generated role collects. */
interface EventTarget {
  readonly target: { readonly Ref: string };
  readonly targetArn: unknown;
  readonly role: GeneratedRole;
  readonly shared: Json;
  /** The function's tags, when `PropagateTags` asks the transform to put them on what it creates. */
  readonly tags?: unknown[];
}

/** Where an inline policy of a generated role goes and what it carries. */
interface StatementOptions {
  readonly first?: boolean;
  readonly version?: boolean;
  readonly unlessGranted?: boolean;
}

/** The execution role the transform generates for a function without `Role` (or a scheduler's role), collected while its events are read. */
class GeneratedRole {
  private readonly managedArns: unknown[] = [];
  private readonly policies: Json[] = [];
  private readonly ownPolicies: unknown[] = [];
  /** False when the transform rejects the resource's policies (`serverlessRolePolicies`). */
  private readable = true;
  private readonly writesManaged: boolean;

  /**
   * @param p the serverless resource's properties (its Policies, AssumeRolePolicyDocument, PermissionsBoundary, RolePath)
   * @param roleId the role's logical id
   * @param service the service that assumes it
   * @param managed for an execution role, the managed policies the transform attaches before the resource's own (and
   *   `ManagedPolicyArns` is written even when empty); undefined for the roles of events, which take no policies of the resource
   */
  constructor(private readonly p: Json, roleId: string, private readonly service: string, managed?: readonly unknown[]) {
    this.writesManaged = managed !== undefined;
    if (!managed) return;
    const policies = serverlessRolePolicies(p.Policies, roleId, managed);
    if (!policies) {
      this.readable = false;
      return;
    }
    this.managedArns.push(...policies.managed);
    this.ownPolicies.push(...policies.inline);
  }

  /** Attaches a managed policy once. */
  public managed(arn: string | undefined): void {
    if (arn && !this.managedArns.includes(arn)) this.managedArns.push(arn);
  }

  /** Leaves the role out: the transform rejects what the resource asks of it, or writes into it what the rules cannot judge as the app's. */
  public unknown(): void {
    this.readable = false;
  }

  /** Adds an inline policy; `unlessGranted` leaves it out when a policy of the role already has the same document. */
  public policy(name: string, document: Json, options: StatementOptions = {}): void {
    const documentOf = (policy: unknown) => (TemplateValue.isObject(policy) ? policy.PolicyDocument : undefined);
    if (options.unlessGranted && [...this.policies, ...this.ownPolicies].some(policy => isDeepStrictEqual(documentOf(policy), document))) return;
    const policy = { PolicyName: name, PolicyDocument: document };
    if (options.first) this.policies.unshift(policy); else this.policies.push(policy);
  }

  /**
   * Adds an inline policy allowing one action on one resource: `first` puts it before the others (the dead-letter
   * queue's, whose document also carries a version); `unlessGranted` leaves it out when a policy of the role already has
   * the same document (as the transform does for an event's on-failure destination).
   */
  public statement(name: string, action: string, resource: unknown, options: StatementOptions = {}): void {
    this.policy(name, { ...(options.version ? { Version: '2012-10-17' } : {}), Statement: [allow(action, resource)] }, options);
  }

  /** An inline policy of the transform's own, named `name`, with this document. */
  public document(name: string, document: Json): void {
    this.policy(name, document, {});
  }

  /** The role as the transform writes it; undefined when a policy cannot be expanded. */
  public resource(tags: unknown): Json | undefined {
    if (!this.readable) return undefined;
    const properties: Json = {
      AssumeRolePolicyDocument: this.p.AssumeRolePolicyDocument ?? {
        Version: '2012-10-17',
        Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [this.service] } }],
      },
    };
    if (this.writesManaged || this.managedArns.length > 0) properties.ManagedPolicyArns = this.managedArns;
    const policies = [...this.policies, ...this.ownPolicies];
    if (policies.length > 0) properties.Policies = policies;
    if (this.p.PermissionsBoundary !== undefined) properties.PermissionsBoundary = this.p.PermissionsBoundary;
    if (this.p.RolePath !== undefined) properties.Path = this.p.RolePath;
    if (tags !== undefined) properties.Tags = tags;
    return { Type: 'AWS::IAM::Role', Properties: properties };
  }
}

/**
 * The conditions the transform adds to make `name` true when any of `names` is: `Fn::Or` of at most 10 conditions each,
 * nested through numbered conditions (`<name>1`, ...) when there are more.
 */
function combinedCondition(names: readonly string[], name: string): Json {
  const conditions: Json = {};
  const pending = [...names];
  let numbered = 1 + Math.floor((pending.length - 2) / 9) - 1;
  while (pending.length > 1) {
    const current = numbered > 0 ? `${name}${numbered--}` : name;
    conditions[current] = { 'Fn::Or': pending.splice(0, 10).map(condition => ({ Condition: condition })) };
    pending.push(current);
  }
  return conditions;
}

/** The part of a WebSocket route's logical ids the transform derives from its key: Connect, Disconnect, Default, or the key capitalized. */
function webSocketRouteName(key: string): string | undefined {
  if (['$connect', '$disconnect', '$default'].includes(key)) return key.charAt(1).toUpperCase() + key.slice(2);
  return isAlphanumeric(key) ? key.charAt(0).toUpperCase() + key.slice(1).toLowerCase() : undefined;
}

/** An Allow statement as the transform writes it. */
function allow(action: unknown, resource: unknown): Json {
  return { Action: action, Effect: 'Allow', Resource: resource };
}

/** What a pull event's source asks of the generated role. */
interface PullSourceAccess {
  readonly policy?: { readonly name: string; readonly document: Json };
  /** The transform writes statements the rules cannot judge as the app's (on `*`) or cannot read: the role is left out. */
  readonly unjudged?: boolean;
}

const GET_SECRET = ['secretsmanager:GetSecretValue'];
const NETWORK_INTERFACES = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:DescribeVpcs',
  'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'];
const KAFKA_AUTHENTICATION = ['SASL_SCRAM_256_AUTH', 'SASL_SCRAM_512_AUTH', 'BASIC_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH'];

/**
 * The statements the transform writes for a pull event's source (the secrets of its access configurations, the broker it
 * describes, the key of those secrets), and whether it writes statements on `*`; undefined when the transform rejects the
 * event (an access configuration missing, twice, or of a type the source does not take; a consumer group outside Kafka).
 */
function pullSourceAccess(type: string, q: Json, id: string): PullSourceAccess | undefined {
  const configurations = q.SourceAccessConfigurations;
  if (configurations !== undefined && !Array.isArray(configurations)) return undefined;
  const list = (configurations ?? []) as unknown[];
  if (q.ConsumerGroupId !== undefined && type !== 'MSK' && type !== 'SelfManagedKafka') return undefined;
  const keyStatement = (action: unknown) => {
    if (q.SecretsManagerKmsKeyId === undefined) return [];
    if (typeof q.SecretsManagerKmsKeyId !== 'string') return undefined;
    return [allow(action, { 'Fn::Sub': `arn:\${AWS::Partition}:kms:\${AWS::Region}:\${AWS::AccountId}:key/${q.SecretsManagerKmsKeyId}` })];
  };
  switch (type) {
    case 'MSK': {
      const statements = list.flatMap(c => (TemplateValue.literalObject(c)?.Type === 'CLIENT_CERTIFICATE_TLS_AUTH' && TemplateValue.literalObject(c)?.URI ? [allow(GET_SECRET, TemplateValue.literalObject(c)!.URI)] : []));
      return statements.length > 0 ? { policy: { name: 'MSKExecutionRolePolicy', document: { Statement: statements } } } : {};
    }
    case 'MQ':
    case 'DocumentDB': {
      const secret = basicAuthSecret(list, type === 'MQ' ? ['BASIC_AUTH', 'VIRTUAL_HOST'] : ['BASIC_AUTH']);
      const key = keyStatement(type === 'MQ' ? 'kms:Decrypt' : ['kms:Decrypt']);
      if (secret === undefined || key === undefined) return undefined;
      if (type === 'DocumentDB') return { unjudged: true };
      const name = q.DynamicPolicyName === true ? `${id}AMQPolicy` : 'SamAutoGeneratedAMQPolicy';
      return { policy: { name, document: { Statement: [allow(GET_SECRET, secret), allow(['mq:DescribeBroker'], q.Broker), ...key] } } };
    }
    case 'SelfManagedKafka': {
      if (!q.KafkaBootstrapServers || !Array.isArray(q.Topics) || q.Topics.length !== 1 || list.length === 0) return undefined;
      let authentication: unknown;
      let rootCa = false;
      const network = new Set<string>();
      for (const entry of list) {
        const c = TemplateValue.literalObject(entry);
        if (!c || !(typeof c.URI === 'string' ? c.URI !== '' : TemplateValue.isIntrinsic(c.URI))) return undefined;
        if (c.Type === 'VPC_SUBNET' || c.Type === 'VPC_SECURITY_GROUP') network.add(c.Type);
        else if (c.Type === 'SERVER_ROOT_CA_CERTIFICATE') rootCa = true;
        else if (KAFKA_AUTHENTICATION.includes(String(c.Type)) && authentication === undefined) authentication = c.URI;
        else return undefined;
      }
      if (network.size === 1) return undefined;
      const key = keyStatement(['kms:Decrypt']);
      if (key === undefined) return undefined;
      // The transform grants the root CA certificate's secret by the authentication secret's URI: without one, it writes a
      // statement on nothing, which CloudFormation rejects.
      if (rootCa && authentication === undefined) return { unjudged: true };
      const secrets = [...(authentication !== undefined ? [authentication] : []), ...(rootCa ? [authentication] : [])];
      const statements = [...secrets.map(secret => allow(GET_SECRET, secret)),
        ...(network.size === 2 ? [allow(NETWORK_INTERFACES, '*')] : []), ...key];
      return { unjudged: network.size === 2, policy: { name: 'SelfManagedKafkaExecutionRolePolicy', document: { Statement: statements, Version: '2012-10-17' } } };
    }
    default:
      return {};
  }
}

/** The URI of the one `BASIC_AUTH` access configuration an MQ or DocumentDB event must have, all of its configurations of `types`. */
function basicAuthSecret(list: readonly unknown[], types: readonly string[]): unknown {
  let uri: unknown;
  for (const entry of list) {
    const c = TemplateValue.literalObject(entry);
    if (!c || typeof c.Type !== 'string' || !types.includes(c.Type)) return undefined;
    if (c.Type !== 'BASIC_AUTH') continue;
    if (uri !== undefined || !c.URI) return undefined;
    uri = c.URI;
  }
  return uri;
}

/** The function's code as the transform writes it, from CodeUri (an S3 URI or location), InlineCode or ImageUri. */
function code(p: Json): Json {
  if (p.InlineCode !== undefined) return { ZipFile: p.InlineCode };
  if (p.ImageUri !== undefined) return { ImageUri: p.ImageUri };
  return s3Location(p.CodeUri) ?? {};
}

/** An S3 location (`s3://bucket/key?versionId=v`, or `{ Bucket, Key, Version }`) as a function's Code takes it. */
function s3Location(uri: unknown): Json | undefined {
  if (typeof uri === 'string') {
    const match = /^s3:\/\/([^/]+)\/(.+?)(?:\?versionId=(.+))?$/.exec(uri);
    if (!match) return undefined;
    return { S3Bucket: match[1], S3Key: match[2], ...(match[3] ? { S3ObjectVersion: match[3] } : {}) };
  }
  const location = TemplateValue.literalObject(uri);
  if (!location) return undefined;
  return { S3Bucket: location.Bucket, S3Key: location.Key, ...(location.Version !== undefined ? { S3ObjectVersion: location.Version } : {}) };
}

/** A definition's S3 location (an API's body, a state machine's definition) as `{ Bucket, Key, Version }`. */
function definitionLocation(uri: unknown): Json | undefined {
  const location = uri === undefined ? undefined : s3Location(uri);
  if (!location) return undefined;
  return { Bucket: location.S3Bucket, Key: location.S3Key, ...(location.S3ObjectVersion !== undefined ? { Version: location.S3ObjectVersion } : {}) };
}

/**
 * The logical id of an API's stage as the transform writes it: `<api><name>Stage` for a name of letters and digits, else
 * `<api>Stage<hash>` with the name's hash (none for an intrinsic name).
 */
function stageLogicalId(api: string, name: unknown): string {
  return isAlphanumeric(name) ? `${api}${name}Stage` : `${api}Stage${nameHash(name)}`;
}

/**
 * The logical id of a permission the transform adds for an event: `<event>Permission<suffix>`, the suffix hashed as in
 * stage ids unless it is letters and digits.
 */
function permissionLogicalId(prefix: string, suffix: string): string {
  return `${prefix}Permission${isAlphanumeric(suffix) ? suffix : nameHash(suffix)}`;
}

/** Whether a value is a non-empty string of letters and digits (Python's `str.isalnum`, which the transform asks). */
function isAlphanumeric(name: unknown): name is string {
  return typeof name === 'string' && /^[\p{L}\p{N}]+$/u.test(name);
}

/** The first 10 hex digits of a name's SHA-1, which the transform appends to a logical id built from it; empty for no name. */
function nameHash(name: unknown): string {
  return typeof name === 'string' && name !== '' ? createHash('sha1').update(name, 'utf8').digest('hex').slice(0, 10) : '';
}

/** A state machine's tags as the transform writes them, after its own stateMachine:createdBy tag. */
function stateMachineTags(tags: unknown): unknown[] {
  const list: unknown[] = [{ Key: 'stateMachine:createdBy', Value: 'SAM' }];
  for (const [Key, Value] of Object.entries(TemplateValue.literalObject(tags) ?? {})) list.push({ Key, Value });
  return list;
}

/**
 * A destination written `Fn::If [Condition, X, AWS::NoValue]` (the transform's queue or topic when the condition is false:
 * `negated`) or `Fn::If [Condition, AWS::NoValue, X]` (when it is true), with `X` as what it is otherwise.
 */
function conditionalDestination(value: unknown): { condition: string; negated: boolean; otherwise: unknown } | undefined {
  const branches = TemplateValue.isObject(value) ? value['Fn::If'] : undefined;
  if (!Array.isArray(branches) || branches.length !== 3 || typeof branches[0] !== 'string') return undefined;
  if (TemplateValue.isNoValue(branches[1]) === TemplateValue.isNoValue(branches[2])) return undefined;
  const negated = !TemplateValue.isNoValue(branches[1]);
  return { condition: branches[0], negated, otherwise: negated ? branches[1] : branches[2] };
}

/** A rule target's id as the transform writes it: the event's logical id and a suffix, the id cut to fit EventBridge's 64 characters. */
function targetIdOf(eventId: string, suffix: string): string {
  return `${eventId.slice(0, Math.max(0, 64 - suffix.length))}${suffix}`;
}

/** A JSON value with the keys of every map in it sorted, as Python's `json.dumps(..., sort_keys=True)` writes them. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (TemplateValue.isObject(value)) return Object.fromEntries(Object.keys(value).sort().map(key => [key, sortedKeys(value[key])]));
  return value;
}

/** The hash the transform puts in a logical id derived from a value: of the string, or of its compact JSON with sorted keys. */
function logicalIdHash(value: unknown): string {
  return nameHash(typeof value === 'string' ? value : JSON.stringify(sortedKeys(value)));
}

/** A custom domain's `MutualTlsAuthentication` as the transform writes it (`{}` when absent), or undefined when it rejects it. */
function mutualTlsOf(value: unknown): Json | undefined {
  if (!isTruthy(value)) return {};
  const settings = TemplateValue.literalObject(value);
  if (!settings || Object.keys(settings).some(key => key !== 'TruststoreUri' && key !== 'TruststoreVersion')) return undefined;
  return { MutualTlsAuthentication: Object.fromEntries(Object.entries(settings).filter(([, v]) => isTruthy(v))) };
}

/** A custom domain's `BasePath` as a list (empty when absent), or undefined when it is not a string or a list of strings. */
function basePaths(value: unknown): string[] | undefined {
  if (!isTruthy(value)) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every(path => typeof path === 'string') ? value as string[] : undefined;
}

/** Whether a value is an OpenAPI 3 document the transform can edit (`openapi` 3.x and a map of paths). */
function isOpenApi3(body: unknown): boolean {
  const document = TemplateValue.literalObject(body);
  return document !== undefined && TemplateValue.literalObject(document.paths) !== undefined && /^3(\.\d)(\.\d)?$/.test(String(document.openapi));
}

/** Whether a value is a string or an intrinsic function, as the transform accepts for an event's string properties. */
function isStringOrIntrinsic(value: unknown): boolean {
  return typeof value === 'string' || (TemplateValue.isObject(value) && TemplateValue.isIntrinsic(value));
}

/** Whether a value is a CloudFormation dynamic reference (`{{resolve:ssm:...}}`), which the transform also substitutes. */
function isDynamicReference(value: unknown): boolean {
  return typeof value === 'string' && /^\{\{resolve:.+\}\}$/.test(value);
}

/**
 * JSON as Python's `json.dumps(value, indent=4, sort_keys=True)` writes it (the transform's definition strings): keys
 * sorted at every level, four spaces, every character beyond ASCII escaped.
 */
function pythonJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value), undefined, 4).replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A SAM tag map as a CloudFormation tag list, after the `lambda:createdBy` tag the transform adds to functions and their roles. */
function tagList(tags: unknown, createdBy = true): unknown[] | undefined {
  const list: unknown[] = createdBy ? [{ Key: 'lambda:createdBy', Value: 'SAM' }] : [];
  for (const [Key, Value] of Object.entries(TemplateValue.literalObject(tags) ?? {})) list.push({ Key, Value });
  return list.length > 0 ? list : undefined;
}


/** A value as a list, as the transform reads DependsOn: a list as it is, anything else a list of one (none for undefined). */
function asList(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function unique(values: readonly unknown[]): unknown[] {
  return values.filter((value, i) => values.findIndex(other => isDeepStrictEqual(other, value)) === i);
}

