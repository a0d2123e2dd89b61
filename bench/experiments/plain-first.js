// Scratch experiment (bench/results/runtime.md, "Session 6"): the plain-first lowering against the
// generator lowering, for the runtime benchmark's chains, in one process, small interleaved
// batches, medians of per-batch CPU time, ratios to async/await:
//   async        the chain written with async/await;
//   genBefore    generator bodies (today's emitted shape) on an earlier build's runtime;
//   generators   the same on this build's runtime;
//   plainFirst   each level a plain-first function, written by hand in the emitted shape
//                (runtime/protocol.ts "Plain-first functions"), on this build's runtime.
// Each variant loads its own copy of a runtime, so no type feedback is shared.
// Not built, not part of the product. Run after `npm run build`, with an earlier build's dist:
//   node bench/experiments/plain-first.js /tmp/old/dist/runtime [batches]   (LEAF=suspends|noSuspend)
'use strict';
const { compileVariant, timeInterleaved, report } = require('./batches.js');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const OLD = path.resolve(process.argv[2]);
const NEW = path.resolve(process.env.NEW || `${__dirname}/../../dist/runtime`);
const BATCHES = Number(process.argv[3] || 60);
const DEPTHS = (process.env.DEPTHS || '10').split(',').map(Number);
const LEAVES = (process.env.LEAF || 'suspends,noSuspend').split(',');
const CALLS = Number(process.env.CALLS || 2000);

const copies = [];
function copyOf(rt, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plain-first-${name}-`));
  fs.cpSync(rt, dir, { recursive: true });
  copies.push(dir);
  return dir;
}
process.on('exit', () => copies.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const generatorLeaf = {
  suspends: 'return yield __at(g.wait[g.BODY](Promise.resolve(x)), __s[0]);',
  noSuspend: 'if (x < 0) yield __at(g.wait[g.BODY](Promise.resolve(x)), __s[0]); return x;',
};
const generators = (depth, leaf) => `(() => {
    const g = require(RT + '/internal.js');
    const { run } = require(RT + '/index.js');
    const __s = g.sites('plain-first.js', ['level', 1, 1]), __call = g.call, __pending = g.PENDING, __result = g.result, __at = g.at;
    let top = g.fn(function* leaf(x) { ${generatorLeaf[leaf]} }, 'leaf');
    for (let i = 0; i < ${depth - 1}; i++) { const callee = top; top = g.fn(function* level(x) { return (__call(callee[g.BODY](x), __s[0]) ? yield __pending : __result()) + 1; }, 'level'); }
    const driver = g.fn(function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += __call(top[g.BODY](i), __s[0]) ? yield __pending : __result(); return s; }, 'driver');
    return () => run(driver);
  })()`;

// The plain-first shape, as the transformer emits it (protocol.ts).
const plainLeaf = {
  suspends: `
      case 0:
        if (__call(g.wait[g.BODY](Promise.resolve(x)), __s[0])) return __park(void 0, [leaf, this, 1, x]);
        $t = __result();
      case 1:
        if ($s === 1) $t = __resumed();
        return $t;`,
  noSuspend: `
      case 0:
        if (x < 0) { if (__call(g.wait[g.BODY](Promise.resolve(x)), __s[0])) return __park(void 0, [leaf, this, 1, x]); $t = __result(); }
      case 1:
        if ($s === 1) $t = __resumed();
        return x;`,
};
const plainFirst = (depth, leaf) => `(() => {
    const g = require(RT + '/internal.js');
    const { run } = require(RT + '/index.js');
    const __s = g.sites('plain-first.js', ['level', 1, 1]), __call = g.call, __pending = g.PENDING, __result = g.result, __at = g.at,
      __park = g.park, __defer = g.defer, __resumed = g.resumed, __callp = g.callp, __PLAIN = g.PLAIN, __depth = g.depth;
    let top = g.fnp(function leaf($k, x) {
      var $t, $s = 0, $d = 0;
      if (typeof $k === 'number') { if ($k >= 50) return __defer([leaf, this, 0, x]); $d = $k; }
      else { $s = $k[2]; x = $k[3]; }
      switch ($s) {${plainLeaf[leaf]}
      }
    }, 'leaf');
    for (let i = 0; i < ${depth - 1}; i++) {
      const callee = top;
      top = g.fnp(function level($k, x) {
        var $t, $s = 0, $d = 0;
        if (typeof $k === 'number') { if ($k >= 50) return __defer([level, this, 0, x]); $d = $k; }
        else { $s = $k[2]; x = $k[3]; }
        switch ($s) {
          case 0:
            if (($t = callee[__PLAIN]($d + 1, x)) === __pending) return __park(__s[0], [level, this, 1, x]);
          case 1:
            if ($s === 1) $t = __resumed();
            return $t + 1;
        }
      }, 'level');
    }
    const driver = g.fn(function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += __callp(top[__PLAIN](__depth(), i), __s[0]) ? yield __pending : __result(); return s; }, 'driver');
    return () => run(driver);
  })()`;

const asyncLeaf = { suspends: 'return await Promise.resolve(x);', noSuspend: 'if (x < 0) await Promise.resolve(x); return x;' };
const variants = {
  async: (depth, leaf) => [`(() => {
    let top = async (x) => { ${asyncLeaf[leaf]} };
    for (let i = 0; i < ${depth - 1}; i++) { const callee = top; top = async function level(x) { return (await callee(x)) + 1; }; }
    return async () => { let s = 0; for (let i = 0; i < CALLS; i++) s += await top(i); return s; };
  })()`],
  genBefore: (depth, leaf) => [generators(depth, leaf), copyOf(OLD, 'old')],
  generators: (depth, leaf) => [generators(depth, leaf), copyOf(NEW, 'gen')],
  plainFirst: (depth, leaf) => [plainFirst(depth, leaf), copyOf(NEW, 'plain')],
};

(async () => {
  console.log(`node ${process.version}, ${BATCHES} batches of ${CALLS} calls, ns per call (CPU, median) and ratio to async/await`);
  for (const leaf of LEAVES) {
    for (const depth of DEPTHS) {
      const expected = (CALLS * (CALLS - 1)) / 2 + (depth - 1) * CALLS;
      const chosen = Object.entries(variants).filter(([name]) => !process.env.ONLY || name === 'async' || process.env.ONLY.split(',').includes(name)).map(([name, make]) => {
        const [source, dir] = make(depth, leaf);
        return { name, run: compileVariant(`plain-first-${name}-${leaf}-${depth}.js`, source, dir, CALLS) };
      });
      report(await timeInterleaved(chosen, BATCHES, CALLS, expected), `${leaf.padEnd(9)} depth ${String(depth).padEnd(3)} `);
    }
  }
})();
