import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DATABASE_ACU_UTILIZATION_PERCENT, DATABASE_CONNECTIONS_PERCENT, DATABASE_CPU_PERCENT, DATABASE_FREEABLE_MEMORY_PERCENT, DATABASE_REPLICA_LAG,
  databaseMetric, monitorDatabase,
} from '../../src/alarms/monitor-database';
import { stackIn, testApp } from '../support/fintech-fixture';

function plainCluster() {
  const stack = stackIn(testApp(), 'dev');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_7 }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  });
  return { stack, cluster };
}

describe('monitorDatabase', () => {
  test('works on a plain DatabaseCluster: CPU, memory and connections always; ACU and lag only where they apply', () => {
    const { stack, cluster } = plainCluster();
    const alarms = monitorDatabase(cluster, cluster, { memoryGiB: 4, maxConnections: 189, serverless: false, readers: false });
    expect([alarms.acuUtilization, alarms.replicaLag]).toEqual([undefined, undefined]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: DATABASE_CPU_PERCENT, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FreeableMemory', Threshold: Math.round(4 * 1024 ** 3 * DATABASE_FREEABLE_MEMORY_PERCENT / 100) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DatabaseConnections',
      Threshold: Math.floor(189 * DATABASE_CONNECTIONS_PERCENT / 100),
      AlarmDescription: Match.stringLikeRegexp('max_connections 189'),
    });
    expect(alarms.cpu.node.path).toBe('dev/Workload/Cluster/CpuAlarm');
  });

  test('Serverless v2 with readers: ACU utilisation and replica lag in milliseconds, on a topic of choice', () => {
    const { stack, cluster } = plainCluster();
    const alertTopic = new sns.Topic(stack, 'Pager');
    const capacity = { memoryGiB: 32, maxConnections: 2000, serverless: true, readers: true };
    const alarms = monitorDatabase(cluster, cluster, capacity, { alertTopic, replicaLag: Duration.millis(500) });
    const template = Template.fromStack(stack);
    const topic = stack.resolve(alertTopic.topicArn);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ACUUtilization', Threshold: DATABASE_ACU_UTILIZATION_PERCENT, AlarmActions: [topic], OKActions: [topic] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuroraReplicaLagMaximum', Statistic: 'Maximum', Threshold: 500, AlarmActions: [topic] });
    expect(alarms.replicaLag?.node.id).toBe('ReplicaLagAlarm');
    expect(DATABASE_REPLICA_LAG.toSeconds()).toBe(2);
  });

  test('metrics are per cluster, reduced over its instances', () => {
    const { stack, cluster } = plainCluster();
    const metric = databaseMetric(cluster, 'CPUUtilization', 'Maximum');
    expect(metric.namespace).toBe('AWS/RDS');
    expect(stack.resolve(metric.dimensions)).toEqual({ DBClusterIdentifier: stack.resolve(cluster.clusterIdentifier) });
    expect(metric.period.toMinutes()).toBe(5);
  });

  test.each([
    [{ cpuPercent: 0 }, 'monitoring.cpuPercent 0 is not a percentage above 0 and below 100; use e.g. 80, or drop it for that default.'],
    [{ freeableMemoryPercent: 100 }, 'monitoring.freeableMemoryPercent 100 is not a percentage above 0 and below 100; use e.g. 10'],
    [{ acuUtilizationPercent: 120 }, 'monitoring.acuUtilizationPercent 120 is not a percentage'],
    [{ replicaLag: Duration.seconds(0) }, 'monitoring.replicaLag 0 seconds must be longer than zero; drop it for the default 2 seconds.'],
  ])('refuses %j naming the owner and the option', (options, message) => {
    const { cluster } = plainCluster();
    expect(() => monitorDatabase(cluster, cluster, { memoryGiB: 4, maxConnections: 189, serverless: true, readers: true }, { owner: 'SecureDatabase at dev/Workload/Cluster', ...options }))
      .toThrow(`SecureDatabase at dev/Workload/Cluster: ${message}`);
  });
});
