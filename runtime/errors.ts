// The runtime's error classes (DESIGN.md "Runtime API — green-ts", "Runtime guard").

/**
 * Thrown when suspending code runs where no green thread can park: a suspending function called
 * from code the transformer did not rewrite, or a green-only primitive called with the transformer
 * not applied at all. The message names the function and the fix.
 */
export class GreenContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GreenContextError';
  }
}

/**
 * Thrown into a green thread at its suspension point when the thread is cancelled
 * (`thread.cancel(reason)`, a sibling failing in `all`, losing a `race`, a `timeout`).
 */
export class CancelledError extends Error {
  /** The reason given to `cancel(reason)`, if any. */
  readonly reason: unknown;
  constructor(reason?: unknown) {
    super(reason === undefined ? 'green thread cancelled' : `green thread cancelled: ${describe(reason)}`);
    this.name = 'CancelledError';
    this.reason = reason;
  }
}

/** Thrown by `timeout(ms, fn)` when `fn` did not finish in time (after its `finally` blocks ran). */
export class TimeoutError extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
    this.ms = ms;
  }
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * The run-time guard's error: `name` reached a real suspension point (`what`) in code that green-ts
 * did not rewrite. `primitive`: `name` is itself a green-only primitive called directly from plain
 * code; with no green thread at all that means the transformer was not applied.
 */
export function guardError(name: string, what: string, primitive: boolean, inThread: boolean): GreenContextError {
  if (primitive && !inThread) {
    return new GreenContextError(
      `${name}() was called outside any green thread. It only works in code compiled by green-ts: ` +
        `the transformer may not be applied to this file. See README "Setup": add ` +
        `{ "transform": "green-ts/transformer" } to "plugins" in tsconfig.json and build with ts-patch, ` +
        `or build with green-tsc.`,
    );
  }
  const where = name === what ? '' : ` (at ${what}())`;
  return new GreenContextError(
    `${name}() cannot suspend here${where}: it was called from code that green-ts did not rewrite ` +
      `(a library callback, a builtin, a value typed any, or an unmarked caller)` +
      (inThread ? '' : ' outside any green thread') +
      `. Call it from green code, start a thread with run(() => ${name}(...)), or mark the calling function @green.` +
      (inThread ? '' : ' If the calling code is meant to be green, the green-ts transformer may not be applied to it (see README "Setup").'),
  );
}
