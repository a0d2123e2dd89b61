// Hostile input (issue 8): 300 seeded mutants of the fixture sources (and of a few generated
// programs) go through createGreenTransformers and the transformed emit. The transformer must
// return diagnostics, never throw, never report an internal error, never emit JS that does not
// parse. Serial chunks keep each test inside ava's inactivity timeout.
// Reproduce: node dist/test/fuzz/cli.js --hostile --seed 1 --count 300
import test from 'ava';
import * as path from 'node:path';
import { checkHostile, hostileUnits } from './hostile.js';

const SEED = 1;
const COUNT = 300;
const CHUNK = 50;
const units = hostileUnits(SEED, COUNT);

for (let start = 0; start < COUNT; start += CHUNK) {
  test.serial(`hostile: mutants ${start}..${start + CHUNK - 1} of seed ${SEED} never crash the transformer`, (t) => {
    const dir = path.join(__dirname, '../../../test/.out/fuzz', `hostile-ci-${SEED}-${start}`);
    const failures = checkHostile(dir, units.slice(start, start + CHUNK));
    t.deepEqual(
      failures.map((f) => `${f.kind} ${f.name} (${f.file}) from ${f.origin}\n  ${f.detail.split('\n').slice(0, 4).join('\n  ')}`).join('\n'),
      '',
    );
  });
}

test('hostile: the mutator is reproducible', (t) => {
  const again = hostileUnits(SEED, 5);
  t.deepEqual(again.map((u) => u.source), units.slice(0, 5).map((u) => u.source));
  t.true(units.some((u, i) => u.source !== units[(i + 1) % units.length]!.source));
});
