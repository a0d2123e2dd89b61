// Stops server-side work the pool gave up on. Closing a socket does not stop a running statement
// (the server notices a gone client only when it next writes), so a cancelled `SELECT SLEEP(3)`
// would hold a server thread, and its locks, for 3 s. `KILL CONNECTION id` from a separate
// connection ends it at once and rolls back its transaction.
//
// One side connection per pool, opened on the first kill and kept (cancellations come in bursts
// when a timeout() covers many threads); it is not counted in the pool's stats or limit. Failures
// are ignored: the socket is already closed, so the server cleans up eventually anyway.
import { createConnection, type Connection as DriverConnection, type ConnectionOptions } from 'mysql2';

export class Killer {
  readonly #options: ConnectionOptions;
  #conn: DriverConnection | undefined;
  #pending = 0;
  #idle: (() => void)[] = [];

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  kill(threadId: number): void {
    const conn = this.#connection();
    this.#pending++;
    conn.query({ sql: 'KILL CONNECTION ?', values: [threadId] }, () => {
      // ER_NO_SUCH_THREAD when it already ended: fine.
      this.#pending--;
      if (this.#pending === 0) for (const wake of this.#idle.splice(0)) wake();
    });
  }

  /** Resolves when the kills sent so far are done and the side connection is closed. */
  async close(): Promise<void> {
    if (this.#pending > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn !== undefined) await new Promise<void>((resolve) => conn.end(() => resolve()));
  }

  #connection(): DriverConnection {
    if (this.#conn !== undefined) return this.#conn;
    const conn = createConnection(this.#options);
    conn.on('error', () => {
      // Lost: the next kill opens a new one. (Queued kills got their callbacks with the error.)
      if (this.#conn === conn) this.#conn = undefined;
    });
    this.#conn = conn;
    return conn;
  }
}
