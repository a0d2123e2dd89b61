// Runtime benchmark: the same shapes written as green code (in the emitted shape of
// runtime/protocol.ts, as the transformer would produce it) and with async/await, side by side in
// one process, interleaved rounds, medians. Each chain level `return next(x) + 1` is emitted
// plain-first (protocol.ts "Plain-first functions"); the same chains in the generator lowering
// (what a function gets when its stops are not top-level statements, e.g. inside a loop) are
// measured too, marked "(generator lowering)". Run: `node dist/bench/runtime.js` (after the build).
// Writes nothing; prints a markdown report (bench/results/runtime.md records one run).
// Env: ROUNDS (default 15), ONLY=substring[,substring] to run some shapes.

import { execSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
// `import =`: a plain require, as emitted CommonJS code has it (`import * as` would read every
// `g.x` through a getter).
import g = require('../runtime/internal.js');
import { run, spawn, Event, type Thread } from '../runtime/index.js';
import { BODY, type Frame } from '../runtime/protocol.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type GreenFn = ((...args: any[]) => any) & { [BODY]: (...args: any[]) => Frame };
/** The site table, as emitted code has it: every call below reads `__s[0]`. */
const __s = g.sites('bench/runtime.ts', ['level', 1, 1]);
/** `g` typed as emitted code uses it: `__g.wait[__g.BODY](p)` is what `await p` calls. */
const rt = g as unknown as { wait: GreenFn };
/** The file's local names for the entry points, as emitted code declares them beside `__s`. */
const __call = g.call, __pending = g.PENDING, __result = g.result, __at = g.at;
/** `run`, under a name the factories below can use (compiled code calls an import as `(0, m.run)`). */
const runThread = run;

/**
 * A copy of `factory` compiled from its own source text, so that the functions it makes have their
 * own code and type feedback, as each function of a program has: chains sharing one `level` would
 * see every chain's callees at one call site, which no program does. Factories use only their
 * parameters, globals and the names passed here.
 */
function own<F extends (...args: any[]) => any>(factory: F): F {
  const names = ['g', 'rt', '__s', '__call', '__pending', '__result', '__at', 'runThread'];
  return new Function(...names, `return (${factory.toString()});`)(g, rt, __s, __call, __pending, __result, __at, runThread) as F;
}

// ---------------------------------------------------------------------------------------------
// Shapes. Each level does the same small work in both styles: call the next level, add 1.

/** Green chain of `depth` levels above `leaf`: level(x) = leaf-ward call + 1. */
function greenChain(depth: number, leaf: GreenFn): GreenFn {
  let next = leaf;
  for (let i = 0; i < depth - 1; i++) {
    const callee = next;
    next = g.fn(function* level(x: number): Generator<unknown, unknown, unknown> {
      return ((__call(callee[g.BODY](x), __s[0]) ? yield __pending : __result()) as number) + 1;
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

/**
 * The same chain, each level plain-first, as the transformer emits `function level(x) { return
 * next(x) + 1; }` (plain-first-emit.ts), above a plain-first `leaf`.
 */
function plainChain(depth: number, leaf: GreenFn): GreenFn {
  /** A plain-first level whose callee is a generator body: the stop calls `__call(frame, site, $d)`. */
  function plainAboveGenerator(callee: GreenFn): GreenFn {
    return g.fnp(function level(this: unknown, $k: any, x: number): unknown {
      var $s = 0, $d = 0, $t: any;
      if (typeof $k === 'number') {
        if ($k >= 50) return g.defer([level, this, 0, x]);
        $d = $k;
      } else {
        $s = $k[2];
        x = $k[3];
      }
      switch ($s) {
        // @ts-ignore TS7029 (as above)
        case 0:
          if (__call(callee[g.BODY](x), __s[0], $d)) return g.park(void 0, [level, this, 1, x]);
          $t = __result();
        case 1:
          if ($s === 1) $t = g.resumed();
          return ($t as number) + 1;
      }
      return undefined;
    }, 'level') as unknown as GreenFn;
  }
  let next = leaf;
  for (let i = 0; i < depth - 1; i++) {
    if (!(g.PLAIN in next)) {
      next = plainAboveGenerator(next);
      continue;
    }
    const callee = next as unknown as { [g.PLAIN]: (this: unknown, k: unknown, x: number) => unknown };
    next = g.fnp(function level(this: unknown, $k: any, x: number): unknown {
      var $s = 0, $d = 0, $t: any;
      if (typeof $k === 'number') {
        if ($k >= 50) return g.defer([level, this, 0, x]);
        $d = $k;
      } else {
        $s = $k[2];
        x = $k[3];
      }
      switch ($s) {
        // @ts-ignore TS7029: the emitted shape falls through from one stop's case to the next
        case 0:
          if (($t = callee[g.PLAIN]($d + 1, x)) === __pending) return g.park(__s[0], [level, this, 1, x]);
        case 1:
          if ($s === 1) $t = g.resumed();
          return ($t as number) + 1;
      }
      return undefined;
    }, 'level') as unknown as GreenFn;
  }
  return next;
}

/** A plain-first leaf whose one statement stops at `wait(p)` (`made`: the primitive's frame or Suspension). */
function plainLeaf(made: (x: number) => unknown, ifNegativeOnly = false): GreenFn {
  return g.fnp(function leaf(this: unknown, $k: any, x: number): unknown {
    var $s = 0, $d = 0, $t: any;
    if (typeof $k === 'number') {
      if ($k >= 50) return g.defer([leaf, this, 0, x]);
      $d = $k;
    } else {
      $s = $k[2];
      x = $k[3];
    }
    switch ($s) {
      // @ts-ignore TS7029 (as above)
      case 0:
        if (ifNegativeOnly && x >= 0) return x; // `if (x < 0) wait(p); return x;` with its stop not taken
        if (__call(made(x) as Frame, __s[0], $d)) return g.park(void 0, [leaf, this, 1, x]);
        $t = __result();
      case 1:
        if ($s === 1) $t = g.resumed();
        return ifNegativeOnly ? x : $t;
    }
    return undefined;
  }, 'leaf') as unknown as GreenFn;
}

// Leaves. "Suspends once": parks on an already-resolved promise (the cheapest real suspension,
// a microtask away in both styles). "Could suspend but does not": a branch that is not taken.
const greenLeafSuspends = g.fn(function* leaf(x: number): Generator<unknown, unknown, unknown> {
  return yield __at(rt.wait[g.BODY](Promise.resolve(x)), __s[0]);
} as never, 'leaf') as GreenFn;
async function asyncLeafSuspends(x: number): Promise<number> {
  return await Promise.resolve(x);
}
async function asyncLeafImmediate(x: number): Promise<number> {
  return await new Promise<number>((resolve) => setImmediate(resolve, x));
}
const greenLeafNoSuspend = g.fn(function* leaf(x: number): Generator<unknown, unknown, unknown> {
  if (x < 0) yield __at(rt.wait[g.BODY](Promise.resolve(x)), __s[0]);
  return x;
} as never, 'leaf') as GreenFn;
async function asyncLeafNoSuspend(x: number): Promise<number> {
  if (x < 0) await Promise.resolve(x);
  return x;
}

/** Wall-clock and CPU time (this process: user + system, all threads) since `start`. */
interface Sample {
  wall: number;
  cpu: number;
}
function clock(): () => Sample {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - wall0) * 1e6, cpu: (cpu.user + cpu.system) * 1e3 };
  };
}
function per(sample: Sample, n: number): Sample {
  return { wall: sample.wall / n, cpu: sample.cpu / n };
}

// Drivers: call `top(i)` `calls` times in one green thread, or with await, and sum. Each chain
// gets its own copy (`own`).
function greenDriver(top: GreenFn, calls: number): Promise<number> {
  return runThread(g.fn(function* driver(): Generator<unknown, unknown, unknown> {
    let sum = 0;
    for (let i = 0; i < calls; i++) sum += (__call(top[g.BODY](i), __s[0]) ? yield __pending : __result()) as number;
    return sum;
  } as never, 'driver') as unknown as () => number);
}
/** For a plain-first `top` (the driver's loop keeps the driver a generator). */
function plainDriver(top: GreenFn, calls: number): Promise<number> {
  const entry = (top as unknown as { [g.PLAIN]: (k: unknown, x: number) => unknown })[g.PLAIN];
  return runThread(g.fn(function* driver(): Generator<unknown, unknown, unknown> {
    let sum = 0;
    for (let i = 0; i < calls; i++) sum += (g.callp(entry(g.depth(), i), __s[0]) ? yield __pending : __result()) as number;
    return sum;
  } as never, 'driver') as unknown as () => number);
}
async function asyncDriver(top: (x: number) => Promise<number>, calls: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < calls; i++) sum += await top(i);
  return sum;
}

/** ns per call of `drive(calls)`. */
async function timeCalls(drive: (calls: number) => Promise<number>, calls: number): Promise<Sample> {
  const elapsed = clock();
  await drive(calls);
  return per(elapsed(), calls);
}

/**
 * Resume cost at `depth`: the chain is built once (as a program's functions are), then its leaf
 * parks `resumes` times per measurement. ns per resume.
 */
const greenResumeLeaf = g.fn(function* leaf(n: number): Generator<unknown, unknown, unknown> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (yield __at(rt.wait[g.BODY](Promise.resolve(i)), __s[0])) as number;
  return sum;
} as never, 'leaf') as GreenFn;
const asyncResumeLeaf = async (n: number) => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await Promise.resolve(i);
  return sum;
};
// the leaf parks in a loop, so it stays a generator; the levels above it are plain-first
const greenResumeChains = new Map([1, 100].map((depth) => [depth, own(plainChain)(depth, greenResumeLeaf)]));
const asyncResumeChains = new Map([1, 100].map((depth) => [depth, own(asyncChain)(depth, asyncResumeLeaf)]));
async function timeGreenResumes(depth: number, resumes: number): Promise<Sample> {
  const top = greenResumeChains.get(depth)!;
  const elapsed = clock();
  await run(g.bind(top, null, resumes) as unknown as () => number);
  return per(elapsed(), resumes);
}
async function timeAsyncResumes(depth: number, resumes: number): Promise<Sample> {
  const top = asyncResumeChains.get(depth)!;
  const elapsed = clock();
  await top(resumes);
  return per(elapsed(), resumes);
}

