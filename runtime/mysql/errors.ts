// Errors of green-ts/mysql. Every error the layer throws is a `MysqlError` with a string `code`:
// the server's or mysql2's code (`ER_DUP_ENTRY`, `PROTOCOL_CONNECTION_LOST`, ...) with `errno`,
// `sqlState` and `sqlMessage` as mysql2 gives them, or one of the pool's own `PoolErrorCode`s.
//
// mysql2 creates its errors inside its packet parser, so their stacks show the parser, not the
// caller. The layer makes a new error in the green frame that issued the statement, when that frame
// resumes, so the trampoline stitches the green call chain of the caller onto it; mysql2's original
// is kept as `cause`.

/** Fields mysql2 puts on its errors. */
interface DriverErrorFields {
  message?: string;
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  fatal?: boolean;
}

export class MysqlError extends Error {
  /** The server's or mysql2's error code, e.g. `ER_DUP_ENTRY`, or a `PoolErrorCode`. */
  readonly code: string;
  /** The server's error number (1062 for `ER_DUP_ENTRY`), when the server sent one. */
  readonly errno: number | undefined;
  readonly sqlState: string | undefined;
  /** The server's message, as mysql2 gives it. */
  readonly sqlMessage: string | undefined;
  /** The statement text with its `?` placeholders (never the bound values, which may be secrets). */
  readonly sql: string | undefined;
  /** True when the connection cannot be used any more (it was dropped from the pool). */
  readonly fatal: boolean;

  constructor(message: string, fields: { code: string; errno?: number; sqlState?: string; sqlMessage?: string; sql?: string; fatal?: boolean }, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MysqlError';
    this.code = fields.code;
    this.errno = fields.errno;
    this.sqlState = fields.sqlState;
    this.sqlMessage = fields.sqlMessage;
    this.sql = fields.sql;
    this.fatal = fields.fatal ?? false;
  }
}

export type PoolErrorCode =
  /** The pool is closing or closed; no new work is accepted. */
  | 'POOL_CLOSED'
  /** No connection became free within `acquireTimeout`. */
  | 'POOL_ACQUIRE_TIMEOUT'
  /** The pool is full and `queueLimit` callers are already waiting, or `waitForConnections` is false. */
  | 'POOL_QUEUE_FULL'
  /** A `Connection` was used after its `pool.connection(fn)` block ended. */
  | 'CONNECTION_RELEASED'
  /** A `Connection` was used from a green thread other than the one it was lent to. */
  | 'CONNECTION_WRONG_THREAD'
  /** The connection was lost (killed, reset, abandoned after a cancelled statement); its session and any transaction are over. */
  | 'CONNECTION_LOST'
  /** The server already rolled the transaction back (a deadlock); its later statements would run outside it. */
  | 'TRANSACTION_ABORTED';

/** An error of the pool itself rather than of the server. */
export class PoolError extends MysqlError {
  declare readonly code: PoolErrorCode;
  constructor(code: PoolErrorCode, message: string) {
    super(message, { code });
    this.name = 'PoolError';
  }
}

/** True for an error object made by mysql2 (it always carries a string `code`). */
function isDriverError(err: unknown): err is Error & DriverErrorFields {
  return err instanceof Error && typeof (err as DriverErrorFields).code === 'string' && !(err instanceof MysqlError);
}

/**
 * Server errors after which the server closes the connection. mysql2 reports them as ordinary
 * (non-fatal) errors and learns of the close only when the socket ends a moment later; the pool
 * must not lend the connection out in between.
 */
const CONNECTION_ENDING_ERRNOS = new Set([
  1053, // ER_SERVER_SHUTDOWN
  1152, // ER_ABORTING_CONNECTION
  1927, // ER_CONNECTION_KILLED (MariaDB: KILL CONNECTION of this connection)
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: wait_timeout)
]);

/** ER_LOCK_DEADLOCK: the server rolled back the whole transaction, not just the statement. */
export function abortsTransaction(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as DriverErrorFields).errno === 1213;
}

/** True when the connection is unusable after this error (it must be dropped, not reused). */
export function isFatal(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const fields = err as DriverErrorFields;
  return fields.fatal === true || (fields.errno !== undefined && CONNECTION_ENDING_ERRNOS.has(fields.errno));
}

/**
 * The error to throw at the call site for an error mysql2 reported for `sqlText`: a fresh
 * `MysqlError` (made here, in the caller's green frame) carrying mysql2's fields, with mysql2's
 * error as `cause`. Anything that is not a driver error is returned unchanged.
 */
export function callSiteError(err: unknown, sqlText?: string): unknown {
  if (!isDriverError(err)) return err;
  const message = err.sqlMessage ?? err.message ?? String(err);
  const error = new MysqlError(`${err.code}: ${message}`, {
    code: err.code!,
    errno: err.errno,
    sqlState: err.sqlState,
    sqlMessage: err.sqlMessage,
    sql: sqlText,
    fatal: isFatal(err),
  }, { cause: err });
  Error.captureStackTrace(error, callSiteError); // the stack starts at the statement's frame, not here
  return error;
}
