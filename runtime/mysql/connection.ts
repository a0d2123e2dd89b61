// `Connection`: one pooled connection lent to one green thread, from `pool.connection(fn)` (or the
// ambient transaction's). It belongs to the thread it was lent to and only for the block: a use
// from another thread, or after the block, throws instead of interleaving with its next user.
//
// How the methods are typed: each public suspending method is declared as an overload signature
// with the synchronous type DESIGN.md gives (`query<Row>(...): Row[]`), tagged `/** @suspends */`,
// and implemented by a generator method of the same name: the body the transformer would have
// emitted. `methods(Connection.prototype, [...], [])` then replaces each by a wrapper whose
// `[BODY]` is that generator (../protocol.ts "A suspending method"). TypeScript requires an
// implementation's return type to be compatible with its overloads, so the generators are
// declared `: any`; only the overload signatures reach the .d.ts.
import { abortsTransaction, PoolError } from './errors.js';
import { current, methods } from './green.js';
import { execute, rowsOf, runResultOf, type Params, type QueryOptions, type RowData, type RunResult } from './execute.js';
import type { PoolState } from './pool.js';
import type { Slot } from './slot.js';
import type { Sql, SqlQuery } from './sql.js';

/**
 * What a transaction's Connection knows of its transaction: whether the server already rolled it
 * back. After a deadlock MySQL ends the whole transaction; a statement sent after that would run
 * in autocommit mode, outside the transaction its code is written in, so it is refused instead.
 */
export interface TransactionMark {
  abortedBy: unknown;
}

/**
 * The key of Connection's internal statement body. A symbol, not a name: it is a generator, and
 * plain code that found it by name would get a generator object back instead of rows.
 */
export const STATEMENT: unique symbol = Symbol('green-ts/mysql statement');

export class Connection {
  readonly #state: PoolState;
  readonly #slot: Slot;
  readonly #owner: unknown;
  readonly #tx: TransactionMark | undefined;
  #released = false;

  /** @internal Made by the pool; use `pool.connection(fn)`. */
  constructor(state: PoolState, slot: Slot, owner: unknown, tx?: TransactionMark) {
    this.#state = state;
    this.#slot = slot;
    this.#owner = owner;
    this.#tx = tx;
  }

  /** The server's id for this connection (`CONNECTION_ID()`). */
  get threadId(): number {
    return this.#slot.threadId ?? 0;
  }

  /** @internal Ends the loan: later calls throw CONNECTION_RELEASED. */
  release(): void {
    this.#released = true;
  }

  /** @internal The slot, after checking this thread may use it now. */
  usableSlot(): Slot {
    if (this.#released) {
      throw new PoolError('CONNECTION_RELEASED', 'This Connection was used after its pool.connection() block ended; it may already serve another green thread.');
    }
    if (current() !== this.#owner) {
      throw new PoolError('CONNECTION_WRONG_THREAD', 'A Connection serves only the green thread it was lent to; give other threads their own (pool.connection or pool.query).');
    }
    const slot = this.#slot;
    if (slot.broken || slot.state === 'gone') {
      throw new PoolError('CONNECTION_LOST', 'This connection was lost (killed, reset, or abandoned after a cancelled or timed-out statement); its session state and any open transaction are gone.');
    }
    if (this.#tx?.abortedBy !== undefined) {
      throw new PoolError('TRANSACTION_ABORTED', 'The server already rolled back this transaction (deadlock); no further statement runs in it. Retry the whole transaction.');
    }
    return slot;
  }

  /** @internal One statement on this connection (its three methods, and the pool's ambient path). */
  *[STATEMENT](sql: SqlQuery, params: Params | QueryOptions | undefined, options: QueryOptions | undefined): Generator<unknown, unknown, unknown> {
    const slot = this.usableSlot();
    try {
      return yield* execute(this.#state, slot, sql, params, options);
    } catch (err) {
      const tx = this.#tx;
      if (tx !== undefined && tx.abortedBy === undefined && abortsTransaction(err)) tx.abortedBy = err;
      throw err;
    }
  }

  /** @suspends */
  query<Row = RowData>(sql: Sql, options?: QueryOptions): Row[];
  /** @suspends */
  query<Row = RowData>(sql: SqlQuery, params?: Params, options?: QueryOptions): Row[];
  *query(sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): any {
    return rowsOf(yield* this[STATEMENT](sql, params, options));
  }

  /** @suspends */
  one<Row = RowData>(sql: Sql, options?: QueryOptions): Row | undefined;
  /** @suspends */
  one<Row = RowData>(sql: SqlQuery, params?: Params, options?: QueryOptions): Row | undefined;
  *one(sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): any {
    return rowsOf(yield* this[STATEMENT](sql, params, options))[0];
  }

  /** @suspends */
  run(sql: Sql, options?: QueryOptions): RunResult;
  /** @suspends */
  run(sql: SqlQuery, params?: Params, options?: QueryOptions): RunResult;
  *run(sql: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): any {
    return runResultOf(yield* this[STATEMENT](sql, params, options));
  }
}
methods(Connection.prototype, ['query', 'one', 'run'], []);

