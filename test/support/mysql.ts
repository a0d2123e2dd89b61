// Gives DB tests a MySQL URL, never a silent skip:
//   1. MYSQL_URL if set;
//   2. else mysql://root@127.0.0.1:3306/test if a server answers there;
//   3. else, if `mariadbd` is installed, a private throwaway instance (temp datadir, own port and
//      socket, utf8mb4) that is removed when the process exits;
//   4. else an error that says how to provide a server.
// The answer is computed once per process and shared by every test file in it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/** Resolves when `url` answers a ping within `ms`, rejects otherwise. */
export function ping(url: string, ms = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = mysql.createConnection({ uri: url, connectTimeout: ms });
    conn.ping((err) => {
      conn.destroy();
      if (err) reject(err);
      else resolve();
    });
  });
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateServer {
  url: string;
  datadir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a throwaway MariaDB in a temp datadir. Throws when `mariadbd` is not installed. */
export async function startPrivateServer(): Promise<PrivateServer> {
  const mariadbd = which('mariadbd');
  const installDb = which('mariadb-install-db') ?? which('mysql_install_db');
  if (!mariadbd || !installDb) throw new Error('mariadbd / mariadb-install-db are not installed');
  const datadir = mkdtempSync(join(tmpdir(), 'green-ts-mariadb-'));
  const socket = join(datadir, 'mysqld.sock');
  const pidFile = join(datadir, 'mysqld.pid');
  const port = await freePort();
  // Asynchronously: a blocked event loop would time out other tests' connection attempts.
  const init = await new Promise<{ ok: boolean; output: string }>((resolve) => {
    execFile(installDb, ['--no-defaults', '--user=root', `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal', '--skip-test-db'], (err, stdout, stderr) =>
      resolve({ ok: !err, output: `${err?.message ?? ''} ${stderr || stdout}` }));
  });
  if (!init.ok) {
    rmSync(datadir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${init.output}`);
  }
  // Unreferenced: a server kept for the whole test process must not keep that process alive; the
  // 'exit' hook below kills it and removes its datadir.
  const child = spawn(mariadbd, ['--no-defaults', '--user=root', `--datadir=${datadir}`, `--socket=${socket}`,
    `--port=${port}`, '--bind-address=127.0.0.1', `--pid-file=${pidFile}`, '--skip-name-resolve',
    '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci'], { stdio: 'ignore' });
  child.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => { try { child.kill('SIGKILL'); } catch { /* already gone */ } rmSync(datadir, { recursive: true, force: true }); };
  process.once('exit', cleanup);
  const rootUrl = `mysql://root@127.0.0.1:${port}/mysql`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try { await ping(rootUrl, 1000); break; } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        cleanup();
        throw new Error(`private mariadbd did not come up: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await new Promise<void>((resolve, reject) => {
    const conn = mysql.createConnection({ uri: rootUrl });
    conn.query('CREATE DATABASE IF NOT EXISTS test', (err) => { conn.destroy(); err ? reject(err) : resolve(); });
  });
  return {
    url: `mysql://root@127.0.0.1:${port}/test`,
    datadir,
    process: child,
    async stop() {
      child.ref(); // keep this process alive until the server is gone
      child.kill('SIGTERM');
      await exited;
      process.removeListener('exit', cleanup);
      rmSync(datadir, { recursive: true, force: true });
    },
  };
}

export interface ResolvedServer { url: string; source: 'MYSQL_URL' | 'default' | 'private'; private?: PrivateServer }

/** The resolution of the header, with its inputs explicit so the fallbacks can be tested. */
export async function resolveMysqlServer(envUrl: string | undefined, defaultUrl = DEFAULT_MYSQL_URL): Promise<ResolvedServer> {
  if (envUrl) return { url: envUrl, source: 'MYSQL_URL' };
  try { await ping(defaultUrl, 5000); return { url: defaultUrl, source: 'default' }; } catch { /* try a private one */ }
  try {
    const server = await startPrivateServer();
    return { url: server.url, source: 'private', private: server };
  } catch (err) {
    throw new Error(
      `No MySQL server for the DB tests: MYSQL_URL is unset, nothing answers at ${defaultUrl}, ` +
      `and a private server could not be started (${(err as Error).message}). ` +
      'Set MYSQL_URL=mysql://user:pass@host:port/db, start MariaDB/MySQL locally, or install mariadb-server.');
  }
}

let resolved: Promise<string> | undefined;

/** The MySQL URL for DB tests (see the header). Rejects with instructions when there is no server. */
export function mysqlUrl(): Promise<string> {
  resolved ??= resolveMysqlServer(process.env.MYSQL_URL).then((s) => s.url);
  return resolved;
}
