import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticsearch from 'aws-cdk-lib/aws-elasticsearch';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as neptune from 'aws-cdk-lib/aws-neptune';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import { Construct } from 'constructs';
import { DatabaseSubnets } from '../../../src/rules/network/database-subnets';
import { testApp } from '../../support/fintech-fixture';
import { findingsOf, lines, shop } from '../rule-harness';

const C17 = DatabaseSubnets.INFO.id;

function c17(app: App) {
  return findingsOf(app, [C17]);
}

function vpc(stack: Construct) {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function database(stack: Construct, id: string, network: ec2.IVpc, subnetType: ec2.SubnetType, publiclyAccessible = false) {
  const engine = rds.DatabaseInstanceEngine.POSTGRES;
  return new rds.DatabaseInstance(stack, id, { engine, vpc: network, vpcSubnets: { subnetType }, publiclyAccessible });
}

function cfnInstance(stack: Stack, id: string, props: Partial<rds.CfnDBInstanceProps> = {}) {
  return new rds.CfnDBInstance(stack, id, { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', ...props });
}

describe('Fintech-C17-DatabaseNotIsolated', () => {
  test('passes an L2 database in isolated subnets, fails one in private (NAT) and one in public subnets', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    database(stack, 'Isolated', network, ec2.SubnetType.PRIVATE_ISOLATED);
    database(stack, 'Private', network, ec2.SubnetType.PRIVATE_WITH_EGRESS);
    database(stack, 'Public', network, ec2.SubnetType.PUBLIC, true);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Private/Resource`, `${C17} Shop/Public/Resource`, `${C17} Shop/Public/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Private/Resource')).toMatchObject({
      severity: 'error',
      locations: ['Properties/DBSubnetGroupName'],
      message: expect.stringMatching(/^AWS::RDS::DBInstance Private[0-9A-F]{8} uses AWS::RDS::DBSubnetGroup PrivateSubnetGroup[0-9A-F]{8}, whose subnets VpcprivateSubnet1Subnet[0-9A-F]{8} \(VpcprivateSubnet1DefaultRoute[0-9A-F]{8}\), .* route to an internet or NAT gateway\.$/),
      fix: expect.stringContaining('PRIVATE_ISOLATED'),
    });
    expect(findings.map(f => f.message)).toContainEqual(expect.stringMatching(/^AWS::RDS::DBInstance Public[0-9A-F]{8} is PubliclyAccessible/));
  });

  test('judges L1 clusters and instances: subnet groups by literal name, clusters without subnet group, cluster members', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    new rds.CfnDBSubnetGroup(stack, 'PublicGroup', { dbSubnetGroupDescription: 'public', dbSubnetGroupName: 'Ledger-Public', subnetIds: network.publicSubnets.map(s => s.subnetId) });
    new rds.CfnDBSubnetGroup(stack, 'IsolatedGroup', { dbSubnetGroupDescription: 'isolated', dbSubnetGroupName: 'ledger-isolated', subnetIds: network.isolatedSubnets.map(s => s.subnetId) });
    const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', dbSubnetGroupName: 'ledger-public' });
    cfnInstance(stack, 'Member', { engine: 'aurora-postgresql', dbClusterIdentifier: cluster.ref });
    new rds.CfnDBCluster(stack, 'DefaultVpc', { engine: 'aurora-postgresql' });
    cfnInstance(stack, 'InIsolated', { dbSubnetGroupName: 'ledger-isolated' });
    cfnInstance(stack, 'Public', { dbSubnetGroupName: 'ledger-isolated', publiclyAccessible: true });
    expect(lines(c17(app))).toEqual([`${C17} Shop/Cluster`, `${C17} Shop/DefaultVpc`, `${C17} Shop/Public`]);
  });

  test('judges DocumentDB and Neptune clusters by their subnet groups, and without one as in the default VPC; their instances take the cluster\'s', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const docs = (id: string, subnetType: ec2.SubnetType) => new docdb.DatabaseCluster(stack, id, {
      masterUser: { username: 'kyc' }, instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), vpc: network, vpcSubnets: { subnetType },
    });
    docs('Isolated', ec2.SubnetType.PRIVATE_ISOLATED);
    docs('Private', ec2.SubnetType.PRIVATE_WITH_EGRESS);
    new docdb.CfnDBCluster(stack, 'DocsDefaultVpc', { storageEncrypted: true });
    new neptune.CfnDBSubnetGroup(stack, 'GraphGroup', { dbSubnetGroupDescription: 'public', dbSubnetGroupName: 'Graph-Public', subnetIds: network.publicSubnets.map(s => s.subnetId) });
    const graph = new neptune.CfnDBCluster(stack, 'Graph', { dbSubnetGroupName: 'graph-public', storageEncrypted: true });
    new neptune.CfnDBInstance(stack, 'GraphMember', { dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: graph.ref });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/DocsDefaultVpc`, `${C17} Shop/Graph`, `${C17} Shop/Private/Resource`]);
    expect(findings.find(f => f.logicalId === 'DocsDefaultVpc')).toMatchObject({
      locations: ['Properties/DBSubnetGroupName'],
      message: 'AWS::DocDB::DBCluster DocsDefaultVpc has no DBSubnetGroupName, so it is placed in the default VPC, whose subnets route to an internet gateway.',
    });
    expect(findings.find(f => f.logicalId.startsWith('Private'))!.message).toMatch(/ uses AWS::DocDB::DBSubnetGroup PrivateSubnets[0-9A-F]{8}, whose subnets /);
  });

  test('judges Redshift clusters by subnet group and PubliclyAccessible, and Redshift Serverless workgroups by their subnets; a cluster without a group is not judged', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const ids = (subnets: ec2.ISubnet[]) => subnets.map(s => s.subnetId);
    const group = (id: string, subnets: ec2.ISubnet[]) => new redshift.CfnClusterSubnetGroup(stack, id, { description: id, subnetIds: ids(subnets) });
    const cluster = (id: string, props: Partial<redshift.CfnClusterProps>) =>
      new redshift.CfnCluster(stack, id, { clusterType: 'multi-node', numberOfNodes: 2, nodeType: 'ra3.xlplus', dbName: 'reports', masterUsername: 'admin', manageMasterPassword: true, ...props });
    cluster('Reports', { clusterSubnetGroupName: group('IsolatedGroup', network.isolatedSubnets).ref });
    cluster('Routed', { clusterSubnetGroupName: group('PrivateGroup', network.privateSubnets).ref });
    cluster('Public', { clusterSubnetGroupName: group('OtherIsolatedGroup', network.isolatedSubnets).ref, publiclyAccessible: true });
    cluster('NoGroup', {});
    const workgroup = (id: string, subnets: ec2.ISubnet[], publiclyAccessible?: boolean) =>
      new redshiftserverless.CfnWorkgroup(stack, id, { workgroupName: id.toLowerCase(), subnetIds: ids(subnets), publiclyAccessible });
    workgroup('Compute', network.isolatedSubnets);
    workgroup('RoutedCompute', network.privateSubnets);
    workgroup('PublicCompute', network.isolatedSubnets, true);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Public`, `${C17} Shop/PublicCompute`, `${C17} Shop/Routed`, `${C17} Shop/RoutedCompute`]);
    expect(findings.find(f => f.logicalId === 'RoutedCompute')).toMatchObject({
      locations: ['Properties/SubnetIds'],
      message: expect.stringMatching(/^AWS::RedshiftServerless::Workgroup RoutedCompute has subnets VpcprivateSubnet1Subnet[0-9A-F]{8} \(VpcprivateSubnet1DefaultRoute[0-9A-F]{8}\), .* route to an internet or NAT gateway\.$/),
    });
    expect(findings.find(f => f.logicalId === 'Routed')!.message).toContain('uses AWS::Redshift::ClusterSubnetGroup PrivateGroup, whose subnets');
  });

  test('judges Amazon MQ brokers by their subnets and PubliclyAccessible, and without subnets as in the default VPC', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const broker = (id: string, props: Partial<amazonmq.CfnBrokerProps>) => new amazonmq.CfnBroker(stack, id, {
      brokerName: id.toLowerCase(), engineType: 'ACTIVEMQ', deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.m5.large', publiclyAccessible: false, users: [], ...props,
    });
    broker('Switch', { subnetIds: [network.isolatedSubnets[0].subnetId] });
    broker('Routed', { subnetIds: [network.privateSubnets[0].subnetId] });
    broker('Public', { engineType: 'RABBITMQ', publiclyAccessible: true });
    broker('Unplaced', {});
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Public`, `${C17} Shop/Public`, `${C17} Shop/Routed`, `${C17} Shop/Unplaced`]);
    expect(findings.find(f => f.logicalId === 'Unplaced')).toMatchObject({
      locations: ['Properties/SubnetIds'],
      message: 'AWS::AmazonMQ::Broker Unplaced has no SubnetIds, so it is placed in the default VPC, whose subnets route to an internet gateway.',
    });
    expect(findings.find(f => f.logicalId === 'Routed')!.message).toMatch(/^AWS::AmazonMQ::Broker Routed has subnets VpcprivateSubnet1Subnet[0-9A-F]{8} /);
    expect(findings.filter(f => f.logicalId === 'Public').map(f => f.locations)).toContainEqual(['Properties/PubliclyAccessible']);
  });

  test('judges search domains and MSK clusters on a public endpoint only: a domain without VPCOptions, brokers with public addresses', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const version = opensearch.EngineVersion.OPENSEARCH_2_17;
    new opensearch.Domain(stack, 'InVpc', { version, vpc: network, vpcSubnets: [{ subnets: [network.isolatedSubnets[0]] }] });
    // Subnets are not judged for search domains: one in private (NAT) subnets passes.
    new opensearch.Domain(stack, 'Routed', { version, vpc: network, vpcSubnets: [{ subnets: [network.privateSubnets[0]] }] });
    new opensearch.Domain(stack, 'Public', { version });
    new elasticsearch.CfnDomain(stack, 'Legacy', { elasticsearchVersion: '7.10' });
    new opensearch.CfnDomain(stack, 'ByParameter').addPropertyOverride('VPCOptions', { 'Fn::If': ['InVpc', { SubnetIds: ['subnet-1'] }, { Ref: 'AWS::NoValue' }] });
    const brokers = (publicAccess?: string) => ({
      clientSubnets: network.isolatedSubnets.map(subnet => subnet.subnetId),
      instanceType: 'kafka.m7g.large',
      connectivityInfo: publicAccess ? { publicAccess: { type: publicAccess } } : undefined,
    });
    new msk.CfnCluster(stack, 'Events', { clusterName: 'events', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: brokers() });
    new msk.CfnCluster(stack, 'Closed', { clusterName: 'closed', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: brokers('DISABLED') });
    new msk.CfnCluster(stack, 'Open', { clusterName: 'open', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: brokers('SERVICE_PROVIDED_EIPS') });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Legacy`, `${C17} Shop/Open`, `${C17} Shop/Public/Resource`]);
    expect(findings.find(f => f.logicalId === 'Legacy')).toMatchObject({
      severity: 'error',
      locations: ['Properties/VPCOptions'],
      message: 'AWS::Elasticsearch::Domain Legacy has no VPCOptions, so its endpoint is on the internet, guarded by its access policy alone.',
    });
    expect(findings.find(f => f.logicalId === 'Open')).toMatchObject({
      locations: ['Properties/BrokerNodeGroupInfo/ConnectivityInfo/PublicAccess/Type'],
      message: 'AWS::MSK::Cluster Open has PublicAccess SERVICE_PROVIDED_EIPS, so its brokers get public IP addresses and the internet can reach them.',
    });
  });

  test('catches escape hatches that make a database public or move it to other subnets', () => {
    const { app, stack } = shop();
    const network = vpc(stack);
    const db = database(stack, 'Db', network, ec2.SubnetType.PRIVATE_ISOLATED);
    (db.node.defaultChild as rds.CfnDBInstance).addPropertyOverride('PubliclyAccessible', 'true');
    const moved = database(stack, 'Moved', network, ec2.SubnetType.PRIVATE_ISOLATED);
    const group = moved.node.findChild('SubnetGroup').node.defaultChild as rds.CfnDBSubnetGroup;
    group.addPropertyOverride('SubnetIds', network.publicSubnets.map(s => s.subnetId));
    expect(lines(c17(app))).toEqual([`${C17} Shop/Db/Resource`, `${C17} Shop/Moved/Resource`]);
  });

  test('treats subnets, routes and gateways it cannot resolve as unknown', () => {
    const { app, stack } = shop();
    const imported = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-12345678'], privateSubnetRouteTableIds: ['rtb-12345678'],
    });
    database(stack, 'InImported', imported, ec2.SubnetType.PRIVATE_WITH_EGRESS);
    const subnet = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: 'vpc-12345678', cidrBlock: '10.0.0.0/24' });
    const table = new ec2.CfnRouteTable(stack, 'Table', { vpcId: 'vpc-12345678' });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'Association', { subnetId: subnet.ref, routeTableId: table.ref });
    new ec2.CfnRoute(stack, 'ToImportedGateway', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: Fn.importValue('GatewayId') });
    new ec2.CfnRoute(stack, 'ToVpn', { routeTableId: table.ref, destinationCidrBlock: '10.1.0.0/16', gatewayId: 'vgw-12345678' });
    new rds.CfnDBSubnetGroup(stack, 'Group', { dbSubnetGroupDescription: 'g', subnetIds: [subnet.ref, Fn.importValue('OtherSubnet')] });
    cfnInstance(stack, 'Unknown', { dbSubnetGroupName: Fn.importValue('SubnetGroupName') });
    cfnInstance(stack, 'Elsewhere', { dbSubnetGroupName: 'group-of-another-stack' });
    cfnInstance(stack, 'ViaUnknownRoutes', { dbSubnetGroupName: (stack.node.findChild('Group') as rds.CfnDBSubnetGroup).ref });
    cfnInstance(stack, 'IfPublic', { dbSubnetGroupName: 'group-of-another-stack', publiclyAccessible: Fn.conditionIf('C', true, false) as unknown as boolean });
    expect(c17(app)).toEqual([]);
  });

  test('finds literal internet gateway ids and does not crash on odd shapes', () => {
    const { app, stack } = shop();
    const subnet = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: 'vpc-12345678', cidrBlock: '10.0.0.0/24' });
    const table = new ec2.CfnRouteTable(stack, 'Table', { vpcId: 'vpc-12345678' });
    new ec2.CfnSubnetRouteTableAssociation(stack, 'Association', { subnetId: subnet.ref, routeTableId: table.ref });
    new ec2.CfnRoute(stack, 'ToIgw', { routeTableId: table.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: 'igw-12345678' });
    new ec2.CfnRoute(stack, 'Odd', { routeTableId: table.ref }).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    const group = new rds.CfnDBSubnetGroup(stack, 'Group', { dbSubnetGroupDescription: 'g', subnetIds: [subnet.ref] });
    cfnInstance(stack, 'Db', { dbSubnetGroupName: group.ref });
    new rds.CfnDBSubnetGroup(stack, 'OddGroup', { dbSubnetGroupDescription: 'g', subnetIds: [] }).addPropertyOverride('SubnetIds', { Ref: 'Subnets' });
    cfnInstance(stack, 'OddDb', { dbSubnetGroupName: 'x' }).addOverride('Properties.DBSubnetGroupName', { Ref: 'OddGroup' });
    expect(lines(c17(app))).toEqual([`${C17} Shop/Db`]);
  });

  test('follows the subnet group and its subnets to another stack of the app and to a parent stack', () => {
    const app = testApp();
    const network = new Stack(app, 'Network');
    const shared = vpc(network);
    const data = new Stack(app, 'Data');
    database(data, 'Ledger', shared, ec2.SubnetType.PRIVATE_WITH_EGRESS);
    database(data, 'Archive', shared, ec2.SubnetType.PRIVATE_ISOLATED);
    // A subnet group the network stack owns, over its public subnets.
    const publicGroup = new rds.SubnetGroup(network, 'PublicGroup', { description: 'public', vpc: shared, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    const engine = rds.DatabaseInstanceEngine.POSTGRES;
    new rds.DatabaseInstance(data, 'Reports', { engine, vpc: shared, subnetGroup: publicGroup });
    // A subnet group the network stack names for other stacks to use by its name, over its NAT-backed subnets.
    new rds.CfnDBSubnetGroup(network, 'NamedGroup', {
      dbSubnetGroupName: 'Ledger-Egress', dbSubnetGroupDescription: 'egress', subnetIds: shared.privateSubnets.map(subnet => subnet.subnetId),
    });
    cfnInstance(data, 'ByName', { dbSubnetGroupName: 'ledger-egress' });
    const nested = new NestedStack(network, 'Audit');
    database(nested, 'Audit', shared, ec2.SubnetType.PRIVATE_WITH_EGRESS);
    database(nested, 'Sealed', shared, ec2.SubnetType.PRIVATE_ISOLATED);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Data/ByName`, `${C17} Data/Ledger/Resource`, `${C17} Data/Reports/Resource`, `${C17} Network/Audit/Audit/Resource`]);
    expect(findings[0].message).toMatch(/^AWS::RDS::DBInstance ByName uses AWS::RDS::DBSubnetGroup NamedGroup in Network, whose subnets Vpcprivate/);
    expect(findings[1].message).toMatch(
      /^AWS::RDS::DBInstance Ledger[0-9A-F]{8} uses AWS::RDS::DBSubnetGroup LedgerSubnetGroup[0-9A-F]{8}, whose subnets VpcprivateSubnet1Subnet[0-9A-F]{8} in Network \(VpcprivateSubnet1DefaultRoute[0-9A-F]{8}\), /);
    expect(findings[2].message).toMatch(/uses AWS::RDS::DBSubnetGroup PublicGroup in Network, whose subnets VpcpublicSubnet1Subnet[0-9A-F]{8} \(VpcpublicSubnet1DefaultRoute/);
  });

  test('finds a subnet group by its literal name only in a stack of the same account and region', () => {
    const app = testApp();
    const env = { account: '123456789012', region: 'eu-west-1' };
    const network = new Stack(app, 'Network', { env });
    new rds.CfnDBSubnetGroup(network, 'EdgeGroup', {
      dbSubnetGroupName: 'edge', dbSubnetGroupDescription: 'edge', subnetIds: vpc(network).publicSubnets.map(subnet => subnet.subnetId),
    });
    cfnInstance(new Stack(app, 'Here', { env }), 'Here', { dbSubnetGroupName: 'edge' });
    cfnInstance(new Stack(app, 'OtherRegion', { env: { ...env, region: 'us-east-1' } }), 'OtherRegion', { dbSubnetGroupName: 'edge' });
    cfnInstance(new Stack(app, 'OtherAccount', { env: { ...env, account: '210987654321' } }), 'OtherAccount', { dbSubnetGroupName: 'edge' });
    expect(lines(c17(app))).toEqual([`${C17} Here/Here`]);
  });
});
