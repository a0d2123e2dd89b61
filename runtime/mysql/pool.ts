// The pool's bookkeeping: which connections exist, which are free, who is waiting. Plain,
// synchronous and event-driven: it knows nothing of green threads. The green side (./acquire.ts)
// parks a thread as a `Waiter` and this file calls `grant` or `fail` on it exactly once, or the
// green side takes it back with `unpark` (timeout, cancellation) and then it is never called.
//
// Each transition of a slot (see ./slot.ts) happens in one method here, with the counters it
// affects, so `stats()` is always exact:
//   open()       -> connecting          #connected() connecting -> idle | busy (handed to a waiter)
//   tryAcquire() idle -> busy           release()    busy -> idle | busy (next waiter) | gone
//   #died()      any -> gone            abandon()    marks a busy slot broken: its release drops it
//   #evict()     idle -> gone (idle above maxIdle for idleTimeout)   close()  idle -> gone, then drains
// Invariants: one slot is lent to at most one waiter at a time; a broken slot is never lent again;
// the waiter queue is FIFO and holds only callers still waiting.
import type { Connection as DriverConnection } from 'mysql2';
import { MysqlError, PoolError } from './errors.js';
import { Slot } from './slot.js';
import { WaiterQueue, type Waiter } from './waiters.js';

export type { Waiter } from './waiters.js';

export interface PoolStats {
  /** Connections open or opening. */
  total: number;
  /** Open and free. */
  idle: number;
  /** Lent to a green thread. */
  busy: number;
  /** Callers parked for a connection. */
  waiting: number;
}

export interface PoolDeps {
  readonly connectionLimit: number;
  readonly queueLimit: number;
  readonly waitForConnections: boolean;
  /** Idle connections above this count are closed once idle for `idleTimeout` ms. */
  readonly maxIdle: number;
  readonly idleTimeout: number;
  /** Creates a mysql2 connection; it starts connecting at once. */
  open(): DriverConnection;
  /** Best effort: ends the server-side work of a connection the pool gave up on (KILL from elsewhere). */
  kill(threadId: number): void;
}

export class PoolState {
  readonly #deps: PoolDeps;
  /** Free slots; the most recently used is reused first (warm buffers, fewer idle sockets touched). */
  readonly #idle: Slot[] = [];
  readonly #waiters = new WaiterQueue();
  #live = 0;
  #connecting = 0;
  #busy = 0;
  /** Connections being ended gracefully by close(); close resolves when they are done. */
  #ending = 0;
  #closing = false;
  #closed: Promise<void> | undefined;
  #drained: (() => void) | undefined;
  /** Sweeps idle connections above maxIdle; runs only while there are such (unref'd). */
  #evictTimer: NodeJS.Timeout | undefined;

  constructor(deps: PoolDeps) {
    this.#deps = deps;
  }

  get closing(): boolean {
    return this.#closing;
  }

