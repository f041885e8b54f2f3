import {
  AURORA_INSTANCE_MEMORY_GIB, AURORA_POSTGRES_ENGINE_VERSION, AURORA_POSTGRES_SERVERLESS_MAX_CONNECTIONS, AURORA_SERVERLESS_V2_CAPACITY,
  auroraPostgresLogGroupName, auroraProvisionedMaxConnections, auroraServerlessMaxConnections,
} from '../../src/facts/aurora-postgres';

describe('Aurora PostgreSQL facts', () => {
  test('the engine version is a minor of its major', () => {
    expect(AURORA_POSTGRES_ENGINE_VERSION.full.startsWith(`${AURORA_POSTGRES_ENGINE_VERSION.major}.`)).toBe(true);
  });

  test('the serverless connection table grows with the maximum ACU and stays within Aurora\'s range', () => {
    const rows = AURORA_POSTGRES_SERVERLESS_MAX_CONNECTIONS;
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].maxAcu).toBeGreaterThan(rows[i - 1].maxAcu);
      expect(rows[i].maxConnections).toBeGreaterThanOrEqual(rows[i - 1].maxConnections);
    }
    expect(rows[0].maxAcu).toBe(AURORA_SERVERLESS_V2_CAPACITY.lowestMaximumAcu);
    expect(rows[rows.length - 1].maxAcu).toBe(AURORA_SERVERLESS_V2_CAPACITY.maxAcu);
  });

  test.each([
    [1, 1, 189], [1, 4, 823], [1, 6, 823], [1, 16, 3360], [2, 256, 5000],
    // A minimum of 0 or 0.5 ACU caps the default at 2,000.
    [0.5, 16, 2000], [0, 256, 2000], [0.5, 8, 1669],
  ])('Serverless v2 from %p to %p ACU: max_connections %p', (min, max, expected) => {
    expect(auroraServerlessMaxConnections(min, max)).toBe(expected);
  });

  test('provisioned: memory over 9,531,392 bytes per connection, at most 5,000', () => {
    expect(auroraProvisionedMaxConnections(AURORA_INSTANCE_MEMORY_GIB['r6g.large'])).toBe(1802);
    expect(auroraProvisionedMaxConnections(AURORA_INSTANCE_MEMORY_GIB['r7g.xlarge'])).toBe(3604);
    expect(auroraProvisionedMaxConnections(AURORA_INSTANCE_MEMORY_GIB['r8g.24xlarge'])).toBe(5000);
    expect(AURORA_INSTANCE_MEMORY_GIB['t4g.medium']).toBe(4);
    expect(AURORA_INSTANCE_MEMORY_GIB['x2g.large']).toBeUndefined();
  });

  // Cluster identifiers are held to NAME_LIMITS.rdsIdentifier (test/facts/name-limits.test.ts).
  test('the log group RDS exports to', () => {
    expect(auroraPostgresLogGroupName('ledger-prod')).toBe('/aws/rds/cluster/ledger-prod/postgresql');
  });
});
