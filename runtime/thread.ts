// Green threads and the scheduler that drives them (DESIGN.md "Runtime API": run, spawn, Thread, current).

import { AsyncResource } from 'node:async_hooks';
import { BODY, type Frame, type Site, isGreen } from './protocol.js';
import { NEXT, THROW, type Mode, type CancelHook, Suspension } from './suspension.js';
import { COMPLETED, FAILED, type FrameStack, advance, runSync } from './trampoline.js';
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

function schedule(thread: Thread<unknown>): void {
  if (driving) {
    queue.push(thread);
    return;
  }
  driving = true;
  try {
    enterAndDrive(thread);
    while (queueHead < queue.length) {
      const next = queue[queueHead];
      queue[queueHead++] = undefined as never;
      enterAndDrive(next);
    }
  } finally {
    queue = [];
    queueHead = 0;
    driving = false;
  }
}

/**
 * Drive `thread` inside the AsyncLocalStorage context of the code that started it, whatever
 * callback resumed it (a socket, a timer, another thread's `Event.set`).
 */
function enterAndDrive(thread: Thread<unknown>): void {
  thread.scope.runInAsyncScope(thread.drive, thread);
}

/** The thread being driven right now, or undefined outside green context. */
export function current(): Thread<unknown> | undefined {
  return running;
}

// Thread states.
const NEW = 0; //       created, queued, never run
const QUEUED = 1; //    resumed (or interrupted), waiting for the scheduler
const RUNNING = 2; //   being driven
const STARTING = 3; //  inside a Suspension's `start`; a settle now continues the same loop
const PARKED = 4; //    waiting for a Suspension to settle
const DONE = 5;
type State = typeof NEW | typeof QUEUED | typeof RUNNING | typeof STARTING | typeof PARKED | typeof DONE;

const NONE: unique symbol = Symbol('none');

/** Set by `startFrame` to hand a ready-made frame to the Thread constructor. */
let handoff: Frame | undefined;
let handoffName = '';
const FROM_HANDOFF = function handoffMarker() {};

