import test from 'ava';
import { createRequire } from 'node:module';
import mysql from 'mysql2';
import { DEFAULT_MYSQL_URL, mysqlUrl, ping, resolveMysqlServer } from './support/mysql.js';

const requireFromHere = createRequire(__filename);

test('package entry points resolve through the exports map', (t) => {
  for (const entry of ['green-ts', 'green-ts/internal', 'green-ts/mysql', 'green-ts/http', 'green-ts/transformer']) {
    const resolved = requireFromHere.resolve(entry);
    t.regex(resolved, /[/\\]dist[/\\]/, entry);
    t.truthy(requireFromHere(entry), entry);
  }
});

test('SELECT 1 through mysql2 against the test server', async (t) => {
  const url = await mysqlUrl();
  const rows = await new Promise<unknown[]>((resolve, reject) => {
    const conn = mysql.createConnection({ uri: url });
    conn.query('SELECT 1 AS one', (err, res) => { conn.end(); err ? reject(err) : resolve(res as unknown[]); });
  });
  t.deepEqual(rows, [{ one: 1 }]);
});

test('with MYSQL_URL unset and nothing at the default address, a private server starts and stops', async (t) => {
  const { existsSync } = await import('node:fs');
  const nowhere = 'mysql://root@127.0.0.1:1/test';
  const server = await resolveMysqlServer(undefined, nowhere);
  t.is(server.source, 'private');
  t.not(server.url, DEFAULT_MYSQL_URL);
  await t.notThrowsAsync(ping(server.url));
  t.true(existsSync(server.private!.datadir));
  await server.private!.stop();
  t.false(existsSync(server.private!.datadir));
  await t.throwsAsync(ping(server.url, 500));
});

test('MYSQL_URL wins when set', async (t) => {
  const server = await resolveMysqlServer('mysql://u@example.invalid:1/x');
  t.deepEqual(server, { url: 'mysql://u@example.invalid:1/x', source: 'MYSQL_URL' });
});
