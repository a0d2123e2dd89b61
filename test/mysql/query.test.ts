// query / one / run against the real server: params, the sql template, prepared statements,
// row and write results, errors at the call site, injection payloads.
import test from 'ava';
import { GreenContextError, run } from '../../runtime/index.js';
import { createPool, MysqlError, sql, type Pool } from '../../runtime/mysql/index.js';
import { mysqlUrl } from '../support/mysql.js';
import { connection, exec, green, one, query, queryAt, tableName } from './support.js';

const T = tableName('query');
let pool: Pool;

test.before(async () => {
  pool = createPool({ uri: await mysqlUrl(), connectionLimit: 4 });
  await run(green(function* () {
    yield* exec(pool, `DROP TABLE IF EXISTS ${T}`);
    yield* exec(pool, `CREATE TABLE ${T} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE, score INT NOT NULL DEFAULT 0)`);
    yield* exec(pool, `INSERT INTO ${T} (name, score) VALUES ('ada', 10), ('bob', 20), ('cy', 30)`);
  }));
});

test.after.always(async () => {
  await run(green(function* () { yield* exec(pool, `DROP TABLE IF EXISTS ${T}`); }));
  await pool.close();
});

interface Person { id: number; name: string; score: number }

test.serial('query with ? params returns typed rows; one returns the first or undefined', async (t) => {
  const [rows, first, none] = await run(green(function* () {
    const rows = yield* query<Person>(pool, `SELECT id, name, score FROM ${T} WHERE score >= ? ORDER BY id`, [20]);
    const first = yield* one<Person>(pool, `SELECT name FROM ${T} WHERE name = ?`, ['ada']);
    const none = yield* one<Person>(pool, `SELECT name FROM ${T} WHERE name = ?`, ['nobody']);
    return [rows, first, none] as const;
  }));
  t.deepEqual(rows.map((r) => r.name), ['bob', 'cy']);
  t.is(typeof rows[0]!.id, 'number');
  t.deepEqual(first, { name: 'ada' });
  t.is(none, undefined);
});

test.serial('the sql template: values bound, identifiers quoted, fragments and join compose', async (t) => {
  const rows = await run(green(function* () {
    const names = ['ada', 'cy'];
    const where = sql`${sql.id('name')} IN (${sql.join(names)})`;
    return yield* query<{ name: string }>(pool, sql`SELECT name FROM ${sql.id(T)} WHERE ${where} AND score > ${0} ORDER BY id`);
  }));
  t.deepEqual(rows, [{ name: 'ada' }, { name: 'cy' }]);
});

test.serial('run reports affectedRows, insertId and changedRows', async (t) => {
  const [ins, upd, del] = await run(green(function* () {
    const ins = yield* exec(pool, sql`INSERT INTO ${sql.id(T)} (name, score) VALUES (${'dee'}, ${1})`);
    // 'dee' changes, 'ada' already has 10: matched 2, changed 1.
    const upd = yield* exec(pool, `UPDATE ${T} SET score = 10 WHERE name IN (?, ?)`, ['dee', 'ada']);
    const del = yield* exec(pool, `DELETE FROM ${T} WHERE name = ?`, ['dee']);
    return [ins, upd, del] as const;
  }));
  t.is(ins.affectedRows, 1);
  t.true(ins.insertId > 3);
  t.is(upd.affectedRows, 2);
  t.is(upd.changedRows, 1);
  t.deepEqual(del, { affectedRows: 1, insertId: 0, changedRows: 0 });
});

test.serial('prepare: true uses a server-side prepared statement, with ? and with the template', async (t) => {
  const result = await run(green(function* () {
    return yield* connection(pool, function* (conn) {
      const status = function* () {
        const row = yield* one<{ Value: string }>(conn, `SHOW SESSION STATUS LIKE 'Com_stmt_execute'`);
        return Number(row!.Value);
      };
      const before = yield* status();
      const a = yield* query<{ n: number }>(conn, 'SELECT ? + 1 AS n', [41], { prepare: true });
      const b = yield* one<{ name: string }>(conn, sql`SELECT name FROM ${sql.id(T)} WHERE score = ${30}`, { prepare: true });
      const c = yield* query<{ n: number }>(conn, 'SELECT ? + 1 AS n', [1]);
      const after = yield* status();
      return { a, b, c, executed: after - before };
    });
  }));
  t.is(Number(result.a[0]!.n), 42);
  t.deepEqual(result.b, { name: 'cy' });
  t.is(Number(result.c[0]!.n), 2);
  t.is(result.executed, 2, 'two COM_STMT_EXECUTEs: the two prepared queries, not the plain one');
});

