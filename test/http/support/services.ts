// Builds and starts the demo service (green-tsc) and its async/await twin (plain tsc) as child
// processes on ephemeral ports. Used by the e2e tests and by bench/http.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root: the nearest directory above this file whose package.json is green-ts's. */
export function repoRoot(from = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'green-ts') return dir;
    if (dirname(dir) === dir) throw new Error(`no green-ts package.json above ${from}`);
  }
}

/** `green-stress`: the demo built with `green-tsc --stress` (issue 8: the rewrite everywhere, a pause before every call). */
export type Kind = 'green' | 'green-stress' | 'async';

export interface ServiceSpec { kind: Kind; build: string[]; entry: string }

export function spec(kind: Kind, root = repoRoot()): ServiceSpec {
  if (kind === 'green-stress') {
    return { kind, build: [join(root, 'bin', 'green-tsc.js'), '-p', join(root, 'examples', 'tsconfig.json'), '--stress', '--outDir', join(root, 'examples', 'dist', 'stress')],
      entry: join(root, 'examples', 'dist', 'stress', 'server.js') };
  }
  return kind === 'green'
    ? { kind, build: [join(root, 'bin', 'green-tsc.js'), '-p', join(root, 'examples', 'tsconfig.json')],
        entry: join(root, 'examples', 'dist', 'green', 'server.js') }
    : { kind, build: [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'examples', 'async', 'tsconfig.json')],
        entry: join(root, 'examples', 'dist', 'async', 'async', 'server.js') };
}

/** Compiles a service; rejects with the compiler's output when it fails. */
export async function build(s: ServiceSpec): Promise<void> {
  try {
    await run(process.execPath, s.build, { cwd: repoRoot(), maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`building the ${s.kind} service failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

export interface RunningService {
  kind: Kind;
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  process: ChildProcess;
  /** Everything the service printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions { mysqlUrl: string; args?: string[]; env?: NodeJS.ProcessEnv; startTimeoutMs?: number }

/** Starts a built service on PORT=0 and resolves once it logs the address it listens on. */
export function start(s: ServiceSpec, opts: StartOptions): Promise<RunningService> {
  const child = spawn(process.execPath, [s.entry, ...(opts.args ?? [])], {
    cwd: repoRoot(),
    env: { ...process.env, ...opts.env, PORT: '0', HOST: '127.0.0.1', MYSQL_URL: opts.mysqlUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => { void stop(); rejectStart(new Error(`${s.kind} service did not start in time:\n${out}`)); },
      opts.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({ kind: s.kind, url: m[1], process: child, output: () => out, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`${s.kind} service exited (${signal ?? code}) before listening:\n${out}`));
    });
  });
}
