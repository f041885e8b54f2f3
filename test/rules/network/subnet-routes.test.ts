import { internetRouteOf, idsLeavingTemplate, subnetRouteIndex } from '../../../src/rules/network/subnet-routes';
import { StackTemplate } from '../../../src/rules/stack-template';

function template(resources: Record<string, unknown>, outputs: Record<string, unknown> = {}): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/Net.template.json', template: { Resources: resources, Outputs: outputs }, stageName: '', durable: false, elements: new Map() });
}

const ref = (id: string) => ({ Ref: id });

const NETWORK = {
  Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
  Igw: { Type: 'AWS::EC2::InternetGateway' },
  Public: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc') } },
  Isolated: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref('Vpc') } },
  PublicRoutes: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc') } },
  IsolatedRoutes: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref('Vpc') } },
  PublicAssociation: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref('Public'), RouteTableId: ref('PublicRoutes') } },
  IsolatedAssociation: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref('Isolated'), RouteTableId: ref('IsolatedRoutes') } },
  Default: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('PublicRoutes'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('Igw') } },
};

describe('subnetRouteIndex', () => {
  test('maps subnets to route tables and classifies each route by target and destination', () => {
    const stack = template({
      ...NETWORK,
      Middlebox: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('IsolatedRoutes'), DestinationCidrBlock: '10.0.1.0/24', GatewayId: 'local' } },
      V6: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('IsolatedRoutes'), DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1' } },
      Nat: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('IsolatedRoutes'), DestinationCidrBlock: '52.0.0.0/8', NatGatewayId: 'nat-1' } },
      Tgw: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('IsolatedRoutes'), DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1' } },
      Odd: { Type: 'AWS::EC2::Route', Properties: { 'Fn::If': ['C', {}, {}] } },
    });
    const index = subnetRouteIndex(stack);
    expect(index.tablesOfSubnet.get('Public')).toEqual(['PublicRoutes']);
    expect(index.tables.get('PublicRoutes')).toEqual({
      logicalId: 'PublicRoutes', vpc: 'Vpc', unresolvedVpc: false, open: false, routes: [{ logicalId: 'Default', target: 'internet-gateway', toAnywhere: true, certain: true }],
    });
    expect(index.tables.get('IsolatedRoutes')!.routes.map(r => `${r.logicalId} ${r.target} ${r.toAnywhere}`)).toEqual([
      'Middlebox local false', 'V6 egress-only-internet-gateway true', 'Nat nat-gateway false', 'Tgw other true',
    ]);
    expect(index.unplaced).toEqual(['Odd']);
    expect(subnetRouteIndex(stack)).toBe(index);
  });

  test('internetRouteOf names the first internet or NAT route of a subnet, whatever its destination', () => {
    const stack = template({ ...NETWORK, Nat: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('IsolatedRoutes'), DestinationCidrBlock: '52.0.0.0/8', NatGatewayId: ref('NatGw') } } });
    const index = subnetRouteIndex(stack);
    expect(internetRouteOf(index, 'Public')).toBe('Default');
    expect(internetRouteOf(index, 'Isolated')).toBe('Nat');
    expect(internetRouteOf(index, 'Unknown')).toBeUndefined();
  });

  test('marks route tables open when other templates or VPN propagation may add routes, or when they are not the template\'s', () => {
    const stack = template({
      ...NETWORK,
      Propagation: { Type: 'AWS::EC2::VPNGatewayRoutePropagation', Properties: { RouteTableIds: [ref('IsolatedRoutes')], VpnGatewayId: 'vgw-1' } },
      ToImported: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('ImportedTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' } },
      Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/child.json', Parameters: { Routes: ref('PublicRoutes') } } },
      // CDK's default security group restriction reads the VPC's group, not its id; a dependency passes nothing.
      Restrict: {
        Type: 'Custom::VpcRestrictDefaultSG',
        DependsOn: ['IsolatedRoutes'],
        Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x', DefaultSecurityGroupId: { 'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup'] }, Subnet: ref('Isolated') },
      },
    }, { Gateway: { Value: ref('Igw'), Export: { Name: 'Igw' } }, Cidr: { Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } } });
    const index = subnetRouteIndex(stack);
    expect([...index.tables.values()].map(t => `${t.logicalId} ${t.open}`)).toEqual(['PublicRoutes true', 'ImportedTable true', 'IsolatedRoutes true']);
    expect([...idsLeavingTemplate(stack)].sort()).toEqual(['Igw', 'Isolated', 'PublicRoutes']);
  });
});
