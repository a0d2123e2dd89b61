// Coordination between green threads: Semaphore, Event, Queue (DESIGN.md "Runtime API").
//
// Waiters park in a FIFO WaitList (./suspension.ts). Cancelling a waiter (cancel, timeout)
// removes it from the list, so it never receives a permit or an item later (no stale waiter),
// and a permit or item is handed directly to the next waiter, so nothing can overtake it.
// The bodies are primitives: they return a Ready (no need to park) or a Suspension, not a frame.

import { BODY } from './protocol.js';
import { NOBODY, Ready, type Suspension, WaitList } from './suspension.js';
import { guardPrimitive } from './wrappers.js';

function attachBody(proto: object, name: string, body: (this: never, ...args: never[]) => Ready | Suspension): void {
  Object.defineProperty((proto as Record<string, object>)[name], BODY, { value: body, configurable: true, enumerable: false });
}

/**
 * A counting semaphore: at most `permits` holders at a time. `acquire()` parks (FIFO) while none
 * is free; `release()` hands the permit to the longest waiter.
 */
export class Semaphore {
  private permits: number;
  private readonly waiters = new WaitList();

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

  /** @internal */ parkAcquirer(): Suspension {
    // Woken by `release`, which hands its permit over directly: nothing to take on wake-up.
    return this.waiters.park('Semaphore.acquire');
  }
}
function acquireBody(this: Semaphore): Ready | Suspension {
  return this.tryAcquire() ? new Ready(undefined) : this.parkAcquirer();
}
attachBody(Semaphore.prototype, 'acquire', acquireBody);

/** A flag threads can wait for: `wait()` parks until `set()`; `clear()` resets it. */
export class Event {
  private flag = false;
  private readonly waiters = new WaitList();

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

  /** @internal */ parkWaiter(): Suspension {
    return this.waiters.park('Event.wait');
  }
}
function eventWaitBody(this: Event): Ready | Suspension {
  return this.isSet ? new Ready(undefined) : this.parkWaiter();
}
attachBody(Event.prototype, 'wait', eventWaitBody);

/**
 * A FIFO queue between green threads. `get()` parks while it is empty; `put()` parks while it
 * holds `maxsize` items (default: unbounded; 0 makes every `put` wait for a `get`).
 */
export class Queue<T> {
  readonly maxsize: number;
  private items: T[] = [];
  private head = 0;
  private readonly getters = new WaitList();
  private readonly putters = new WaitList<T>(true);

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

  /** @internal Add without parking if possible. */
  tryPut(item: T): boolean {
    // A waiting getter means the queue is empty: hand the item over directly.
    if (this.getters.wake(item) !== NOBODY) return true;
    if (this.size >= this.maxsize) return false;
    this.items.push(item);
    return true;
  }

  /** @internal Take without parking if possible. */
  tryTake(): Ready | undefined {
    if (this.size > 0) {
      const item = this.items[this.head];
      this.items[this.head++] = undefined as T;
      if (this.head === this.items.length) {
        this.items = [];
        this.head = 0;
      } else if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      // Room made: the longest-waiting putter's item goes in behind the others.
      const waiting = this.putters.wake();
      if (waiting !== NOBODY) this.items.push(waiting);
      // The Ready is made last: it must be the latest signal when yielded (suspension.ts).
      return new Ready(item);
    }
    // Empty but a putter waits (maxsize 0): take its item directly.
    const waiting = this.putters.wake();
    return waiting === NOBODY ? undefined : new Ready(waiting);
  }

  /** @internal Parked getters are handed their item by `put` as the resume value. */
  parkGetter(): Suspension {
    return this.getters.park('Queue.get');
  }

  /** @internal Parked putters keep their item until a `get` takes it. */
  parkPutter(item: T): Suspension {
    return this.putters.park('Queue.put', item);
  }
}
function putBody(this: Queue<unknown>, item: unknown): Ready | Suspension {
  return this.tryPut(item) ? new Ready(undefined) : this.parkPutter(item);
}
function getBody(this: Queue<unknown>): Ready | Suspension {
  return this.tryTake() ?? this.parkGetter();
}
attachBody(Queue.prototype, 'put', putBody);
attachBody(Queue.prototype, 'get', getBody);