/**
 * Heap bytes per thread parked at depth 5, `count` threads: the leaf waits on a gate, either an
 * Event (a channel: the thread parks in its wait list) or a promise (`wait(p)`, i.e. `await p`).
 */
let greenGate = new Event();
let greenGatePromise: Promise<void> = Promise.resolve();
const greenParkOnEvent = own(plainChain)(5, own(plainLeaf)(() => (greenGate as unknown as { wait: GreenFn }).wait[g.BODY].call(greenGate)));
const greenParkOnPromise = own(plainChain)(5, own(plainLeaf)(() => rt.wait[g.BODY](greenGatePromise)));
const generatorParkOnPromise = own(greenChain)(5, g.fn(function* leaf(): Generator<unknown, unknown, unknown> {
  yield __at(rt.wait[g.BODY](greenGatePromise), __s[0]);
  return 0;
} as never, 'leaf') as GreenFn);
async function heapGreenParked(top: GreenFn, count: number): Promise<Sample> {
  greenGate = new Event();
  let open!: () => void;
  greenGatePromise = new Promise<void>((resolve) => (open = resolve));
  const threads: Thread<unknown>[] = new Array(count);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) threads[i] = spawn(top as () => number);
  gc();
  const after = process.memoryUsage().heapUsed;
  greenGate.set();
  open();
  await Promise.all(threads.map((t) => t.promise));
  const bytes = (after - before) / count;
  return { wall: bytes, cpu: bytes };
}
let asyncGate: Promise<void> = Promise.resolve();
const asyncParkTop = own(asyncChain)(5, async () => {
  await asyncGate;
  return 0;
});
async function heapAsyncParked(count: number): Promise<Sample> {
  let open!: () => void;
  asyncGate = new Promise<void>((resolve) => (open = resolve));
  const pending: Promise<number>[] = new Array(count);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) pending[i] = asyncParkTop(0);
  gc();
  const after = process.memoryUsage().heapUsed;
  open();
  await Promise.all(pending);
  const bytes = (after - before) / count;
  return { wall: bytes, cpu: bytes };
}

