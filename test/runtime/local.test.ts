import test from 'ava';
import { Local, all, run, sleep, spawn, yieldNow } from '../../runtime/index.js';
import { call, callMethod, gfn } from './support.js';

test('Local: each thread sees only its own value across suspensions', async (t) => {
  const user = new Local<string>();
  const worker = (name: string) =>
    gfn(name, function* () {
      user.set(name);
      for (let i = 0; i < 3; i++) {
        yield call(yieldNow);
        if (user.get() !== name) return `${name} saw ${user.get()}`;
      }
      yield call(sleep, 1);
      return user.get();
    });
  const results = await Promise.all(['ann', 'bob', 'cy'].map((name) => run(worker(name))));
  t.deepEqual(results, ['ann', 'bob', 'cy']);
});

test('Local is not inherited by child threads (spawn, all)', async (t) => {
  const tenant = new Local<string>('none');
  const result = await run(gfn('parent', function* () {
    tenant.set('acme');
    const child = spawn(gfn('child', function* () {
      const before = tenant.get();
      tenant.set('child-own');
      return before;
    }));
    const fromChild = yield callMethod(child, 'join');
    const fromAll = yield call(all, [gfn('a', function* () {
      return tenant.get();
    })]);
    return { fromChild, fromAll, mine: tenant.get() };
  }));
  t.deepEqual(result, { fromChild: 'none', fromAll: ['none'], mine: 'acme' });
});

test('Local outside any thread has its own slot; delete restores the initial value', async (t) => {
  const local = new Local<number>(0);
  t.is(local.get(), 0);
  local.set(1);
  t.is(local.get(), 1);
  t.is(await run(() => local.get()), 0);
  const inside = spawn(gfn('inside', function* () {
    local.set(5);
    local.delete();
    return local.get();
  }));
  t.is(await inside.promise, 0);
  local.delete();
  t.is(local.get(), 0);
});
