import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';

/** Why moto cannot run here (python3 or the moto package missing), or undefined when `python3 -m moto.server` can start. */
export function motoMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto, sys; sys.stdout.write(moto.__version__)'], { encoding: 'utf-8' });
  if (probe.error) return `python3 could not be started (${probe.error.message})`;
  if (probe.status !== 0) return `python3 -c "import moto" failed: ${(probe.stderr || '').trim().split('\n').pop()}`;
  return undefined;
}

/** A loopback port nobody listens on now: the kernel's pick for port 0, released right away. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const request = http.get({ host: '127.0.0.1', port, path: '/moto-api/', timeout: 1000 }, response => {
      response.resume();
      resolve(true);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * moto's server mode (`python3 -m moto.server`) on a free loopback port. Its output goes to a log file, not a pipe: the
 * tests block the event loop in spawnSync for minutes, and a full pipe would stall the server mid-deploy.
 */
export class MotoServer {
  /** Starts the server and resolves once it answers HTTP; rejects (with the log) when it exits or stays silent 30 s. */
  static async start(logFile: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<MotoServer> {
    const port = await freePort();
    const log = fs.openSync(logFile, 'a');
    const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const server = new MotoServer(child, port, logFile);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (server.exited()) break;
      if (await answers(port)) return server;
      await sleep(200);
    }
    await server.stop();
    throw new Error(`moto server on port ${port} did not answer within 30 s (exit ${child.exitCode}, signal ${child.signalCode}); its log:\n${server.log()}`);
  }

  /** The endpoint the AWS SDKs and the CDK CLI are given: `localhost`, since moto reads a template URL's `127.0.0.1` host as a bucket name. */
  readonly endpoint: string;
  /** The server's process id, the one `stop` signals. */
  readonly pid: number;
  private readonly onExit: () => void;

  private constructor(private readonly child: ChildProcess, readonly port: number, readonly logFile: string) {
    this.endpoint = `http://localhost:${port}`;
    this.pid = child.pid!;
    this.onExit = () => this.killNow();
    // jest may end the process without afterAll (a crash, a forced exit): the server must not outlive it.
    process.once('exit', this.onExit);
  }

  /** Turns moto's IAM authentication on (every key it did not issue is rejected) or off (the default: any key goes). */
  async authenticate(on: boolean): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const body = on ? '0' : 'inf';
      const request = http.request({ host: '127.0.0.1', port: this.port, path: '/moto-api/reset-auth', method: 'POST', timeout: 5000 }, response => {
        response.resume();
        response.on('end', () => response.statusCode === 200 ? resolve() : reject(new Error(`moto /moto-api/reset-auth answered ${response.statusCode}`)));
      });
      request.on('timeout', () => request.destroy(new Error('moto /moto-api/reset-auth timed out')));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** What the server wrote so far (the last 8 KB). */
  log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf-8').slice(-8192);
    } catch {
      return '(no log)';
    }
  }

  /** Stops the server by its pid: SIGTERM, then SIGKILL when it has not exited after 5 s. Safe to call twice. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.onExit);
    if (this.exited()) return;
    const exited = new Promise<void>(resolve => this.child.once('exit', () => resolve()));
    process.kill(this.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>(resolve => { timer = setTimeout(resolve, 5000); })]);
    clearTimeout(timer);
    if (!this.exited()) {
      process.kill(this.pid, 'SIGKILL');
      await exited;
    }
  }

  private exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private killNow(): void {
    if (!this.exited()) process.kill(this.pid, 'SIGKILL');
  }
}
