// Green equivalents of the array builtins that take callbacks (protocol.ts "Kinds of call":
// `xs.map(cb, t)` -> `__g.array.map(xs, cb, t)`), for callbacks that may suspend.
//
// Each is a body: it takes the receiver first and returns a frame. It follows the builtin's
// algorithm step by step (ECMA-262), so results, holes, the order and number of callback calls,
// and errors are the same; only each callback call goes through the `__g.dyn` rule (a green
// callback runs in the calling thread, a plain one is just called). A callback is called as emitted
// code calls (protocol.ts "How a body makes a green call"): inline, yielding only if it parks; with
// no site of its own, since the callback's call site is inside the builtin.

import type { Frame } from './protocol.js';
// `result` is read as `called()`: several bodies here have a local `result`.
import { PENDING, call, result as called } from './trampoline.js';
import { dyn } from './wrappers.js';

type Callback = (...args: unknown[]) => unknown;
type ArrayLikeObject = { readonly length?: unknown; readonly [index: number]: unknown };

function toObject(receiver: unknown, method: string): ArrayLikeObject {
  if (receiver === null || receiver === undefined) {
    throw new TypeError(`Array.prototype.${method} called on null or undefined`);
  }
  return Object(receiver) as ArrayLikeObject;
}

function lengthOf(o: ArrayLikeObject): number {
  const n = Math.trunc(Number(o.length));
  return Number.isNaN(n) || n <= 0 ? 0 : Math.min(n, Number.MAX_SAFE_INTEGER);
}

function requireCallback(cb: unknown): asserts cb is Callback {
  // The builtin's own TypeError, so the message is the engine's (it differs between Node versions).
  if (typeof cb !== 'function') Array.prototype.forEach.call([], cb as never);
}

function* map(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'map');
  const len = lengthOf(o);
  requireCallback(cb);
  const result = new Array<unknown>(len);
  for (let k = 0; k < len; k++) {
    if (k in o) result[k] = (call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called());
  }
  return result;
}

function* forEach(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'forEach');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = 0; k < len; k++) {
    if (k in o) (call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called());
  }
  return undefined;
}

function* filter(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'filter');
  const len = lengthOf(o);
  requireCallback(cb);
  const result: unknown[] = [];
  for (let k = 0; k < len; k++) {
    if (!(k in o)) continue;
    const value = o[k];
    if ((call(dyn(cb, thisArg, [value, k, o]), undefined) ? yield PENDING : called())) result.push(value);
  }
  return result;
}

function* some(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'some');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = 0; k < len; k++) {
    if (k in o && ((call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called()))) return true;
  }
  return false;
}

function* every(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'every');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = 0; k < len; k++) {
    if (k in o && !((call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called()))) return false;
  }
  return true;
}

// find* visit every index, holes included (as undefined), unlike the others.
function* find(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'find');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = 0; k < len; k++) {
    const value = o[k];
    if ((call(dyn(cb, thisArg, [value, k, o]), undefined) ? yield PENDING : called())) return value;
  }
  return undefined;
}

function* findIndex(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'findIndex');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = 0; k < len; k++) {
    if ((call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called())) return k;
  }
  return -1;
}

function* findLast(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'findLast');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = len - 1; k >= 0; k--) {
    const value = o[k];
    if ((call(dyn(cb, thisArg, [value, k, o]), undefined) ? yield PENDING : called())) return value;
  }
  return undefined;
}

function* findLastIndex(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'findLastIndex');
  const len = lengthOf(o);
  requireCallback(cb);
  for (let k = len - 1; k >= 0; k--) {
    if ((call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called())) return k;
  }
  return -1;
}

/** `reduce(xs, cb)` or `reduce(xs, cb, initial)`: the initial value's presence is the argument count. */
function* reduce(xs: unknown, cb: unknown, ...initial: unknown[]): Frame {
  const o = toObject(xs, 'reduce');
  const len = lengthOf(o);
  requireCallback(cb);
  let k = 0;
  let accumulator: unknown;
  if (initial.length > 0) {
    accumulator = initial[0];
  } else {
    while (k < len && !(k in o)) k++;
    if (k >= len) throw new TypeError('Reduce of empty array with no initial value');
    accumulator = o[k++];
  }
  for (; k < len; k++) {
    if (k in o) accumulator = (call(dyn(cb, undefined, [accumulator, o[k], k, o]), undefined) ? yield PENDING : called());
  }
  return accumulator;
}

function* reduceRight(xs: unknown, cb: unknown, ...initial: unknown[]): Frame {
  const o = toObject(xs, 'reduceRight');
  const len = lengthOf(o);
  requireCallback(cb);
  let k = len - 1;
  let accumulator: unknown;
  if (initial.length > 0) {
    accumulator = initial[0];
  } else {
    while (k >= 0 && !(k in o)) k--;
    if (k < 0) throw new TypeError('Reduce of empty array with no initial value');
    accumulator = o[k--];
  }
  for (; k >= 0; k--) {
    if (k in o) accumulator = (call(dyn(cb, undefined, [accumulator, o[k], k, o]), undefined) ? yield PENDING : called());
  }
  return accumulator;
}

