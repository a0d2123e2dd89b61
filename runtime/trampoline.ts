/**
 * The trampoline: drives green functions' frames on an explicit stack: generator frames, and the
 * continuations of plain-first functions (protocol.ts "Plain-first functions").
 *
 * The shape it drives is defined once, in ./protocol.ts (the transformer <-> runtime contract);
 * the transformer emits exactly that. In short, per kind of call inside a body (a generator), with
 * CALL(frame, k) standing for `(__call(frame, __s[k]) ? (yield __pending) : __result())` (the file's
 * local names for `__g.call`, `__g.PENDING`, `__g.result`, `__g.at`: protocol.ts):
 *
 *     // source                          // emitted
 *     find(id)                           CALL(find[__g.BODY](id), 0)
 *     repo.find(id)                      CALL((_a = repo).find[__g.BODY].call(_a, id), 1)
 *     repo[k](id)                        CALL((_a = repo)[_b = k][__g.BODY].call(_a, id), 1)
 *     repo?.find(id)                     (_a = repo) == null ? void 0 : CALL(_a.find[__g.BODY].call(_a, id), 1)
 *     super.find(id)                     CALL(super.find[__g.BODY].call(this, id), 2)
 *     f.call(t, a) / f.apply(t, xs)      CALL(f[__g.BODY].call(t, a), 3)  / .apply(t, xs)
 *     f.bind(t, a)                       __g.bind(f, t, a)                     (no call: makes a function)
 *     cb(x)      (green-ness unknown)    CALL(__g.dyn(cb, void 0, [x]), 4)
 *     xs.map(cb)                         CALL(__g.array.map(xs, cb, void 0), 5)
 *     sleep(5) (any primitive)           CALL(sleep[__g.BODY](5), 7)                a Suspension, not a frame
 *     await h() / wait(h())  (h @green)  CALL(h[__g.BODY](), 8)                     inline, in this thread
 *     await p / wait(p)                  (yield __at(__g.wait[__g.BODY](p), __s[6]))   yielded at once: it parks
 *
 * and per kind of function (the wrapper is what ordinary code calls):
 *
 *     function find(id) {...}            __g.link(find, function* find(id) {...});
 *                                        function find(id) { return __g.sync(find[__g.BODY].apply(this, arguments), "find"); }
 *     const load = (id) => ...           const load = __g.fn(function* (id) {...}, "load");
 *     class R { find(id) {...} }         class R { *find(id) {...} }  __g.methods(R.prototype, ["find"], []);
 *     /** @green *\/ async function h()  __g.link(h, function* h() {...}, __g.ENTRY);
 *                                        function h() { return __g.start(h[__g.BODY].apply(this, arguments), "h"); }
 *     run(() => find(1))                 run(__g.fn(function* () { return CALL(find[__g.BODY](1), 9); }, ""))
 *                                        (a green-taking parameter: the runtime runs the body in its thread)
 *
 * `__g.call` (below, "Inline calls") runs the callee at once, on the JS stack, and only a callee
 * that stops makes its caller yield. A frame yields exactly one of: PENDING (an inline call
 * stopped: its frames are already on the stack, see `call`), a frame (a green call yielded at
 * once, `yield __g.at(frame, site)`: push it and run it now), a `Suspension` (park the thread; only
 * primitives make these), or a `Ready` (a `dyn` callee was plain, or a primitive need not park:
 * resume at once with its value). A primitive's body may return the Suspension or Ready itself
 * instead of a frame (`wait[BODY](p)` is a Suspension): no generator is made for the primitive, and
 * `call` or `yield` hands it over just the same (never `yield*` a body).
 *
 * Why an explicit stack: a resume feeds the value to the top frame only, so it costs the same at
 * depth 1 and depth 200,000, and recursion depth is bounded by the heap, not by the JS stack (inline
 * calls nest on the JS stack only up to INLINE_LIMIT deep). A frame that returns or throws without
 * suspending hands its result to its caller at once: no microtask, no macrotask.
 *
 * Why non-reentrant: `advance` runs one stack at a time and never calls itself for the same stack.
 * Resumes that happen while a thread is being driven (an `Event.set` waking others, a `resume`
 * called synchronously from `suspend`'s start) are queued or looped, never nested (./thread.ts).
 *
 * Two drivers use `advance`: the scheduler (./thread.ts), which parks a thread at a Suspension,
 * and the run-time guard (`runSync` below), for suspending functions called from plain code.
 */

