import { expandConnector } from './serverless-connectors';
import { isTruthy, pick } from './serverless-values';
import { TemplateValue } from './template-value';

type Json = { [key: string]: unknown };

/** The resource type of a SAM GraphQL API. */
export const SERVERLESS_GRAPHQL_API = 'AWS::Serverless::GraphQLApi';

// The authentication types AppSync offers, and the property of each that holds its configuration (none for IAM and API keys).
interface AuthConfig {
  /** The SAM property holding the configuration. */
  readonly key: string;
  /** The AppSync property it becomes. */
  readonly property: string;
  readonly fields: readonly string[];
  readonly required?: string;
}
const AUTH_CONFIGS: { readonly [type: string]: AuthConfig | null } = {
  AWS_IAM: null,
  API_KEY: null,
  AWS_LAMBDA: {
    key: 'LambdaAuthorizer',
    property: 'LambdaAuthorizerConfig',
    fields: ['AuthorizerResultTtlInSeconds', 'AuthorizerUri', 'IdentityValidationExpression'],
    required: 'AuthorizerUri',
  },
  OPENID_CONNECT: { key: 'OpenIDConnect', property: 'OpenIDConnectConfig', fields: ['AuthTTL', 'ClientId', 'IatTTL', 'Issuer'] },
  AMAZON_COGNITO_USER_POOLS: { key: 'UserPool', property: 'UserPoolConfig', fields: ['AppIdClientRegex', 'AwsRegion', 'DefaultAction', 'UserPoolId'], required: 'UserPoolId' },
};
// The properties the transform accepts, per part of a GraphQL API (it rejects any other inside them).
const FIELDS = {
  logging: ['CloudWatchLogsRoleArn', 'ExcludeVerboseContent', 'FieldLogLevel'],
  dynamoDb: ['TableName', 'ServiceRoleArn', 'TableArn', 'Permissions', 'Name', 'Description', 'Region', 'DeltaSync', 'UseCallerCredentials', 'Versioned'],
  deltaSync: ['BaseTableTTL', 'DeltaSyncTableName', 'DeltaSyncTableTTL'],
  lambda: ['FunctionArn', 'ServiceRoleArn', 'Name', 'Description'],
  function: ['DataSource', 'Runtime', 'InlineCode', 'CodeUri', 'Description', 'MaxBatchSize', 'Name', 'Id', 'Sync'],
  runtime: ['Name', 'Version'],
  sync: ['ConflictDetection', 'ConflictHandler', 'LambdaConflictHandlerConfig'],
  resolver: ['FieldName', 'Caching', 'InlineCode', 'CodeUri', 'MaxBatchSize', 'Pipeline', 'Runtime', 'Sync'],
  caching: ['Ttl', 'CachingKeys'],
  apiKey: ['ApiKeyId', 'Description', 'ExpiresOn'],
  domainName: ['CertificateArn', 'DomainName', 'Description'],
  cache: ['ApiCachingBehavior', 'Ttl', 'Type', 'AtRestEncryptionEnabled', 'TransitEncryptionEnabled'],
};
// The resource attributes every resource the transform writes for a GraphQL API takes from it (the connectors' excepted).
const ATTRIBUTES = ['Condition', 'DeletionPolicy', 'UpdatePolicy', 'UpdateReplacePolicy', 'Metadata'];
// The code and runtime of a pipeline resolver written without code: it passes its functions' result through.
const PASS_THROUGH_RESOLVER = {
  Code: '\nexport function request(ctx) {\n    return {};\n}\n\nexport function response(ctx) {\n    return ctx.prev.result;\n}\n',
  Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
};

/** Thrown while reading a GraphQL API the transform would reject; caught by `expandGraphqlApi`. */
class Rejected extends Error {}

/**
 * What the AWS SAM transform makes of an `AWS::Serverless::GraphQLApi` (`definition`, under `id`): the
 * `AWS::AppSync::GraphQLApi` first (under `id`: its name, authentication, X-Ray, request logs unless `Logging: false`, tags
 * with `graphqlapi:createdBy`), then its schema, the role AppSync writes logs with (`<id>CloudWatchRole`, unless the API
 * names one), API keys, cache, DynamoDB and Lambda data sources (with the role the transform creates for each that names
 * none, and the managed policy its connector writes on it), custom domain, functions, pipeline resolvers, the `NONE` data
 * source functions and resolvers ask for, and the invoke permission of each Lambda authorizer. Every resource but the
 * connectors' takes the API's `DependsOn` and resource attributes (a resolver depends on the schema instead).
 *
 * @returns undefined when the transform would reject the API (a setting it does not know inside a property, a missing schema or runtime,
 *   two authentication configurations, a function or data source named but not defined, a value of the wrong kind).
 */
