// Scratch experiment (bench/results/runtime.md, "Session 5"): how far the runtime is from the floor
// of a generator-based design, step by step, for chains whose leaf suspends once (a resolved
// promise), at several depths. Each step adds one thing the runtime must do to what the step
// before it does; the last is the runtime itself. All in one process, small interleaved batches,
// medians of per-batch CPU time, ratios to async/await:
//   async            the chain written with async/await;
//   floor            generator frames on an explicit stack, inline first steps (today's shape),
//                    the leaf yields its promise, one reaction per suspension, nothing else;
//   signal           + the leaf yields a Suspension made by a class, told from a frame by identity
//                    (suspension.ts `isSignal`), parked on its promise;
//   sites            + every frame's call site kept beside it on the stack (stack traces);
//   guards           + the inline-depth limit, a try around the first step (an error that leaves a
//                    frame notes its site, its slots are popped), primitives' bodies recognised;
//   trampoline       the runtime's own `call`, `at`, `wait` body and `advance`, driven by a minimal
//                    loop: no threads, no cancellation, no async context;
//   runtime          the same frames in a green thread (`run`), i.e. what `bench:runtime` measures.
// and, off the ladder, what a lowering without generators could reach:
//   stateMachine     each function a plain function; a call that parks returns PARK, and each
//                    caller on the way out saves its own continuation (a small object holding its
//                    live locals, resumed by a switch-free `resume` here since each level has one
//                    call); the floor of that design, as `floor` is of today's (no sites, no guards).
// The trampoline and runtime variants each load their own copy of the runtime, so their type
// feedback is not shared. Each variant is compiled from its own source text.
// Not built, not part of the product. Run after `npm run build`:
//   node bench/experiments/floor-ladder.js [runtime dir] [batches]      (DEPTHS=1,10,30 by default)
'use strict';
const { compileVariant, timeInterleaved, report } = require('./batches.js');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const rt = path.resolve(process.argv[2] || `${__dirname}/../../dist/runtime`);
const BATCHES = Number(process.argv[3] || 60);
const DEPTHS = (process.env.DEPTHS || '1,10,30').split(',').map(Number);
const CALLS = 2000;

