import test from 'ava';
import { run, sleep, yieldNow } from '../../runtime/index.js';
import { call, g, gfn } from './support.js';

/** Run a green array helper in a thread. */
function helper(name: keyof typeof g.array, ...args: unknown[]): Promise<unknown> {
  return run(gfn(`run ${name}`, function* () {
    return yield (g.array[name] as (...a: unknown[]) => Generator)(...args);
  }));
}

/**
 * The same callback as a suspending green function (suspends on every call), as a green function
 * that could suspend but does not (it runs inline and returns at once), and as a plain one.
 */
function both<A extends unknown[], R>(plain: (...args: A) => R) {
  const suspending = gfn(`green ${plain.name}`, function* (...args: A) {
    yield call(yieldNow);
    return plain(...args);
  });
  const notSuspending = gfn(`green ${plain.name}, not suspending`, function* (...args: A) {
    if (args.length < 0) yield call(yieldNow);
    return plain(...args);
  });
  return { plain, suspending, notSuspending };
}

const SAMPLES: unknown[][] = [[], [3, 1, 2], [5, , 7, undefined, 0], ['b', 'a', 'c', 'a'], Array.from({ length: 50 }, (_, i) => (i * 37) % 11)];

const CASES: [keyof typeof g.array, (...a: any[]) => unknown, (xs: unknown[], cb: any) => unknown][] = [
  ['map', (v: unknown, i: number) => `${String(v)}@${i}`, (xs, cb) => xs.map(cb)],
  ['filter', (v: unknown, i: number) => i % 2 === 0, (xs, cb) => xs.filter(cb)],
  ['find', (v: unknown) => v === undefined || v === 'a' || v === 2, (xs, cb) => xs.find(cb)],
  ['findIndex', (v: unknown) => v === undefined || v === 'a' || v === 2, (xs, cb) => xs.findIndex(cb)],
  ['findLast', (v: unknown) => v === undefined || v === 'a' || v === 2, (xs, cb) => xs.findLast(cb)],
  ['findLastIndex', (v: unknown) => v === undefined || v === 'a' || v === 2, (xs, cb) => xs.findLastIndex(cb)],
  ['some', (v: unknown) => v === 7 || v === 'c', (xs, cb) => xs.some(cb)],
  ['every', (v: unknown) => v !== 'c', (xs, cb) => xs.every(cb)],
  ['flatMap', (v: unknown, i: number) => (i % 2 ? [v, [v]] : v), (xs, cb) => xs.flatMap(cb)],
];

for (const [name, fn, builtin] of CASES) {
  test(`array.${name} matches the builtin (results and calls), with green and plain callbacks`, async (t) => {
    for (const sample of SAMPLES) {
      const calls: unknown[] = [];
      const record = (...args: unknown[]) => {
        calls.push(args.slice(0, 2));
        return fn(...args);
      };
      const expected = builtin(sample.slice(), record);
      const expectedCalls = calls.splice(0);
      const { plain, suspending, notSuspending } = both(record);
      for (const cb of [plain, suspending, notSuspending]) {
        t.deepEqual(await helper(name, sample.slice(), cb), expected, `${name} ${JSON.stringify(sample)}`);
        t.deepEqual(calls.splice(0), expectedCalls);
      }
    }
  });
}

test('array.forEach visits what the builtin visits, skipping holes; thisArg is passed', async (t) => {
  const sample = [1, , 3];
  const seen: unknown[] = [];
  const context = { tag: 'ctx' };
  const cb = gfn('visit', function* (this: { tag: string }, v: unknown, i: number) {
    yield call(sleep, 0);
    seen.push([this.tag, v, i]);
  });
  t.is(await helper('forEach', sample, cb, context), undefined);
  t.deepEqual(seen, [['ctx', 1, 0], ['ctx', 3, 2]]);
});

test('array.reduce and reduceRight match the builtins, with and without an initial value', async (t) => {
  const { plain, suspending } = both((acc: string, v: unknown, i: number) => `${acc}|${String(v)}${i}`);
  for (const sample of [[1, 2, 3], [, 'x', , 'y'], ['only']]) {
    for (const cb of [plain, suspending]) {
      t.is(await helper('reduce', sample.slice(), cb), sample.reduce(plain as never));
      t.is(await helper('reduce', sample.slice(), cb, 'init'), sample.reduce(plain as never, 'init'));
      t.is(await helper('reduceRight', sample.slice(), cb), sample.reduceRight(plain as never));
      t.is(await helper('reduceRight', sample.slice(), cb, 'init'), sample.reduceRight(plain as never, 'init'));
    }
  }
  // An explicit undefined initial value counts as one.
  t.is(await helper('reduce', [], suspending, undefined), undefined);
});

