import { DEFAULT_ENVIRONMENTS, formatProblems, stageTags, toApplicationName, validateEnvironments, validatePlatformConfig } from '../../src/config/config-validation';
import { FintechPlatformConfig } from '../../src/config/platform-config';

const valid: FintechPlatformConfig = {
  application: 'ledger',
  team: 'payments',
  costCenter: 'cc-1234',
  environments: [...DEFAULT_ENVIRONMENTS],
};

function problemsOf(overrides: Partial<FintechPlatformConfig>) {
  return validatePlatformConfig({ ...valid, ...overrides });
}

describe('validatePlatformConfig', () => {
  test('accepts the defaults', () => {
    expect(validatePlatformConfig(valid)).toEqual([]);
  });

  test.each([
    ['team', { team: '' }, /non-empty/],
    ['team', { team: '   ' }, /non-empty/],
    ['costCenter', { costCenter: '' }, /non-empty/],
    ['team', { team: 'pay<ments>' }, /tag values/],
    ['application', { application: 'Ledger_App' }, /lowercase/],
    ['application', { application: 'ledger-' }, /lowercase/],
    ['alarmEmail', { alarmEmail: 'oncall' }, /not an email/],
    ['extraTags.aws:owner', { extraTags: { 'aws:owner': 'x' } }, /must not start with "aws:"/],
    ['extraTags.Team', { extraTags: { Team: 'other' } }, /cannot be overridden/],
    ['extraTags.DataClassification', { extraTags: { DataClassification: 'a'.repeat(257) } }, /at most 256/],
    ['requiredTagKeys[4]', { requiredTagKeys: ['Environment', 'Team', 'CostCenter', 'Application', 'Owner'] }, /no option supplies this tag/],
    ['requiredTagKeys[0]', { requiredTagKeys: [''] }, /cannot be empty/],
    ['environments', { environments: [] }, /at least one environment/],
  ])('rejects %s', (option, overrides, message) => {
    const problems = problemsOf(overrides as Partial<FintechPlatformConfig>);
    expect(problems).toHaveLength(1);
    expect(problems[0].option).toBe(option);
    expect(problems[0].problem).toMatch(message);
  });

  test('a missing team or cost center names the projen new flag', () => {
    expect(problemsOf({ team: '', costCenter: '' }).map(p => p.fix)).toEqual([
      'pass --team=payments to projen new, or set team in .projenrc.ts',
      'pass --cost-center=cc-1234 to projen new, or set costCenter in .projenrc.ts',
    ]);
  });

  test('a required tag supplied by extraTags is fine', () => {
    expect(problemsOf({ extraTags: { Owner: 'ledger-team' }, requiredTagKeys: ['Team', 'Owner'] })).toEqual([]);
  });
});

describe('validateEnvironments', () => {
  test.each([
    ['environments[0].name', { name: 'Dev', region: 'us-east-1' }, /lowercase/],
    ['environments[0].name', { name: 'dev_1', region: 'us-east-1' }, /lowercase/],
    ['environments[0].name', { name: 'a-very-long-stage-name', region: 'us-east-1' }, /1-16/],
    ['environments[0].name', { name: '1dev', region: 'us-east-1' }, /start with a letter/],
    ['environments[0].account', { name: 'dev', account: '1234', region: 'us-east-1' }, /12 digits/],
    ['environments[0].account', { name: 'dev', account: 123456789012 as unknown as string, region: 'us-east-1' }, /written as a string/],
    ['environments[0].region', { name: 'dev', region: 'eu-west-9' }, /not an AWS region/],
    ['environments[0].durable', { name: 'dev', region: 'us-east-1', durable: 'yes' as unknown as boolean }, /true or false/],
  ])('rejects %s', (option, environment, message) => {
    const problems = validateEnvironments([environment]);
    expect(problems).toHaveLength(1);
    expect(problems[0].option).toBe(option);
    expect(problems[0].problem).toMatch(message);
  });

  test('rejects duplicate stage names and names the second one', () => {
    const problems = validateEnvironments([{ name: 'dev', region: 'us-east-1' }, { name: 'dev', region: 'eu-west-1' }]);
    expect(problems).toEqual([expect.objectContaining({ option: 'environments[1].name', problem: expect.stringMatching(/unique/) })]);
  });

  test('suggests the nearest region for a typo', () => {
    const [problem] = validateEnvironments([{ name: 'dev', region: 'eu-wset-1' }]);
    expect(problem.fix).toContain('"eu-west-1"');
  });

  test('accepts partitions other than aws', () => {
    expect(validateEnvironments([{ name: 'gov', region: 'us-gov-west-1' }, { name: 'cn', region: 'cn-north-1' }])).toEqual([]);
  });
});

