import { RegionInfo } from 'aws-cdk-lib/region-info';
import { cdkNagPackProblems } from './cdk-nag-packs';
import { FintechEnvironment, FintechPlatformConfig } from './platform-config';

// Shared by projen time (FintechCdkApp) and synth time (FintechStage): pure functions, no constructs.

/** Tag keys every resource carries unless the project says otherwise. */
export const DEFAULT_REQUIRED_TAG_KEYS: readonly string[] = ['Environment', 'Team', 'CostCenter', 'Application'];

/** dev is a playground; staging and prod hold data that must outlive a stack. */
export const DEFAULT_ENVIRONMENTS: readonly FintechEnvironment[] = [
  { name: 'dev', region: 'us-east-1', durable: false },
  { name: 'staging', region: 'us-east-1', durable: true },
  { name: 'prod', region: 'us-east-1', durable: true },
];

// Stage names are appended to every physical name (S3: 63, Lambda and IAM role: 64 characters), so keep them short.
const STAGE_NAME = /^[a-z][a-z0-9-]{0,14}[a-z0-9]$|^[a-z]$/;
const APPLICATION_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;
const ACCOUNT_ID = /^\d{12}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Characters AWS accepts in tag keys and values (Tagging API docs, 2026-11).
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** One invalid option: which one, what was given, what is wrong and how to fix it. */
export interface ConfigProblem {
  readonly option: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
}

/** Renders problems as one message, one line per problem. */
export function formatProblems(owner: string, problems: readonly ConfigProblem[]): string {
  const lines = problems.map(p => `  - ${p.option} = ${JSON.stringify(p.value)}: ${p.problem}. Fix: ${p.fix}`);
  return `${owner}: ${problems.length} invalid option${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

/** All AWS regions aws-cdk-lib knows (its region table, kept current by the CDK team). */
export function knownRegions(): string[] {
  return RegionInfo.regions.map(r => r.name);
}

/** The tags a stage applies to every taggable resource. */
export function stageTags(config: FintechPlatformConfig, environment: FintechEnvironment): { [key: string]: string } {
  return {
    ...(config.extraTags ?? {}),
    Environment: environment.name,
    Team: config.team,
    CostCenter: config.costCenter,
    Application: config.application,
  };
}

/** Turns any string (an npm package name, say) into a valid application name. */
export function toApplicationName(raw: string): string {
  const name = raw
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 32)
    .replace(/-+$/, '');
  return name.length > 0 ? name : 'app';
}

// arn:<partition>:iam::<account>:role/<path/name>
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** Checks one environment list; option names are prefixed with `environments`. */
export function validateEnvironments(environments: readonly FintechEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (environments.length === 0) {
    problems.push({
      option: 'environments',
      value: [],
      problem: 'at least one environment is needed',
      fix: "add one, e.g. { name: 'dev', region: 'eu-west-1' }, or drop the option to get dev, staging and prod",
    });
  }
  const regions = new Set(knownRegions());
  const seen = new Set<string>();
  environments.forEach((env, i) => {
    const at = `environments[${i}]`;
    if (typeof env.name !== 'string' || !STAGE_NAME.test(env.name)) {
      problems.push({
        option: `${at}.name`,
        value: env.name,
        problem: 'stage names must be 1-16 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen (they become part of DNS-safe physical names)',
        fix: `rename it, e.g. "${toApplicationName(String(env.name ?? 'stage')).slice(0, 16) || 'dev'}"`,
      });
    } else if (seen.has(env.name)) {
      problems.push({
        option: `${at}.name`,
        value: env.name,
        problem: 'stage names must be unique (two stages with one name would deploy over each other)',
        fix: 'give each environment its own name',
      });
    }
    seen.add(env.name);
    if (env.account !== undefined && (typeof env.account !== 'string' || !ACCOUNT_ID.test(env.account))) {
      problems.push({
        option: `${at}.account`,
        value: env.account,
        problem: 'an AWS account id is exactly 12 digits, written as a string',
        fix: "quote all 12 digits (leading zeros matter), e.g. account: '012345678901', or omit account to synthesize environment-agnostic",
      });
    }
    if (typeof env.region !== 'string' || !regions.has(env.region)) {
      const near = typeof env.region === 'string' ? closest(env.region, [...regions]) : undefined;
      problems.push({
        option: `${at}.region`,
        value: env.region,
        problem: 'not an AWS region known to aws-cdk-lib',
        fix: near ? `did you mean "${near}"?` : 'use a region name such as "eu-west-1"',
      });
    }
    problems.push(...replicaRegionProblems(at, env, regions));
    if (env.durable !== undefined && typeof env.durable !== 'boolean') {
      problems.push({ option: `${at}.durable`, value: env.durable, problem: 'must be true or false', fix: 'write durable: true for stages that hold data that must outlive the stack' });
    }
    for (const [option, purpose] of [['deployRoleArn', 'deploy'], ['diffRoleArn', 'diff']] as const) {
      const value = env[option];
      if (value === undefined) continue;
      const role = typeof value === 'string' ? ROLE_ARN.exec(value) : null;
      if (!role) {
        problems.push({
          option: `${at}.${option}`,
          value,
          problem: 'not an IAM role ARN',
          fix: `write it as arn:aws:iam::<12-digit account>:role/<name>, e.g. 'arn:aws:iam::012345678901:role/github-${purpose}'`,
        });
      } else if (!env.account) {
        problems.push({
          option: `${at}.${option}`,
          value,
          problem: `a ${purpose} role needs the stage's account, or the workflow could ${purpose} the stage in any account the role reaches`,
          fix: `set account: '${role[1]}' on this environment`,
        });
      } else if (role[1] !== env.account) {
        problems.push({
          option: `${at}.${option}`,
          value,
          problem: `the role is in account ${role[1]}, but the stage deploys to ${env.account}`,
          fix: `use a role in account ${env.account}, or correct the account`,
        });
      }
    }
    if (env.diffRoleArn !== undefined && env.diffRoleArn === env.deployRoleArn) {
      problems.push({
        option: `${at}.diffRoleArn`,
        value: env.diffRoleArn,
        problem: 'the pull-request diff role is the deploy role: its trust policy would let any branch\'s pull request deploy',
        fix: 'give the diff its own read-only role (sts:AssumeRole on the CDK lookup role only), trusted for repo:<owner>/<repo>:pull_request',
      });
    }
  });
  return problems;
}

