// `Pool`, the public face of green-ts/mysql (DESIGN.md "MySQL"): query / one / run, transaction,
// connection, stats, close. The bookkeeping is in ./pool.ts, waiting for a connection in
// ./acquire.ts, running a statement in ./execute.ts, transactions in ./transaction.ts.
//
// Typing: as in ./connection.ts, each suspending method is an overload signature with the
// synchronous type users see, tagged `/** @suspends */`, implemented by a generator method (the
// body) that `methods(Pool.prototype, ...)` wraps. Parameters that take green functions are
// tagged `/** @green */` so the transformer compiles function expressions passed there as bodies.
import { createConnection } from 'mysql2';
import { acquire } from './acquire.js';
import { parsePoolConfig, type PoolConfig, type PoolOptions } from './config.js';
import { Connection, STATEMENT, type TransactionMark } from './connection.js';
import { execute, rowsOf, runResultOf, type Params, type QueryOptions, type RowData, type RunResult } from './execute.js';
import { current, dyn, Local, methods } from './green.js';
import { Killer } from './killer.js';
import { PoolState, type PoolStats } from './pool.js';
import type { Sql, SqlQuery } from './sql.js';
import { runNested, runOutermost, Tx } from './transaction.js';

export class Pool {
  readonly #config: PoolConfig;
  readonly #state: PoolState;
  readonly #killer: Killer;
  /**
   * This thread's open transaction on this pool. A `Local` is per green thread and not inherited
   * by threads spawned inside, so a transaction is seen by every query its own thread makes
   * through this pool, however deep, and by no other thread.
   */
  readonly #ambient = new Local<Tx | undefined>();
  #closed: Promise<void> | undefined;

  constructor(config: string | PoolOptions) {
    this.#config = parsePoolConfig(config);
    const connection = this.#config.connection;
    this.#killer = new Killer(connection);
    this.#state = new PoolState({
      connectionLimit: this.#config.connectionLimit,
      queueLimit: this.#config.queueLimit,
      waitForConnections: this.#config.waitForConnections,
      maxIdle: this.#config.maxIdle,
      idleTimeout: this.#config.idleTimeout,
      open: () => createConnection(connection),
      kill: (threadId) => this.#killer.kill(threadId),
    });
  }

  /** @suspends */
  query<Row = RowData>(sql: Sql, options?: QueryOptions): Row[];
  /** @suspends */
  query<Row = RowData>(sql: SqlQuery, params?: Params, options?: QueryOptions): Row[];
  *query(sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): any {
    return rowsOf(yield* this.#statement(sql, params, options));
  }

  /** @suspends */
  one<Row = RowData>(sql: Sql, options?: QueryOptions): Row | undefined;
  /** @suspends */
  one<Row = RowData>(sql: SqlQuery, params?: Params, options?: QueryOptions): Row | undefined;
  *one(sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): any {
    return rowsOf(yield* this.#statement(sql, params, options))[0];
  }

  /** @suspends */
  run(sql: Sql, options?: QueryOptions): RunResult;
  /** @suspends */
  run(sql: SqlQuery, params?: Params, options?: QueryOptions): RunResult;
  *run(sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): any {
    return runResultOf(yield* this.#statement(sql, params, options));
  }

  /**
   * Runs `fn` in a transaction: COMMIT when it returns, ROLLBACK when it throws, is cancelled or
   * times out (then the error is rethrown). Inside `fn`, every query this green thread makes
   * through this pool uses the transaction's connection. Nested calls are savepoints.
   */
  /** @suspends */
  transaction<T>(/** @green */ fn: () => T): T;
  *transaction<T>(/** @green */ fn: () => T): any {
    const outer = this.#ambient.get();
    if (outer !== undefined) return yield* runNested(outer, fn);
    const slot = yield* acquire(this.#state, this.#config.acquireTimeout);
    const mark: TransactionMark = { abortedBy: undefined };
    const conn = new Connection(this.#state, slot, current(), mark);
    try {
      return yield* runOutermost(new Tx(this.#state, slot, conn, mark), fn, (tx) => this.#ambient.set(tx));
    } finally {
      conn.release();
      this.#state.release(slot);
    }
  }

  /**
   * Lends one connection to `fn` for the block (session state, temporary tables, locks).
   * Inside a transaction it is the transaction's connection.
   */
  /** @suspends */
  connection<T>(/** @green */ fn: (conn: Connection) => T): T;
  *connection<T>(/** @green */ fn: (conn: Connection) => T): any {
    const tx = this.#ambient.get();
    if (tx !== undefined) return yield dyn(fn, undefined, [tx.conn]);
    const slot = yield* acquire(this.#state, this.#config.acquireTimeout);
    const conn = new Connection(this.#state, slot, current());
    try {
      return yield dyn(fn, undefined, [conn]);
    } finally {
      conn.release();
      this.#state.release(slot);
    }
  }

  /** Connections open or opening, idle, lent out, and callers waiting for one. */
  stats(): PoolStats {
    return this.#state.stats();
  }

  /**
   * Stops accepting work and resolves once the work already running or waiting for a connection
   * has finished and every connection is closed. Not green-only: `await pool.close()` from plain
   * code, or `wait(pool.close())` in a green thread.
   */
  close(): Promise<void> {
    this.#closed ??= this.#state.close().then(() => this.#killer.close());
    return this.#closed;
  }

  /** One statement: on the ambient transaction's connection, or on a connection held just for it. */
  *#statement(sql: SqlQuery, params: Params | QueryOptions | undefined, options: QueryOptions | undefined): Generator<unknown, unknown, unknown> {
    const tx = this.#ambient.get();
    if (tx !== undefined) return yield* tx.conn[STATEMENT](sql, params, options);
    const state = this.#state;
    // The common case inline: a free connection, without even making acquire's generator.
    const slot = state.tryAcquire() ?? (yield* acquire(state, this.#config.acquireTimeout));
    try {
      return yield* execute(state, slot, sql, params, options);
    } finally {
      state.release(slot);
    }
  }
}
methods(Pool.prototype, ['query', 'one', 'run', 'transaction', 'connection'], []);

/** `createPool('mysql://user:pass@host:3306/db')` or `createPool({ uri, connectionLimit, ... })`. */
export function createPool(config: string | PoolOptions): Pool {
  return new Pool(config);
}