// ---------------------------------------------------------------------------------------------

interface Pair {
  name: string;
  target: string;
  check: (ratio: number) => boolean;
  green: () => Promise<Sample>;
  async: () => Promise<Sample>;
  /** Memory, not time: one figure. */
  bytes?: boolean;
}

const CALLS = 50_000;

// Every chain is built once, as a program's functions are; measurements reuse them.
const chains = {
  plainSuspends: own(plainChain)(10, own(plainLeaf)((x: number) => rt.wait[g.BODY](Promise.resolve(x)))),
  plainImmediate: own(plainChain)(10, own(plainLeaf)((x: number) => rt.wait[g.BODY](new Promise((resolve) => setImmediate(resolve, x))))),
  plainNoSuspend: own(plainChain)(10, own(plainLeaf)((x: number) => rt.wait[g.BODY](Promise.resolve(x)), true)),
  greenSuspends: own(greenChain)(10, greenLeafSuspends),
  greenNoSuspend: own(greenChain)(10, greenLeafNoSuspend),
  asyncSuspends: own(asyncChain)(10, asyncLeafSuspends),
  asyncImmediate: own(asyncChain)(10, asyncLeafImmediate),
  asyncNoSuspend: own(asyncChain)(10, asyncLeafNoSuspend),
};
/** `drive(calls)` with a copy of `driver` of its own for `top`. */
function driven<T>(driver: (top: T, calls: number) => Promise<number>, top: T): (calls: number) => Promise<number> {
  const copy = own(driver);
  return (calls) => copy(top, calls);
}
/** Each chain's own driver. */
const drive = {
  plainSuspends: driven(plainDriver, chains.plainSuspends),
  plainImmediate: driven(plainDriver, chains.plainImmediate),
  plainNoSuspend: driven(plainDriver, chains.plainNoSuspend),
  greenSuspends: driven(greenDriver, chains.greenSuspends),
  greenNoSuspend: driven(greenDriver, chains.greenNoSuspend),
  asyncSuspends: driven(asyncDriver, chains.asyncSuspends),
  asyncImmediate: driven(asyncDriver, chains.asyncImmediate),
  asyncNoSuspend: driven(asyncDriver, chains.asyncNoSuspend),
};
const RESUMES = 50_000;
const PARKED = 10_000;

