// CI batch of the differential fuzzer (issue 8): 200 generated programs, fixed seed, must run the
// same untransformed (plain tsc + synchronous stand-ins) and transformed (real runtime).
// Serial chunks of 25 so that each test reports well inside ava's 2-minute inactivity timeout.
// Reproduce a failure: node dist/test/fuzz/cli.js --seed 1 --start <index> --count 1
import test from 'ava';
import { fuzz, stopRunners, type Mismatch } from './fuzz.js';

export const CI_SEED = 1;
export const CI_COUNT = 200;
const CHUNK = 25;

function describe(ms: readonly Mismatch[]): string {
  return ms
    .map((m) => `seed=${m.seed} index=${m.index} kind=${m.kind} program=${m.program}\n  ${m.detail.split('\n').slice(0, 3).join('\n  ')}`)
    .join('\n');
}

for (let start = 0; start < CI_COUNT; start += CHUNK) {
  test.serial(`fuzz: programs ${start}..${start + CHUNK - 1} of seed ${CI_SEED} print the same transformed`, async (t) => {
    const r = await fuzz({ seed: CI_SEED, start, count: CHUNK, batchSize: CHUNK, minimise: false, outDir: `${__dirname}/../../../test/.out/fuzz/ci-${CI_SEED}-${start}` });
    t.is(r.programs, CHUNK);
    t.deepEqual(describe(r.mismatches), '', `${r.mismatches.length} mismatches (minimise one with the CLI: see the header of test/fuzz/fuzz.test.ts)`);
  });
}

test.after.always(() => stopRunners());