export function expandGraphqlApi(id: string, definition: { readonly [key: string]: unknown }): readonly (readonly [string, Json])[] | undefined {
  try {
    return new GraphqlApiExpansion(id, definition).resources;
  } catch (e) {
    if (e instanceof Rejected) return undefined;
    throw e;
  }
}

class GraphqlApiExpansion {
  public readonly resources: [string, Json][] = [];
  private readonly attributes: Json;
  private readonly apiId: Json;
  /** What a function or resolver's `DataSource` may name: the data sources of the API by their key, as their names. */
  private readonly dataSourceNames = new Map<string, unknown>();
  /** What a resolver's `Pipeline` may name: the functions of the API by their key, as their ids. */
  private readonly functionIds = new Map<string, unknown>();
  private noneDataSource?: string;

  constructor(private readonly id: string, definition: { readonly [key: string]: unknown }) {
    // The transform ignores properties it does not know at the top level (not inside them).
    const p = TemplateValue.literalObject(definition.Properties);
    if (!p) throw new Rejected();
    this.attributes = pick(definition, ATTRIBUTES);
    if (definition.DependsOn !== undefined) this.attributes.DependsOn = definition.DependsOn;
    this.apiId = { 'Fn::GetAtt': [id, 'ApiId'] };
    if (p.XrayEnabled !== undefined && typeof p.XrayEnabled !== 'boolean') throw new Rejected();
    const { api, authorizers, logRole } = this.api(p);
    this.resources.push([id, { ...pick(definition, [...ATTRIBUTES, 'DependsOn']), Type: 'AWS::AppSync::GraphQLApi', Properties: api }]);
    if (isTruthy(p.SchemaInline) === isTruthy(p.SchemaUri)) throw new Rejected();
    this.add(`${id}Schema`, 'AWS::AppSync::GraphQLSchema', {
      ApiId: this.apiId,
      ...(isTruthy(p.SchemaInline) ? { Definition: p.SchemaInline } : { DefinitionS3Location: p.SchemaUri }),
    });
    for (const [n, uri] of authorizers.entries()) {
      this.connector(`${id}ToLambdaAuthConnector${n + 1}`, { Type: 'AWS::AppSync::GraphQLApi', Arn: { Ref: id }, ResourceId: this.apiId },
        { Type: 'AWS::Lambda::Function', Arn: uri }, ['Write']);
    }
    if (logRole) {
      this.role(`${id}CloudWatchRole`, { ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs' }] });
    }
    if (isTruthy(p.ApiKeys)) {
      for (const [name, value] of entries(p.ApiKeys)) {
        const key = fields(value, FIELDS.apiKey);
        this.add(`${id}${name}`, 'AWS::AppSync::ApiKey', { ApiId: this.apiId, ...present({ ApiKeyId: key.ApiKeyId, Description: key.Description, Expires: key.ExpiresOn }) });
      }
    }
    if (isTruthy(p.Cache)) {
      const cache = fields(p.Cache, FIELDS.cache, ['ApiCachingBehavior', 'Ttl', 'Type']);
      this.add(`${id}ApiCache`, 'AWS::AppSync::ApiCache', { ApiId: this.apiId, ...present(cache) });
    }
    if (isTruthy(p.DataSources)) this.dataSources(p.DataSources);
    if (isTruthy(p.DomainName)) {
      const domain = fields(p.DomainName, FIELDS.domainName, ['CertificateArn', 'DomainName']);
      this.add(`${id}DomainName`, 'AWS::AppSync::DomainName', present(domain));
      this.add(`${id}DomainNameApiAssociation`, 'AWS::AppSync::DomainNameApiAssociation', { ApiId: this.apiId, DomainName: { Ref: `${id}DomainName` } });
    }
    if (isTruthy(p.Functions)) this.functions(p.Functions);
    if (isTruthy(p.Resolvers)) this.resolvers(p.Resolvers);
    if (this.noneDataSource) this.add(this.noneDataSource, 'AWS::AppSync::DataSource', { ApiId: this.apiId, Name: this.noneDataSource, Type: 'NONE' });
  }

  /**
   * The API's properties, the function ARNs of its Lambda authorizers (the default one first), and whether the transform
   * creates the role AppSync writes its logs with.
   */
  private api(p: Json): { api: Json; authorizers: unknown[]; logRole: boolean } {
    const api: Json = { Name: isTruthy(p.Name) ? p.Name : this.id };
    for (const key of ['Visibility', 'OwnerContact']) if (isTruthy(p[key])) api[key] = p[key];
    if (p.XrayEnabled !== undefined) api.XrayEnabled = p.XrayEnabled;
    for (const key of ['IntrospectionConfig', 'QueryDepthLimit', 'ResolverCountLimit']) if (isTruthy(p[key])) api[key] = p[key];
    const authorizers: unknown[] = [];
    const auth = fields(p.Auth, ['Type', 'LambdaAuthorizer', 'OpenIDConnect', 'UserPool', 'Additional'], ['Type']);
    const { Additional: additional, ...primary } = auth;
    api.AuthenticationType = auth.Type;
    Object.assign(api, authConfig(primary, false, authorizers));
    if (isTruthy(additional)) {
      if (!Array.isArray(additional)) throw new Rejected();
      api.AdditionalAuthenticationProviders = additional.map(provider => {
        const entry = fields(provider, ['Type', 'LambdaAuthorizer', 'OpenIDConnect', 'UserPool'], ['Type']);
        return { AuthenticationType: entry.Type, ...authConfig(entry, true, authorizers) };
      });
    }
    if (p.Tags !== undefined && p.Tags !== null && !TemplateValue.literalObject(p.Tags)) throw new Rejected();
    const tags = { ...TemplateValue.literalObject(p.Tags), 'graphqlapi:createdBy': 'SAM' };
    api.Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (p.Logging === false) return { api, authorizers, logRole: false };
    const logging = p.Logging === undefined || p.Logging === null || p.Logging === true ? {} : fields(p.Logging, FIELDS.logging);
    const logRole = !isTruthy(logging.CloudWatchLogsRoleArn);
    api.LogConfig = {
      ...(isTruthy(logging.ExcludeVerboseContent) ? { ExcludeVerboseContent: logging.ExcludeVerboseContent } : {}),
      FieldLogLevel: isTruthy(logging.FieldLogLevel) ? logging.FieldLogLevel : 'ALL',
      CloudWatchLogsRoleArn: logRole ? { 'Fn::GetAtt': [`${this.id}CloudWatchRole`, 'Arn'] } : logging.CloudWatchLogsRoleArn,
    };
    return { api, authorizers, logRole };
  }

  /** DynamoDB and Lambda data sources, each with the role and connector the transform creates when it names no role. */
  private dataSources(value: unknown): void {
    const sources = fields(value, ['DynamoDb', 'Lambda']);
    if (isTruthy(sources.DynamoDb)) {
      for (const [name, entry] of entries(sources.DynamoDb)) {
        const d = fields(entry, FIELDS.dynamoDb, ['TableName']);
        const dataSource = `${this.id}${name}DynamoDBDataSource`;
        const config: Json = { AwsRegion: isTruthy(d.Region) ? d.Region : { Ref: 'AWS::Region' }, TableName: d.TableName };
        if (isTruthy(d.UseCallerCredentials)) config.UseCallerCredentials = d.UseCallerCredentials;
        if (isTruthy(d.Versioned)) config.Versioned = d.Versioned;
        if (isTruthy(d.DeltaSync)) config.DeltaSyncConfig = fields(d.DeltaSync, FIELDS.deltaSync, FIELDS.deltaSync);
        if (d.Permissions !== undefined && !(Array.isArray(d.Permissions) && d.Permissions.every(x => x === 'Read' || x === 'Write'))) throw new Rejected();
        const tableArn = isTruthy(d.TableArn) ? d.TableArn : {
          'Fn::Sub': ['arn:${AWS::Partition}:dynamodb:${__Region__}:${AWS::AccountId}:table/${__TableName__}',
            { __TableName__: d.TableName, __Region__: isTruthy(d.Region) ? d.Region : { Ref: 'AWS::Region' } }],
        };
        const permissions = isTruthy(d.Permissions) ? d.Permissions as string[] : ['Read', 'Write'];
        this.dataSource(dataSource, name, d, { Type: 'AMAZON_DYNAMODB', DynamoDBConfig: config }, 'ToTableConnector', { Type: 'AWS::DynamoDB::Table', Arn: tableArn }, permissions);
      }
    }
    if (isTruthy(sources.Lambda)) {
      for (const [name, entry] of entries(sources.Lambda)) {
        const l = fields(entry, FIELDS.lambda, ['FunctionArn']);
        this.dataSource(`${this.id}${name}LambdaDataSource`, name, l, { Type: 'AWS_LAMBDA', LambdaConfig: { LambdaFunctionArn: l.FunctionArn } },
          'ToLambdaConnector', { Type: 'AWS::Lambda::Function', Arn: l.FunctionArn }, ['Write']);
      }
    }
  }

  /**
   * A data source (`kind`: its type and configuration) of the API, under `dataSource`; without a `ServiceRoleArn`, the role
   * the transform creates for it and what its connector (`<dataSource><connector>`) to `destination` writes on that role.
   */
  private dataSource(dataSource: string, name: string, d: Json, kind: Json, connector: string, destination: Json,
    permissions: readonly string[]): void {
    const properties: Json = { Name: isTruthy(d.Name) ? d.Name : name, ...kind, ApiId: this.apiId, ...present({ Description: d.Description }) };
    if (isTruthy(d.ServiceRoleArn)) {
      properties.ServiceRoleArn = d.ServiceRoleArn;
    } else {
      properties.ServiceRoleArn = { 'Fn::GetAtt': [`${dataSource}Role`, 'Arn'] };
      this.role(`${dataSource}Role`, {});
      this.connector(`${dataSource}${connector}`, { Type: 'AWS::AppSync::DataSource', Arn: { 'Fn::GetAtt': [dataSource, 'DataSourceArn'] }, RoleName: { Ref: `${dataSource}Role` } },
        destination, permissions);
    }
    this.dataSourceNames.set(name, { 'Fn::GetAtt': [dataSource, 'Name'] });
    this.add(dataSource, 'AWS::AppSync::DataSource', properties);
  }

  /** Function configurations; a function given by `Id` alone is only a name resolvers may use. */
  private functions(value: unknown): void {
    for (const [name, entry] of entries(value)) {
      const f = fields(entry, FIELDS.function);
      if (isTruthy(f.Id)) {
        if (Object.keys(present(f)).length !== 1) throw new Rejected();
        this.functionIds.set(name, f.Id);
        continue;
      }
      if (f.Name !== undefined && typeof f.Name !== 'string') throw new Rejected();
      const properties: Json = {
        ApiId: this.apiId,
        Name: isTruthy(f.Name) ? f.Name : name,
        ...code(f),
        DataSourceName: this.dataSourceName(f.DataSource),
        ...present({ MaxBatchSize: f.MaxBatchSize, Description: f.Description }),
        Runtime: runtime(f.Runtime),
      };
      if (isTruthy(f.Sync)) properties.SyncConfig = sync(f.Sync);
      this.functionIds.set(name, { 'Fn::GetAtt': [`${this.id}${name}`, 'FunctionId'] });
      this.add(`${this.id}${name}`, 'AWS::AppSync::FunctionConfiguration', properties);
    }
  }

  /** Pipeline resolvers, by type and field (the transform rejects unit resolvers). */
  private resolvers(value: unknown): void {
    for (const [typeName, byField] of entries(value)) {
      for (const [name, entry] of entries(byField)) {
        const r = fields(entry, FIELDS.resolver);
        if (r.FieldName !== undefined && typeof r.FieldName !== 'string') throw new Rejected();
        if (isTruthy(r.InlineCode) && isTruthy(r.CodeUri)) throw new Rejected();
        const written = present({ Code: r.InlineCode, CodeS3Location: r.CodeUri });
        const hasCode = isTruthy(written.Code) || isTruthy(written.CodeS3Location);
        const properties: Json = hasCode ? { ...written, Runtime: runtime(r.Runtime) } : { ...PASS_THROUGH_RESOLVER };
        if (!isTruthy(r.Pipeline) || !Array.isArray(r.Pipeline)) throw new Rejected();
        const functionIds = r.Pipeline.map(fn => {
          if (typeof fn !== 'string' || !this.functionIds.has(fn)) throw new Rejected();
          return this.functionIds.get(fn);
        });
        Object.assign(properties, { ApiId: this.apiId, FieldName: isTruthy(r.FieldName) ? r.FieldName : name, TypeName: typeName, Kind: 'PIPELINE', PipelineConfig: { Functions: functionIds } });
        if (isTruthy(r.Caching)) properties.CachingConfig = present(fields(r.Caching, FIELDS.caching, ['Ttl']));
        if (isTruthy(r.MaxBatchSize)) properties.MaxBatchSize = r.MaxBatchSize;
        this.resources.push([`${this.id}${typeName}${name}`, { ...this.attributes, DependsOn: [`${this.id}Schema`], Type: 'AWS::AppSync::Resolver', Properties: properties }]);
      }
    }
  }

  /** What a function's `DataSource` names: a data source of the API by its key, the `NONE` data source, or a value as written. */
  private dataSourceName(value: unknown): unknown {
    if (!isTruthy(value)) throw new Rejected();
    if (typeof value !== 'string') {
      if (!TemplateValue.isObject(value)) throw new Rejected();
      return value;
    }
    if (value.toLowerCase() === 'none') {
      this.noneDataSource = `${this.id}NoneDataSource`;
      return { 'Fn::GetAtt': [this.noneDataSource, 'Name'] };
    }
    if (!this.dataSourceNames.has(value)) throw new Rejected();
    return this.dataSourceNames.get(value);
  }

  /** A role AppSync assumes, with the API's attributes. */
  private role(logicalId: string, properties: Json): void {
    this.add(logicalId, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['appsync.amazonaws.com'] } }] },
      ...properties,
    });
  }

  /** What the connector the transform writes between two resources given by type makes: a managed policy or an invoke permission. */
  private connector(logicalId: string, source: Json, destination: Json, permissions: readonly string[]): void {
    const expansion = expandConnector(logicalId, { Type: 'AWS::Serverless::Connector', Properties: { Source: source, Destination: destination, Permissions: permissions } }, {}, {});
    if (!expansion) throw new Rejected();
    this.resources.push(...expansion.resources.map(([generatedId, resource]) => [generatedId, { ...resource }] as [string, Json]));
  }

  private add(logicalId: string, type: string, properties: Json): void {
    this.resources.push([logicalId, { ...this.attributes, Type: type, Properties: properties }]);
  }
}

