// The pool's bookkeeping on its own, with fake mysql2 connections: FIFO, no stale waiters,
// broken connections never lent again, dead ones replaced, exact stats. No server, no threads.
import test from 'ava';
import { EventEmitter } from 'node:events';
import type { Connection as DriverConnection } from 'mysql2';
import { PoolState, type Waiter } from '../../runtime/mysql/pool.js';
import type { Slot } from '../../runtime/mysql/slot.js';

let nextThreadId = 100;

class FakeDriver extends EventEmitter {
  threadId: number | null = null;
  destroyed = false;
  ended = false;
  connect(): void {
    this.threadId = nextThreadId++;
    this.emit('connect');
  }
  destroy(): void {
    this.destroyed = true;
  }
  end(cb?: () => void): void {
    this.ended = true;
    setImmediate(() => cb?.());
  }
}

function setup(opts: { limit?: number; queueLimit?: number; waitForConnections?: boolean; maxIdle?: number; idleTimeout?: number } = {}) {
  const drivers: FakeDriver[] = [];
  const killed: number[] = [];
  const state = new PoolState({
    connectionLimit: opts.limit ?? 2,
    queueLimit: opts.queueLimit ?? 0,
    waitForConnections: opts.waitForConnections ?? true,
    maxIdle: opts.maxIdle ?? opts.limit ?? 2,
    idleTimeout: opts.idleTimeout ?? 60_000,
    open: () => {
      const d = new FakeDriver();
      drivers.push(d);
      return d as unknown as DriverConnection;
    },
    kill: (id) => killed.push(id),
  });
  return { state, drivers, killed };
}

interface Recorded extends Waiter { name: string; got?: Slot; error?: unknown }
function waiter(name: string, log: string[] = []): Recorded {
  const w: Recorded = {
    name,
    grant(slot) { w.got = slot; log.push(`${name}:grant`); },
    fail(error) { w.error = error; log.push(`${name}:fail`); },
  };
  return w;
}

