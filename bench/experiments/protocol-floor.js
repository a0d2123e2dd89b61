// Scratch experiment (bench/results/runtime.md, "Session 3"): how close the runtime is to the floor
// of the emitted shape. Three ways of running the depth-10 chain whose leaf suspends once, in one
// process, in small interleaved batches (the host changes speed over seconds; small batches let
// both sides see the same host), medians of per-batch CPU time, ratios to async/await:
//   async   the chain written with async/await;
//   floor   the same green frames (real wrappers, `__g.at`, `wait`'s body and Suspension) driven by
//           a dozen-line loop: an explicit stack, `then` with two bound reactions per suspension, no
//           threads, no cancellation, no async context, no scheduler;
//   floorAdvance  the floor's loop, but with the runtime's own `advance` (trampoline.js);
//   runtime the same frames in a green thread of the real runtime (`run`);
//   runtimeInline  the chain in today's emitted shape (inline calls), in the real runtime.
// Each variant is compiled from its own source text, so no function literal (and no type feedback)
// is shared between them. Not built, not part of the product.
// Run after `npm run build`: node bench/experiments/protocol-floor.js [runtime dir] [batches]
// (ONLY=floor,runtime,... keeps async/await and the variants named, e.g. to profile one.)
'use strict';
const { compileVariant, timeInterleaved, report } = require('./batches.js');
const rt = require('node:path').resolve(process.argv[2] || `${__dirname}/../../dist/runtime`);
const BATCHES = Number(process.argv[3] || 150);
const CALLS = 2000;

const common = `
const g = require(RT + '/internal.js');
const BODY = g.BODY, waitBody = g.wait[BODY], site = g.sites('floor.js', ['level', 1, 1])[0];
const leaf = g.fn(function* leaf(x) { return yield waitBody(Promise.resolve(x)); }, 'leaf');
let top = leaf;
for (let i = 0; i < 9; i++) { const callee = top; top = g.fn(function* level(x) { return (yield g.at(callee[BODY](x), site)) + 1; }, 'level'); }
const driver = g.fn(function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += yield g.at(top[BODY](i), site); return s; }, 'driver');
`;
const sources = {
  async: `(() => {
    let top = async (x) => await Promise.resolve(x);
    for (let i = 0; i < 9; i++) { const callee = top; top = async function level(x) { return (await callee(x)) + 1; }; }
    return async () => { let s = 0; for (let i = 0; i < CALLS; i++) s += await top(i); return s; };
  })()`,
  floor: `(() => {${common}
    const { isSignal } = require(RT + '/suspension.js'), { takeSite } = require(RT + '/stack.js');
    const next = Object.getPrototypeOf(function* () {}).prototype.next;
    function advance(stack, input) {
      if ((stack.length & 1) === 1) stack.pop();
      let frame = stack[stack.length - 2];
      for (;;) {
        const step = next.call(frame, input);
        if (step.done === true) {
          stack.pop(); stack.pop();
          if (stack.length === 0) return { value: step.value };
          frame = stack[stack.length - 2]; input = step.value; continue;
        }
        const y = step.value;
        if (isSignal(y)) { stack.push(takeSite()); return y; }
        frame = y; stack.push(frame, takeSite()); input = undefined;
      }
    }
    function fulfilled(value) { drive(this, value); }
    function rejected(error) { this.reject(error); }
    function drive(thread, input) {
      const s = advance(thread.stack, input);
      if (s.data === undefined) thread.resolve(s.value);
      else s.data.then(fulfilled.bind(thread), rejected.bind(thread));
    }
    return () => new Promise((resolve, reject) => drive({ stack: [driver[BODY](), undefined], resolve, reject }, undefined));
  })()`,
  floorAdvance: `(() => {${common}
    const { advance } = require(RT + '/trampoline.js');
    function fulfilled(value) { drive(this, value); }
    function rejected(error) { this.reject(error); }
    function drive(thread, input) {
      const s = advance(thread, 0, input);
      if (s === 0) thread.resolve(thread.outcome);
      else if (s === 1) thread.reject(thread.outcome);
      else s.data.then(fulfilled.bind(thread), rejected.bind(thread));
    }
    return () => new Promise((resolve, reject) => drive({ stack: [driver[BODY](), undefined], outcome: undefined, resolve, reject }, undefined));
  })()`,
  runtime: `(() => {${common}
    const { run } = require(RT + '/index.js');
    return () => run(driver);
  })()`,
  // The emitted shape since session 4 (inline calls, protocol.ts "How a body makes a green call"),
  // in the real runtime: the floor and the variants above all use the yielded shape of session 3.
  runtimeInline: `(() => {
    const g = require(RT + '/internal.js'), { run } = require(RT + '/index.js');
    const BODY = g.BODY, __s = g.sites('floor.js', ['level', 1, 1]);
    let top = g.fn(function* leaf(x) { return yield g.at(g.wait[BODY](Promise.resolve(x)), __s[0]); }, 'leaf');
    for (let i = 0; i < 9; i++) { const callee = top; top = g.fn(function* level(x) { return (g.call(callee[BODY](x), __s[0]) ? yield g.PENDING : g.result()) + 1; }, 'level'); }
    const driver = g.fn(function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += g.call(top[BODY](i), __s[0]) ? yield g.PENDING : g.result(); return s; }, 'driver');
    return () => run(driver);
  })()`,
};

const only = process.env.ONLY?.split(',');
const variants = Object.entries(sources)
  .filter(([name]) => !only || name === 'async' || only.includes(name))
  .map(([name, source]) => ({ name, run: compileVariant(`floor-${name}.js`, source, rt, CALLS) }));

(async () => {
  const expected = (CALLS * (CALLS - 1)) / 2 + 9 * CALLS;
  const results = await timeInterleaved(variants, BATCHES, CALLS, expected);
  console.log(`node ${process.version}, ${BATCHES} batches of ${CALLS} calls, ns per call (CPU, median) and ratio to async/await`);
  report(results);
})();
