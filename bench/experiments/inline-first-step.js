// Scratch experiment (bench/results/runtime.md, "Two emitted shapes tried"): the call shape of
// runtime/protocol.ts against an "inline first step" shape, where the caller runs the callee's
// generator inline until its first yield and hands it to the trampoline only then. Needs a copy of
// dist/runtime whose trampoline installs the handed-over frames (the patch is described in
// runtime.md); run: node bench/experiments/inline-first-step.js <patched runtime dir>.
// Not built, not part of the product.
const rt = process.argv[2] || '/work/main/dist/runtime';
const g = require(rt + '/internal.js');
const { run } = require(rt + '/index.js');
const tr = require(rt + '/trampoline.js');
const BODY = g.BODY;
const site = g.sites('x.ts', ['level', 1, 1])[0];
const waitBody = g.wait[BODY];
const leafS = g.fn(function* leaf(x) { return yield waitBody(Promise.resolve(x)); }, 'leaf');
const leafN = g.fn(function* leaf(x) { if (x < 0) yield waitBody(Promise.resolve(x)); return x; }, 'leaf');
function chainA(depth, leaf) { let next = leaf; for (let i = 0; i < depth - 1; i++) { const callee = next; next = g.fn(function* level(x) { return (yield g.at(callee[BODY](x), site)) + 1; }, 'level'); } return next; }
function chainD(depth, leaf) { let next = leaf; for (let i = 0; i < depth - 1; i++) { const callee = next; next = g.fn(function* level(x) {
  const fr = callee[BODY](x); const r = fr.next();
  return (r.done ? r.value : yield tr.handoff(fr, r.value)) + 1; }, 'level'); } return next; }
function chainAsync(depth, leaf) { let next = leaf; for (let i = 0; i < depth - 1; i++) { const callee = next; next = async function level(x) { return (await callee(x)) + 1; }; } return next; }
const N = 20000;
function cpu() { const c = process.cpuUsage(); return (c.user + c.system) * 1e3; }
async function timeGreen(top) { const t0 = cpu(); const s = await run(g.fn(function* driver() { let s = 0; for (let i = 0; i < N; i++) s += yield g.at(top[BODY](i), site); return s; }, 'driver')); if (s !== N * (N - 1) / 2 + 9 * N) throw new Error('wrong ' + s); return (cpu() - t0) / N; }
async function timeAsync(top) { const t0 = cpu(); let s = 0; for (let i = 0; i < N; i++) s += await top(i); return (cpu() - t0) / N; }
(async () => {
  for (const [label, leaf, aleaf] of [['suspend-once', leafS, async (x) => await Promise.resolve(x)], ['no-suspend', leafN, async (x) => { if (x < 0) await Promise.resolve(x); return x; }]]) {
    const A = chainA(10, leaf), D = process.argv[2] ? chainD(10, leaf) : A, X = chainAsync(10, aleaf);
    const r = { A: [], D: [], X: [] };
    for (let round = 0; round < 21; round++) {
      const order = round % 2 ? ['A', 'D', 'X'] : ['X', 'D', 'A'];
      for (const k of order) { const v = k === 'X' ? await timeAsync(X) : await timeGreen({ A, D }[k]); if (round > 2) r[k].push(v); }
    }
    const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
    console.log(label, 'current', (med(r.A) / med(r.X)).toFixed(3), 'inline-first-step', (med(r.D) / med(r.X)).toFixed(3), 'async ns', med(r.X).toFixed(0));
  }
})();
