import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancelledError, Local, TimeoutError, all, race, run, sleep, spawn, suspend, timeout, wait, yieldNow } from '../../runtime/index.js';
import { call, deferred, g, gfn, settleLoop } from './support.js';

const napThen = <T>(ms: number, value: T) =>
  gfn(`nap${ms}`, function* () {
    yield call(sleep, ms);
    return value;
  });

test('wait returns a promise value, throws its rejection, passes plain values through', async (t) => {
  const ok = deferred<string>();
  const bad = deferred<string>();
  const results = run(gfn('main', function* () {
    const a = yield call(wait, ok.promise);
    let b: unknown;
    try {
      yield call(wait, bad.promise);
    } catch (error) {
      b = (error as Error).message;
    }
    const c = yield call(wait, 'plain');
    const d = yield call(wait, { then: (resolve: (v: number) => void) => resolve(9) } as unknown as PromiseLike<number>);
    return [a, b, c, d];
  }));
  ok.resolve('fine');
  bad.reject(new Error('rejected'));
  t.deepEqual(await results, ['fine', 'rejected', 'plain', 9]);
});

test('wait rejects with falsy reasons too', async (t) => {
  const caught = await run(gfn('main', function* () {
    try {
      yield call(wait, Promise.reject(undefined));
      return 'no throw';
    } catch (error) {
      return error;
    }
  }));
  t.is(caught, undefined);
});

test('wait: a promise wait cut short by a timeout stays cut: its late settlement does not resume a later wait', async (t) => {
  const first = deferred<string>();
  const second = deferred<string>();
  const later = deferred<string>();
  const seen: unknown[] = [];
  const thread = spawn(gfn('main', function* () {
    try {
      yield call(timeout, 1, gfn('inner', function* () {
        return yield call(wait, first.promise);
      }));
    } catch (error) {
      seen.push((error as Error).name);
    }
    // Parked on `second` when `first` settles: the reaction to `first` must be ignored.
    seen.push(yield call(wait, second.promise));
    try {
      seen.push(yield call(wait, later.promise));
    } catch (error) {
      seen.push((error as Error).message);
    }
    return seen;
  }));
  while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  first.resolve('late first');
  await settleLoop();
  t.deepEqual(seen, ['TimeoutError']);
  second.resolve('second');
  await settleLoop();
  later.reject(new Error('later failed'));
  t.deepEqual(await thread.promise, ['TimeoutError', 'second', 'later failed']);
});

test('wait on a Promise subclass whose then calls back twice, at once: the first call counts', async (t) => {
  class Eager<T> extends Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override then(onFulfilled?: any): any {
      onFulfilled(1);
      onFulfilled(2);
      return Promise.resolve();
    }
  }
  const eager = new Eager<number>(() => {});
  t.deepEqual(await run(gfn('main', function* () {
    const a = yield call(wait, eager);
    const b = yield call(wait, Promise.resolve(3));
    return [a, b];
  })), [1, 3]);
});

test('a parked thread holds neither the promise it waits on nor the suspension it parked at', async (t) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Made by functions the bodies call, so that no closure or variable of theirs keeps them:
  // only the runtime could.
  const made: WeakRef<object>[] = [];
  const neverSettles = () => {
    const promise = new Promise<void>(() => {}); // nothing can settle it
    made.push(new WeakRef(promise));
    return promise;
  };
  const doNothing = () => {
    const start = () => undefined; // the Suspension of `suspend` holds it as its data
    made.push(new WeakRef(start));
    return start;
  };
  const park = () => {
    const threads = [
      spawn(gfn('onPromise', function* () {
        yield call(wait, neverSettles());
      })),
      spawn(gfn('onSuspend', function* () {
        yield call(suspend, doNothing());
      })),
    ];
    return { threads, refs: made };
  };
  const { threads, refs } = park();
  // WeakRefs made in a job stay alive until it ends: collect from a later macrotask.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  t.false(threads[0].done || threads[1].done);
  t.deepEqual(refs.map((ref) => ref.deref()), [undefined, undefined]);
});