  stats(): PoolStats {
    return { total: this.#live, idle: this.#idle.length, busy: this.#busy, waiting: this.#waiters.size };
  }

  /** A free connection now (no waiting), or undefined when the caller must park. */
  tryAcquire(): Slot | undefined {
    if (this.#closing) throw new PoolError('POOL_CLOSED', 'The pool is closed; it accepts no new work.');
    // Fairness: while others wait, a newcomer does not jump the queue.
    if (this.#waiters.size > 0) return undefined;
    const slot = this.#idle.pop();
    if (slot === undefined) return undefined;
    slot.state = 'busy';
    this.#busy++;
    return slot;
  }

  /** Queues a caller that found no free connection, opening a connection for it when allowed. */
  park(waiter: Waiter): void {
    if (this.#closing) throw new PoolError('POOL_CLOSED', 'The pool is closed; it accepts no new work.');
    const { connectionLimit, queueLimit, waitForConnections } = this.#deps;
    // Only a caller that cannot get a connection opened for it counts as queueing (mysql2's rule).
    if (this.#live >= connectionLimit) {
      if (!waitForConnections) {
        throw new PoolError('POOL_QUEUE_FULL', `All ${connectionLimit} connections are busy and waitForConnections is false.`);
      }
      if (queueLimit > 0 && this.#waiters.size >= queueLimit) {
        throw new PoolError('POOL_QUEUE_FULL', `All ${connectionLimit} connections are busy and ${this.#waiters.size} callers are already waiting (queueLimit ${queueLimit}).`);
      }
    }
    this.#waiters.push(waiter);
    this.#refill();
  }

  /** Takes back a waiter that gave up. True if it was still waiting (so it will never be called). */
  unpark(waiter: Waiter): boolean {
    const removed = this.#waiters.delete(waiter);
    if (removed) this.#checkDrained();
    return removed;
  }

  /** The holder is done with `slot`: it goes to the next waiter, back to idle, or away if broken. */
  release(slot: Slot): void {
    if (slot.state !== 'busy') return; // it died while lent out; already accounted for
    this.#busy--;
    if (slot.broken) this.#drop(slot, false);
    else this.#offer(slot);
  }

  /**
   * The holder abandoned an operation in flight (cancellation, timeout): the server may still be
   * running it and the bytes it will send belong to nobody. The socket is closed at once and the
   * server is told to KILL the connection; the holder's release then drops the slot.
   */
  abandon(slot: Slot): void {
    slot.broken = true;
    const threadId = slot.threadId;
    if (threadId !== undefined) this.#deps.kill(threadId);
    hardClose(slot.driver);
  }

  /** Marks `slot` unusable after a fatal error; its release drops it. */
  markBroken(slot: Slot): void {
    slot.broken = true;
  }

  /**
   * Stops accepting work. Callers already holding or waiting for a connection finish normally;
   * resolves when every connection is closed.
   */
  close(): Promise<void> {
    if (this.#closed) return this.#closed;
    this.#closing = true;
    this.#closed = new Promise<void>((resolve) => { this.#drained = resolve; });
    if (this.#evictTimer !== undefined) clearTimeout(this.#evictTimer);
    for (const slot of this.#idle.splice(0)) this.#end(slot);
    this.#checkDrained();
    return this.#closed;
  }

  // ---- transitions ----

  #open(): void {
    const driver = this.#deps.open();
    const slot = new Slot(driver);
    this.#live++;
    this.#connecting++;
    driver.once('connect', () => this.#connected(slot));
    // mysql2 emits 'error' for a failure nobody was waiting on (a failed handshake, a connection
    // killed or timed out while idle) and 'end' when the server closes the socket. Without an
    // 'error' listener an idle connection's death would crash the process.
    driver.on('error', (err: unknown) => this.#died(slot, err));
    driver.once('end', () => this.#died(slot, undefined));
  }

  #connected(slot: Slot): void {
    if (slot.state !== 'connecting') return;
    this.#connecting--;
    this.#offer(slot);
  }

  /** Hands a usable slot (counted neither idle nor busy) to the next waiter, or parks it idle. */
  #offer(slot: Slot): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      slot.state = 'busy';
      this.#busy++;
      waiter.grant(slot); // last: it may run the waiter's thread synchronously
      return;
    }
    if (this.#closing) {
      this.#end(slot);
      this.#checkDrained();
      return;
    }
    slot.state = 'idle';
    slot.idleSince = Date.now();
    this.#idle.push(slot);
    if (this.#idle.length > this.#deps.maxIdle && this.#evictTimer === undefined) this.#scheduleEviction();
  }

  #died(slot: Slot, err: unknown): void {
    const was = slot.state;
    if (was === 'gone') return;
    slot.state = 'gone';
    slot.broken = true;
    this.#live--;
    if (was === 'connecting') {
      this.#connecting--;
      // The caller this connection was opened for learns why (e.g. bad password, server down),
      // instead of waiting for its acquire timeout.
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) {
        waiter.fail(err ?? new MysqlError('The server closed the connection during the handshake.', { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }));
      }
    } else if (was === 'idle') {
      const i = this.#idle.indexOf(slot);
      if (i >= 0) this.#idle.splice(i, 1);
    } else {
      // busy: the holder's statement fails with mysql2's error; its release is then a no-op.
      this.#busy--;
    }
    // Not for a busy one: mysql2 fails the statement in flight when the socket closes, unless it
    // was told to close it (it then assumes nobody is waiting and stays silent).
    if (was !== 'busy') hardClose(slot.driver);
    this.#refill();
    this.#checkDrained();
  }

  /** Drops a slot the pool will not reuse. `graceful`: send QUIT instead of cutting the socket. */
  #drop(slot: Slot, graceful: boolean): void {
    if (graceful) {
      this.#end(slot);
    } else {
      slot.state = 'gone';
      this.#live--;
      hardClose(slot.driver);
    }
    this.#refill();
    this.#checkDrained();
  }

  /** Ends a free slot politely (close()). */
  #end(slot: Slot): void {
    slot.state = 'gone';
    this.#live--;
    this.#ending++;
    let done = false;
    const finish = () => { if (!done) { done = true; this.#ending--; this.#checkDrained(); } };
    try {
      slot.driver.end(finish);
    } catch {
      hardClose(slot.driver);
      finish();
    }
  }

  #scheduleEviction(): void {
    this.#evictTimer = setTimeout(() => {
      this.#evictTimer = undefined;
      this.#evict();
    }, this.#deps.idleTimeout);
    this.#evictTimer.unref();
  }

  /** Closes the longest-idle connections above maxIdle that have been idle for idleTimeout (mysql2's rule). */
  #evict(): void {
    const cutoff = Date.now() - this.#deps.idleTimeout;
    // #idle is used LIFO, so the longest-idle slots are at the front.
    while (this.#idle.length > this.#deps.maxIdle && this.#idle[0]!.idleSince <= cutoff) {
      this.#end(this.#idle.shift()!);
    }
    if (this.#idle.length > this.#deps.maxIdle) this.#scheduleEviction();
  }

  /** Opens connections for waiters nobody is opening one for, within the limit. */
  #refill(): void {
    while (this.#live < this.#deps.connectionLimit && this.#connecting < this.#waiters.size) this.#open();
  }

  #checkDrained(): void {
    if (this.#closing && this.#drained && this.#live === 0 && this.#waiters.size === 0 && this.#ending === 0) {
      const resolve = this.#drained;
      this.#drained = undefined;
      resolve();
    }
  }
}

/** Closes a mysql2 connection now, discarding anything the server still sends. */
function hardClose(driver: DriverConnection): void {
  try {
    driver.destroy();
    (driver as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
  } catch {
    /* already closed */
  }
}
