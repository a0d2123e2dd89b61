// Runtime benchmark: the same shapes written as green code (in the emitted shape of
// runtime/protocol.ts, as the transformer would produce it) and with async/await, side by side in
// one process, interleaved rounds, medians. Run: `node dist/bench/runtime.js` (after the build).
// Writes nothing; prints a markdown report (bench/results/runtime.md records one run).

import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as g from '../runtime/internal.js';
import { run, spawn, Event, type Thread } from '../runtime/index.js';
import { BODY, type Frame } from '../runtime/protocol.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type GreenFn = ((...args: any[]) => any) & { [BODY]: (...args: any[]) => Frame };
const site = g.sites('bench/runtime.ts', ['level', 1, 1])[0];

// ---------------------------------------------------------------------------------------------
// Shapes. Each level does the same small work in both styles: call the next level, add 1.

/** Green chain of `depth` levels above `leaf`: level(x) = leaf-ward call + 1. */
function greenChain(depth: number, leaf: GreenFn): GreenFn {
  let next = leaf;
  for (let i = 0; i < depth - 1; i++) {
    const callee = next;
    next = g.fn(function* level(x: number) {
      return ((yield g.at(site, callee[BODY](x))) as number) + 1;
    } as never, 'level') as GreenFn;
  }
  return next;
}
function asyncChain(depth: number, leaf: (x: number) => Promise<number>): (x: number) => Promise<number> {
  let next = leaf;
  for (let i = 0; i < depth - 1; i++) {
    const callee = next;
    next = async function level(x: number) {
      return (await callee(x)) + 1;
    };
  }
  return next;
}

// Leaves. "Suspends once": parks on an already-resolved promise (the cheapest real suspension,
// a microtask away in both styles). "Could suspend but does not": a branch that is not taken.
const greenLeafSuspends = g.fn(function* leaf(x: number) {
  return yield g.wait[BODY](Promise.resolve(x));
} as never, 'leaf') as GreenFn;
async function asyncLeafSuspends(x: number): Promise<number> {
  return await Promise.resolve(x);
}
const greenLeafImmediate = g.fn(function* leaf(x: number) {
  return yield g.wait[BODY](new Promise((resolve) => setImmediate(resolve, x)));
} as never, 'leaf') as GreenFn;
async function asyncLeafImmediate(x: number): Promise<number> {
  return await new Promise<number>((resolve) => setImmediate(resolve, x));
}
const greenLeafNoSuspend = g.fn(function* leaf(x: number) {
  if (x < 0) yield g.wait[BODY](Promise.resolve(x));
  return x;
} as never, 'leaf') as GreenFn;
async function asyncLeafNoSuspend(x: number): Promise<number> {
  if (x < 0) await Promise.resolve(x);
  return x;
}

/** ns per call of `top(i)`, `calls` times in one green thread. */
async function timeGreenCalls(top: GreenFn, calls: number): Promise<number> {
  const t0 = performance.now();
  await run(g.fn(function* driver() {
    let sum = 0;
    for (let i = 0; i < calls; i++) sum += (yield g.at(site, top[BODY](i))) as number;
    return sum;
  } as never, 'driver') as () => number);
  return ((performance.now() - t0) * 1e6) / calls;
}
async function timeAsyncCalls(top: (x: number) => Promise<number>, calls: number): Promise<number> {
  const t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < calls; i++) sum += await top(i);
  return ((performance.now() - t0) * 1e6) / calls + (sum < 0 ? 1 : 0);
}

/** Resume cost at `depth`: the chain is built once; its leaf parks `resumes` times. ns per resume. */
async function timeGreenResumes(depth: number, resumes: number): Promise<number> {
  const leaf = g.fn(function* leaf(n: number) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (yield g.wait[BODY](Promise.resolve(i))) as number;
    return sum;
  } as never, 'leaf') as GreenFn;
  const top = greenChain(depth, leaf);
  const t0 = performance.now();
  await run(g.bind(top, null, resumes) as () => number);
  return ((performance.now() - t0) * 1e6) / resumes;
}
async function timeAsyncResumes(depth: number, resumes: number): Promise<number> {
  const leaf = async (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await Promise.resolve(i);
    return sum;
  };
  const top = asyncChain(depth, leaf);
  const t0 = performance.now();
  await top(resumes);
  return ((performance.now() - t0) * 1e6) / resumes;
}

/** Heap bytes per thread parked at `depth` (leaf waiting on a gate), `count` threads. */
async function heapGreenParked(depth: number, count: number): Promise<number> {
  const gate = new Event();
  const leaf = g.fn(function* leaf() {
    yield (gate as unknown as { wait: GreenFn }).wait[BODY].call(gate);
    return 0;
  } as never, 'leaf') as GreenFn;
  const top = greenChain(depth, leaf);
  const threads: Thread<unknown>[] = new Array(count);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) threads[i] = spawn(top as () => number);
  gc();
  const after = process.memoryUsage().heapUsed;
  gate.set();
  await Promise.all(threads.map((t) => t.promise));
  return (after - before) / count;
}
async function heapAsyncParked(depth: number, count: number): Promise<number> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const leaf = async () => {
    await gate;
    return 0;
  };
  const top = asyncChain(depth, leaf);
  const pending: Promise<number>[] = new Array(count);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) pending[i] = top(0);
  gc();
  const after = process.memoryUsage().heapUsed;
  open();
  await Promise.all(pending);
  return (after - before) / count;
}

