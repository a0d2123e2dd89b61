// Scratch experiment (bench/results/runtime.md, "Session 4"): the emitted shape and runtime of an
// earlier build against today's, and async/await, in one process, small interleaved batches,
// medians of per-batch CPU time. Each side loads its own copy of the runtime (its own dist
// directory), and each variant is compiled from its own source text, so no function literal and
// no type feedback is shared.
//   async      the depth-10 chain with async/await;
//   yielded    every green call yielded to the trampoline: `(yield __g.at(site, frame))`, the shape
//              up to session 3 (its `at` took the site first), on that build's runtime;
//   inline     today's shape, `(__g.call(frame, __s[k]) ? (yield __g.PENDING) : __g.result())`, on
//              today's runtime;
//   yieldedToday  the yielded shape on today's runtime (`at` takes the frame first now).
// Both chain kinds of the runtime benchmark: the leaf suspends once (a resolved promise), or could
// suspend but does not.
// Not built, not part of the product. Run after `npm run build`, with an earlier build's dist, e.g.
//   git worktree add /tmp/old fafbf7b && (cd /tmp/old && ln -s "$PWD/node_modules" . && npx tsc)
//   node bench/experiments/shape-compare.js /tmp/old/dist/runtime [today's dist/runtime] [batches]
'use strict';
const { compileVariant, timeInterleaved, report } = require('./batches.js');
const path = require('node:path');
const OLD = path.resolve(process.argv[2]);
const NEW = path.resolve(process.argv[3] || `${__dirname}/../../dist/runtime`);
const BATCHES = Number(process.argv[4] || 100);
const CALLS = 2000;

const leaves = {
  suspends: { green: (call) => `return ${call('g.wait[BODY](Promise.resolve(x))', true)};`, async: 'return await Promise.resolve(x);' },
  noSuspend: { green: (call) => `if (x < 0) ${call('g.wait[BODY](Promise.resolve(x))', true)}; return x;`, async: 'if (x < 0) await Promise.resolve(x); return x;' },
};
// How each shape writes a green call of `frame` (`isWait`: the leaf's `await`, yielded in both).
const shapes = {
  yielded: (frame) => `(yield g.at(__s[0], ${frame}))`,
  yieldedToday: (frame) => `(yield g.at(${frame}, __s[0]))`,
  inline: (frame, isWait) => (isWait ? `(yield g.at(${frame}, __s[0]))` : `(g.call(${frame}, __s[0]) ? yield g.PENDING : g.result())`),
};
function greenSource(shape, leaf) {
  const call = shapes[shape];
  return `(() => {
    const g = require(RT + '/internal.js'), { run } = require(RT + '/index.js');
    const BODY = g.BODY, __s = g.sites('compare.js', ['level', 1, 1]);
    let top = g.fn(function* leaf(x) { ${leaves[leaf].green(call)} }, 'leaf');
    for (let i = 0; i < 9; i++) { const callee = top; top = g.fn(function* level(x) { return ${call('callee[BODY](x)')} + 1; }, 'level'); }
    const driver = g.fn(function* driver() { let s = 0; for (let i = 0; i < CALLS; i++) s += ${call('top[BODY](i)')}; return s; }, 'driver');
    return () => run(driver);
  })()`;
}
function asyncSource(leaf) {
  return `(() => {
    let top = async (x) => { ${leaves[leaf].async} };
    for (let i = 0; i < 9; i++) { const callee = top; top = async function level(x) { return (await callee(x)) + 1; }; }
    return async () => { let s = 0; for (let i = 0; i < CALLS; i++) s += await top(i); return s; };
  })()`;
}
(async () => {
  const expected = (CALLS * (CALLS - 1)) / 2 + 9 * CALLS;
  console.log(`node ${process.version}, ${BATCHES} batches of ${CALLS} calls, ns per call (CPU, median) and ratio to async/await`);
  for (const leaf of Object.keys(leaves)) {
    const variants = [
      { name: 'async', run: compileVariant(`compare-async-${leaf}.js`, asyncSource(leaf), undefined, CALLS) },
      { name: 'yielded', run: compileVariant(`compare-yielded-${leaf}.js`, greenSource('yielded', leaf), OLD, CALLS) },
      { name: 'inline', run: compileVariant(`compare-inline-${leaf}.js`, greenSource('inline', leaf), NEW, CALLS) },
      { name: 'yieldedToday', run: compileVariant(`compare-yieldedToday-${leaf}.js`, greenSource('yieldedToday', leaf), NEW, CALLS) },
    ];
    report(await timeInterleaved(variants, BATCHES, CALLS, expected), `${leaf.padEnd(10)} `);
  }
})();
