import { followedId } from '../../../src/rules/events/deliveries';
import { internetRouteOf, idsLeavingTemplate, idsLeavingValidation, subnetRouteIndex } from '../../../src/rules/network/subnet-routes';
import { StackTemplate, TemplatePeers } from '../../../src/rules/stack-template';

function template(resources: Record<string, unknown>, outputs: Record<string, unknown> = {}, name = 'Net', links: { peers?: TemplatePeers; parent?: { template: StackTemplate; logicalId: string } } = {}): StackTemplate {
  return new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template: { Resources: resources, Outputs: outputs }, stageName: '', durable: false, elements: new Map(), ...links });
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
    const at = (id: string) => stack.resource(id)!;
    expect(index.tablesOfSubnet.get(at('Public'))!.map(t => t.logicalId)).toEqual(['PublicRoutes']);
    expect(index.tables.get(at('PublicRoutes'))).toEqual({
      table: at('PublicRoutes'),
      logicalId: 'PublicRoutes',
      vpc: at('Vpc'),
      unresolvedVpc: false,
      open: false,
      routes: [{ resource: at('Default'), logicalId: 'Default', target: 'internet-gateway', toAnywhere: true, certain: true }],
    });
    expect(index.tables.get(at('IsolatedRoutes'))!.routes.map(r => `${r.logicalId} ${r.target} ${r.toAnywhere}`)).toEqual([
      'Middlebox local false', 'V6 egress-only-internet-gateway true', 'Nat nat-gateway false', 'Tgw other true',
    ]);
    expect(index.unplaced.map(r => r.logicalId)).toEqual(['Odd']);
    expect(subnetRouteIndex(stack)).toBe(index);
  });

  test('internetRouteOf names the first internet or NAT route of a subnet, whatever its destination', () => {
    const stack = template({ ...NETWORK, Nat: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('IsolatedRoutes'), DestinationCidrBlock: '52.0.0.0/8', NatGatewayId: ref('NatGw') } } });
    const index = subnetRouteIndex(stack);
    expect(internetRouteOf(index, stack.resource('Public')!)?.logicalId).toBe('Default');
    expect(internetRouteOf(index, stack.resource('Isolated')!)?.logicalId).toBe('Nat');
    expect(internetRouteOf(index, stack.resource('Igw')!)).toBeUndefined();
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
    expect([...index.tables.values()].map(t => `${t.logicalId} ${t.open}`)).toEqual(['PublicRoutes true', 'IsolatedRoutes true']);
    expect([...idsLeavingTemplate(stack)].sort()).toEqual(['Igw', 'Isolated', 'PublicRoutes']);
    expect([...idsLeavingValidation(stack.peers)].map(r => r.logicalId).sort()).toEqual(['Igw', 'Isolated', 'PublicRoutes']);
  });

  test('follows ids across the templates of one validation: imports of another stack\'s exports, nested-stack parameters', () => {
    const peers = new TemplatePeers();
    const network = template(NETWORK, {
      ExportsOutputRefIsolatedRoutes: { Value: ref('IsolatedRoutes'), Export: { Name: 'Net:ExportsOutputRefIsolatedRoutes' } },
      ExportsOutputRefVpc: { Value: ref('Vpc'), Export: { Name: 'Net:ExportsOutputRefVpc' } },
    }, 'Net', { peers });
    const app = template({
      Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/child.json', Parameters: { Routes: { 'Fn::ImportValue': 'Net:ExportsOutputRefIsolatedRoutes' } } } },
    }, {}, 'App', { peers });
    const child = template({
      Nat: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref('Routes'), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' } },
      Unplaced: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { 'Fn::ImportValue': 'Nobody:Exports' } } },
    }, {}, 'Child', { peers, parent: { template: app, logicalId: 'Child' } });
    const index = subnetRouteIndex(child);
    expect(index).toBe(subnetRouteIndex(network));
    expect(internetRouteOf(index, network.resource('Isolated')!)?.resource).toBe(child.resource('Nat'));
    expect(index.unplaced).toEqual([child.resource('Unplaced')]);
    expect(followedId(child, ref('Routes'))).toEqual({ kind: 'resource', resource: network.resource('IsolatedRoutes') });
    expect(followedId(app, ref('Elsewhere'))).toEqual({ kind: 'parameter' });
    expect(followedId(app, 'rtb-12345678')).toEqual({ kind: 'literal' });
    expect(followedId(app, { 'Fn::If': ['C', 'rtb-1', 'rtb-2'] })).toEqual({ kind: 'unknown' });
    // CDK's exports and a validated nested stack's parameters stay among the templates; the nested stack is loaded.
    expect(idsLeavingValidation(peers).size).toBe(0);
  });

  test('ids leave the validation through named exports, plain outputs, custom resources and nested stacks not loaded with it', () => {
    const build = (app: Record<string, unknown>, outputs: Record<string, unknown> = {}) => {
      const peers = new TemplatePeers();
      const network = template(NETWORK, { ExportsOutputRefVpc: { Value: ref('Vpc'), Export: { Name: 'Net:ExportsOutputRefVpc' } } }, 'Net', { peers });
      template(app, outputs, 'App', { peers });
      return [...idsLeavingValidation(peers)].map(r => `${r.stack === network ? 'Net' : 'App'}/${r.logicalId}`);
    };
    const imported = { 'Fn::ImportValue': 'Net:ExportsOutputRefVpc' };
    expect(build({}, { Shared: { Value: imported, Export: { Name: 'SharedVpc' } } })).toEqual(['Net/Vpc']);
    expect(build({}, { Plain: { Value: { 'Fn::Join': [',', [imported]] } } })).toEqual(['Net/Vpc']);
    expect(build({ Peering: { Type: 'Custom::Peering', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:p', Vpc: imported } } })).toEqual(['Net/Vpc']);
    expect(build({ Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/c.json', Parameters: { Vpc: imported } } } })).toEqual(['Net/Vpc']);
    // A value that only reads the VPC (its CIDR) lets no one change it.
    expect(build({}, { Cidr: { Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } }, Own: { Value: ref('Own') } }).concat(
      build({ Own: { Type: 'AWS::SNS::Topic' } }, { Own: { Value: ref('Own') } }))).toEqual(['App/Own']);
  });
});
