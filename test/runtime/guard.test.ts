import test from 'ava';
import { GreenContextError, green, isGreen, run, sleep, spawn, wait, Semaphore } from '../../runtime/index.js';
import { BODY } from '../../runtime/protocol.js';
import { call, callMethod, entry, g, gfn } from './support.js';

// A suspending function declaration in the emitted shape (protocol.ts).
g.link(find, function* find(id: number): Generator<unknown, string, unknown> {
  if (id < 0) yield call(sleep, 1);
  return `user ${id}`;
});
function find(id: number): string {
  return g.sync((find as unknown as Record<symbol, Function>)[BODY].apply(undefined, [id]), 'find') as string;
}

test('called from plain code, a suspending function completes when nothing on the path suspends', (t) => {
  t.is(find(3), 'user 3');
  const viaArray = [1, 2].map(find);
  t.deepEqual(viaArray, ['user 1', 'user 2']);
});

test('called from plain code, it throws GreenContextError naming it and the fix when it does suspend', (t) => {
  const error = t.throws(() => find(-1), { instanceOf: GreenContextError });
  t.regex(error!.message, /^find\(\) cannot suspend here \(at sleep\(\)\)/);
  t.regex(error!.message, /run\(\(\) => find\(\.\.\.\)\)/);
  t.regex(error!.message, /@green/);
});

test('the guard error is thrown into the frames: finally blocks run, and the operation never starts', (t) => {
  const events: string[] = [];
  const inner = gfn('inner', function* () {
    try {
      yield call(sleep, 60_000); // never started, so no timer keeps the process alive
    } finally {
      events.push('inner finally');
    }
  });
  const outer = gfn('outer', function* () {
    try {
      yield call(inner);
    } finally {
      events.push('outer finally');
    }
  });
  t.throws(() => outer(), { instanceOf: GreenContextError, message: /^outer\(\) cannot suspend here/ });
  t.deepEqual(events, ['inner finally', 'outer finally']);
});

test('inside a green thread, a plain callback calling a suspending function is guarded too', async (t) => {
  const napping = gfn('napping', function* (x: number) {
    yield call(sleep, 1);
    return x;
  });
  const quick = gfn('quick', function* (x: number) {
    return x + 1;
  });
  const result = await run(gfn('main', function* () {
    yield call(sleep, 1);
    const ok = [1, 2].map((x) => quick(x)); // the builtin calls the wrapper: completes
    let message = '';
    try {
      [1].map((x) => napping(x));
    } catch (error) {
      message = (error as Error).message;
    }
    return { ok, message };
  }));
  t.deepEqual(result.ok, [2, 3]);
  t.regex(result.message, /^napping\(\) cannot suspend here \(at sleep\(\)\): it was called from code that green-ts did not rewrite/);
  t.notRegex(result.message, /outside any green thread/);
});

test('a green-only primitive called with no green thread says the transformer may not be applied', (t) => {
  for (const [name, f] of [['sleep', () => sleep(1)], ['wait', () => wait(Promise.resolve(1))], ['Semaphore.acquire', () => new Semaphore(0).acquire()]] as const) {
    const error = t.throws(f, { instanceOf: GreenContextError });
    t.regex(error!.message, new RegExp(`^${name.replace('.', '\\.')}\\(\\) was called outside any green thread`));
    t.regex(error!.message, /transformer may not be applied/);
    t.regex(error!.message, /README "Setup"/);
    t.regex(error!.message, /green-ts\/transformer/);
    t.regex(error!.message, /green-tsc/);
  }
  t.is(wait(5), 5); // nothing to wait for: completes
});

test('__g.fn keeps the name and length; isGreen recognises wrappers', (t) => {
  const load = gfn('load', function* (a: number, b: number) {
    return a + b;
  });
  t.is(load.name, 'load');
  t.is(load.length, 2);
  t.true(isGreen(load));
  t.false(isGreen(() => 1));
  t.false(isGreen(undefined));
});

