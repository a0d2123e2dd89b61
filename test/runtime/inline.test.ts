// Inline green calls (runtime/trampoline.ts "Inline calls"): the shape the transformer emits for
// every green call but `await`, written out by hand here:
//     (g.call(f[BODY](args), site) ? (yield g.PENDING) : g.result())
// The callee runs at once on the JS stack; only a callee that stops makes its caller yield.

import test from 'ava';
import { GreenContextError, spawn, sleep, suspend, yieldNow } from '../../runtime/index.js';
import { greenSites } from '../../runtime/stack.js';
import { BODY } from '../../runtime/protocol.js';
import { call, deferred, g, gfn, settleLoop, type Green } from './support.js';

const __s = g.sites('src/inline.ts', ['outer', 10, 3, 'middle', 20, 5, 'leaf', 30, 7]);
type AnyGreen = Green<any[], unknown>;
const bodyOf = (f: AnyGreen) => f[BODY];
/** `__g.wait[__g.BODY]`: what `await p` calls, yielded at once. */
const waitBody = (g.wait as unknown as AnyGreen)[BODY];

test('a chain of inline calls that complete runs to the end inside the spawn, caller code after callee code', (t) => {
  const order: string[] = [];
  const leaf = gfn('leaf', function* (x: number) {
    order.push(`leaf ${x}`);
    return x * 2;
  });
  const middle = gfn('middle', function* (x: number) {
    const v = (g.call(bodyOf(leaf)(x), __s[2]) ? yield g.PENDING : g.result()) as number;
    order.push(`middle got ${v}`);
    return v + 1;
  });
  const thread = spawn(gfn('outer', function* () {
    const a = (g.call(bodyOf(middle)(1), __s[1]) ? yield g.PENDING : g.result()) as number;
    const b = (g.call(bodyOf(middle)(10), __s[1]) ? yield g.PENDING : g.result()) as number;
    return a + b;
  }));
  t.true(thread.done);
  t.deepEqual(order, ['leaf 1', 'middle got 2', 'leaf 10', 'middle got 20']);
  return thread.promise.then((sum) => t.is(sum, 24));
});

test('an inline chain whose leaf parks yields up to the thread; the resume reaches every level, innermost first', async (t) => {
  const order: string[] = [];
  const gate = deferred<number>();
  const leaf = gfn('leaf', function* () {
    const v = (yield g.at(waitBody(gate.promise), __s[2])) as number;
    order.push(`leaf ${v}`);
    return v;
  });
  const middle = gfn('middle', function* () {
    const v = (g.call(bodyOf(leaf)(), __s[2]) ? yield g.PENDING : g.result()) as number;
    order.push(`middle ${v}`);
    return v + 1;
  });
  const thread = spawn(gfn('outer', function* () {
    const v = (g.call(bodyOf(middle)(), __s[1]) ? yield g.PENDING : g.result()) as number;
    order.push(`outer ${v}`);
    return v + 1;
  }));
  t.false(thread.done);
  t.deepEqual(order, []);
  gate.resolve(40);
  t.is(await thread.promise, 42);
  t.deepEqual(order, ['leaf 40', 'middle 40', 'outer 41']);
});

test('a thread parked under inline calls parks many times and keeps its frames in order', async (t) => {
  const leaf = gfn('leaf', function* (n: number) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (yield g.at(waitBody(Promise.resolve(i)), __s[2])) as number;
    return sum;
  });
  const level = gfn('level', function* (depth: number, n: number): Generator<unknown, number, unknown> {
    if (depth === 0) return (g.call(bodyOf(leaf)(n), __s[2]) ? yield g.PENDING : g.result()) as number;
    return ((g.call(bodyOf(level as AnyGreen)(depth - 1, n), __s[1]) ? yield g.PENDING : g.result()) as number) + 1;
  });
  t.is(await spawn(g.bind(level, null, 5, 100) as () => number).promise, 4950 + 5);
  // 120 levels: deeper than the inline limit, so part of the chain went through the trampoline.
  t.is(await spawn(g.bind(level, null, 120, 10) as () => number).promise, 45 + 120);
});

test('200,000-deep recursion of inline calls that never suspend does not grow the JS stack', (t) => {
  const depth: AnyGreen = gfn('depth', function* (n: number): Generator<unknown, number, unknown> {
    if (n === 0) return 0;
    return ((g.call(bodyOf(depth)(n - 1), __s[1]) ? yield g.PENDING : g.result()) as number) + 1;
  });
  const thread = spawn(g.bind(depth, null, 200_000) as () => number);
  t.true(thread.done);
  // The same from plain code, through the run-time guard.
  t.is(depth(200_000), 200_000);
  return thread.promise.then((n) => t.is(n, 200_000));
});

test('an inline callee that throws on its first step throws at the call site, with the call site in its chain', async (t) => {
  const events: string[] = [];
  const leaf = gfn('leaf', function* (): Generator<unknown, never, unknown> {
    throw new Error('boom');
  });
  const middle = gfn('middle', function* () {
    try {
      g.call(bodyOf(leaf)(), __s[2]) ? yield g.PENDING : g.result();
    } finally {
      events.push('middle finally');
    }
  });
  const thread = spawn(gfn('outer', function* () {
    try {
      g.call(bodyOf(middle)(), __s[1]) ? yield g.PENDING : g.result();
    } catch (error) {
      events.push(`caught ${(error as Error).message}`);
      return greenSites(error).map((site) => site.fn);
    }
    return [];
  }));
  t.deepEqual(await thread.promise, ['leaf', 'middle']);
  t.deepEqual(events, ['middle finally', 'caught boom']);
});

