import { App, Duration, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, alertTopic, dataKey, removalFor, tagWorkload } from '../careful-team';

/** What a variant of the app gets wrong (for the defect corpus). */
export interface CoreLedgerEc2Options {
  /** Also run a month-end close task from the app's own rule, with neither dead-letter queue nor retry policy. */
  readonly monthEndWithoutDeadLetterQueue?: boolean;
}

/**
 * The core ledger on EC2 capacity (licensing pins it to instances): an Auto Scaling group of Graviton instances (IMDSv2,
 * encrypted volumes) as the cluster's capacity provider with managed termination protection, a ledger service with a
 * container health check and a rollback circuit breaker, and aws-ecs-patterns' nightly reconciliation task on Fargate.
 */
export function build(app: App, stage: string, options: CoreLedgerEc2Options = {}): void {
  const stack = new Stack(app, `CoreLedger-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'core-ledger');
  const key = dataKey(stack, 'Key', stage);
  alertTopic(stack, key);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const instances = new autoscaling.AutoScalingGroup(stack, 'Instances', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM),
    requireImdsv2: true,
    minCapacity: 2,
    maxCapacity: 6,
    blockDevices: [{ deviceName: '/dev/xvda', volume: autoscaling.BlockDeviceVolume.ebs(30, { encrypted: true }) }],
  });
  cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: instances, enableManagedTerminationProtection: true }));

  const ledger = new ecs.Ec2TaskDefinition(stack, 'Ledger');
  ledger.addContainer('ledger', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/core-ledger:7.2.0'),
    memoryLimitMiB: 2048,
    portMappings: [{ containerPort: 8443 }],
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: 'ledger',
      logGroup: new logs.LogGroup(stack, 'LedgerLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }),
    }),
    healthCheck: { command: ['CMD-SHELL', 'curl -fk https://localhost:8443/health || exit 1'], interval: Duration.seconds(30), retries: 3 },
  });
  new ecs.Ec2Service(stack, 'LedgerService', { cluster, taskDefinition: ledger, desiredCount: 2, circuitBreaker: { rollback: true } });

  const nightly = new ecsPatterns.ScheduledFargateTask(stack, 'NightlyReconciliation', {
    cluster,
    schedule: events.Schedule.cron({ hour: '2', minute: '30' }),
    subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    scheduledFargateTaskImageOptions: {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/reconciliation:3.1.4'),
      cpu: 512,
      memoryLimitMiB: 1024,
      logDriver: ecs.LogDrivers.awsLogs({
        streamPrefix: 'reconciliation',
        logGroup: new logs.LogGroup(stack, 'ReconciliationLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }),
      }),
    },
  });
  if (options.monthEndWithoutDeadLetterQueue) {
    new events.Rule(stack, 'MonthEndClose', {
      schedule: events.Schedule.cron({ day: 'L', hour: '22', minute: '0' }),
      targets: [new targets.EcsTask({
        cluster,
        taskDefinition: nightly.taskDefinition,
        subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      })],
    });
  }
}
