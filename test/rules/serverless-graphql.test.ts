import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tags } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { shop, validate } from './rule-harness';
import { expandGraphqlApi } from '../../src/rules/serverless-graphql';
import { samTranslatedTemplate } from '../support/sam-translator';

const TRANSFORM = 'AWS::Serverless-2016-10-31';
const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0a1b2c3d';
const RUNTIME = { Name: 'APPSYNC_JS', Version: '1.0.0' };

/** A GraphQL API as a careful team writes it for `sam deploy`: traced, logging errors, every property it reads set. */
function balancesApi(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    XrayEnabled: true,
    Auth: { Type: 'AMAZON_COGNITO_USER_POOLS', UserPool: { UserPoolId: 'eu-west-1_AbCdEf', DefaultAction: 'ALLOW' }, Additional: [{ Type: 'AWS_IAM' }] },
    Logging: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true },
    SchemaInline: 'type Query { balance(account: ID!): Int }',
    DataSources: { DynamoDb: { Accounts: { TableName: 'accounts-dev', TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/accounts-dev', Permissions: ['Read'] } } },
    Functions: { getBalance: { Runtime: RUNTIME, DataSource: 'Accounts', CodeUri: 's3://artifacts/get-balance.js' } },
    Resolvers: { Query: { balance: { Pipeline: ['getBalance'] } } },
    // The transform tags the API with these; Tags.of(stack) does not reach a serverless resource CfnInclude keeps.
    Tags: { Environment: 'dev', Team: 'payments', CostCenter: 'cc-4711', Application: 'balances' },
    ...overrides,
  };
}

function template(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, any> {
  return { Transform: TRANSFORM, Resources: { Balances: { Type: 'AWS::Serverless::GraphQLApi', Properties: properties }, ...extra } };
}

describe('expandGraphqlApi', () => {
  test('writes the API under its own id first, its other resources with the API\'s attributes, a resolver depending on the schema', () => {
    const out = expandGraphqlApi('Balances', { Type: 'AWS::Serverless::GraphQLApi', Condition: 'InEurope', DependsOn: ['Ledger'], Metadata: { owner: 'payments' }, Properties: balancesApi() })!;
    expect(out[0]).toEqual(['Balances', expect.objectContaining({ Type: 'AWS::AppSync::GraphQLApi', Condition: 'InEurope', DependsOn: ['Ledger'], Metadata: { owner: 'payments' } })]);
    const byId = new Map(out);
    expect(byId.get('BalancesSchema')).toMatchObject({ Condition: 'InEurope', DependsOn: ['Ledger'], Metadata: { owner: 'payments' } });
    expect(byId.get('BalancesQuerybalance')).toMatchObject({ Condition: 'InEurope', DependsOn: ['BalancesSchema'], Type: 'AWS::AppSync::Resolver' });
    // The role of a data source that names none, and the managed policy its connector writes (which takes no attribute of the API).
    expect(byId.get('BalancesAccountsDynamoDBDataSourceRole')).toMatchObject({ Type: 'AWS::IAM::Role', Condition: 'InEurope' });
    expect(byId.get('BalancesAccountsDynamoDBDataSourceToTableConnectorPolicy')).toEqual(expect.objectContaining({
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: expect.objectContaining({ Roles: [{ Ref: 'BalancesAccountsDynamoDBDataSourceRole' }] }),
    }));
    expect(byId.get('BalancesAccountsDynamoDBDataSourceToTableConnectorPolicy')).not.toHaveProperty('Condition');
    // Logging that names no role: the transform creates the one AppSync writes with.
    expect(byId.get('Balances')!.Properties).toMatchObject({ LogConfig: { CloudWatchLogsRoleArn: { 'Fn::GetAtt': ['BalancesCloudWatchRole', 'Arn'] }, FieldLogLevel: 'ERROR' } });
    expect(byId.has('BalancesCloudWatchRole')).toBe(true);
  });

  test('Logging false writes no LogConfig and no role; a role named in Logging is used as it is', () => {
    const off = new Map(expandGraphqlApi('Balances', { Properties: balancesApi({ Logging: false }) })!);
    expect(off.get('Balances')!.Properties).not.toHaveProperty('LogConfig');
    expect(off.has('BalancesCloudWatchRole')).toBe(false);
    const own = new Map(expandGraphqlApi('Balances', { Properties: balancesApi({ Logging: { CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/appsync-logs' } }) })!);
    expect(own.get('Balances')!.Properties).toMatchObject({ LogConfig: { CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/appsync-logs', FieldLogLevel: 'ALL' } });
    expect(own.has('BalancesCloudWatchRole')).toBe(false);
  });

  test('ignores a property it does not know at the top level, as the transform does', () => {
    const properties = balancesApi({ Description: 'balances', Owner: { team: 'payments' } });
    const out = expandGraphqlApi('Balances', { Properties: properties })!;
    expect(out[0][1]).toEqual(samTranslatedTemplate(template(properties)).Resources.Balances);
  });

  // Each shape the transform rejects, so the API stays as written (and no rule judges it).
  const REJECTED: Record<string, Record<string, unknown>> = {
    'no Auth': balancesApi({ Auth: undefined }),
    'an authentication type AppSync does not offer': balancesApi({ Auth: { Type: 'AWS_COGNITO' } }),
    'two authentication configurations': balancesApi({ Auth: { Type: 'AWS_IAM', OpenIDConnect: { Issuer: 'https://id.example.com' }, UserPool: { UserPoolId: 'eu-west-1_AbCdEf' } } }),
    'a Lambda authorizer without its configuration': balancesApi({ Auth: { Type: 'AWS_IAM', Additional: [{ Type: 'AWS_LAMBDA' }] } }),
    'a user pool without its id': balancesApi({ Auth: { Type: 'AMAZON_COGNITO_USER_POOLS', UserPool: { AwsRegion: 'eu-west-1' } } }),
    'no schema': balancesApi({ SchemaInline: undefined }),
    'a schema inline and from S3': balancesApi({ SchemaUri: 's3://artifacts/schema.graphql' }),
    'a logging setting it does not know': balancesApi({ Logging: { Level: 'ERROR' } }),
    'XrayEnabled that is not a boolean': balancesApi({ XrayEnabled: { Ref: 'Tracing' } }),
    'a DynamoDB data source without its table': balancesApi({ DataSources: { DynamoDb: { Accounts: { TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/a' } } } }),
    'a permission a connector does not offer': balancesApi({ DataSources: { DynamoDb: { Accounts: { TableName: 'a', Permissions: ['Admin'] } } } }),
    'a function naming a data source the API does not define': balancesApi({ Functions: { getBalance: { Runtime: RUNTIME, DataSource: 'Ledger', CodeUri: 's3://a/b.js' } } }),
    'a function without a runtime': balancesApi({ Functions: { getBalance: { DataSource: 'Accounts', CodeUri: 's3://a/b.js' } } }),
    'a function with inline code and a code URI': balancesApi({ Functions: { getBalance: { Runtime: RUNTIME, DataSource: 'Accounts', CodeUri: 's3://a/b.js', InlineCode: 'x' } } }),
    'a function by id with other properties': balancesApi({ Functions: { getBalance: { Id: 'abc', DataSource: 'Accounts' } } }),
    'a unit resolver (no pipeline)': balancesApi({ Resolvers: { Query: { balance: { FieldName: 'balance' } } } }),
    'a resolver naming a function the API does not define': balancesApi({ Resolvers: { Query: { balance: { Pipeline: ['getLimits'] } } } }),
    'a resolver with code and no runtime': balancesApi({ Resolvers: { Query: { balance: { Pipeline: ['getBalance'], InlineCode: 'x' } } } }),
    'a cache without its type': balancesApi({ Cache: { ApiCachingBehavior: 'FULL_REQUEST_CACHING', Ttl: 60 } }),
  };
  test.each(Object.keys(REJECTED))('leaves an API with %s as written, as the translator rejects it', name => {
    const properties = JSON.parse(JSON.stringify(REJECTED[name]));
    expect(expandGraphqlApi('Balances', { Type: 'AWS::Serverless::GraphQLApi', Properties: properties })).toBeUndefined();
    expect(() => samTranslatedTemplate(template(properties))).toThrow(/Balances|Invalid/);
  });
});

describe('in FintechChecks', () => {
  /** The findings on a SAM template included with CfnInclude in a tagged CDK stack, as `<severity> <rule> <logical id>`. */
  function judged(sam: Record<string, unknown>, stage: string): string[] {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sam-graphql-')), 'balances.json');
    fs.writeFileSync(file, JSON.stringify(sam));
    const { app, stack } = shop();
    new CfnInclude(stack, 'Balances', { templateFile: file });
    for (const [key, value] of Object.entries({ Team: 'payments', CostCenter: 'cc-4711', Application: 'balances' })) Tags.of(stack).add(key, value);
    return validate(app, { stage }).findings.filter(f => f.logicalId?.startsWith('Balances')).map(f => `${f.severity} ${f.ruleId} ${f.logicalId}`).sort();
  }
  const protectedBy = { BalancesProtection: { Type: 'AWS::WAFv2::WebACLAssociation', Properties: { ResourceArn: { 'Fn::GetAtt': ['Balances', 'Arn'] }, WebACLArn: WEB_ACL } } };

  test.each(['dev', 'prod'])('a traced, logging, protected API gets no error in %s; the roles the transform cannot tag are warnings naming the API', stage => {
    const findings = judged(template(balancesApi(), protectedBy), stage);
    expect(findings.filter(f => f.startsWith('error'))).toEqual([]);
    expect(findings).toEqual([
      'warning Fintech-C01-RequiredTags BalancesAccountsDynamoDBDataSourceRole',
      'warning Fintech-C01-RequiredTags BalancesCloudWatchRole',
    ]);
  });

  test('the same API untraced, without logs and without a web ACL: C11 and both C19 findings on the API', () => {
    const findings = judged(template(balancesApi({ XrayEnabled: false, Logging: false })), 'prod');
    expect(findings.filter(f => f.startsWith('error'))).toEqual([
      'error Fintech-C11-GraphqlApiWithoutTracing Balances',
      'error Fintech-C19-GraphqlApiWithoutLogs Balances',
      'error Fintech-C19-GraphqlApiWithoutWebAcl Balances',
    ]);
  });

  test('the message of a role\'s tag finding says which serverless resource to tag, and that its Tags do not reach the role', () => {
    const { app, stack } = shop();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sam-graphql-')), 'balances.json');
    fs.writeFileSync(file, JSON.stringify(template(balancesApi(), protectedBy)));
    new CfnInclude(stack, 'Legacy', { templateFile: file });
    const finding = validate(app, { stage: 'dev' }).findings.find(f => f.ruleId === 'Fintech-C01-RequiredTags' && f.logicalId === 'BalancesCloudWatchRole')!;
    expect(finding).toMatchObject({ severity: 'warning', constructPath: 'Shop/Legacy/Balances' });
    expect(finding.message).toContain('The AWS SAM transform created this resource for Shop/Legacy/Balances');
    expect(finding.message).toContain('AWS::Serverless::GraphQLApi Balances, whose Tags reach only the API');
  });
});
