// Green-only primitives (DESIGN.md "Runtime API — green-ts"): wait sleep suspend yieldNow all race timeout.
//
// Each is a green function written by hand in the emitted shape (protocol.ts): a plain wrapper,
// which is what un-rewritten code calls (it goes through the run-time guard), carrying a generator
// body in `[BODY]`, which is what rewritten code calls. `@suspends` on each declaration tells the
// transformer (reading the .d.ts) that calls to it are suspension points; `@green` on a parameter
// tells it that function expressions passed there are roots.

import type { Frame } from './protocol.js';
import { NEXT, THROW, type CancelHook, Ready, Suspension } from './suspension.js';
import { Thread, current } from './thread.js';
import { CancelledError, TimeoutError } from './errors.js';
import { dyn, guardPrimitive, link } from './wrappers.js';

// ---------------------------------------------------------------------------------------------

// The simplest primitives' bodies return their Suspension (or a Ready) directly rather than a
// frame (trampoline.ts header): no generator per suspension.

/** Park the green thread until `value` settles; return its value or throw its rejection. A non-promise is returned as is. */
/** @suspends */
export function wait<T>(value: PromiseLike<T> | T): T {
  return guardPrimitive(waitBody(value), 'wait') as T;
}
function waitBody(value: unknown): Suspension | Ready {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return new Ready(value);
  const then = (value as PromiseLike<unknown>).then;
  if (typeof then !== 'function') return new Ready(value);
  return new Suspension('wait', (settle) => {
    // The thread may be cancelled meanwhile; the settle is then ignored, and the rejection handled.
    then.call(value, (v: unknown) => settle(NEXT, v), (e: unknown) => settle(THROW, e));
  });
}
link(wait, waitBody as never);

/** Park the green thread for `ms` milliseconds. */
/** @suspends */
export function sleep(ms: number): void {
  guardPrimitive(sleepBody(ms), 'sleep');
}
function sleepBody(ms: number): Suspension {
  return new Suspension('sleep', (settle) => {
    const timer = setTimeout(settle, ms, NEXT);
    return () => clearTimeout(timer);
  });
}
link(sleep, sleepBody as never);

/**
 * The low-level primitive: park the thread, call `start(resume)` to begin an operation that calls
 * `resume(error)` or `resume(null, value)` once when it completes (a later call is ignored).
 * `start` may return a function that cancels the operation: it runs if the thread is cancelled or
 * times out while parked here. `resume` may be called synchronously from `start`; the thread then
 * continues at once.
 */
/** @suspends */
export function suspend<T>(start: (resume: (error: unknown, value?: T) => void) => (() => void) | void): T {
  return guardPrimitive(suspendBody(start), 'suspend') as T;
}
function suspendBody(start: (resume: (error: unknown, value?: unknown) => void) => CancelHook): Suspension {
  if (typeof start !== 'function') throw new TypeError('suspend: start must be a function');
  return new Suspension('suspend', (settle) => {
    const cancel = start((error, value) => (error === undefined || error === null ? settle(NEXT, value) : settle(THROW, error)));
    return typeof cancel === 'function' ? cancel : undefined;
  });
}
link(suspend, suspendBody as never);

/** Let other green threads (and pending I/O callbacks and timers) run, then continue. */
/** @suspends */
export function yieldNow(): void {
  guardPrimitive(yieldNowBody(), 'yieldNow');
}
function yieldNowBody(): Suspension {
  return new Suspension('yieldNow', (settle) => {
    const immediate = setImmediate(settle, NEXT);
    return () => clearImmediate(immediate);
  });
}
link(yieldNow, yieldNowBody as never);

// ---------------------------------------------------------------------------------------------
// Structured concurrency: children run in their own threads; none outlives the call.

type Results<F extends readonly (() => unknown)[]> = { -readonly [K in keyof F]: F[K] extends () => infer R ? R : never };

/**
 * Run each function in its own child thread, concurrently; return their results in order. On the
 * first failure, cancel the others (their `finally` blocks run), wait for them to finish, and
 * throw that failure. If the calling thread is cancelled, the children are cancelled too.
 */
