// Run-time guard (DESIGN.md "Runtime guard"), byte-identical output without marks, and source-mapped
// stacks. Each compiles a small program into test/.out and runs it with node.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { compile, outRoot, runNode, repoRoot, createHost, defaultOptions } from './harness.js';
import { createGreenTransformers } from '../../transformer/index.js';

function program(name: string, source: string, transform: boolean) {
  const dir = path.join(outRoot, 'guard', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, source);
  const r = compile([file], path.join(dir, transform ? 'green' : 'plain'), { transform, rootDir: dir });
  return { ...r, run: () => runNode(path.join(r.outDir, 'main.js'), ['--enable-source-maps']) };
}

const lib = `import { sleep, suspend } from 'green-ts';
export function maybeSleep(really: boolean): string { if (really) sleep(1); return 'completed'; }
export function tick<T>(v: T): T { return suspend<T>((resume) => { resume(null, v); }); }
`;

test('a suspending function called from code the transformer did not rewrite completes when nothing suspends', (t) => {
  const p = program('guard-completes', lib + `
// typed any: the analysis cannot see this flow, the guard handles it at run time
(globalThis as any).f = maybeSleep;
(globalThis as any).g = (x: string) => x + maybeSleep(false);
console.log([false].map((globalThis as any).f).join(), ['nested:'].map((globalThis as any).g).join());
`, true);
  t.is(p.formatted, '');
  const r = p.run();
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, 'completed nested:completed\n');
});

test('... and throws GreenContextError naming the function and the fix when it really suspends, with finally blocks run', (t) => {
  const p = program('guard-throws', lib + `
function withFinally(): string { try { return maybeSleep(true); } finally { console.log('finally ran'); } }
(globalThis as any).f = withFinally;
try { [true].map((globalThis as any).f); } catch (e) { console.log((e as Error).name, (e as Error).message); }
`, true);
  t.is(p.formatted, '');
  const r = p.run();
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^finally ran\nGreenContextError .*withFinally\(\)/);
  t.regex(r.stdout, /run\(\(\) => /);
});

test('a green-only primitive called with the transformer not applied throws GreenContextError pointing at the setup', (t) => {
  const p = program('guard-no-transform', `import { sleep } from 'green-ts';
try { sleep(1); } catch (e) { console.log((e as Error).name + ': ' + (e as Error).message); }
`, false);
  t.is(p.formatted, '');
  const r = p.run();
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^GreenContextError: .*transformer/);
});

test('a thrown error\'s stack names the original TypeScript lines (source maps)', (t) => {
  const p = program('stack', lib + `
function inner(n: number): number {
  tick(n);
  throw new Error('deep failure');
}
function outer(): number { return inner(1) + 1; }
/** @green */
async function main() {
  try { outer(); } catch (e) { console.log((e as Error).stack); }
}
main();
`, true);
  t.is(p.formatted, '');
  const r = p.run();
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /Error: deep failure/);
  t.regex(r.stdout, /main\.ts:7\b/, 'the throw');
  t.regex(r.stdout, /main\.ts:9\b/, 'the caller');
  t.regex(r.stdout, /main\.ts:12\b/, 'the entry');
});

function emitAll(rootNames: string[], options: ts.CompilerOptions, transform: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const prog = ts.createProgram({ rootNames, options, host: createHost(options) });
  const write: ts.WriteFileCallback = (f, text) => { out.set(f, text); };
  if (transform) {
    const g = createGreenTransformers(prog);
    prog.emit(undefined, write, undefined, undefined, { before: g.before, afterDeclarations: g.afterDeclarations });
  } else prog.emit(undefined, write);
  return out;
}

test('with no marks, emitted output is byte-identical to plain tsc: unmarked programs', (t) => {
  const dir = path.join(outRoot, 'guard', 'identity');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    'a.ts': `export async function load(id: number): Promise<number> { await null; return id; }\nexport class A { #x = 1; get x() { return this.#x; } static m() { return [1, 2].map((v) => v * 2); } }\n`,
    'b.ts': `import { load, A } from './a';\n/** docs */\nexport function* gen() { yield 1; }\nconst o = { m() { return this; }, async n() { return load(1); } };\nlabel: for (const x of [1]) { if (x) break label; }\nexport default o?.m()?.n() ?? new A().x;\n`,
  };
  const roots = Object.entries(files).map(([n, text]) => { const f = path.join(dir, n); fs.writeFileSync(f, text); return f; });
  const options = { ...defaultOptions, outDir: path.join(dir, 'out'), rootDir: dir, declaration: true };
  const plain = emitAll(roots, options, false);
  const green = emitAll(roots, options, true);
  t.true(plain.size >= 6);
  t.deepEqual([...green.entries()], [...plain.entries()]);
});

