/**
 * The trampoline: drives green functions' generator frames on an explicit stack.
 *
 * The shape it drives is defined once, in ./protocol.ts (the transformer <-> runtime contract);
 * the transformer emits exactly that. In short, per kind of call inside a body (a generator):
 *
 *     // source                          // emitted
 *     find(id)                           (yield __g.at(__s[0], find[__g.BODY](id)))
 *     repo.find(id)                      (yield __g.at(__s[1], (_a = repo).find[__g.BODY].call(_a, id)))
 *     repo[k](id)                        (yield __g.at(__s[1], (_a = repo)[_b = k][__g.BODY].call(_a, id)))
 *     repo?.find(id)                     (_a = repo) == null ? void 0 : (yield __g.at(__s[1], _a.find[__g.BODY].call(_a, id)))
 *     super.find(id)                     (yield __g.at(__s[2], super.find[__g.BODY].call(this, id)))
 *     f.call(t, a) / f.apply(t, xs)      (yield __g.at(__s[3], f[__g.BODY].call(t, a)))  / .apply(t, xs)
 *     f.bind(t, a)                       __g.bind(f, t, a)                     (no yield: makes a function)
 *     cb(x)      (green-ness unknown)    (yield __g.at(__s[4], __g.dyn(cb, void 0, [x])))
 *     xs.map(cb)                         (yield __g.at(__s[5], __g.array.map(xs, cb, void 0)))
 *     await p / wait(p)                  (yield __g.at(__s[6], __g.wait[__g.BODY](p)))
 *     sleep(5) (any primitive)           (yield __g.at(__s[7], sleep[__g.BODY](5)))       a Suspension, not a frame
 *     await h() / wait(h())  (h @green)  (yield __g.at(__s[8], h[__g.BODY]()))            inline, in this thread
 *
 * and per kind of function (the wrapper is what ordinary code calls):
 *
 *     function find(id) {...}            __g.link(find, function* find(id) {...});
 *                                        function find(id) { return __g.sync(find[__g.BODY].apply(this, arguments), "find"); }
 *     const load = (id) => ...           const load = __g.fn(function* (id) {...}, "load");
 *     class R { find(id) {...} }         class R { *find(id) {...} }  __g.methods(R.prototype, ["find"], []);
 *     /** @green *\/ async function h()  __g.link(h, function* h() {...}, __g.ENTRY);
 *                                        function h() { return __g.start(h[__g.BODY].apply(this, arguments), "h"); }
 *     run(() => find(1))                 run(__g.fn(function* () { return (yield __g.at(__s[9], find[__g.BODY](1))); }, ""))
 *                                        (a green-taking parameter: the runtime runs the body in its thread)
 *
 * A frame yields exactly one of: a frame (a green call: push it and run it now), a `Suspension`
 * (park the thread; only primitives make these), or a `Ready` (a `dyn` callee was plain, or a
 * primitive need not park: resume at once with its value). A primitive's body may return the
 * Suspension or Ready itself instead of a frame (`wait[BODY](p)` is a Suspension): no generator is
 * made for the primitive, and `yield` hands it over just the same (never `yield*` a body).
 *
 * Why an explicit stack: a resume feeds the value to the top frame only, so it costs the same at
 * depth 1 and depth 200,000, and recursion depth is bounded by the heap, not by the JS stack. A
 * frame that returns or throws without suspending hands its result to its caller in the same loop
 * iteration: no microtask, no macrotask.
 *
 * Why non-reentrant: `advance` runs one stack at a time and never calls itself for the same stack.
 * Resumes that happen while a thread is being driven (an `Event.set` waking others, a `resume`
 * called synchronously from `suspend`'s start) are queued or looped, never nested (./thread.ts).
 *
 * Two drivers use `advance`: the scheduler (./thread.ts), which parks a thread at a Suspension,
 * and the run-time guard (`runSync` below), for suspending functions called from plain code.
 */

import type { Frame, Site } from './protocol.js';
import { type Mode, Ready, Suspension, isSignal } from './suspension.js';
import type { NEXT as NextMode, THROW as ThrowMode } from './suspension.js';
import { noteHop, takeSite } from './stack.js';

// Local copies of suspension.ts's NEXT and THROW (their types keep the values equal). The CommonJS
// output reads an imported constant as a property of the other module's exports at every use, and
// `advance` compares modes on every step of every green call (measured: 0-6% of a depth-10 call,
// mostly within the host's noise; bench/results/runtime.md, "Session 3").
const NEXT: typeof NextMode = 0;
const THROW: typeof ThrowMode = 1;

/**
 * A stack of frames, each followed by the site it was called from (undefined: not recorded):
 * `[frame0, site0, frame1, site1, ...]`, innermost last. One array, so a parked thread holds one.
 * A parked stack (after `advance` returned a Suspension) has one more element, the call site of
 * the primitive it parked in: an error that primitive throws starts its chain there. Kept in the
 * array rather than in a field of its own since the array has room to spare anyway.
 */
export interface FrameStack {
  stack: unknown[];
  /** After `advance` returns COMPLETED or FAILED: the return value or the thrown error. */
  outcome: unknown;
}

