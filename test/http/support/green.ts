// Green functions written in the shape green-tsc emits (runtime/protocol.ts), so the handler's unit
// tests depend on the runtime contract only, not on the transformer.
import * as __g from 'green-ts/internal';

type Body = (...args: any[]) => Generator<unknown, unknown, unknown>;

/** `__g.fn(body, name)`: what green-tsc emits for a function passed to a green-taking parameter. */
export function green<F extends (...args: any[]) => any>(name: string, body: Body): F {
  return (__g as any).fn(body, name) as F;
}

/** `__g.fn(body, name, __g.ENTRY)`: the wrapper of an `@green` root (calling it starts a thread). */
export function greenEntry<F extends (...args: any[]) => any>(name: string, body: Body): F {
  return (__g as any).fn(body, name, __g.ENTRY) as F;
}

/** Inside a body: `yield* wait(p)` is what `wait(p)` / `await p` become (a green call to wait's body). */
export function* wait<T>(p: PromiseLike<T> | T): Generator<unknown, T, unknown> {
  return (yield (__g as any).wait[__g.BODY](p)) as T;
}