function* flatMap(xs: unknown, cb: unknown, thisArg?: unknown): Frame {
  const o = toObject(xs, 'flatMap');
  const len = lengthOf(o);
  requireCallback(cb);
  const result: unknown[] = [];
  for (let k = 0; k < len; k++) {
    if (!(k in o)) continue;
    const mapped = (call(dyn(cb, thisArg, [o[k], k, o]), undefined) ? yield PENDING : called());
    if (Array.isArray(mapped)) {
      // Flatten one level, skipping holes of the inner array as the builtin does.
      const inner = mapped as unknown[];
      for (let j = 0; j < inner.length; j++) if (j in inner) result.push(inner[j]);
    } else {
      result.push(mapped);
    }
  }
  return result;
}

/**
 * `sort(xs, compare)`: in place, stable, returns `xs`. As the builtin: `undefined` values go last
 * (not passed to `compare`), holes after them; a NaN comparison counts as 0. Merge sort, so the
 * comparator may be called a different number of times than V8's TimSort, with the same result
 * for any consistent comparator.
 */
function* sort(xs: unknown, compare?: unknown): Frame {
  if (compare !== undefined) requireCallback(compare);
  const o = toObject(xs, 'sort') as Record<number, unknown> & ArrayLikeObject;
  const len = lengthOf(o);
  const values: unknown[] = [];
  let undefinedCount = 0;
  for (let k = 0; k < len; k++) {
    if (!(k in o)) continue;
    const value = o[k];
    if (value === undefined) undefinedCount++;
    else values.push(value);
  }
  let sorted: unknown[];
  if (compare === undefined) {
    sorted = values.sort();
  } else {
    sorted = (yield mergeSort(values, compare as Callback)) as unknown[];
  }
  let k = 0;
  for (const value of sorted) o[k++] = value;
  for (let i = 0; i < undefinedCount; i++) o[k++] = undefined;
  for (; k < len; k++) delete o[k];
  return o;
}

/** Bottom-up merge sort; a tie keeps the left (earlier) element first, which makes it stable. */
function* mergeSort(values: unknown[], compare: Callback): Frame {
  let source = values;
  let target = new Array<unknown>(values.length);
  for (let width = 1; width < source.length; width *= 2) {
    for (let lo = 0; lo < source.length; lo += 2 * width) {
      const mid = Math.min(lo + width, source.length);
      const hi = Math.min(lo + 2 * width, source.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const order = Number((call(dyn(compare, undefined, [source[j], source[i]]), undefined) ? yield PENDING : called()));
        // Take the right element only when it is strictly smaller: compare(right, left) < 0.
        if (order < 0) target[k++] = source[j++];
        else target[k++] = source[i++];
      }
      while (i < mid) target[k++] = source[i++];
      while (j < hi) target[k++] = source[j++];
    }
    [source, target] = [target, source];
  }
  return source;
}

/** `Array.from(items, cb, thisArg)`: iterables are mapped as they are iterated. */
function* from(items: unknown, cb?: unknown, thisArg?: unknown): Frame {
  if (cb === undefined) return Array.from(items as ArrayLike<unknown>);
  requireCallback(cb);
  if (items === null || items === undefined) throw new TypeError(`${String(items)} is not iterable`);
  const iteratorMethod = (items as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  const result: unknown[] = [];
  if (iteratorMethod !== undefined && iteratorMethod !== null) {
    const iterator = (iteratorMethod as () => Iterator<unknown>).call(items);
    let k = 0;
    for (;;) {
      const step = iterator.next();
      if (step.done) return result;
      try {
        result.push((call(dyn(cb, thisArg, [step.value, k++]), undefined) ? yield PENDING : called()));
      } catch (error) {
        // As the builtin: close the iterator, then rethrow.
        try {
          iterator.return?.();
        } catch {
          // the callback's error wins
        }
        throw error;
      }
    }
  }
  const o = Object(items) as ArrayLikeObject;
  const len = lengthOf(o);
  for (let k = 0; k < len; k++) result.push((call(dyn(cb, thisArg, [o[k], k]), undefined) ? yield PENDING : called()));
  return result;
}

/** `m.forEach(cb, thisArg)` on a Map (value, key, map) or Set (value, value, set), live like the builtin. */
function* collectionForEach(collection: unknown, cb: unknown, thisArg?: unknown): Frame {
  if (collection instanceof Map) {
    requireCallback(cb);
    for (const [key, value] of collection) (call(dyn(cb, thisArg, [value, key, collection]), undefined) ? yield PENDING : called());
    return undefined;
  }
  if (collection instanceof Set) {
    requireCallback(cb);
    for (const value of collection) (call(dyn(cb, thisArg, [value, value, collection]), undefined) ? yield PENDING : called());
    return undefined;
  }
  // Not a Map or Set (the types said it was): an array, or anything else with a forEach.
  if (Array.isArray(collection)) return yield forEach(collection, cb, thisArg);
  throw new TypeError('collectionForEach: expected a Map or a Set');
}

/** `__g.array`: the green array helpers. */
export const array = Object.freeze({
  map,
  forEach,
  filter,
  find,
  findIndex,
  findLast,
  findLastIndex,
  some,
  every,
  reduce,
  reduceRight,
  flatMap,
  sort,
  from,
  collectionForEach,
});