/** @suspends */
export function all<const F extends readonly (() => unknown)[]>(/** @green */ fns: F): Results<F> {
  return guardPrimitive(allBody(fns), 'all') as Results<F>;
}
function* allBody(fns: readonly (() => unknown)[]): Frame {
  const children = Array.from(fns, (fn) => new Thread(fn));
  try {
    yield new Suspension('all', (settle) => {
      let left = children.length;
      if (left === 0) return settle(NEXT);
      const watcher = (child: Thread<unknown>) => {
        if (child.failure) settle(THROW, child.outcome);
        else if (--left === 0) settle(NEXT);
      };
      for (const child of children) child.watch(watcher);
      return () => children.forEach((child) => child.unwatch(watcher));
    });
    return children.map((child) => child.outcome);
  } finally {
    yield stopAll(children);
  }
}
link(all, allBody);

/**
 * Run each function in its own child thread, concurrently; the first to finish wins: its result
 * is returned (or its error thrown) after the others are cancelled and have finished.
 * Like `Promise.race`, an empty list never finishes.
 */
/** @suspends */
export function race<const F extends readonly (() => unknown)[]>(/** @green */ fns: F): F[number] extends () => infer R ? R : never {
  return guardPrimitive(raceBody(fns), 'race') as never;
}
function* raceBody(fns: readonly (() => unknown)[]): Frame {
  const children = Array.from(fns, (fn) => new Thread(fn));
  try {
    const winner = (yield new Suspension('race', (settle) => {
      const watcher = (child: Thread<unknown>) => settle(NEXT, child);
      for (const child of children) child.watch(watcher);
      return () => children.forEach((child) => child.unwatch(watcher));
    })) as Thread<unknown>;
    if (winner.failure) throw winner.outcome;
    return winner.outcome;
  } finally {
    yield stopAll(children);
  }
}
link(race, raceBody);

/** Cancel the children that are still running and wait until every child has finished. */
function* stopAll(children: readonly Thread<unknown>[]): Frame {
  for (const child of children) child.cancel();
  for (const child of children) {
    if (child.done) continue;
    yield new Suspension('all', (settle) => {
      const watcher = () => settle(NEXT);
      child.watch(watcher);
      return () => child.unwatch(watcher);
    });
  }
  return undefined;
}

/** Longest delay setTimeout honours (larger values fire after 1 ms, with a warning). */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Run `fn` in the current green thread (so its green-thread-local state, such as a transaction,
 * is the caller's). If it has not finished after `ms` milliseconds, cancel it where it is parked
 * (CancelledError is thrown there, the pending operation's cancel hook runs, its `finally` blocks
 * run) and throw TimeoutError.
 */
/** @suspends */
export function timeout<T>(ms: number, /** @green */ fn: () => T): T {
  return guardPrimitive(timeoutBody(ms, fn), 'timeout') as T;
}
function* timeoutBody(ms: number, fn: () => unknown): Frame {
  const thread = current();
  if (thread === undefined || !(ms < MAX_DELAY)) {
    // No thread to interrupt (the guard then refuses at fn's first suspension) or no deadline.
    if (Number.isNaN(ms)) throw new TypeError('timeout: ms must be a number');
    return yield dyn(fn, undefined, []);
  }
  const expiry = new CancelledError(`timeout after ${ms} ms`);
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    thread.interrupt(expiry);
  }, Math.max(0, ms));
  let result: unknown;
  let delivered = false;
  try {
    result = yield dyn(fn, undefined, []);
  } catch (error) {
    if (error === expiry) throw new TimeoutError(ms);
    throw error;
  } finally {
    clearTimeout(timer);
    // Fired but not yet thrown (the thread was running or queued): withdraw it, this scope is over.
    delivered = fired && !thread.withdrawInterrupt(expiry);
  }
  // `fn` caught the interrupt and returned anyway: it was still cut short.
  if (delivered) throw new TimeoutError(ms);
  return result;
}
link(timeout, timeoutBody);
