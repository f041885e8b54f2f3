import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataKey } from '../../src/encryption/data-key';
import { FintechVpc, FintechVpcProps } from '../../src/network/fintech-vpc';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

function vpcIn(stage: 'dev' | 'prod', props: FintechVpcProps = {}): { stack: Stack; vpc: FintechVpc; template: Template } {
  const stack = stackIn(testApp(), stage);
  const vpc = new FintechVpc(stack, 'Network', props);
  return { stack, vpc, template: Template.fromStack(stack) };
}

function subnetMasks(template: Template, tier: string): number[] {
  return Object.values(template.findResources('AWS::EC2::Subnet'))
    .filter(s => s.Properties.Tags.some((t: any) => t.Key === 'aws-cdk:subnet-name' && t.Value === tier))
    .map(s => Number(s.Properties.CidrBlock.split('/')[1]));
}

const BASE_SERVICES = ['sqs', 'sns', 'logs', 'sts', 'kms', 'secretsmanager'];

describe('FintechVpc', () => {
  test('public, private-with-egress and isolated subnets in three zones of a durable stage, with default masks', () => {
    const { vpc, template } = vpcIn('prod');
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.0.0.0/16',
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'ledger-network-prod' }]),
    });
    expect(subnetMasks(template, 'Public')).toEqual([24, 24, 24]);
    expect(subnetMasks(template, 'Private')).toEqual([20, 20, 20]);
    expect(subnetMasks(template, 'Isolated')).toEqual([24, 24, 24]);
    expect(vpc.availabilityZones).toHaveLength(3);
    expect(vpc.vpcNameTag).toBe('ledger-network-prod');
  });

  test('one NAT gateway per zone in a durable stage, one in an ephemeral stage', () => {
    const prod = vpcIn('prod');
    prod.template.resourceCountIs('AWS::EC2::NatGateway', 3);
    expect(prod.vpc.natGatewayCount).toBe(3);
    const dev = vpcIn('dev');
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(dev.vpc.natGatewayCount).toBe(1);
  });

  test('natGateways overrides the stage', () => {
    vpcIn('prod', { natGateways: 2 }).template.resourceCountIs('AWS::EC2::NatGateway', 2);
    vpcIn('dev', { natGateways: 2 }).template.resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  test('S3 and DynamoDB gateway endpoints on the route tables of every private and isolated subnet', () => {
    const { stack, vpc, template } = vpcIn('prod');
    const routeTables = [...vpc.privateSubnets, ...vpc.isolatedSubnets].map(s => stack.resolve(s.routeTable.routeTableId));
    expect(routeTables).toHaveLength(6);
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        RouteTableIds: routeTables,
      });
    }
  });

  test('interface endpoints with private DNS in the private subnets, all behind the endpoint security group', () => {
    const { stack, vpc, template } = vpcIn('prod');
    const privateSubnets = vpc.privateSubnets.map(s => stack.resolve(s.subnetId));
    const groupId = stack.resolve(vpc.endpointSecurityGroup.securityGroupId);
    for (const service of BASE_SERVICES) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
        SubnetIds: privateSubnets,
        SecurityGroupIds: [groupId],
      });
    }
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 6);
    expect(Object.keys(vpc.interfaceEndpoints).sort()).toEqual([...BASE_SERVICES].sort());
  });

  test('the endpoint security group admits TCP 443 from the VPC CIDR and nothing else, and opens nothing outbound', () => {
    const { template } = vpcIn('prod');
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16', Description: 'HTTPS from inside the VPC' }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });

  test('the data planes of split services are endpoints of their own: SageMaker and Bedrock runtimes, Payment Cryptography, AppConfig data', () => {
    const names = ['sagemaker.runtime', 'sagemaker.featurestore-runtime', 'bedrock-runtime', 'bedrock-agent-runtime', 'payment-cryptography.dataplane', 'appconfigdata', 'rds-data'];
    const { vpc, template } = vpcIn('dev', { endpoints: names });
    expect(Object.keys(vpc.interfaceEndpoints)).toEqual(names);
    for (const name of names) template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: `com.amazonaws.eu-west-1.${name}`, PrivateDnsEnabled: true });
  });

  test('endpoints by name replace the default set: gateway ones only for the names given, interface ones in the order given', () => {
    const { vpc, template } = vpcIn('dev', { endpoints: ['dynamodb', 'xray', 'sqs', 'states'] });
    expect(vpc.endpointNames).toEqual(['dynamodb', 'xray', 'sqs', 'states']);
    expect(Object.keys(vpc.gatewayEndpoints)).toEqual(['dynamodb']);
    expect(Object.keys(vpc.interfaceEndpoints)).toEqual(['xray', 'sqs', 'states']);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 3);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.eu-west-1.xray', PrivateDnsEnabled: true });
    expect(vpc.hasEndpoint('xray')).toBe(true);
    expect(vpc.hasEndpoint('dynamodb')).toBe(true);
    expect(vpc.hasEndpoint('s3')).toBe(false);
    expect(vpc.hasEndpoint('sns')).toBe(false);
  });

  test('the default endpoints: s3 and dynamodb gateways, sqs, sns, logs, sts, kms and secretsmanager interfaces', () => {
    const { vpc } = vpcIn('prod');
    expect(vpc.endpointNames).toEqual(['s3', 'dynamodb', ...BASE_SERVICES]);
    expect(Object.keys(vpc.gatewayEndpoints)).toEqual(['s3', 'dynamodb']);
    expect(vpc.internetAccess).toBe(true);
  });

  test('containerImageEndpoints adds the ECR API and ECR Docker endpoints, with private DNS in the private subnets', () => {
    const { stack, vpc, template } = vpcIn('dev', { containerImageEndpoints: true });
    const privateSubnets = vpc.privateSubnets.map(s => stack.resolve(s.subnetId));
    for (const service of ['ecr.api', 'ecr.dkr']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
        SubnetIds: privateSubnets,
        SecurityGroupIds: [stack.resolve(vpc.endpointSecurityGroup.securityGroupId)],
      });
    }
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 8);
    expect(Object.keys(vpc.interfaceEndpoints).sort()).toEqual([...BASE_SERVICES, 'ecr.api', 'ecr.dkr'].sort());
    expect(vpc.hasEndpoint('ecr.dkr')).toBe(true);
  });

  test('without containerImageEndpoints there is no ECR endpoint', () => {
    const { vpc } = vpcIn('dev', { containerImageEndpoints: false });
    expect(Object.keys(vpc.interfaceEndpoints)).not.toContain('ecr.api');
    expect(Object.keys(vpc.interfaceEndpoints)).not.toContain('ecr.dkr');
  });

  test('isolated subnets route only inside the VPC (and to the gateway endpoints): no route to a NAT or internet gateway', () => {
    const { stack, vpc, template } = vpcIn('prod');
    const isolatedTables = vpc.isolatedSubnets.map(s => JSON.stringify(stack.resolve(s.routeTable.routeTableId)));
    expect(isolatedTables).toHaveLength(3);
    const routes = Object.values(template.findResources('AWS::EC2::Route')).map(r => JSON.stringify(r.Properties.RouteTableId));
    expect(routes.filter(table => isolatedTables.includes(table))).toEqual([]);
    // The private tier does have its default route, so the filter above is not vacuous.
    const privateTables = vpc.privateSubnets.map(s => JSON.stringify(stack.resolve(s.routeTable.routeTableId)));
    expect(routes.filter(table => privateTables.includes(table))).toHaveLength(3);
    // Each isolated subnet sits in its own zone, as a database subnet group needs at least two.
    expect(new Set(vpc.isolatedSubnets.map(s => s.availabilityZone)).size).toBe(3);
  });

  test('flow logs of all traffic to a KMS-encrypted log group kept a year, retained in a durable stage', () => {
    const { stack, vpc, template } = vpcIn('prod');
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      ResourceId: stack.resolve(vpc.vpcId),
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: stack.resolve(vpc.flowLogGroup.logGroupName),
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: 'ledger-network-flow-logs-prod', RetentionInDays: 365, KmsKeyId: Match.anyValue() },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:ledger-network-flow-logs-prod']] } } },
        })]),
      },
    });
  });

  test('the flow log group is destroyed with an ephemeral stage', () => {
    vpcIn('dev').template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { LogGroupName: 'ledger-network-flow-logs-dev' } });
  });

  test('the default security group is stripped of its rules', () => {
    const { stack, vpc, template } = vpcIn('prod');
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: stack.resolve(vpc.vpcDefaultSecurityGroup) });
  });

  test('cidr, masks, zones, retention, key and names follow the props', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Shared', { aliasBase: 'shared' });
    new FintechVpc(stack, 'CoreNetwork', {
      cidr: '172.20.0.0/20',
      maxAzs: 2,
      publicSubnetCidrMask: 27,
      privateSubnetCidrMask: 23,
      isolatedSubnetCidrMask: 26,
      flowLogRetention: logs.RetentionDays.SIX_MONTHS,
      dataKey: key,
      reservedCidrs: ['10.0.0.0/8', '172.20.16.0/20'],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '172.20.0.0/20', Tags: Match.arrayWith([{ Key: 'Name', Value: 'ledger-core-network-prod' }]) });
    expect(subnetMasks(template, 'Public')).toEqual([27, 27]);
    expect(subnetMasks(template, 'Private')).toEqual([23, 23]);
    expect(subnetMasks(template, 'Isolated')).toEqual([26, 26]);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ CidrIp: '172.20.0.0/20', FromPort: 443 })] });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'ledger-core-network-flow-logs-prod', RetentionInDays: 180, KmsKeyId: stack.resolve(key.key.keyArn) });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('an ephemeral stage may use one zone', () => {
    const { vpc, template } = vpcIn('dev', { maxAzs: 1 });
    expect(vpc.availabilityZones).toHaveLength(1);
    template.resourceCountIs('AWS::EC2::Subnet', 3);
  });

  test('the rule pack reports no error; warnings, if any, are only on CDK\'s default-group provider function', () => {
    const app = testApp();
    new FintechVpc(stackIn(app, 'dev'), 'Network');
    new FintechVpc(stackIn(app, 'prod'), 'Network');
    const { violations } = synthReport(app);
    const provider = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';
    expect(violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    expect(violations.filter(v => v.severity === 'warning' && !v.constructPath.includes(provider)).map(v => `${v.ruleName} ${v.constructPath}`)).toEqual([]);
  });

  describe('outside a FintechStage', () => {
    test('without context: the durable default, a NAT gateway per zone, flow logs retained, names without a stage', () => {
      const stack = new Stack(testApp(), 'Plain');
      const vpc = new FintechVpc(stack, 'Network');
      const template = Template.fromStack(stack);
      expect(vpc.natGatewayCount).toBe(2);
      expect(vpc.vpcNameTag).toBe('network');
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { LogGroupName: 'network-flow-logs' } });
    });

    test('with an ephemeral context stage: one NAT gateway, names with the stage, flow logs destroyed', () => {
      const app = testApp();
      app.node.setContext('fintech:stage', 'dev');
      app.node.setContext('fintech:application', 'ledger');
      const stack = new Stack(app, 'Plain');
      const vpc = new FintechVpc(stack, 'Network');
      expect([vpc.natGatewayCount, vpc.vpcNameTag]).toEqual([1, 'ledger-network-dev']);
      Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { LogGroupName: 'ledger-network-flow-logs-dev' } });
    });
  });

  describe('bad input fails at synth with the path and the fix', () => {
    test('one zone outside a FintechStage, under the durable default', () => {
      expect(() => new FintechVpc(new Stack(new App(), 'Plain'), 'Network', { maxAzs: 1 }))
        .toThrow('FintechVpc at Plain/Network: maxAzs 1 in the durable default (no FintechStage, no fintech:stage context) leaves it down when one availability zone fails; use maxAzs of at least 2.');
    });

    test('fewer than two zones in a durable stage', () => {
      expect(() => vpcIn('prod', { maxAzs: 1 }))
        .toThrow('FintechVpc at prod/Workload/Network: maxAzs 1 in durable stage "prod" leaves it down when one availability zone fails; use maxAzs of at least 2.');
    });

    test('a durable stage in a region that offers one zone', () => {
      const app = testApp();
      app.node.setContext('availability-zones:account=123456789012:region=eu-west-1', ['eu-west-1a']);
      expect(() => new FintechVpc(stackIn(app, 'prod'), 'Network'))
        .toThrow('FintechVpc at prod/Workload/Network: region eu-west-1 gives only 1 availability zone in durable stage "prod"; a durable VPC needs at least 2: deploy the stage to a region with more zones.');
    });

    test.each([0, 1.5])('maxAzs %p', maxAzs => {
      expect(() => vpcIn('dev', { maxAzs }))
        .toThrow(`FintechVpc at dev/Workload/Network: maxAzs ${maxAzs} must be a whole number of at least 1; use the default 3.`);
    });

    test.each([0, 4])('natGateways %p', natGateways => {
      expect(() => vpcIn('prod', { natGateways }))
        .toThrow(`FintechVpc at prod/Workload/Network: natGateways ${natGateways} must be a whole number from 1 to 3 (one per availability zone at most); ` +
          'private subnets need at least one for their outbound traffic. Drop natGateways to follow the stage, or set internetAccess: false for a VPC without NAT gateways.');
    });

    test.each(['10.0.0.0', '10.0.0.0/8', '10.0.0.0/29', '300.0.0.0/16', 'ten/16'])('an invalid cidr %p', cidr => {
      expect(() => vpcIn('dev', { cidr }))
        .toThrow(`FintechVpc at dev/Workload/Network: cidr "${cidr}" is not an IPv4 block from /16 to /28; write it like '10.0.0.0/16'.`);
    });

    test('a cidr with host bits set', () => {
      expect(() => vpcIn('dev', { cidr: '10.0.1.0/16' }))
        .toThrow('FintechVpc at dev/Workload/Network: cidr "10.0.1.0/16" has host bits set; use the network address 10.0.0.0/16.');
    });

    test('a cidr that overlaps a reserved network', () => {
      expect(() => vpcIn('dev', { reservedCidrs: ['192.168.0.0/16', '10.0.128.0/17'] }))
        .toThrow('FintechVpc at dev/Workload/Network: cidr 10.0.0.0/16 overlaps 10.0.128.0/17 of reservedCidrs, so traffic to that network could never be routed; choose a cidr outside every reserved range.');
    });

    test('an invalid reserved cidr', () => {
      expect(() => vpcIn('dev', { reservedCidrs: ['10.1.0.0'] }))
        .toThrow('FintechVpc at dev/Workload/Network: reservedCidrs "10.1.0.0" is not an IPv4 block from /0 to /32; write it like \'10.0.0.0/16\'.');
    });

    test('a subnet mask wider than the VPC', () => {
      expect(() => vpcIn('dev', { cidr: '10.0.0.0/20', privateSubnetCidrMask: 18 }))
        .toThrow('FintechVpc at dev/Workload/Network: privateSubnetCidrMask 18 must be a whole number from 20 (the VPC\'s own prefix) to 28.');
    });

    test('subnets that do not fit the cidr', () => {
      expect(() => vpcIn('prod', { cidr: '10.0.0.0/20' }))
        .toThrow('FintechVpc at prod/Workload/Network: 3 availability zones of /24, /20, /24 subnets need 17152 addresses, but cidr 10.0.0.0/20 has 4096; ' +
          'use a larger cidr, longer subnet masks or fewer zones (maxAzs).');
    });

    test('an endpoint name with a typo names the closest known one', () => {
      expect(() => vpcIn('dev', { endpoints: ['s3', 'sqss'] }))
        .toThrow('FintechVpc at dev/Workload/Network: endpoints names "sqss", which is no endpoint FintechVpc knows; did you mean "sqs"? Known: s3, dynamodb, sqs,');
      expect(() => vpcIn('dev', { endpoints: ['dynamo'] })).toThrow('did you mean "dynamodb"?');
      expect(() => vpcIn('dev', { endpoints: ['secretmanager'] })).toThrow('did you mean "secretsmanager"?');
    });

    test('an endpoint given twice', () => {
      expect(() => vpcIn('dev', { endpoints: ['sqs', 'kms', 'sqs'] }))
        .toThrow('FintechVpc at dev/Workload/Network: endpoints names sqs twice; an endpoint with private DNS can exist once per VPC. Name it once.');
    });

    test('an ECR endpoint that containerImageEndpoints adds already', () => {
      expect(() => vpcIn('dev', { containerImageEndpoints: true, endpoints: ['s3', 'ecr.dkr'] }))
        .toThrow('FintechVpc at dev/Workload/Network: endpoints names ecr.dkr, but containerImageEndpoints adds it already; ' +
          'an endpoint with private DNS can exist once per VPC. Drop it from endpoints.');
    });

    test('containerImageEndpoints without the s3 gateway endpoint the image layers come through', () => {
      expect(() => vpcIn('dev', { containerImageEndpoints: true, endpoints: ['dynamodb', 'logs'] }))
        .toThrow('FintechVpc at dev/Workload/Network: containerImageEndpoints needs the s3 gateway endpoint, as image layers are downloaded from S3; add \'s3\' to endpoints.');
    });

    test.each([
      ['natGateways', { natGateways: 1 }, 'NAT gateways'],
      ['publicSubnetCidrMask', { publicSubnetCidrMask: 24 }, 'public subnets'],
      ['privateSubnetCidrMask', { privateSubnetCidrMask: 20 }, 'private subnets with egress'],
    ])('%s with internetAccess: false', (option, props, what) => {
      const value = Object.values(props)[0];
      expect(() => vpcIn('prod', { internetAccess: false, ...props }))
        .toThrow(`FintechVpc at prod/Workload/Network: ${option} ${value} is given with internetAccess: false, but a VPC without internet access has no ${what}; ` +
          `drop ${option}, or drop internetAccess: false for a VPC with a path to the internet.`);
    });

    test('isolated subnets of a VPC without internet access that do not fit the cidr', () => {
      expect(() => vpcIn('prod', { internetAccess: false, cidr: '10.0.0.0/20' }))
        .toThrow('FintechVpc at prod/Workload/Network: 3 availability zones of /20 subnets need 12288 addresses, but cidr 10.0.0.0/20 has 4096;');
    });

    test('a prefix list of a gateway endpoint the VPC does not have', () => {
      const { vpc } = vpcIn('dev', { endpoints: ['dynamodb', 'sqs'] });
      expect(() => vpc.gatewayEndpointPrefixListId('s3'))
        .toThrow('FintechVpc at dev/Workload/Network: gatewayEndpointPrefixListId(\'s3\') names no gateway endpoint of this VPC (it has \'dynamodb\'); ' +
          'add \'s3\' to endpoints if it is a gateway service (s3 or dynamodb), or call it with one the VPC has.');
      expect(() => vpc.gatewayEndpointPrefixListId('sqs')).toThrow('names no gateway endpoint of this VPC');
    });
  });
});

