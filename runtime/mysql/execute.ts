// Running one statement on a connection the caller holds, parking the green thread until mysql2's
// callback. Cancellation (thread.cancel, timeout()) reaches the cancel function below: the
// connection is abandoned (socket closed, server-side KILL), so the statement stops on the server
// and no late reply can ever be read by the connection's next user.
import type { QueryOptions as DriverQueryOptions } from 'mysql2';
import { callSiteError, isFatal } from './errors.js';
import { parkOn } from './green.js';
import type { PoolState } from './pool.js';
import type { Slot } from './slot.js';
import { statementOf, type SqlQuery } from './sql.js';

/** Per-statement options: mysql2's query options (`rowsAsArray`, `nestTables`, `typeCast`, ...) and `prepare`. */
export interface QueryOptions extends Omit<DriverQueryOptions, 'sql' | 'values'> {
  /** Use a server-side prepared statement (mysql2's `execute`; cached per connection). */
  prepare?: boolean;
}

/** `?` values (an array), or named values when the pool is created with `namedPlaceholders: true`. */
export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

/** A row as mysql2 returns it when no row type is given. */
export type RowData = Record<string, unknown>;

/** What a write reports. */
export interface RunResult {
  affectedRows: number;
  /** The AUTO_INCREMENT id of the (first) row inserted, 0 when none. */
  insertId: number;
  /** Rows an UPDATE actually changed (matched rows whose values were already equal are not counted). */
  changedRows: number;
}

type DriverCallback = (err: unknown, result?: unknown) => void;
interface DriverCalls {
  query(options: object, callback: DriverCallback): unknown;
  query(sql: string, values: unknown, callback: DriverCallback): unknown;
  execute(options: object, callback: DriverCallback): unknown;
  execute(sql: string, values: unknown, callback: DriverCallback): unknown;
}

/**
 * Runs `query` on `slot` and returns mysql2's result (rows, or a result header for writes).
 * Takes the public methods' arguments as given: `(sql, params?, options?)`, or `(sqlTemplate,
 * options?)` since a template carries its own values.
 */
export function* execute(state: PoolState, slot: Slot, query: SqlQuery, params?: Params | QueryOptions, options?: QueryOptions): Generator<unknown, unknown, unknown> {
  let text: string;
  let values: unknown;
  if (typeof query === 'string') {
    text = query;
    values = params;
  } else {
    if (options === undefined && params !== undefined && !Array.isArray(params)) {
      options = params as QueryOptions;
      params = undefined;
    }
    ({ text, values } = statementOf(query, params));
  }
  // mysql2's `query(sql, values, cb)` is its fast path; the options-object form copies options.
  let prepare = false;
  let driverOptions: Record<string, unknown> | undefined;
  if (options !== undefined) {
    const { prepare: p, ...rest } = options;
    prepare = p === true;
    if (Object.keys(rest).length > 0) driverOptions = { ...rest, sql: text, values };
  }
  const driver = slot.driver as unknown as DriverCalls;
  try {
    return yield parkOn<unknown>((resume) => {
      // mysql2 calls back (err) or (null, result, fields): exactly what `resume` takes.
      const done = resume as DriverCallback;
      try {
        if (driverOptions !== undefined) {
          if (prepare) driver.execute(driverOptions, done);
          else driver.query(driverOptions, done);
        } else if (prepare) {
          driver.execute(text, values, done);
        } else {
          driver.query(text, values, done);
        }
      } catch (err) {
        resume(err); // mysql2 validates some arguments synchronously (e.g. undefined bind values)
        return;
      }
      return () => state.abandon(slot);
    });
  } catch (err) {
    // A fatal error (lost connection, protocol error) leaves the connection unusable; anything
    // else (a SQL error) leaves it in a known state and it goes back to the pool.
    if (isFatal(err)) state.markBroken(slot);
    throw callSiteError(err, text);
  }
}

/** The rows of a result (a write's header is not rows: it gives an empty list). */
export function rowsOf<Row>(result: unknown): Row[] {
  return Array.isArray(result) ? (result as Row[]) : [];
}

interface ResultHeader {
  affectedRows?: number;
  insertId?: number;
  changedRows?: number;
}

export function runResultOf(result: unknown): RunResult {
  const header = (Array.isArray(result) ? {} : result ?? {}) as ResultHeader;
  return {
    affectedRows: header.affectedRows ?? 0,
    insertId: header.insertId ?? 0,
    changedRows: header.changedRows ?? 0,
  };
}
