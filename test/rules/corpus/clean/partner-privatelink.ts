import { App, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, alertTopic, dataKey, errorRateAlarm, firstMessageAlarm, handler, rateAlarm, removalFor, serviceLogBucket, tagWorkload, workflowFailureAlarm, workQueue } from '../careful-team';

/** The acquiring partner's AWS account, the only principal the endpoint service admits. */
const PARTNER_ACCOUNT = '210987654321';

/**
 * Card acquiring through a partner connected over PrivateLink: a TLS-only Network Load Balancer (TLS 1.2+ policy,
 * access logs) in front of an authorization function, exposed as a VPC endpoint service that only the partner's account
 * may connect to, with acceptance required; settlement requests go to the partner through a queue and a workflow that
 * waits for the partner's callback with a task token (heartbeat, timeout, retries, a catch).
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `AcquiringLink-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'acquiring');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'link', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const authorize = handler(stack, 'Authorize', stage);
  errorRateAlarm(stack, 'AuthorizeErrors', authorize, topic);

  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${ENV.region}:${ENV.account}:certificate/acquiring-${stage}`);
  // The authorizer behind an internal HTTPS load balancer, which the partner's network load balancer forwards to.
  const albGroup = new ec2.SecurityGroup(stack, 'AlbGroup', { vpc, allowAllOutbound: false, description: 'Internal authorizer load balancer' });
  albGroup.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'TLS from the partner link inside the VPC');
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'AuthorizerAlb', { vpc, internetFacing: false, securityGroup: albGroup, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const logBucket = serviceLogBucket(stack, 'LinkLogs', stage);
  alb.logAccessLogs(logBucket, 'alb');
  alb.addListener('Https', { port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, certificates: [certificate], open: false })
    .addTargets('Authorize', { targets: [new targets.LambdaTarget(authorize)] });

  const nlb = new elbv2.NetworkLoadBalancer(stack, 'PartnerNlb', { vpc, internetFacing: false, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  nlb.logAccessLogs(logBucket, 'nlb');
  nlb.addListener('Tls', { port: 443, protocol: elbv2.Protocol.TLS, sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS, certificates: [elbv2.ListenerCertificate.fromArn(certificate.certificateArn)] })
    .addTargets('Authorizer', { port: 443, protocol: elbv2.Protocol.TCP, targets: [new targets.AlbTarget(alb, 443)] });
  new ec2.VpcEndpointService(stack, 'PartnerEndpointService', {
    vpcEndpointServiceLoadBalancers: [nlb],
    acceptanceRequired: true,
    allowedPrincipals: [new iam.ArnPrincipal(`arn:aws:iam::${PARTNER_ACCOUNT}:root`)],
  });
  rateAlarm(stack, 'AuthorizerErrors',
    alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum' }), alb.metrics.requestCount({ statistic: 'Sum' }), {
      description: 'Authorizer error rate above 1% on the partner link: check the authorizer\'s logs, runbook https://wiki.example.com/runbooks/acquiring',
      threshold: 1,
      topic,
    });
  new cloudwatch.Alarm(stack, 'NlbUnhealthy', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/NetworkELB', metricName: 'UnHealthyHostCount', dimensionsMap: { LoadBalancer: nlb.loadBalancerFullName }, statistic: 'Maximum', period: Duration.minutes(1) }),
    alarmDescription: 'Unhealthy authorizer targets behind the partner link: check the targets, runbook https://wiki.example.com/runbooks/acquiring',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(new actions.SnsAction(topic));

  const { queue: toPartner, dlq } = workQueue(stack, 'ToPartner', key, stage);
  firstMessageAlarm(stack, 'ToPartnerDlqAlarm', dlq, topic);
  const requestSettlement = new tasks.SqsSendMessage(stack, 'RequestSettlement', {
    queue: toPartner,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    messageBody: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, batchId: sfn.JsonPath.stringAt('$.batchId') }),
    heartbeatTimeout: sfn.Timeout.duration(Duration.minutes(30)),
    taskTimeout: sfn.Timeout.duration(Duration.hours(6)),
  });
  requestSettlement.addRetry({ errors: ['SQS.SdkClientException', 'States.Timeout'], maxAttempts: 2, interval: Duration.minutes(1), backoffRate: 2 });
  requestSettlement.addCatch(new sfn.Fail(stack, 'SettlementFailed', { error: 'SettlementFailed' }), { errors: ['States.ALL'] });
  const workflowLogs = new logs.LogGroup(stack, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const workflow = new sfn.StateMachine(stack, 'Settlement', {
    definitionBody: sfn.DefinitionBody.fromChainable(requestSettlement),
    tracingEnabled: true,
    logs: { destination: workflowLogs, level: sfn.LogLevel.ERROR },
  });
  workflowFailureAlarm(stack, 'SettlementFailures', workflow, 'Settlement batches failing: open the failed execution, runbook https://wiki.example.com/runbooks/acquiring', topic);
}
