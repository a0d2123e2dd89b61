// The sql template: values are always bound, fragments compose, identifiers are quoted.
import test from 'ava';
import { sql, Sql } from '../../runtime/mysql/index.js';
import { statementOf } from '../../runtime/mysql/sql.js';

test('values become placeholders, never text', (t) => {
  const name = "x'; DROP TABLE users; --";
  const q = sql`SELECT * FROM users WHERE name = ${name} AND id > ${3}`;
  t.is(q.text, 'SELECT * FROM users WHERE name = ? AND id > ?');
  t.deepEqual(q.values, [name, 3]);
  t.is(String(q), q.text, 'toString shows the text, not the values');
});

test('fragments compose, keeping value order', (t) => {
  const where = sql`age > ${18} AND city = ${'Oslo'}`;
  const q = sql`SELECT ${sql.id('name')} FROM t WHERE ${where} LIMIT ${10}`;
  t.is(q.text, 'SELECT `name` FROM t WHERE age > ? AND city = ? LIMIT ?');
  t.deepEqual(q.values, [18, 'Oslo', 10]);
  const nested = sql`(${sql`a = ${1} OR ${sql`b = ${2}`}`})`;
  t.is(nested.text, '(a = ? OR b = ?)');
  t.deepEqual(nested.values, [1, 2]);
});

test('sql.id quotes and escapes backticks, a dot stays inside the name', (t) => {
  t.is(sql.id('users').text, '`users`');
  t.is(sql.id('we`ird').text, '`we``ird`');
  t.is(sql.id('app', 'users').text, '`app`.`users`');
  t.is(sql.id('a.b').text, '`a.b`');
  t.deepEqual(sql.id('x').values, []);
  t.throws(() => sql.id(''), { instanceOf: TypeError });
  t.throws(() => sql.id(), { instanceOf: TypeError });
  t.throws(() => sql.id('a\u0000b'), { instanceOf: TypeError });
});

test('sql.join binds items and splices fragments', (t) => {
  const ids = sql.join([1, 2, 3]);
  t.is(ids.text, '?, ?, ?');
  t.deepEqual(ids.values, [1, 2, 3]);
  const q = sql`SELECT * FROM t WHERE id IN (${ids})`;
  t.is(q.text, 'SELECT * FROM t WHERE id IN (?, ?, ?)');
  const conds = sql.join([sql`a = ${1}`, sql`b = ${2}`], sql` AND `);
  t.is(conds.text, 'a = ? AND b = ?');
  t.deepEqual(conds.values, [1, 2]);
  const cols = sql.join(['id', 'name'].map((c) => sql.id(c)));
  t.is(cols.text, '`id`, `name`');
  t.is(sql.join([]).text, '');
  t.is(sql.join(new Set(['x']), ' | ').text, '?');
});

test('Sql has no public constructor path for untrusted text', (t) => {
  const q = sql`SELECT 1`;
  t.true(q instanceof Sql);
  t.is(q.text, 'SELECT 1');
  t.deepEqual(q.values, []);
});

test('statementOf: a template carries its own values', (t) => {
  t.deepEqual(statementOf(sql`SELECT ${1}`, undefined), { text: 'SELECT ?', values: [1] });
  t.deepEqual(statementOf(sql`SELECT ${1}`, []), { text: 'SELECT ?', values: [1] });
  t.throws(() => statementOf(sql`SELECT ${1}`, [2]), { instanceOf: TypeError, message: /carries its own values/ });
  t.deepEqual(statementOf('SELECT ?', [5]), { text: 'SELECT ?', values: [5] });
  t.throws(() => statementOf(42 as never, undefined), { instanceOf: TypeError });
});