test('an error thrown after a suspension under inline calls lists each call site once, innermost first', async (t) => {
  const leaf = gfn('leaf', function* (): Generator<unknown, never, unknown> {
    yield g.at(waitBody(Promise.resolve()), __s[2]);
    throw new Error('late');
  });
  const middle = gfn('middle', function* () {
    return g.call(bodyOf(leaf)(), __s[2]) ? yield g.PENDING : g.result();
  });
  const thread = spawn(gfn('outer', function* () {
    return g.call(bodyOf(middle)(), __s[1]) ? yield g.PENDING : g.result();
  }));
  const error = await t.throwsAsync(thread.promise);
  t.deepEqual(greenSites(error).map((site) => `${site.fn}:${site.line}`), ['leaf:30', 'middle:20']);
  t.true(error!.stack!.endsWith('    at leaf (src/inline.ts:30:7)\n    at middle (src/inline.ts:20:5)'));
});

test('cancelling a thread parked under inline calls runs every level\'s finally, innermost first', async (t) => {
  const events: string[] = [];
  const leaf = gfn('leaf', function* () {
    try {
      g.call(call(sleep, 60_000), __s[2]) ? yield g.PENDING : g.result();
    } finally {
      events.push('leaf finally');
    }
  });
  const middle = gfn('middle', function* () {
    try {
      g.call(bodyOf(leaf)(), __s[2]) ? yield g.PENDING : g.result();
    } finally {
      events.push('middle finally');
    }
  });
  const thread = spawn(middle);
  t.false(thread.done);
  thread.cancel();
  await t.throwsAsync(thread.promise, { name: 'CancelledError' });
  t.deepEqual(events, ['leaf finally', 'middle finally']);
});

test('an inline callee may make calls of the yielded shape, and meet plain callees through dyn', async (t) => {
  const plain = (x: number) => x + 100;
  const yielding = gfn('yielding', function* (x: number) {
    const a = (yield g.at(g.dyn(plain, undefined, [x]), __s[2])) as number; // a Ready, yielded
    yield g.at(call(yieldNow), __s[2]); // a primitive's Suspension, yielded
    return (yield g.at(call(gfn('inner', function* (y: number) { return y * 2; }), a), __s[2])) as number; // a frame, yielded
  });
  const thread = spawn(gfn('outer', function* () {
    const viaDyn = (g.call(g.dyn(plain, undefined, [1]), __s[1]) ? yield g.PENDING : g.result()) as number;
    const viaYield = (g.call(bodyOf(yielding)(1), __s[1]) ? yield g.PENDING : g.result()) as number;
    return [viaDyn, viaYield];
  }));
  t.deepEqual(await thread.promise, [101, 202]);
});

test('an inline call of a primitive that fails without parking throws at the call site', async (t) => {
  const failed = spawn(gfn('failing', function* (): Generator<unknown, never, unknown> {
    throw new Error('worker failed');
  }));
  await t.throwsAsync(failed.promise);
  const thread = spawn(gfn('joiner', function* () {
    try {
      g.call((failed.join as unknown as AnyGreen)[BODY].call(failed), __s[0]) ? yield g.PENDING : g.result();
      return 'not thrown';
    } catch (error) {
      return `${(error as Error).message} at ${greenSites(error).map((site) => site.fn).join(',')}`;
    }
  }));
  t.is(await thread.promise, 'worker failed at outer');
});

test('the run-time guard drives inline chains: a value when nothing parks, GreenContextError through every finally when one does', (t) => {
  const events: string[] = [];
  const leaf = gfn('leaf', function* (park: boolean) {
    try {
      if (park) g.call(call(sleep, 60_000), __s[2]) ? yield g.PENDING : g.result();
      return 'done';
    } finally {
      events.push('leaf finally');
    }
  });
  const middle = gfn('middle', function* (park: boolean) {
    try {
      return g.call(bodyOf(leaf)(park), __s[2]) ? yield g.PENDING : g.result();
    } finally {
      events.push('middle finally');
    }
  });
  t.is(middle(false), 'done');
  t.deepEqual(events, ['leaf finally', 'middle finally']);
  events.length = 0;
  t.throws(() => middle(true), { instanceOf: GreenContextError, message: /^middle\(\) cannot suspend here \(at sleep\(\)\)/ });
  t.deepEqual(events, ['leaf finally', 'middle finally']);
  // Nothing was left behind on the stack the guard's first step pushed on: a later thread runs normally.
  const thread = spawn(() => middle(false));
  t.true(thread.done);
});

test('a guarded call made inside an inline chain that stops leaves the enclosing thread\'s stack as it was', async (t) => {
  // Two levels, so the frame of the inner one is on the thread's stack when the guard sees the
  // stop, and the guard must move it into its own stack.
  const parksInside = gfn('parksInside', function* () {
    g.call(call(suspend<number>, (resume) => void setImmediate(resume, null, 1)), __s[2]) ? yield g.PENDING : g.result();
    return 'unreachable';
  });
  const parks = gfn('parks', function* () {
    return g.call(bodyOf(parksInside)(), __s[2]) ? yield g.PENDING : g.result();
  });
  const callsPlain = gfn('callsPlain', function* () {
    let refused = '';
    try {
      parks(); // plain call: the guard, nested inside this inline call
    } catch (error) {
      refused = (error as Error).constructor.name;
    }
    const after = (yield g.at(waitBody(Promise.resolve('resumed')), __s[1])) as string;
    return `${refused} ${after}`;
  });
  const thread = spawn(gfn('outer', function* () {
    return g.call(bodyOf(callsPlain)(), __s[0]) ? yield g.PENDING : g.result();
  }));
  t.is(await thread.promise, 'GreenContextError resumed');
  await settleLoop();
});