describe('replicaRegions', () => {
  const prod = { name: 'prod', account: '012345678901', region: 'us-east-1', durable: true };

  test('accepts other regions of the home partition, each once, with an account', () => {
    expect(validateEnvironments([{ ...prod, replicaRegions: ['us-west-2', 'eu-west-1'] }])).toEqual([]);
    expect(validateEnvironments([{ ...prod, replicaRegions: [] }])).toEqual([]);
    expect(validateEnvironments([{ ...prod, region: 'cn-north-1', replicaRegions: ['cn-northwest-1'] }])).toEqual([]);
  });

  test.each([
    ['an unknown region, with the nearest one', ['us-wset-2'], 'environments[0].replicaRegions[0]', /not an AWS region/, /"us-west-2"/],
    ['the home region', ['us-east-1'], 'environments[0].replicaRegions[0]', /home region/, /only the other regions/],
    ['a region listed twice, at its second place', ['us-west-2', 'us-west-2'], 'environments[0].replicaRegions[1]', /listed twice/, /each region once/],
    ['a region of another partition', ['us-gov-west-1'], 'environments[0].replicaRegions[0]', /partition aws-us-gov.*AWS does not replicate across partitions/, /partition aws/],
    ['a value that is not a list', 'us-west-2', 'environments[0].replicaRegions', /list of region names/, /replicaRegions: \['us-west-2'\]/],
  ])('rejects %s, naming the option, the value and the fix', (_, replicaRegions, option, problem, fix) => {
    const problems = validateEnvironments([{ ...prod, replicaRegions: replicaRegions as string[] }]);
    expect(problems).toEqual([expect.objectContaining({
      option, value: expect.anything(), problem: expect.stringMatching(problem), fix: expect.stringMatching(fix),
    })]);
  });

  test('replicas on a stage without an account are refused: a stack in another region needs a concrete environment', () => {
    const { account, ...agnostic } = prod;
    expect(validateEnvironments([{ ...agnostic, replicaRegions: ['us-west-2'] }])).toEqual([expect.objectContaining({
      option: 'environments[0].replicaRegions', value: ['us-west-2'], problem: expect.stringMatching(/needs its account/), fix: expect.stringContaining('set account on environment "prod"'),
    })]);
    expect(account).toBe('012345678901');
  });
});

describe('monitoring', () => {
  const accounts = [
    { name: 'dev', account: '111111111111', region: 'eu-west-1' },
    { name: 'prod', account: '123456789012', region: 'eu-west-1', durable: true },
  ];

  test('accepts a 12-digit account and a known region when every environment has an account', () => {
    expect(problemsOf({ environments: accounts, monitoring: { account: '210987654321', region: 'eu-central-1' } })).toEqual([]);
  });

  test.each([
    ['an account that is not 12 digits', { account: '2109876543', region: 'eu-central-1' }, 'monitoring.account', /exactly 12 digits/, /quote all 12 digits/],
    ['an account written as a number', { account: 210987654321 as unknown as string, region: 'eu-central-1' },
      'monitoring.account', /exactly 12 digits, written as a string/, /quote/],
    ['an unknown region, with the nearest one', { account: '210987654321', region: 'eu-centrl-1' }, 'monitoring.region', /not an AWS region/, /"eu-central-1"/],
    ['a value that is not an object', 'arn:aws:events:eu-central-1:210987654321:event-bus/x' as any, 'monitoring', /object with account and region/, /monitoring: \{ account/],
  ])('rejects %s, naming the option and the fix', (_, monitoring, option, problem, fix) => {
    expect(problemsOf({ environments: accounts, monitoring }))
      .toEqual([expect.objectContaining({ option, problem: expect.stringMatching(problem), fix: expect.stringMatching(fix) })]);
  });

  test('needs every environment\'s account: the central bus accepts events from those accounts only', () => {
    expect(problemsOf({ environments: [accounts[1], { name: 'sandbox', region: 'eu-west-1' }], monitoring: { account: '210987654321', region: 'eu-central-1' } })).toEqual([
      expect.objectContaining({ option: 'environments[1].account', value: undefined, problem: expect.stringContaining('"sandbox" has none'), fix: 'set account on environment "sandbox", or drop monitoring' }),
    ]);
  });
});

describe('formatProblems', () => {
  test('names the owner, each option, the value and the fix', () => {
    const message = formatProblems('FintechCdkApp (.projenrc.ts)', validateEnvironments([{ name: 'dev', account: '42', region: 'us-east-1' }]));
    expect(message).toBe(
      'FintechCdkApp (.projenrc.ts): 1 invalid option:\n' +
      '  - environments[0].account = "42": an AWS account id is exactly 12 digits, written as a string. ' +
      "Fix: quote all 12 digits (leading zeros matter), e.g. account: '012345678901', or omit account to synthesize environment-agnostic",
    );
  });
});

describe('stageTags and toApplicationName', () => {
  test('built-in tags win over nothing and extra tags are kept', () => {
    expect(stageTags({ ...valid, extraTags: { DataClassification: 'pci' } }, { name: 'prod', region: 'us-east-1' })).toEqual({
      DataClassification: 'pci',
      Environment: 'prod',
      Team: 'payments',
      CostCenter: 'cc-1234',
      Application: 'ledger',
    });
  });

  test.each([
    ['@acme/Payments_API', 'payments-api'],
    ['123-ledger', 'ledger'],
    ['---', 'app'],
    ['x'.repeat(40), 'x'.repeat(32)],
  ])('%s becomes %s', (raw, expected) => {
    expect(toApplicationName(raw)).toBe(expected);
  });
});