function* callPlain(fn: () => unknown): Frame {
  return fn();
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
 */
export class Thread<T = unknown> implements FrameStack {
  /** For stack traces and debugging: the function the thread was started with. */
  readonly name: string;

  /** @internal The frame stack (trampoline.ts). */ frames: Frame[];
  /** @internal Beside each frame, the site it was called from. */ sites: (Site | undefined)[];
  /** @internal The result or error once done; scratch while running. */ outcome: unknown = undefined;
  /** @internal AsyncLocalStorage context of the code that started the thread. */ readonly scope: AsyncResource;
  /** @internal Green-thread-local values (local.ts). */ locals: Map<object, unknown> | undefined = undefined;

  private state: State = NEW;
  private failed = false;
  /** How the next drive resumes the top frame. */
  private resumeMode: Mode = NEXT;
  private resumeInput: unknown = undefined;
  /** Counts suspensions; a settle carrying an older token is stale and ignored. */
  private token = 0;
  private cancelHook: (() => void) | undefined = undefined;
  /** An error to throw at the next suspension point (a cancel or timeout that came while running). */
  private pendingInterrupt: unknown = NONE;
  /** The CancelledError of the first `cancel()`; later cancels are no-ops. */
  private cancelError: CancelledError | undefined = undefined;
  /** Called once when the thread finishes (join, all, race). */
  private watchers: ((thread: Thread<unknown>) => void)[] | undefined = undefined;
  private settled: Promise<T> | undefined = undefined;
  private resolvePromise: ((value: unknown) => void) | undefined = undefined;
  private rejectPromise: ((error: unknown) => void) | undefined = undefined;

  constructor(/** @green */ fn: () => T) {
    let frame: Frame;
    if ((fn as unknown) === FROM_HANDOFF) {
      frame = handoff!;
      handoff = undefined;
      this.name = handoffName;
    } else if (isGreen(fn)) {
      frame = fn[BODY].call(undefined);
      this.name = fn.name || 'anonymous';
    } else if (typeof fn === 'function') {
      frame = callPlain(fn);
      this.name = fn.name || 'anonymous';
    } else {
      throw new TypeError('a green thread needs a function to run');
    }
    this.frames = [frame];
    this.sites = [undefined];
    this.scope = new AsyncResource('green-ts.Thread');
    schedule(this as Thread<unknown>);
  }

  /** True once the thread has returned or thrown. */
  get done(): boolean {
    return this.state === DONE;
  }

  /** The thread's result as a promise (rejects with its error, or CancelledError if cancelled). */
  get promise(): Promise<T> {
    if (this.settled === undefined) {
      if (this.state === DONE) {
        this.settled = this.failed ? Promise.reject(this.outcome) : Promise.resolve(this.outcome as T);
      } else {
        this.settled = new Promise<T>((resolve, reject) => {
          this.resolvePromise = resolve as (value: unknown) => void;
          this.rejectPromise = reject;
        });
      }
    }
    return this.settled;
  }

  /**
   * Cancel the thread: CancelledError is thrown into it at its suspension point (at once if it is
   * parked, else at its next one), the pending operation's cancel hook runs, its `finally` blocks
   * run (and may suspend, e.g. to roll back). Only the first cancel counts.
   */
  cancel(reason?: unknown): void {
    if (this.state === DONE || this.cancelError !== undefined) return;
    this.cancelError = new CancelledError(reason);
    this.interrupt(this.cancelError);
  }

  /**
   * Park until the thread finishes; return its result or throw its error. Green-only.
   * Joining observes the thread: its failure is then not reported as an unhandled rejection.
   */
  /** @suspends */
  join(): T {
    return runSync(joinBody.call(this as Thread<unknown>), (s) => guardError('Thread.join', s.what, true, running !== undefined)) as T;
  }

  /** @internal Throw `error` into the thread at its suspension point: now if parked, else at the next one. */
  interrupt(error: unknown): void {
    switch (this.state) {
      case DONE:
        return;
      case PARKED: {
        const hook = this.cancelHook;
        this.cancelHook = undefined;
        this.token++;
        this.resumeMode = THROW;
        this.resumeInput = error;
        this.state = QUEUED;
        runHook(hook);
        schedule(this as Thread<unknown>);
        return;
      }
      default:
        this.pendingInterrupt = error;
    }
  }

  /** @internal Withdraw an interrupt that was not delivered yet (timeout.ts, when the scope ends first). */
  withdrawInterrupt(error: unknown): boolean {
    if (this.pendingInterrupt !== error) return false;
    this.pendingInterrupt = NONE;
    return true;
  }

  /** @internal Call `watcher` once when the thread finishes (at once if it has). Observes failures. */
  watch(watcher: (thread: Thread<unknown>) => void): void {
    if (this.state === DONE) {
      watcher(this as Thread<unknown>);
      return;
    }
    (this.watchers ??= []).push(watcher);
  }

  /** @internal */
  unwatch(watcher: (thread: Thread<unknown>) => void): void {
    const i = this.watchers?.indexOf(watcher) ?? -1;
    if (i >= 0) this.watchers!.splice(i, 1);
  }

  /** @internal After `done`: did it throw, and what it returned or threw. */
  get failure(): boolean {
    return this.failed;
  }

  /** @internal Run the thread until it parks or finishes. Only the scheduler calls this. */
  drive(): void {
    running = this as Thread<unknown>;
    try {
      let mode = this.resumeMode;
      let input = this.resumeInput;
      this.resumeInput = undefined;
      if (this.state === NEW && this.pendingInterrupt !== NONE) {
        // Cancelled before it ever ran: throwing into an unstarted generator finishes it unrun.
        mode = THROW;
        input = this.pendingInterrupt;
        this.pendingInterrupt = NONE;
      }
      this.state = RUNNING;
      for (;;) {
        const step = advance(this, mode, input);
        if (step === COMPLETED || step === FAILED) {
          this.finish(step === FAILED);
          return;
        }
        // `step` is a Suspension. A cancel or timeout that came while running is thrown here.
        if (this.pendingInterrupt !== NONE) {
          mode = THROW;
          input = this.pendingInterrupt;
          this.pendingInterrupt = NONE;
          continue;
        }
        const token = ++this.token;
        this.state = STARTING;
        let hook: CancelHook;
        try {
          hook = step.start((m, v) => this.settle(token, m, v));
        } catch (error) {
          // `start` threw: that is the result of the suspension, unless it had already settled.
          if (this.state === STARTING) {
            this.token++;
            this.resumeMode = THROW;
            this.resumeInput = error;
            this.state = RUNNING;
          }
        }
        if (this.state === RUNNING) {
          // Settled synchronously inside `start`: continue in this loop, no microtask.
          mode = this.resumeMode;
          input = this.resumeInput;
          this.resumeInput = undefined;
          continue;
        }
        if (this.pendingInterrupt !== NONE) {
          // Interrupted from inside `start`: cancel what it started and throw at once.
          this.token++;
          runHook(hook! ?? undefined);
          mode = THROW;
          input = this.pendingInterrupt;
          this.pendingInterrupt = NONE;
          this.state = RUNNING;
          continue;
        }
        this.cancelHook = hook! ?? undefined;
        this.state = PARKED;
        return;
      }
    } finally {
      running = undefined;
    }
  }

  private settle(token: number, mode: Mode, value: unknown): void {
    if (token !== this.token) return; // stale: already settled, interrupted, or a later suspension
    this.token++;
    this.resumeMode = mode;
    this.resumeInput = value;
    if (this.state === STARTING) {
      this.state = RUNNING; // drive() picks it up when `start` returns
      return;
    }
    this.cancelHook = undefined;
    this.state = QUEUED;
    schedule(this as Thread<unknown>);
  }

  private finish(failed: boolean): void {
    this.state = DONE;
    this.failed = failed;
    this.frames = [];
    this.sites = [];
    const outcome = this.outcome;
    const watchers = this.watchers;
    this.watchers = undefined;
    if (watchers !== undefined) for (const watcher of watchers) watcher(this as Thread<unknown>);
    if (this.settled !== undefined) {
      if (failed) this.rejectPromise!(outcome);
      else this.resolvePromise!(outcome);
      this.resolvePromise = this.rejectPromise = undefined;
    } else if (failed && watchers === undefined) {
      // Nobody is watching this thread: make its failure an unhandled rejection (unless it is the
      // thread's own cancellation, which is not a failure). `.promise` later returns this one.
      this.settled = Promise.reject(outcome);
      if (outcome === this.cancelError) this.settled.catch(ignore);
    }
    if (failed && outcome === this.cancelError && this.settled !== undefined) this.settled.catch(ignore);
  }
}

function ignore(): void {}

function runHook(hook: (() => void) | undefined): void {
  if (hook === undefined) return;
  try {
    hook();
  } catch (error) {
    // A cancel hook that throws must not break the scheduler; report it the way Node reports
    // errors nobody can catch.
    queueMicrotask(() => {
      throw error;
    });
  }
}

function* joinBody(this: Thread<unknown>): Frame {
  if (this === running) throw new Error('a green thread cannot join itself (it would wait forever)');
  if (!this.done) {
    yield new Suspension('Thread.join', (settle) => {
      const watcher = () => settle(NEXT);
      this.watch(watcher);
      return () => this.unwatch(watcher);
    });
  } else {
    // Already finished: still mark it observed, so its failure is not reported as unhandled.
    if (this.failure) this.promise.catch(ignore);
  }
  if (this.failure) throw this.outcome;
  return this.outcome;
}
(Thread.prototype.join as unknown as { [BODY]: unknown })[BODY] = joinBody;

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