test('with no marks, emitted output is byte-identical to plain tsc: the project\'s own sources', (t) => {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(repoRoot, 'tsconfig.json'), { outDir: path.join(outRoot, 'identity-self') }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  // the runtime's sources declare suspension points, and code importing green-ts or the runtime uses them:
  // those files are rewritten on purpose. Everything else must come out exactly as tsc emits it.
  const unmarked = parsed.fileNames.filter((f) => !/[/\\]runtime[/\\]/.test(f) && !/@(suspends|green)\b|from '(green-ts|(\.\.?\/)+(dist\/)?runtime)/.test(fs.readFileSync(f, 'utf8')));
  const plain = emitAll(parsed.fileNames, parsed.options, false);
  const green = emitAll(parsed.fileNames, parsed.options, true);
  let compared = 0;
  for (const [file, text] of plain) {
    const src = unmarked.find((u) => file.includes(path.relative(repoRoot, u).replace(/\.ts$/, '.')));
    if (!src) continue;
    compared++;
    t.is(green.get(file), text, file);
  }
  t.true(compared > 20, `compared ${compared} files`);
});

test('packages built with green-ts carry @suspends in their .d.ts, so a dependent project is analysed correctly', (t) => {
  const dir = path.join(outRoot, 'guard', 'package');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'pkg'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'pkg', 'index.ts'), lib + `export const shout = (s: string) => tick(s).toUpperCase();
export class Repo { find(id: number): string { return maybeSleep(id > 0) + id; } plain(): number { return 1; } }
/** @green */
export async function entry(): Promise<string> { return shout('x'); }
`);
  const built = compile([path.join(dir, 'pkg', 'index.ts')], path.join(dir, 'pkg', 'dist'), { transform: true, rootDir: path.join(dir, 'pkg'), compilerOptions: { declaration: true } });
  t.is(built.formatted, '');
  const dts = fs.readFileSync(path.join(dir, 'pkg', 'dist', 'index.d.ts'), 'utf8');
  t.regex(dts, /\/\*\* @suspends \*\/\nexport declare function maybeSleep/);
  t.regex(dts, /\/\*\* @suspends \*\/\nexport declare const shout/);
  t.regex(dts, /\/\*\* @suspends \*\/\n\s+find\(id: number\): string;\n\s+plain\(\): number;/);
  t.notRegex(dts, /@suspends \*\/\nexport declare function entry/);
  fs.writeFileSync(path.join(dir, 'app', 'main.ts'), `import { shout, Repo } from '../pkg/dist/index.js';\nconsole.log(shout('a'));\nconsole.log(new Repo().find(1));\n`);
  const app = compile([path.join(dir, 'app', 'main.ts')], path.join(dir, 'app', 'out'), { transform: true, rootDir: path.join(dir, 'app') });
  const ls = app.formatted.trim().split('\n');
  t.is(ls.length, 2, app.formatted);
  t.regex(ls[0]!, /app\/main\.ts\(2,13\): error TS94001: Suspending call 'shout' from non-green code \(shout \[@suspends\]\)/);
  t.regex(ls[1]!, /app\/main\.ts\(3,13\): error TS94001: Suspending call 'new Repo\(\)\.find'/);
});

test('the runtimeModule option names the module emitted code imports', (t) => {
  const dir = path.join(outRoot, 'guard', 'runtime-module');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, lib);
  const r = compile([file], path.join(dir, 'out'), { transform: true, rootDir: dir, green: { runtimeModule: 'green-ts/internal' } });
  t.regex(r.files.get('main.js')!, /const __g = require\("green-ts\/internal"\);/);
  const custom = compile([file], path.join(dir, 'out2'), { transform: true, rootDir: dir, green: { runtimeModule: './my-runtime.js' } });
  t.regex(custom.files.get('main.js')!, /const __g = require\("\.\/my-runtime\.js"\);/);
  t.is(custom.formatted, '');
});
