import { Signer } from '@aws-sdk/rds-signer';
import { AuthTokenSigner, IamAuthToken } from '../../src/app/iam-auth-token';

const START = Date.parse('2026-12-03T10:00:00Z');
const MINUTE = 60_000;

/** The real RDS signer with fixed keys (signing is local: no network), counting its signings. */
function countingSigner(): AuthTokenSigner & { readonly signings: number } {
  const signer = new Signer({
    hostname: 'transactions.cluster-abc.eu-west-1.rds.amazonaws.com',
    port: 5432,
    username: 'transaction_api',
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  });
  const counter = { signings: 0, getAuthToken: () => { counter.signings++; return signer.getAuthToken(); } };
  return counter;
}

beforeEach(() => jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

describe('IamAuthToken', () => {
  test('signs a 15-minute token for the application role and reuses it until 5 minutes before it expires', async () => {
    const signer = countingSigner();
    const token = new IamAuthToken(signer);
    const first = await token.get();
    expect(first).toMatch(/^transactions\.cluster-abc\.eu-west-1\.rds\.amazonaws\.com:5432\/\?Action=connect&DBUser=transaction_api&/);
    expect(first).toContain('X-Amz-Expires=900');
    expect(first).toContain('X-Amz-Date=20261203T100000Z');

    jest.setSystemTime(START + 9 * MINUTE);
    expect(await token.get()).toBe(first);
    jest.setSystemTime(START + 10 * MINUTE - 1);
    expect(await token.get()).toBe(first);
    expect(signer.signings).toBe(1);

    jest.setSystemTime(START + 10 * MINUTE);
    const second = await token.get();
    expect(signer.signings).toBe(2);
    expect(second).not.toBe(first);
    expect(second).toContain('X-Amz-Date=20261203T101000Z');
  });

  test('the refresh margin is an option', async () => {
    const signer = countingSigner();
    const token = new IamAuthToken(signer, { refreshMarginMs: MINUTE });
    await token.get();
    jest.setSystemTime(START + 13 * MINUTE);
    await token.get();
    expect(signer.signings).toBe(1);
    jest.setSystemTime(START + 14 * MINUTE);
    await token.get();
    expect(signer.signings).toBe(2);
  });

  test('connections opening at the same time share one signing', async () => {
    const signer = countingSigner();
    const token = new IamAuthToken(signer);
    const tokens = await Promise.all([token.get(), token.get(), token.get()]);
    expect(new Set(tokens).size).toBe(1);
    expect(signer.signings).toBe(1);
  });

  test('a failed signing fails the connection attempt, and the next attempt signs again', async () => {
    let calls = 0;
    const token = new IamAuthToken({
      getAuthToken: async () => {
        calls++;
        if (calls === 1) throw new Error('Could not load credentials from any providers');
        return 'host:5432/?Action=connect&DBUser=transaction_api&X-Amz-Date=20261203T100000Z&X-Amz-Expires=900';
      },
    });
    await expect(token.get()).rejects.toThrow('Could not load credentials from any providers');
    await expect(token.get()).resolves.toContain('DBUser=transaction_api');
    expect(calls).toBe(2);
  });

  test('a token without X-Amz-Date or X-Amz-Expires is taken to last 15 minutes from its signing', async () => {
    let calls = 0;
    const token = new IamAuthToken({ getAuthToken: async () => `opaque-token-${++calls}` }, { now: () => Date.now() });
    expect(await token.get()).toBe('opaque-token-1');
    jest.setSystemTime(START + 10 * MINUTE - 1);
    expect(await token.get()).toBe('opaque-token-1');
    jest.setSystemTime(START + 10 * MINUTE);
    expect(await token.get()).toBe('opaque-token-2');
  });
});