/** A map's entries when it only holds the `known` keys and every `required` one; otherwise the transform rejects it. */
function fields(value: unknown, known: readonly string[], required: readonly string[] = []): Json {
  const map = TemplateValue.literalObject(value);
  const missing = (key: string) => map![key] === undefined || map![key] === null;
  if (!map || Object.keys(map).some(key => !known.includes(key)) || required.some(missing)) throw new Rejected();
  return map;
}

/** A map's entries, each a map (a property the transform reads as named parts). */
function entries(value: unknown): [string, unknown][] {
  const map = TemplateValue.literalObject(value);
  if (!map) throw new Rejected();
  return Object.entries(map);
}

/** The entries whose value is set (neither undefined nor null), as the transform writes a property it was given. */
function present(values: Json): Json {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null));
}

/** An authentication provider's configuration property, as the transform writes it (an additional one's user pool without DefaultAction). */
function authConfig(auth: Json, additional: boolean, authorizers: unknown[]): Json {
  if (typeof auth.Type !== 'string' || !(auth.Type in AUTH_CONFIGS)) throw new Rejected();
  if (Object.keys(present(auth)).length > 2) throw new Rejected();
  const config = AUTH_CONFIGS[auth.Type];
  if (!config) return {};
  const settings = present(fields(auth[config.key], config.fields, config.required ? [config.required] : []));
  if (additional && config.key === 'UserPool') delete settings.DefaultAction;
  if (config.key === 'LambdaAuthorizer') authorizers.push(settings.AuthorizerUri);
  return { [config.property]: settings };
}

/** A function's or resolver's code: `InlineCode` or `CodeUri`, exactly one. */
function code(f: Json): Json {
  if (isTruthy(f.InlineCode) === isTruthy(f.CodeUri)) throw new Rejected();
  return isTruthy(f.InlineCode) ? { Code: f.InlineCode } : { CodeS3Location: f.CodeUri };
}

function runtime(value: unknown): Json {
  const r = fields(value, FIELDS.runtime, FIELDS.runtime);
  return { Name: r.Name, RuntimeVersion: r.Version };
}

function sync(value: unknown): Json {
  const s = fields(value, FIELDS.sync, ['ConflictDetection']);
  if (s.LambdaConflictHandlerConfig !== undefined) fields(s.LambdaConflictHandlerConfig, ['LambdaConflictHandlerArn'], ['LambdaConflictHandlerArn']);
  return present(s);
}
