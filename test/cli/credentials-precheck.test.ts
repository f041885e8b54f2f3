import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { findCredentialSources, precheckCredentials, ssmMissingParameters } from '../../src/cli/credentials-precheck';

function home(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const neverCalled = async () => { throw new Error('STS must not be called'); };

describe('findCredentialSources', () => {
  test('finds nothing on a bare machine', () => {
    expect(findCredentialSources({ env: {}, homeDir: home() })).toEqual([]);
  });

  test('finds keys, web identity and container credentials in the environment', () => {
    expect(findCredentialSources({
      env: {
        AWS_ACCESS_KEY_ID: 'AKIA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_WEB_IDENTITY_TOKEN_FILE: '/token',
        AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/ci',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials',
      },
      homeDir: home(),
    })).toEqual(['environment variables', 'web identity token', 'container credentials']);
  });

  test('finds the selected profile in the shared files, not another one', () => {
    const dir = home({ '.aws/config': '[profile payments]\nsso_session = corp\n', '.aws/credentials': '[other]\naws_access_key_id = x\n' });
    expect(findCredentialSources({ env: { AWS_PROFILE: 'payments' }, homeDir: dir })).toEqual([`profile "payments" in ${path.join(dir, '.aws', 'config')}`]);
    expect(findCredentialSources({ env: {}, homeDir: dir })).toEqual([]);
  });
});

describe('precheckCredentials', () => {
  test('fails without calling AWS when nothing is configured and instance metadata is off', async () => {
    const result = await precheckCredentials('eu-west-1', neverCalled, { env: { AWS_EC2_METADATA_DISABLED: 'true' }, homeDir: home() });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^No AWS credentials found/);
    expect(result.message).toContain('aws sso login --profile <profile>');
    expect(result.message).toContain('npx projen integ:verify');
  });

  test('passes with the account of the caller', async () => {
    const result = await precheckCredentials('eu-west-1', async region => ({ Account: region === 'eu-west-1' ? '123456789012' : 'wrong' }), {
      env: { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }, homeDir: home(),
    });
    expect(result).toEqual({ ok: true, account: '123456789012' });
  });

  test('says when credentials exist but have expired', async () => {
    const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' });
    const result = await precheckCredentials('eu-west-1', async () => { throw expired; }, { env: { AWS_PROFILE: 'p' }, homeDir: home({ '.aws/config': '[profile p]\n' }) });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/Credentials were found \(profile "p" in .*\) but they have expired \(ExpiredTokenException\)/);
  });

  test('reports any other STS failure with its name and the ways to authenticate', async () => {
    const noProvider = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const result = await precheckCredentials('us-east-1', async () => { throw noProvider; }, { env: {}, homeDir: home() });
    expect(result.message).toMatch(/^No AWS credentials were found, and STS GetCallerIdentity in us-east-1 failed: CredentialsProviderError: Could not load/);
  });
});

describe('ssmMissingParameters', () => {
  const ssm = mockClient(SSMClient);
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    ssm.reset();
    saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'secret' });
  });
  afterEach(() => { process.env = saved; });

  test('asks GetParameters in batches of ten, in the region, and returns the names SSM does not know', async () => {
    const names = Array.from({ length: 23 }, (_, i) => `/aws/service/example/${i}`);
    ssm.on(GetParametersCommand).callsFake(({ Names }: { Names: string[] }) => ({
      Parameters: Names.filter(n => !n.endsWith('7')).map(Name => ({ Name, Value: 'arn' })),
      InvalidParameters: Names.filter(n => n.endsWith('7')),
    }));
    expect(await ssmMissingParameters(process.cwd())('eu-west-1', names)).toEqual(['/aws/service/example/7', '/aws/service/example/17']);
    const calls = ssm.commandCalls(GetParametersCommand);
    expect(calls.map(call => call.args[0].input.Names?.length)).toEqual([10, 10, 3]);
    expect(await calls[0].thisValue.config.region()).toBe('eu-west-1');
  });

  test('passes SSM errors on, for the caller to decide', async () => {
    ssm.on(GetParametersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(ssmMissingParameters(process.cwd())('eu-west-1', ['/a'])).rejects.toThrow('denied');
  });
});
