import test from 'ava';
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { CancelledError, Event, GreenContextError, Thread, current, run, sleep, spawn, suspend, wait, yieldNow } from '../../runtime/index.js';
import { call, callMethod, deferred, entry, g, gfn, settleLoop } from './support.js';

test('run returns the promise of the result; spawn returns a Thread with promise, done, join', async (t) => {
  t.is(await run(gfn('one', function* () {
    yield call(sleep, 1);
    return 1;
  })), 1);
  const thread = spawn(gfn('two', function* () {
    yield call(sleep, 1);
    return 2;
  }));
  t.true(thread instanceof Thread);
  t.false(thread.done);
  t.is(thread.name, 'two');
  const joined = await run(gfn('joiner', function* () {
    return yield callMethod(thread, 'join');
  }));
  t.is(joined, 2);
  t.true(thread.done);
  t.is(await thread.promise, 2);
});

test('a thread cancelled before it ever ran does not run; one cancelled while running stops at its next suspension', async (t) => {
  const ran: string[] = [];
  const [early, late] = await run(gfn('parent', function* () {
    // Spawned from green code: queued until the parent parks, so the cancel comes first.
    const early = spawn(gfn('early', function* () {
      ran.push('early');
    }));
    early.cancel();
    const late = spawn(gfn('late', function* () {
      ran.push('late started');
      current()!.cancel(); // while running: delivered at the next suspension point
      ran.push('late still running');
      try {
        yield call(sleep, 60_000);
      } finally {
        ran.push('late finally');
      }
      ran.push('late after sleep');
    }));
    yield call(yieldNow);
    return [early, late];
  }));
  await t.throwsAsync(early.promise, { instanceOf: CancelledError });
  await t.throwsAsync(late.promise, { instanceOf: CancelledError });
  t.deepEqual(ran, ['late started', 'late still running', 'late finally']);
});

test('join rethrows the joined thread failure', async (t) => {
  const failing = spawn(gfn('failing', function* () {
    yield call(sleep, 1);
    throw new Error('child failed');
  }));
  const error = await t.throwsAsync(run(gfn('joiner', function* () {
    yield callMethod(failing, 'join');
  })));
  t.is(error?.message, 'child failed');
});

test('a plain function passed to run runs in the thread; green code reached from it is guarded', async (t) => {
  let inside: unknown;
  t.is(await run(() => {
    inside = current();
    return 5;
  }), 5);
  t.true(inside instanceof Thread);
  const napping = gfn('napping', function* () {
    yield call(sleep, 1);
  });
  const error = await t.throwsAsync(run(() => napping()), { instanceOf: GreenContextError });
  t.regex(error!.message, /napping\(\) cannot suspend here \(at sleep\(\)\)/);
});

test('current() is the running thread inside, undefined outside', async (t) => {
  t.is(current(), undefined);
  const thread = spawn(gfn('me', function* () {
    yield call(sleep, 1);
    return current();
  }));
  t.is(await thread.promise, thread);
});

test('cancel throws CancelledError at the suspension point, runs finally and the cancel hook', async (t) => {
  const events: string[] = [];
  const thread = spawn(gfn('worker', function* () {
    try {
      yield call(suspend<void>, () => () => events.push('cancel hook'));
      events.push('not reached');
    } catch (error) {
      events.push(`caught ${(error as Error).name}: ${(error as Error).message}`);
      throw error;
    } finally {
      events.push('finally');
    }
  }));
  thread.cancel('shutting down');
  const error = await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
  t.is((error as CancelledError).reason, 'shutting down');
  t.deepEqual(events, ['cancel hook', 'caught CancelledError: green thread cancelled: shutting down', 'finally']);
});

test('a cancelled thread may suspend in its finally blocks (cleanup), and a second cancel is ignored', async (t) => {
  const events: string[] = [];
  const thread = spawn(gfn('worker', function* () {
    try {
      yield call(sleep, 10_000);
    } finally {
      yield call(sleep, 1);
      events.push('cleanup done');
    }
  }));
  thread.cancel();
  thread.cancel('again');
  await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
  t.deepEqual(events, ['cleanup done']);
});

