// Transactions against the real server: commit, rollback on throw / cancel / timeout, savepoints,
// and the ambient connection (seen by its own thread however deep, by no other thread).
import test from 'ava';
import { CancelledError, TimeoutError, run, spawn } from '../../runtime/index.js';
import { createPool, sql, type Pool } from '../../runtime/mysql/index.js';
import { mysqlUrl } from '../support/mysql.js';
import { connection, eventually, exec, green, one, query, sleep, tableName, timeout, transaction, wait } from './support.js';

const T = tableName('tx');
let pool: Pool;

test.before(async () => {
  pool = createPool({ uri: await mysqlUrl(), connectionLimit: 5 });
  await run(green(function* () {
    yield* exec(pool, `DROP TABLE IF EXISTS ${T}`);
    yield* exec(pool, `CREATE TABLE ${T} (name VARCHAR(100) PRIMARY KEY, owner VARCHAR(100)) ENGINE=InnoDB`);
  }));
});

test.after.always(async () => {
  await run(green(function* () { yield* exec(pool, `DROP TABLE IF EXISTS ${T}`); }));
  await pool.close();
});

// "Repository code": plain functions several calls deep that just use the pool.
function* insertItem(name: string) { yield* exec(pool, sql`INSERT INTO ${sql.id(T)} (name) VALUES (${name})`); }
function* countItems(prefix: string) { return Number((yield* one<{ n: number }>(pool, `SELECT COUNT(*) AS n FROM ${T} WHERE name LIKE ?`, [`${prefix}%`]))!.n); }
function* connectionId() { return Number((yield* one<{ id: number }>(pool, 'SELECT CONNECTION_ID() AS id'))!.id); }
function* service(prefix: string) { yield* insertItem(`${prefix}-1`); yield* insertItem(`${prefix}-2`); return yield* countItems(prefix); }

function count(prefix: string): Promise<number> {
  return run(green(function* () { return yield* countItems(prefix); }));
}

const idleish = (p: Pool) => { const s = p.stats(); return s.busy === 0 && s.waiting === 0 && s.total === s.idle; };

test.serial('commit on return: the result comes back and the rows are there', async (t) => {
  const seen = await run(green(function* () {
    return yield* transaction<number>(pool, function* () { return yield* service('commit'); });
  }));
  t.is(seen, 2, 'repository code deep inside saw its own uncommitted rows');
  t.is(await count('commit'), 2);
  t.true(idleish(pool));
});

test.serial('rollback on throw, then the same error is rethrown', async (t) => {
  const boom = new Error('boom');
  const err = await t.throwsAsync(run(green(function* () {
    yield* transaction(pool, function* () { yield* service('throw'); throw boom; });
  })));
  t.is(err, boom);
  t.is(await count('throw'), 0);
  t.true(idleish(pool));
});

test.serial('rollback on cancellation while the thread waits inside the transaction', async (t) => {
  let inserted = false;
  const th = spawn(green(function* () {
    yield* transaction(pool, function* () { yield* service('cancel-idle'); inserted = true; yield* sleep(5000); });
  }));
  t.true(await eventually(async () => inserted));
  th.cancel();
  await t.throwsAsync(th.promise, { instanceOf: CancelledError });
  t.is(await count('cancel-idle'), 0);
  t.true(idleish(pool));
});

test.serial('rollback on cancellation while a statement of the transaction is running', async (t) => {
  let inserted = false;
  const th = spawn(green(function* () {
    yield* transaction(pool, function* () { yield* service('cancel-busy'); inserted = true; yield* query(pool, 'SELECT SLEEP(3)'); });
  }));
  t.true(await eventually(async () => inserted));
  await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  th.cancel();
  await t.throwsAsync(th.promise, { instanceOf: CancelledError });
  t.true(Date.now() - started < 2000);
  t.true(await eventually(async () => (await count('cancel-busy')) === 0, 3000), 'killed connection: the server rolled back');
  t.true(idleish(pool));
});

test.serial('timeout() around a transaction rolls it back and throws TimeoutError', async (t) => {
  const err = await t.throwsAsync(run(green(function* () {
    yield* timeout(150, function* () {
      yield* transaction(pool, function* () { yield* service('timeout'); yield* sleep(2000); });
    });
  })));
  t.true(err instanceof TimeoutError);
  t.is(await count('timeout'), 0);
  t.true(idleish(pool));
});

test.serial('nested transactions are savepoints: an inner failure undoes only the inner work', async (t) => {
  const ids = await run(green(function* () {
    return yield* transaction<number[]>(pool, function* () {
      const ids = [yield* connectionId()];
      yield* insertItem('sp-a');
      try {
        yield* transaction(pool, function* () { ids.push(yield* connectionId()); yield* insertItem('sp-b'); throw new Error('inner'); });
      } catch { /* the outer goes on */ }
      yield* transaction(pool, function* () {
        yield* insertItem('sp-c');
        yield* transaction(pool, function* () { yield* insertItem('sp-d'); });
      });
      ids.push(yield* connectionId());
      return ids;
    });
  }));
  t.is(new Set(ids).size, 1, 'every level used the one connection');
  const names = await run(green(function* () { return (yield* query<{ name: string }>(pool, `SELECT name FROM ${T} WHERE name LIKE 'sp-%' ORDER BY name`)).map((r) => r.name); }));
  t.deepEqual(names, ['sp-a', 'sp-c', 'sp-d']);
  t.true(idleish(pool));
});

