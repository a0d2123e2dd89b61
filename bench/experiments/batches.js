// Shared by the scratch experiments in this folder: compile a variant from its own source text,
// and time variants in small interleaved batches (the host changes speed over seconds; small
// batches let every variant see the same host), medians of per-batch CPU time per call.
'use strict';
const vm = require('node:vm');

/**
 * Compile `source` (an expression that yields `() => Promise<sum>`) in its own script, so no
 * function literal or type feedback is shared with another variant. `RT` is a runtime dist
 * directory, `CALLS` the calls per batch.
 */
function compileVariant(filename, source, rt, calls) {
  return vm.runInThisContext(`((require, RT, CALLS) => ${source})`, { filename })(require, rt, calls);
}

const cpuNs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1e3;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Run `variants` ({ name, run }) in `batches` interleaved batches after 10 warm-up ones, alternating
 * the order; each run must return `expected`. Returns [{ name, ns }] (median CPU ns per call), in order.
 */
async function timeInterleaved(variants, batches, calls, expected) {
  const times = variants.map(() => []);
  for (let batch = 0; batch < batches + 10; batch++) {
    const order = batch % 2 ? variants.map((_, i) => i) : variants.map((_, i) => variants.length - 1 - i);
    for (const i of order) {
      const t0 = cpuNs();
      const sum = await variants[i].run();
      const ns = (cpuNs() - t0) / calls;
      if (sum !== expected) throw new Error(`${variants[i].name}: wrong result ${sum}`);
      if (batch >= 10) times[i].push(ns);
    }
  }
  return variants.map((v, i) => ({ name: v.name, ns: median(times[i]) }));
}

/** One line per variant: name, median ns per call, ratio to the first variant. */
function report(results, label = '') {
  const base = results[0].ns;
  for (const r of results) console.log(`${label}${r.name.padEnd(12)} ${r.ns.toFixed(0).padStart(6)} ns  ${(r.ns / base).toFixed(3)}`);
}

module.exports = { compileVariant, timeInterleaved, report };