test('cancelling a thread that has not started yet never runs its body', async (t) => {
  let ran = false;
  let child: Thread<unknown> | undefined;
  await run(gfn('parent', function* () {
    child = spawn(gfn('child', function* () {
      ran = true;
    }));
    child.cancel();
    yield call(sleep, 1);
  }));
  t.false(ran);
  t.true(child!.done);
  await t.throwsAsync(child!.promise, { instanceOf: CancelledError });
});

test('a thread that cancels itself gets CancelledError at its next suspension point', async (t) => {
  const events: string[] = [];
  const thread = spawn(gfn('self', function* () {
    current()!.cancel('by myself');
    events.push('still running');
    try {
      yield call(sleep, 1);
    } catch (error) {
      events.push((error as Error).name);
      throw error;
    }
  }));
  await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
  t.deepEqual(events, ['still running', 'CancelledError']);
});

test('a cancel that came while running is thrown at a wait on a native promise; the promise settling later resumes nothing', async (t) => {
  const gate = deferred<string>();
  const events: string[] = [];
  const thread = spawn(gfn('waiter', function* () {
    events.push((yield call(wait, Promise.resolve('first'))) as string);
    current()!.cancel('while running');
    try {
      events.push((yield call(wait, gate.promise)) as string);
    } finally {
      events.push('finally');
    }
  }));
  await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
  gate.resolve('late');
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(events, ['first', 'finally']);
});

test('a thread whose promise was read resumes from many promise waits in order, each with its own value', async (t) => {
  // `run` reads the thread's promise at once, so the thread has its rarely used state allocated;
  // resumes from native promises must still be exact.
  const result = await run(gfn('many', function* () {
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const next = i % 3 === 0 ? Promise.resolve(i) : new Promise<number>((resolve) => setImmediate(resolve, i));
      got.push((yield call(wait, next)) as number);
    }
    let rejected = 'not thrown';
    try {
      yield call(wait, Promise.reject(new Error('no')));
    } catch (error) {
      rejected = (error as Error).message;
    }
    return { got, rejected };
  }));
  t.deepEqual(result.got, Array.from({ length: 1000 }, (_, i) => i));
  t.is(result.rejected, 'no');
});

test('a resume after cancellation is ignored (called once semantics)', async (t) => {
  let resumeLater: ((e: unknown, v?: number) => void) | undefined;
  const thread = spawn(gfn('w', function* () {
    return yield call(suspend<number>, (resume) => {
      resumeLater = resume;
    });
  }));
  thread.cancel();
  resumeLater!(null, 1);
  resumeLater!(null, 2);
  await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
});

test('10,000 concurrent threads park and all finish with their own results', async (t) => {
  const start = new Event();
  let parked = 0;
  const worker = gfn('worker', function* (i: number) {
    parked++;
    yield callMethod(start, 'wait');
    yield call(yieldNow);
    yield call(sleep, i % 3);
    return i * 2;
  });
  const threads = Array.from({ length: 10_000 }, (_, i) => spawn(g.bind(worker, null, i) as () => number));
  t.is(parked, 10_000);
  t.true(threads.every((thread) => !thread.done));
  start.set();
  const results = await Promise.all(threads.map((thread) => thread.promise));
  t.deepEqual(results, Array.from({ length: 10_000 }, (_, i) => i * 2));
});

test('the AsyncLocalStorage context of the starter is active on every resume', async (t) => {
  const als = new AsyncLocalStorage<string>();
  const gate = new Event();
  const seen: (string | undefined)[] = [];
  const observer = gfn('observer', function* () {
    seen.push(als.getStore());
    yield call(sleep, 1);
    seen.push(als.getStore());
    yield callMethod(gate, 'wait'); // woken by a thread running in another context
    seen.push(als.getStore());
    yield call(suspend<void>, (resume) => void new Promise<void>((r) => als.run('callback context', r)).then(() => als.run('then context', () => resume(null))));
    seen.push(als.getStore());
  });
  const thread = als.run('request-1', () => spawn(observer));
  const setter = als.run('request-2', () => spawn(gfn('setter', function* () {
    yield call(sleep, 5);
    t.is(als.getStore(), 'request-2');
    gate.set();
  })));
  await Promise.all([thread.promise, setter.promise]);
  t.deepEqual(seen, ['request-1', 'request-1', 'request-1', 'request-1']);
});

