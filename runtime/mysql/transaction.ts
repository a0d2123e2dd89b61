// `pool.transaction(fn)`: BEGIN, run fn, COMMIT; on any throw (including CancelledError and
// TimeoutError thrown into fn at a suspension point) ROLLBACK, then rethrow. A transaction inside
// a transaction (same green thread, same pool) is a SAVEPOINT.
//
// Rolling back must not be able to fail silently. If the ROLLBACK cannot be sent or fails (the
// connection died, the statement in flight was abandoned, the thread is cancelled again while it
// waits), the connection is marked broken: nothing more is sent on it and the pool closes it, and
// the server rolls back a transaction whose connection closes. Either way the work is undone.
//
// One case no client can decide: cancellation or a timeout that lands while COMMIT itself is in
// flight. The connection is killed as for any abandoned statement; the server may have committed
// just before. The caller gets the CancelledError / TimeoutError; the outcome is unknown, as with
// a network failure during COMMIT in any driver.
import { PoolError } from './errors.js';
import type { Connection, TransactionMark } from './connection.js';
import { execute } from './execute.js';
import { dyn } from './green.js';
import type { PoolState } from './pool.js';
import type { Slot } from './slot.js';

/** The ambient transaction of one green thread on one pool. */
export class Tx {
  #nextSavepoint = 0;
  constructor(readonly state: PoolState, readonly slot: Slot, readonly conn: Connection, readonly mark: TransactionMark) {}

  /** Unique within the transaction, so a nested level can never release or roll back another's. */
  newSavepointName(): string {
    return `green_sp_${++this.#nextSavepoint}`;
  }
}

/** Runs `sqlText` for its side effect; on any failure marks the connection broken instead of throwing. */
function* bestEffort(state: PoolState, slot: Slot, sqlText: string): Generator<unknown, void, unknown> {
  if (slot.broken || slot.state === 'gone') return; // the server undoes it when the socket closes
  try {
    yield* execute(state, slot, sqlText);
  } catch {
    state.markBroken(slot);
  }
}

/** Runs `fn` (green or plain) in the calling thread and returns its result. */
function* callUserFunction<T>(fn: (...args: any[]) => T, args: unknown[]): Generator<unknown, T, unknown> {
  return (yield dyn(fn, undefined, args)) as T;
}

/**
 * The outermost transaction on `tx.slot` (already acquired, BEGIN not yet sent). The caller makes
 * `tx` ambient only while `fn` runs and releases the slot afterwards.
 */
export function* runOutermost<T>(tx: Tx, fn: () => T, setAmbient: (tx: Tx | undefined) => void): Generator<unknown, T, unknown> {
  const { state, slot } = tx;
  yield* execute(state, slot, 'START TRANSACTION');
  let result: T;
  setAmbient(tx);
  try {
    result = yield* callUserFunction(fn, []);
  } catch (err) {
    setAmbient(undefined);
    yield* bestEffort(state, slot, 'ROLLBACK');
    throw err;
  }
  setAmbient(undefined);
  if (tx.mark.abortedBy !== undefined) {
    // fn caught the deadlock and returned: the server has already undone everything.
    throw new PoolError('TRANSACTION_ABORTED', 'The server rolled back this transaction (deadlock) and fn returned anyway; nothing was committed. Retry the whole transaction.');
  }
  if (slot.broken || slot.state === 'gone') {
    // fn swallowed the failure of a statement that lost the connection: nothing can be committed.
    throw new PoolError('CONNECTION_LOST', 'The transaction\'s connection was lost before COMMIT; the transaction was rolled back by the server.');
  }
  try {
    yield* execute(state, slot, 'COMMIT');
  } catch (err) {
    yield* bestEffort(state, slot, 'ROLLBACK');
    throw err;
  }
  return result;
}

/** A nested transaction: SAVEPOINT, run fn, RELEASE; on a throw ROLLBACK TO the savepoint and rethrow. */
export function* runNested<T>(tx: Tx, fn: () => T): Generator<unknown, T, unknown> {
  const { state, slot } = tx;
  const name = tx.newSavepointName();
  yield* execute(state, tx.conn.usableSlot(), `SAVEPOINT ${name}`);
  let result: T;
  try {
    result = yield* callUserFunction(fn, []);
  } catch (err) {
    // A deadlock already ended the whole transaction, savepoints included: nothing to roll back to.
    if (tx.mark.abortedBy !== undefined) throw err;
    // After a failed ROLLBACK TO the outer transaction cannot be trusted: the connection is
    // marked broken, so the outer transaction fails too instead of committing half of the work.
    yield* bestEffort(state, slot, `ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
  yield* execute(state, tx.conn.usableSlot(), `RELEASE SAVEPOINT ${name}`);
  return result;
}
