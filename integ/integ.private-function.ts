import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { FintechVpc, NameKind, PhysicalName, SecureQueue, TracedFunction } from '../src';
import { integStage } from './integ-stage';

// A TracedFunction in the isolated subnets of a FintechVpc without any internet path reaches SQS through the VPC's
// SQS endpoint, behind a security group of its own that admits nothing and lets only HTTPS out.
const app = new App();
const stage = integStage(app, 'private-functions', 'platform-alerts@example.com');
const stack = new Stack(stage, 'PrivateFunction');
const vpc = new FintechVpc(stack, 'Network', { internetAccess: false, maxAzs: 2, endpoints: ['sqs', 'dynamodb'] });
const queue = new SecureQueue(stack, 'Payments');
const fn = new TracedFunction(stack, 'Sender', {
  entry: path.join(__dirname, 'handlers', 'send-to-queue.ts'),
  nameBase: 'sender',
  vpc,
  // The first call of a new network interface and a cold SDK client take a few seconds.
  timeout: Duration.seconds(15),
  environment: { QUEUE_URL: queue.queueUrl },
});
queue.grantSendMessages(fn);

// Assertions name the function by physical name: a token would be a reference across the stage boundary.
const functionName = PhysicalName.of(fn, 'sender', { kind: NameKind.LAMBDA_FUNCTION });
const integ = new IntegTest(app, 'PrivateFunctionInteg', { testCases: [stack], regions: [stage.environment.region] });

// The VPC has no internet gateway, so a message id back (an error would return errorType and errorMessage instead)
// means the call went through the SQS endpoint.
// The VPC id is a token of the stage's stack; the assertions find the VPC by its Name tag, a plain string.
const vpcId = integ.assertions
  .awsApiCall('EC2', 'describeVpcs', { Filters: [{ Name: 'tag:Name', Values: [vpc.vpcNameTag] }] })
  .getAttString('Vpcs.0.VpcId');
integ.assertions
  .awsApiCall('EC2', 'describeInternetGateways', { Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] })
  .expect(ExpectedResult.objectLike({ InternetGateways: [] }));

integ.assertions
  .invokeFunction({ functionName, payload: JSON.stringify({ paymentId: 'pay-1' }) })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson({ messageId: Match.stringLikeRegexp('.+') }) }));

// Its own security group: no inbound rule, and one outbound permission, TCP 443, to the endpoint group and the
// DynamoDB prefix list only (no address range at all).
const groupId = integ.assertions
  .awsApiCall('Lambda', 'getFunctionConfiguration', { FunctionName: functionName })
  .getAttString('VpcConfig.SecurityGroupIds.0');
integ.assertions
  .awsApiCall('EC2', 'describeSecurityGroups', { GroupIds: [groupId] })
  .expect(ExpectedResult.objectLike({
    SecurityGroups: [Match.objectLike({
      IpPermissions: [],
      IpPermissionsEgress: [Match.objectLike({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [],
        UserIdGroupPairs: [Match.objectLike({ GroupId: Match.stringLikeRegexp('^sg-') })],
        PrefixListIds: [Match.objectLike({ PrefixListId: Match.stringLikeRegexp('^pl-') })],
      })],
    })],
  }));

app.synth();