test('ALS context is kept across waits on promises and thenables settled from other contexts, and timers', async (t) => {
  const als = new AsyncLocalStorage<string>();
  let resolveForeign!: (v: number) => void;
  const foreign = als.run('foreign', () => new Promise<number>((resolve) => (resolveForeign = resolve)));
  let thenableCallback: ((v: number) => void) | undefined;
  const thenable = { then: (onValue: (v: number) => void) => void (thenableCallback = onValue) } as unknown as PromiseLike<number>;
  const seen: (string | undefined)[] = [];
  const thread = als.run('mine', () =>
    spawn(gfn('waiter', function* () {
      yield call(g.wait, foreign);
      seen.push(als.getStore());
      yield call(g.wait, thenable);
      seen.push(als.getStore());
      yield call(sleep, 1);
      seen.push(als.getStore());
      yield call(yieldNow);
      seen.push(als.getStore());
    })),
  );
  als.run('resolver', () => setTimeout(() => resolveForeign(1), 1));
  while (thenableCallback === undefined) await new Promise((r) => setTimeout(r, 1));
  als.run('other callback', () => thenableCallback!(2));
  await thread.promise;
  t.deepEqual(seen, ['mine', 'mine', 'mine', 'mine']);
});

test('a @green root called from plain code starts a thread and returns a promise', async (t) => {
  const handle = entry('handle', function* (id: number) {
    yield call(sleep, 1);
    return `user ${id}`;
  });
  const promise = handle(7);
  t.true(promise instanceof Promise);
  t.is(await promise, 'user 7');
});

// Unhandled rejections are checked in a child process: ava itself fails a test on one.
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const runtime = JSON.stringify(join(__dirname, '..', '..', 'runtime', 'index.js'));
  const internal = JSON.stringify(join(__dirname, '..', '..', 'runtime', 'internal.js'));
  const script = `const R = require(${runtime}); const g = require(${internal});\n${source}`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const FAILING = `const failing = g.fn(function* () { yield R.sleep[g.BODY](1); throw new Error('fire-and-forget failed'); }, 'failing');`;

test('a failing fire-and-forget thread surfaces as an unhandled rejection', async (t) => {
  const result = await runScript(`${FAILING}\nR.spawn(failing);`);
  t.not(result.code, 0);
  t.regex(result.stderr, /fire-and-forget failed/);
});

test('a failing @green root nobody awaits surfaces as an unhandled rejection', async (t) => {
  const result = await runScript(`const root = g.fn(function* () { yield R.sleep[g.BODY](1); throw new Error('root failed'); }, 'root', g.ENTRY);\nroot();`);
  t.not(result.code, 0);
  t.regex(result.stderr, /root failed/);
});

test('a joined, awaited or cancelled thread is not reported as unhandled', async (t) => {
  const result = await runScript(`${FAILING}
process.on('unhandledRejection', (e) => { console.log('UNHANDLED ' + e.message); process.exitCode = 3; });
const a = R.spawn(failing);
R.run(g.fn(function* () { try { yield a.join[g.BODY].call(a); } catch (e) { console.log('joined: ' + e.message); } }, 'j'));
R.spawn(failing).promise.catch((e) => console.log('awaited: ' + e.message));
const c = R.spawn(g.fn(function* () { yield R.sleep[g.BODY](10000); }, 'sleeper')); c.cancel();
setTimeout(() => console.log('end'), 30);`);
  t.is(result.code, 0, result.stderr);
  t.is(result.stdout, 'joined: fire-and-forget failed\nawaited: fire-and-forget failed\nend\n');
});

test('Thread can be constructed directly and runs like spawn', async (t) => {
  const gate = deferred<number>();
  const thread = new Thread(gfn('direct', function* () {
    return ((yield call(g.wait, gate.promise)) as number) + 1;
  }));
  gate.resolve(41);
  t.is(await thread.promise, 42);
  await settleLoop();
});