test.serial('a timeout inside a nested transaction, caught by the outer one, rolls back only the savepoint', async (t) => {
  const caught = await run(green(function* () {
    return yield* transaction<unknown>(pool, function* () {
      yield* insertItem('nt-a');
      let caught: unknown;
      try {
        yield* timeout(100, function* () {
          yield* transaction(pool, function* () { yield* insertItem('nt-b'); yield* sleep(2000); });
        });
      } catch (e) { caught = e; }
      yield* insertItem('nt-c');
      return caught;
    });
  }));
  t.true(caught instanceof TimeoutError);
  const names = await run(green(function* () { return (yield* query<{ name: string }>(pool, `SELECT name FROM ${T} WHERE name LIKE 'nt-%' ORDER BY name`)).map((r) => r.name); }));
  t.deepEqual(names, ['nt-a', 'nt-c']);
  t.true(idleish(pool));
});

test.serial('the ambient connection belongs to its thread: not to other threads, not to threads spawned inside', async (t) => {
  let release!: () => void;
  const done = new Promise<void>((r) => { release = r; });
  let insideReady = false;
  const seen: Record<string, number> = {};
  const owner = run(green(function* () {
    yield* transaction(pool, function* () {
      seen.txId = yield* connectionId();
      yield* insertItem('amb-1');
      seen.inside = yield* countItems('amb');
      // A child spawned inside the transaction is another thread: its own connection, no uncommitted rows.
      const child = spawn(green(function* () { return [yield* connectionId(), yield* countItems('amb')]; }));
      const [childId, childCount] = yield* wait(child.promise);
      seen.childId = childId!;
      seen.childCount = childCount!;
      // Through connection(fn), the transaction's own connection.
      seen.pinnedId = yield* connection(pool, function* (conn) { return conn.threadId; });
      insideReady = true;
      yield* wait(done);
      seen.deepAgain = yield* connectionId();
    });
  }));
  t.true(await eventually(async () => insideReady));
  // Another thread, concurrently: not in the transaction.
  const outside = await run(green(function* () { return [yield* connectionId(), yield* countItems('amb')]; }));
  release();
  await owner;
  t.is(seen.inside, 1);
  t.not(seen.childId, seen.txId);
  t.is(seen.childCount, 0);
  t.is(seen.pinnedId, seen.txId);
  t.is(seen.deepAgain, seen.txId);
  t.not(outside[0], seen.txId);
  t.is(outside[1], 0);
  t.is(await count('amb'), 1, 'committed at the end');
  t.true(idleish(pool));
});

test.serial('two threads in transactions at once each see only their own connection and rows', async (t) => {
  // A barrier: neither commits before both have counted, so each count runs while the other's
  // row is inserted but uncommitted.
  let arrived = 0;
  let open!: () => void;
  const bothCounted = new Promise<void>((r) => { open = r; });
  const results = await Promise.all(['iso-x', 'iso-y'].map((prefix) => run(green(function* () {
    return yield* transaction<[number, number, number]>(pool, function* () {
      const id1 = yield* connectionId();
      yield* insertItem(`${prefix}-1`);
      yield* sleep(30); // interleave with the other thread
      const n = yield* countItems('iso-');
      if (++arrived === 2) open();
      yield* wait(bothCounted);
      const id2 = yield* connectionId();
      return [id1, id2, n];
    });
  }))));
  for (const [id1, id2, n] of results) {
    t.is(id1, id2);
    t.is(n, 1, 'only its own uncommitted row');
  }
  t.not(results[0]![0], results[1]![0]);
  t.is(await count('iso-'), 2);
});

test.serial('after a deadlock the server rolled the transaction back: later statements are refused, nothing commits', async (t) => {
  {
    await run(green(function* () {
      yield* exec(pool, `INSERT INTO ${T} (name) VALUES ('dl-row-1'), ('dl-row-2')`);
    }));
  }
  let arrived = 0;
  let open!: () => void;
  const bothLocked = new Promise<void>((r) => { open = r; });
  const worker = (first: string, second: string, tag: string) => run(green(function* () {
    return yield* transaction<string>(pool, function* () {
      yield* exec(pool, `UPDATE ${T} SET owner = ? WHERE name = ?`, [tag, first]);
      if (++arrived === 2) open();
      yield* wait(bothLocked);
      try {
        yield* exec(pool, `UPDATE ${T} SET owner = ? WHERE name = ?`, [tag, second]);
      } catch (e) {
        // Swallowing the deadlock and carrying on is the mistake this guards against: without the
        // guard the insert below would run in autocommit mode and stay.
        t.is((e as { code?: string }).code, 'ER_LOCK_DEADLOCK');
        yield* insertItem(`dl-after-${tag}`);
      }
      return tag;
    });
  }));
  const results = await Promise.allSettled([worker('dl-row-1', 'dl-row-2', 'a'), worker('dl-row-2', 'dl-row-1', 'b')]);
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  const fulfilled = results.filter((r): r is PromiseFulfilledResult<string> => r.status === 'fulfilled');
  t.is(rejected.length, 1, 'one transaction is the deadlock victim');
  t.is(fulfilled.length, 1);
  t.is((rejected[0]!.reason as { code?: string }).code, 'TRANSACTION_ABORTED');
  t.is(await count('dl-after'), 0, 'the statement after the deadlock did not run in autocommit mode');
  const owners = await run(green(function* () { return (yield* query<{ owner: string }>(pool, `SELECT owner FROM ${T} WHERE name LIKE 'dl-row-%'`)).map((r) => r.owner); }));
  t.deepEqual(owners, [fulfilled[0]!.value, fulfilled[0]!.value], 'the survivor committed both rows');
  t.true(idleish(pool));
});
