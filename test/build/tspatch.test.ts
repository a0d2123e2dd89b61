// The ts-patch path: `"plugins": [{ "transform": "green-ts/transformer" }]` (plus the same entry with
// `"afterDeclarations": true` for the .d.ts marks), then `ts-patch install` and plain `tsc`, and
// `tspc` (ts-patch's live-patched tsc), give the same JavaScript and .d.ts as green-tsc and fail on a
// green diagnostic. `ts-patch install` patches a COPY of the TypeScript in use, inside the temporary
// project's node_modules; the repository's own node_modules/typescript is never touched, and ts-patch's
// cache goes under test/.out.
//
// ts-patch 3.x patches TypeScript 5.x; ts-patch 4.x patches TypeScript 6.x and needs Node >= 22.12.
// The one that fits the TypeScript in use is taken from GREEN_TS_PATCH (a ts-patch package
// directory), else the repository's node_modules, else installed once under test/.out/tools.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { baseOptions, greenTscRun, node, outRoot, repoRoot, tree, write, removeOutRoot } from './support.js';

test.after(removeOutRoot);

const tsDir = path.dirname(require.resolve('typescript/package.json'));
const tsVersion = (JSON.parse(fs.readFileSync(path.join(tsDir, 'package.json'), 'utf8')) as { version: string }).version;
const toolsRoot = path.join(repoRoot, 'test', '.out', 'tools');

function versionOf(dir: string): string | undefined {
  try { return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version; } catch { return undefined; }
}

/** A ts-patch package directory whose major fits TypeScript `tsVersion`. */
function tsPatchDir(): { dir?: string; error?: string } {
  const want = Number(tsVersion.split('.')[0]) >= 6 ? '4.0.1' : '3.3.0';
  const major = want.split('.')[0];
  const candidates = [process.env.GREEN_TS_PATCH, path.join(repoRoot, 'node_modules', 'ts-patch'), path.join(toolsRoot, `ts-patch-${want}`, 'node_modules', 'ts-patch')];
  for (const c of candidates) if (c && versionOf(c)?.split('.')[0] === major) return { dir: c };
  const prefix = path.join(toolsRoot, `ts-patch-${want}`);
  fs.mkdirSync(prefix, { recursive: true });
  write(prefix, 'package.json', '{ "private": true }\n');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', `ts-patch@${want}`], { cwd: prefix, encoding: 'utf8', timeout: 300_000 });
  const dir = path.join(prefix, 'node_modules', 'ts-patch');
  if (r.status !== 0 || !versionOf(dir)) return { error: `could not install ts-patch@${want} for TypeScript ${tsVersion}: ${r.error ?? ''}${r.stdout}${r.stderr}` };
  return { dir };
}

const sources: Record<string, string> = {
  'src/db.ts': "import { sleep } from 'green-ts';\nexport function query(n: number): number { sleep(1); return n; }\nexport const twice = (n: number) => query(n) * 2;\n",
  'src/repo.ts': "import { query, twice } from './db.js';\nexport interface Store { load(id: number): number }\nexport class Repo implements Store { load(id: number) { return twice(id); } }\nexport function find(s: Store, id: number) { return s.load(id) + query(0); }\n",
  'src/main.ts': "import { Repo, find } from './repo.js';\n/** @green */\nexport async function main(): Promise<number> { return find(new Repo(), 1); }\nexport function pure(n: number) { return n + 1; }\n",
  'src/plain.ts': 'export const answer = 42;\nexport function add(a: number, b: number) { return a + b; }\n',
};

const bad = "import { query } from './db.js';\nexport const x = query(1);\n";
const badLine = /src\/top\.ts\(2,18\): error TS94001: Suspending call 'query' from non-green code/;

