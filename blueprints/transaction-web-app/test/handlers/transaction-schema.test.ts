import { checkAppRoleName, DEFAULT_APP_ROLE, transactionSchemaStatements } from '../../src/handlers/transaction-schema';

describe('transactionSchemaStatements', () => {
  test('creates the table and its index, the IAM-only role, and grants it exactly SELECT and INSERT', () => {
    const statements = transactionSchemaStatements('payments_api');
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS transactions/);
    expect(statements).toContain('CREATE INDEX IF NOT EXISTS transactions_newest ON transactions (created_at DESC, seq DESC)');
    expect(statements).toContain('GRANT rds_iam TO "payments_api"');
    expect(statements).toContain('ALTER ROLE "payments_api" LOGIN PASSWORD NULL');
    expect(statements.slice(-2)).toEqual(['REVOKE ALL ON TABLE transactions FROM "payments_api"', 'GRANT SELECT, INSERT ON TABLE transactions TO "payments_api"']);
    expect(statements.join('\n')).not.toMatch(/GRANT (ALL|UPDATE|DELETE|TRUNCATE)/);
  });

  test('the default role is transaction_api', () => {
    expect(transactionSchemaStatements()).toContain(`GRANT rds_iam TO "${DEFAULT_APP_ROLE}"`);
    expect(DEFAULT_APP_ROLE).toBe('transaction_api');
  });

  test.each([
    ['an injection', 'x"; DROP TABLE transactions; --'],
    ['capitals', 'TransactionApi'],
    ['a PostgreSQL role', 'pg_read_all_data'],
    ['an RDS role', 'rdsadmin'],
    ['rds_iam itself', 'rds_iam'],
    ['the superuser', 'postgres'],
    ['PUBLIC', 'public'],
    ['a leading digit', '1api'],
    ['an empty name', ''],
    ['64 characters', 'a'.repeat(64)],
  ])('refuses %s as the role name, saying what a good one looks like', (_, role) => {
    expect(() => checkAppRoleName(role)).toThrow(/is not a usable role name: use 1 to 63 lower-case letters.*such as "transaction_api"/);
    expect(() => transactionSchemaStatements(role)).toThrow(/not a usable role name/);
  });
});
