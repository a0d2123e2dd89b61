// Green code for the MySQL tests, written by hand in the shape green-tsc emits (runtime/protocol.ts),
// so these tests depend on the runtime contract only, not on the transformer.
//
// `green(function* () { ... })` is what a function expression passed to `run`, `spawn`,
// `transaction` or `connection` compiles to (`__g.fn(body, name)`); inside a body, each suspending
// call is a `yield` of the callee's frame. The `yield*` helpers below make those calls read like
// the source would: `const rows = yield* query(pool, 'SELECT 1')` is `const rows = pool.query('SELECT 1')`.
import * as __g from '../../runtime/internal.js';
import { sleep as sleepFn, timeout as timeoutFn, all as allFn, wait as waitFn } from '../../runtime/index.js';
import type { ExecutionContext } from 'ava';
import mysqlPromise from 'mysql2/promise';
import { createPool, type Connection, type Params, type Pool, type PoolOptions, type QueryOptions, type RunResult, type SqlQuery } from '../../runtime/mysql/index.js';
import { mysqlUrl } from '../support/mysql.js';
import type { Frame, Site } from '../../runtime/protocol.js';

type Body = (...args: any[]) => Generator<unknown, any, unknown>;
type Queryable = Pool | Connection;
type G<T> = Generator<unknown, T, unknown>;

/** `__g.fn(body, name)`: a green function expression; typed as the source function would be. */
export function green<A extends any[], R>(body: (...args: A) => Generator<unknown, R, any>, name = body.name || 'anonymous'): (...args: A) => R {
  return (__g as any).fn(body, name);
}

/** A green call `obj.method(...args)`: yields the method's frame to the trampoline. */
function call(obj: object, method: string, args: unknown[], site?: Site): Frame {
  const frame = (obj as any)[method][__g.BODY].apply(obj, args) as Frame;
  return site ? (__g as any).at(frame, site) : frame;
}

export function* query<Row = Record<string, unknown>>(db: Queryable, sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): G<Row[]> {
  return (yield call(db, 'query', [sql, params, options])) as Row[];
}
export function* one<Row = Record<string, unknown>>(db: Queryable, sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): G<Row | undefined> {
  return (yield call(db, 'one', [sql, params, options])) as Row | undefined;
}
export function* exec(db: Queryable, sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): G<RunResult> {
  return (yield call(db, 'run', [sql, params, options])) as RunResult;
}
export function* transaction<T>(pool: Pool, body: Body): G<T> {
  return (yield call(pool, 'transaction', [green(body, 'txBody')])) as T;
}
export function* connection<T>(pool: Pool, body: (conn: Connection) => Generator<unknown, T, unknown>): G<T> {
  return (yield call(pool, 'connection', [green(body, 'connBody')])) as T;
}
export function* sleep(ms: number): G<void> {
  yield (sleepFn as any)[__g.BODY](ms);
}
export function* timeout<T>(ms: number, body: Body): G<T> {
  return (yield (timeoutFn as any)[__g.BODY](ms, green(body, 'timed'))) as T;
}
export function* all<T extends unknown[]>(bodies: Body[]): G<T> {
  return (yield (allFn as any)[__g.BODY](bodies.map((b) => green(b)))) as T;
}
export function* wait<T>(p: PromiseLike<T>): G<T> {
  return (yield (waitFn as any)[__g.BODY](p)) as T;
}

/** A green call with a recorded call site, as emitted code makes (for stack-trace tests). */
export function* queryAt(site: Site, db: Queryable, sql: SqlQuery): G<unknown[]> {
  return (yield call(db, 'query', [sql], site)) as unknown[];
}

/** A table name unique to this test file and process (test files run in parallel processes). */
export function tableName(file: string): string {
  return `gts_${file}_${process.pid}`;
}

/**
 * Polls `check` until true or `ms` elapse: for effects that land asynchronously (a KILL, a thread
 * reaching a point). Generous by default: the CI machine may be loaded; only assertions about
 * "well before the 3 s sleep would end" pass a tighter bound.
 */
export async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Resolves `p`, or undefined after `ms`: teardown must not hang on a test that left work stuck. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => { setTimeout(() => r(undefined), ms).unref(); })]);
}

/** A pool on the test server for one test, closed when the test ends, whether it passed or not. */
export async function testPool(t: ExecutionContext, options: Omit<PoolOptions, 'uri'> = {}): Promise<Pool> {
  const pool = createPool({ uri: await mysqlUrl(), ...options });
  t.teardown(() => within(pool.close(), 5000)); // close() is idempotent: an explicit close in the test is fine
  return pool;
}

/** A plain mysql2/promise connection for watching and poking the server (PROCESSLIST, KILL), ended after the test. */
export async function adminConnection(t: ExecutionContext): Promise<mysqlPromise.Connection> {
  const conn = await mysqlPromise.createConnection({ uri: await mysqlUrl() });
  t.teardown(() => within(conn.end(), 5000));
  return conn;
}
