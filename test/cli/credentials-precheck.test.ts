import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { findCredentialSources, precheckCredentials, ssmBootstrapVersion, ssmMissingParameters, stsEndpoint } from '../../src/cli/credentials-precheck';

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

  test('without credentials against an emulator, says that any keys do', async () => {
    const env = { AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://localhost:5000' };
    const result = await precheckCredentials('us-east-1', neverCalled, { env, homeDir: home() });
    expect(result.message).toMatch(/\nAgainst the emulator at http:\/\/localhost:5000 \(AWS_ENDPOINT_URL\) any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing$/);
    const noProvider = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const probed = await precheckCredentials('us-east-1', async () => { throw noProvider; }, { env: { AWS_ENDPOINT_URL_STS: 'http://localhost:5000' }, homeDir: home() });
    expect(probed.message).toContain('Against the emulator at http://localhost:5000 (AWS_ENDPOINT_URL_STS) any keys do');
    const withoutEmulator = await precheckCredentials('us-east-1', neverCalled, { env: { AWS_EC2_METADATA_DISABLED: 'true' }, homeDir: home() });
    expect(withoutEmulator.message).not.toContain('emulator');
  });

  test('reports any other STS failure with its name and the ways to authenticate', async () => {
    const noProvider = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const result = await precheckCredentials('us-east-1', async () => { throw noProvider; }, { env: {}, homeDir: home() });
    expect(result.message).toMatch(/^No AWS credentials were found, and STS GetCallerIdentity in us-east-1 failed: CredentialsProviderError: Could not load/);
  });
});

describe('credentials the endpoint rejects', () => {
  const keys = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wrong' };
  const rejecting = (name: string) => async () => { throw Object.assign(new Error('The security token included in the request is invalid.'), { name }); };

  test.each([
    ['InvalidClientTokenId', 'the access key ID is unknown there'],
    ['UnrecognizedClientException', 'the access key ID or session token is unknown there'],
    ['SignatureDoesNotMatch', 'the secret access key does not belong to the access key ID'],
  ])('%s on AWS names the AWS endpoint, what it means, and that emulator keys are not AWS keys', async (name, meaning) => {
    const result = await precheckCredentials('eu-west-1', rejecting(name), { env: keys, homeDir: home() });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(new RegExp('^Credentials were found \\(environment variables\\) but the endpoint https://sts\\.eu-west-1\\.amazonaws\\.com does not accept them: ' +
      `STS GetCallerIdentity in eu-west-1 answered ${name} \\(${meaning}\\)\\. Keys of an emulator`));
    expect(result.message).toContain('aws sso login --profile <profile>');
  });

  test('against an emulator, names the emulator\'s URL (the per-service variable first, as the SDK reads it)', async () => {
    const env = { ...keys, AWS_ENDPOINT_URL: 'http://localhost:5000', AWS_ENDPOINT_URL_STS: 'http://localhost:5001' };
    const result = await precheckCredentials('us-east-1', rejecting('InvalidClientTokenId'), { env, homeDir: home() });
    expect(result.message).toMatch(/but the endpoint http:\/\/localhost:5001 does not accept them: .* The endpoint variables point at http:\/\/localhost:5001: use the keys that endpoint expects\./);
  });
});

describe('stsEndpoint', () => {
  test('is the per-service variable, else AWS_ENDPOINT_URL, else AWS\'s regional endpoint', () => {
    expect(stsEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_STS: 'http://b' }, 'eu-west-1')).toEqual({ url: 'http://b', overridden: true });
    expect(stsEndpoint({ AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_SSM: 'http://c' }, 'eu-west-1')).toEqual({ url: 'http://a', overridden: true });
    expect(stsEndpoint({ AWS_ENDPOINT_URL_SSM: 'http://c' }, 'eu-west-1')).toEqual({ url: 'https://sts.eu-west-1.amazonaws.com', overridden: false });
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

describe('endpoint variables', () => {
  let saved: NodeJS.ProcessEnv;
  let server: http.Server;
  const requests: Array<{ target?: string; body: string }> = [];
  beforeAll(async () => {
    // The mock of the describe above patches SSMClient for the whole file: these tests need the real client.
    mockClient(SSMClient).restore();
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => { body += chunk; });
      req.on('end', () => {
        requests.push({ target: req.headers['x-amz-target'] as string | undefined, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ Parameters: [], InvalidParameters: JSON.parse(body).Names }));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));
  beforeEach(() => {
    saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_ENDPOINT_URL')) delete process.env[name];
    requests.length = 0;
  });
  afterEach(() => { process.env = saved; });

  test.each(['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_SSM'])('the project\'s SSM client calls the endpoint %s names (the SDK reads it; the pre-check sets no endpoint)', async name => {
    process.env[name] = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    expect(await ssmMissingParameters(process.cwd())('us-east-1', ['/aws/service/powertools/typescript/generic/all/2.35.0'])).toEqual(['/aws/service/powertools/typescript/generic/all/2.35.0']);
    expect(await ssmBootstrapVersion(process.cwd())('us-east-1')).toBeUndefined();
    expect(requests.map(r => r.target)).toEqual(['AmazonSSM.GetParameters', 'AmazonSSM.GetParameter']);
  });
});