test.serial('mysql2 options pass through: per statement (rowsAsArray) and per pool (namedPlaceholders, typeCast)', async (t) => {
  const named = createPool({ uri: await mysqlUrl(), connectionLimit: 1, namedPlaceholders: true, dateStrings: true });
  try {
    const [arrays, namedRow, date] = await run(green(function* () {
      const arrays = yield* query<unknown[]>(pool, 'SELECT 1 AS a, 2 AS b', [], { rowsAsArray: true });
      const namedRow = yield* one<{ n: number }>(named, 'SELECT :x + :y AS n', { x: 40, y: 2 });
      const date = yield* one<{ d: unknown }>(named, "SELECT DATE('2024-02-29') AS d");
      return [arrays, namedRow, date] as const;
    }));
    t.deepEqual(arrays, [[1, 2]]);
    t.is(Number(namedRow!.n), 42);
    t.is(date!.d, '2024-02-29');
  } finally {
    await named.close();
  }
});

test.serial('injection payloads through ? and the template match nothing and change nothing', async (t) => {
  const payloads = [
    "' OR '1'='1",
    "ada' -- ",
    "ada'; DROP TABLE " + T + '; -- ',
    '" OR ""="',
    "\\' OR 1=1 -- ",
    "ada\u0000' OR 1=1 #",
    '1 OR 1=1',
    "' UNION SELECT id, name, score FROM " + T + ' -- ',
  ];
  const results = await run(green(function* () {
    const out: number[] = [];
    for (const p of payloads) {
      out.push((yield* query(pool, `SELECT * FROM ${T} WHERE name = ?`, [p])).length);
      out.push((yield* query(pool, sql`SELECT * FROM ${sql.id(T)} WHERE name = ${p}`)).length);
      out.push((yield* query(pool, sql`SELECT * FROM ${sql.id(T)} WHERE name = ${p}`, { prepare: true })).length);
      out.push((yield* query(pool, `SELECT * FROM ${T} WHERE CAST(id AS CHAR) = ?`, [p])).length);
    }
    const count = yield* one<{ n: number }>(pool, `SELECT COUNT(*) AS n FROM ${T}`);
    return { out, count: Number(count!.n) };
  }));
  t.deepEqual(results.out, payloads.flatMap(() => [0, 0, 0, 0]));
  t.is(results.count, 3, 'the table is intact');
});

test.serial('a server error is thrown at the call site with code, errno, sqlMessage and the green stack', async (t) => {
  const site = { file: 'test/mysql/query.test.ts', line: 123, col: 7, fn: 'loadMissing' };
  const err = await t.throwsAsync(run(green(function* () {
    yield* queryAt(site, pool, 'SELECT * FROM no_such_table_here');
  })), { instanceOf: MysqlError });
  t.is(err!.code, 'ER_NO_SUCH_TABLE');
  t.is(err!.errno, 1146);
  t.regex(err!.sqlMessage!, /no_such_table_here/);
  t.is(err!.sql, 'SELECT * FROM no_such_table_here');
  t.false(err!.fatal);
  t.truthy((err as Error & { cause?: unknown }).cause, 'mysql2\'s original error is kept as cause');
  t.regex(err!.stack!, /at loadMissing \(test\/mysql\/query\.test\.ts:123:7\)/);

  const dup = await t.throwsAsync(run(green(function* () {
    yield* exec(pool, `INSERT INTO ${T} (name) VALUES (?)`, ['ada']);
  })), { instanceOf: MysqlError });
  t.is(dup!.code, 'ER_DUP_ENTRY');
  t.is(dup!.errno, 1062);
  t.false(dup!.message.includes("'ada'") && dup!.sql!.includes('ada'), 'the statement text keeps placeholders');
  t.deepEqual(pool.stats().busy, 0, 'the connection went back after the error');
});

test.serial('a template with extra params is refused before anything is sent', async (t) => {
  await t.throwsAsync(run(green(function* () {
    yield* query(pool, sql`SELECT ${1}`, [2]);
  })), { instanceOf: TypeError, message: /carries its own values/ });
  t.is(pool.stats().busy, 0);
});

test.serial('called from plain code (not rewritten), a query throws GreenContextError naming it', (t) => {
  const err = t.throws(() => pool.query('SELECT 1'), { instanceOf: GreenContextError });
  t.regex(err!.message, /Pool\.query/);
  t.is(pool.stats().busy, 0, 'no connection was taken');
});
