// Unit checks of the fuzz machinery itself: reproducibility, well-typedness, and the minimiser.
import test from 'ava';
import { generateProgram } from './generator.js';
import { Rng, mixSeed } from './rng.js';
import { minimise } from './minimise.js';
import { compileBatch, OUT_ROOT } from './compile.js';
import * as path from 'node:path';

test('a program is a function of (seed, index) only', (t) => {
  t.is(generateProgram(5, 17).source, generateProgram(5, 17).source);
  t.not(generateProgram(5, 17).source, generateProgram(5, 18).source);
  t.not(generateProgram(5, 17).source, generateProgram(6, 17).source);
});

test('seed mixing does not collide on seed ^ index', (t) => {
  t.not(mixSeed(7, 199), mixSeed(1, 193));
  const seen = new Set<number>();
  for (let s = 0; s < 20; s++) for (let i = 0; i < 200; i++) seen.add(mixSeed(s, i));
  t.is(seen.size, 4000);
});

test('the PRNG stays in range', (t) => {
  const r = new Rng(1);
  for (let i = 0; i < 1000; i++) {
    const x = r.int(3, 7);
    t.true(x >= 3 && x <= 7);
  }
});

test('generated programs type-check (a sample of 20)', (t) => {
  const units = Array.from({ length: 20 }, (_, i) => ({ name: `g${i}`, source: generateProgram(99, i).source }));
  const compiled = compileBatch(path.join(OUT_ROOT, 'generator-test'), units, { transform: false, plain: false });
  t.deepEqual(compiled.filter((c) => c.typeErrors.length > 0).map((c) => `${c.name}: ${c.typeErrors.join('\n')}`), []);
});

test('the minimiser keeps what the predicate needs and drops the rest', async (t) => {
  const src = [
    'function a(): number { return 1; }',
    'function b(): number { return 2; }',
    'function c(x: number): number {',
    '  if (x > 1) { console.log("big"); } else { console.log("small"); }',
    '  for (let i = 0; i < 3; i++) { console.log(i); }',
    '  return x + a();',
    '}',
    'console.log(c(b()), "NEEDLE");',
    '',
  ].join('\n');
  const out = await minimise(src, async (s) => s.includes('NEEDLE') && s.includes('console.log(c('));
  t.true(out.includes('NEEDLE'));
  t.false(out.includes('function a'));
  t.false(out.includes('for (let i'));
});