test('an empty pool opens a connection for a parked caller and lends it when connected', (t) => {
  const { state, drivers } = setup();
  t.is(state.tryAcquire(), undefined);
  const a = waiter('a');
  state.park(a);
  t.is(drivers.length, 1);
  t.deepEqual(state.stats(), { total: 1, idle: 0, busy: 0, waiting: 1 });
  drivers[0]!.connect();
  t.truthy(a.got);
  t.is(a.got!.state, 'busy');
  t.deepEqual(state.stats(), { total: 1, idle: 0, busy: 1, waiting: 0 });
  state.release(a.got!);
  t.deepEqual(state.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  const again = state.tryAcquire();
  t.is(again, a.got, 'the idle connection is reused without waiting');
});

test('a full pool serves parked callers FIFO; one connection serves one caller at a time', (t) => {
  const { state, drivers } = setup({ limit: 1 });
  const log: string[] = [];
  const [a, b, c] = [waiter('a', log), waiter('b', log), waiter('c', log)];
  state.park(a);
  state.park(b);
  state.park(c);
  t.is(drivers.length, 1, 'never more connections than the limit');
  drivers[0]!.connect();
  t.deepEqual(log, ['a:grant']);
  t.is(state.tryAcquire(), undefined, 'a newcomer does not jump the queue');
  state.release(a.got!);
  t.deepEqual(log, ['a:grant', 'b:grant']);
  t.is(b.got, a.got);
  state.release(b.got!);
  t.deepEqual(log, ['a:grant', 'b:grant', 'c:grant']);
  state.release(c.got!);
  t.deepEqual(state.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
});

test('an unparked caller (timeout, cancel) is gone: it is never granted, stats forget it', (t) => {
  const { state, drivers } = setup({ limit: 1 });
  const log: string[] = [];
  const [a, b, c] = [waiter('a', log), waiter('b', log), waiter('c', log)];
  state.park(a);
  drivers[0]!.connect();
  state.park(b);
  state.park(c);
  t.is(state.stats().waiting, 2);
  t.true(state.unpark(b));
  t.false(state.unpark(b), 'unparking twice is a no-op');
  t.is(state.stats().waiting, 1);
  state.release(a.got!);
  t.deepEqual(log, ['a:grant', 'c:grant']);
  t.is(b.got, undefined);
  state.release(c.got!);
  t.deepEqual(state.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
});

test('a failed connect fails the caller it was opened for', (t) => {
  const { state, drivers } = setup({ limit: 1 });
  const a = waiter('a');
  state.park(a);
  const err = Object.assign(new Error('Access denied'), { code: 'ER_ACCESS_DENIED_ERROR', fatal: true });
  drivers[0]!.emit('error', err);
  t.is(a.error, err);
  t.deepEqual(state.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
});

test('a connection that dies while idle is dropped and replaced on demand', (t) => {
  const { state, drivers } = setup({ limit: 1 });
  const a = waiter('a');
  state.park(a);
  drivers[0]!.connect();
  state.release(a.got!);
  t.is(state.stats().idle, 1);
  drivers[0]!.emit('error', Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }));
  t.true(drivers[0]!.destroyed);
  t.deepEqual(state.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
  t.is(state.tryAcquire(), undefined, 'the dead one is not lent');
  const b = waiter('b');
  state.park(b);
  t.is(drivers.length, 2, 'a replacement is opened');
  drivers[1]!.connect();
  t.is(b.got!.driver as unknown, drivers[1]);
});

test('a connection that dies while lent out: the holder\'s release is a no-op, a waiter gets a new one', (t) => {
  const { state, drivers } = setup({ limit: 1 });
  const a = waiter('a');
  const b = waiter('b');
  state.park(a);
  drivers[0]!.connect();
  state.park(b);
  t.is(drivers.length, 1);
  drivers[0]!.emit('end');
  t.false(drivers[0]!.destroyed, 'left to mysql2, which fails the statement in flight when the socket closes');
  t.is(drivers.length, 2, 'the waiter gets a replacement opened for it');
  t.deepEqual(state.stats(), { total: 1, idle: 0, busy: 0, waiting: 1 });
  state.release(a.got!);
  t.deepEqual(state.stats(), { total: 1, idle: 0, busy: 0, waiting: 1 });
  drivers[1]!.connect();
  t.is(b.got!.driver as unknown, drivers[1]);
  t.deepEqual(state.stats(), { total: 1, idle: 0, busy: 1, waiting: 0 });
});

test('an abandoned connection is killed on the server, closed, and never lent again', (t) => {
  const { state, drivers, killed } = setup({ limit: 1 });
  const log: string[] = [];
  const a = waiter('a', log);
  const b = waiter('b', log);
  state.park(a);
  drivers[0]!.connect();
  state.park(b);
  const threadId = a.got!.threadId!;
  state.abandon(a.got!);
  t.deepEqual(killed, [threadId]);
  t.true(drivers[0]!.destroyed);
  state.release(a.got!);
  t.deepEqual(log, ['a:grant'], 'the broken connection did not go to b');
  t.is(drivers.length, 2);
  drivers[1]!.connect();
  t.deepEqual(log, ['a:grant', 'b:grant']);
  t.not(b.got, a.got);
});

test('queueLimit and waitForConnections: false refuse callers when the pool is full', (t) => {
  const q = setup({ limit: 1, queueLimit: 1 });
  q.state.park(waiter('a'));
  q.drivers[0]!.connect();
  q.state.park(waiter('b'));
  t.throws(() => q.state.park(waiter('c')), { code: 'POOL_QUEUE_FULL', message: /queueLimit 1/ } as never);
  const w = setup({ limit: 1, waitForConnections: false });
  w.state.park(waiter('a'));
  w.drivers[0]!.connect();
  t.throws(() => w.state.park(waiter('b')), { code: 'POOL_QUEUE_FULL', message: /waitForConnections is false/ } as never);
});

test('close waits for lent and queued work, then ends every connection; no new work after', async (t) => {
  const { state, drivers } = setup({ limit: 1 });
  const a = waiter('a');
  const b = waiter('b');
  state.park(a);
  drivers[0]!.connect();
  state.park(b);
  let closed = false;
  const closing = state.close().then(() => { closed = true; });
  t.throws(() => state.tryAcquire(), { code: 'POOL_CLOSED' } as never);
  t.throws(() => state.park(waiter('c')), { code: 'POOL_CLOSED' } as never);
  await new Promise((r) => setImmediate(r));
  t.false(closed);
  state.release(a.got!);
  t.is(b.got, a.got, 'work queued before close is still served');
  await new Promise((r) => setImmediate(r));
  t.false(closed);
  state.release(b.got!);
  await closing;
  t.true(drivers[0]!.ended, 'ended politely (QUIT)');
  t.deepEqual(state.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
  t.is(state.close(), state.close(), 'close is idempotent');
});

test('idle connections above maxIdle are closed after idleTimeout, the longest idle first', async (t) => {
  const { state, drivers } = setup({ limit: 3, maxIdle: 1, idleTimeout: 40 });
  const ws = [waiter('a'), waiter('b'), waiter('c')];
  for (const w of ws) state.park(w);
  for (const d of drivers) d.connect();
  for (const w of ws) state.release(w.got!);
  t.deepEqual(state.stats(), { total: 3, idle: 3, busy: 0, waiting: 0 });
  await new Promise((r) => setTimeout(r, 120));
  t.deepEqual(state.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  t.deepEqual(drivers.map((d) => d.ended), [true, true, false], 'the most recently used one is kept');
});
