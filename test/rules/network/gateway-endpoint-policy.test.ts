import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { GatewayEndpointPolicy } from '../../../src/rules/network/gateway-endpoint-policy';
import { findingsOf, lines, shop } from '../rule-harness';

const C17 = GatewayEndpointPolicy.INFO.id;

function c17(app: App, stage = 'prod') {
  return findingsOf(app, [C17], { stage });
}

function vpc(stack: Stack) {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

const ALLOW_ALL = { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };

function endpoint(stack: Stack, id: string, props: Partial<ec2.CfnVPCEndpointProps> = {}) {
  return new ec2.CfnVPCEndpoint(stack, id, { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.eu-west-1.s3', routeTableIds: ['rtb-12345678'], ...props });
}

describe('Fintech-C17-GatewayEndpointOpenPolicy', () => {
  test('warns on an L2 gateway endpoint without a policy in a durable stage, not once its policy names the account, nor in an ephemeral stage', () => {
    const build = (restricted: boolean) => {
      const { app, stack } = shop();
      const s3 = vpc(stack).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      if (restricted) {
        s3.addToPolicy(new iam.PolicyStatement({
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:ResourceAccount': stack.account } },
        }));
      }
      return app;
    };
    const findings = c17(build(false));
    expect(lines(findings)).toEqual([`${C17} Shop/Vpc/S3/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/PolicyDocument'],
      message: expect.stringMatching(/^AWS::EC2::VPCEndpoint VpcS3[0-9A-F]{8} is a gateway endpoint in durable stage "prod" with no PolicyDocument \(the default policy allows everything\), so code in the VPC can reach any S3 bucket of any account through it\.$/),
      fix: expect.stringContaining('aws:ResourceAccount'),
    });
    expect(c17(build(true))).toEqual([]);
    expect(c17(build(false), 'dev')).toEqual([]);
  });

  test('judges raw endpoints: allow-all statements by type or default type, JSON strings, service wildcards; passes conditions, denies, interface endpoints', () => {
    const { app, stack } = shop();
    endpoint(stack, 'DefaultType');
    endpoint(stack, 'AllowAll', { serviceName: Fn.join('', ['com.amazonaws.', stack.region, '.dynamodb']), vpcEndpointType: 'Gateway', policyDocument: ALLOW_ALL });
    endpoint(stack, 'ServiceWildcard', { policyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['s3:*'], Resource: ['*'] }] } });
    endpoint(stack, 'AsString').addPropertyOverride('PolicyDocument', JSON.stringify(ALLOW_ALL));
    endpoint(stack, 'NotJson').addPropertyOverride('PolicyDocument', '{"Statement": [');
    endpoint(stack, 'Conditioned', { policyDocument: { Statement: [{ ...ALLOW_ALL.Statement[0], Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } } }] } });
    endpoint(stack, 'Narrowed', { policyDocument: { Statement: [...ALLOW_ALL.Statement, { Effect: 'Deny', Principal: '*', Action: '*', NotResource: 'arn:aws:s3:::mine-*' }] } });
    endpoint(stack, 'OneBucket', { policyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: 'arn:aws:s3:::ledger/*' }] } });
    endpoint(stack, 'OneRole', { policyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/app' }, Action: '*', Resource: '*' }] } });
    endpoint(stack, 'Interface', { serviceName: 'com.amazonaws.eu-west-1.sqs', vpcEndpointType: 'Interface', routeTableIds: undefined });
    endpoint(stack, 'S3Interface', { vpcEndpointType: 'Interface', routeTableIds: undefined });
    endpoint(stack, 'Unknown', { policyDocument: Fn.conditionIf('Open', ALLOW_ALL, { Ref: 'AWS::NoValue' }) });
    endpoint(stack, 'UnknownService', { serviceName: Fn.importValue('Service') });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/AllowAll`, `${C17} Shop/AsString`, `${C17} Shop/DefaultType`, `${C17} Shop/ServiceWildcard`]);
    expect(findings.find(f => f.logicalId === 'AllowAll')!.message).toBe('AWS::EC2::VPCEndpoint AllowAll is a gateway endpoint in durable stage "prod" whose policy allows everything ' +
      '(Statement/0: Principal *, Action *, Resource *, no Condition), so code in the VPC can reach any DynamoDB table of any account through it.');
  });

  test('reports statements that let every principal write to every bucket or any account\'s tables; passes reads, prefixes and own-account tables', () => {
    const { app, stack } = shop();
    const dynamodb = Fn.join('', ['com.amazonaws.', stack.region, '.dynamodb']);
    const allow = (statement: { [key: string]: unknown }) => ({ Statement: [{ Effect: 'Allow', Principal: '*', ...statement }] });
    endpoint(stack, 'ReadsAndWrites', { policyDocument: allow({ Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }) });
    endpoint(stack, 'PutWildcard', { policyDocument: allow({ Action: 's3:Put*', Resource: 'arn:aws:s3:::*/*' }) });
    endpoint(stack, 'AllButDelete', { policyDocument: allow({ NotAction: 's3:DeleteObject', Resource: '*' }) });
    endpoint(stack, 'AnyAccountTables', { serviceName: dynamodb, policyDocument: allow({ Action: 'dynamodb:BatchWriteItem', Resource: 'arn:aws:dynamodb:eu-west-1:*:table/*' }) });
    endpoint(stack, 'ReadsOnly', { policyDocument: allow({ Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }) });
    endpoint(stack, 'AllButPuts', { policyDocument: allow({ NotAction: ['s3:Put*'], Resource: '*' }) });
    endpoint(stack, 'NotActionUnknown', { policyDocument: allow({ NotAction: ['s3:DeleteObject', Fn.importValue('Action')], Resource: '*' }) });
    endpoint(stack, 'Prefix', { policyDocument: allow({ Action: 's3:PutObject', Resource: 'arn:aws:s3:::acme-*/*' }) });
    endpoint(stack, 'OwnTables', {
      serviceName: dynamodb,
      policyDocument: allow({ Action: 'dynamodb:*', Resource: Fn.sub('arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*') }),
    });
    endpoint(stack, 'ConditionedWrite', { policyDocument: allow({ Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } } }) });
    endpoint(stack, 'ImportedResource', { policyDocument: allow({ Action: 's3:PutObject', Resource: Fn.importValue('Buckets') }) });
    const network = vpc(stack);
    network.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 }).addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`arn:${stack.partition}:s3:::*/*`],
    }));
    network.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB }).addToPolicy(new iam.PolicyStatement({
      principals: [new iam.AnyPrincipal()],
      actions: ['dynamodb:*'],
      resources: [stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: '*' })],
    }));
    const findings = c17(app);
    expect(lines(findings)).toEqual([
      `${C17} Shop/AllButDelete`, `${C17} Shop/AnyAccountTables`, `${C17} Shop/PutWildcard`, `${C17} Shop/ReadsAndWrites`, `${C17} Shop/Vpc/S3/Resource`,
    ]);
    expect(findings.find(f => f.logicalId === 'ReadsAndWrites')!.message).toBe('AWS::EC2::VPCEndpoint ReadsAndWrites is a gateway endpoint in durable stage "prod" ' +
      'whose policy lets every principal write to every resource (Statement/0: Principal *, Action s3:GetObject, s3:PutObject, Resource *, no Condition), ' +
      'so code in the VPC can reach any S3 bucket of any account through it.');
    expect(findings.find(f => f.logicalId === 'AllButDelete')!.message).toContain('(Statement/0: Principal *, NotAction s3:DeleteObject, Resource *, no Condition)');
  });

  test('judges gateway endpoints in a nested stack and in an included template', () => {
    const { app, stack } = shop();
    const nested = new NestedStack(stack, 'Network');
    vpc(nested).addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-policy-'));
    const templateFile = path.join(dir, 'legacy.json');
    fs.writeFileSync(templateFile, JSON.stringify({
      Resources: {
        LegacyS3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: 'vpc-12345678', ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' }, RouteTableIds: ['rtb-1'], PolicyDocument: ALLOW_ALL } },
        LegacyDynamo: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: { VpcId: 'vpc-12345678', ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.dynamodb' }, RouteTableIds: ['rtb-1'], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'dynamodb:GetItem', Resource: '*' }] } },
        },
      },
    }));
    new cfninc.CfnInclude(stack, 'Legacy', { templateFile });
    expect(lines(c17(app))).toEqual([`${C17} Shop/Legacy/LegacyS3`, `${C17} Shop/Network/Vpc/Dynamo/Resource`]);
  });

  test('passes a realistic app on a default ec2.Vpc and on an isolated VPC with interface endpoints only', () => {
    const { app, stack } = shop();
    new ec2.Vpc(stack, 'Default');
    vpc(stack).addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
    expect(c17(app)).toEqual([]);
  });
});
