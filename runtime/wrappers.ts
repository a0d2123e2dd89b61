// What emitted code calls to make and call green functions (protocol.ts "Kinds of function",
// "Kinds of call"): link, fn, methods, sync, start, dyn, bind; and the `green` marker/decorator.

import { BODY, ENTRY, SYNC, type Body, type Frame, type GreenFunction, type WrapperKind, isGreen } from './protocol.js';
import { Ready, type Suspension } from './suspension.js';
import { runSync } from './trampoline.js';
import { current, startFrame } from './thread.js';
import { guardError } from './errors.js';

/** Marks wrappers of `@green` roots: a dynamic call starts a thread instead of running the body inline. */
const KIND = Symbol.for('green-ts.kind');
interface Marked { [BODY]?: Body; [KIND]?: WrapperKind }

/** `__g.link(wrapper, body, kind)`: attach `body` to `wrapper` (a function declaration's pair). */
export function link<W extends Function>(wrapper: W, body: Body, kind: WrapperKind = SYNC): W & GreenFunction {
  Object.defineProperty(wrapper, BODY, { value: body, configurable: true, writable: true, enumerable: false });
  if (kind === ENTRY) Object.defineProperty(wrapper, KIND, { value: ENTRY, configurable: true, writable: true, enumerable: false });
  return wrapper as W & GreenFunction;
}

/**
 * `__g.sync(frame, name)`: the run-time guard, for a suspending function called from plain code.
 * Runs the body synchronously: returns its value when nothing on the path suspends; at the first
 * real suspension throws GreenContextError (into the frames first, so `finally` blocks run).
 */
export function sync(frame: Frame | Suspension | Ready, name: string): unknown {
  return runSync(frame, refuseUser, name);
}

/** The guard for the runtime's own green-only primitives (a distinct message without a thread). */
export function guardPrimitive(frame: Frame | Suspension | Ready, name: string): unknown {
  return runSync(frame, refusePrimitive, name);
}

function refuseUser(suspension: Suspension, name: string): Error {
  return guardError(name, suspension.what, false, current() !== undefined);
}
function refusePrimitive(suspension: Suspension, name: string): Error {
  return guardError(name, suspension.what, true, current() !== undefined);
}

/** `__g.start(frame, name)`: a `@green` root called as a function: start a thread, return its promise. */
export function start(frame: Frame, name: string): Promise<unknown> {
  return startFrame(frame, name).promise;
}

/** `__g.fn(body, name, kind)`: the wrapper of a suspending function expression or arrow. */
export function fn(body: Body, name: string, kind: WrapperKind = SYNC): GreenFunction {
  // An anonymous generator would show as <anonymous> in V8's lines of a stack trace.
  if (body.name === '' && name) Object.defineProperty(body, 'name', { value: name, configurable: true });
  return link(makeWrapper(body, name, name, kind), body, kind);
}

/**
 * Make the plain wrapper of `body`: named `key`, with `body`'s `length`, running the body through
 * the guard (`sync`) or as a new thread (`start`, for `@green` roots).
 *
 * Name and length come from the syntax (a computed-key method with that many parameters) rather
 * than from `Object.defineProperty`: redefining `length` turns a function's properties into a
 * dictionary, which makes every `f[__g.BODY]` lookup at green call sites slow.
 */
export function makeWrapper(body: Body, key: string | symbol, label: string, kind: WrapperKind, length = body.length): Function {
  const run = kind === ENTRY ? start : sync;
  const k = key as string;
  /* eslint-disable prefer-rest-params */
  switch (length) {
    case 0:
      return { [k](this: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
    case 1:
      return { [k](this: unknown, _1: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
    case 2:
      return { [k](this: unknown, _1: unknown, _2: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
    case 3:
      return { [k](this: unknown, _1: unknown, _2: unknown, _3: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
    case 4:
      return { [k](this: unknown, _1: unknown, _2: unknown, _3: unknown, _4: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
    case 5:
      return { [k](this: unknown, _1: unknown, _2: unknown, _3: unknown, _4: unknown, _5: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
    default: {
      // Rare: more parameters than the cases above. Correct, with slower `[BODY]` lookups.
      const wrapper = { [k](this: unknown) { return run(body.apply(this, arguments as never), label); } }[k];
      Object.defineProperty(wrapper, 'length', { value: length, configurable: true });
      return wrapper;
    }
  }
}

/**
 * `__g.methods(target, names, entryNames)`: replace each generator method `target[name]` by a
 * wrapper carrying it as `[BODY]`, keeping the property's attributes. `entryNames` are `@green`
 * roots. Returns `target` (so class expressions and object literals can be wrapped in place).
 */
export function methods<T extends object>(target: T, names: readonly PropertyKey[], entryNames: readonly PropertyKey[] = []): T {
  const owner = typeof target === 'function' ? (target as Function).name : (target as { constructor?: Function }).constructor?.name;
  const prefix = owner && owner !== 'Object' ? `${owner}.` : '';
  for (const name of new Set([...names, ...entryNames])) {
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (descriptor === undefined || typeof descriptor.value !== 'function') {
      throw new TypeError(`green-ts: ${String(name)} is not a method of ${prefix || 'the object'}`);
    }
    const body = descriptor.value as Body;
    const kind = entryNames.includes(name) ? ENTRY : SYNC;
    const key = typeof name === 'number' ? String(name) : name;
    const label = prefix + (typeof key === 'symbol' ? `[${key.description ?? ''}]` : key);
    const wrapper = link(makeWrapper(body, key, label, kind), body, kind);
    Object.defineProperty(target, name, { ...descriptor, value: wrapper });
  }
  return target;
}

/**
 * `__g.dyn(fn, thisArg, args)`: a call whose callee may or may not be green. A green callee's body
 * becomes a frame (run in the caller's thread); a plain callee, or a `@green` root (which must
 * return a promise and run concurrently), is called now and its result handed back as a Ready.
 */
export function dyn(f: unknown, thisArg: unknown, args: readonly unknown[]): Frame | Suspension | Ready {
  if (typeof f !== 'function') throw new TypeError(`${typeof f === 'object' ? String(f) : typeof f} is not a function`);
  const body = (f as Marked)[BODY];
  if (typeof body === 'function' && (f as Marked)[KIND] !== ENTRY) return body.apply(thisArg, args as unknown[]);
  return new Ready(f.apply(thisArg, args));
}

/** `__g.bind(f, thisArg, ...args)`: `f.bind(...)` that stays green. */
export function bind(f: Function, thisArg: unknown, ...args: unknown[]): Function {
  const bound = Function.prototype.bind.call(f, thisArg, ...args) as Function;
  if (!isGreen(f)) return bound;
  return link(bound, f[BODY].bind(thisArg, ...args) as Body, (f as Marked)[KIND] ?? SYNC);
}

/** Is `f` the wrapper of a `@green` root (starts a thread when called)? */
export function isEntry(f: unknown): boolean {
  return typeof f === 'function' && (f as Marked)[KIND] === ENTRY;
}

/**
 * `green`: marks a green entry point for the transformer, which rewrites the function and removes
 * the mark. At run time it does nothing: `green(fn)` returns `fn`; as a method decorator
 * (standard TS 5 decorators or legacy `experimentalDecorators`) it leaves the method as it is.
 */
export function green<F extends Function>(fn: F): F;
export function green<This, Args extends unknown[], Return>(
  value: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
): void;
export function green(target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor): void;
export function green(...args: unknown[]): unknown {
  if (args.length === 1) return args[0];
  if (args.length === 3) return args[2];
  return undefined;
}