/** Problems of one environment's `replicaRegions`: known regions of the home region's partition, each once, not the home region, an account set. */
function replicaRegionProblems(at: string, env: FintechEnvironment, regions: ReadonlySet<string>): ConfigProblem[] {
  const replicas: unknown = env.replicaRegions;
  if (replicas === undefined) return [];
  if (!Array.isArray(replicas)) {
    return [{ option: `${at}.replicaRegions`, value: replicas, problem: 'must be a list of region names', fix: "write e.g. replicaRegions: ['us-west-2'], or omit it" }];
  }
  const problems: ConfigProblem[] = [];
  const home = typeof env.region === 'string' && regions.has(env.region) ? env.region : undefined;
  const homePartition = home ? RegionInfo.get(home).partition : undefined;
  const seen = new Set<string>();
  replicas.forEach((region: unknown, j) => {
    const option = `${at}.replicaRegions[${j}]`;
    if (typeof region !== 'string' || !regions.has(region)) {
      const near = typeof region === 'string' ? closest(region, [...regions]) : undefined;
      problems.push({ option, value: region, problem: 'not an AWS region known to aws-cdk-lib', fix: near ? `did you mean "${near}"?` : 'use a region name such as "us-west-2"' });
    } else if (region === home) {
      problems.push({ option, value: region, problem: 'it is the stage\'s home region (region), which holds the primary copy already', fix: 'list only the other regions that hold replicas, or drop it' });
    } else if (seen.has(region)) {
      problems.push({ option, value: region, problem: 'listed twice (a region holds one replica of each resource)', fix: 'list each region once' });
    } else if (homePartition && RegionInfo.get(region).partition !== homePartition) {
      problems.push({
        option,
        value: region,
        problem: `it is in partition ${RegionInfo.get(region).partition}, the home region ${home} in ${homePartition}: AWS does not replicate across partitions`,
        fix: `choose replica regions of partition ${homePartition}`,
      });
    }
    if (typeof region === 'string') seen.add(region);
  });
  if (replicas.length > 0 && !env.account) {
    problems.push({
      option: `${at}.replicaRegions`,
      value: replicas,
      problem: 'a stage with replicas needs its account: the stacks in the replica regions and the references between regions need a concrete environment',
      fix: `set account on environment "${env.name}", or drop replicaRegions`,
    });
  }
  return problems;
}

