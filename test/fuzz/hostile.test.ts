// Hostile input (issue 8): 300 seeded mutants of the fixture sources (and of a few generated
// programs) go through createGreenTransformers and the transformed emit. The transformer must
// return diagnostics, never throw, never report an internal error, never emit JS that does not
// parse. Serial chunks keep each test inside ava's inactivity timeout.
// Reproduce: node dist/test/fuzz/cli.js --hostile --seed 1 --count 300
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkHostile, hostileUnits, type HostileUnit } from './hostile.js';

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

// Mutants that once broke the emit, kept as they were found (the seeded set above shifts whenever a
// fixture is added, since fixtures are what it mutates).
const found: HostileUnit[] = [
  {
    name: 'found_anonymous_class_declaration',
    origin: 'seed 7 mutant 2 of classes/fields: a class declaration whose name was deleted (emitted `default.prototype`)',
    // the fixture with the mutation applied, so it follows the fixture
    source: fs.readFileSync(path.join(__dirname, '../../../fixtures/classes/fields/main.ts'), 'utf8')
      .replace('class Controller {', 'class  {').replace("prefix = 'ctl'", "prefix ='ctl'"),
  },
  {
    name: 'found_private_method_in_object_literal',
    origin: 'stress seed 2 mutant 68 of methods/classes: a private method parsed into an object literal (emitted an array as one property)',
    source: `import { suspend } from 'green-ts';
function tick<T>(v: T): T { return suspend<T>((resume) => { resume(null, v); }); }
const literal = {
  base: 5,
  add(x: number): number { return tick(x) + this.base; },
  #load(id: number): number { return tick(id); }
};
/** @green */
async function main() { console.log(literal.add(1)); }
main();
`,
  },
];

for (const stress of [false, true]) {
  test(`hostile: inputs found earlier never crash the transformer${stress ? ' (stress mode)' : ''}`, (t) => {
    const dir = path.join(__dirname, '../../../test/.out/fuzz', `hostile-found${stress ? '-stress' : ''}`);
    const failures = checkHostile(dir, found, { transformerOptions: stress ? { stress: true } : {} });
    t.deepEqual(failures.map((f) => `${f.kind} ${f.name}: ${f.detail.split('\n')[0]}`), []);
  });
}
