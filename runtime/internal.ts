// green-ts/internal: the entry points emitted code calls. The shapes are defined in ./protocol.ts,
// and driven by ./trampoline.ts.
export { BODY, SYNC, ENTRY } from './protocol.js';
export { link, fn, methods, sync, start, dyn, bind } from './wrappers.js';
export { at, sites } from './stack.js';
export { wait } from './primitives.js';
export { array } from './array.js';
