// Green-only primitives (DESIGN.md "Runtime API — green-ts"): wait sleep suspend yieldNow all race timeout.
//
// Each is a green function written by hand in the emitted shape (protocol.ts): a plain wrapper,
// which is what un-rewritten code calls (it goes through the run-time guard), carrying a generator
// body in `[BODY]`, which is what rewritten code calls. `@suspends` on each declaration tells the
// transformer (reading the .d.ts) that calls to it are suspension points; `@green` on a parameter
// tells it that function expressions passed there are roots.

import type { Frame } from './protocol.js';
import { NEXT, THROW, type CancelHook, Ready, type Settler, Suspension } from './suspension.js';
import { Thread, current, startWait } from './thread.js';
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
  if (typeof (value as PromiseLike<unknown>).then !== 'function') return new Ready(value);
  return new Suspension('wait', startWait, value);
}
link(wait, waitBody as never);

/** Park the green thread for `ms` milliseconds. */
/** @suspends */
export function sleep(ms: number): void {
  guardPrimitive(sleepBody(ms), 'sleep');
}
function sleepBody(ms: number): Suspension {
  return new Suspension('sleep', startSleep, ms);
}
function startSleep(thread: Settler, token: number, ms: number): CancelHook {
  const timer = setTimeout(() => thread.settleInContext(token, NEXT), ms);
  return () => clearTimeout(timer);
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
  return new Suspension('suspend', startSuspend, start);
}
function startSuspend(thread: Settler, token: number, start: (resume: (error: unknown, value?: unknown) => void) => CancelHook): CancelHook {
  const cancel = start((error, value) =>
    error === undefined || error === null ? thread.settle(token, NEXT, value) : thread.settle(token, THROW, error),
  );
  return typeof cancel === 'function' ? cancel : undefined;
}
link(suspend, suspendBody as never);

/** Let other green threads (and pending I/O callbacks and timers) run, then continue. */
/** @suspends */
export function yieldNow(): void {
  guardPrimitive(yieldNowBody(), 'yieldNow');
}
function yieldNowBody(): Suspension {
  return new Suspension('yieldNow', startYieldNow);
}
function startYieldNow(thread: Settler, token: number): CancelHook {
  const immediate = setImmediate(() => thread.settleInContext(token, NEXT));
  return () => clearImmediate(immediate);
}
link(yieldNow, yieldNowBody as never);

/**
 * `__g.pause()`: stress mode's suspension before every call (transformer option `stress`, protocol.ts
 * "Stress mode"). A real park: the trampoline unwinds to the event loop and the thread resumes from a
 * microtask, so other runnable threads interleave but no timer or I/O callback runs in between
 * (unlike `yieldNow`'s setImmediate), and single-threaded programs print what they print without it.
 */
export function pause(): Suspension {
  return new Suspension('pause', startPause);
}
function startPause(thread: Settler, token: number): CancelHook {
  queueMicrotask(() => thread.settleInContext(token, NEXT));
}

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
    yield new Suspension('all', startAll, children);
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
    const winner = (yield new Suspension('race', startRace, children)) as Thread<unknown>;
    if (winner.failure) throw winner.outcome;
    return winner.outcome;
  } finally {
    yield stopAll(children);
  }
}
link(race, raceBody);

/** Park until every child has returned, or one has thrown: then throw its error. */
function startAll(parent: Settler, token: number, children: readonly Thread<unknown>[]): CancelHook {
  let left = children.length;
  if (left === 0) return parent.settle(token, NEXT);
  const watcher = (child: Thread<unknown>) => {
    if (child.failure) parent.settle(token, THROW, child.outcome);
    else if (--left === 0) parent.settle(token, NEXT);
  };
  for (const child of children) child.watch(watcher);
  return () => children.forEach((child) => child.unwatch(watcher));
}

/** Park until the first child finishes; resume with that child. */
function startRace(parent: Settler, token: number, children: readonly Thread<unknown>[]): CancelHook {
  const watcher = (child: Thread<unknown>) => parent.settle(token, NEXT, child);
  for (const child of children) child.watch(watcher);
  return () => children.forEach((child) => child.unwatch(watcher));
}

/** Cancel the children that are still running and wait until every child has finished. */
function* stopAll(children: readonly Thread<unknown>[]): Frame {
  for (const child of children) child.cancel();
  for (const child of children) {
    if (!child.done) yield new Suspension('all', startFinish, child);
  }
  return undefined;
}
function startFinish(parent: Settler, token: number, child: Thread<unknown>): CancelHook {
  const watcher = () => parent.settle(token, NEXT);
  child.watch(watcher);
  return () => child.unwatch(watcher);
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
  // Made only if the deadline passes: most timeouts never fire, and an Error costs a stack capture.
  let expiry: CancelledError | undefined;
  const timer = setTimeout(() => {
    expiry = new CancelledError(`timeout after ${ms} ms`);
    thread.interrupt(expiry);
  }, Math.max(0, ms));
  let result: unknown;
  let delivered = false;
  try {
    result = yield dyn(fn, undefined, []);
  } catch (error) {
    if (error === expiry && expiry !== undefined) throw new TimeoutError(ms);
    throw error;
  } finally {
    clearTimeout(timer);
    // Fired but not yet thrown (the thread was running or queued): withdraw it, this scope is over.
    delivered = expiry !== undefined && !thread.withdrawInterrupt(expiry);
  }
  // `fn` caught the interrupt and returned anyway: it was still cut short.
  if (delivered) throw new TimeoutError(ms);
  return result;
}
link(timeout, timeoutBody);
