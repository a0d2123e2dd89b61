// Coordination between green threads: Semaphore, Event, Queue (DESIGN.md "Runtime API").
//
// Waiters are kept FIFO. A waiter's cancel hook removes it from the list, so a thread that is
// cancelled or times out while waiting never receives a permit or an item later (no stale waiter),
// and a permit or item is handed directly to the next waiter, so nothing can overtake it.

import { BODY, type Frame } from './protocol.js';
import { NEXT, type Settle, Suspension } from './suspension.js';
import { guardPrimitive } from './wrappers.js';

/** A FIFO list of parked threads' settle functions. */
class Waiters<T = undefined> {
  private list: { settle: Settle; item: T }[] = [];
  get size(): number {
    return this.list.length;
  }
  /** A Suspension that parks the thread in this list until `wake` hands it a value. */
  park(what: string, item: T): Suspension {
    return new Suspension(what, (settle) => {
      const entry = { settle, item };
      this.list.push(entry);
      return () => {
        const i = this.list.indexOf(entry);
        if (i >= 0) this.list.splice(i, 1);
      };
    });
  }
  /** Remove the first waiter; resume it with `value`. Returns its item, or NONE if nobody waits. */
  wake(value?: unknown): T | typeof NOBODY {
    const entry = this.list.shift();
    if (entry === undefined) return NOBODY;
    entry.settle(NEXT, value);
    return entry.item;
  }
  wakeAll(): void {
    const list = this.list;
    this.list = [];
    for (const entry of list) entry.settle(NEXT);
  }
}
const NOBODY: unique symbol = Symbol('nobody');

function greenMethod(proto: object, name: string, body: (this: never, ...args: never[]) => Frame): void {
  Object.defineProperty((proto as Record<string, object>)[name], BODY, { value: body, configurable: true, enumerable: false });
}

/**
 * A counting semaphore: at most `permits` holders at a time. `acquire()` parks (FIFO) while none
 * is free; `release()` hands the permit to the longest waiter.
 */
export class Semaphore {
  private permits: number;
  private readonly waiters = new Waiters();

  constructor(permits = 1) {
    if (!(permits >= 0) || !Number.isInteger(permits)) throw new RangeError('Semaphore: permits must be a non-negative integer');
    this.permits = permits;
  }

  /** Permits free right now. */
  get available(): number {
    return this.permits;
  }

  /** Threads parked in `acquire()`. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Take a permit, parking until one is free. Green-only. */
  /** @suspends */
  acquire(): void {
    guardPrimitive(acquireBody.call(this), 'Semaphore.acquire');
  }

  /** Take a permit if one is free now, without parking. */
  tryAcquire(): boolean {
    if (this.permits === 0 || this.waiters.size > 0) return false;
    this.permits--;
    return true;
  }

  /** Give a permit back: to the longest waiter if any, else to the pool. */
  release(): void {
    if (this.waiters.wake() === NOBODY) this.permits++;
  }
}
function* acquireBody(this: Semaphore): Frame {
  if (this.tryAcquire()) return;
  // Parked: `release` hands its permit over directly, so nothing to take on wake-up.
  yield (this as unknown as { waiters: Waiters }).waiters.park('Semaphore.acquire', undefined);
}
greenMethod(Semaphore.prototype, 'acquire', acquireBody);

/** A flag threads can wait for: `wait()` parks until `set()`; `clear()` resets it. */
export class Event {
  private flag = false;
  private readonly waiters = new Waiters();

  get isSet(): boolean {
    return this.flag;
  }

  /** Set the flag and wake every waiting thread. */
  set(): void {
    if (this.flag) return;
    this.flag = true;
    this.waiters.wakeAll();
  }

  clear(): void {
    this.flag = false;
  }

  /** Park until the flag is set (return at once if it is). Green-only. */
  /** @suspends */
  wait(): void {
    guardPrimitive(eventWaitBody.call(this), 'Event.wait');
  }
}
function* eventWaitBody(this: Event): Frame {
  if (this.isSet) return;
  yield (this as unknown as { waiters: Waiters }).waiters.park('Event.wait', undefined);
}
greenMethod(Event.prototype, 'wait', eventWaitBody);

/**
 * A FIFO queue between green threads. `get()` parks while it is empty; `put()` parks while it
 * holds `maxsize` items (default: unbounded; 0 makes every `put` wait for a `get`).
 */
export class Queue<T> {
  readonly maxsize: number;
  private items: T[] = [];
  private head = 0;
  private readonly getters = new Waiters();
  private readonly putters = new Waiters<T>();

  constructor(maxsize = Infinity) {
    if (!(maxsize >= 0)) throw new RangeError('Queue: maxsize must be >= 0');
    this.maxsize = maxsize;
  }

  /** Items in the queue now. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Add an item, parking while the queue is full. Green-only. */
  /** @suspends */
  put(item: T): void {
    guardPrimitive(putBody.call(this as Queue<unknown>, item), 'Queue.put');
  }

  /** Take the oldest item, parking while the queue is empty. Green-only. */
  /** @suspends */
  get(): T {
    return guardPrimitive(getBody.call(this as Queue<unknown>), 'Queue.get') as T;
  }

  /** @internal */ tryPut(item: T): boolean {
    // A waiting getter means the queue is empty: hand the item over directly.
    if (this.getters.wake(item) !== NOBODY) return true;
    if (this.size >= this.maxsize) return false;
    this.items.push(item);
    return true;
  }

  /** @internal */ tryTake(): { item: T } | undefined {
    if (this.size > 0) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as T;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      // Room made: the longest-waiting putter's item goes in behind the others.
      const waiting = this.putters.wake();
      if (waiting !== NOBODY) this.items.push(waiting);
      return { item };
    }
    // Empty but a putter waits (maxsize 0): take its item directly.
    const waiting = this.putters.wake();
    return waiting === NOBODY ? undefined : { item: waiting };
  }

  /** @internal */ parkGetter(): Suspension {
    return this.getters.park('Queue.get', undefined);
  }

  /** @internal */ parkPutter(item: T): Suspension {
    return this.putters.park('Queue.put', item);
  }
}
function* putBody(this: Queue<unknown>, item: unknown): Frame {
  if (this.tryPut(item)) return;
  // Parked with the item: a `get` takes it from the putter list and wakes us.
  yield this.parkPutter(item);
}
function* getBody(this: Queue<unknown>): Frame {
  const taken = this.tryTake();
  if (taken !== undefined) return taken.item;
  // Parked: a `put` hands its item over as the resume value.
  return yield this.parkGetter();
}
greenMethod(Queue.prototype, 'put', putBody);
greenMethod(Queue.prototype, 'get', getBody);