describe('FintechVpc without internet access', () => {
  const PRIVATE_ENDPOINTS = ['sqs', 'sns', 'kms', 'xray', 'logs', 'dynamodb', 's3'];

  test('isolated subnets only: no internet gateway, NAT gateway, elastic IP, public or egress subnet, and no route out', () => {
    const { vpc, template } = vpcIn('prod', { internetAccess: false, endpoints: PRIVATE_ENDPOINTS });
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::EgressOnlyInternetGateway']) {
      template.resourceCountIs(type, 0);
    }
    expect(vpc.publicSubnets).toEqual([]);
    expect(vpc.privateSubnets).toEqual([]);
    expect(subnetMasks(template, 'Isolated')).toEqual([20, 20, 20]);
    template.resourceCountIs('AWS::EC2::Subnet', 3);
    template.resourceCountIs('AWS::EC2::Route', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0');
    expect([vpc.internetAccess, vpc.natGatewayCount]).toEqual([false, 0]);
  });

  test('interface endpoints with private DNS in the isolated subnets behind the endpoint group; gateway endpoints on every isolated route table', () => {
    const { stack, vpc, template } = vpcIn('prod', { internetAccess: false, endpoints: PRIVATE_ENDPOINTS });
    const isolatedSubnets = vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId));
    const isolatedTables = vpc.isolatedSubnets.map(s => stack.resolve(s.routeTable.routeTableId));
    expect(isolatedSubnets).toHaveLength(3);
    for (const service of ['sqs', 'sns', 'kms', 'xray', 'logs']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
        SubnetIds: isolatedSubnets,
        SecurityGroupIds: [stack.resolve(vpc.endpointSecurityGroup.securityGroupId)],
      });
    }
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 5);
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        RouteTableIds: isolatedTables,
      });
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
      SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '10.0.0.0/16', Description: 'HTTPS from inside the VPC' }],
    });
    expect(vpc.endpointNames).toEqual(PRIVATE_ENDPOINTS);
  });

  test('an ephemeral stage keeps its zones and flow logs, without NAT gateways', () => {
    const { vpc, template } = vpcIn('dev', { internetAccess: false, maxAzs: 2, isolatedSubnetCidrMask: 22 });
    expect(subnetMasks(template, 'Isolated')).toEqual([22, 22]);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    expect(vpc.natGatewayCount).toBe(0);
  });

  test('the rule pack reports no error; warnings, if any, are only on CDK\'s default-group provider function', () => {
    const app = testApp();
    new FintechVpc(stackIn(app, 'dev'), 'Network', { internetAccess: false, endpoints: PRIVATE_ENDPOINTS });
    new FintechVpc(stackIn(app, 'prod'), 'Network', { internetAccess: false, endpoints: PRIVATE_ENDPOINTS });
    const { violations } = synthReport(app);
    const provider = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';
    expect(violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    expect(violations.filter(v => v.severity === 'warning' && !v.constructPath.includes(provider)).map(v => `${v.ruleName} ${v.constructPath}`)).toEqual([]);
  });
});

