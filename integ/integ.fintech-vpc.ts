import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { FintechVpc, NameKind, PhysicalName } from '../src';
import { integStage } from './integ-stage';

// A deployed FintechVpc routes S3 and DynamoDB through gateway endpoints, reaches AWS APIs through
// interface endpoints behind its endpoint security group, and records every flow.
const app = new App();
const stage = integStage(app, 'network');
const stack = new Stack(stage, 'FintechVpc');
const vpc = new FintechVpc(stack, 'Network', { maxAzs: 2 });

const integ = new IntegTest(app, 'FintechVpcInteg', { testCases: [stack], regions: [stage.environment.region] });
const region = stage.environment.region;

// The VPC id is a token of the stage's stack; the assertions find the VPC by its Name tag, a plain string.
const vpcId = integ.assertions
  .awsApiCall('EC2', 'describeVpcs', { Filters: [{ Name: 'tag:Name', Values: [vpc.vpcNameTag] }] })
  .getAttString('Vpcs.0.VpcId');

// Two zones of private and isolated subnets, each with its own route table: each gateway endpoint is on exactly four.
const routeTables = [1, 2, 3, 4].map(() => Match.stringLikeRegexp('^rtb-'));
for (const service of ['s3', 'dynamodb']) {
  integ.assertions
    .awsApiCall('EC2', 'describeVpcEndpoints', {
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'service-name', Values: [`com.amazonaws.${region}.${service}`] }],
    })
    .expect(ExpectedResult.objectLike({
      VpcEndpoints: [Match.objectLike({ VpcEndpointType: 'Gateway', State: 'available', RouteTableIds: routeTables })],
    }));
}

for (const service of Object.keys(vpc.interfaceEndpoints)) {
  integ.assertions
    .awsApiCall('EC2', 'describeVpcEndpoints', {
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'service-name', Values: [`com.amazonaws.${region}.${service}`] }],
    })
    .expect(ExpectedResult.objectLike({
      VpcEndpoints: [Match.objectLike({
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        Groups: [Match.objectLike({ GroupName: Match.stringLikeRegexp('EndpointSecurityGroup') })],
      })],
    }));
}

// The endpoint group admits exactly one rule: TCP 443 from the VPC's CIDR.
integ.assertions
  .awsApiCall('EC2', 'describeSecurityGroups', {
    Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'description', Values: ['Interface endpoints: HTTPS from inside the VPC only'] }],
  })
  .expect(ExpectedResult.objectLike({
    SecurityGroups: [Match.objectLike({
      IpPermissions: [Match.objectLike({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [Match.objectLike({ CidrIp: '10.0.0.0/16' })] })],
    })],
  }));

integ.assertions
  .awsApiCall('EC2', 'describeFlowLogs', { Filters: [{ Name: 'resource-id', Values: [vpcId] }] })
  .expect(ExpectedResult.objectLike({
    FlowLogs: [Match.objectLike({
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: PhysicalName.of(vpc, 'network-flow-logs', { kind: NameKind.LOG_GROUP }),
      FlowLogStatus: 'ACTIVE',
    })],
  }));

app.synth();
