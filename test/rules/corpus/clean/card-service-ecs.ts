import { App, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, alertTopic, cardApiTask, dataKey, rateAlarm, removalFor, tagWorkload } from '../careful-team';

/** A Fargate service behind an HTTPS load balancer, with circuit breaker, grace period and a container health check. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `CardService-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-service');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  vpc.addInterfaceEndpoint('EcrApi', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
  vpc.addInterfaceEndpoint('Logs', { service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS });

  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  const logGroup = new logs.LogGroup(stack, 'CardApiLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const taskDefinition = cardApiTask(stack, ecs.LogDrivers.awsLogs({ streamPrefix: 'card-api', logGroup }));
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: 2,
    circuitBreaker: { enable: true, rollback: true },
    healthCheckGracePeriod: Duration.seconds(60),
    minHealthyPercent: 100,
  });

  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
  const https = alb.addListener('Https', { port: 443, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS });
  alb.addRedirect({ sourcePort: 80, targetPort: 443 });
  const targets = https.addTargets('CardApi', { port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targets: [service], healthCheck: { path: '/health' } });

  const errorRate = rateAlarm(stack, 'AlbErrorRate',
    alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum' }), alb.metrics.requestCount({ statistic: 'Sum' }),
    { description: 'Card API 5xx above 2% in 3 of 5 minutes: runbook https://wiki.example.com/runbooks/card-api', threshold: 2 });
  const unhealthy = targets.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }).createAlarm(stack, 'UnhealthyHosts', {
    alarmDescription: 'A card API task is unhealthy for 3 of 5 minutes.',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const memory = service.metricMemoryUtilization({ period: Duration.minutes(5) }).createAlarm(stack, 'ServiceMemory', {
    alarmDescription: 'Card API memory above 85% for 15 minutes: scale out or look for a leak.',
    threshold: 85,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.MISSING,
  });
  for (const alarm of [errorRate, unhealthy, memory]) alarm.addAlarmAction(new actions.SnsAction(topic));
}
