// Scratch experiment (bench/results/runtime.md, "Session 5"): what V8's generator machinery itself
// costs, the part of a green call no runtime change can remove. Tight loops, best of 7 runs, ns
// per operation. A green level that suspends once pays "create + first step" and "one more
// step" (its caller's yield and resume); one that does not suspend pays "create + first step".
// Not built, not part of the product. Run: node bench/experiments/generator-cost.js
'use strict';
const N = 5e6;
const next = Object.getPrototypeOf(function* () {}).prototype.next;
function* returnsAtOnce(x) { return x + 1; }
function* yieldsOnce(x) { const y = yield 1; return x + y; }
async function asyncReturnsAtOnce(x) { return x + 1; }
const kept = new Array(1024);

function best(label, loop) {
  let min = Infinity;
  for (let run = 0; run < 7; run++) {
    const t0 = process.hrtime.bigint();
    const sink = loop();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / N);
    if (sink === -1) console.log('unreachable');
  }
  console.log(`${label.padEnd(44)} ${min.toFixed(1).padStart(6)} ns`);
  return min;
}

console.log(`node ${process.version}, ${N} iterations, best of 7`);
const create = best('create a generator (kept, so not optimised away)', () => {
  for (let i = 0; i < N; i++) kept[i & 1023] = returnsAtOnce(i);
  return 0;
});
const firstStep = best('create + first step (it returns)', () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += next.call(returnsAtOnce(i), undefined).value;
  return s;
});
const twoSteps = best('create + two steps (it yields once, resumed)', () => {
  let s = 0;
  for (let i = 0; i < N; i++) {
    const frame = yieldsOnce(i);
    next.call(frame, undefined);
    s += next.call(frame, 2).value;
  }
  return s;
});
best('call an async function that returns at once', () => {
  for (let i = 0; i < N; i++) kept[i & 1023] = asyncReturnsAtOnce(i);
  return 0;
});
console.log(`first step alone ~${(firstStep - create).toFixed(1)} ns, one more step (yield and resume) ~${(twoSteps - firstStep).toFixed(1)} ns`);
