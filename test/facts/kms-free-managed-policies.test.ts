import { KMS_FREE_MANAGED_POLICIES } from '../../src/facts/kms-free-managed-policies';

describe('KMS_FREE_MANAGED_POLICIES', () => {
  test('every entry is an AWS managed policy name (with its path), unique regardless of case, and none of the broad ones', () => {
    for (const name of KMS_FREE_MANAGED_POLICIES) expect(name).toMatch(/^(service-role\/)?[A-Z][A-Za-z0-9]+$/);
    const lower = KMS_FREE_MANAGED_POLICIES.map(name => name.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    for (const broad of ['AdministratorAccess', 'PowerUserAccess', 'AWSKeyManagementServicePowerUser']) expect(KMS_FREE_MANAGED_POLICIES).not.toContain(broad);
  });
});
