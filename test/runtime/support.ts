// Hand-written green functions in the emitted shape of runtime/protocol.ts, for the runtime tests
// (the transformer is tested on its own; here bodies are written the way it emits them).

import { BODY, type Frame } from '../../runtime/protocol.js';
import * as internal from '../../runtime/internal.js';

export { internal as g };
export type Body<A extends unknown[], R> = (this: any, ...args: A) => Generator<unknown, R, unknown>;
export type Green<A extends unknown[], R> = ((...args: A) => R) & { [BODY]: (...args: A) => Frame };

/** `const name = __g.fn(function* (...) {...}, "name")`: a suspending function expression. */
export function gfn<A extends unknown[], R>(name: string, body: Body<A, R>): Green<A, R> {
  return internal.fn(body as never, name) as never;
}

/** `__g.fn(body, name, __g.ENTRY)`: a `@green` root; calling it starts a thread. */
export function entry<A extends unknown[], R>(name: string, body: Body<A, R>): ((...args: A) => Promise<R>) & { [BODY]: (...args: A) => Frame } {
  return internal.fn(body as never, name, internal.ENTRY) as never;
}

/** The frame of a green call `f(...args)` inside a body: `f[__g.BODY](...args)`. */
export function call<A extends unknown[]>(f: (...args: A) => unknown, ...args: A): Frame {
  const body = (f as unknown as { [BODY]?: (...a: A) => Frame })[BODY];
  if (typeof body !== 'function') throw new TypeError(`${f.name} is not green`);
  return body(...args);
}

/** The frame of a green method call `o.m(...args)`: `(_a = o).m[__g.BODY].call(_a, ...args)`. */
export function callMethod<O extends object, K extends keyof O>(o: O, name: K, ...args: unknown[]): Frame {
  const method = o[name] as unknown as { [BODY]?: (...a: unknown[]) => Frame };
  if (typeof method?.[BODY] !== 'function') throw new TypeError(`${String(name)} is not green`);
  return method[BODY]!.apply(o, args);
}

/** A deferred promise, settled by the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Let every pending callback, timer and I/O run (no timing assertion: just a few loop turns). */
export async function settleLoop(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
