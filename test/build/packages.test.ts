// .d.ts suspension metadata: a library built with green-tsc carries `/** @suspends */` on its
// suspending declarations (afterDeclarations), and an app that depends on it is analysed from that
// .d.ts alone: its callers of the library's suspending exports are colored, implementations of the
// library's suspending interface members share their convention, and the whole thing runs.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseOptions, greenTscRun, node, outRoot, read, repoRoot, write, removeOutRoot } from './support.js';

test.after(removeOutRoot);

const declSource = `import { sleep } from 'green-ts';
/** Loads a thing. */
export function load(id: number): number { sleep(1); return id; }
export function over(a: string): number;
export function over(a: number): number;
export function over(a: any): number { return load(Number(a)); }
export const arrow = (n: number) => load(n);
export interface Store { get(id: number): number; put: (id: number) => void; plain(): number }
export type Api = { fetch(id: number): number };
export abstract class Base { abstract run(): number; ok(): number { return 1; } }
export class Impl extends Base implements Store {
  run(): number { return load(1); }
  get(id: number) { return load(id); }
  put = (id: number) => { load(id); };
  plain() { return 0; }
  static create(): Impl { load(0); return new Impl(); }
}
export const api: Api = { fetch(id) { return load(id); } };
/** @green */
export async function entry(): Promise<number> { return load(2); }
export namespace NS { export function inner() { return load(3); } }
export default function () { return load(4); }
function local() { return load(5); }
export { local as renamed };
export function pure(n: number) { return n; }
`;

const declExpected = `/** Loads a thing. */
/** @suspends */
export declare function load(id: number): number;
/** @suspends */
export declare function over(a: string): number;
/** @suspends */
export declare function over(a: number): number;
/** @suspends */
export declare const arrow: (n: number) => number;
export interface Store {
    /** @suspends */
    get(id: number): number;
    /** @suspends */
    put: (id: number) => void;
    plain(): number;
}
export type Api = {
    /** @suspends */
    fetch(id: number): number;
};
export declare abstract class Base {
    /** @suspends */
    abstract run(): number;
    ok(): number;
}
export declare class Impl extends Base implements Store {
    /** @suspends */
    run(): number;
    /** @suspends */
    get(id: number): number;
    /** @suspends */
    put: (id: number) => void;
    plain(): number;
    /** @suspends */
    static create(): Impl;
}
export declare const api: Api;
/** @green */
export declare function entry(): Promise<number>;
export declare namespace NS {
    /** @suspends */
    function inner(): number;
}
/** @suspends */
export default function (): number;
/** @suspends */
declare function local(): number;
export { local as renamed };
export declare function pure(n: number): number;
`;

test.serial('afterDeclarations: every suspending declaration of the .d.ts carries @suspends, and the JavaScript does not', (t) => {
  const dir = path.join(outRoot, 'decl');
  fs.rmSync(dir, { recursive: true, force: true });
  write(dir, 'tsconfig.json', JSON.stringify({ compilerOptions: { ...baseOptions, outDir: 'out', rootDir: 'src', declaration: true }, include: ['src'] }));
  write(dir, 'src/lib.ts', declSource);
  const r = greenTscRun([], dir);
  t.is(r.code, 0, r.out);
  t.is(read(dir, 'out/lib.d.ts'), declExpected);
  t.notRegex(read(dir, 'out/lib.js'), /@suspends/);
});

const libSource = `import { sleep } from 'green-ts';
export function fetchRow(id: number): string { sleep(5); return \`row\${id}\`; }
export const fetchTwice = (id: number) => fetchRow(id) + '+' + fetchRow(id);
export interface Store { get(id: number): string }
export class DbStore implements Store { get(id: number) { return fetchRow(id); } }
export function plain(n: number) { return n + 1; }
`;

const appSource = `import { fetchRow, fetchTwice, DbStore, type Store, plain } from 'mylib';
export function viaFn(id: number) { return fetchRow(id); }
export function viaArrow(id: number) { return fetchTwice(id); }
export function viaMethod(s: DbStore) { return s.get(1); }
export function viaIface(s: Store) { return s.get(2); }
export function notGreen(n: number) { return plain(n); }
class MemStore implements Store { get(id: number) { return 'mem' + id; } }
const lit: Store = { get(id) { return 'lit' + id; } };
const arrowLit: Store = { get: (id) => 'arrow' + id };
class PropStore implements Store { get = (id: number) => 'prop' + id; }
/** @green */
export async function main() {
  return [viaFn(1), viaArrow(2), viaMethod(new DbStore()), viaIface(new DbStore()), notGreen(1),
    viaIface(new MemStore()), viaIface(lit), viaIface(arrowLit), viaIface(new PropStore())].join(',');
}
`;

