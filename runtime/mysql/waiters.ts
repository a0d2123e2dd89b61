// The queue of callers parked for a connection: FIFO, and a caller that gives up (acquire
// timeout, cancellation) leaves from wherever it is at once, so the queue only ever holds callers
// that are still waiting: there is no stale entry for a connection to be handed to later.
import type { Slot } from './slot.js';

/** A parked caller. The pool calls exactly one of `grant` / `fail`, once, unless it was unparked. */
export interface Waiter {
  grant(slot: Slot): void;
  fail(error: unknown): void;
}

/** A FIFO of waiters with O(1) removal from anywhere. A Set iterates in insertion order. */
export class WaiterQueue {
  readonly #waiters = new Set<Waiter>();
  get size(): number {
    return this.#waiters.size;
  }
  push(w: Waiter): void {
    this.#waiters.add(w);
  }
  /** The longest-waiting caller, removed. */
  shift(): Waiter | undefined {
    for (const w of this.#waiters) {
      this.#waiters.delete(w);
      return w;
    }
    return undefined;
  }
  delete(w: Waiter): boolean {
    return this.#waiters.delete(w);
  }
}
