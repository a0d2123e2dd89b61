// Synchronous stand-ins for the untransformed side of the differential fuzz run: plain tsc output
// whose `require("green-ts")` is pointed here. Everything is the transform tests' stand-ins
// (../transform/sync-runtime.ts), except `wait`: theirs can only unwrap promises of their own
// threads, while a fuzz program waits on already-resolved values it tagged itself with
// `__fuzzReady: { value } | { error }` (see the prelude in ./generator.ts: `ready`, `thenable`,
// `failed`). A tag is honoured first; anything else goes to their `wait`.
import * as base from '../transform/sync-runtime.js';

export * from '../transform/sync-runtime.js';

interface Tagged { __fuzzReady?: { value?: unknown; error?: unknown } }

export function wait<T>(value: PromiseLike<T> | T): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    const tag = (value as Tagged).__fuzzReady;
    if (tag) {
      if ('error' in tag) throw tag.error;
      return tag.value as T;
    }
  }
  try {
    return base.wait(value);
  } catch (e) {
    // the program may catch this: make sure the run is judged invalid, not compared
    console.log(`!! fuzz stand-in: ${(e as Error).message}`);
    throw e;
  }
}
