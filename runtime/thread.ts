// Green threads and the scheduler that drives them (DESIGN.md "Runtime API": run, spawn, Thread, current).

import { AsyncResource } from 'node:async_hooks';
import { BODY, PLAIN, type Frame, type PlainEntry, type Site, isGreen } from './protocol.js';
import { NEXT, THROW, type Mode, type CancelHook, type Parked, Ready, type Settler, Suspension, WaitList } from './suspension.js';
import { COMPLETED, FAILED, type FrameStack, advance, asFrame, runSync, useStack } from './trampoline.js';
import { CancelledError, guardError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// The scheduler. A thread runs when something resumes it; if another thread is being driven at
// that moment (an `Event.set` waking waiters, a spawn from green code) it is queued and run by
// the outermost driver before it returns, in the same macrotask. So threads never nest on the JS
// stack and a thread is never driven re-entrantly.
// ---------------------------------------------------------------------------------------------

let driving = false;
let running: Thread<unknown> | undefined;

/** A FIFO of threads waiting to be driven; index-based so waking 10,000 threads stays linear. */
let queue: Thread<unknown>[] = [];
let queueHead = 0;

/**
 * Drive `thread` now, or after the thread being driven parks. `inContext`: the caller is a callback
 * Node already runs in the thread's async context (see `settleInContext`).
 */
function schedule(thread: Thread<unknown>, inContext = false): void {
  if (driving) {
    queue.push(thread);
    return;
  }
  driving = true;
  try {
    if (inContext) thread.drive();
    else enterAndDrive(thread);
    drainQueue();
  } finally {
    endDriving();
  }
}

/** Drive the threads queued while one was being driven, in order. */
function drainQueue(): void {
  while (queueHead < queue.length) {
    const next = queue[queueHead];
    queue[queueHead++] = undefined as never;
    enterAndDrive(next);
  }
}

/**
 * The outermost driver is done. Threads still queued mean a runtime bug threw out of the loop
 * (threads' own errors end up in their outcome); they must not be lost: run them from a fresh
 * macrotask.
 */
function endDriving(): void {
  if (queueHead < queue.length) {
    const rest = queue.slice(queueHead);
    setImmediate(() => rest.forEach((next) => schedule(next)));
  }
  if (queue.length > 0) queue = [];
  queueHead = 0;
  driving = false;
}

/**
 * Drive `thread` inside the AsyncLocalStorage context of the code that started it, whatever
 * callback resumed it (a socket, a timer, another thread's `Event.set`). About 20 ns a resume.
 */
function enterAndDrive(thread: Thread<unknown>): void {
  thread.runInAsyncScope(thread.drive, thread);
}

/** The thread being driven right now, or undefined outside green context. */
export function current(): Thread<unknown> | undefined {
  return running;
}

// Thread states. How a resumed thread continues is part of its state (QUEUED or QUEUED_THROW)
// rather than a field of its own: a parked thread's memory is dominated by small things like that.
const NEW = 0; //          created, queued, never run
const QUEUED = 1; //       resumed: the next drive continues the top frame with `outcome`
const QUEUED_THROW = 2; // resumed (or interrupted): the next drive throws `outcome` into the top frame
const RUNNING = 3; //      being driven
const STARTING = 4; //     inside a Suspension's `start`; a settle now continues the same loop
const PARKED = 5; //       waiting for a Suspension to settle
const RETURNED = 6; //     done: `outcome` is the result
const THREW = 7; //        done: `outcome` is the error
type State = typeof NEW | typeof QUEUED | typeof QUEUED_THROW | typeof RUNNING | typeof STARTING | typeof PARKED | typeof RETURNED | typeof THREW;

/** Set by `startFrame` to hand a ready-made frame to the Thread constructor. */
let handoff: Frame | undefined;
let handoffName = '';
const FROM_HANDOFF = function handoffMarker() {};

function* callPlain(fn: () => unknown): Frame {
  return fn();
}

/** The rarely used part of a thread's state. */
interface Extras {
  /** Green-thread-local values (local.ts). */
  locals?: Map<object, unknown>;
  /** The CancelledError of the first `cancel()`; later cancels are no-ops. */
  cancelError?: CancelledError;
  /** Called once when the thread finishes (join, all, race). */
  watchers?: ((thread: Thread<unknown>) => void)[];
  /** The thread's promise, made when `.promise` is first read (or when it fails unobserved). */
  deferred?: Deferred;
  /** A wait on a native promise was interrupted: its reactions may still come (see `settleWith`). */
  staleReactions?: boolean;
  /** An error to throw at the next suspension point (a cancel or timeout that came while running). */
  pendingInterrupt?: unknown;
}

interface Deferred {
  promise: Promise<unknown>;
  resolve?: (value: unknown) => void;
  reject?: (error: unknown) => void;
}

/**
 * A green thread: a stack of generator frames driven by the trampoline.
 *
 * `new Thread(fn)` (or `spawn(fn)`) starts it at once: from plain code it runs until its first
 * suspension before the constructor returns (as an async function does); from green code it runs
 * as soon as the current thread parks. `fn` may be green (its body runs in the thread) or plain
 * (called in the thread; suspending code reached from it then throws GreenContextError, since it
 * was not rewritten).
 *
 * A thread that fails while nobody observes it (no `join`, no `.promise`, not a child of `all` or
 * `race`) surfaces as an unhandled promise rejection, never silently. Cancelling a thread is not
 * a failure: its own CancelledError is not reported that way.
 *
 * A thread is an AsyncResource: it holds the AsyncLocalStorage context of the code that started
 * it, and every resume runs inside it (`thread.runInAsyncScope` runs other code there too). Being
 * the resource rather than holding one saves an object per thread.
 */
export class Thread<T = unknown> extends AsyncResource implements FrameStack, Parked, Settler {
  /** For stack traces and debugging: the function the thread was started with. */
  readonly name: string;

  // Kept small on purpose: a parked thread costs this object, its frames and one array.
  /** @internal Frames and their call sites (trampoline.ts). */ stack: unknown[];
  /**
   * @internal The result or error once done; the value to resume with (or the error to throw)
   * while queued; while PARKED, what cancels the wait: its cancel hook, or the WaitList the thread
   * is in (or undefined). A parked thread has no outcome yet, so the two share a field: one field
   * less per parked thread.
   */
  outcome: unknown = undefined;
  private state: State = NEW;
  /** Counts suspensions; a settle carrying an older token is stale and ignored. */
  private token = 0;
  /** What most threads never need, allocated on first use. */
  private extras: Extras | undefined = undefined;

  constructor(/** @green */ fn: () => T) {
    // Captures the async context of the code starting the thread (see the class comment).
    super('green-ts.Thread');
    let frame: Frame;
    if ((fn as unknown) === FROM_HANDOFF) {
      frame = handoff!;
      handoff = undefined;
      this.name = handoffName;
    } else if (isGreen(fn)) {
      // A plain-first function starts as a continuation at its start (trampoline.ts): no generator.
      const entry = (fn as { [PLAIN]?: PlainEntry })[PLAIN];
      frame = entry !== undefined ? [entry, undefined, 0] as never : asFrame(fn[BODY].call(undefined) as Frame);
      this.name = fn.name || 'anonymous';
    } else if (typeof fn === 'function') {
      frame = callPlain(fn);
      this.name = fn.name || 'anonymous';
    } else {
      throw new TypeError('a green thread needs a function to run');
    }
    // Room up front for six frames running, or five parked (with the site of the primitive they
    // are parked in, trampoline.ts): V8 would otherwise grow the array to 19 slots at the first
    // push, and a parked thread's memory is dominated by small things like this.
    this.stack = new Array(12);
    this.stack[0] = frame;
    this.stack.length = 2;
    schedule(this as Thread<unknown>);
  }

  /** True once the thread has returned or thrown. */
  get done(): boolean {
    return this.state >= RETURNED;
  }

  /** The thread's result as a promise (rejects with its error, or CancelledError if cancelled). */
  get promise(): Promise<T> {
    const extras = (this.extras ??= {});
    if (extras.deferred === undefined) {
      if (this.state === RETURNED) {
        extras.deferred = { promise: Promise.resolve(this.outcome) };
      } else if (this.state === THREW) {
        extras.deferred = { promise: Promise.reject(this.outcome) };
      } else {
        const deferred: Deferred = { promise: undefined as never };
        deferred.promise = new Promise((resolve, reject) => {
          deferred.resolve = resolve;
          deferred.reject = reject;
        });
        extras.deferred = deferred;
      }
    }
    return extras.deferred.promise as Promise<T>;
  }

  /**
   * Cancel the thread: CancelledError is thrown into it at its suspension point (at once if it is
   * parked, else at its next one), the pending operation's cancel hook runs, its `finally` blocks
   * run (and may suspend, e.g. to roll back). Only the first cancel counts.
   */
  cancel(reason?: unknown): void {
    const extras = (this.extras ??= {});
    if (this.done || extras.cancelError !== undefined) return;
    extras.cancelError = new CancelledError(reason);
    this.interrupt(extras.cancelError);
  }

  /**
   * Park until the thread finishes; return its result or throw its error. Green-only.
   * Joining observes the thread: its failure is then not reported as an unhandled rejection.
   */
  /** @suspends */
  join(): T {
    return runSync(joinBody.call(this as Thread<unknown>), refuseJoin, 'Thread.join') as T;
  }

  /** @internal Throw `error` into the thread at its suspension point: now if parked, else at the next one. */
  interrupt(error: unknown): void {
    if (this.done) return;
    if (this.state !== PARKED) {
      (this.extras ??= {}).pendingInterrupt = error;
      return;
    }
    const parkedOn = this.outcome;
    this.token++;
    this.outcome = error;
    this.state = QUEUED_THROW;
    this.cancelWait(parkedOn);
    schedule(this as Thread<unknown>);
  }

  /** @internal Withdraw an interrupt not delivered yet (timeout, when its scope ends first). True if it was pending. */
  withdrawInterrupt(error: unknown): boolean {
    const extras = this.extras;
    if (extras === undefined || error === undefined || extras.pendingInterrupt !== error) return false;
    extras.pendingInterrupt = undefined;
    return true;
  }

  /** @internal Call `watcher` once when the thread finishes (at once if it has). Observes failures. */
  watch(watcher: (thread: Thread<unknown>) => void): void {
    if (this.done) {
      watcher(this as Thread<unknown>);
      return;
    }
    ((this.extras ??= {}).watchers ??= []).push(watcher);
  }

  /** @internal */
  unwatch(watcher: (thread: Thread<unknown>) => void): void {
    const watchers = this.extras?.watchers;
    const i = watchers?.indexOf(watcher) ?? -1;
    if (i >= 0) watchers!.splice(i, 1);
  }

  /** @internal Green-thread-local values (local.ts); made on first write. */
  locals(create: boolean): Map<object, unknown> | undefined {
    if (!create) return this.extras?.locals;
    return ((this.extras ??= {}).locals ??= new Map());
  }

  /** @internal After `done`: true if it threw (`outcome` is then the error). */
  get failure(): boolean {
    return this.state === THREW;
  }

  /** @internal Resume from a WaitList (channels): the list has already dropped this thread. */
  wakeFromList(value: unknown): void {
    this.settle(this.token, NEXT, value);
  }

  /** @internal Run the thread until it parks or finishes. Only the scheduler calls this. */
  drive(): void {
    let mode = this.resumeMode();
    let input = this.outcome;
    this.outcome = undefined;
    if (this.state === NEW) {
      // Cancelled before it ever ran: throwing into an unstarted generator finishes it unrun.
      const interrupt = this.takeInterrupt();
      if (interrupt !== undefined) {
        mode = THROW;
        input = interrupt;
      }
    }
    this.run(mode, input);
  }

  /** Continue the top frame with `mode`/`input` until the thread parks or finishes. */
  private run(mode: Mode, input: unknown): void {
    running = this as Thread<unknown>;
    this.state = RUNNING;
    // Inline calls push on this thread's stack; a thread may be driven from inside another
    // stack's inline call (a spawn from plain code under the run-time guard), hence the restore.
    const previous = useStack(this.stack);
    try {
      for (;;) {
        const step = advance(this, mode, input);
        if (step === COMPLETED || step === FAILED) {
          this.finish(step === FAILED);
          return;
        }
        // `step` is a Suspension. A cancel or timeout that came while running is thrown here.
        const interrupt = this.takeInterrupt();
        if (interrupt !== undefined) {
          mode = THROW;
          input = interrupt;
          continue;
        }
        if (this.park(step)) {
          // Settled synchronously inside `start`: continue in this loop, no microtask.
          mode = this.resumeMode();
          input = this.outcome;
          this.outcome = undefined;
          this.state = RUNNING;
          continue;
        }
        return;
      }
    } finally {
      running = undefined;
      useStack(previous);
    }
  }

  /**
   * Park on `suspension`. Returns true if it settled synchronously (from inside `start`, or by an
   * interrupt that came meanwhile), with the thread QUEUED or QUEUED_THROW, else false: parked.
   */
  private park(suspension: Suspension): boolean {
    const list = suspension.list;
    if (list !== undefined) {
      list.add(this, suspension.data);
      this.outcome = list;
      this.state = PARKED;
      return false;
    }
    if (suspension.start === startWait && waitsByReaction(suspension.data)) {
      // The common suspension, a wait on a native promise, parks here rather than in a `start`:
      // it cannot settle or throw synchronously, so it needs none of the checks below.
      this.token++;
      this.outcome = this.settleWith(suspension.data);
      this.state = PARKED;
      return false;
    }
    const token = ++this.token;
    this.state = STARTING;
    let hook: CancelHook;
    try {
      hook = suspension.start!(this, token, suspension.data);
    } catch (error) {
      // `start` threw: that is the result of the suspension, unless it had already settled.
      if (this.state === STARTING) {
        this.token++;
        this.outcome = error;
        this.state = QUEUED_THROW;
      }
    }
    if (this.state !== STARTING) return true; // settled inside `start`
    const cancel = typeof hook! === 'function' ? hook : undefined;
    const interrupt = this.takeInterrupt();
    if (interrupt !== undefined) {
      // Interrupted from inside `start`: cancel what it started and throw at once.
      this.token++;
      this.cancelWait(cancel);
      this.outcome = interrupt;
      this.state = QUEUED_THROW;
      return true;
    }
    this.outcome = cancel;
    this.state = PARKED;
    return false;
  }

  /** @internal Resume from the suspension numbered `token` (suspension.ts Settler); stale tokens are ignored. */
  settle(token: number, mode: Mode, value?: unknown): void {
    this.settleFrom(token, mode, value, false);
  }

  /**
   * @internal `settle`, called from a promise reaction, timer or immediate that was registered while
   * this thread was being driven: Node runs those in the async context they were registered in,
   * which is already the thread's, so the scheduler need not enter it again (wait, sleep, yieldNow).
   */
  settleInContext(token: number, mode: Mode, value?: unknown): void {
    this.settleFrom(token, mode, value, true);
  }

  /**
   * Park until `promise` settles (`wait` on a native promise, see `park`); returns the cancel hook.
   * The reactions are the thread's own `promiseFulfilled`/`promiseRejected` bound to it, not
   * closures over a token: fewer objects per wait, and a thread parked on a promise holds less.
   * That is safe because a native promise calls one of them once, and never from inside `then`, so
   * while the thread is parked here the only reaction that can come is this one. The exception is
   * a wait cut short by an interrupt (cancel, timeout): its reaction may still come later, when the
   * thread is parked on something else, and cannot be told apart. So after the first such
   * interrupt (`cancelWait`) the thread ignores bound reactions and uses closures with a token.
   */
  private settleWith(promise: Promise<unknown>): CancelHook {
    if (this.extras?.staleReactions === true) {
      const token = this.token;
      promiseThen.call(
        promise,
        (value) => this.settleInContext(token, NEXT, value),
        (error) => this.settleInContext(token, THROW, error),
      );
      return undefined;
    }
    promiseThen.call(promise, promiseFulfilled.bind(this), promiseRejected.bind(this));
    return AWAITING_REACTION;
  }

  /** @internal A bound reaction of `settleWith`: the current suspension's, unless reactions went stale. */
  settleByReaction(mode: Mode, value: unknown): void {
    if (this.extras?.staleReactions === true) return;
    if (!driving) {
      // Nothing else can have settled or interrupted this wait (that would have made the
      // reactions stale), and no thread is being driven: resume at once. A native promise
      // reaction runs in the context `then` was called in, the thread's. The same as settleFrom +
      // schedule, minus their checks.
      this.token++;
      this.outcome = undefined;
      driving = true;
      try {
        this.run(mode, value);
        drainQueue();
      } finally {
        endDriving();
      }
      return;
    }
    this.settleFrom(this.token, mode, value, true);
  }

  private settleFrom(token: number, mode: Mode, value: unknown, inContext: boolean): void {
    if (token !== this.token) return; // stale: already settled, interrupted, or a later suspension
    this.token++;
    this.outcome = value;
    const starting = this.state === STARTING;
    this.state = mode === THROW ? QUEUED_THROW : QUEUED;
    if (starting) return; // park() sees it when `start` returns
    schedule(this as Thread<unknown>, inContext);
  }

  /** How a QUEUED or QUEUED_THROW thread continues. */
  private resumeMode(): Mode {
    return this.state === QUEUED_THROW ? THROW : NEXT;
  }

  /** The pending interrupt (an error object), if any, now delivered. */
  private takeInterrupt(): unknown {
    const extras = this.extras;
    if (extras === undefined) return undefined;
    const error = extras.pendingInterrupt;
    if (error !== undefined) extras.pendingInterrupt = undefined;
    return error;
  }

  /** Cancel the operation the thread was parked on (`outcome` while PARKED): leave its WaitList, or run its cancel hook. */
  private cancelWait(parkedOn: unknown): void {
    if (parkedOn === undefined) return;
    if (parkedOn === AWAITING_REACTION) {
      // The promise keeps its reaction to this thread: from now on such reactions are stale.
      (this.extras ??= {}).staleReactions = true;
      return;
    }
    if (parkedOn instanceof WaitList) {
      parkedOn.remove(this);
      return;
    }
    try {
      (parkedOn as () => void)();
    } catch (error) {
      // A cancel hook that throws must not break the scheduler: report it as uncaught.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  private finish(failed: boolean): void {
    this.state = failed ? THREW : RETURNED;
    this.stack = EMPTY;
    const outcome = this.outcome;
    const extras = this.extras;
    if (extras === undefined && !failed) return; // the common case: nobody asked for anything
    const watchers = extras?.watchers;
    if (watchers !== undefined) {
      extras!.watchers = undefined;
      for (const watcher of watchers) watcher(this as Thread<unknown>);
    }
    const deferred = extras?.deferred;
    const ownCancellation = failed && outcome === extras?.cancelError;
    if (deferred !== undefined) {
      if (failed) deferred.reject!(outcome);
      else deferred.resolve!(outcome);
      deferred.resolve = deferred.reject = undefined;
      if (ownCancellation) deferred.promise.catch(ignore);
    } else if (failed && watchers === undefined) {
      // Nobody is watching this thread: make its failure an unhandled rejection (unless it is the
      // thread's own cancellation, which is not a failure). `.promise` later returns this one.
      const promise = Promise.reject(outcome);
      if (ownCancellation) promise.catch(ignore);
      (this.extras ??= {}).deferred = { promise };
    }
  }
}

const EMPTY: unknown[] = [];

const promiseThen = Promise.prototype.then;

/**
 * `wait`'s Suspension start (primitives.ts), for a thenable that is not a native promise (Thread#park
 * waits on native promises itself, with `settleWith`). Such a thenable may call back at any time,
 * more than once, from anywhere: the token makes a late call stale, and the scheduler enters the
 * thread's context.
 */
export function startWait(thread: Settler, token: number, promise: PromiseLike<unknown>): CancelHook {
  promise.then(
    (value) => thread.settle(token, NEXT, value),
    (error) => thread.settle(token, THROW, error),
  );
  return undefined;
}

/** A native promise, whose `then` is Promise.prototype.then: `wait` on it uses bound reactions. */
function waitsByReaction(promise: unknown): promise is Promise<unknown> {
  return (promise as PromiseLike<unknown>).then === promiseThen;
}

function promiseFulfilled(this: Thread<unknown>, value: unknown): void {
  this.settleByReaction(NEXT, value);
}
function promiseRejected(this: Thread<unknown>, error: unknown): void {
  this.settleByReaction(THROW, error);
}
/** The cancel hook of a wait on a promise through bound reactions: cannot be undone, see `settleWith`. */
function AWAITING_REACTION(): void {}

function ignore(): void {}

function refuseJoin(suspension: Suspension, name: string): Error {
  return guardError(name, suspension.what, true, running !== undefined);
}

/** `thread.join()`'s body: a primitive, so it returns a Ready or a Suspension (trampoline.ts header). */
function joinBody(this: Thread<unknown>): Ready | Suspension {
  if (this === running) throw new Error('a green thread cannot join itself (it would wait forever)');
  if (this.done) {
    // Already finished: still mark it observed, so its failure is not reported as unhandled.
    if (this.failure) {
      this.promise.catch(ignore);
      return new Ready(this.outcome, THROW);
    }
    return new Ready(this.outcome);
  }
  return new Suspension('Thread.join', startJoin, this);
}
function startJoin(joiner: Settler, token: number, joined: Thread<unknown>): CancelHook {
  const watcher = (thread: Thread<unknown>) => joiner.settle(token, thread.failure ? THROW : NEXT, thread.outcome);
  joined.watch(watcher);
  return () => joined.unwatch(watcher);
}
Object.defineProperty(Thread.prototype.join, BODY, { value: joinBody, configurable: true });

/** Start a thread on a ready-made frame (`__g.start`, the wrapper of a `@green` root). */
export function startFrame(frame: Frame, name: string): Thread<unknown> {
  handoff = frame;
  handoffName = name;
  return new Thread<unknown>(FROM_HANDOFF as never);
}

/** Start a green thread running `fn` and return the promise of its result. Callable anywhere. */
export function run<T>(/** @green */ fn: () => T): Promise<T> {
  return new Thread(fn).promise;
}

/** Start a green thread running `fn` and return it (`.promise`, `.cancel()`, `.done`, `.join()`). */
export function spawn<T>(/** @green */ fn: () => T): Thread<T> {
  return new Thread(fn);
}
