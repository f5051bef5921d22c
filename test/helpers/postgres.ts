// Debian's PostgreSQL as a real database for tests: each caller gets its own cluster (initdb in a
// temp dir) on 127.0.0.1 and a free port, run as `nobody` when we are root (postgres refuses
// root), its socket inside the temp dir, started and stopped by PID.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest installed server's bin dir (/usr/lib/postgresql/<version>/bin), or undefined. */
export const POSTGRES_BIN = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
})();

/** Under CI=true a missing PostgreSQL fails the run instead of skipping. */
export function postgresAvailable(): boolean {
  if (POSTGRES_BIN) return true;
  if (process.env.CI === 'true')
    throw new Error('PostgreSQL is not installed: .ci/run must apt-get install postgresql');
  return false;
}

export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly dir: string;
  /** Stops the server: `fast` (SIGINT) or `immediate` (SIGQUIT, a crash: recovery replays the WAL). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

/** The uid and gid postgres runs as: ours, or nobody's when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('running as root and there is no nobody user');
  return { uid: Number(uid), gid: Number(gid) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`postgres did not start: ${error}\n${log()}`);
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Creates and starts a cluster. `fsync` off by default: tests crash postgres, never the machine. */
export async function startPostgres(options: { fsync?: boolean } = {}): Promise<PostgresServer> {
  if (!POSTGRES_BIN) throw new Error('PostgreSQL is not installed');
  const bin = POSTGRES_BIN;
  const user = runAs();
  // As root, TMPDIR may be a directory `nobody` cannot traverse; /tmp always can be.
  const dir = mkdtempSync(join(user ? '/tmp' : tmpdir(), 'dkim-engine-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...user,
    cwd: dir,
    env,
    stdio: 'pipe',
  });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `fsync=${options.fsync ? 'on' : 'off'}`];
    child = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings], {
      ...user,
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    });
    await waitUntilReady(url, child, () => log);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    await exited;
  };
  await start();
  return {
    port,
    url,
    dir,
    stop,
    start,
    destroy: async () => {
      await stop('fast');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