/**
 * Every frame is a generator object, and they all share %GeneratorPrototype%'s `next` and
 * `throw`. Calling those directly avoids looking `frame.next` up on objects of many different
 * shapes (each generator function has its own prototype), a megamorphic lookup per step.
 */
const generatorPrototype = Object.getPrototypeOf(function* () {}).prototype as Frame;
const generatorNext = generatorPrototype.next;
const generatorThrow = generatorPrototype.throw;

// Declared, then exported: references in this file stay plain constants (see NEXT above).
const COMPLETED = 0;
const FAILED = 1;
export { COMPLETED, FAILED };
export type Outcome = typeof COMPLETED | typeof FAILED;

/**
 * Resume the top frame with `mode`/`input` and run until the stack empties (COMPLETED or FAILED,
 * result in `owner.outcome`) or the top frame yields a Suspension (returned; the top frame is the
 * one that yielded it, and the next `advance` resumes it).
 */
export function advance(owner: FrameStack, mode: Mode, input: unknown): Suspension | Outcome {
  const stack = owner.stack;
  if ((stack.length & 1) === 1) {
    // Resuming from a suspension: an error thrown there (a rejection, a cancel) crossed that call.
    const site = stack.pop() as Site | undefined;
    if (mode === THROW && site !== undefined) noteHop(input, site);
  }
  let frame = stack[stack.length - 2] as Frame;
  for (;;) {
    let step: IteratorResult<unknown>;
    try {
      step = mode === NEXT ? generatorNext.call(frame, input) : generatorThrow.call(frame, input);
    } catch (error) {
      // The frame threw and is finished: its caller sees the throw at its `yield`.
      const site = stack.pop() as Site | undefined;
      stack.pop();
      if (site !== undefined) noteHop(error, site);
      if (stack.length === 0) {
        owner.outcome = error;
        return FAILED;
      }
      frame = stack[stack.length - 2] as Frame;
      mode = THROW;
      input = error;
      continue;
    }
    if (step.done === true) {
      stack.pop();
      stack.pop();
      if (stack.length === 0) {
        owner.outcome = step.value;
        return COMPLETED;
      }
      frame = stack[stack.length - 2] as Frame;
      mode = NEXT;
      input = step.value;
      continue;
    }
    const yielded = step.value;
    if (isSignal(yielded)) {
      const site = takeSite();
      if (yielded instanceof Suspension) {
        stack.push(site);
        return yielded;
      }
      mode = yielded.mode;
      input = yielded.value;
      if (mode === THROW && site !== undefined) noteHop(input, site);
      continue;
    }
    // A green call: the callee runs now, on top of its caller.
    frame = yielded as Frame;
    stack.push(frame);
    stack.push(takeSite());
    mode = NEXT;
    input = undefined;
  }
}

/**
 * What a body returned, as something a new stack can start from: a frame as is; a primitive's
 * Suspension or Ready (see the header) inside a one-step frame that yields it.
 */
export function asFrame(made: Frame | Suspension | Ready): Frame {
  if (made instanceof Suspension || made instanceof Ready) return yieldOnce(made);
  return made;
}
function* yieldOnce(signal: Suspension | Ready): Frame {
  if (signal instanceof Ready) {
    if (signal.mode === THROW) throw signal.value;
    return signal.value;
  }
  // Re-made so that it is the latest signal when yielded.
  return yield new Suspension(signal.what, signal.start, signal.data, signal.list);
}

/** The stack of one guarded call (below). */
class GuardStack implements FrameStack {
  outcome: unknown = undefined;
  constructor(public stack: unknown[]) {}
}

/**
 * The run-time guard's driver: run a body's result to completion synchronously, for a suspending
 * function called from plain code. Returns its value, or throws what it throws. At a real
 * suspension the operation is not started: `refuse(suspension, name)` makes the error that is
 * thrown into the frames (so their `finally` blocks run) and, unless they catch it, out of this
 * call. (`refuse` and `name` rather than one closure: no allocation per guarded call.)
 */
export function runSync(made: Frame | Suspension | Ready, refuse: (suspension: Suspension, name: string) => unknown, name: string): unknown {
  if (made instanceof Ready) {
    if (made.mode === THROW) throw made.value;
    return made.value;
  }
  if (made instanceof Suspension) throw refuse(made, name);
  const frame = made;
  // Fast path: most guarded calls return without yielding at all, needing no stack.
  const first = frame.next();
  if (first.done === true) return first.value;
  let mode: Mode = NEXT;
  let input: unknown = undefined;
  let owner: GuardStack;
  const yielded = first.value;
  if (!isSignal(yielded)) {
    owner = new GuardStack([frame, undefined, yielded, takeSite()]);
  } else {
    // Stopped at a signal: the frame's call to a primitive, as a parked stack has it.
    owner = new GuardStack([frame, undefined, takeSite()]);
    if (yielded instanceof Suspension) {
      mode = THROW;
      input = refuse(yielded, name);
    } else {
      mode = yielded.mode;
      input = yielded.value;
    }
  }
  for (;;) {
    const step = advance(owner, mode, input);
    if (step === COMPLETED) return owner.outcome;
    if (step === FAILED) throw owner.outcome;
    mode = THROW;
    input = refuse(step, name);
  }
}