test.serial('ts-patch install + tsc, and tspc, emit what green-tsc emits and fail on a green diagnostic', (t) => {
  t.timeout(10 * 60_000); // seven compiler runs, on a machine shared with other work
  const [nodeMajor, nodeMinor] = process.versions.node.split('.').map(Number) as [number, number];
  if (Number(tsVersion.split('.')[0]) >= 6 && (nodeMajor < 22 || (nodeMajor === 22 && nodeMinor < 12))) {
    t.fail(`TypeScript ${tsVersion} needs ts-patch 4, which needs Node >= 22.12 (this is ${process.version}); run this test under Node 24`);
    return;
  }
  const stamp = () => ['typescript.js', '_tsc.js', 'tsc.js'].map((f) => { try { const st = fs.statSync(path.join(tsDir, 'lib', f)); return `${f}:${st.size}:${st.mtimeMs}`; } catch { return `${f}:-`; } });
  const before = stamp();
  const patch = tsPatchDir();
  if (!patch.dir) { t.fail(patch.error); return; }

  const dir = path.join(outRoot, 'tspatch');
  fs.rmSync(dir, { recursive: true, force: true });
  const plugins = [{ transform: 'green-ts/transformer' }, { transform: 'green-ts/transformer', afterDeclarations: true }];
  write(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { ...baseOptions, outDir: 'out', rootDir: 'src', declaration: true, plugins }, include: ['src'] }, null, 2));
  for (const [f, text] of Object.entries(sources)) write(dir, f, text);
  // the project's own node_modules: green-ts (as a user installs it) and a copy of the TypeScript in use
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'green-ts'), 'dir');
  const tsCopy = path.join(dir, 'node_modules', 'typescript');
  fs.cpSync(tsDir, tsCopy, { recursive: true, dereference: true });
  const env = { TSP_CACHE_DIR: path.join(dir, '.tspcache'), TSP_COMPILER_TS_PATH: path.join(tsDir, 'lib', 'typescript.js') };
  const tsPatchBin = path.join(patch.dir, 'bin', 'ts-patch.js');
  const tspcBin = path.join(patch.dir, 'bin', 'tspc.js');
  const tscBin = path.join(tsCopy, 'bin', 'tsc');
  const outputs = (sub: string) => tree(path.join(dir, sub), (f) => /\.(js|d\.ts)$/.test(f));

  const green = greenTscRun(['--outDir', 'out-green'], dir);
  t.is(green.code, 0, green.out);
  const expected = outputs('out-green');
  t.deepEqual([...expected.keys()], ['db.d.ts', 'db.js', 'main.d.ts', 'main.js', 'plain.d.ts', 'plain.js', 'repo.d.ts', 'repo.js']);
  t.regex(expected.get('repo.js')!, /__g\.methods\(Repo\.prototype, \["load"\]/);
  t.regex(expected.get('db.d.ts')!, /\/\*\* @suspends \*\/\nexport declare function query/);

  const install = node([tsPatchBin, 'install', '--dir', tsCopy], dir, { env });
  t.is(install.code, 0, install.out);
  t.regex(install.out, /ts-patch installed/);
  const tsc = node([tscBin, '-p', '.', '--outDir', 'out-tsc'], dir, { env });
  t.is(tsc.code, 0, tsc.out);
  t.deepEqual(outputs('out-tsc'), expected, 'patched tsc');

  const tspc = node([tspcBin, '-p', '.', '--outDir', 'out-tspc'], dir, { env });
  t.is(tspc.code, 0, tspc.out);
  t.deepEqual(outputs('out-tspc'), expected, 'tspc');

  // a green diagnostic: reported in tsc's format, and the build fails (exit 2, like green-tsc)
  write(dir, 'src/top.ts', bad);
  const g2 = greenTscRun(['--outDir', 'out-green', '--pretty', 'false'], dir);
  t.is(g2.code, 2, g2.out);
  t.regex(g2.stdout, badLine);
  const tsc2 = node([tscBin, '-p', '.', '--outDir', 'out-tsc', '--pretty', 'false'], dir, { env });
  t.is(tsc2.code, 2, tsc2.out);
  t.regex(tsc2.stdout, badLine);
  const tspc2 = node([tspcBin, '-p', '.', '--outDir', 'out-tspc', '--pretty', 'false'], dir, { env });
  t.is(tspc2.code, 2, tspc2.out);
  t.regex(tspc2.stdout, badLine);
  t.is(tspc2.stdout, g2.stdout);

  // the TypeScript in use is untouched
  t.deepEqual(stamp(), before);
});
