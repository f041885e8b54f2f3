import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { FintechVpc } from '../src';
import { integStage } from './integ-stage';

// A deployed FintechVpc without internet access has no way out of the VPC: no internet or NAT gateway, and no route
// to one from any of its route tables. AWS is reached through the endpoints named, the gateway ones limited by policy
// to the account's buckets and tables.
const app = new App();
const stage = integStage(app, 'private-network');
const stack = new Stack(stage, 'PrivateVpc');
const vpc = new FintechVpc(stack, 'Network', { internetAccess: false, maxAzs: 2, endpoints: ['sqs', 'sns', 'kms', 'xray', 'logs', 'dynamodb', 's3'] });

const integ = new IntegTest(app, 'PrivateVpcInteg', { testCases: [stack], regions: [stage.environment.region] });
const region = stage.environment.region;

// The VPC id is a token of the stage's stack; the assertions find the VPC by its Name tag, a plain string.
const vpcId = integ.assertions
  .awsApiCall('EC2', 'describeVpcs', { Filters: [{ Name: 'tag:Name', Values: [vpc.vpcNameTag] }] })
  .getAttString('Vpcs.0.VpcId');
const inVpc = { Name: 'vpc-id', Values: [vpcId] };

integ.assertions
  .awsApiCall('EC2', 'describeInternetGateways', { Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] })
  .expect(ExpectedResult.objectLike({ InternetGateways: [] }));
integ.assertions
  .awsApiCall('EC2', 'describeNatGateways', { Filter: [inVpc] })
  .expect(ExpectedResult.objectLike({ NatGateways: [] }));

// No route table of the VPC routes to an internet gateway, a NAT gateway or anywhere outside the VPC.
for (const [name, value] of [['route.gateway-id', 'igw-*'], ['route.nat-gateway-id', 'nat-*'], ['route.destination-cidr-block', '0.0.0.0/0']]) {
  integ.assertions
    .awsApiCall('EC2', 'describeRouteTables', { Filters: [inVpc, { Name: name, Values: [value] }] })
    .expect(ExpectedResult.objectLike({ RouteTables: [] }));
}
// The same wildcard filter does find the two isolated route tables by their gateway endpoint routes, so the empty
// answers above are not the filter's doing.
integ.assertions
  .awsApiCall('EC2', 'describeRouteTables', { Filters: [inVpc, { Name: 'route.gateway-id', Values: ['vpce-*'] }] })
  .expect(ExpectedResult.objectLike({ RouteTables: [Match.objectLike({ VpcId: vpcId }), Match.objectLike({ VpcId: vpcId })] }));

for (const name of Object.keys(vpc.interfaceEndpoints)) {
  integ.assertions
    .awsApiCall('EC2', 'describeVpcEndpoints', { Filters: [inVpc, { Name: 'service-name', Values: [`com.amazonaws.${region}.${name}`] }] })
    .expect(ExpectedResult.objectLike({
      VpcEndpoints: [Match.objectLike({
        VpcEndpointType: 'Interface',
        State: 'available',
        PrivateDnsEnabled: true,
        Groups: [Match.objectLike({ GroupName: Match.stringLikeRegexp('EndpointSecurityGroup') })],
      })],
    }));
}

// Each gateway endpoint is on both isolated route tables, with the policy that admits the account's resources only.
const routeTables = [1, 2].map(() => Match.stringLikeRegexp('^rtb-'));
const accountStatements: Record<string, object> = {
  s3: { Sid: 'AccountBuckets', Action: 's3:*', Condition: { StringEquals: { 'aws:ResourceAccount': Match.stringLikeRegexp('^[0-9]{12}$') } } },
  dynamodb: { Sid: 'AccountTables', Action: 'dynamodb:*', Resource: Match.stringLikeRegexp(`^arn:aws:dynamodb:${region}:[0-9]{12}:table/\\*$`) },
};
for (const name of Object.keys(vpc.gatewayEndpoints)) {
  integ.assertions
    .awsApiCall('EC2', 'describeVpcEndpoints', { Filters: [inVpc, { Name: 'service-name', Values: [`com.amazonaws.${region}.${name}`] }] })
    .expect(ExpectedResult.objectLike({
      VpcEndpoints: [Match.objectLike({
        VpcEndpointType: 'Gateway',
        State: 'available',
        RouteTableIds: routeTables,
        PolicyDocument: Match.serializedJson(Match.objectLike({ Statement: Match.arrayWith([Match.objectLike(accountStatements[name])]) })),
      })],
    }));
}

app.synth();
