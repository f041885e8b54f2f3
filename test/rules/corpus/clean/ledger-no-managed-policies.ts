import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, handler, tagWorkload, workQueue } from '../careful-team';

/** A mistake the defect corpus makes in this app. */
export interface LedgerNoManagedPoliciesDefects {
  /** The statement letting Lambda manage network interfaces is copied into the role of a function outside the VPC. */
  readonly interfacesOutsideVpc?: boolean;
}

/**
 * A posting service whose team allows no AWS managed policy (cdk-nag's AwsSolutions-IAM4), so each function has a role
 * written by hand: its own log stream, X-Ray, its table and queue through grants, and, for the functions in the VPC,
 * the network-interface statement of AWSLambdaVPCAccessExecutionRole copied inline as the Lambda Developer Guide lists
 * it (the actions on "*", the describe actions too). Postings arrive on a queue; a nightly reader outside the VPC has
 * no such statement.
 */
export function build(app: App, stage: string, defects: LedgerNoManagedPoliciesDefects = {}): void {
  const stack = new Stack(app, `PostingService-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'posting-service');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
  });
  for (const [id, service] of [['Sqs', ec2.InterfaceVpcEndpointAwsService.SQS], ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
    ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS], ['XRay', ec2.InterfaceVpcEndpointAwsService.XRAY]] as const) {
    vpc.addInterfaceEndpoint(id, { service });
  }
  const postings = dataTable(stack, 'Postings', 'postingId', key, stage);
  const { queue } = workQueue(stack, 'Incoming', key, stage);

  // A role for one function: only Lambda assumes it; the statements are the team's, no managed policy.
  const roleFor = (id: string, inVpc: boolean) => {
    const role = new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }));
    if (inVpc) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: ['*'],
      }));
    }
    return role;
  };
  // Its own log stream, in the log group the function writes to.
  const writesItsLogs = (role: iam.Role, fn: lambda.Function) =>
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [fn.logGroup.logGroupArn] }));

  const postRole = roleFor('Post', true);
  const post = handler(stack, 'Post', stage, { vpc, role: postRole });
  writesItsLogs(postRole, post);
  postings.grantReadWriteData(post);
  queue.grantConsumeMessages(post);
  post.addEventSourceMapping('Incoming', { eventSourceArn: queue.queueArn, reportBatchItemFailures: true, batchSize: 10 });
  errorRateAlarm(stack, 'PostErrors', post, topic);

  const reportRole = roleFor('Report', defects.interfacesOutsideVpc === true);
  const report = handler(stack, 'Report', stage, { role: reportRole });
  writesItsLogs(reportRole, report);
  postings.grantReadData(report);
  errorRateAlarm(stack, 'ReportErrors', report, topic);
}