// ---------------------------------------------------------------------------------------------

interface Pair {
  name: string;
  unit: string;
  target: string;
  check: (ratio: number) => boolean;
  green: () => Promise<number>;
  async: () => Promise<number>;
}

const CALLS = 20_000;
const RESUMES = 20_000;
const PARKED = 10_000;

const pairs: Pair[] = [
  {
    name: 'depth-10 chain, leaf suspends once (resolved promise)',
    unit: 'ns/call',
    target: '≤ 1.0',
    check: (r) => r <= 1.0,
    green: () => timeGreenCalls(greenChain(10, greenLeafSuspends), CALLS),
    async: () => timeAsyncCalls(asyncChain(10, asyncLeafSuspends), CALLS),
  },
  {
    name: 'depth-10 chain, leaf suspends once (setImmediate)',
    unit: 'ns/call',
    target: '≤ 1.0',
    check: (r) => r <= 1.0,
    green: () => timeGreenCalls(greenChain(10, greenLeafImmediate), CALLS / 4),
    async: () => timeAsyncCalls(asyncChain(10, asyncLeafImmediate), CALLS / 4),
  },
  {
    name: 'depth-10 chain, could suspend but does not',
    unit: 'ns/call',
    target: '≤ 1.0 (fast path ~0.5)',
    check: (r) => r <= 1.0,
    green: () => timeGreenCalls(greenChain(10, greenLeafNoSuspend), CALLS * 5),
    async: () => timeAsyncCalls(asyncChain(10, asyncLeafNoSuspend), CALLS * 5),
  },
  {
    name: 'heap per parked thread, depth 5',
    unit: 'bytes',
    target: '≤ 0.6',
    check: (r) => r <= 0.6,
    green: () => heapGreenParked(5, PARKED),
    async: () => heapAsyncParked(5, PARKED),
  },
];

const depthPairs = [
  { name: 'one resume, parked at depth 1', green: () => timeGreenResumes(1, RESUMES), async: () => timeAsyncResumes(1, RESUMES) },
  { name: 'one resume, parked at depth 100', green: () => timeGreenResumes(100, RESUMES), async: () => timeAsyncResumes(100, RESUMES) },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function main(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 15);
  const greenTimes = new Map<string, number[]>();
  const asyncTimes = new Map<string, number[]>();
  const only = process.env.ONLY;
  const all = [...pairs, ...depthPairs].filter((p) => !only || only.split(',').some((o) => p.name.includes(o)));
  for (const p of all) {
    greenTimes.set(p.name, []);
    asyncTimes.set(p.name, []);
  }
  // Warm-up, then interleaved rounds; the order within a pair alternates between rounds.
  for (const p of all) {
    await p.green();
    await p.async();
  }
  for (let round = 0; round < rounds; round++) {
    for (const p of all) {
      if (round % 2 === 0) {
        greenTimes.get(p.name)!.push(await p.green());
        asyncTimes.get(p.name)!.push(await p.async());
      } else {
        asyncTimes.get(p.name)!.push(await p.async());
        greenTimes.get(p.name)!.push(await p.green());
      }
    }
  }

  const cpu = cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {
    // keep os.cpus()
  }
  const lines: string[] = [];
  lines.push(`Machine: ${cpu}, nproc ${nproc}; Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${rounds} interleaved rounds, medians.`);
  lines.push('');
  lines.push('| shape | green | async/await | green / async | target | met |');
  lines.push('|---|---:|---:|---:|---|---|');
  for (const p of pairs.filter((p) => all.includes(p))) {
    const gm = median(greenTimes.get(p.name)!);
    const am = median(asyncTimes.get(p.name)!);
    const ratio = gm / am;
    lines.push(`| ${p.name} | ${fmt(gm)} ${p.unit} | ${fmt(am)} ${p.unit} | ${ratio.toFixed(2)} | ${p.target} | ${p.check(ratio) ? 'yes' : 'NO'} |`);
  }
  if (!all.includes(depthPairs[0]) || !all.includes(depthPairs[1])) return void console.log(lines.join('\n'));
  const g1 = median(greenTimes.get(depthPairs[0].name)!);
  const g100 = median(greenTimes.get(depthPairs[1].name)!);
  const a1 = median(asyncTimes.get(depthPairs[0].name)!);
  const a100 = median(asyncTimes.get(depthPairs[1].name)!);
  lines.push('');
  lines.push('| resume cost (chain built once, leaf parks repeatedly) | green | async/await |');
  lines.push('|---|---:|---:|');
  lines.push(`| ${depthPairs[0].name} | ${fmt(g1)} ns | ${fmt(a1)} ns |`);
  lines.push(`| ${depthPairs[1].name} | ${fmt(g100)} ns | ${fmt(a100)} ns |`);
  lines.push(`| depth 100 / depth 1 (target ≤ 1.5 for green) | ${(g100 / g1).toFixed(2)} ${g100 / g1 <= 1.5 ? '(met)' : '(NOT met)'} | ${(a100 / a1).toFixed(2)} |`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
