// green-tsc check / explain / graph, end to end on a temporary project: the CLI as a user runs it.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { greenTscRun, parseDot, project, removeOutRoot } from './support.js';

test.after(removeOutRoot);

const sources: Record<string, string> = {
  'src/db.ts': [
    "import { sleep } from 'green-ts';",
    'export function query(n: number): number {',
    '  sleep(1);',
    '  return n;',
    '}',
    'export const twice = (n: number) => query(n) * 2;',
    '',
  ].join('\n'),
  'src/repo.ts': [
    "import { query, twice } from './db.js';",
    'export interface Store { load(id: number): number }',
    'export class Repo implements Store {',
    '  load(id: number): number { return twice(id); }',
    '  plain(): number { return 1; }',
    '}',
    'export function find(store: Store, id: number): number {',
    '  return store.load(id) + query(0);',
    '}',
    'export function helper(fn: (n: number) => number) { return fn(1); }',
    '',
  ].join('\n'),
  'src/main.ts': [
    "import { Repo, find, helper } from './repo.js';",
    '/** @green */',
    'export async function main(): Promise<number> {',
    '  return find(new Repo(), 1) + helper((n) => n);',
    '}',
    'export function pure(a: number) { return a + 1; }',
    '',
  ].join('\n'),
};

let dir: string;
test.before(() => { dir = project('cli', sources); });

test.serial('check: a clean project exits 0, prints nothing and emits nothing', (t) => {
  t.timeout(5 * 60_000);
  const r = greenTscRun(['check'], dir);
  t.is(r.code, 0, r.out);
  t.is(r.out.trim(), '');
  t.false(fs.existsSync(path.join(dir, 'out')));
});

test.serial('check: reports a green diagnostic like tsc (file(line,col): error TS94001) and exits 2 like tsc --noEmit, also under noEmit', (t) => {
  t.timeout(5 * 60_000);
  const bad = project('cli-bad', {
    ...sources,
    'src/top.ts': "import { query } from './db.js';\nexport const x = query(1);\n",
  }, { noEmit: true });
  const r = greenTscRun(['check', '-p', 'tsconfig.json', '--pretty', 'false'], bad);
  t.is(r.code, 2, r.out);
  t.regex(r.stdout, /^src\/top\.ts\(2,18\): error TS94001: Suspending call 'query' from non-green code \(query \(src\/db\.ts:2\) -> sleep \[@suspends\]\)/m);
  t.false(fs.existsSync(path.join(bad, 'out')));
  // a type error is reported too, as tsc would
  const typeErr = project('cli-type', { ...sources, 'src/t.ts': 'export const n: number = "x";\n' });
  const r2 = greenTscRun(['check', '--pretty', 'false'], typeErr);
  t.is(r2.code, 2);
  t.regex(r2.stdout, /src\/t\.ts\(1,14\): error TS2322/);
});

test.serial('explain: the shortest chain to a suspension point, each step with file:line', (t) => {
  t.timeout(5 * 60_000);
  const r = greenTscRun(['explain', 'src/repo.ts:find'], dir);
  t.is(r.code, 0, r.out);
  const lines = r.stdout.trim().split('\n');
  t.regex(lines[0]!, /^find \(src\/repo\.ts:7\) suspends\. Shortest chain to a suspension point \(2 steps\):$/);
  t.regex(lines[1]!, /^ {2}1\. find \(src\/repo\.ts:7\) calls query at src\/repo\.ts:8$/);
  t.regex(lines[2]!, /^ {2}2\. query \(src\/db\.ts:2\) calls sleep at src\/db\.ts:3$/);
  t.regex(lines[3]!, /^ {2}3\. sleep \[@suspends\] \(.*runtime\/primitives\.d\.ts:\d+\): suspension point$/);

  const m = greenTscRun(['explain', 'src/repo.ts:Repo.load'], dir);
  t.is(m.code, 0, m.out);
  t.regex(m.stdout, /Repo\.load \(src\/repo\.ts:4\) calls twice at src\/repo\.ts:4\n {2}2\. twice \(src\/db\.ts:6\) calls query at src\/db\.ts:6/);

  const v = greenTscRun(['explain', 'src/repo.ts:Store.load'], dir);
  t.regex(v.stdout, /Store\.load \(src\/repo\.ts:2\) is implemented by Repo\.load \(src\/repo\.ts:4\)/);
  t.regex(v.stdout, /virtual member/);
});

test.serial('explain: roots, functions that do not suspend, and unknown names', (t) => {
  t.timeout(5 * 60_000);
  const root = greenTscRun(['explain', 'src/main.ts:main'], dir);
  t.is(root.code, 0);
  t.regex(root.stdout, /^main \(src\/main\.ts:3\) is a root: it is marked @green\./);
  t.regex(root.stdout, /1\. main \[root\] \(src\/main\.ts:3\) calls find at src\/main\.ts:4/);

  const plain = greenTscRun(['explain', 'src/repo.ts:helper'], dir);
  t.is(plain.code, 0);
  t.regex(plain.stdout, /^helper \(src\/repo\.ts:10\) does not suspend: none of its 1 call can reach a suspension point\./);
  t.regex(plain.stdout, /src\/repo\.ts:10 {2}fn: parameter 'fn' of helper does not suspend/);

  const byLine = greenTscRun(['explain', 'src/main.ts:6'], dir);
  t.regex(byLine.stdout, /^pure \(src\/main\.ts:6\) does not suspend/);

  const none = greenTscRun(['explain', 'src/repo.ts:nope'], dir);
  t.is(none.code, 1);
  t.regex(none.stdout, /No function or member named 'nope' in src\/repo\.ts\. Declared there: .*find/);

  const outside = greenTscRun(['explain', 'src/missing.ts:x'], dir);
  t.is(outside.code, 1);
  t.regex(outside.out, /is not part of the program/);
});

