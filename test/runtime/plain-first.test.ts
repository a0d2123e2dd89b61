// Plain-first functions (runtime/protocol.ts "Plain-first functions"), written by hand in the shape
// the transformer emits (transformer/plain-first-emit.ts), driven by the runtime. The transform's
// own tests (fixtures/functions/plain-first*) run them as compiled from TypeScript.
import test from 'ava';
import { CancelledError, spawn } from '../../runtime/index.js';
import { BODY, PLAIN } from '../../runtime/protocol.js';
import { greenSites } from '../../runtime/stack.js';
import { callMethod, g, gfn } from './support.js';

const [site, leafSite] = g.sites('test/runtime/plain-first.test.ts', ['level', 10, 5, 'leaf', 20, 7]);
type Entry = (k: unknown, ...args: unknown[]) => unknown;
type PlainFirst = ((...args: unknown[]) => unknown) & { [PLAIN]: Entry; [BODY]: (...args: unknown[]) => never };

/** `function leaf(x) { const v = wait(p); log.push(v); return v; }`, emitted plain-first. */
function makeLeaf(p: () => Promise<number>, log: unknown[]): PlainFirst {
  return g.fnp(function leaf(this: unknown, $k: any, x: number): unknown {
    var $s = 0, $d = 0, $t: any, v: any;
    if (typeof $k === 'number') {
      if ($k >= 50) return g.defer([leaf, this, 0, x, v]);
      $d = $k;
    } else {
      $s = $k[2];
      x = $k[3];
      v = $k[4];
    }
    switch ($s) {
      // @ts-ignore TS7029: the emitted shape falls through from one stop's case to the next
      case 0:
        log.push(`start ${x}`);
        if (g.call((g.wait as unknown as { [BODY]: (p: unknown) => never })[BODY](p()), leafSite, $d)) return g.park(void 0, [leaf, this, 1, x, v]);
        $t = g.result();
      case 1:
        if ($s === 1) $t = g.resumed();
        v = $t;
        log.push(v);
        return v;
    }
    return undefined;
  }, 'leaf') as never;
}

/** `function level(x) { return next(x) + 1; }`, emitted plain-first above a plain-first `next`. */
function makeLevel(next: PlainFirst): PlainFirst {
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
        if (($t = next[PLAIN]($d + 1, x)) === g.PENDING) return g.park(site, [level, this, 1, x]);
      case 1:
        if ($s === 1) $t = g.resumed();
        return ($t as number) + 1;
    }
    return undefined;
  }, 'level') as never;
}

test('a chain of plain-first functions returns without a frame when nothing stops, and resumes through continuations when the leaf parks', async (t) => {
  const log: unknown[] = [];
  const top = makeLevel(makeLevel(makeLeaf(() => Promise.resolve(40), log)));
  t.is(await spawn(top as () => number).promise, 42);
  t.deepEqual(log, ['start undefined', 40]);
  // called from a generator body, as `__g.callp(top[__g.PLAIN](__g.depth(), 1), site)` is emitted
  const main = gfn('main', function* () {
    return (g.callp(top[PLAIN](g.depth(), 1), site) ? yield g.PENDING : g.result()) as number;
  });
  t.is(await spawn(main).promise, 42);
  t.deepEqual(log.slice(2), ['start 1', 40]);
});

test('an error thrown at a stop (a rejection) leaves through each continuation, with the sites of the chain', async (t) => {
  const top = makeLevel(makeLevel(makeLeaf(() => Promise.reject(new Error('no row')), [])));
  const error = await t.throwsAsync(spawn(top as () => number).promise, { message: 'no row' });
  // where it was thrown (the leaf's wait), then each caller's call site, innermost first
  t.deepEqual(greenSites(error).map((s) => `${s.fn}:${s.line}`), ['leaf:20', 'level:10', 'level:10']);
  t.regex(String(error!.stack), /at leaf \(test\/runtime\/plain-first\.test\.ts:20:7\)\n\s+at level \(test\/runtime\/plain-first\.test\.ts:10:5\)/);
});

test('a thread whose plain-first function has not started is cancelled before it runs a line', async (t) => {
  const log: unknown[] = [];
  const leaf = makeLeaf(() => new Promise(() => {}), log);
  const main = gfn('main', function* () {
    const early = spawn(leaf as () => number);
    early.cancel();
    try {
      yield callMethod(early, 'join');
    } catch (e) {
      return e instanceof CancelledError;
    }
    return false;
  });
  t.true(await spawn(main).promise);
  t.deepEqual(log, []);
});

test('a thread parked in a plain-first chain is cancelled at the stop: the cancel reaches the generator that called the chain', async (t) => {
  const log: unknown[] = [];
  const top = makeLevel(makeLeaf(() => new Promise(() => {}), log));
  let cleaned = false;
  const outer = gfn('outer', function* () {
    try {
      return (g.callp(top[PLAIN](g.depth(), 7), site) ? yield g.PENDING : g.result()) as number;
    } finally {
      cleaned = true;
    }
  });
  const thread = spawn(outer);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(log, ['start 7']);
  thread.cancel();
  await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
  t.true(cleaned);
});

test('recursion deeper than the inline limit defers and resumes from the driver: 100,000 plain-first levels', async (t) => {
  const depth = 100_000;
  // a chain of 200 distinct levels above a leaf that parks
  let top = makeLeaf(() => Promise.resolve(0), []);
  for (let i = 0; i < 200; i++) top = makeLevel(top);
  // and one function calling itself, emitted plain-first: `if (n === 0) return 0; return down(n - 1) + 1;`
  const down: PlainFirst = g.fnp(function down_1(this: unknown, $k: any, n: number): unknown {
    var $s = 0, $d = 0, $t: any;
    if (typeof $k === 'number') {
      if ($k >= 50) return g.defer([down_1, this, 0, n]);
      $d = $k;
    } else {
      $s = $k[2];
      n = $k[3];
    }
    switch ($s) {
      // @ts-ignore TS7029 (as above)
      case 0:
        if (n === 0) return 0;
        if (($t = down[PLAIN]($d + 1, n - 1)) === g.PENDING) return g.park(site, [down_1, this, 1, n]);
      case 1:
        if ($s === 1) $t = g.resumed();
        return ($t as number) + 1;
    }
    return undefined;
  }, 'down') as never;
  const main = gfn('main', function* () {
    return (g.callp(down[PLAIN](g.depth(), depth), site) ? yield g.PENDING : g.result()) as number;
  });
  t.is(await spawn(main).promise, depth);
  t.is(await spawn(top as () => number).promise, 200);
});
