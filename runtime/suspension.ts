// What a frame may yield besides another frame (see ./protocol.ts "What a frame may yield").

/** How the trampoline resumes a frame: `frame.next(value)` or `frame.throw(error)`. */
export const NEXT = 0;
export const THROW = 1;
export type Mode = typeof NEXT | typeof THROW;

/**
 * The parked thread, as a Suspension's `start` sees it: `settle(token, mode, value)` resumes it.
 * Only the first settle with the token of the current suspension counts; later calls, and calls
 * after the thread was cancelled, are ignored. Passing the thread and a token (rather than a
 * closure per suspension) keeps a suspension down to the closures the operation itself needs.
 */
export interface Settler {
  settle(token: number, mode: Mode, value?: unknown): void;
  /** The same, from a promise reaction, timer or immediate registered inside `start` (see Thread). */
  settleInContext(token: number, mode: Mode, value?: unknown): void;
}

/** What `start` may return: a function that cancels the operation it started. */
export type CancelHook = (() => void) | void | undefined;

/** Begins the operation a thread parks on; `data` is the Suspension's `data`. */
export type Start = (thread: Settler, token: number, data: any) => CancelHook;

/**
 * Park the thread. Made only by runtime primitives. Either:
 * - `start(thread, token, data)`: the trampoline calls it when the thread actually parks (never
 *   under the run-time guard, so an operation that cannot be waited for is never started). The
 *   settle may come synchronously from inside `start`; the thread then continues in the same loop.
 * - or `list`: the thread parks in that WaitList (with `data` as its item), woken by `list.wake`.
 *   Channels use this: a parked thread then costs one list slot, no closures.
 */
export class Suspension {
  constructor(
    /** The primitive's name, for GreenContextError messages (`sleep`, `Semaphore.acquire`, ...). */
    readonly what: string,
    readonly start: Start | undefined,
    readonly data: unknown = undefined,
    readonly list: WaitList<unknown> | undefined = undefined,
  ) {
    latestSignal = this;
  }
}

/**
 * A callee that turned out to be plain, or a primitive that need not park: resume at once with
 * `value` (or, with mode THROW, throw it: a primitive failing without parking, like joining a
 * thread that already failed).
 */
export class Ready {
  constructor(
    readonly value: unknown,
    readonly mode: Mode = NEXT,
  ) {
    latestSignal = this;
  }
}

/**
 * The Suspension or Ready made most recently. Runtime code yields (or returns, from a primitive
 * body) each one right after making it, so the trampoline can tell "a frame" from "a signal" by
 * identity (`isSignal`) instead of by `instanceof` on every green call: yielded frames come from
 * many generator functions, each with its own prototype, so type checks on them are megamorphic
 * and show in the cost of a call.
 */
let latestSignal: Suspension | Ready | undefined;

/** Is `yielded` the signal made just before it was yielded? Clears it either way. */
export function isSignal(yielded: unknown): yielded is Suspension | Ready {
  const signal = latestSignal;
  latestSignal = undefined;
  return yielded === signal && signal !== undefined;
}

/** Is `made` the signal made last (a primitive's body returned it)? Unlike `isSignal`, keeps it. */
export function isLatestSignal(made: unknown): made is Suspension | Ready {
  return made === latestSignal && made !== undefined;
}

/** What a WaitList needs of a parked thread. */
export interface Parked {
  /** Resume the thread parked in a WaitList with `value` (it has already been removed from the list). */
  wakeFromList(value: unknown): void;
}

/**
 * A FIFO of threads parked on a channel (Semaphore, Event, Queue). Cancelling a parked thread
 * removes it (./thread.ts), so the list never holds a stale waiter, and whatever `wake` hands over
 * reaches a live thread. A list made `withItems` keeps an item beside each thread (a Queue's
 * putters and the values they wait to put); the others keep nothing but the thread.
 */
export class WaitList<T = undefined> {
  private threads: Parked[] = [];
  private items: T[] | undefined;
  private head = 0;

  constructor(withItems = false) {
    this.items = withItems ? [] : undefined;
  }

  get size(): number {
    return this.threads.length - this.head;
  }

  /** A Suspension that parks the current thread at the end of this list. */
  park(what: string, item?: T): Suspension {
    return new Suspension(what, undefined, item, this as WaitList<unknown>);
  }

  /** @internal Called by the thread when it parks. */
  add(thread: Parked, item: T): void {
    this.threads.push(thread);
    this.items?.push(item);
  }

  /** @internal Called by the thread when it is cancelled while parked here. */
  remove(thread: Parked): void {
    const i = this.threads.indexOf(thread, this.head);
    if (i < 0) return;
    this.threads.splice(i, 1);
    this.items?.splice(i, 1);
  }

  /** Wake the longest waiter with `value`; return its item, or NOBODY if nobody waits. */
  wake(value?: unknown): T | typeof NOBODY {
    if (this.head === this.threads.length) return NOBODY;
    const i = this.head++;
    const thread = this.threads[i];
    const item = this.items?.[i] as T;
    this.threads[i] = undefined as never;
    if (this.items !== undefined) this.items[i] = undefined as T;
    if (this.head === this.threads.length) {
      this.threads.length = 0;
      if (this.items !== undefined) this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.threads.length) {
      // Drop the woken prefix now and then, so a long-lived busy list stays small.
      this.threads = this.threads.slice(this.head);
      this.items = this.items?.slice(this.head);
      this.head = 0;
    }
    thread.wakeFromList(value);
    return item;
  }

  /** Wake every waiter, in order. */
  wakeAll(value?: unknown): void {
    const threads = this.threads.slice(this.head);
    this.threads = [];
    if (this.items !== undefined) this.items = [];
    this.head = 0;
    for (const thread of threads) thread.wakeFromList(value);
  }
}
export const NOBODY: unique symbol = Symbol('nobody');
