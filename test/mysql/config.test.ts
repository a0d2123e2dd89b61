// createPool's configuration: URL or options, pool keys split from mysql2 connection options.
import test from 'ava';
import { parsePoolConfig } from '../../runtime/mysql/config.js';

test('a URL string: defaults, mysql2 parses the rest', (t) => {
  const c = parsePoolConfig('mysql://root@127.0.0.1:3306/test');
  t.is(c.connectionLimit, 10);
  t.is(c.queueLimit, 0);
  t.true(c.waitForConnections);
  t.is(c.acquireTimeout, 10_000);
  t.is(c.maxIdle, 10);
  t.is(c.idleTimeout, 60_000);
  t.deepEqual(c.connection, { uri: 'mysql://root@127.0.0.1:3306/test' });
});

test('pool keys in the URL query string are taken out of the URL', (t) => {
  const c = parsePoolConfig('mysql://u:p@db:3307/app?connectionLimit=3&acquireTimeout=250&charset=utf8mb4');
  t.is(c.connectionLimit, 3);
  t.is(c.acquireTimeout, 250);
  t.deepEqual(c.connection, { uri: 'mysql://u:p@db:3307/app?charset=utf8mb4' });
});

test('an options object: pool keys split off, everything else passes through to mysql2', (t) => {
  const typeCast = () => 1;
  const c = parsePoolConfig({ host: 'h', user: 'u', connectionLimit: 4, queueLimit: 7, waitForConnections: false, acquireTimeout: 0, maxIdle: 2, typeCast, dateStrings: true });
  t.is(c.connectionLimit, 4);
  t.is(c.queueLimit, 7);
  t.false(c.waitForConnections);
  t.is(c.acquireTimeout, 0);
  t.is(c.maxIdle, 2);
  t.deepEqual(c.connection, { host: 'h', user: 'u', typeCast, dateStrings: true });
});

test('uri inside options; explicit options win over the query string', (t) => {
  const c = parsePoolConfig({ uri: 'mysql://root@localhost/test?connectionLimit=9', connectionLimit: 2 });
  t.is(c.connectionLimit, 2);
  t.deepEqual(c.connection, { uri: 'mysql://root@localhost/test' });
});

test('bad settings are clear errors', (t) => {
  t.throws(() => parsePoolConfig({ connectionLimit: 0 }), { message: /connectionLimit must be an integer >= 1/ });
  t.throws(() => parsePoolConfig({ acquireTimeout: -1 }), { message: /acquireTimeout/ });
  t.throws(() => parsePoolConfig('not a url'), { message: /not a URL/ });
  t.throws(() => parsePoolConfig(42 as never), { message: /expected a mysql:\/\/ URL/ });
  t.throws(() => parsePoolConfig({ resetOnRelease: true }), { message: /resetOnRelease is not supported/ });
});
