// Stress mode's rules (transformer/stress.ts): which functions are colored, where pauses go, that it
// reports nothing new, and its three switches (the option, `green-tsc --stress`, the ts-patch config).
// stress.test.ts runs whole programs in stress mode; these pin down the decisions one by one.
import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { compile, createHost, defaultOptions, fixtureCompilerOptions, listFixtures, runNode } from '../transform/harness.js';
import greenTransformer, { analyze } from '../../transformer/index.js';
import { main as cli } from '../../transformer/cli.js';
import { OUT_ROOT } from './compile.js';

const DIR = path.join(OUT_ROOT, 'stress-rules');

/** Compile one program (main.ts and the `others`, by file name) in stress mode and run main.js; its JS (main.js, and each file by name), out dir, diagnostics and stdout. */
function stress(name: string, lines: string[], others: Record<string, string[]> = {}): { js: string; files: Map<string, string>; outDir: string; diagnostics: string[]; stdout: string; stderr: string } {
  const dir = path.join(DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  const files = Object.entries({ 'main.ts': lines, ...others }).map(([base, text]) => {
    fs.writeFileSync(path.join(dir, base), text.join('\n') + '\n');
    return path.join(dir, base);
  });
  const r = compile(files, path.join(dir, 'out'), { transform: true, rootDir: dir, green: { stress: true } });
  const js = r.files.get('main.js') ?? '';
  const out = runNode(path.join(r.outDir, 'main.js'));
  return { js, files: r.files, outDir: r.outDir, diagnostics: r.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), stdout: out.stdout, stderr: out.stderr };
}

/** Compile and run one program in stress mode: no diagnostics (but those `ignore` matches), the given stdout. */
function checked(t: ExecutionContext, name: string, lines: string[], stdout: string, opts: { ignore?: RegExp; others?: Record<string, string[]> } = {}): ReturnType<typeof stress> {
  const { ignore, others } = opts;
  const r = stress(name, lines, others);
  t.deepEqual(ignore ? r.diagnostics.filter((d) => !ignore.test(d)) : r.diagnostics, []);
  t.is(r.stdout, stdout, r.stderr);
  return r;
}

/** checked() for main.ts alone: its JS. */
function program(t: ExecutionContext, name: string, lines: string[], stdout: string, ignore?: RegExp): string {
  return checked(t, name, lines, stdout, { ignore }).js;
}

const colored = (js: string, name: string) => new RegExp(`__g\\.link\\(${name}, function\\*`).test(js);
const method = (js: string, name: string) => new RegExp(`\\*${name}\\(`).test(js);

/** A helper called from green code, for the switches' tests. */
const HELPER_MAIN = 'function helper(x: number): number { return x + 1; }\n/** @green */\nasync function main() { console.log(helper(1)); }\nmain();\n';

