import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

// The container's program as the Dockerfile builds it (package.json's build script: esbuild, one bundled file), run with
// node: no Docker, no database. It must start, answer its liveness check, say 503 while the database is unreachable, and
// stop cleanly on SIGTERM as ECS sends it.
const APP = path.join(__dirname, '..', '..', 'src', 'app');

let dir: string;
let bundle: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'transaction-api-'));
  const script: string = JSON.parse(fs.readFileSync(path.join(APP, 'package.json'), 'utf-8')).scripts.build;
  const [command, ...args] = script.split(' ');
  expect(command).toBe('esbuild');
  bundle = path.join(dir, 'server.js');
  execFileSync(require.resolve('esbuild/bin/esbuild'), args.map(arg => arg.startsWith('--outfile=') ? `--outfile=${bundle}` : arg), { cwd: APP, stdio: 'pipe' });
  fs.writeFileSync(path.join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** The running program, the port it listens on, what it logged, and its exit code once it exits. */
interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly lines: Array<Record<string, any>>;
  readonly exited: Promise<number | null>;
}

/** Runs the bundle and resolves once it logs `listening`. */
function run(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, any>> = [];
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const entry = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        lines.push(entry);
        if (entry.message === 'listening') resolve({ child, port: entry.port, lines, exited });
      }
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    void exited.then(code => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
  });
}

describe('the bundled container program', () => {
  test('serves, reports the unreachable database on /health, and stops cleanly on SIGTERM', async () => {
    const { child, port, lines, exited } = await run({
      PORT: '0',
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: String(await closedPort()),
      DATABASE_NAME: 'transactions',
      DATABASE_USER: 'transaction_api',
      AWS_REGION: 'eu-west-1',
      DATABASE_CA_BUNDLE: path.join(dir, 'ca.pem'),
    });
    try {
      expect(lines[0]).toMatchObject({ level: 'INFO', message: 'listening', service: 'transaction-api', database: '127.0.0.1', user: 'transaction_api' });
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', reason: 'database' });
      const post = await fetch(`http://127.0.0.1:${port}/api/transactions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: '1.00', currency: 'EUR', reference: 'r', idempotencyKey: 'k' }),
      });
      expect(post.status).toBe(500);
      expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'request failed', error: expect.objectContaining({ code: 'ECONNREFUSED' }) }));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'stopping', signal: 'SIGTERM' }));
  }, 30_000);

  test('without its configuration it exits at once, naming each missing variable', async () => {
    const child = spawn(process.execPath, [bundle], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('Cannot connect to the database: DATABASE_HOST is not set (the cluster writer endpoint)');
    expect(stderr).toContain('AWS_REGION is not set');
  }, 30_000);

  test('the bundle carries its dependencies: its folder has no node_modules to load them from', () => {
    // So the program that served above ran on the bundle alone, as in the image, where only the bundle is copied.
    expect(() => require.resolve('pg', { paths: [dir] })).toThrow(/Cannot (find|resolve) module 'pg'/);
    expect(() => require.resolve('@aws-sdk/rds-signer', { paths: [dir] })).toThrow(/Cannot (find|resolve) module/);
    expect(fs.readFileSync(bundle, 'utf-8')).toContain('rds-db');
  });
});
