// A real Debian `redis-server` for the bus tests and benches: a random free loopback port, no persistence, no
// config file, stopped when the test is done. Where the binary is missing, `findRedisServer()` says so and the
// suites skip with that reason instead of failing (CI installs it in .ci/run).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_MISSING = 'redis-server is not installed (apt-get install -y redis-server): Redis bus tests skipped';

/**
 * The path of `redis-server`, or undefined when it is not installed. `LLMGENIE_REDIS_SERVER` names another binary
 * (a path that does not exist counts as not installed, which is how the skip message is checked).
 */
export function findRedisServer(): string | undefined {
  const override = process.env.LLMGENIE_REDIS_SERVER;
  if (override) return existsSync(override) ? override : undefined;
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

/** A port the kernel says is free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True once a Redis answers PING on the port (PONG, or NOAUTH when a password is set), not just anything. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    let reply = '';
    s.setTimeout(1000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (d: Buffer) => {
      reply += d.toString();
      if (reply.includes('\r\n')) {
        s.destroy();
        resolve(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
      }
    });
    s.once('error', () => resolve(false));
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 3 s); resolves once the process has exited. */
  stop(): Promise<void>;
  /**
   * Stops it (SHUTDOWN SAVE: the one snapshot it writes, into its own temp folder) and starts it again on the same
   * port with that snapshot: every connection drops, the data comes back, as with a server that persists.
   */
  restart(): Promise<void>;
}

export interface RedisServerOptions {
  /** `requirepass`, for the credential tests. */
  readonly password?: string;
}

/** Starts `redis-server` on a free loopback port; throws when it does not come up within 10 s. */
export async function startRedisServer(binary: string, options: RedisServerOptions = {}): Promise<RedisServer> {
  let lastError: unknown;
  // A port found free can be taken before redis binds it; a few attempts make that race harmless.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await launch(binary, port, options);
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function launch(binary: string, port: number, options: RedisServerOptions): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-redis-'));
  let child: ChildProcess;
  try {
    child = await spawnReady(binary, port, dir, options);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const stopChild = async (): Promise<void> => {
    const c = child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
  };
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop: async () => {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      const c = child;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      await sendCommand(port, options.password, 'SHUTDOWN SAVE');
      await exited;
      child = await spawnReady(binary, port, dir, options);
    },
  };
}

/** One inline command (after AUTH when a password is set); resolves when the server answers or hangs up. */
function sendCommand(port: number, password: string | undefined, command: string): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => s.write(`${password ? `AUTH ${password}\r\n` : ''}${command}\r\n`));
    s.once('close', () => resolve());
    s.once('error', () => resolve());
  });
}

function spawnReady(binary: string, port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', '--dir', dir];
  if (options.password) args.push('--requirepass', options.password);
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  // A test run that ends without stop() must not leave a server behind.
  const reap = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = async (): Promise<void> => {
      if (child.exitCode !== null) return reject(new Error(`redis-server exited on port ${port}: ${output.trim().slice(-300)}`));
      if (await redisAnswers(port)) return resolve(child);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        return reject(new Error(`redis-server did not start on port ${port} within 10 s`));
      }
      setTimeout(() => void poll(), 25);
    };
    void poll();
  });
}
