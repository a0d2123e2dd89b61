// Stress mode (issue 8): the transformer option `stress: true` colors every function that can
// legally be colored and inserts a suspension before every call, so that existing programs exercise
// the rewrite everywhere. Their output must not change.
//
// The option is GreenOptions.stress (a boolean), implemented in transformer/stress.ts; the rules it
// follows are pinned down one by one in stress-rules.test.ts. These tests still run only when
// transformer/index.ts exports `capabilities = { stress: true }` (it does), and would otherwise be
// registered as skipped with the message "stress option not implemented" in their titles (never
// skipped silently).
import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, fixtureCompilerOptions, jsName, listFixtures, outRoot, runNode } from '../transform/harness.js';
import { fuzz, stopRunners } from './fuzz.js';
import { checkHostile, hostileUnits } from './hostile.js';
import { stressSupported, OUT_ROOT } from './compile.js';

const supported = stressSupported();
const NOT = ' (skipped: stress option not implemented: transformer/index.ts exports no capabilities.stress === true)';
type Body = (t: ExecutionContext) => void | Promise<void>;
const stressTest = (title: string, fn: Body) => (supported ? test.serial(title, fn) : test.skip(title + NOT, fn));
if (!supported) console.log(`stress tests skipped: stress option not implemented (transformer/index.ts exports no capabilities.stress === true)`);

stressTest('stress: a plain function reached from green code is colored, with a suspension before each call', (t) => {
  const dir = path.join(OUT_ROOT, 'stress-unit');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, [
    'function helper(x: number): number { return Math.max(x, 1) + 1; }',
    '/** @green */',
    'async function main() { console.log(helper(2)); }',
    'main();',
    '',
  ].join('\n'));
  const r = compile([file], path.join(dir, 'out'), { transform: true, rootDir: dir, green: { stress: true } });
  t.deepEqual(r.diagnostics.map((d) => d.messageText), []);
  const js = [...r.files.values()].join('\n');
  t.regex(js, /__g\.link\(helper,/, 'helper is rewritten into a body');
  // the plain (builtin) call Math.max and the green call helper(2) are each preceded by a suspension
  t.true((js.match(/yield/g) ?? []).length >= 3, js);
  const run = runNode(path.join(r.outDir, 'main.js'));
  t.is(run.stdout, '3\n', run.stderr);
});

stressTest('stress: every runnable fixture prints its expected.out', (t) => {
  let ran = 0;
  for (const fx of listFixtures()) {
    if (fx.config.run === false) continue;
    const expectedFile = path.join(fx.dir, 'expected.out');
    if (!fs.existsSync(expectedFile)) continue;
    const out = path.join(outRoot, 'stress', fx.group, fx.name);
    const r = compile(fx.files, out, { transform: true, rootDir: fx.dir, compilerOptions: fixtureCompilerOptions(fx), green: { stress: true } });
    const run = runNode(path.join(out, path.relative(fx.dir, jsName(fx.main))), ['--enable-source-maps']);
    t.is(run.stdout, fs.readFileSync(expectedFile, 'utf8'), `${fx.group}/${fx.name} in stress mode\n${r.formatted}${run.stderr}`);
    ran++;
  }
  t.true(ran > 0);
});

for (const start of [0, 25]) {
  stressTest(`stress: fuzz programs ${start}..${start + 24} of seed 1 print the same in stress mode`, async (t) => {
    const r = await fuzz({ seed: 1, start, count: 25, batchSize: 25, minimise: false, transformerOptions: { stress: true }, outDir: path.join(OUT_ROOT, `ci-stress-${start}`) });
    t.deepEqual(r.mismatches.map((m) => `index=${m.index} kind=${m.kind}: ${m.detail.split('\n')[0]}`), []);
  });
}

stressTest('stress: 100 hostile mutants never crash the transformer in stress mode', (t) => {
  const failures = checkHostile(path.join(OUT_ROOT, 'hostile-stress'), hostileUnits(2, 100), { transformerOptions: { stress: true } });
  t.deepEqual(failures.map((f) => `${f.kind} ${f.name} from ${f.origin}: ${f.detail.split('\n')[0]}`), []);
});

test.after.always(() => stopRunners());
