// Parent side of ./runner.ts: a pool of persistent runner processes (one per core by default; node
// takes long to start here), jobs dispatched to whichever is free, a watchdog that kills a runner
// stuck on one program (a synchronous infinite loop) and records that program as hung.
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Job { id: string; file: string }
export interface RunResult { id: string; out: string[]; ms: number }

const RUNNER = path.join(__dirname, 'runner.js');

export interface ExecOptions {
  /** Parallel runners (default: number of CPUs, at most 4). */
  workers?: number;
  /** A program running longer than this is killed as hung (default 20 s; the runner's own async timeout is 10 s). */
  stallMs?: number;
  /** Unused (kept for callers that pass a scratch directory). */
  dir?: string;
}

class Worker {
  private child: ChildProcess | undefined;
  private jobs = 0;
  private pending: { job: Job; child: ChildProcess; resolve: (r: RunResult) => void; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly stallMs: number) {}

  private spawn(): ChildProcess {
    const child = fork(RUNNER, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
    child.on('message', (r: RunResult) => this.settle(r));
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      // only the job this very process was running (a recycled runner exits while its successor works)
      if (this.pending && this.pending.child === child) this.settle({ id: this.pending.job.id, out: ['!! the runner process died'], ms: 0 });
    });
    child.unref();
    (child as unknown as { channel?: { unref(): void } }).channel?.unref();
    this.jobs = 0;
    return child;
  }

  private settle(r: RunResult): void {
    const p = this.pending;
    if (!p || p.job.id !== r.id) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    p.resolve(r);
  }

  run(job: Job): Promise<RunResult> {
    // a fresh process now and then: loaded programs are never unloaded
    if (this.child && this.jobs >= 400) this.stop();
    if (!this.child) this.child = this.spawn();
    const child = this.child;
    this.jobs++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending?.job !== job) return;
        this.pending = undefined;
        if (this.child === child) this.child = undefined;
        child.kill('SIGKILL');
        resolve({ id: job.id, out: ['!! hung: no result within the watchdog time (synchronous infinite loop?)'], ms: this.stallMs });
      }, this.stallMs);
      this.pending = { job, child, resolve, timer };
      child.send(job);
    });
  }

  stop(): void {
    const c = this.child;
    this.child = undefined;
    if (c && c.connected) c.disconnect();
  }
}

let pool: Worker[] = [];

/** Run every job; results in job order. */
export async function runJobs(jobs: readonly Job[], opts: ExecOptions = {}): Promise<RunResult[]> {
  const n = Math.max(1, opts.workers ?? Math.min(os.cpus().length, 4));
  while (pool.length < n) pool.push(new Worker(opts.stallMs ?? 20000));
  const workers = pool.slice(0, n);
  const results = new Array<RunResult>(jobs.length);
  let next = 0;
  await Promise.all(
    workers.map(async (w) => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await w.run(jobs[i]!);
      }
    }),
  );
  return results;
}

/** Stop the runner processes (they also exit when this process does). */
export function stopRunners(): void {
  for (const w of pool) w.stop();
  pool = [];
}
