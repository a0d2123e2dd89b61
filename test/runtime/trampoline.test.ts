import test from 'ava';
import { Event, run, sleep, spawn, suspend, wait, current } from '../../runtime/index.js';
import { Ready, Suspension } from '../../runtime/suspension.js';
import { call, callMethod, g, gfn } from './support.js';

test('a green call that never suspends runs to the end before spawn returns (no microtask)', (t) => {
  const add = gfn('add', function* (a: number, b: number) {
    return a + b;
  });
  const sum3 = gfn('sum3', function* (a: number, b: number, c: number) {
    const ab = (yield call(add, a, b)) as number;
    return (yield call(add, ab, c)) as number;
  });
  let result: unknown;
  const thread = spawn(
    gfn('main', function* () {
      result = yield call(sum3, 1, 2, 3);
      return result;
    }),
  );
  t.true(thread.done);
  t.is(result, 6);
});

test('suspend whose start resumes synchronously continues in the same loop', (t) => {
  const order: string[] = [];
  const thread = spawn(
    gfn('main', function* () {
      order.push('before');
      const v = (yield call(suspend<number>, (resume) => resume(null, 42))) as number;
      order.push(`after ${v}`);
      return v;
    }),
  );
  order.push('spawn returned');
  t.true(thread.done);
  t.deepEqual(order, ['before', 'after 42', 'spawn returned']);
});

test('wait on a non-promise value returns it without suspending', (t) => {
  const thread = spawn(gfn('main', function* () {
    return yield call(wait, 7);
  }));
  t.true(thread.done);
});

test('200,000-deep recursion with a suspension at every level works (explicit stack)', async (t) => {
  const depth = gfn('depth', function* (n: number): Generator<unknown, number, unknown> {
    if (n === 0) return 0;
    if (n % 2 === 0) yield call(suspend<void>, (resume) => void setImmediate(resume, null));
    else yield call(suspend<void>, (resume) => resume(null)); // synchronous resume: same loop
    const below = (yield g.at(call(depth, n - 1), SITE)) as number;
    yield call(suspend<void>, (resume) => resume(null));
    return below + 1;
  });
  const SITE = g.sites('test/depth.ts', ['depth', 3, 7])[0];
  t.is(await run(gfn('main', function* () {
    return yield call(depth, 200_000);
  })), 200_000);
});

test('200,000-deep recursion can fail at the bottom and unwind through every frame', async (t) => {
  let finallies = 0;
  const SITE = g.sites('test/deep.ts', ['dive', 9, 11])[0];
  const dive = gfn('dive', function* (n: number): Generator<unknown, number, unknown> {
    try {
      if (n === 0) {
        yield call(sleep, 1);
        throw new Error('bottom');
      }
      return (yield g.at(call(dive, n - 1), SITE)) as number;
    } finally {
      finallies++;
    }
  });
  const error = await t.throwsAsync(run(g.bind(dive, null, 200_000) as () => number));
  t.is(error?.message, 'bottom');
  t.is(finallies, 200_001);
  // The 200,000 identical frames are shown once with a count.
  t.regex(error!.stack!, /at dive \(test\/deep\.ts:9:11\)\n {4}\[previous line repeated 199999 more times\]/);
});

test('a plain callee reached through dyn resumes with its value (Ready)', async (t) => {
  const plain = (x: number) => x * 3;
  const greenTimes = gfn('greenTimes', function* (x: number) {
    yield call(sleep, 1);
    return x * 5;
  });
  const result = await run(gfn('main', function* () {
    const a = (yield g.dyn(plain, undefined, [2])) as number;
    const b = (yield g.dyn(greenTimes, undefined, [2])) as number;
    return [a, b];
  }));
  t.deepEqual(result, [6, 10]);
  t.true(g.dyn(plain, undefined, [1]) instanceof Ready);
});

test('the trampoline is not re-entered: a thread woken by another runs after the waker parks', async (t) => {
  const event = new Event();
  const order: string[] = [];
  const waiter = spawn(gfn('waiter', function* () {
    order.push('waiter parks');
    yield callMethod(event, 'wait');
    order.push('waiter resumed');
  }));
  const setter = spawn(gfn('setter', function* () {
    order.push('setter sets');
    event.set();
    order.push('setter continues');
    t.is(current()?.name, 'setter');
    yield call(sleep, 1);
    order.push('setter done');
  }));
  await Promise.all([waiter.promise, setter.promise]);
  t.deepEqual(order, ['waiter parks', 'setter sets', 'setter continues', 'waiter resumed', 'setter done']);
});

test('a thread started from green code runs once the current thread parks, in the same tick', async (t) => {
  const order: string[] = [];
  await run(gfn('parent', function* () {
    const child = spawn(gfn('child', function* () {
      order.push('child');
    }));
    order.push('parent before park');
    t.false(child.done);
    yield call(suspend<void>, (resume) => {
      order.push('parent parked');
      resume(null);
    });
    order.push('parent after sync resume');
    yield call(sleep, 0);
    t.true(child.done);
  }));
  t.deepEqual(order, ['parent before park', 'parent parked', 'parent after sync resume', 'child']);
});

test('resuming a frame costs one step at any depth: only the top frame is touched', async (t) => {
  // A leaf parked under 1,000 frames resumes 1,000 times; each resume calls next() on the leaf
  // frame only (counted through a Proxy-free probe: the frames below never run in between).
  let belowRuns = 0;
  let resumes = 0;
  const leaf = gfn('leaf', function* () {
    for (let i = 0; i < 1000; i++) {
      yield call(suspend<void>, (resume) => void setImmediate(resume, null));
      resumes++;
    }
  });
  const layer = gfn('layer', function* (n: number): Generator<unknown, void, unknown> {
    if (n === 0) yield call(leaf);
    else yield call(layer, n - 1);
    belowRuns++;
  });
  await run(g.bind(layer, null, 1000) as () => void);
  t.is(resumes, 1000);
  t.is(belowRuns, 1001); // each layer resumed exactly once, when its callee returned
});

test('Suspension and Ready are the only non-frame values a frame yields', (t) => {
  t.true(new Suspension('x', () => undefined) instanceof Suspension);
  t.is(new Ready(3).value, 3);
});
