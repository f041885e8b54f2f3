import { App, CfnOutput, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { VpcEndpoints } from '../../../src/rules/network/vpc-endpoints';
import { testApp } from '../../support/fintech-fixture';
import { findingsOf, lines, shop } from '../rule-harness';

const GATEWAY = VpcEndpoints.GATEWAY_WITHOUT_ROUTE_TABLES.id;
const INTERFACE = VpcEndpoints.INTERFACE_WITHOUT_HTTPS.id;

function c17(app: App) {
  return findingsOf(app, [GATEWAY, INTERFACE]);
}

function vpc(stack: Stack) {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function s3Name(stack: Stack) {
  return Fn.join('', ['com.amazonaws.', stack.region, '.s3']);
}

function group(stack: Stack, id: string, ingress: ec2.CfnSecurityGroup.IngressProperty[] = []) {
  return new ec2.CfnSecurityGroup(stack, id, { groupDescription: id, vpcId: 'vpc-12345678', securityGroupIngress: ingress });
}

function interfaceEndpoint(stack: Stack, id: string, securityGroupIds?: string[]) {
  return new ec2.CfnVPCEndpoint(stack, id, {
    vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.eu-west-1.secretsmanager', vpcEndpointType: 'Interface', subnetIds: ['subnet-12345678'], securityGroupIds,
  });
}

describe('C17 VPC endpoints', () => {
  test('passes the endpoints vpc.addGatewayEndpoint and vpc.addInterfaceEndpoint create', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    network.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    network.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    network.addInterfaceEndpoint('Secrets', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
    expect(c17(app)).toEqual([]);
  });

  test('fails gateway endpoints without route tables, explicit or by default type', () => {
    const { app, stack } = shop();
    new ec2.CfnVPCEndpoint(stack, 'Explicit', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.eu-west-1.dynamodb', vpcEndpointType: 'Gateway' });
    new ec2.CfnVPCEndpoint(stack, 'DefaultType', { vpcId: 'vpc-12345678', serviceName: s3Name(stack), routeTableIds: [] });
    new ec2.CfnVPCEndpoint(stack, 'Routed', { vpcId: 'vpc-12345678', serviceName: s3Name(stack), routeTableIds: ['rtb-12345678'] });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${GATEWAY} Shop/DefaultType`, `${GATEWAY} Shop/Explicit`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/RouteTableIds'],
      message: 'AWS::EC2::VPCEndpoint DefaultType is a gateway endpoint with no RouteTableIds, so no subnet routes through it.',
      fix: expect.stringContaining('FintechVpc'),
    });
  });

  test('fails interface endpoints without security groups or whose groups allow nothing on 443', () => {
    const { app, stack } = shop();
    interfaceEndpoint(stack, 'NoGroups');
    interfaceEndpoint(stack, 'EmptyGroups', []);
    const ssh = group(stack, 'Ssh', [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '10.0.0.0/16' }]);
    interfaceEndpoint(stack, 'WrongPort', [ssh.attrGroupId]);
    const https = group(stack, 'Https', [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/16' }]);
    interfaceEndpoint(stack, 'Good', [ssh.attrGroupId, https.attrGroupId]);
    const range = group(stack, 'Range', [{ ipProtocol: 'tcp', fromPort: 0, toPort: 1024, cidrIp: '10.0.0.0/16' }]);
    interfaceEndpoint(stack, 'ByRange', [range.ref]);
    const everything = group(stack, 'Everything', [{ ipProtocol: '-1', cidrIp: '10.0.0.0/16' }]);
    interfaceEndpoint(stack, 'ByAll', [everything.attrGroupId]);
    const standalone = group(stack, 'Standalone');
    new ec2.CfnSecurityGroupIngress(stack, 'StandaloneHttps', { groupId: standalone.attrGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, sourceSecurityGroupId: ssh.attrGroupId });
    interfaceEndpoint(stack, 'ByStandalone', [standalone.attrGroupId]);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${INTERFACE} Shop/EmptyGroups`, `${INTERFACE} Shop/NoGroups`, `${INTERFACE} Shop/WrongPort`]);
    expect(findings.find(f => f.logicalId === 'WrongPort')!.message).toBe(
      'AWS::EC2::VPCEndpoint WrongPort is an interface endpoint whose security groups (Ssh) allow no ingress on port 443, so clients cannot reach it.');
  });

  test('catches escape hatches on CDK endpoints', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const s3 = network.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    (s3.node.defaultChild as ec2.CfnVPCEndpoint).addPropertyDeletionOverride('RouteTableIds');
    const secrets = network.addInterfaceEndpoint('Secrets', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
    const secretsGroup = secrets.node.findChild('SecurityGroup').node.defaultChild as ec2.CfnSecurityGroup;
    secretsGroup.addPropertyOverride('SecurityGroupIngress', []);
    expect(lines(c17(app))).toEqual([`${GATEWAY} Shop/Vpc/S3/Resource`, `${INTERFACE} Shop/Vpc/Secrets/Resource`]);
  });

  test('treats groups, ingress targets and types it cannot resolve as unknown', () => {
    const { app, stack } = shop();
    interfaceEndpoint(stack, 'LiteralGroup', ['sg-12345678']);
    interfaceEndpoint(stack, 'ImportedGroup', [Fn.importValue('EndpointGroup')]);
    const ifRules = group(stack, 'IfRules');
    ifRules.addPropertyOverride('SecurityGroupIngress', { 'Fn::If': ['C', [], []] });
    interfaceEndpoint(stack, 'IfGroup', [ifRules.attrGroupId]);
    new ec2.CfnVPCEndpoint(stack, 'IfType', { vpcId: 'vpc-12345678', serviceName: s3Name(stack), vpcEndpointType: Fn.conditionIf('C', 'Gateway', 'Interface').toString() });
    new ec2.CfnVPCEndpoint(stack, 'IfRouteTables', { vpcId: 'vpc-12345678', serviceName: s3Name(stack) }).addPropertyOverride('RouteTableIds', { Ref: 'Tables' });
    new ec2.CfnVPCEndpoint(stack, 'ImportedService', { vpcId: 'vpc-12345678', serviceName: Fn.importValue('Service') });
    new ec2.CfnVPCEndpoint(stack, 'LoadBalancer', { vpcId: 'vpc-12345678', serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-1', vpcEndpointType: 'GatewayLoadBalancer' });
    expect(c17(app)).toEqual([]);

    const unknownIngress = shop();
    const empty = group(unknownIngress.stack, 'Empty');
    new ec2.CfnSecurityGroupIngress(unknownIngress.stack, 'Somewhere', { groupId: Fn.importValue('Group'), ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIp: '10.0.0.0/8' });
    interfaceEndpoint(unknownIngress.stack, 'Maybe', [empty.attrGroupId]);
    expect(c17(unknownIngress.app)).toEqual([]);
  });

  describe('an endpoint group of a network stack, opened by the stacks that use it', () => {
    type Opening = (endpoint: ec2.InterfaceVpcEndpoint, client: lambda.Function, network: Stack, vpc: ec2.Vpc,
      endpointGroup: ec2.SecurityGroup) => void;
    const build = (open: Opening) => {
      const app = testApp();
      const network = new Stack(app, 'Network');
      const shared = vpc(network);
      const endpointGroup = new ec2.SecurityGroup(network, 'EndpointGroup', { vpc: shared, allowAllOutbound: false });
      const endpoint = shared.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS, securityGroups: [endpointGroup], open: false });
      const payments = new Stack(app, 'Payments');
      const client = new lambda.Function(payments, 'Client', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), vpc: shared,
      });
      open(endpoint, client, network, shared, endpointGroup);
      return c17(app);
    };

    test('passes when another stack or a nested stack opens 443 to its clients (connections.allowTo)', () => {
      expect(build((endpoint, client) => client.connections.allowTo(endpoint, ec2.Port.tcp(443)))).toEqual([]);
      expect(build((endpoint, _client, network, shared) => {
        const worker = new lambda.Function(new NestedStack(network, 'Workers'), 'Worker', {
          runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), vpc: shared,
        });
        worker.connections.allowTo(endpoint, ec2.Port.tcp(443));
      })).toEqual([]);
    });

    test('fails when no stack opens 443, or only another port, naming the group', () => {
      const findings = build(() => undefined);
      expect(lines(findings)).toEqual([`${INTERFACE} Network/Vpc/Sqs/Resource`]);
      expect(findings[0].message).toMatch(/whose security groups \(EndpointGroup[0-9A-F]{8}\) allow no ingress on port 443/);
      expect(lines(build((endpoint, client) => client.connections.allowTo(endpoint, ec2.Port.tcp(8443))))).toEqual([`${INTERFACE} Network/Vpc/Sqs/Resource`]);
    });

    test('does not judge the group once its id leaves the stage, where rules may be added to it', () => {
      const exported: Opening = (_endpoint, _client, network, _shared, endpointGroup) => {
        new CfnOutput(network, 'EndpointGroupId', { value: endpointGroup.securityGroupId, exportName: 'EndpointGroupId' });
      };
      expect(build(exported)).toEqual([]);
    });
  });
});
