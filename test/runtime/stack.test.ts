import test from 'ava';
import { run, sleep, spawn, all } from '../../runtime/index.js';
import { formatSites } from '../../runtime/stack.js';
import { call, callMethod, g, gfn } from './support.js';

const __s = g.sites('src/users/repo.ts', ['handle', 40, 12, 'rename', 25, 9, 'findUser', 12, 5, 'parent', 60, 3, 'worker', 70, 7]);

const findUser = gfn('findUser', function* (id: number) {
  yield call(sleep, 1);
  if (id < 0) throw new Error(`no user ${id}`);
  return { id };
});
const query = gfn('query', function* (id: number) {
  yield call(sleep, 1);
  return yield g.at(call(findUser, id), __s[2]); // findUser calls query... (site in findUser)
});
const rename = gfn('rename', function* (id: number) {
  yield call(sleep, 1);
  return yield g.at(call(query, id), __s[1]);
});
const handle = gfn('handle', function* (id: number) {
  yield call(sleep, 1);
  return yield g.at(call(rename, id), __s[0]);
});

test('an error thrown after suspensions lists every green function of the chain with its call site, innermost first', async (t) => {
  const error = await t.throwsAsync(run(g.bind(handle, null, -1) as () => unknown));
  const stack = error!.stack!;
  // V8's own innermost lines are kept: the message and the function that threw.
  t.true(stack.startsWith('Error: no user -1\n'));
  t.regex(stack.split('\n')[1], /findUser/);
  const green = stack.split('\n').filter((line) => line.includes('src/users/repo.ts'));
  t.deepEqual(green, [
    '    at findUser (src/users/repo.ts:12:5)',
    '    at rename (src/users/repo.ts:25:9)',
    '    at handle (src/users/repo.ts:40:12)',
  ]);
  // And they come after V8's lines, at the end.
  t.true(stack.endsWith('    at handle (src/users/repo.ts:40:12)'));
});

test('a caught error shows the chain so far; the trace keeps growing as it unwinds', async (t) => {
  let seenInRename = '';
  const renameCatching = gfn('renameCatching', function* () {
    try {
      yield g.at(call(query, -2), __s[1]);
    } catch (error) {
      seenInRename = (error as Error).stack!;
      throw error;
    }
  });
  const error = await t.throwsAsync(run(gfn('top', function* () {
    yield g.at(call(renameCatching), __s[0]);
  })));
  t.true(seenInRename.endsWith('    at rename (src/users/repo.ts:25:9)'));
  t.true(error!.stack!.endsWith('    at rename (src/users/repo.ts:25:9)\n    at handle (src/users/repo.ts:40:12)'));
});

test('an error crossing threads (join, all) continues its chain in the joining thread', async (t) => {
  const worker = gfn('worker', function* () {
    return yield g.at(call(query, -3), __s[4]);
  });
  const viaJoin = await t.throwsAsync(run(gfn('parent', function* () {
    const child = spawn(worker);
    yield g.at(callMethod(child, 'join'), __s[3]);
  })));
  t.true(viaJoin!.stack!.endsWith('    at findUser (src/users/repo.ts:12:5)\n    at worker (src/users/repo.ts:70:7)\n    at parent (src/users/repo.ts:60:3)'));
  const viaAll = await t.throwsAsync(run(gfn('parent', function* () {
    yield g.at(call(all, [worker]), __s[3]);
  })));
  t.true(viaAll!.stack!.endsWith('    at worker (src/users/repo.ts:70:7)\n    at parent (src/users/repo.ts:60:3)'));
});

test('setting error.stack still works after stitching; non-object throws pass through', async (t) => {
  const error = await t.throwsAsync(run(g.bind(handle, null, -4) as () => unknown));
  error!.stack = 'replaced';
  t.is(error!.stack, 'replaced');
  const thrown = await run(gfn('main', function* () {
    try {
      yield g.at(call(gfn('throwsString', function* () {
        yield call(sleep, 1);
        throw 'a string';
      })), __s[0]);
    } catch (e) {
      return e;
    }
  }));
  t.is(thrown, 'a string');
});

test('formatSites collapses runs of the same site', (t) => {
  const [a, b] = g.sites('f.ts', ['a', 1, 1, 'b', 2, 2]);
  t.is(formatSites([a, a, b]), '\n    at a (f.ts:1:1)\n    at a (f.ts:1:1)\n    at b (f.ts:2:2)');
  t.is(formatSites([a, a, a, a, b]), '\n    at a (f.ts:1:1)\n    [previous line repeated 3 more times]\n    at b (f.ts:2:2)');
});

test('sites() builds site objects from the flat table', (t) => {
  t.deepEqual(g.sites('src/x.ts', ['f', 3, 4, 'g', 5, 6]), [
    { file: 'src/x.ts', fn: 'f', line: 3, col: 4 },
    { file: 'src/x.ts', fn: 'g', line: 5, col: 6 },
  ]);
});

test('an error thrown at a suspension point (rejection, cancel) starts its chain at the primitive call site', async (t) => {
  const sites = g.sites('src/io.ts', ['load', 5, 10, 'outer', 9, 3]);
  const load = gfn('load', function* () {
    return yield g.at(call(g.wait, Promise.reject(new Error('io failed'))), sites[0]);
  });
  const error = await t.throwsAsync(run(gfn('outer', function* () {
    return yield g.at(call(load), sites[1]);
  })));
  t.true(error!.stack!.endsWith('    at load (src/io.ts:5:10)\n    at outer (src/io.ts:9:3)'));

  const sleeper = spawn(gfn('sleeper', function* () {
    yield g.at(call(sleep, 60_000), sites[0]);
  }));
  sleeper.cancel();
  const cancelled = await t.throwsAsync(sleeper.promise);
  t.true(cancelled!.stack!.endsWith('    at load (src/io.ts:5:10)'));
});

test('joining a thread that already failed throws its error at the join site', async (t) => {
  const sites = g.sites('src/j.ts', ['parent', 4, 2]);
  const failed = spawn(() => {
    throw new Error('early');
  });
  t.true(failed.done);
  const error = await t.throwsAsync(run(gfn('parent', function* () {
    yield g.at(callMethod(failed, 'join'), sites[0]);
  })));
  t.is(error?.message, 'early');
  t.true(error!.stack!.endsWith('    at parent (src/j.ts:4:2)'));
});
