// green-ts/internal: the entry points emitted code calls. The shapes are defined in ./protocol.ts,
// and driven by ./trampoline.ts.
//
// Plain `export const` copies rather than re-exports: emitted code reads `__g.BODY` on every green
// call (and `__g.call`, `__g.PENDING`, `__g.result`, `__g.at` once per file, protocol.ts), and
// CommonJS re-exports compile to getters, which cost a call each time.
import * as protocol from './protocol.js';
import * as wrappers from './wrappers.js';
import * as stack from './stack.js';
import * as primitives from './primitives.js';
import * as arrays from './array.js';
import * as trampoline from './trampoline.js';
import * as plain from './plain.js';

export const BODY: typeof protocol.BODY = protocol.BODY;
export const SYNC: typeof protocol.SYNC = protocol.SYNC;
export const ENTRY: typeof protocol.ENTRY = protocol.ENTRY;
export const link = wrappers.link;
export const fn = wrappers.fn;
export const methods = wrappers.methods;
export const sync = wrappers.sync;
export const start = wrappers.start;
export const dyn = wrappers.dyn;
export const bind = wrappers.bind;
export const at = stack.at;
export const call = trampoline.call;
export const PENDING = trampoline.PENDING;
export const result = trampoline.result;
export const sites = stack.sites;
export const wait = primitives.wait;
export const array = arrays.array;
export const pause = primitives.pause;
export const PLAIN: typeof protocol.PLAIN = protocol.PLAIN;
export const linkp = plain.linkp;
export const fnp = plain.fnp;
export const park = trampoline.park;
export const defer = trampoline.defer;
export const resumed = trampoline.resumed;
export const callp = trampoline.callp;
export const depth = trampoline.depth;
