import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { hygienicAlarm } from './hygienic-alarm';
import { DatabaseMonitoringOptions } from './monitor-options';
import { ALARM_PERIOD } from './monitoring-defaults';

// Defaults of DatabaseMonitoringOptions, each with why (C09). Kept here: only database alarms use them.
/** CPU above 80% for most of 15 minutes leaves no headroom for a burst or a failover onto a reader. */
export const DATABASE_CPU_PERCENT = 80;
/** Below 10% of the instance's memory free, PostgreSQL starts swapping or is killed for memory. */
export const DATABASE_FREEABLE_MEMORY_PERCENT = 10;
/** At 80% of max_connections new connections are about to be refused: time to find the leaking pool. */
export const DATABASE_CONNECTIONS_PERCENT = 80;
/** At 90% of the maximum ACU, Serverless v2 has almost nowhere left to scale. */
export const DATABASE_ACU_UTILIZATION_PERCENT = 90;
/** Readers two seconds behind serve balances that are visibly stale; Aurora replicas usually lag well under 100 ms. */
export const DATABASE_REPLICA_LAG = Duration.seconds(2);

/** What `monitorDatabase` needs to know about the cluster's capacity; internal. */
export interface DatabaseCapacity {
  /** Memory of one instance at its largest, in GiB (for Serverless v2, the maximum ACU's memory). */
  readonly memoryGiB: number;
  /** Default `max_connections` of one instance. */
  readonly maxConnections: number;
  /** Whether the instances are Serverless v2 (adds the ACU utilisation alarm). */
  readonly serverless: boolean;
  /** Whether the cluster has readers (adds the replica lag alarm). */
  readonly readers: boolean;
}

/** Options of `monitorDatabase`; internal. */
export interface DatabaseAlarmOptions extends DatabaseMonitoringOptions {
  /** Who asks, for error messages. @default - 'Database monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of an Aurora cluster. */
export interface DatabaseAlarms {
  /** CPU of the busiest instance. */
  readonly cpu: cloudwatch.Alarm;
  /** Freeable memory of the instance with the least. */
  readonly freeableMemory: cloudwatch.Alarm;
  /** Connections of the busiest instance against its max_connections. */
  readonly connections: cloudwatch.Alarm;
  /** Serverless v2 capacity used against the maximum ACU; only for Serverless v2. */
  readonly acuUtilization?: cloudwatch.Alarm;
  /** How far the readers are behind the writer; only with readers. */
  readonly replicaLag?: cloudwatch.Alarm;
}

/** A per-instance metric of the cluster (the DBClusterIdentifier dimension), reduced over its instances with `statistic`. */
export function databaseMetric(cluster: rds.IDatabaseCluster, metricName: string, statistic: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/RDS',
    metricName,
    dimensionsMap: { DBClusterIdentifier: cluster.clusterIdentifier },
    statistic,
    period: ALARM_PERIOD,
  });
}

/**
 * Alarms on an Aurora PostgreSQL cluster (C09): CPU, freeable memory, connections near max_connections, and, where they
 * apply, Serverless v2 capacity near its maximum and reader lag. Each is judged on the worst instance (Maximum or Minimum
 * over the cluster's instances). Alarms are created in `scope`, routed like every library alarm (C08).
 */
