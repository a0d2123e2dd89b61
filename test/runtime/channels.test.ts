import test from 'ava';
import { CancelledError, Event, Queue, Semaphore, TimeoutError, all, run, sleep, spawn, timeout, yieldNow } from '../../runtime/index.js';
import { call, callMethod, gfn } from './support.js';

test('Semaphore bounds concurrency to its permits', async (t) => {
  const semaphore = new Semaphore(3);
  let active = 0;
  let peak = 0;
  const worker = gfn('worker', function* () {
    yield callMethod(semaphore, 'acquire');
    try {
      active++;
      peak = Math.max(peak, active);
      yield call(sleep, 1);
      yield call(yieldNow);
      active--;
    } finally {
      semaphore.release();
    }
  });
  await run(gfn('main', function* () {
    yield call(all, Array.from({ length: 20 }, () => worker));
  }));
  t.is(peak, 3);
  t.is(active, 0);
  t.is(semaphore.available, 3);
});

test('Semaphore wakes waiters first come, first served', async (t) => {
  const semaphore = new Semaphore(0);
  const order: number[] = [];
  const waiter = (i: number) =>
    gfn(`w${i}`, function* () {
      yield callMethod(semaphore, 'acquire');
      order.push(i);
    });
  const threads = [0, 1, 2].map((i) => spawn(waiter(i)));
  t.is(semaphore.waiting, 3);
  t.false(semaphore.tryAcquire());
  semaphore.release();
  semaphore.release();
  semaphore.release();
  await Promise.all(threads.map((thread) => thread.promise));
  t.deepEqual(order, [0, 1, 2]);
  t.is(semaphore.available, 0);
});

test('a waiter cancelled or timed out in acquire leaves no stale waiter behind', async (t) => {
  const semaphore = new Semaphore(0);
  const cancelled = spawn(gfn('cancelled', function* () {
    yield callMethod(semaphore, 'acquire');
  }));
  const timedOut = run(gfn('timedOut', function* () {
    yield call(timeout, 5, gfn('acquire', function* () {
      yield callMethod(semaphore, 'acquire');
    }));
  }));
  cancelled.cancel();
  await t.throwsAsync(cancelled.promise, { instanceOf: CancelledError });
  await t.throwsAsync(timedOut, { instanceOf: TimeoutError });
  t.is(semaphore.waiting, 0);
  semaphore.release();
  t.is(semaphore.available, 1); // nobody stale received it
});

test('Event: wait parks until set, wakes every waiter, returns at once while set; clear resets', async (t) => {
  const event = new Event();
  const woke: string[] = [];
  const waiter = (name: string) =>
    gfn(name, function* () {
      yield callMethod(event, 'wait');
      woke.push(name);
    });
  const threads = ['a', 'b', 'c'].map((name) => spawn(waiter(name)));
  await new Promise((r) => setImmediate(r));
  t.deepEqual(woke, []);
  t.false(event.isSet);
  event.set();
  t.true(event.isSet);
  await Promise.all(threads.map((thread) => thread.promise));
  t.deepEqual(woke, ['a', 'b', 'c']);
  t.true(spawn(waiter('d')).done); // already set: no suspension
  event.clear();
  const late = spawn(waiter('e'));
  t.false(late.done);
  late.cancel();
  await t.throwsAsync(late.promise, { instanceOf: CancelledError });
});

test('Queue: FIFO; get parks while empty; put hands items to waiting getters in order', async (t) => {
  const queue = new Queue<number>();
  const got: string[] = [];
  const getter = (name: string) =>
    gfn(name, function* () {
      got.push(`${name}:${yield callMethod(queue, 'get')}`);
    });
  const threads = ['g1', 'g2'].map((name) => spawn(getter(name)));
  const producer = run(gfn('producer', function* () {
    for (const item of [1, 2, 3, 4]) yield callMethod(queue, 'put', item);
  }));
  await producer;
  await Promise.all(threads.map((thread) => thread.promise));
  t.deepEqual(got, ['g1:1', 'g2:2']);
  t.is(queue.size, 2);
  t.deepEqual(await run(gfn('drain', function* () {
    return [yield callMethod(queue, 'get'), yield callMethod(queue, 'get')];
  })), [3, 4]);
});

test('Queue with maxsize: put parks while full, in order', async (t) => {
  const queue = new Queue<number>(2);
  const events: string[] = [];
  const producer = run(gfn('producer', function* () {
    for (let i = 1; i <= 5; i++) {
      yield callMethod(queue, 'put', i);
      events.push(`put ${i}`);
    }
  }));
  await new Promise((r) => setImmediate(r));
  t.deepEqual(events, ['put 1', 'put 2']);
  t.is(queue.size, 2);
  const consumed = await run(gfn('consumer', function* () {
    const items: number[] = [];
    for (let i = 0; i < 5; i++) {
      items.push((yield callMethod(queue, 'get')) as number);
      events.push(`got ${items[i]}`);
    }
    return items;
  }));
  await producer;
  t.deepEqual(consumed, [1, 2, 3, 4, 5]);
  t.is(queue.size, 0);
});

test('Queue maxsize 0 is a rendezvous: put waits for a get', async (t) => {
  const queue = new Queue<string>(0);
  const putter = spawn(gfn('putter', function* () {
    yield callMethod(queue, 'put', 'hand-off');
  }));
  t.false(putter.done);
  t.is(await run(gfn('getter', function* () {
    return yield callMethod(queue, 'get');
  })), 'hand-off');
  await putter.promise;
  t.true(putter.done);
});

test('a getter cancelled while waiting loses no item: the next getter receives it', async (t) => {
  const queue = new Queue<string>();
  const cancelled = spawn(gfn('cancelled', function* () {
    return yield callMethod(queue, 'get');
  }));
  const second = spawn(gfn('second', function* () {
    return yield callMethod(queue, 'get');
  }));
  cancelled.cancel();
  await t.throwsAsync(cancelled.promise, { instanceOf: CancelledError });
  queue.put('item'); // from plain code: an unbounded put never suspends
  t.is(await second.promise, 'item');
});

test('a putter cancelled while the queue is full does not add its item', async (t) => {
  const queue = new Queue<string>(1);
  queue.put('first');
  const blocked = spawn(gfn('blocked', function* () {
    yield callMethod(queue, 'put', 'never');
  }));
  const waiting = spawn(gfn('waiting', function* () {
    yield callMethod(queue, 'put', 'second');
  }));
  blocked.cancel();
  await t.throwsAsync(blocked.promise, { instanceOf: CancelledError });
  const drained = await run(gfn('drain', function* () {
    return [yield callMethod(queue, 'get'), yield callMethod(queue, 'get')];
  }));
  await waiting.promise;
  t.deepEqual(drained, ['first', 'second']);
  t.is(queue.size, 0);
});