/** Checks a whole platform configuration. Returns no problems when it is valid. */
export function validatePlatformConfig(config: FintechPlatformConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [option, value, flag] of [['team', config.team, '--team=payments'], ['costCenter', config.costCenter, '--cost-center=cc-1234']] as const) {
    if (typeof value !== 'string' || value.trim().length === 0) {
      problems.push({ option, value, problem: 'must be a non-empty string (it becomes a required tag)', fix: `pass ${flag} to projen new, or set ${option} in .projenrc.ts` });
    } else if (value.length > 256 || !TAG_TEXT.test(value)) {
      problems.push({ option, value, problem: 'AWS tag values allow at most 256 letters, digits, spaces and _ . : / = + - @', fix: `use e.g. ${flag.split('=')[1]}` });
    }
  }
  if (typeof config.application !== 'string' || !APPLICATION_NAME.test(config.application)) {
    problems.push({
      option: 'application',
      value: config.application,
      problem: 'must be 1-32 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen (it prefixes physical names)',
      fix: `use e.g. "${toApplicationName(String(config.application ?? 'app'))}"`,
    });
  }
  if (config.alarmEmail !== undefined && (typeof config.alarmEmail !== 'string' || !EMAIL.test(config.alarmEmail))) {
    problems.push({ option: 'alarmEmail', value: config.alarmEmail, problem: 'not an email address', fix: "use e.g. 'payments-oncall@example.com', or omit alarmEmail" });
  }
  const builtIn = new Set(['Environment', 'Team', 'CostCenter', 'Application']);
  for (const [key, value] of Object.entries(config.extraTags ?? {})) {
    const option = `extraTags.${key}`;
    if (key.length === 0 || key.length > 128 || !TAG_TEXT.test(key) || key.toLowerCase().startsWith('aws:')) {
      problems.push({ option, value: key, problem: 'tag keys are 1-128 letters, digits, spaces or _ . : / = + - @ and must not start with "aws:"', fix: 'rename the key, e.g. DataClassification' });
    } else if (builtIn.has(key)) {
      problems.push({ option, value, problem: `${key} is set from the ${key === 'Environment' ? 'environment name' : key.charAt(0).toLowerCase() + key.slice(1)} option and cannot be overridden`, fix: `remove ${key} from extraTags` });
    }
    if (typeof value !== 'string' || value.length > 256 || !TAG_TEXT.test(value)) {
      problems.push({ option, value, problem: 'tag values are at most 256 letters, digits, spaces or _ . : / = + - @', fix: 'shorten or simplify the value' });
    }
  }
  const supplied = new Set([...builtIn, ...Object.keys(config.extraTags ?? {})]);
  (config.requiredTagKeys ?? DEFAULT_REQUIRED_TAG_KEYS).forEach((key, i) => {
    if (typeof key !== 'string' || key.trim().length === 0) {
      problems.push({ option: `requiredTagKeys[${i}]`, value: key, problem: 'tag keys cannot be empty', fix: 'remove the empty entry' });
    } else if (!supplied.has(key)) {
      problems.push({ option: `requiredTagKeys[${i}]`, value: key, problem: 'no option supplies this tag, so every resource would fail the tag rule', fix: `add it to extraTags, e.g. extraTags: { ${key}: '...' }` });
    }
  });
  problems.push(...validateEnvironments(config.environments ?? []));
  problems.push(...cdkNagPackProblems(config.cdkNagPacks));
  problems.push(...monitoringProblems(config));
  return problems;
}

/** Problems of `monitoring`: a 12-digit account, a known region, and an account on every environment (the central bus's policy lists them). */
function monitoringProblems(config: FintechPlatformConfig): ConfigProblem[] {
  const monitoring: unknown = config.monitoring;
  if (monitoring === undefined) return [];
  if (typeof monitoring !== 'object' || monitoring === null || Array.isArray(monitoring)) {
    return [{ option: 'monitoring', value: monitoring, problem: 'must be an object with account and region', fix: "write e.g. monitoring: { account: '210987654321', region: 'eu-west-1' }, or omit it" }];
  }
  const { account, region } = monitoring as { account?: unknown; region?: unknown };
  const problems: ConfigProblem[] = [];
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
    problems.push({
      option: 'monitoring.account',
      value: account,
      problem: 'the monitoring account id is exactly 12 digits, written as a string',
      fix: "quote all 12 digits of the central monitoring account (leading zeros matter), e.g. account: '210987654321'",
    });
  }
  const regions = knownRegions();
  if (typeof region !== 'string' || !regions.includes(region)) {
    const near = typeof region === 'string' ? closest(region, regions) : undefined;
    problems.push({ option: 'monitoring.region', value: region, problem: 'not an AWS region known to aws-cdk-lib', fix: near ? `did you mean "${near}"?` : 'use the region of the central bus, e.g. "eu-west-1"' });
  }
  (config.environments ?? []).forEach((env, i) => {
    if (!env.account) {
      problems.push({
        option: `environments[${i}].account`,
        value: env.account,
        problem: `the central monitoring bus accepts events only from the environments' accounts, and "${env.name}" has none`,
        fix: `set account on environment "${env.name}", or drop monitoring`,
      });
    }
  });
  return problems;
}

/** The candidate nearest to `input` by edit distance, when it is plausibly a typo. */
function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(input.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= 3 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
