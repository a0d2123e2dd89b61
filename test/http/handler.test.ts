// green-ts/http handler(fn) on real node:http and Express servers (127.0.0.1, ephemeral ports).
// The green functions are written in the emitted shape (./support/green.ts).
import test from 'ava';
import type { NextFunction, Request, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { current } from 'green-ts';
import { handler } from 'green-ts/http';
import { green, greenEntry, wait } from './support/green.js';
import { expressServer, nodeServer, rawGet } from './support/servers.js';
import { repoRoot } from './support/services.js';

type Req = IncomingMessage;
type Res = ServerResponse;

const secret = 'password=hunter2 at /srv/app/secret.ts:12';

// handler() logs failed requests with console.error; keep them to check, instead of flooding the output.
const logged: unknown[][] = [];
console.error = (...args: unknown[]) => { logged.push(args); };

test('node:http: a green handler that suspends answers the request', async (t) => {
  const srv = await nodeServer(handler(green('hello', function* (req: Req, res: Res) {
    const who = yield* wait(Promise.resolve('world'));
    res.setHeader('content-type', 'text/plain');
    res.end(`hello ${who} ${req.url}`);
  })));
  t.teardown(srv.close);
  const r = await fetch(`${srv.url}/x?y=1`);
  t.is(r.status, 200);
  t.is(await r.text(), 'hello world /x?y=1');
});

test('node:http: an error before or after a suspension is a 500 with no detail, and the server keeps serving', async (t) => {
  const srv = await nodeServer(handler(green('route', function* (req: Req, res: Res) {
    if (req.url === '/sync') throw new Error(secret);
    yield* wait(new Promise((r) => setImmediate(r)));
    if (req.url === '/after') {
      res.setHeader('content-type', 'application/json');   // set before the throw; must not leak into the 500
      throw new Error(secret);
    }
    if (req.url === '/reject') yield* wait(Promise.reject(new TypeError(secret)));
    res.end('ok');
  })));
  t.teardown(srv.close);
  for (const path of ['/sync', '/after', '/reject', '/sync']) {
    const r = await fetch(srv.url + path);
    const body = await r.text();
    t.is(r.status, 500, path);
    t.is(body, 'Internal Server Error', path);
    t.regex(r.headers.get('content-type') ?? '', /^text\/plain/, path);
    t.false(body.includes('hunter2') || body.includes('secret.ts'), path);
    const ok = await fetch(srv.url + '/fine');
    t.is(ok.status, 200);
    t.is(await ok.text(), 'ok');
  }
});

test('node:http: the error is logged server-side, with the request line', async (t) => {
  const error = new Error(`${secret} (logged)`);
  const srv = await nodeServer(handler(green('logs', function* () {
    yield* wait(Promise.resolve());
    throw error;
  })));
  t.teardown(srv.close);
  t.is((await fetch(srv.url + '/logged')).status, 500);
  t.true(logged.some((args) => args.includes(error) && args.some((a) => typeof a === 'string' && a.includes('GET /logged'))));
});

test('node:http: an error after the headers were sent destroys the socket; the server keeps serving', async (t) => {
  const srv = await nodeServer(handler(green('partial', function* (req: Req, res: Res) {
    if (req.url === '/ok') { res.end('ok'); return; }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial ');
    yield* wait(new Promise((r) => setImmediate(r)));
    throw new Error(secret);
  })));
  t.teardown(srv.close);
  const r = await rawGet(srv.url + '/partial');
  t.false(r.complete, 'the client must see an incomplete response');
  t.false(r.body.includes('hunter2'));
  const ok = await rawGet(srv.url + '/ok');
  t.deepEqual([ok.status, ok.body, ok.complete], [200, 'ok', true]);
});

test('Express: an error goes to next(err), before and after a suspension', async (t) => {
  const seen: unknown[] = [];
  const thrown: Error[] = [];
  const srv = await expressServer({
    '/sync': handler(green('sync', function* () { const e = new Error('sync'); thrown.push(e); throw e; })),
    '/after': handler(green('after', function* (_req: Request, _res: Response) {
      yield* wait(new Promise((r) => setTimeout(r, 1)));
      const e = new Error('after'); thrown.push(e); throw e;
    })),
  }, (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    seen.push(err);
    res.status(418).send('handled by the error middleware');
  });
  t.teardown(srv.close);
  for (const path of ['/sync', '/after']) {
    const r = await fetch(srv.url + path);
    t.is(r.status, 418, path);
    t.is(await r.text(), 'handled by the error middleware');
  }
  t.is(seen.length, 2);
  t.is(seen[0], thrown[0]);
  t.is(seen[1], thrown[1]);
});

test('a next() that throws cuts that request only; the process and the server go on', async (t) => {
  const h = handler(green<(req: Req, res: Res) => void>('fails', function* (req: Req, res: Res) {
    yield* wait(Promise.resolve());
    if (req.url === '/fail') throw new Error(secret);
    res.end('ok');
  }));
  const srv = await nodeServer((req, res) => h(req, res, () => { throw new Error('the next() itself failed'); }));
  t.teardown(srv.close);
  const cut = await rawGet(srv.url + '/fail');
  t.false(cut.complete);
  t.true(logged.some((args) => args.some((a) => a instanceof Error && a.message === 'the next() itself failed')));
  const ok = await rawGet(srv.url + '/ok');
  t.deepEqual([ok.status, ok.body, ok.complete], [200, 'ok', true]);
});

test('Express: params, query and response helpers work inside the green thread', async (t) => {
  const srv = await expressServer({
    '/users/:id': handler(green('user', function* (req: Request, res: Response) {
      const name = yield* wait(Promise.resolve(`user${req.params.id}`));
      res.json({ name, q: req.query.q });
    })),
  });
  t.teardown(srv.close);
  const r = await fetch(`${srv.url}/users/7?q=z`);
  t.is(r.status, 200);
  t.deepEqual(await r.json(), { name: 'user7', q: 'z' });
});

test('Express: the AsyncLocalStorage context a middleware set is active after every suspension', async (t) => {
  const als = new AsyncLocalStorage<string>();
  let n = 0;
  const app = (await import('express')).default();
  app.use((_req, _res, next) => als.run(`request ${++n}`, next));
  app.get('/', handler(green<(req: Request, res: Response) => void>('als', function* (_req: Request, res: Response) {
    const seen = [als.getStore()];
    yield* wait(new Promise((r) => setTimeout(r, 1)));
    seen.push(als.getStore());
    yield* wait(new Promise((r) => setImmediate(r)));
    seen.push(als.getStore());
    res.json(seen);
  })));
  const srv = await nodeServer(app);
  t.teardown(srv.close);
  const results = await Promise.all([1, 2, 3].map(() => fetch(srv.url).then((r) => r.json() as Promise<string[]>)));
  for (const seen of results) {
    t.is(seen.length, 3);
    t.regex(seen[0], /^request \d$/);
    t.deepEqual(seen, [seen[0], seen[0], seen[0]]);
  }
  t.deepEqual(new Set(results.map((s) => s[0])).size, 3);
});

test('concurrent requests interleave, each in a green thread of its own', async (t) => {
  // Every handler parks on a gate that opens only once all N requests are inside their handlers:
  // if requests ran one after another the gate would never open.
  const n = 10;
  const threads = new Set<unknown>();
  let arrived = 0;
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  const srv = await nodeServer(handler(green('gated', function* (_req: Req, res: Res) {
    const before = current();
    threads.add(before);
    if (++arrived === n) open();
    yield* wait(gate);
    const after = current();
    res.end(JSON.stringify({ sameThread: before === after && before !== undefined, arrivedWhenResumed: arrived }));
  })));
  t.teardown(srv.close);
  const results = await Promise.all(Array.from({ length: n }, () => fetch(srv.url).then((r) => r.json())));
  t.is(threads.size, n, 'one thread per request');
  t.false(threads.has(undefined));
  for (const r of results) t.deepEqual(r, { sameThread: true, arrivedWhenResumed: n });
});

test('an @green entry function (declared elsewhere, async in its source) works as a handler', async (t) => {
  const srv = await nodeServer(handler(greenEntry<(req: Req, res: Res) => Promise<void>>('serve', function* (req: Req, res: Res) {
    yield* wait(new Promise((r) => setImmediate(r)));
    if (req.url === '/fail') throw new Error(secret);
    res.end('entry ok');
  })));
  t.teardown(srv.close);
  t.is(await (await fetch(srv.url + '/ok')).text(), 'entry ok');
  const failed = await fetch(srv.url + '/fail');
  t.is(failed.status, 500);
  t.is(await failed.text(), 'Internal Server Error');
});

test('a plain (not green) function works too, in a thread of its own; a throw or a rejected promise is a 500', async (t) => {
  const srv = await nodeServer(handler(async (req: Req, res: Res) => {
    const inThread = current() !== undefined;   // read before the first await, while the thread runs it
    if (req.url === '/throw') throw new Error(secret);
    await new Promise((r) => setImmediate(r));
    if (req.url === '/fail') throw new Error(secret);
    res.end(`plain ok ${inThread}`);
  }));
  t.teardown(srv.close);
  for (const path of ['/throw', '/fail']) {
    const failed = await fetch(srv.url + path);
    t.is(failed.status, 500);
    t.is(await failed.text(), 'Internal Server Error');
  }
  const ok = await fetch(srv.url + '/ok');
  t.is(await ok.text(), 'plain ok true');
});

test('the published .d.ts keeps the @green mark on the parameter, for green-tsc to read', (t) => {
  const dts = readFileSync(join(repoRoot(), 'dist', 'runtime', 'http', 'handler.d.ts'), 'utf8');
  t.regex(dts, /handler<[^]*?\(\s*\/\*\* @green \*\/ fn:/);
});

test('handler(fn) rejects a non-function at once', (t) => {
  t.throws(() => handler(42 as never), { instanceOf: TypeError });
});
