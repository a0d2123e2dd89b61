// The e2e checks of the demo's endpoints against the TechEmpower rules, the posts resource and the
// error route. Registered once per service (green demo, async/await twin) by the *.e2e.test.ts files,
// so the benchmark compares two services that provably do the same thing.
import test from 'ava';
import mysql from 'mysql2/promise';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mysqlUrl } from '../../support/mysql.js';
import { databaseName, dropDatabase, ownDatabase } from './database.js';
import { build, repoRoot, spec, start, type Kind, type RunningService } from './services.js';

interface World { id: number; randomNumber: number }
interface Fortune { id: number; message: string }

async function get(svc: RunningService, path: string, init?: RequestInit) {
  const res = await fetch(svc.url + path, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function send(svc: RunningService, method: string, path: string, body?: unknown) {
  return get(svc, path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function isWorld(w: unknown): w is World {
  if (typeof w !== 'object' || w === null) return false;
  const { id, randomNumber, ...rest } = w as Record<string, unknown>;
  return Object.keys(rest).length === 0 && Number.isInteger(id) && Number.isInteger(randomNumber) &&
    (id as number) >= 1 && (id as number) <= 10000 && (randomNumber as number) >= 1 && (randomNumber as number) <= 10000;
}

/** The test's own escaper, written apart from the services' so a shared bug cannot hide. */
function escaped(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

export function endpointTests(kind: Kind): void {
  let svc: RunningService;
  let dbUrl: string;

  test.before(async () => {
    dbUrl = await ownDatabase(await mysqlUrl(), databaseName(kind));
    const s = spec(kind);
    await build(s);
    svc = await start(s, { mysqlUrl: dbUrl });
  });
  test.after.always(async () => {
    await svc?.stop();
    await dropDatabase(await mysqlUrl(), databaseName(kind));
  });

  test(`${kind}: /json`, async (t) => {
    const r = await get(svc, '/json');
    t.is(r.status, 200);
    t.regex(r.type, /^application\/json/);
    t.deepEqual(JSON.parse(r.text), { message: 'Hello, World!' });
  });

  test(`${kind}: /db returns one random World row`, async (t) => {
    for (let i = 0; i < 5; i++) {
      const r = await get(svc, '/db');
      t.is(r.status, 200);
      t.regex(r.type, /^application\/json/);
      const w = JSON.parse(r.text);
      t.true(isWorld(w), r.text);
    }
  });

  const clamp: [string, number][] = [
    ['', 1], ['?queries=1', 1], ['?queries=20', 20], ['?queries=500', 500],
    ['?queries=0', 1], ['?queries=-1', 1], ['?queries=foo', 1], ['?queries=1.5', 1], ['?queries=', 1],
    ['?queries=501', 500], ['?queries=100000', 500],
  ];
  for (const [query, n] of clamp) {
    test(`${kind}: /queries${query} returns ${n} rows`, async (t) => {
      const r = await get(svc, `/queries${query}`);
      t.is(r.status, 200);
      t.regex(r.type, /^application\/json/);
      const rows = JSON.parse(r.text);
      t.true(Array.isArray(rows));
      t.is(rows.length, n);
      t.true(rows.every(isWorld), r.text.slice(0, 200));
    });
  }

  test(`${kind}: /fortunes is every row plus the request-time one, sorted by message, escaped`, async (t) => {
    const seed: Fortune[] = JSON.parse(readFileSync(join(repoRoot(), 'examples', 'data', 'tfb-fortunes.json'), 'utf8'));
    const expected = [...seed, { id: 0, message: 'Additional fortune added at request time.' }]
      .sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    const r = await get(svc, '/fortunes');
    t.is(r.status, 200);
    t.regex(r.type, /^text\/html; charset=utf-8/i);
    t.true(r.text.startsWith('<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>'));
    t.true(r.text.endsWith('</table></body></html>'));
    const rows = [...r.text.matchAll(/<tr><td>(\d+)<\/td><td>(.*?)<\/td><\/tr>/g)].map((m) => ({ id: Number(m[1]), html: m[2] }));
    t.deepEqual(rows, expected.map((f) => ({ id: f.id, html: escaped(f.message) })));
    t.true(r.text.includes('<td>&lt;script&gt;alert(&quot;This should not be displayed in a browser alert box.&quot;);&lt;/script&gt;</td>'));
    t.false(r.text.includes('<script>'));
    t.true(r.text.includes('フレームワークのベンチマーク'));
  });

  // One test for all of /updates: it is the only writer of World, so its database checks cannot race.
  test(`${kind}: /updates writes new random numbers back and clamps queries`, async (t) => {
    const r = await get(svc, '/updates?queries=5');
    t.is(r.status, 200);
    t.regex(r.type, /^application\/json/);
    const rows: World[] = JSON.parse(r.text);
    t.is(rows.length, 5);
    t.true(rows.every(isWorld), r.text);
    const conn = await mysql.createConnection({ uri: dbUrl });
    try {
      // The last write of an id wins when the random ids repeat, as it does in the service.
      const last = new Map(rows.map((w) => [w.id, w.randomNumber]));
      const [stored] = await conn.query<any[]>('SELECT id, randomNumber FROM World WHERE id IN (?)', [[...last.keys()]]);
      const byId = (a: [number, number], b: [number, number]) => a[0] - b[0];
      t.deepEqual(stored.map((w: World): [number, number] => [w.id, w.randomNumber]).sort(byId), [...last].sort(byId));
    } finally {
      await conn.end();
    }
    for (const [query, n] of [['?queries=0', 1], ['?queries=-1', 1], ['?queries=foo', 1], ['', 1], ['?queries=501', 500]] as const) {
      const c = await get(svc, `/updates${query}`);
      t.is(c.status, 200, query);
      const cr = JSON.parse(c.text);
      t.is(cr.length, n, query);
      t.true(cr.every(isWorld), query);
    }
  });

  test(`${kind}: posts resource: create, get, list, update, delete`, async (t) => {
    const created = await send(svc, 'POST', '/posts', { title: 'Hello', body: 'first <b>post</b>' });
    t.is(created.status, 201);
    const post = JSON.parse(created.text);
    t.true(Number.isInteger(post.id) && post.id > 0);
    t.deepEqual(post, { id: post.id, title: 'Hello', body: 'first <b>post</b>' });

    t.deepEqual(JSON.parse((await get(svc, `/posts/${post.id}`)).text), post);
    const list = JSON.parse((await get(svc, '/posts')).text);
    t.true(Array.isArray(list));
    t.deepEqual(list.find((p: { id: number }) => p.id === post.id), post);

    const updated = await send(svc, 'PUT', `/posts/${post.id}`, { title: 'Hello again' });
    t.is(updated.status, 200);
    t.deepEqual(JSON.parse(updated.text), { ...post, title: 'Hello again' });
    t.deepEqual(JSON.parse((await get(svc, `/posts/${post.id}`)).text), { ...post, title: 'Hello again' });

    t.is((await send(svc, 'DELETE', `/posts/${post.id}`)).status, 204);
    t.is((await get(svc, `/posts/${post.id}`)).status, 404);
    t.is((await send(svc, 'DELETE', `/posts/${post.id}`)).status, 404);
    t.is((await send(svc, 'PUT', `/posts/${post.id}`, { title: 'gone' })).status, 404);
  });

  test(`${kind}: posts resource rejects bad input and bad ids`, async (t) => {
    const noTitle = await send(svc, 'POST', '/posts', { body: 'x' });
    t.is(noTitle.status, 400);
    t.regex(JSON.parse(noTitle.text).error, /title/);
    t.is((await send(svc, 'POST', '/posts', { title: 'x', body: 42 })).status, 400);
    t.is((await get(svc, '/posts/abc')).status, 404);
    t.is((await get(svc, '/posts/0')).status, 404);
    t.is((await get(svc, '/posts/999999999')).status, 404);
  });

  test(`${kind}: an error in a handler is a 500 with no detail, and the service keeps serving`, async (t) => {
    // More failures than the pool has connections: a leaked connection would stall /db below.
    const booms = await Promise.all(Array.from({ length: 40 }, () => get(svc, '/boom')));
    for (const r of booms) {
      t.is(r.status, 500);
      t.is(r.text, 'Internal Server Error');
      t.notRegex(r.text, /boom|detail|Error:|\bat\b|\.js|\.ts/);
    }
    t.is((await get(svc, '/json')).status, 200);
    const dbs = await Promise.all(Array.from({ length: 40 }, () => get(svc, '/db')));
    t.true(dbs.every((r) => r.status === 200 && isWorld(JSON.parse(r.text))));
    t.regex(svc.output(), /boom: a detail the client must not see/, 'the error is logged server-side');
  });

  test(`${kind}: concurrent requests are all answered`, async (t) => {
    const paths = Array.from({ length: 100 }, (_, i) => ['/db', '/queries?queries=3', '/fortunes', '/json'][i % 4]);
    const results = await Promise.all(paths.map((p) => get(svc, p)));
    t.true(results.every((r) => r.status === 200));
  });

  test(`${kind}: unknown routes are 404`, async (t) => {
    t.is((await get(svc, '/nope')).status, 404);
  });
}