test.serial('graph --format dot parses as a digraph with the call edges', (t) => {
  t.timeout(5 * 60_000);
  const r = greenTscRun(['graph'], dir);
  t.is(r.code, 0, r.out);
  const g = parseDot(r.stdout);
  const byName = new Map<string, string>();
  for (const [id, attrs] of g.nodes) byName.set(attrs.label!.split('\n')[0]!, id);
  for (const name of ['main', 'find', 'query', 'twice', 'Repo.load', 'Store.load', 'sleep']) t.true(byName.has(name), `node ${name} in\n${r.stdout}`);
  t.false(byName.has('pure'));
  t.false(byName.has('helper'));
  const has = (a: string, b: string) => g.edges.some((e) => e.from === byName.get(a) && e.to === byName.get(b));
  for (const e of g.edges) { t.true(g.nodes.has(e.from), e.from); t.true(g.nodes.has(e.to), e.to); }
  t.true(has('main', 'find'));
  t.true(has('find', 'query'));
  t.true(has('find', 'Store.load'));
  t.true(has('Store.load', 'Repo.load'));
  t.true(has('Repo.load', 'twice'));
  t.true(has('twice', 'query'));
  t.true(has('query', 'sleep'));
  t.is(g.nodes.get(byName.get('sleep')!)!.shape, 'octagon');
});

test.serial('graph --format json: nodes with kinds and locations, edges between them', (t) => {
  t.timeout(5 * 60_000);
  const r = greenTscRun(['graph', '--format', 'json'], dir);
  t.is(r.code, 0, r.out);
  const g = JSON.parse(r.stdout) as { nodes: Array<{ id: string; name: string; kind: string; file: string; line: number }>; edges: Array<{ from: string; to: string; kind: string; site?: { file: string; line: number } }> };
  const n = (name: string) => g.nodes.find((x) => x.name === name)!;
  t.like(n('main'), { kind: 'root', file: 'src/main.ts', line: 3 });
  t.like(n('query'), { kind: 'suspending', file: 'src/db.ts', line: 2 });
  t.like(n('sleep'), { kind: 'point' });
  t.like(n('Store.load'), { kind: 'virtual' });
  const e = g.edges.find((x) => x.from === n('find').id && x.to === n('query').id);
  t.like(e, { kind: 'call', site: { file: 'src/repo.ts', line: 8 } });
});

test.serial('graph --format html: one self-contained page that draws the graph', (t) => {
  t.timeout(5 * 60_000);
  const r = greenTscRun(['graph', '--format', 'html', '-o', 'graph.html'], dir);
  t.is(r.code, 0, r.out);
  const html = fs.readFileSync(path.join(dir, 'graph.html'), 'utf8');
  t.regex(html, /^<!doctype html>/);
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
  t.true(svg.length > 100);
  const nodes = [...svg.matchAll(/<g class="node node-(\w+)" id="(n\d+)" data-name="([^"]*)" transform="translate\(([\d.]+),([\d.]+)\)">/g)];
  t.is(nodes.length, 7);
  t.deepEqual(nodes.map((m) => m[3]).sort(), ['Repo.load', 'Store.load', 'find', 'main', 'query', 'sleep', 'twice']);
  const edges = [...svg.matchAll(/<path class="edge edge-\w+" id="e\d+" data-from="(n\d+)" data-to="(n\d+)" d="M[\d.,\sCM-]+"/g)];
  t.is(edges.length, 7);
  // laid out left to right: the root before its callee, the callee before the suspension point
  const x = (name: string) => Number(nodes.find((m) => m[3] === name)![4]);
  t.true(x('main') < x('find'));
  t.true(x('find') < x('query'));
  t.true(x('query') < x('sleep'));
  // nothing to fetch
  t.notRegex(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(http|fetch\(|XMLHttpRequest/);
  t.deepEqual([...html.matchAll(/https?:\/\/[^\s"')]+/g)].map((m) => m[0]), ['http://www.w3.org/2000/svg']);
});

test.serial('graph: callbacks are named by what they are passed to, overloads of a declared function are one node', (t) => {
  t.timeout(5 * 60_000);
  const names = project('cli-names', {
    'src/lib.d.ts': '/** @suspends */\nexport declare function get(id: number): string;\n/** @suspends */\nexport declare function get(id: string): string;\n',
    'src/use.ts': "import { run } from 'green-ts';\nimport { get } from './lib.js';\nexport const p = run(() => get(1) + get('a'));\n",
  });
  const r = greenTscRun(['graph', '--format', 'json'], names);
  t.is(r.code, 0, r.out);
  const g = JSON.parse(r.stdout) as { nodes: Array<{ id: string; name: string; kind: string }>; edges: Array<{ from: string; to: string }> };
  t.deepEqual(g.nodes.map((n) => `${n.kind} ${n.name}`).sort(), ['point get', 'root p = run(() => …)']);
  // one edge per call site, both to the one `get`
  const point = g.nodes.find((n) => n.kind === 'point')!.id, root = g.nodes.find((n) => n.kind === 'root')!.id;
  t.deepEqual(g.edges.map((e) => `${e.from}>${e.to}`), [`${root}>${point}`, `${root}>${point}`]);
});
