// The pool against the real server: 1,000 threads over 10 connections, FIFO parking, acquire
// timeout without a stale waiter, connection pinning and ownership, close waiting for work.
import test from 'ava';
import { run, spawn, TimeoutError } from '../../runtime/index.js';
import { PoolError, type Connection } from '../../runtime/mysql/index.js';
import { connection, eventually, exec, green, one, query, testPool, timeout, wait } from './support.js';

const idle = (n: number) => ({ total: n, idle: n, busy: 0, waiting: 0 });

test('1,000 concurrent threads over connectionLimit 10 all finish; never more than 10 connections; stats back to idle', async (t) => {
  const pool = await testPool(t, { connectionLimit: 10 });
  let maxTotal = 0;
  let maxWaiting = 0;
  const threads = Array.from({ length: 1000 }, (_, i) => spawn(green(function* () {
    const row = yield* one<{ n: number; id: number }>(pool, 'SELECT ? + 1 AS n, CONNECTION_ID() AS id', [i]);
    const s = pool.stats();
    maxTotal = Math.max(maxTotal, s.total);
    maxWaiting = Math.max(maxWaiting, s.waiting);
    return [Number(row!.n), Number(row!.id)] as const;
  })));
  const results = await Promise.all(threads.map((th) => th.promise));
  t.deepEqual(results.map(([n]) => n), Array.from({ length: 1000 }, (_, i) => i + 1));
  t.true(new Set(results.map(([, id]) => id)).size <= 10);
  t.true(maxTotal <= 10, `max total ${maxTotal}`);
  t.true(maxWaiting > 0, 'callers did park');
  t.deepEqual(pool.stats(), idle(10));
  await pool.close();
  t.deepEqual(pool.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
});

test('a full pool parks callers FIFO', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1 });
  const order: number[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  const holder = spawn(green(function* () {
    yield* connection(pool, function* () { yield* wait(released); });
  }));
  t.true(await eventually(async () => pool.stats().busy === 1));
  const waiters = [0, 1, 2, 3, 4].map((i) => spawn(green(function* () {
    yield* query(pool, 'SELECT ?', [i]);
    order.push(i);
  })));
  t.is(pool.stats().waiting, 5);
  release();
  await holder.promise;
  await Promise.all(waiters.map((w) => w.promise));
  t.deepEqual(order, [0, 1, 2, 3, 4]);
  t.deepEqual(pool.stats(), idle(1));
  await pool.close();
});

test('acquire timeout: a clear error, no stale waiter; the connection goes to the next live caller', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1, acquireTimeout: 150 });
  // Connected before the clock matters (on a loaded machine a connect alone can take 150 ms: retry).
  t.true(await eventually(() => run(green(function* () { yield* query(pool, 'SELECT 1'); return true; })).catch(() => false)));
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  const holder = spawn(green(function* () {
    return yield* connection(pool, function* (conn) {
      yield* wait(released); // hold the connection until the test says so
      return conn.threadId;
    });
  }));
  t.true(await eventually(async () => pool.stats().busy === 1));
  const started = Date.now();
  const err = await t.throwsAsync(run(green(function* () { yield* query(pool, 'SELECT 1'); })), { instanceOf: PoolError });
  const waited = Date.now() - started;
  t.is(err!.code, 'POOL_ACQUIRE_TIMEOUT');
  t.regex(err!.message, /No MySQL connection became free within 150 ms/);
  t.true(waited >= 140, `waited ${waited} ms`);
  t.deepEqual(pool.stats(), { total: 1, idle: 0, busy: 1, waiting: 0 }, 'the timed-out caller left the queue');
  // A live caller parks behind the dead one's former place and gets the connection.
  const next = spawn(green(function* () { return yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id'); }));
  t.is(pool.stats().waiting, 1);
  release();
  const heldId = await holder.promise;
  const row = await next.promise;
  t.is(Number(row!.id), heldId, 'the one connection went to the live waiter');
  t.deepEqual(pool.stats(), idle(1));
  await pool.close();
});

test('timeout() while parked for a connection: TimeoutError, the waiter leaves the queue at once', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1 });
  let release!: () => void;
  const released = new Promise<void>((r) => { release = r; });
  const holder = spawn(green(function* () { yield* connection(pool, function* () { yield* wait(released); }); }));
  t.true(await eventually(async () => pool.stats().busy === 1));
  const err = await t.throwsAsync(run(green(function* () {
    yield* timeout(100, function* () { yield* query(pool, 'SELECT 1'); });
  })));
  t.true(err instanceof TimeoutError);
  t.deepEqual(pool.stats(), { total: 1, idle: 0, busy: 1, waiting: 0 });
  release();
  await holder.promise;
  t.deepEqual(pool.stats(), idle(1), 'the connection went back to idle, not to the departed waiter');
  const n = await run(green(function* () { return yield* one<{ n: number }>(pool, 'SELECT 5 AS n'); }));
  t.is(Number(n!.n), 5);
  await pool.close();
});

test('connection(fn) pins one connection: session state persists; the Connection is owned and scoped', async (t) => {
  const pool = await testPool(t, { connectionLimit: 3 });
  let escaped: Connection | undefined;
  const result = await run(green(function* () {
    return yield* connection(pool, function* (conn) {
      escaped = conn;
      yield* exec(conn, 'SET @green_marker = ?', [7]);
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(Number((yield* one<{ id: number }>(conn, 'SELECT CONNECTION_ID() AS id'))!.id));
      const marker = yield* one<{ m: number }>(conn, 'SELECT @green_marker AS m');
      // Another thread may not use this thread's connection.
      const other = spawn(green(function* () { return yield* query(conn, 'SELECT 1'); }));
      let wrongThread: unknown;
      try { yield* wait(other.promise); } catch (e) { wrongThread = e; }
      return { ids, marker: Number(marker!.m), threadId: conn.threadId, wrongThread, busy: pool.stats().busy };
    });
  }));
  t.is(new Set(result.ids).size, 1);
  t.is(result.ids[0], result.threadId);
  t.is(result.marker, 7);
  t.is(result.busy, 1);
  t.true(result.wrongThread instanceof PoolError);
  t.is((result.wrongThread as PoolError).code, 'CONNECTION_WRONG_THREAD');
  const after = await t.throwsAsync(run(green(function* () { yield* query(escaped!, 'SELECT 1'); })), { instanceOf: PoolError });
  t.is(after!.code, 'CONNECTION_RELEASED');
  t.deepEqual(pool.stats(), idle(1));
  await pool.close();
});

test('close waits for in-flight work, then refuses new work', async (t) => {
  const pool = await testPool(t, { connectionLimit: 2 });
  const slow = run(green(function* () { return yield* one<{ v: number }>(pool, 'SELECT SLEEP(0.3) AS v, 5 AS w'); }));
  const queued = [1, 2, 3].map((i) => run(green(function* () { return yield* one<{ n: number }>(pool, 'SELECT ? AS n', [i]); })));
  await new Promise((r) => setTimeout(r, 20));
  let closed = false;
  const closing = pool.close().then(() => { closed = true; });
  const refused = await t.throwsAsync(run(green(function* () { yield* query(pool, 'SELECT 1'); })), { instanceOf: PoolError });
  t.is(refused!.code, 'POOL_CLOSED');
  t.false(closed);
  const slowRow = await slow as unknown as { w: number };
  t.is(Number(slowRow.w), 5);
  t.deepEqual((await Promise.all(queued)).map((r) => Number(r!.n)), [1, 2, 3], 'work accepted before close finished');
  await closing;
  t.true(closed);
  t.deepEqual(pool.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
});