const pairs: Pair[] = [
  {
    name: 'depth-10 chain, leaf suspends once (resolved promise)',
    target: '≤ 1.0',
    check: (r) => r <= 1.0,
    green: () => timeCalls(drive.plainSuspends, CALLS),
    async: () => timeCalls(drive.asyncSuspends, CALLS),
  },
  {
    name: 'depth-10 chain, leaf suspends once (setImmediate)',
    target: '≤ 1.0',
    check: (r) => r <= 1.0,
    green: () => timeCalls(drive.plainImmediate, CALLS / 4),
    async: () => timeCalls(drive.asyncImmediate, CALLS / 4),
  },
  {
    name: 'depth-10 chain, could suspend but does not',
    target: '≤ 1.0 (fast path ~0.5)',
    check: (r) => r <= 1.0,
    green: () => timeCalls(drive.plainNoSuspend, CALLS * 5),
    async: () => timeCalls(drive.asyncNoSuspend, CALLS * 5),
  },
  {
    name: 'depth-10 chain, leaf suspends once (resolved promise) (generator lowering)',
    target: '≤ 1.0',
    check: (r) => r <= 1.0,
    green: () => timeCalls(drive.greenSuspends, CALLS),
    async: () => timeCalls(drive.asyncSuspends, CALLS),
  },
  {
    name: 'depth-10 chain, could suspend but does not (generator lowering)',
    target: '≤ 1.0',
    check: (r) => r <= 1.0,
    green: () => timeCalls(drive.greenNoSuspend, CALLS * 5),
    async: () => timeCalls(drive.asyncNoSuspend, CALLS * 5),
  },
  {
    name: 'heap per parked thread, depth 5, green parked on an Event',
    target: '≤ 0.6',
    check: (r) => r <= 0.6,
    bytes: true,
    green: () => heapGreenParked(greenParkOnEvent, PARKED),
    async: () => heapAsyncParked(PARKED),
  },
  {
    name: 'heap per parked thread, depth 5, green parked on wait(promise)',
    target: '≤ 0.6',
    check: (r) => r <= 0.6,
    bytes: true,
    green: () => heapGreenParked(greenParkOnPromise, PARKED),
    async: () => heapAsyncParked(PARKED),
  },
  {
    name: 'heap per parked thread, depth 5, green parked on wait(promise) (generator lowering)',
    target: '≤ 0.6',
    check: (r) => r <= 0.6,
    bytes: true,
    green: () => heapGreenParked(generatorParkOnPromise, PARKED),
    async: () => heapAsyncParked(PARKED),
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
/**
 * Green / async CPU time of each round: the two were measured back to back, so a change in the
 * machine's speed between rounds (a shared host) moves both. Shown beside the ratio of medians.
 */
function pairedRatios(green: Sample[], async: Sample[]): number[] {
  return green.map((sample, round) => sample.cpu / async[round].cpu);
}
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function main(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 15);
  const only = process.env.ONLY;
  const all = [...pairs, ...depthPairs].filter((p) => !only || only.split(',').some((o) => p.name.includes(o)));
  const greenSamples = new Map<string, Sample[]>();
  const asyncSamples = new Map<string, Sample[]>();
  for (const p of all) {
    greenSamples.set(p.name, []);
    asyncSamples.set(p.name, []);
  }
  // Time first, memory last: the memory rounds force full collections with 10,000 parked
  // threads, which leaves the heap in a state that slows everything measured after it (async/await
  // as much as green), so they are kept apart from the timed rounds.
  const isMemory = (p: (typeof all)[number]) => 'bytes' in p && p.bytes === true;
  const timed = all.filter((p) => !isMemory(p));
  const memory = all.filter(isMemory);
  for (const p of timed) {
    // warm-up round, not recorded
    await p.green();
    await p.async();
  }
  for (const group of [timed, memory]) {
    // Interleaved rounds; the order within a pair alternates between rounds.
    for (let round = 0; round < rounds; round++) {
      for (const p of group) {
        if (round % 2 === 0) {
          greenSamples.get(p.name)!.push(await p.green());
          asyncSamples.get(p.name)!.push(await p.async());
        } else {
          asyncSamples.get(p.name)!.push(await p.async());
          greenSamples.get(p.name)!.push(await p.green());
        }
      }
    }
  }
  const med = (name: string, side: Map<string, Sample[]>, key: keyof Sample) => median(side.get(name)!.map((x) => x[key]));

  const cpu = cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc').toString().trim();
  } catch {
    // keep os.cpus()
  }
  const lines: string[] = [];
  lines.push(`Machine: ${cpu}, nproc ${nproc}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end; Node ${process.version}; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${rounds} interleaved rounds after one warm-up round, medians.`);
  lines.push('Times are per call (or per resume): CPU time of the process (user + system), and wall-clock time.');
  lines.push('');
  lines.push('| shape | green CPU | async CPU | ratio (CPU) | green wall | async wall | ratio (wall) | per-round ratio (CPU): median [min-max] | target | met (CPU) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const p of pairs.filter((p) => all.includes(p))) {
    if (p.bytes) continue;
    const gc = med(p.name, greenSamples, 'cpu');
    const ac = med(p.name, asyncSamples, 'cpu');
    const gw = med(p.name, greenSamples, 'wall');
    const aw = med(p.name, asyncSamples, 'wall');
    const paired = pairedRatios(greenSamples.get(p.name)!, asyncSamples.get(p.name)!);
    const spread = `${median(paired).toFixed(2)} [${Math.min(...paired).toFixed(2)}-${Math.max(...paired).toFixed(2)}]`;
    lines.push(`| ${p.name} | ${fmt(gc)} ns | ${fmt(ac)} ns | ${(gc / ac).toFixed(2)} | ${fmt(gw)} ns | ${fmt(aw)} ns | ${(gw / aw).toFixed(2)} | ${spread} | ${p.target} | ${p.check(gc / ac) ? 'yes' : 'NO'} |`);
  }
  const memoryPairs = pairs.filter((p) => all.includes(p) && p.bytes);
  if (memoryPairs.length > 0) {
    lines.push('');
    lines.push(`| memory (${PARKED} threads parked, heapUsed after gc, per thread) | green | async/await (\`await gate\`) | ratio | target | met |`);
    lines.push('|---|---:|---:|---:|---|---|');
  }
  for (const p of memoryPairs) {
    const gb = med(p.name, greenSamples, 'wall');
    const ab = med(p.name, asyncSamples, 'wall');
    lines.push(`| ${p.name} | ${gb.toFixed(0)} bytes | ${ab.toFixed(0)} bytes | ${(gb / ab).toFixed(2)} | ${p.target} | ${p.check(gb / ab) ? 'yes' : 'NO'} |`);
  }
  if (all.includes(depthPairs[0]) && all.includes(depthPairs[1])) {
    const [d1, d100] = depthPairs.map((p) => p.name);
    const g1 = med(d1, greenSamples, 'cpu');
    const g100 = med(d100, greenSamples, 'cpu');
    const a1 = med(d1, asyncSamples, 'cpu');
    const a100 = med(d100, asyncSamples, 'cpu');
    const g1w = med(d1, greenSamples, 'wall');
    const g100w = med(d100, greenSamples, 'wall');
    lines.push('');
    lines.push('| resume cost (chain built once, the leaf parks repeatedly) | green CPU | green wall | async CPU |');
    lines.push('|---|---:|---:|---:|');
    lines.push(`| ${d1} | ${fmt(g1)} ns | ${fmt(g1w)} ns | ${fmt(a1)} ns |`);
    lines.push(`| ${d100} | ${fmt(g100)} ns | ${fmt(g100w)} ns | ${fmt(a100)} ns |`);
    lines.push(`| depth 100 / depth 1 (target ≤ 1.5 for green) | ${(g100 / g1).toFixed(2)} ${g100 / g1 <= 1.5 ? '(met)' : '(NOT met)'} | ${(g100w / g1w).toFixed(2)} | ${(a100 / a1).toFixed(2)} |`);
  }
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