import type { Frame, Site } from './protocol.js';
import { type Mode, Ready, Suspension, isLatestSignal, isSignal } from './suspension.js';
import type { NEXT as NextMode, THROW as ThrowMode } from './suspension.js';
import { at, noteHop, takeSite } from './stack.js';

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
  let frame = stack[stack.length - 2] as Frame | Continuation;
  for (;;) {
    let yielded: unknown;
    // Two branches with their own return and throw handling rather than one shared tail: the
    // shared form measured ~10% slower on a depth-10 generator chain (bench/results/runtime.md).
    if (Array.isArray(frame)) {
      // A plain-first function parked earlier: resume it where it stopped. It leaves the stack
      // while it runs; if it stops again it saves a new continuation (./plain.ts).
      const site = stack.pop() as Site | undefined;
      stack.pop();
      let value: unknown;
      try {
        // A continuation at state 0 has not started (deferred, or a thread's first frame): an
        // error thrown into it is thrown at once, as into a generator that has not started.
        if (mode === THROW && frame[2] === 0) throw input;
        resumeMode = mode;
        resumeInput = input;
        value = (frame[0] as Function).call(frame[1], frame);
      } catch (error) {
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
      if (value !== PENDING) {
        if (stack.length === 0) {
          owner.outcome = value;
          return COMPLETED;
        }
        frame = stack[stack.length - 2] as Frame;
        mode = NEXT;
        input = value;
        continue;
      }
      unwinding[unwound++] = site;
      yielded = PENDING;
    } else {
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
      yielded = step.value;
    }
    if (yielded === PENDING) {
      // Inline calls stopped: their frames are in `unwinding`, innermost first; they go on top of
      // the stack, and what the innermost one yielded is handled as if yielded to this loop.
      unwind(stack);
      yielded = takePending();
      frame = stack[stack.length - 2] as Frame;
    }
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
  // Fast path: most guarded calls return without yielding at all, needing no stack of their own
  // (inline calls push on the enclosing one, and pop again unless they stop).
  const enclosing = activeStack;
  const base = enclosing.length;
  const first = frame.next();
  if (first.done === true) return first.value;
  let mode: Mode = NEXT;
  let input: unknown = undefined;
  const owner = new GuardStack([frame, undefined]);
  let yielded = first.value;
  if (yielded === PENDING) {
    owner.stack.push(...enclosing.splice(base));
    unwind(owner.stack);
    yielded = takePending();
  }
  if (!isSignal(yielded)) {
    owner.stack.push(yielded, takeSite());
  } else {
    // Stopped at a signal: the frame's call to a primitive, as a parked stack has it.
    owner.stack.push(takeSite());
    if (yielded instanceof Suspension) {
      mode = THROW;
      input = refuse(yielded, name);
    } else {
      mode = yielded.mode;
      input = yielded.value;
    }
  }
  const previous = useStack(owner.stack);
  try {
    for (;;) {
      const step = advance(owner, mode, input);
      if (step === COMPLETED) return owner.outcome;
      if (step === FAILED) throw owner.outcome;
      mode = THROW;
      input = refuse(step, name);
    }
  } finally {
    useStack(previous);
  }
}

// ---------------------------------------------------------------------------------------------
// Inline calls. A green call runs its callee's first step right where it is made, on the JS stack,
// and involves `advance` only if the callee stops (protocol.ts "Kinds of call"):
//
//     // source                 // emitted
//     find(id)                  (__call(find[__g.BODY](id), __s[0]) ? (yield __pending) : __result())
//
// `call` pushes the callee's frame and site on the stack being driven, as `advance` would (the
// frame itself is stored only if it stops), and runs its first step. A callee that returns without
// stopping is popped again, and `call` returns false (the value is read with `result()`): it cost a
// generator and one step, no yield and no trip through `advance`. A callee that stops (it parked,
// or yielded a call of the older shape, or the inline depth ran out) stays on the stack, and `call`
// returns true: the caller yields PENDING, and the caller's own `call` (if it runs inline too) does
// the same, up to the frame `advance` is driving, which then handles what the innermost one
// yielded. So the stack is the same as if every call had gone through `advance`, and a resume
// feeds the top frame only.
//
// Plain-first functions (./plain.ts) have no frame until they stop, so they cannot hold a slot:
// one whose callee stopped saves a continuation in `unwinding` and returns PENDING, and so does
// each plain-first caller in turn (innermost first); a generator frame called by one (`call` with a
// depth) moves itself and what its own calls pushed there too. The driver appends `unwinding` to
// the stack (`unwind`), after the frames that hold slots, which are all outer to them.
// ---------------------------------------------------------------------------------------------

/** What a body yields (or a plain-first function returns) when an inline call stopped. Frozen, never a frame or a signal. */
const PENDING: object = Object.freeze({ 'green-ts': 'pending' });
// Declared, then exported: references here stay a plain constant (see NEXT above).
export { PENDING };

/**
 * Frames of inline calls that stopped, each followed by the site it was called from, innermost
 * first: filled while a stop travels out through the JS stack, emptied by `unwind` when it
 * reaches the driver. Empty at all other times.
 */
const unwinding: unknown[] = [];
/** How many entries of `unwinding` are in use. Its length is never cut back: V8 would free the store. */
let unwound = 0;

/** Move the stopped inline calls onto `stack`, outermost first (the order `advance` keeps). */
function unwind(stack: unknown[]): void {
  for (let i = unwound - 2; i >= 0; i -= 2) {
    stack.push(unwinding[i], unwinding[i + 1]);
    unwinding[i] = unwinding[i + 1] = undefined;
  }
  unwound = 0;
}

/**
 * The stack being driven; inline calls push on it. Set by the driver around its calls of `advance`
 * (`useStack`: Thread#run, `runSync`), not by `advance` itself: a try/finally around every
 * `advance` measured 5-10% on a depth-10 call.
 */
let activeStack: unknown[] = [];

/** Make `stack` the one inline calls push on; returns the one to restore afterwards. */
export function useStack(stack: unknown[]): unknown[] {
  const previous = activeStack;
  activeStack = stack;
  return previous;
}

/**
 * How many inline calls may be running on the JS stack at once. Deeper calls go through `advance`
 * (which starts again at the bottom of the JS stack), so deep recursion never grows the JS stack
 * by more than this many generator steps.
 */
const INLINE_LIMIT = 50;
let inlineDepth = 0;

/** What the innermost stopped inline call yielded (its site, if any, is in stack.ts `at`). */
let pendingYield: unknown = undefined;

/**
 * The value of the latest inline call that returned. A module variable rather than `call`'s return
 * value: `call(...) ? (yield PENDING) : result()` needs no temporary in the body, and every
 * temporary is a register kept in each parked frame.
 */
let returned: unknown = undefined;

/** `__g.result()`: the value of the green call just made (`call` returned false); forgets it. */
export function result(): unknown {
  const value = returned;
  returned = undefined;
  return value;
}

/**
 * `__g.call(made, site, depth)`: a green call (see above). False: it returned (`result()`); true:
 * it stopped. `site` is undefined for the calls the runtime makes itself (array callbacks,
 * array.ts). `depth` is passed by plain-first callers only: how many inline calls deep they run.
 * The frame comes first: the body then needs one register less, which every parked frame keeps.
 */
export function call(made: Frame | Suspension | Ready, site: Site | undefined, depth?: number): boolean {
  if (isLatestSignal(made)) {
    // A primitive's body returned its signal itself (protocol.ts "What a frame may yield").
    if (made instanceof Ready) {
      isSignal(made); // taken: it is consumed here, never yielded
      if (made.mode === THROW) {
        if (site !== undefined) noteHop(made.value, site);
        throw made.value;
      }
      returned = made.value;
      return false;
    }
    return stop(at(made, site));
  }
  if (depth !== undefined) return callFromPlain(made, site, depth);
  if (inlineDepth >= INLINE_LIMIT) return stop(at(made, site));
  // The frame's slot is filled only if it stops: a long-lived thread's stack array is in V8's old
  // space, and storing a new (young) frame there takes the write barrier's slow path, which a
  // call that returns at once need not pay. Sites are old objects (made when a module loads).
  const stack = activeStack;
  const slot = stack.length;
  stack.push(undefined, site);
  inlineDepth++;
  let step: IteratorResult<unknown>;
  try {
    step = generatorNext.call(made, undefined);
  } catch (error) {
    inlineDepth--;
    stack.pop();
    stack.pop();
    if (site !== undefined) noteHop(error, site);
    throw error;
  }
  inlineDepth--;
  if (step.done === true) {
    stack.pop();
    stack.pop();
    returned = step.value;
    return false;
  }
  // Stopped: PENDING from its own inline call (pendingYield is set), or something yielded directly.
  stack[slot] = made;
  if (step.value !== PENDING) pendingYield = step.value;
  return true;
}

/**
 * A plain-first function's call of a frame, `depth` inline calls deep. If it stops, the frame and
 * the slots its own calls filled go to `unwinding`, innermost first (see above).
 */
function callFromPlain(made: Frame, site: Site | undefined, depth: number): boolean {
  if (depth >= INLINE_LIMIT) return stop(at(made, site));
  const stack = activeStack;
  const base = stack.length;
  const saved = inlineDepth;
  inlineDepth = depth + 1;
  let step: IteratorResult<unknown>;
  try {
    step = generatorNext.call(made, undefined);
  } catch (error) {
    inlineDepth = saved;
    if (site !== undefined) noteHop(error, site);
    throw error;
  }
  inlineDepth = saved;
  if (step.done === true) {
    returned = step.value;
    return false;
  }
  if (step.value !== PENDING) pendingYield = step.value;
  for (let j = stack.length - 2; j >= base; j -= 2) {
    unwinding[unwound++] = stack[j];
    unwinding[unwound++] = stack[j + 1];
  }
  stack.length = base;
  unwinding[unwound++] = made;
  unwinding[unwound++] = site;
  return true;
}

/**
 * `__g.depth()`: the depth a generator body passes to a plain-first callee (one more than its own).
 */
export function depth(): number {
  return inlineDepth + 1;
}

function stop(yielded: unknown): true {
  pendingYield = yielded;
  return true;
}

/** What the innermost stopped inline call yielded, taken. */
function takePending(): unknown {
  const yielded = pendingYield;
  pendingYield = undefined;
  return yielded;
}

// ---------------------------------------------------------------------------------------------
// Plain-first functions (./plain.ts has the emitted shape). Their stops and resumes, here because
// they share `unwinding`, `pendingYield` and PENDING with `call`.
// ---------------------------------------------------------------------------------------------

/**
 * A parked (or deferred) plain-first function: `[fn, self, state, ...locals]`, the function, its
 * `this`, where to go on, and its live locals in the order its own code reads them back. An array
 * so that the trampoline tells it from a generator frame with `Array.isArray` (a check of the
 * object's type, where `instanceof` would walk the prototype chains of many generator shapes), and
 * so that it is one object.
 */
export type Continuation = unknown[];

/** What the continuation being resumed resumes with (set by `advance` just before the call). */
let resumeMode: Mode = NEXT;
let resumeInput: unknown = undefined;

/**
 * `__g.park(site, k)`: a plain-first function's green call stopped. Saves the callee's site
 * (undefined when `call` saved it already) and then the caller's continuation `k`; returns
 * PENDING, which the function returns in turn.
 */
export function park(site: Site | undefined, k: Continuation): object {
  if (site !== undefined) unwinding[unwound++] = site;
  unwinding[unwound++] = k;
  return PENDING;
}

/**
 * `__g.defer(k)`: a plain-first function called INLINE_LIMIT deep does not start: it saves itself
 * at its start (`k`, state 0) and stops, so that `advance` runs it from the bottom of the JS stack
 * (a Ready resumes the top frame at once).
 */
export function defer(k: Continuation): object {
  unwinding[unwound++] = k;
  pendingYield = new Ready(undefined);
  return PENDING;
}

/** `__g.resumed()`: what the continuation being resumed resumes with: the value, or the error thrown at its stop. */
export function resumed(): unknown {
  const input = resumeInput;
  resumeInput = undefined;
  if (resumeMode === THROW) throw input;
  return input;
}

/**
 * `__g.callp(value, site)`: a generator body's call of a plain-first function (the value it
 * returned). False: it returned (`result()`); true: it stopped, and its site is saved.
 */
export function callp(value: unknown, site: Site | undefined): boolean {
  if (value === PENDING) {
    unwinding[unwound++] = site;
    return true;
  }
  returned = value;
  return false;
}