test('stress: a function called from plain code stays plain, and so does what only it calls (the fixed point)', (t) => {
  const js = program(t, 'plain-caller', [
    'function leaf(x: number): number { return x + 1; }',
    'function mid(x: number): number { return leaf(x) * 2; }',
    'function shared(x: number): number { return x - 1; }',
    'function both(x: number): number { return shared(x); }',
    '/** @green */',
    'async function main() { console.log(both(3), shared(1)); }',
    'console.log(mid(1));           // a plain caller at the top level',
    'const sum = [1, 2].map((v) => v + 1);  // a callback handed to library code',
    'main();',
  ], '4\n2 0\n');
  t.false(colored(js, 'mid'), 'called from the top level');
  t.false(colored(js, 'leaf'), 'its only caller stays plain');
  t.true(colored(js, 'both'));
  t.true(colored(js, 'shared'));
  t.false(/__g\.fn\(function\* \(v\)/.test(js), 'the map callback outside green code stays plain');
});

test('stress: pauses keep short-circuits and optional chains (a pause only when the call is made)', (t) => {
  const js = program(t, 'short-circuit', [
    'let calls = 0;',
    'function f(): number { calls++; return 1; }',
    'const o: { m(a?: number): number } | undefined = Math.random() > 2 ? { m: () => 1 } : undefined;',
    'const s: string | undefined = Math.random() > 2 ? "s" : undefined;',
    '/** @green */',
    'async function main() {',
    '  const x = calls > 0 && f();',
    '  const y = o?.m(f());',
    '  const z = s?.padStart(f());',
    '  const w = s?.trim();',
    '  console.log(x, y, z, w, calls);',
    '}',
    'main();',
  ], 'false undefined undefined undefined 0\n');
  t.regex(js, /calls > 0 && \(yield __g\.pause\(\), /);
  t.regex(js, /\(_a = o\) == null \? void 0 : \(yield __g\.pause\(\), /, 'a green optional call: the pause inside the guard');
  t.regex(js, /s\?\.padStart\(\(yield __g\.pause\(\), \(yield __g\.pause\(\), /, 'a plain optional call: its pause heads the arguments, then the one of f()');
  t.regex(js, /s\?\.trim\(\.\.\.\(yield __g\.pause\(\), \[\]\)\)/);
});

test('stress: values that escape stay plain: into library slots, arrays, decorated, destructured, called by name on an untyped receiver', (t) => {
  const js = program(t, 'escapes', [
    'function later(): void { console.log("timer"); }',
    'function made(): () => number { return function inner() { return 1; }; }',
    'const api = { hello(): string { return "hi"; }, bye(): string { return "bye"; } };',
    'class Box { open(): string { return "open"; } shut(): string { return "shut"; } }',
    'function ping(): string { return "ping"; }',
    '/** @green */',
    'async function main() {',
    '  setTimeout(later, 0);',
    '  const { hello } = api;',
    '  console.log([made()][0](), hello(), api.bye(), new Box().shut(), ping());',
    '}',
    'const anyBox: any = new Box();',
    'console.log(anyBox.open());',
    'main();',
  ], 'open\n1 hi bye shut ping\ntimer\n');
  t.false(colored(js, 'later'), 'handed to setTimeout');
  t.false(/function\* inner/.test(js), 'what made returns goes into an array');
  t.false(method(js, 'hello'), 'destructured out of api');
  t.true(method(js, 'bye'));
  t.false(method(js, 'open'), 'called by name on an any-typed receiver from plain code');
  t.true(method(js, 'shut'));
  t.true(colored(js, 'ping'));
});

test('stress: an object literal exported by name (export { api }, export { api as other }, export default api) stays plain: an importer outside the program calls its members', (t) => {
  const r = checked(t, 'export-by-name', [
    'const byName = { one(): string { return String(1); } };',
    'const renamed = { two(): string { return String(2); } };',
    'const byDefault = { three(): string { return String(3); } };',
    'const kept = { four(): string { return String(4); } };',
    'export { byName, renamed as other };',
    'export default byDefault;',
    '/** @green */',
    'async function main() { console.log(byName.one(), renamed.two(), byDefault.three(), kept.four()); }',
    'main();',
  ], '1 2 3 4\n');
  t.false(method(r.js, 'one'), 'export { byName }');
  t.false(method(r.js, 'two'), 'export { renamed as other }');
  t.false(method(r.js, 'three'), 'export default byDefault');
  t.true(method(r.js, 'four'), 'not exported: only main calls it');
  // plain JavaScript the program does not contain: a colored member would meet the run-time guard
  const importer = path.join(r.outDir, 'importer.js');
  fs.writeFileSync(importer, "const m = require('./main.js');\nconsole.log('importer', m.byName.one(), m.other.two(), m.default.three());\n");
  const out = runNode(importer);
  t.is(out.status, 0, out.stderr);
  t.regex(out.stdout, /^importer 1 2 3$/m, out.stderr);
});

test('stress: an object handed to a library under another name (a renamed or namespace import) stays plain', (t) => {
  const r = checked(t, 'import-renamed', [
    "import { tools as t } from './lib';",
    "import * as lib from './lib';",
    'for (const f of Object.values(t)) console.log(f());',
    'for (const f of Object.values(lib.more)) console.log(f());',
    '/** @green */',
    'async function main() { console.log(t.one(), lib.more.two(), lib.kept.three()); }',
    'main();',
  ], '1\n2\n1 2 3\n', { others: { 'lib.ts': [
    'export const tools = { one(): string { return String(1); } };',
    'export const more = { two(): string { return String(2); } };',
    'export const kept = { three(): string { return String(3); } };',
  ] } });
  const js = r.files.get('lib.js') ?? '';
  t.false(method(js, 'one'), 'handed to Object.values as t');
  t.false(method(js, 'two'), 'handed to Object.values as lib.more');
  t.true(method(js, 'three'));
});

test('stress: a method called through a structural type from plain code stays plain, in every class that has it', (t) => {
  const js = program(t, 'structural', [
    'class Task { run(): string { return String(1); } }',
    'class Job { run(): string { return String(2); } stop(): string { return String(3); } }',
    'function later(o: { run(): string }): void { setTimeout(() => console.log(o.run()), 0); }',
    '/** @green */',
    'async function main() { const t = new Task(); later(t); console.log(new Job().run(), new Job().stop()); }',
    'main();',
  ], '2 3\n1\n');
  t.false(method(js, 'run'), 'Task.run is called by shape from a timer; Job.run has the same name');
  t.true(method(js, 'stop'));
});

test('stress: a call tsc may move out of the body (a computed class member name) is a plain call: its callee stays plain, and it gets no pause', (t) => {
  const js = program(t, 'computed-name', [
    'function key(): string { return "k" + String(1); }',
    'function make(): string { class C { [key()] = 1; } return Object.keys(new C()).join(); }',
    '/** @green */',
    'async function main() { console.log(make()); }',
    'main();',
  ], 'k1\n', /computed property name/);
  t.true(colored(js, 'make'));
  t.false(colored(js, 'key'), 'called from a computed name');
  t.regex(js, /\[key\(\)\] = 1/);
});

test('stress: a call in an extends clause is a plain caller (a mixin applied at class definition stays plain)', (t) => {
  const js = program(t, 'heritage', [
    'type Ctor = new (...args: any[]) => object;',
    'function helper(n: number): number { return n * 2; }',
    'function Mixin<B extends Ctor>(base: B) { return class extends base { twice(n: number) { return helper(n); } }; }',
    'class Base { label = "base"; }',
    'class X extends Mixin(Base) {}',
    '/** @green */',
    'async function main() { console.log(new X().twice(21), helper(1)); }',
    'main();',
  ], '42 2\n');
  t.false(colored(js, 'Mixin'), 'called when X is defined, at the top level');
});

test('stress: a returned function is colored when every call of its maker is direct and every use of the result is green', (t) => {
  const js = program(t, 'returned', [
    'function adder(n: number) { return (x: number) => Math.max(x + n, 0); }',
    'function scaler(n: number) { return function scale(x: number) { return Math.max(x * n, 0); }; }',
    'function passed(n: number) { return (x: number) => Math.max(x - n, 0); }',
    'function keep(f: () => unknown): void { setTimeout(f, 0); }',
    '/** @green */',
    'async function main() {',
    '  const add2 = adder(2);',
    '  console.log(add2(1), adder(3)(1), scaler(2)(5));',
    '  const p = passed;',
    '  console.log(p(1)(5));',
    '}',
    'const s = scaler(3);',
    'keep(() => console.log("timer", s(2)));',
    'main();',
  ], '3 4 10\n4\ntimer 6\n');
  t.regex(js, /function\* adder[\s\S]*return __g\.fn\(function\* \(x\)/, "adder's arrow: its results are called from main only");
  t.false(/function\* scale\(/.test(js), "scaler's result is called from a timer");
  t.false(/__g\.fn\(function\* \(x\) \{\s*return \(yield __g\.pause\(\), Math\.max\(x - n/.test(js), 'passed is used as a value: what it returns is not followed');
});

test('stress: a virtual family is colored all or none (an override called from plain code keeps the base plain)', (t) => {
  const js = program(t, 'family', [
    'abstract class Shape { abstract area(): number; describe(): string { return `area ${this.area()}`; } }',
    'class Sq extends Shape { area(): number { return 4; } }',
    'class Circle extends Shape { area(): number { return 3; } }',
    'interface Named { name(): string }',
    'class A implements Named { name(): string { return "a"; } }',
    'class B implements Named { name(): string { return "b"; } }',
    '/** @green */',
    'async function main() { const s: Shape[] = [new Sq(), new Circle()]; for (const x of s) console.log(x.describe()); const n: Named[] = [new A(), new B()]; for (const x of n) console.log(x.name()); }',
    'console.log(new Circle().area());',
    'main();',
  ], '3\narea 4\narea 3\na\nb\n');
  t.false(method(js, 'area'), 'Circle.area has a plain caller: every area stays plain');
  t.true(method(js, 'describe'));
  t.is((js.match(/\*name\(/g) ?? []).length, 2, 'both implementations of Named.name');
});

test('stress: every fixture has the same diagnostics with and without stress, and stress colors at least what the plain analysis does', (t) => {
  let fixtures = 0, more = 0;
  for (const fx of listFixtures()) {
    const options = { ...defaultOptions, ...fixtureCompilerOptions(fx), outDir: path.join(DIR, 'unused'), rootDir: fx.dir };
    const program = ts.createProgram({ rootNames: fx.files, options, host: createHost(options) });
    const plain = analyze(program, {});
    const stressed = analyze(program, { stress: true });
    t.not(plain, stressed, 'the cache keeps the two analyses apart');
    const fmt = (ds: readonly ts.Diagnostic[]) => ds.map((d) => `${d.code} ${d.start} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    t.deepEqual(fmt(stressed.diagnostics), fmt(plain.diagnostics), `${fx.group}/${fx.name}`);
    for (const n of plain.rewrite.keys()) t.true(stressed.rewrite.has(n), `${fx.group}/${fx.name}: ${plain.describe(n)}`);
    if (stressed.rewrite.size > plain.rewrite.size) more++;
    t.true(stressed.pauses.size > 0 || plain.rewrite.size === 0, `${fx.group}/${fx.name} has pauses`);
    fixtures++;
  }
  t.true(fixtures > 20);
  t.true(more > 5, `stress colors more functions than the plain analysis in ${more} fixtures`);
});

test('stress: green-tsc --stress compiles in stress mode; plain green-tsc does not', async (t) => {
  const dir = path.join(DIR, 'cli');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.ts'), HELPER_MAIN);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, outDir: 'out', types: [] }, files: ['main.ts'] }));
  const out = path.join(dir, 'out', 'main.js');
  t.is(await cli(['-p', dir]), 0);
  t.false(fs.readFileSync(out, 'utf8').includes('__g.pause'));
  t.is(await cli(['--stress', '-p', dir]), 0);
  const js = fs.readFileSync(out, 'utf8');
  t.true(js.includes('__g.pause') && colored(js, 'helper'), js);
  t.is(runNode(out).stdout, '2\n');
  t.is(await cli(['check', '--stress', '-p', dir]), 1, '--stress is for compiles only');
});

test('stress: the ts-patch entry takes "stress": true from its config (and only true)', (t) => {
  const dir = path.join(DIR, 'tspatch');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, HELPER_MAIN);
  const options = { ...defaultOptions, outDir: path.join(dir, 'out'), rootDir: dir };
  const emit = (config: Record<string, unknown>) => {
    const program = ts.createProgram({ rootNames: [file], options, host: createHost(options) });
    const t2 = greenTransformer(program, config);
    let js = '';
    program.emit(undefined, (name, text) => { if (name.endsWith('.js')) js = text; }, undefined, undefined, { before: t2.before });
    return js;
  };
  t.true(emit({ stress: true }).includes('__g.pause'));
  t.false(emit({ stress: 'yes' }).includes('__g.pause'));
  t.false(emit({}).includes('__g.pause'));
});

test('stress: a pause is a real suspension: two threads that never wait interleave at every call', (t) => {
  program(t, 'interleave', [
    "import { all } from 'green-ts';",
    'const log: string[] = [];',
    'function note(s: string): void { log.push(s); }',
    'function count(s: string): number { for (let i = 0; i < 3; i++) note(s); return 3; }',
    '/** @green */',
    'async function main() { all([() => count("a"), () => count("b")]); console.log(log.join("")); }',
    'main();',
  ], 'ababab\n');
});
