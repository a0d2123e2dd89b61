/**
 * The trampoline: drives green functions' generator frames on an explicit stack.
 *
 * The shape it drives is defined once, in ./protocol.ts (the transformer <-> runtime contract);
 * the transformer emits exactly that. In short, per kind of call inside a body (a generator):
 *
 *     // source                          // emitted
 *     find(id)                           (yield __g.at(__s[0], find[__g.BODY](id)))
 *     repo.find(id)                      (yield __g.at(__s[1], (_a = repo).find[__g.BODY].call(_a, id)))
 *     super.find(id)                     (yield __g.at(__s[2], super.find[__g.BODY].call(this, id)))
 *     f.call(t, a) / f.apply(t, xs)      (yield __g.at(__s[3], f[__g.BODY].call(t, a)))  / .apply(t, xs)
 *     f.bind(t, a)                       __g.bind(f, t, a)                     (no yield: makes a function)
 *     cb(x)      (green-ness unknown)    (yield __g.at(__s[4], __g.dyn(cb, void 0, [x])))
 *     xs.map(cb)                         (yield __g.at(__s[5], __g.array.map(xs, cb, void 0)))
 *     sleep(5) / await p                 (yield __g.at(__s[6], __g.wait[__g.BODY](p)))   (sleep: sleep[__g.BODY](5))
 *
 * and per kind of function (the wrapper is what ordinary code calls):
 *
 *     function find(id) {...}            __g.link(find, function* find(id) {...});
 *                                        function find(id) { return __g.sync(find[__g.BODY].apply(this, arguments), "find"); }
 *     const load = (id) => ...           const load = __g.fn(function* (id) {...}, "load");
 *     class R { find(id) {...} }         class R { *find(id) {...} }  __g.methods(R.prototype, ["find"], []);
 *     /** @green *\/ async function h()  __g.link(h, function* h() {...}, __g.ENTRY);
 *                                        function h() { return __g.start(h[__g.BODY].apply(this, arguments), "h"); }
 *
 * A frame yields exactly one of: a frame (a green call: push it and run it now), a `Suspension`
 * (park the thread; only primitives make these), or a `Ready` (a `dyn` callee was plain: resume at
 * once with its value).
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
import { NEXT, THROW, type Mode, Ready, Suspension } from './suspension.js';
import { noteHop, takeSite } from './stack.js';

/** A stack of frames with, beside each, the site it was called from (undefined: not recorded). */
export interface FrameStack {
  frames: Frame[];
  sites: (Site | undefined)[];
  /** After `advance` returns COMPLETED or FAILED: the return value or the thrown error. */
  outcome: unknown;
}

export const COMPLETED = 0;
export const FAILED = 1;
export type Outcome = typeof COMPLETED | typeof FAILED;

/**
 * Resume the top frame with `mode`/`input` and run until the stack empties (COMPLETED or FAILED,
 * result in `stack.outcome`) or the top frame yields a Suspension (returned; the top frame is the
 * one that yielded it, and the next `advance` resumes it).
 */
export function advance(stack: FrameStack, mode: Mode, input: unknown): Suspension | Outcome {
  const frames = stack.frames;
  const sites = stack.sites;
  for (;;) {
    const frame = frames[frames.length - 1];
    let step: IteratorResult<unknown>;
    try {
      step = mode === NEXT ? frame.next(input) : frame.throw(input);
    } catch (error) {
      // The frame threw and is finished: its caller sees the throw at its `yield`.
      frames.pop();
      const site = sites.pop();
      if (site !== undefined) noteHop(error, site);
      if (frames.length === 0) {
        stack.outcome = error;
        return FAILED;
      }
      mode = THROW;
      input = error;
      continue;
    }
    if (step.done === true) {
      frames.pop();
      sites.pop();
      if (frames.length === 0) {
        stack.outcome = step.value;
        return COMPLETED;
      }
      mode = NEXT;
      input = step.value;
      continue;
    }
    const yielded = step.value;
    if (yielded instanceof Suspension) {
      takeSite();
      return yielded;
    }
    if (yielded instanceof Ready) {
      takeSite();
      mode = NEXT;
      input = yielded.value;
      continue;
    }
    // A green call: the callee runs now, on top of its caller.
    frames.push(yielded as Frame);
    sites.push(takeSite());
    mode = NEXT;
    input = undefined;
  }
}

/** The stack of one guarded call (below). */
class GuardStack implements FrameStack {
  frames: Frame[];
  sites: (Site | undefined)[] = [undefined];
  outcome: unknown = undefined;
  constructor(frame: Frame) {
    this.frames = [frame];
  }
}

/**
 * The run-time guard's driver: run `frame` to completion synchronously, for a suspending function
 * called from plain code. Returns its value, or throws what it throws. At a real suspension the
 * operation is not started: `refuse(suspension)` makes the error that is thrown into the frames
 * (so their `finally` blocks run) and, unless they catch it, out of this call.
 */
export function runSync(frame: Frame, refuse: (suspension: Suspension) => unknown): unknown {
  // Fast path: most guarded calls return without yielding at all, needing no stack.
  const first = frame.next();
  if (first.done === true) return first.value;
  const stack = new GuardStack(frame);
  let mode: Mode = NEXT;
  let input: unknown = undefined;
  const yielded = first.value;
  if (yielded instanceof Suspension) {
    takeSite();
    mode = THROW;
    input = refuse(yielded);
  } else if (yielded instanceof Ready) {
    takeSite();
    input = yielded.value;
  } else {
    stack.frames.push(yielded as Frame);
    stack.sites.push(takeSite());
  }
  for (;;) {
    const step = advance(stack, mode, input);
    if (step === COMPLETED) return stack.outcome;
    if (step === FAILED) throw stack.outcome;
    mode = THROW;
    input = refuse(step);
  }
}
