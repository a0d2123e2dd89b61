// Parent side of ./runner.ts: run many compiled programs in a few child processes (one per core by
// default), with a watchdog that kills a runner making no progress and restarts it after the
// program that hung.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Job { id: string; file: string }
export interface RunResult { id: string; out: string[]; ms: number }

const RUNNER = path.join(__dirname, 'runner.js');

export interface ExecOptions {
  /** Parallel runners (default: number of CPUs, at most 4). */
  workers?: number;
  /** Kill a runner when no program finished for this long (default 20 s). */
  stallMs?: number;
  /** Scratch directory for job and result files. */
  dir: string;
}

/** Run every job; results in job order. */
export async function runJobs(jobs: readonly Job[], opts: ExecOptions): Promise<RunResult[]> {
  const workers = Math.max(1, Math.min(opts.workers ?? Math.min(os.cpus().length, 4), jobs.length));
  const done = new Map<string, RunResult>();
  // contiguous slices keep programs of one batch together (better module cache locality)
  const slices: Job[][] = Array.from({ length: workers }, () => []);
  jobs.forEach((j, i) => slices[Math.floor((i * workers) / jobs.length)]!.push(j));
  await Promise.all(slices.map((slice, w) => runSlice(slice, w, opts, done)));
  return jobs.map((j) => done.get(j.id) ?? { id: j.id, out: ['!! no result'], ms: 0 });
}

async function runSlice(slice: Job[], w: number, opts: ExecOptions, done: Map<string, RunResult>): Promise<void> {
  let rest = slice;
  let attempt = 0;
  while (rest.length > 0) {
    const tag = `w${w}-${attempt++}-${process.pid}`;
    const jobsFile = path.join(opts.dir, `jobs-${tag}.json`);
    const resultsFile = path.join(opts.dir, `results-${tag}.jsonl`);
    fs.mkdirSync(opts.dir, { recursive: true });
    fs.writeFileSync(jobsFile, JSON.stringify(rest));
    fs.writeFileSync(resultsFile, '');
    const stalled = await runOnce(jobsFile, resultsFile, opts.stallMs ?? 20000);
    const got = fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunResult);
    for (const r of got) done.set(r.id, r);
    fs.rmSync(jobsFile, { force: true });
    fs.rmSync(resultsFile, { force: true });
    const next = rest.slice(got.length);
    if (next.length === 0) return;
    // the first unfinished program hung (or crashed the runner): record it and go on after it
    const bad = next[0]!;
    done.set(bad.id, { id: bad.id, out: [stalled ? '!! hung: no progress (synchronous infinite loop?)' : '!! the runner process died'], ms: 0 });
    rest = next.slice(1);
  }
}

function runOnce(jobsFile: string, resultsFile: string, stallMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUNNER, jobsFile, resultsFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stalled = false;
    let lastSize = 0;
    let lastChange = Date.now();
    const timer = setInterval(() => {
      let size = 0;
      try {
        size = fs.statSync(resultsFile).size;
      } catch {
        /* not yet */
      }
      if (size !== lastSize) {
        lastSize = size;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > stallMs) {
        stalled = true;
        child.kill('SIGKILL');
      }
    }, 250);
    child.stderr.on('data', () => undefined);
    child.on('exit', () => {
      clearInterval(timer);
      resolve(stalled);
    });
  });
}
