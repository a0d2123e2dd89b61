// Getting a connection from the pool in a green thread: at once when one is free (no suspension,
// no allocation beyond the slot bookkeeping), else parked FIFO until one is released, opened,
// or the acquire timeout expires.
//
// A waiter leaves the queue in exactly one of four ways, and only one of them ever happens:
//   grant    the pool hands it a connection           -> the thread resumes with the slot
//   fail     the connection opened for it failed      -> the thread resumes with that error
//   timeout  acquireTimeout expired                   -> unparked first, then POOL_ACQUIRE_TIMEOUT
//   cancel   the thread was cancelled / timed out     -> unparked by the cancel function
// `unpark` removes it from the queue before a timeout or cancellation is reported, so the pool
// can never grant a connection to a caller that stopped waiting (greentor's stale-waiter bug).
import { callSiteError, PoolError } from './errors.js';
import { parkOn, type Resume } from './green.js';
import type { PoolState, Waiter } from './pool.js';
import type { Slot } from './slot.js';

export function* acquire(state: PoolState, acquireTimeout: number): Generator<unknown, Slot, unknown> {
  const free = state.tryAcquire();
  if (free !== undefined) return free;
  try {
    return (yield parkOn<Slot>((resume) => wait(state, acquireTimeout, resume))) as Slot;
  } catch (err) {
    throw callSiteError(err); // a failed connect: mysql2's code (ER_ACCESS_DENIED_ERROR, ECONNREFUSED, ...)
  }
}

/** Parks a waiter for `resume`; returns the cancel function the runtime calls if the thread gives up. */
function wait(state: PoolState, acquireTimeout: number, resume: Resume<Slot>): (() => void) | undefined {
  let timer: NodeJS.Timeout | undefined;
  const waiter: Waiter = {
    grant(slot) {
      if (timer !== undefined) clearTimeout(timer);
      resume(undefined, slot);
    },
    fail(error) {
      if (timer !== undefined) clearTimeout(timer);
      resume(error);
    },
  };
  try {
    state.park(waiter);
  } catch (error) {
    resume(error); // closed or queue full: fail now, nothing was queued
    return undefined;
  }
  if (acquireTimeout > 0) {
    timer = setTimeout(() => {
      timer = undefined;
      if (!state.unpark(waiter)) return; // granted or failed meanwhile
      const { total, busy, waiting } = state.stats();
      resume(new PoolError('POOL_ACQUIRE_TIMEOUT',
        `No MySQL connection became free within ${acquireTimeout} ms ` +
        `(acquireTimeout; ${busy} of ${total} connections busy, ${waiting} other callers waiting).`));
    }, acquireTimeout);
  }
  // The runtime calls this only while the thread is still parked here (a settled suspension
  // has no cancel hook any more: a cancel then lands at the next suspension point), so a
  // granted connection always reaches the thread, whose `finally` releases it.
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    state.unpark(waiter);
  };
}
