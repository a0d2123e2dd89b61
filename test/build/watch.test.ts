// green-tsc --watch: rebuilds on change, and when an edit recolors functions (a callee starts or stops
// suspending, its signature unchanged) re-emits every file whose output changes — the callers in
// files that were not edited — and leaves files whose output did not change alone. Bounded waits;
// the watcher is killed at the end whatever happens.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Child, greenTsc, project, read, write, removeOutRoot } from './support.js';

test.after(removeOutRoot);

const plainDb = "import { sleep } from 'green-ts';\nexport function load(n: number): number {\n  if (n < 0) throw new Error(typeof sleep);\n  return n;\n}\n";
const suspendingDb = "import { sleep } from 'green-ts';\nexport function load(n: number): number {\n  sleep(1);\n  return n;\n}\n";

for (const declaration of [false, true]) {
  test.serial(`--watch re-emits the callers of a callee that starts, then stops, suspending (declaration: ${declaration})`, async (t) => {
    t.timeout(8 * 60_000);
    const dir = project(`watch-${declaration ? 'dts' : 'js'}`, {
      'src/db.ts': plainDb,
      'src/repo.ts': "import { load } from './db.js';\nexport function find(n: number): number { return load(n) + 1; }\n",
      'src/main.ts': "import { find } from './repo.js';\n/** @green */\nexport async function main(): Promise<number> { return find(1); }\n",
      'src/plain.ts': 'export const k = 1;\n',
    }, { declaration });
    const w = new Child([greenTsc, '--watch', '--pretty', 'false', '--preserveWatchOutput'], dir);
    t.teardown(() => w.kill());
    const rounds = () => (w.output.match(/Found \d+ errors?\. Watching for file changes\./g) ?? []).length;
    const mtime = (f: string) => fs.statSync(path.join(dir, 'out', f)).mtimeMs;

    await w.until(() => rounds() >= 1, 120_000, 'the first build');
    t.regex(w.output, /Found 0 errors\. Watching for file changes\./);
    const plainRepo = read(dir, 'out/repo.js');
    const plainMain = read(dir, 'out/main.js');
    t.notRegex(plainRepo, /__g/);
    const plainStamp = mtime('plain.js');

    // the callee starts suspending: repo.js (find) and main.js (its call to find) change, though only db.ts was edited
    write(dir, 'src/db.ts', suspendingDb);
    await w.until(() => /__g\.linkp\(find/.test(read(dir, 'out/repo.js')) && read(dir, 'out/main.js') !== plainMain && rounds() >= 2, 60_000, 'repo.js to be re-emitted with find suspending');
    // both are plain-first functions (runtime/protocol.ts): find calls load's entry, and main (a generator) calls find's
    t.regex(read(dir, 'out/repo.js'), /__g\.linkp\(find, function find\(\$k_1, n\) \{[^]*if \(\(\$t_1 = db_js_1\.load\[__g\.PLAIN\]\(\$d_1 \+ 1, n\)\) === __pending\)\n\s*return __g\.park\(__s\[0\], \[find, this, 1, n\]\);[^]*return \$t_1 \+ 1;/);
    t.regex(read(dir, 'out/main.js'), /__g\.callp\(\(0, repo_js_1\.find\)\[__g\.PLAIN\]\(__g\.depth\(\), 1\), __s\[0\]\)|__g\.callp\(repo_js_1\.find\[__g\.PLAIN\]\(__g\.depth\(\), 1\), __s\[0\]\)/);
    if (declaration) t.regex(read(dir, 'out/db.d.ts'), /\/\*\* @suspends \*\/\nexport declare function load/);

    // it stops suspending: both go back to exactly what they were
    write(dir, 'src/db.ts', plainDb);
    await w.until(() => read(dir, 'out/repo.js') === plainRepo && read(dir, 'out/main.js') === plainMain && rounds() >= 3, 60_000, 'repo.js to be re-emitted with find plain again');
    if (declaration) t.notRegex(read(dir, 'out/db.d.ts'), /@suspends/);

    // a file whose output never changed was never rewritten
    t.is(mtime('plain.js'), plainStamp);
    t.notRegex(w.output, /error TS/);
    t.log(w.output.split('\n').filter((l) => /green-ts:/.test(l)).join('\n') || '(the incremental builder re-emitted the callers itself)');
  });
}