test('array.reduce of an empty array (or only holes) without initial value throws the builtin TypeError', async (t) => {
  const { suspending } = both((a: number, b: number) => a + b);
  const builtin = t.throws(() => ([] as number[]).reduce((a, b) => a + b));
  for (const name of ['reduce', 'reduceRight'] as const) {
    for (const sample of [[], [, ,]]) {
      const error = await t.throwsAsync(helper(name, sample, suspending), { instanceOf: TypeError });
      t.is(error!.message, builtin!.message);
    }
  }
});

test('array.sort is stable and matches the builtin; undefined last, holes removed to the end', async (t) => {
  const people = Array.from({ length: 200 }, (_, i) => ({ age: (i * 7919) % 13, id: i }));
  const byAge = (a: { age: number }, b: { age: number }) => a.age - b.age;
  const { suspending } = both(byAge);
  const sorted = (await helper('sort', [...people], suspending)) as typeof people;
  t.deepEqual(sorted, [...people].sort(byAge));
  // Stability: within one age, ids stay ascending.
  for (let i = 1; i < sorted.length; i++) if (sorted[i - 1].age === sorted[i].age) t.true(sorted[i - 1].id < sorted[i].id);

  const sparse = [3, undefined, , 1, 2, , undefined];
  const numeric = both((a: number, b: number) => a - b);
  const expected = sparse.slice().sort(numeric.plain as never);
  const actual = (await helper('sort', sparse.slice(), numeric.suspending)) as unknown[];
  t.deepEqual(actual, expected);
  t.is(actual.length, expected.length);
  t.deepEqual(Object.keys(actual), Object.keys(expected));
  // Sorting is in place: the receiver is returned.
  const receiver = [2, 1];
  t.is(await helper('sort', receiver, numeric.suspending), receiver);
  t.deepEqual(receiver, [1, 2]);
  // Without a comparator: the builtin's string order.
  t.deepEqual(await helper('sort', [10, 9, 1], undefined), [1, 10, 9]);
  // A NaN comparison is treated as 0 (keeps order).
  t.deepEqual(await helper('sort', [3, 1, 2], both(() => NaN).suspending), [3, 1, 2]);
});

test('array.from maps iterables as they are iterated, and array-likes', async (t) => {
  const { plain, suspending } = both((v: unknown, i: number) => `${String(v)}${i}`);
  for (const cb of [plain, suspending]) {
    t.deepEqual(await helper('from', new Set(['a', 'b']), cb), Array.from(new Set(['a', 'b']), plain));
    t.deepEqual(await helper('from', { length: 2, 0: 'x' }, cb), Array.from({ length: 2, 0: 'x' }, plain));
    t.deepEqual(await helper('from', 'hi', cb), Array.from('hi', plain));
  }
  // The iterator is closed when the callback throws.
  let closed = false;
  const iterable = {
    [Symbol.iterator]() {
      return { next: () => ({ done: false, value: 1 }), return: () => ((closed = true), { done: true, value: undefined }) };
    },
  };
  const failing = gfn('failing', function* () {
    yield call(yieldNow);
    throw new Error('stop');
  });
  await t.throwsAsync(helper('from', iterable, failing), { message: 'stop' });
  t.true(closed);
});

test('array.collectionForEach iterates Map (value, key, map) and Set (value, value, set)', async (t) => {
  const map = new Map([['k1', 1], ['k2', 2]]);
  const set = new Set(['a', 'b']);
  const seen: unknown[] = [];
  const cb = gfn('cb', function* (v: unknown, k: unknown, c: unknown) {
    yield call(yieldNow);
    seen.push([v, k, c === map || c === set]);
  });
  await helper('collectionForEach', map, cb);
  await helper('collectionForEach', set, cb);
  t.deepEqual(seen, [[1, 'k1', true], [2, 'k2', true], ['a', 'a', true], ['b', 'b', true]]);
});

test('array helpers reject a non-callable callback like the builtins', async (t) => {
  const builtin = t.throws(() => [1].map(5 as never));
  const error = await t.throwsAsync(helper('map', [1], 5), { instanceOf: TypeError });
  t.is(error!.message, builtin!.message);
});

test('a callback that throws stops the helper with its error, thrown before or after a suspension', async (t) => {
  const visited: number[] = [];
  const early = gfn('early', function* (v: number) {
    visited.push(v);
    if (v === 2) throw new Error(`bad ${v}`);
    return v;
  });
  const late = gfn('late', function* (v: number) {
    visited.push(v);
    yield call(yieldNow);
    if (v === 2) throw new Error(`bad ${v}`);
    return v;
  });
  for (const cb of [early, late]) {
    visited.length = 0;
    await t.throwsAsync(helper('map', [1, 2, 3], cb), { message: 'bad 2' });
    t.deepEqual(visited, [1, 2], cb.name);
  }
});