test('__g.methods wraps class, static and object-literal generator methods in place', async (t) => {
  class Base {
    *find(id: number): Generator<unknown, string, unknown> {
      yield call(sleep, 1);
      return `base ${id}`;
    }
    static *create(): Generator<unknown, string, unknown> {
      return 'created';
    }
  }
  g.methods(Base.prototype, ['find'], []);
  g.methods(Base, ['create'], []);
  class Repo extends Base {
    override *find(id: number): Generator<unknown, string, unknown> {
      const base = (yield (super.find as unknown as Record<symbol, Function>)[BODY].call(this, id)) as string;
      return `${base} via ${this.constructor.name}`;
    }
  }
  g.methods(Repo.prototype, ['find'], []);
  const repo = new Repo();
  t.true(isGreen(repo.find));
  t.is(repo.find.name, 'find');
  t.false(Object.getOwnPropertyDescriptor(Repo.prototype, 'find')!.enumerable);
  t.is((Base as unknown as { create(): string }).create(), 'created'); // guard completes
  t.is(await run(gfn('main', function* () {
    return yield callMethod(repo, 'find', 1);
  })), 'base 1 via Repo');
  t.throws(() => repo.find(1), { instanceOf: GreenContextError, message: /^Repo\.find\(\) cannot suspend here/ });

  const literal = g.methods({ *greet(name: string) { return `hi ${name}`; } }, ['greet'], []);
  t.true(Object.getOwnPropertyDescriptor(literal, 'greet')!.enumerable);
  t.is((literal.greet as unknown as (n: string) => string)('ann'), 'hi ann');
});

test('entry methods and ENTRY wrappers start a thread; dyn calls them plainly (they return promises)', async (t) => {
  const service = g.methods({ *handle(id: number) { yield call(sleep, 1); return id * 2; } }, [], ['handle']);
  const promise = (service.handle as unknown as (id: number) => Promise<number>)(4);
  t.true(promise instanceof Promise);
  t.is(await promise, 8);
  const root = entry('root', function* () {
    return 'root ran';
  });
  const result = await run(gfn('main', function* () {
    const p = yield g.dyn(root, undefined, []);
    const inline = yield call(root); // `await root()` / `wait(root())`: emitted as a green call
    return [p instanceof Promise, yield call(wait, p as Promise<string>), inline];
  }));
  t.deepEqual(result, [true, 'root ran', 'root ran']);
});

test('__g.bind keeps a bound green function green, with its this and leading arguments', async (t) => {
  const scale = gfn('scale', function* (this: { k: number }, x: number) {
    yield call(sleep, 1);
    return this.k * x;
  });
  const bound = g.bind(scale, { k: 10 }, 4) as () => number;
  t.true(isGreen(bound));
  t.is(await run(bound), 40);
  t.is(g.bind((x: number) => x + 1, null, 1).call(null), 2);
});

test('green is a no-op marker and decorator at run time', (t) => {
  const f = () => 1;
  t.is(green(f), f);
  const descriptor = { value: f };
  t.is((green as unknown as (...a: unknown[]) => unknown)({}, 'm', descriptor), descriptor);
  t.is((green as unknown as (...a: unknown[]) => unknown)(f, { kind: 'method' }), undefined);
});

test('a plain wrapper call of a sync function returns a value, never a generator object', (t) => {
  const value = find(1);
  t.is(typeof value, 'string');
  const thread = spawn(() => find(2));
  t.true(thread.done);
});

test('wrappers keep the body length for any number of parameters', (t) => {
  const two = gfn('two', function* (a: number, b: number) {
    return a + b;
  });
  const seven = gfn('seven', function* (a: number, b: number, c: number, d: number, e: number, f: number, h: number) {
    return a + b + c + d + e + f + h;
  });
  t.is(two.length, 2);
  t.is(seven.length, 7);
  t.is(seven(1, 2, 3, 4, 5, 6, 7), 28);
  t.is(two(1, 2), 3);
});

test('a guarded call whose path only meets primitives that need not park completes', (t) => {
  const event = new (class {
    ready = Promise.resolve(1);
  })();
  const check = gfn('check', function* () {
    const a = yield call(wait, 5); // not a promise: a Ready
    const s = new Semaphore(1);
    yield callMethod(s, 'acquire'); // a permit is free: a Ready
    return [a, s.available, event.ready instanceof Promise];
  });
  t.deepEqual(check(), [5, 0, true]);
});

test('@green type-checks as a standard decorator and leaves the method working when not transformed', async (t) => {
  class Service {
    @green
    async handle(id: number): Promise<string> {
      return `handled ${id}`;
    }
  }
  t.is(await new Service().handle(1), 'handled 1');
  const marked = green(async (x: number) => x * 2);
  t.is(await marked(2), 4);
});
