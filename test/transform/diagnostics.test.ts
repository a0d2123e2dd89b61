// One test per diagnostic kind (DESIGN.md "Suspension analysis": compile errors, each with file:line,
// the chain and the fix), plus the guarantee that an internal failure becomes a diagnostic.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { compile, outRoot, createHost, defaultOptions, formatDiagnostics } from './harness.js';
import { createGreenTransformers } from '../../transformer/index.js';

const header = `import { sleep, run } from 'green-ts';\nfunction find(id: number): number { sleep(1); return id; }\n`;

function diagnose(name: string, source: string, compilerOptions: ts.CompilerOptions = {}) {
  const dir = path.join(outRoot, 'diag', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const file = path.join(dir, 'src', 'main.ts');
  fs.writeFileSync(file, header + source);
  const r = compile([file], path.join(dir, 'out'), { transform: true, rootDir: path.join(dir, 'src'), compilerOptions });
  const typeErrors = r.diagnostics.filter((d) => d.code < 94000);
  return { green: r.diagnostics.filter((d) => d.code >= 94000), typeErrors: formatDiagnostics(typeErrors), text: r.formatted, r };
}

/** `src/main.ts(line,col): error TS94xxx: ...` lines for the green diagnostics */
function lines(ds: readonly ts.Diagnostic[]): string[] {
  return formatDiagnostics(ds).trim().split('\n').map((l) => l.replace(/test\/\.out\/diag\/[^/]+\//g, ''));
}

test('suspending call from non-green code: file:line, chain, fix', (t) => {
  const d = diagnose('non-green', `function load(): number { return find(2); }\nload();\nrun(() => load());\n`);
  t.is(d.typeErrors, '');
  t.is(d.green.length, 1);
  const [l] = lines(d.green);
  t.regex(l!, /^src\/main\.ts\(4,1\): error TS94001: /);
  t.regex(l!, /Suspending call 'load' from non-green code \(load \(src\/main\.ts:3\) -> find \(src\/main\.ts:2\) -> sleep \[@suspends\]\)/);
  t.regex(l!, /run\(\(\) => \.\.\.\)/);
  t.regex(l!, /@green/);
});

test('suspending constructor: use a static factory', (t) => {
  const d = diagnose('ctor', `class Repo {\n  id: number;\n  constructor() { this.id = find(1); }\n}\nexport { Repo };\n`);
  t.is(d.typeErrors, '');
  const [l] = lines(d.green);
  t.regex(l!, /^src\/main\.ts\(5,29\): error TS94002: A constructor cannot suspend: it calls 'find', which suspends \(find \(src\/main\.ts:2\) -> sleep \[@suspends\]\)\. .*static factory/);
});

test('suspending getter and setter', (t) => {
  const d = diagnose('accessor', `class C {\n  get x(): number { return find(1); }\n  set y(v: number) { find(v); }\n}\nexport { C };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 2);
  t.regex(ls[0]!, /^src\/main\.ts\(4,28\): error TS94003: A getter cannot suspend: it calls 'find'.*Turn 'x' into a method/);
  t.regex(ls[1]!, /^src\/main\.ts\(5,22\): error TS94003: A setter cannot suspend/);
});

test('suspending class field initializer and static block', (t) => {
  const d = diagnose('initializer', `class C {\n  x = find(1);\n  static s = find(2);\n  static { find(3); }\n  ok = () => find(4);\n}\nexport { C };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 3, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(4,7\): error TS94004: A class field initializer cannot suspend/);
  t.regex(ls[1]!, /^src\/main\.ts\(5,14\): error TS94004: A class field initializer cannot suspend/);
  t.regex(ls[2]!, /^src\/main\.ts\(6,12\): error TS94004: A static block cannot suspend/);
});

test('suspending enum member initializer, even inside green code (tsc emits the enum as a function of its own)', (t) => {
  const d = diagnose('enum-member', `/** @green */\nasync function main() {\n  enum E { A = 1, B = find(2) }\n  return E.B;\n}\nexport { main };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 1, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(5,23\): error TS94004: An enum member initializer cannot suspend: it calls 'find', which suspends/);
});

test('suspending decorator expression, even inside green code (tsc evaluates standard decorators in a function of its own)', (t) => {
  const d = diagnose('decorator-expression', `function tag(n: number) { return (c: any, _ctx?: unknown) => c; }\n/** @green */\nasync function main() {\n  @tag(find(2)) class Y {}\n  return new Y();\n}\nexport { main };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 1, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(6,8\): error TS94004: A decorator expression cannot suspend: it calls 'find', which suspends/);
});

test('@green with a non-Promise return type: declare it async', (t) => {
  const d = diagnose('green-not-async', `/** @green */\nfunction entry(): number { return find(1); }\n/** @green */\nfunction ok(): Promise<number> { return Promise.resolve(find(1)); }\n/** @green */\nfunction fire(): void { find(1); }\nexport { entry, ok, fire };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 1, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(4,10\): error TS94005: The @green function 'entry' returns 'number': a @green entry point returns a Promise\. Declare it 'async'/);
});

test('suspending call inside a plain async function or a user generator', (t) => {
  const d = diagnose('async-generator', `async function a(): Promise<number> { return find(1); }\nfunction* g(): Generator<number> { yield find(2); }\nexport { a, g };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 2, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(3,46\): error TS94006: Suspending call 'find' \(find \(src\/main\.ts:2\) -> sleep \[@suspends\]\) inside the plain async function 'a'\. .*wait\(\.\.\.\).*@green/);
  t.regex(ls[1]!, /^src\/main\.ts\(4,42\): error TS94006: .*inside the generator 'g'/);
});

test('suspending callback passed to a library function or a builtin not in the list', (t) => {
  const d = diagnose('callback', `/** @green */\nasync function main() {\n  setTimeout(() => find(1), 1);\n  [1, 2].map((x) => find(x));\n  new Promise<number>((resolve) => resolve(find(3)));\n}\nexport { main };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 2, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(5,14\): error TS94007: A suspending function is passed to 'setTimeout', which green-ts cannot rewrite \(<anonymous> \(src\/main\.ts:5\) -> find \(src\/main\.ts:2\) -> sleep \[@suspends\]\)/);
  t.regex(ls[1]!, /^src\/main\.ts\(7,23\): error TS94007: A suspending function is passed to 'new Promise'/);
});

test('suspending function escaping into a typed slot that cannot run it', (t) => {
  const d = diagnose('escape', `Error.prepareStackTrace = (e) => String(find(1)) + String(e);\n`);
  const ls = lines(d.green);
  t.is(ls.length, 1, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(3,27\): error TS94008: A suspending function escapes into 'Error\.prepareStackTrace'.*cannot run it/);
});

test('an internal failure becomes a diagnostic naming the node and file:line, and the compile goes on', (t) => {
  const dir = path.join(outRoot, 'diag', 'internal');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, header + `/** @green */\nasync function main() { find(1); }\nmain();\n`);
  const options = { ...defaultOptions, outDir: path.join(dir, 'out'), rootDir: dir };
  const program = ts.createProgram({ rootNames: [file], options, host: createHost(options) });
  const checker = program.getTypeChecker();
  const original = checker.getSymbolAtLocation.bind(checker);
  checker.getSymbolAtLocation = (n) => { if (ts.isIdentifier(n) && n.text === 'main' && ts.isCallExpression(n.parent)) throw new Error('simulated failure'); return original(n); };
  (program as { getTypeChecker: () => ts.TypeChecker }).getTypeChecker = () => checker;
  const g = createGreenTransformers(program);
  const r = program.emit(undefined, () => {}, undefined, undefined, { before: g.before });
  const ds = [...g.diagnostics, ...r.diagnostics];
  const text = formatDiagnostics(ds);
  t.regex(text, /main\.ts\(5,1\): error TS94010: green-ts internal error at .*main\.ts:5 \(CallExpression\): Error: simulated failure/);
  t.false(r.emitSkipped);
});

test('a construct green code cannot hold (for await in a @green function) is a diagnostic, not broken output', (t) => {
  const d = diagnose('for-await', `/** @green */\nasync function main(xs: AsyncIterable<number>) {\n  for await (const x of xs) find(x);\n}\nexport { main };\n`);
  const ls = lines(d.green);
  t.is(ls.length, 1, ls.join('\n'));
  t.regex(ls[0]!, /^src\/main\.ts\(5,3\): error TS94009: 'for await' cannot be used in green code \('main' is rewritten/);
});
