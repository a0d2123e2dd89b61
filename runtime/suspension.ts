// What a frame may yield besides another frame (see ./protocol.ts "What a frame may yield").

/** How the trampoline resumes a frame: `frame.next(value)` or `frame.throw(error)`. */
export const NEXT = 0;
export const THROW = 1;
export type Mode = typeof NEXT | typeof THROW;

/**
 * Resumes a parked thread. Called once per suspension; later calls, and calls after the thread was
 * cancelled, are ignored by the thread.
 */
export type Settle = (mode: Mode, value?: unknown) => void;

/** What `start` may return: a function that cancels the operation it started. */
export type CancelHook = (() => void) | void | undefined;

/**
 * Park the thread. Made only by runtime primitives. The trampoline calls `start(settle)` when the
 * thread actually parks (never under the run-time guard, so an operation that cannot be waited for
 * is never started). `settle` may be called synchronously from inside `start`; the thread then
 * continues in the same loop, with no microtask.
 */
export class Suspension {
  constructor(
    /** The primitive's name, for GreenContextError messages (`sleep`, `Semaphore.acquire`, ...). */
    readonly what: string,
    readonly start: (settle: Settle) => CancelHook,
  ) {}
}

/** A callee that turned out to be plain: the trampoline resumes the yielding frame with `value` at once. */
export class Ready {
  constructor(readonly value: unknown) {}
}
