// Faults against the real server: a statement abandoned by timeout() or cancel(), a connection
// KILLed while busy or idle, a connection closed by wait_timeout. Each must cost only the
// statement it hit, and the pool must stay healthy.
import test from 'ava';
import mysql from 'mysql2/promise';
import { CancelledError, TimeoutError, run, spawn } from '../../runtime/index.js';
import { createPool, MysqlError, PoolError } from '../../runtime/mysql/index.js';
import { mysqlUrl } from '../support/mysql.js';
import { adminConnection, connection, eventually, exec, green, one, query, sleep, testPool, timeout } from './support.js';

async function threadAlive(adminConn: mysql.Connection, id: number): Promise<boolean> {
  const [rows] = await adminConn.query('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
  return Number((rows as { n: number }[])[0]!.n) > 0;
}

async function threadRunning(adminConn: mysql.Connection, marker: string): Promise<number | undefined> {
  const [rows] = await adminConn.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()', [`%${marker}%`]);
  const first = (rows as { id: number }[])[0];
  return first === undefined ? undefined : Number(first.id);
}

test('timeout() around SELECT SLEEP(3) returns promptly; the connection is killed, never reused; the pool stays healthy', async (t) => {
  const pool = await testPool(t, { connectionLimit: 2 });
  const adm = await adminConnection(t);
  const outcome = await run(green(function* () {
    return yield* connection(pool, function* (conn) {
      const sleptId = conn.threadId;
      let error: unknown;
      const started = Date.now();
      try {
        yield* timeout(200, function* () { yield* query(conn, 'SELECT SLEEP(3)'); });
      } catch (e) {
        error = e;
      }
      const elapsed = Date.now() - started;
      const sleepWouldEnd = started + 3000;
      // The abandoned connection is finished for this thread too.
      let after: unknown;
      try { yield* query(conn, 'SELECT 1'); } catch (e) { after = e; }
      return { sleptId, error, after, elapsed, sleepWouldEnd };
    });
  }));
  t.true(outcome.error instanceof TimeoutError);
  t.true(outcome.elapsed < 2000, `returned after ${outcome.elapsed} ms`);
  t.true(outcome.after instanceof PoolError && outcome.after.code === 'CONNECTION_LOST');
  t.true(await eventually(async () => !(await threadAlive(adm, outcome.sleptId)), outcome.sleepWouldEnd - Date.now() - 100), 'the server thread was killed before SLEEP(3) would end');
  t.deepEqual(pool.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 }, 'the slept connection was destroyed, not returned');
  const ids = await run(green(function* () {
    const a = yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id');
    const b = yield* one<{ n: number }>(pool, 'SELECT 41 + 1 AS n');
    return [Number(a!.id), Number(b!.n)];
  }));
  t.not(ids[0], outcome.sleptId);
  t.is(ids[1], 42);
  t.deepEqual(pool.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  await pool.close();
});

test('timeout() around a pool query (no pinned connection) leaves stats idle and the next query working', async (t) => {
  const pool = await testPool(t, { connectionLimit: 2 });
  const adm = await adminConnection(t);
  const marker = `gts_sleep_${process.pid}_${Date.now()}`;
  await run(green(function* () { yield* query(pool, 'SELECT 1'); })); // connected: the timeout hits the statement
  t.deepEqual(pool.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  const started = Date.now();
  const err = await t.throwsAsync(run(green(function* () {
    yield* timeout(200, function* () { yield* query(pool, `SELECT SLEEP(3) AS ${marker}`); });
  })), { instanceOf: TimeoutError });
  t.truthy(err);
  t.true(Date.now() - started < 2000);
  t.deepEqual(pool.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
  t.true(await eventually(async () => (await threadRunning(adm, marker)) === undefined, 2000), 'killed on the server');
  const n = await run(green(function* () { return yield* one<{ n: number }>(pool, 'SELECT 2 AS n'); }));
  t.is(Number(n!.n), 2);
  await pool.close();
});

test('cancel() of a thread parked in a query: CancelledError, connection killed, pool healthy', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1 });
  const adm = await adminConnection(t);
  const marker = `gts_cancel_${process.pid}_${Date.now()}`;
  const th = spawn(green(function* () { yield* query(pool, `SELECT SLEEP(3) AS ${marker}`); }));
  t.true(await eventually(async () => (await threadRunning(adm, marker)) !== undefined));
  th.cancel('test');
  await t.throwsAsync(th.promise, { instanceOf: CancelledError });
  t.deepEqual(pool.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
  t.true(await eventually(async () => (await threadRunning(adm, marker)) === undefined, 2000));
  const n = await run(green(function* () { return yield* one<{ n: number }>(pool, 'SELECT 3 AS n'); }));
  t.is(Number(n!.n), 3);
  await pool.close();
});

test('KILL of a busy connection fails only that query; other threads carry on; the pool replaces it', async (t) => {
  const pool = await testPool(t, { connectionLimit: 3 });
  const adm = await adminConnection(t);
  const marker = `gts_kill_${process.pid}_${Date.now()}`;
  const victim = run(green(function* () { return yield* one(pool, `SELECT SLEEP(5) AS ${marker}`); }));
  const others = [1, 2].map((k) => run(green(function* () {
    const out: number[] = [];
    for (let i = 0; i < 8; i++) out.push(Number((yield* one<{ n: number }>(pool, 'SELECT ? AS n, SLEEP(0.02) AS s', [k * 100 + i]))!.n));
    return out;
  })));
  let victimId: number | undefined;
  t.true(await eventually(async () => (victimId = await threadRunning(adm, marker)) !== undefined));
  await adm.query(`KILL CONNECTION ${victimId}`);
  const err = await t.throwsAsync(victim, { instanceOf: MysqlError });
  t.true(err!.fatal, `${err!.code} is fatal for the connection`);
  t.deepEqual(await Promise.all(others), [1, 2].map((k) => Array.from({ length: 8 }, (_, i) => k * 100 + i)));
  const ids = await run(green(function* () {
    const rows: number[] = [];
    for (let i = 0; i < 6; i++) rows.push(Number((yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id'))!.id));
    return rows;
  }));
  t.false(ids.includes(victimId!), 'the killed connection is never lent again');
  const s = pool.stats();
  t.is(s.busy, 0);
  t.is(s.waiting, 0);
  t.is(s.total, s.idle);
  await pool.close();
});

test('an idle connection KILLed by the server is dropped and replaced', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1 });
  const adm = await adminConnection(t);
  const first = await run(green(function* () { return Number((yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id'))!.id); }));
  t.deepEqual(pool.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  await adm.query(`KILL CONNECTION ${first}`);
  t.true(await eventually(async () => pool.stats().total === 0), 'the pool noticed the death');
  const second = await run(green(function* () { return Number((yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id'))!.id); }));
  t.not(second, first);
  t.deepEqual(pool.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  await pool.close();
});

test('a connection closed by wait_timeout is dropped and replaced', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1 });
  const first = await run(green(function* () {
    return yield* connection(pool, function* (conn) {
      yield* exec(conn, 'SET SESSION wait_timeout = 1');
      return conn.threadId;
    });
  }));
  t.true(await eventually(async () => pool.stats().total === 0), 'the server closed it after wait_timeout and the pool noticed');
  const second = await run(green(function* () { return Number((yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id'))!.id); }));
  t.not(second, first);
  await pool.close();
});

test('an error inside connection(fn) still returns the connection', async (t) => {
  const pool = await testPool(t, { connectionLimit: 1 });
  await t.throwsAsync(run(green(function* () {
    yield* connection(pool, function* (conn) {
      yield* query(conn, 'SELECT 1');
      throw new Error('boom');
    });
  })), { message: 'boom' });
  t.deepEqual(pool.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 });
  await t.throwsAsync(run(green(function* () { yield* query(pool, 'SELEC oops'); })), { instanceOf: MysqlError, message: /ER_PARSE_ERROR/ });
  t.deepEqual(pool.stats(), { total: 1, idle: 1, busy: 0, waiting: 0 }, 'a SQL error does not cost the connection');
  const n = await run(green(function* () { yield* sleep(1); return yield* one<{ n: number }>(pool, 'SELECT 1 AS n'); }));
  t.is(Number(n!.n), 1);
  await pool.close();
});

test('a connection that cannot be opened fails the caller with mysql2\'s code, and leaves nothing behind', async (t) => {
  const url = new URL(await mysqlUrl());
  url.username = 'gts_no_such_user';
  const denied = createPool({ uri: url.toString(), connectionLimit: 2 });
  t.teardown(() => denied.close());
  const err = await t.throwsAsync(run(green(function* () { yield* query(denied, 'SELECT 1'); })), { instanceOf: MysqlError });
  t.is((err as { code?: string }).code, 'ER_ACCESS_DENIED_ERROR');
  t.deepEqual(denied.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });

  const refused = createPool({ uri: 'mysql://root@127.0.0.1:1/test', connectionLimit: 2 });
  t.teardown(() => refused.close());
  const results = await Promise.allSettled([1, 2, 3].map(() => run(green(function* () { yield* query(refused, 'SELECT 1'); }))));
  t.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected'], 'every caller hears, none waits forever');
  t.true((results[0] as PromiseRejectedResult).reason instanceof MysqlError);
  t.is(((results[0] as PromiseRejectedResult).reason as MysqlError).code, 'ECONNREFUSED');
  t.deepEqual(refused.stats(), { total: 0, idle: 0, busy: 0, waiting: 0 });
});