/** A private copy of the runtime for one variant (its own modules, so its own type feedback). */
const copies = [];
function copyOfRuntime(name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ladder-${name}-`));
  fs.cpSync(rt, dir, { recursive: true });
  copies.push(dir);
  return dir;
}
process.on('exit', () => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

// The floor and the steps above it: one source, features switched on one by one.
function handWritten(depth, f) {
  return `(() => {
    const next = Object.getPrototypeOf(function* () {}).prototype.next;
    const PENDING = {};
    const SITE = Object.freeze({ file: 'ladder.js', fn: 'level', line: 1, col: 1 });
    const W = ${f.sites ? 2 : 1}; // slots per frame
    let stack, returned, pendingYield, latest, pendingSite, inlineDepth = 0;
    class Suspension { constructor(data) { this.what = 'wait'; this.start = undefined; this.data = data; this.list = undefined; latest = this; } }
    const at = (value, site) => { pendingSite = site; return value; };
    function call(made, site) {
      ${f.guards ? 'if (made === latest && made !== undefined) return true; if (inlineDepth >= 50) return true;' : ''}
      const slot = stack.length;
      stack.push(undefined${f.sites ? ', site' : ''});
      let step;
      ${f.guards ? `inlineDepth++;
      try { step = next.call(made, undefined); } catch (error) { inlineDepth--; stack.pop(); stack.pop(); throw error; }
      inlineDepth--;` : 'step = next.call(made, undefined);'}
      if (step.done === true) { stack.pop(); ${f.sites ? 'stack.pop();' : ''} returned = step.value; return false; }
      stack[slot] = made;
      if (step.value !== PENDING) pendingYield = step.value;
      return true;
    }
    function result() { const value = returned; returned = undefined; return value; }
    let top = function* leaf(x) { return yield ${f.signal ? (f.sites ? 'at(new Suspension(Promise.resolve(x)), SITE)' : 'new Suspension(Promise.resolve(x))') : '(latest = Promise.resolve(x))'}; };
    for (let i = 0; i < ${depth - 1}; i++) { const callee = top; top = function* level(x) { return (call(callee(x), SITE) ? yield PENDING : result()) + 1; }; }
    const chain = top;
    function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += call(chain(i), SITE) ? yield PENDING : result(); return s; }
    /** Run until the stack empties (resolve) or the top frame parks (returns its promise). */
    function advance(thread, input) {
      stack = thread.stack;
      ${f.sites ? 'if ((stack.length & 1) === 1) stack.pop();' : ''}
      let frame = stack[stack.length - W];
      for (;;) {
        const step = next.call(frame, input);
        if (step.done === true) {
          stack.pop(); ${f.sites ? 'stack.pop();' : ''}
          if (stack.length === 0) { thread.resolve(step.value); return undefined; }
          frame = stack[stack.length - W]; input = step.value; continue;
        }
        let yielded = step.value;
        if (yielded === PENDING) { yielded = pendingYield; pendingYield = undefined; frame = stack[stack.length - W]; }
        const signal = latest; latest = undefined;
        if (yielded === signal) { ${f.sites ? 'stack.push(pendingSite); pendingSite = undefined;' : ''} return ${f.signal ? 'yielded.data' : 'yielded'}; }
        frame = yielded; stack.push(frame${f.sites ? ', undefined' : ''}); input = undefined;
      }
    }
    function fulfilled(value) { drive(this, value); }
    function drive(thread, input) { const promise = advance(thread, input); if (promise !== undefined) promise.then(thread.fulfilled); }
    return () => new Promise((resolve) => {
      const thread = { stack: [driver()${f.sites ? ', undefined' : ''}], resolve, fulfilled: undefined };
      thread.fulfilled = fulfilled.bind(thread);
      drive(thread, undefined);
    });
  })()`;
}

const greenFrames = (depth) => `
    const g = require(RT + '/internal.js');
    const __s = g.sites('ladder.js', ['level', 1, 1]), __call = g.call, __pending = g.PENDING, __result = g.result, __at = g.at;
    let top = g.fn(function* leaf(x) { return yield __at(g.wait[g.BODY](Promise.resolve(x)), __s[0]); }, 'leaf');
    for (let i = 0; i < ${depth - 1}; i++) { const callee = top; top = g.fn(function* level(x) { return (__call(callee[g.BODY](x), __s[0]) ? yield __pending : __result()) + 1; }, 'level'); }
    const driver = g.fn(function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += __call(top[g.BODY](i), __s[0]) ? yield __pending : __result(); return s; }, 'driver');`;

const variants = {
  async: (depth) => [`(() => {
    let top = async (x) => await Promise.resolve(x);
    for (let i = 0; i < ${depth - 1}; i++) { const callee = top; top = async function level(x) { return (await callee(x)) + 1; }; }
    return async () => { let s = 0; for (let i = 0; i < CALLS; i++) s += await top(i); return s; };
  })()`],
  floor: (depth) => [handWritten(depth, {})],
  signal: (depth) => [handWritten(depth, { signal: true })],
  sites: (depth) => [handWritten(depth, { signal: true, sites: true })],
  guards: (depth) => [handWritten(depth, { signal: true, sites: true, guards: true })],
  stateMachine: (depth) => [`(() => {
    const PARK = {};
    let parkedOn;            // the promise the innermost function parked on
    let unwinding = [];      // continuations saved on the way out, innermost first
    class LeafK { resume(value) { return value; } }
    class LevelK { resume(value) { return value + 1; } }
    function leaf(x) { parkedOn = Promise.resolve(x); unwinding.push(new LeafK()); return PARK; }
    let top = leaf;
    for (let i = 0; i < ${depth - 1}; i++) {
      const callee = top;
      top = function level(x) { const v = callee(x); if (v === PARK) { unwinding.push(new LevelK()); return PARK; } return v + 1; };
    }
    const chain = top;
    // The driver's loop, with its continuation: where it was (i) and what it had (s).
    class DriverK { constructor(i, s) { this.i = i; this.s = s; } resume(value) { return driverFrom(this.i, this.s + value); } }
    function driverFrom(i, s) {
      for (i++; i < CALLS; i++) { const v = chain(i); if (v === PARK) { unwinding.push(new DriverK(i, s)); return PARK; } s += v; }
      return s;
    }
    function fulfilled(value) { drive(this, value); }
    /** Resume the innermost continuation with value; on PARK, put the new ones on the stack. */
    function drive(thread, value) {
      const stack = thread.stack;
      for (;;) {
        if (stack.length === 0) { thread.resolve(value); return; }
        value = stack.pop().resume(value);
        if (value === PARK) {
          for (let k = unwinding.length - 1; k >= 0; k--) stack.push(unwinding[k]);
          unwinding = [];
          parkedOn.then(thread.fulfilled);
          return;
        }
      }
    }
    return () => new Promise((resolve) => {
      const thread = { stack: [], resolve, fulfilled: undefined };
      thread.fulfilled = fulfilled.bind(thread);
      const v = driverFrom(-1, 0);
      if (v !== PARK) { resolve(v); return; }
      for (let k = unwinding.length - 1; k >= 0; k--) thread.stack.push(unwinding[k]);
      unwinding = [];
      parkedOn.then(thread.fulfilled);
    });
  })()`],
  trampoline: (depth) => [`(() => {${greenFrames(depth)}
    const t = require(RT + '/trampoline.js');
    function fulfilled(value) { drive(this, 0, value); }
    function rejected(error) { drive(this, 1, error); }
    function drive(owner, mode, input) {
      const previous = t.useStack(owner.stack);
      const step = t.advance(owner, mode, input);
      t.useStack(previous);
      if (step === t.COMPLETED) owner.resolve(owner.outcome);
      else if (step === t.FAILED) owner.reject(owner.outcome);
      else step.data.then(fulfilled.bind(owner), rejected.bind(owner));
    }
    return () => new Promise((resolve, reject) => drive({ stack: [driver[g.BODY](), undefined], outcome: undefined, resolve, reject }, 0, undefined));
  })()`, copyOfRuntime('trampoline')],
  runtime: (depth) => [`(() => {${greenFrames(depth)}
    const { run } = require(RT + '/index.js');
    return () => run(driver);
  })()`, copyOfRuntime('runtime')],
};

(async () => {
  const only = process.env.ONLY?.split(',');
  console.log(`node ${process.version}, ${BATCHES} batches of ${CALLS} calls, ns per call (CPU, median) and ratio to async/await`);
  for (const depth of DEPTHS) {
    const expected = (CALLS * (CALLS - 1)) / 2 + (depth - 1) * CALLS;
    const chosen = Object.entries(variants)
      .filter(([name]) => !only || name === 'async' || only.includes(name))
      .map(([name, make]) => {
        const [source, dir] = make(depth);
        return { name, run: compileVariant(`ladder-${name}-${depth}.js`, source, dir, CALLS) };
      });
    report(await timeInterleaved(chosen, BATCHES, CALLS, expected), `depth ${String(depth).padEnd(3)} `);
  }
})();
