/**
 * Aurora PostgreSQL engine version `SecureDatabase` creates clusters with: 17.7, a minor of the newest major that
 * aws-cdk-lib 2.257.0 lists in `AuroraPostgresEngineVersion` (read 2026-12; 17.9 is the newest it lists). Its release and
 * end-of-support dates are in the Aurora PostgreSQL Release Notes, "Release calendars for Aurora PostgreSQL"; check that a
 * region offers it with `aws rds describe-db-engine-versions --engine aurora-postgresql`. Later minors arrive through auto
 * minor version upgrade.
 */
export const AURORA_POSTGRES_ENGINE_VERSION = { full: '17.7', major: '17' } as const;

/**
 * Aurora Serverless v2 capacity range, in Aurora capacity units: 0 (auto-pause) to 256, in steps of 0.5; the maximum is at
 * least 1. 256 and 0 need recent engine versions, which 17.x is. One ACU is about 2 GiB of memory. Source: Amazon Aurora
 * User Guide, "Requirements and limitations for Aurora Serverless v2" and "Performance and scaling for Aurora
 * Serverless v2", checked 2026-12.
 */
export const AURORA_SERVERLESS_V2_CAPACITY = { minAcu: 0, maxAcu: 256, step: 0.5, lowestMaximumAcu: 1, memoryGiBPerAcu: 2 } as const;

/**
 * Default `max_connections` of an Aurora PostgreSQL Serverless v2 instance by the cluster's maximum ACU (the value is set
 * from the memory of the maximum capacity), for the maxima the documentation tabulates; a maximum between two rows gets at
 * least the lower row's value. Source: Amazon Aurora User Guide, "Performance and scaling for Aurora Serverless v2",
 * section "Maximum connections for Aurora Serverless v2", checked 2026-12.
 */
export const AURORA_POSTGRES_SERVERLESS_MAX_CONNECTIONS: readonly { readonly maxAcu: number; readonly maxConnections: number }[] = [
  { maxAcu: 1, maxConnections: 189 },
  { maxAcu: 4, maxConnections: 823 },
  { maxAcu: 8, maxConnections: 1669 },
  { maxAcu: 16, maxConnections: 3360 },
  { maxAcu: 32, maxConnections: 5000 },
  { maxAcu: 64, maxConnections: 5000 },
  { maxAcu: 128, maxConnections: 5000 },
  { maxAcu: 256, maxConnections: 5000 },
];

/**
 * With a minimum capacity of 0 or 0.5 ACU, Aurora PostgreSQL caps the default `max_connections` of Serverless v2 instances at
 * 2,000, whatever the maximum. Same source as `AURORA_POSTGRES_SERVERLESS_MAX_CONNECTIONS`, checked 2026-12.
 */
export const AURORA_POSTGRES_LOW_MINIMUM_CONNECTION_CAP = { atOrBelowMinAcu: 0.5, maxConnections: 2000 } as const;

/**
 * Default `max_connections` of a provisioned Aurora PostgreSQL instance: `LEAST({DBInstanceClassMemory/9531392}, 5000)`.
 * Source: Amazon Aurora User Guide, "Maximum connections to an Aurora PostgreSQL DB instance", checked 2026-12.
 */
export const AURORA_POSTGRES_MAX_CONNECTIONS_FORMULA = { bytesPerConnection: 9531392, ceiling: 5000 } as const;

/**
 * Memory in GiB of the Aurora PostgreSQL instance sizes of the memory-optimized (r5, r6g, r6i, r7g, r7i, r8g: 8 GiB per vCPU)
 * and burstable (t3, t4g) classes. Source: Amazon Aurora User Guide, "Hardware specifications for DB instance classes for
 * Aurora", checked 2026-12. Other classes are not listed: give their memory yourself.
 */
export const AURORA_INSTANCE_MEMORY_GIB: { readonly [instanceClass: string]: number } = {
  ...sizes(['r5', 'r6g', 'r6i', 'r7g', 'r7i', 'r8g'], {
    'large': 16, 'xlarge': 32, '2xlarge': 64, '4xlarge': 128, '8xlarge': 256, '12xlarge': 384, '16xlarge': 512, '24xlarge': 768,
  }),
  ...sizes(['t3', 't4g'], { medium: 4, large: 8 }),
};

/** Automated backup retention Aurora accepts, in days. Source: Amazon RDS API Reference, CreateDBCluster `BackupRetentionPeriod`, checked 2026-12. */
export const AURORA_BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;

/** Ports an Aurora PostgreSQL cluster may listen on, and its default. Source: Amazon RDS API Reference, CreateDBCluster `Port`, checked 2026-12. */
export const AURORA_PORTS = { min: 1150, max: 65535, postgresDefault: 5432 } as const;

/** Readers (Aurora Replicas) a cluster may have besides its writer. Source: Amazon Aurora User Guide, "Aurora Replicas", checked 2026-12. */
export const AURORA_MAX_READERS = 15;

/** Days between scheduled rotations Secrets Manager accepts. Source: Secrets Manager API Reference, RotationRulesType `AutomaticallyAfterDays`, checked 2026-12. */
export const SECRET_ROTATION_DAYS = { min: 1, max: 1000 } as const;

/** The log group RDS exports a cluster's PostgreSQL log to. Source: Amazon Aurora User Guide, "Publishing Aurora PostgreSQL logs to Amazon CloudWatch Logs", checked 2026-12. */
export function auroraPostgresLogGroupName(clusterIdentifier: string): string {
  return `/aws/rds/cluster/${clusterIdentifier}/postgresql`;
}

/** Default `max_connections` of a Serverless v2 instance with this capacity range (the two facts above combined). */
export function auroraServerlessMaxConnections(minAcu: number, maxAcu: number): number {
  const rows = AURORA_POSTGRES_SERVERLESS_MAX_CONNECTIONS.filter(row => row.maxAcu <= maxAcu);
  const byMaximum = rows.length > 0 ? rows[rows.length - 1].maxConnections : AURORA_POSTGRES_SERVERLESS_MAX_CONNECTIONS[0].maxConnections;
  const cap = AURORA_POSTGRES_LOW_MINIMUM_CONNECTION_CAP;
  return minAcu <= cap.atOrBelowMinAcu ? Math.min(byMaximum, cap.maxConnections) : byMaximum;
}

/** Default `max_connections` of a provisioned instance with this much memory. */
export function auroraProvisionedMaxConnections(memoryGiB: number): number {
  const { bytesPerConnection, ceiling } = AURORA_POSTGRES_MAX_CONNECTIONS_FORMULA;
  return Math.min(Math.floor((memoryGiB * 1024 ** 3) / bytesPerConnection), ceiling);
}

function sizes(families: readonly string[], memory: { readonly [size: string]: number }): { [instanceClass: string]: number } {
  const result: { [instanceClass: string]: number } = {};
  for (const family of families) {
    for (const [size, gib] of Object.entries(memory)) result[`${family}.${size}`] = gib;
  }
  return result;
}