/**
 * twopkg/node_modules/green-ts -> the repository, twopkg/node_modules/mylib -> twopkg/lib (its own
 * package.json: `types` is its emitted .d.ts), twopkg/app depends on both.
 */
function twoPackages(name: string): { root: string; lib: string; app: string } {
  const root = path.join(outRoot, name);
  fs.rmSync(root, { recursive: true, force: true });
  const lib = path.join(root, 'lib'), app = path.join(root, 'app');
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(root, 'node_modules', 'green-ts'), 'dir');
  fs.symlinkSync(path.join('..', 'lib'), path.join(root, 'node_modules', 'mylib'), 'dir');
  write(lib, 'package.json', JSON.stringify({ name: 'mylib', version: '1.0.0', main: 'out/index.js', types: 'out/index.d.ts' }));
  write(lib, 'tsconfig.json', JSON.stringify({ compilerOptions: { ...baseOptions, outDir: 'out', rootDir: 'src', declaration: true }, include: ['src'] }));
  write(lib, 'src/index.ts', libSource);
  write(app, 'package.json', JSON.stringify({ name: 'app', private: true }));
  write(app, 'tsconfig.json', JSON.stringify({ compilerOptions: { ...baseOptions, outDir: 'out', rootDir: 'src' }, include: ['src'] }));
  write(app, 'src/main.ts', appSource);
  return { root, lib, app };
}

test.serial('two packages: the app is colored from the library\'s .d.ts, and runs', (t) => {
  t.timeout(6 * 60_000);
  const { lib, app } = twoPackages('twopkg');
  const l = greenTscRun([], lib);
  t.is(l.code, 0, l.out);
  const dts = read(lib, 'out/index.d.ts');
  t.regex(dts, /\/\*\* @suspends \*\/\nexport declare function fetchRow/);
  t.regex(dts, /\/\*\* @suspends \*\/\nexport declare const fetchTwice/);
  t.regex(dts, /interface Store \{\n {4}\/\*\* @suspends \*\/\n {4}get\(id: number\): string;/);
  t.notRegex(dts, /@suspends \*\/\nexport declare function plain/);

  // the app sees only the .d.ts (the library's sources are not part of its program)
  t.is(greenTscRun(['check'], app).code, 0);
  const graph = JSON.parse(greenTscRun(['graph', '--format', 'json'], app).stdout) as { nodes: Array<{ name: string; kind: string; file: string }> };
  const kind = (name: string) => graph.nodes.find((n) => n.name === name && n.file.startsWith('src/'))?.kind;
  for (const f of ['viaFn', 'viaArrow', 'viaMethod', 'viaIface', 'MemStore.get', 'PropStore.get']) t.is(kind(f), 'suspending', f);
  t.is(kind('main'), 'root');
  t.is(kind('notGreen'), undefined);
  const points = graph.nodes.filter((n) => n.kind === 'point').map((n) => `${n.name} ${path.basename(n.file)}`).sort();
  t.deepEqual(points, ['DbStore.get index.d.ts', 'Store.get index.d.ts', 'fetchRow index.d.ts', 'fetchTwice index.d.ts']);

  const why = greenTscRun(['explain', 'src/main.ts:viaIface'], app);
  t.regex(why.stdout, /^viaIface \(src\/main\.ts:5\) suspends\. Shortest chain to a suspension point \(1 step\):\n {2}1\. viaIface \(src\/main\.ts:5\) calls s\.get at src\/main\.ts:5\n {2}2\. Store\.get \[@suspends\] \(.*lib\/out\/index\.d\.ts:\d+\): suspension point/);

  const c = greenTscRun([], app);
  t.is(c.code, 0, c.out);
  const run = node(['-e', "require('./out/main.js').main().then((v) => console.log(v), (e) => { console.error(e); process.exit(1); })"], app, { timeout: 30_000 });
  t.is(run.code, 0, run.out);
  t.is(run.stdout.trim(), 'row1,row2+row2,row1,row2,2,mem2,lit2,arrow2,prop2');
});

test.serial('two packages: calling the library\'s suspending export from non-green app code is a diagnostic', (t) => {
  const { lib, app } = twoPackages('twopkg-bad');
  t.is(greenTscRun([], lib).code, 0);
  write(app, 'src/top.ts', "import { fetchRow } from 'mylib';\nexport const row = fetchRow(1);\n");
  const r = greenTscRun(['check', '--pretty', 'false'], app);
  t.is(r.code, 2, r.out);
  t.regex(r.stdout, /src\/top\.ts\(2,20\): error TS94001: Suspending call 'fetchRow' from non-green code \(fetchRow \[@suspends\]\)/);
});