test('suspend: resume(error) throws, resume(null, v) returns, a thrown start is the error', async (t) => {
  const results = await run(gfn('main', function* () {
    const out: unknown[] = [];
    out.push(yield call(suspend<number>, (resume) => void setTimeout(() => resume(null, 1), 1)));
    try {
      yield call(suspend<number>, (resume) => void setTimeout(() => resume(new Error('io failed')), 1));
    } catch (error) {
      out.push((error as Error).message);
    }
    try {
      yield call(suspend<number>, () => {
        throw new Error('start failed');
      });
    } catch (error) {
      out.push((error as Error).message);
    }
    out.push(yield call(suspend<number>, (resume) => {
      resume(null, 2);
      resume(null, 3); // ignored
    }));
    return out;
  }));
  t.deepEqual(results, [1, 'io failed', 'start failed', 2]);
});

test('sleep parks the thread and its timer is cleared on cancel', async (t) => {
  const thread = spawn(gfn('sleeper', function* () {
    yield call(sleep, 60_000); // the pending timer would keep the test process alive if not cleared
  }));
  thread.cancel();
  await t.throwsAsync(thread.promise, { instanceOf: CancelledError });
});

test('yieldNow interleaves threads', async (t) => {
  const order: string[] = [];
  const worker = (name: string) =>
    gfn(name, function* () {
      for (let i = 0; i < 3; i++) {
        order.push(`${name}${i}`);
        yield call(yieldNow);
      }
    });
  await Promise.all([run(worker('a')), run(worker('b'))]);
  t.deepEqual(order, ['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
});

test('all returns results in the order of the functions, not of completion', async (t) => {
  const result = await run(gfn('main', function* () {
    return yield call(all, [napThen(30, 'slow'), napThen(1, 'fast'), () => 'plain', napThen(10, 'mid')]);
  }));
  t.deepEqual(result, ['slow', 'fast', 'plain', 'mid']);
  t.deepEqual(await run(gfn('empty', function* () {
    return yield call(all, []);
  })), []);
});

test('all: the first failure cancels the siblings, their finally blocks run, then it is thrown', async (t) => {
  const events: string[] = [];
  const sibling = (name: string) =>
    gfn(name, function* () {
      try {
        yield call(sleep, 60_000);
      } catch (error) {
        events.push(`${name} ${(error as Error).name}`);
        throw error;
      } finally {
        yield call(sleep, 1); // cleanup may suspend; all waits for it
        events.push(`${name} finally`);
      }
    });
  const failing = gfn('failing', function* () {
    yield call(sleep, 5);
    throw new Error('first failure');
  });
  const error = await t.throwsAsync(run(gfn('main', function* () {
    try {
      yield call(all, [sibling('s1'), failing, sibling('s2')]);
    } finally {
      events.push('all returned');
    }
  })));
  t.is(error?.message, 'first failure');
  t.deepEqual(events, ['s1 CancelledError', 's2 CancelledError', 's1 finally', 's2 finally', 'all returned']);
});

test('all: cancelling the parent cancels the children', async (t) => {
  const events: string[] = [];
  const child = (name: string) =>
    gfn(name, function* () {
      try {
        yield call(sleep, 60_000);
      } finally {
        events.push(`${name} finally`);
      }
    });
  const parent = spawn(gfn('parent', function* () {
    yield call(all, [child('c1'), child('c2')]);
  }));
  await new Promise((r) => setImmediate(r));
  parent.cancel();
  await t.throwsAsync(parent.promise, { instanceOf: CancelledError });
  t.deepEqual(events, ['c1 finally', 'c2 finally']);
});

test('race: the first to finish wins and the others are cancelled with finally run', async (t) => {
  const events: string[] = [];
  const loser = gfn('loser', function* () {
    try {
      yield call(sleep, 60_000);
    } finally {
      events.push('loser finally');
    }
  });
  const winner = await run(gfn('main', function* () {
    return yield call(race, [loser, napThen(2, 'winner')]);
  }));
  t.is(winner, 'winner');
  t.deepEqual(events, ['loser finally']);
  const error = await t.throwsAsync(run(gfn('main', function* () {
    return yield call(race, [loser, gfn('boom', function* () {
      yield call(sleep, 1);
      throw new Error('first to fail');
    })]);
  })));
  t.is(error?.message, 'first to fail');
});

test('timeout returns the value when fn finishes in time', async (t) => {
  t.is(await run(gfn('main', function* () {
    return yield call(timeout, 1000, napThen(1, 'in time'));
  })), 'in time');
});

test('timeout: at expiry fn is cancelled where it is parked, finally and cancel hook run, TimeoutError is thrown promptly', async (t) => {
  const events: string[] = [];
  const slow = gfn('slow', function* () {
    try {
      yield call(suspend<void>, () => () => events.push('cancel hook'));
    } catch (error) {
      events.push(`caught ${(error as Error).name}`);
      throw error;
    } finally {
      events.push('finally');
    }
  });
  const error = await t.throwsAsync(run(gfn('main', function* () {
    yield call(timeout, 20, slow);
  })), { instanceOf: TimeoutError });
  t.is(error?.message, 'timed out after 20 ms');
  t.deepEqual(events, ['cancel hook', 'caught CancelledError', 'finally']);
});

test('timeout runs fn in the calling thread: thread-local state is shared', async (t) => {
  const tx = new Local<string>();
  const result = await run(gfn('main', function* () {
    tx.set('transaction 1');
    return yield call(timeout, 1000, gfn('inner', function* () {
      yield call(sleep, 1);
      return tx.get();
    }));
  }));
  t.is(result, 'transaction 1');
});

test('nested timeouts: the outer expiry passes through the inner timeout', async (t) => {
  const error = await t.throwsAsync(run(gfn('main', function* () {
    yield call(timeout, 10, gfn('outer', function* () {
      yield call(timeout, 60_000, gfn('inner', function* () {
        yield call(sleep, 60_000);
      }));
    }));
  })), { instanceOf: TimeoutError });
  t.is((error as TimeoutError).ms, 10);
});

test('timeout: an error from fn passes through unchanged; the thread can go on after a timeout', async (t) => {
  const result = await run(gfn('main', function* () {
    const out: string[] = [];
    try {
      yield call(timeout, 1000, gfn('bad', function* () {
        yield call(sleep, 1);
        throw new Error('own error');
      }));
    } catch (error) {
      out.push((error as Error).message);
    }
    try {
      yield call(timeout, 1, gfn('slow', function* () {
        yield call(sleep, 60_000);
      }));
    } catch (error) {
      out.push((error as Error).name);
    }
    yield call(sleep, 5); // a stale expiry must not hit this later suspension
    out.push('went on');
    return out;
  }));
  t.deepEqual(result, ['own error', 'TimeoutError', 'went on']);
});

test('green-only primitives are green functions (carry a body)', (t) => {
  for (const f of [wait, sleep, suspend, yieldNow, all, race, timeout]) t.is(typeof (f as unknown as Record<symbol, unknown>)[g.BODY], 'function', f.name);
});

test('race of nothing never finishes (like Promise.race); a timeout around it ends it', async (t) => {
  await t.throwsAsync(run(gfn('main', function* () {
    yield call(timeout, 5, gfn('nothing', function* () {
      return yield call(race, []);
    }));
  })), { instanceOf: TimeoutError });
});

test('all and timeout called from plain code outside any thread say the transformer may not be applied', async (t) => {
  const error = t.throws(() => all([gfn('child', function* () {
    yield call(sleep, 1);
  })]));
  t.regex(error!.message, /^all\(\) was called outside any green thread/);
  t.throws(() => timeout(10, gfn('slow', function* () {
    yield call(sleep, 1);
  })), { message: /^timeout\(\) was called outside any green thread/ });
  t.is(timeout(10, () => 'plain'), 'plain');
  await new Promise((r) => setTimeout(r, 5)); // let the cancelled child of `all` finish
});