export function monitorDatabase(
  scope: Construct, cluster: rds.IDatabaseCluster, capacity: DatabaseCapacity, options: DatabaseAlarmOptions = {},
): DatabaseAlarms {
  const owner = options.owner ?? `Database monitoring at ${scope.node.path}`;
  const cpuPercent = percentOption(owner, 'cpuPercent', options.cpuPercent, DATABASE_CPU_PERCENT);
  const memoryPercent = percentOption(owner, 'freeableMemoryPercent', options.freeableMemoryPercent, DATABASE_FREEABLE_MEMORY_PERCENT);
  const connectionsPercent = percentOption(owner, 'connectionsPercent', options.connectionsPercent, DATABASE_CONNECTIONS_PERCENT);
  const acuPercent = percentOption(owner, 'acuUtilizationPercent', options.acuUtilizationPercent, DATABASE_ACU_UTILIZATION_PERCENT);
  const replicaLag = options.replicaLag ?? DATABASE_REPLICA_LAG;
  if (!replicaLag.isUnresolved() && replicaLag.toMilliseconds() <= 0) {
    throw new Error(`${owner}: monitoring.replicaLag ${replicaLag.toHumanString()} must be longer than zero; drop it for the default ${DATABASE_REPLICA_LAG.toHumanString()}.`);
  }
  const topic: { alertTopic?: sns.ITopic } = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const path = scope.node.path;

  const cpu = hygienicAlarm(scope, 'CpuAlarm', {
    owner,
    metric: databaseMetric(cluster, 'CPUUtilization', cloudwatch.Stats.MAXIMUM),
    threshold: cpuPercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `An instance of database ${path} runs above ${cpuPercent}% CPU: queries slow down and a failover would land on a busy reader. ` +
      'Look at the top SQL in Performance Insights; scale up if the load is real.',
    ...topic,
  });
  const memoryBytes = Math.round(capacity.memoryGiB * 1024 ** 3 * memoryPercent / 100);
  const freeableMemory = hygienicAlarm(scope, 'FreeableMemoryAlarm', {
    owner,
    metric: databaseMetric(cluster, 'FreeableMemory', cloudwatch.Stats.MINIMUM),
    threshold: memoryBytes,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    description: `An instance of database ${path} has less than ${memoryPercent}% of its ${capacity.memoryGiB} GiB memory free: it is about to swap or restart. ` +
      'Check connections and work_mem-heavy queries in Performance Insights; scale up if the load is real.',
    ...topic,
  });
  const connectionLimit = Math.floor(capacity.maxConnections * connectionsPercent / 100);
  const connections = hygienicAlarm(scope, 'ConnectionsAlarm', {
    owner,
    metric: databaseMetric(cluster, 'DatabaseConnections', cloudwatch.Stats.MAXIMUM),
    threshold: connectionLimit,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `An instance of database ${path} holds more than ${connectionLimit} connections, ${connectionsPercent}% of its max_connections ${capacity.maxConnections}: ` +
      'new connections will soon be refused. Look for a client that leaks connections or pools too many; consider RDS Proxy.',
    ...topic,
  });

  const alarms: { -readonly [K in keyof DatabaseAlarms]: DatabaseAlarms[K] } = { cpu, freeableMemory, connections };
  if (capacity.serverless) {
    alarms.acuUtilization = hygienicAlarm(scope, 'AcuUtilizationAlarm', {
      owner,
      metric: databaseMetric(cluster, 'ACUUtilization', cloudwatch.Stats.MAXIMUM),
      threshold: acuPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `An instance of database ${path} uses more than ${acuPercent}% of its maximum Serverless v2 capacity: it cannot scale much further. ` +
        'Raise the maximum ACU, or find the queries that need it in Performance Insights.',
      ...topic,
    });
  }
  if (capacity.readers) {
    alarms.replicaLag = hygienicAlarm(scope, 'ReplicaLagAlarm', {
      owner,
      // Reported by the writer: the largest lag of any reader, in milliseconds.
      metric: databaseMetric(cluster, 'AuroraReplicaLagMaximum', cloudwatch.Stats.MAXIMUM),
      threshold: replicaLag.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `The readers of database ${path} are more than ${replicaLag.toHumanString()} behind the writer: reads from the reader endpoint are stale. ` +
        'Check the writer\'s write load and the readers\' CPU; a lagging reader is also a slow failover target.',
      ...topic,
    });
  }
  return alarms;
}

function percentOption(owner: string, option: string, value: number | undefined, defaultValue: number): number {
  if (value === undefined) return defaultValue;
  if (!Token.isUnresolved(value) && !(value > 0 && value < 100)) {
    throw new Error(`${owner}: monitoring.${option} ${value} is not a percentage above 0 and below 100; use e.g. ${defaultValue}, or drop it for that default.`);
  }
  return value;
}
