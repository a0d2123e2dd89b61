// Plain-first functions: suspending functions lowered to plain functions instead of generators
// (protocol.ts "Plain-first functions" has the emitted shape). A call costs what a JS call costs;
// only a function whose callee stops pays, once, for a Continuation holding its state and live
// locals (trampoline.ts `park`). Here: what makes such a function usable everywhere a body is.

import { PLAIN, type Body, type Frame, type GreenFunction, type PlainEntry, type WrapperKind, SYNC } from './protocol.js';
import { PENDING, callp, depth, result } from './trampoline.js';
import { link, makeWrapper } from './wrappers.js';

/**
 * The body of a plain-first function, for the callers that need a frame (threads, the run-time
 * guard, `dyn`, array callbacks, `bind`): a generator that makes the plain call and, if it stops,
 * waits for it like any inline call.
 */
function bodyOf(entry: PlainEntry): Body {
  const body = function* (this: unknown, ...args: unknown[]): Frame {
    return callp(entry.call(this, depth(), ...args), undefined) ? yield PENDING : result();
  };
  Object.defineProperty(body, 'name', { value: entry.name, configurable: true });
  return body;
}

/** `__g.linkp(wrapper, entry, kind)`: `__g.link` for a plain-first function declaration. */
export function linkp<W extends Function>(wrapper: W, entry: PlainEntry, kind: WrapperKind = SYNC): W & GreenFunction {
  Object.defineProperty(wrapper, PLAIN, { value: entry, configurable: true, writable: true, enumerable: false });
  return link(wrapper, bodyOf(entry), kind);
}

/** `__g.fnp(entry, name, kind)`: `__g.fn` for a plain-first function expression or arrow (the emitter always names the entry). */
export function fnp(entry: PlainEntry, name: string, kind: WrapperKind = SYNC): GreenFunction {
  const body = bodyOf(entry);
  const wrapper = makeWrapper(body, name, name, kind, entry.length - 1);
  Object.defineProperty(wrapper, PLAIN, { value: entry, configurable: true, writable: true, enumerable: false });
  return link(wrapper, body, kind);
}