describe('FintechVpc gateway endpoint policies', () => {
  function policyOf(template: Template, service: string): any {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))
      .filter(r => JSON.stringify(r.Properties.ServiceName).includes(`.${service}"`));
    expect(endpoints).toHaveLength(1);
    return endpoints[0].Properties.PolicyDocument;
  }

  test('S3: the account\'s buckets, the bucket list, and PUTs to CloudFormation\'s custom-resource response and wait-condition buckets of the region', () => {
    const { template } = vpcIn('prod', { internetAccess: false });
    expect(policyOf(template, 's3')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AccountBuckets', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } } },
        { Sid: 'AccountLevelCalls', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListAllMyBuckets', Resource: '*' },
        {
          Sid: 'CloudFormationResponses',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:PutObject',
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-euwest1/*']] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-waitcondition-eu-west-1/*']] },
          ],
        },
      ],
    });
  });

  test.each([
    ['with internet access (ECR through the NAT gateway)', {}],
    ['without internet access, with containerImageEndpoints', { internetAccess: false, containerImageEndpoints: true }],
  ])('S3 %s: also reads of the region\'s ECR image layer bucket', (_, props: FintechVpcProps) => {
    const { template } = vpcIn('dev', props);
    expect(policyOf(template, 's3').Statement).toContainEqual({
      Sid: 'EcrImageLayers',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-eu-west-1-starport-layer-bucket/*']] },
    });
  });

  test('S3 without internet access or ECR endpoints: no image can be pulled, so no ECR layer bucket', () => {
    const { template } = vpcIn('dev', { internetAccess: false, endpoints: ['s3', 'sqs'] });
    expect(policyOf(template, 's3').Statement.map((s: any) => s.Sid)).toEqual(['AccountBuckets', 'AccountLevelCalls', 'CloudFormationResponses']);
  });

  test('DynamoDB: the account\'s tables (with their indexes and streams) in the region, and the calls that name no table', () => {
    const { template } = vpcIn('prod', { internetAccess: false, endpoints: ['dynamodb'] });
    expect(policyOf(template, 'dynamodb')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountTables',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'dynamodb:*',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:123456789012:table/*']] },
        },
        {
          Sid: 'AccountLevelCalls',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'dynamodb:ListTables', 'dynamodb:ListBackups', 'dynamodb:ListExports', 'dynamodb:ListImports', 'dynamodb:ListGlobalTables',
            'dynamodb:ListContributorInsights', 'dynamodb:DescribeLimits', 'dynamodb:DescribeEndpoints',
          ],
          Resource: '*',
        },
      ],
    });
  });

  test('in an environment-agnostic stack the response bucket drops the dashes of the deploy-time region', () => {
    const stack = new Stack(testApp(), 'Plain');
    new FintechVpc(stack, 'Network');
    const statement = policyOf(Template.fromStack(stack), 's3').Statement.find((s: any) => s.Sid === 'CloudFormationResponses');
    expect(statement.Resource[0]).toEqual({
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-',
        { 'Fn::Join': ['', { 'Fn::Split': ['-', { Ref: 'AWS::Region' }] }] }, '/*',
      ]],
    });
    expect(policyOf(Template.fromStack(stack), 's3').Statement[0].Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } });
  });
});

describe('FintechVpc gateway endpoint prefix lists and identity', () => {
  test('one DescribePrefixLists lookup per gateway service, created on first use, with ec2:DescribePrefixLists on *', () => {
    vpcIn('prod').template.resourceCountIs('Custom::AWS', 0);
    const stack = stackIn(testApp(), 'prod');
    const vpc = new FintechVpc(stack, 'Network');
    const s3 = vpc.gatewayEndpointPrefixListId('s3');
    expect(vpc.gatewayEndpointPrefixListId('s3')).toBe(s3);
    const dynamodb = vpc.gatewayEndpointPrefixListId('dynamodb');
    expect(dynamodb).not.toBe(s3);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AWS', 2);
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('Custom::AWS', {
        Create: Match.serializedJson(Match.objectLike({
          service: 'EC2',
          action: 'describePrefixLists',
          parameters: { Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.eu-west-1.${service}`] }] },
          outputPaths: ['PrefixLists.0.PrefixListId'],
        })),
      });
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ec2:DescribePrefixLists', Effect: 'Allow', Resource: '*' }] },
    });
    expect(stack.resolve(s3)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^NetworkS3PrefixList/), 'PrefixLists.0.PrefixListId'] });
  });

  test('isFintechVpc tells a FintechVpc (also one of another copy of the library) from other values', () => {
    const { stack, vpc } = vpcIn('dev');
    expect(FintechVpc.isFintechVpc(vpc)).toBe(true);
    expect(FintechVpc.isFintechVpc(new ec2.Vpc(stack, 'Plain'))).toBe(false);
    expect(FintechVpc.isFintechVpc(undefined)).toBe(false);
    expect(FintechVpc.isFintechVpc('vpc')).toBe(false);
    // What a second copy of the class would carry: the same registered symbol.
    expect(FintechVpc.isFintechVpc({ [Symbol.for('fintech-infra-template.FintechVpc')]: true })).toBe(true);
  });
});
