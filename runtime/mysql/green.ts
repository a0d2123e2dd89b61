// The runtime pieces this layer is built on, in one place. The layer is written by hand in the
// shape the transformer emits (../protocol.ts): suspending methods are generator bodies registered
// with `methods`, and green calls are `yield`s of frames.
import { suspend } from '../index.js';
import { BODY } from '../internal.js';
import type { Frame, GreenFunction } from '../protocol.js';

export { current, Local, CancelledError, TimeoutError, GreenContextError } from '../index.js';
export { BODY, dyn, methods } from '../internal.js';

/** What `suspend`'s start function receives: call it once, with an error or with the value. */
export type Resume<T> = (error: unknown, value?: T) => void;

/**
 * The frame of `suspend(start)`: parks the green thread until `start`'s operation calls `resume`.
 * `start` returns the operation's cancel function, which the runtime calls when the thread is
 * cancelled or times out while parked here. Yield it: `const v = yield parkOn(start)`.
 */
export function parkOn<T>(start: (resume: Resume<T>) => (() => void) | void): Frame {
  return (suspend as unknown as GreenFunction)[BODY](start);
}
