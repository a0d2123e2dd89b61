// green-tsc (the compile path) and the ts-patch entry: same emit, tsc's exit codes and format.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { outRoot, repoRoot } from './harness.js';

const bin = path.join(repoRoot, 'bin', 'green-tsc.js');

function project(name: string, main: string, extra: Record<string, unknown> = {}, transform = 'green-ts/transformer'): string {
  const dir = path.join(outRoot, 'cli', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), main);
  fs.writeFileSync(path.join(dir, 'src', 'repo.ts'), `import { sleep } from 'green-ts';\nexport function find(id: number): string { sleep(1); return 'user' + id; }\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, outDir: 'out', rootDir: 'src', types: ['node'], skipLibCheck: true, ...extra,
      plugins: [{ transform }] },
    include: ['src'],
  }, null, 2));
  return dir;
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cmd, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const good = `import { find } from './repo';\n/** @green */\nasync function main() { console.log(find(7)); }\nmain();\n`;
const bad = `import { find } from './repo';\nconsole.log(find(7));\n`;

test('green-tsc -p compiles with the transform: exit 0, runnable output', (t) => {
  const dir = project('good', good);
  const r = run(bin, ['-p', 'tsconfig.json'], dir);
  t.is(r.status, 0, r.stdout + r.stderr);
  t.is(r.stdout, '');
  t.regex(fs.readFileSync(path.join(dir, 'out', 'repo.js'), 'utf8'), /__g\.linkp\(find, function find\(\$k_1, id\)/);
  const exec = spawnSync(process.execPath, [path.join(dir, 'out', 'main.js')], { encoding: 'utf8' });
  t.is(exec.stdout, 'user7\n', exec.stderr);
});

test('green-tsc reports green-ts diagnostics in tsc format with exit 2 (outputs generated)', (t) => {
  const dir = project('bad', bad);
  const r = run(bin, ['-p', '.', '--pretty', 'false'], dir);
  t.is(r.status, 2);
  t.regex(r.stdout, /^src\/main\.ts\(2,13\): error TS94001: Suspending call 'find' from non-green code \(find \(src\/repo\.ts:2\) -> sleep \[@suspends\]\)/);
  t.true(fs.existsSync(path.join(dir, 'out', 'main.js')));
});

test('green-tsc with noEmitOnError: exit 1, nothing emitted; type errors come first like tsc', (t) => {
  const dir = project('no-emit', bad + `const n: number = 'x';\n`, { noEmitOnError: true });
  const r = run(bin, ['-p', '.', '--pretty', 'false'], dir);
  t.is(r.status, 1);
  const lines = r.stdout.trim().split('\n');
  t.is(lines.length, 2, r.stdout);
  t.regex(lines[0]!, /^src\/main\.ts\(2,13\): error TS94001/);
  t.regex(lines[1]!, /^src\/main\.ts\(3,7\): error TS2322/);
  t.false(fs.existsSync(path.join(dir, 'out', 'main.js')));
});

test('green-tsc --pretty prints tsc\'s context and summary', (t) => {
  const dir = project('pretty', bad);
  const r = run(bin, ['-p', '.', '--pretty'], dir);
  t.is(r.status, 2);
  t.regex(r.stdout, /error.*TS94001/);
  t.regex(r.stdout, /Found 1 error in src\/main\.ts/);
});

test('ts-patch: tspc with the plugin entry emits the same files and diagnostics as green-tsc', (t) => {
  // a project outside node_modules names the entry by path (inside a real project: "green-ts/transformer")
  const entry = path.join(repoRoot, 'dist', 'transformer', 'index.js');
  const a = project('real-tspc-a', good + bad.split('\n')[1] + '\n');
  const b = project('real-tspc-b', good + bad.split('\n')[1] + '\n', {}, entry);
  const viaCli = run(bin, ['-p', '.', '--pretty', 'false'], a);
  const viaPatch = run(path.join(repoRoot, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), ['-p', '.', '--pretty', 'false'], b);
  t.is(viaPatch.stdout, viaCli.stdout, viaPatch.stderr);
  t.is(viaPatch.status, 2);
  t.is(viaCli.status, 2);
  for (const f of ['main.js', 'repo.js']) t.is(fs.readFileSync(path.join(b, 'out', f), 'utf8'), fs.readFileSync(path.join(a, 'out', f), 'utf8'), f);
});

// This drives the entry exactly as ts-patch's "program" plugin type does: default export called with
// (program, config, { ts, addDiagnostic, ... }), its { before, afterDeclarations } passed to emit and
// the added diagnostics reported with the program's. Output must equal green-tsc's.
test('the ts-patch entry (program type, extras.ts, extras.addDiagnostic) emits the same files and diagnostics as green-tsc', (t) => {
  const a = project('tspc-a', good + bad.split('\n')[1] + '\n');
  const b = project('tspc-b', good + bad.split('\n')[1] + '\n');
  const viaCli = run(bin, ['-p', '.', '--pretty', 'false'], a);
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(b, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const added: ts.Diagnostic[] = [];
  const entry = require('green-ts/transformer').default as (p: ts.Program, c: object, x: object) => ts.CustomTransformers;
  const plugin = (parsed.options.plugins as unknown as { transform: string }[])[0]!;
  t.is(plugin.transform, 'green-ts/transformer');
  const transformers = entry(program, plugin, { ts, library: 'typescript', addDiagnostic: (d: ts.Diagnostic) => added.push(d), removeDiagnostic: () => {}, diagnostics: added });
  const emit = program.emit(undefined, undefined, undefined, undefined, transformers);
  const all = ts.sortAndDeduplicateDiagnostics([...ts.getPreEmitDiagnostics(program), ...emit.diagnostics, ...added]);
  const text = ts.formatDiagnostics(all, { getCurrentDirectory: () => b, getNewLine: () => '\n', getCanonicalFileName: (f) => f });
  t.is(text, viaCli.stdout);
  for (const f of ['main.js', 'repo.js', 'main.js.map'].filter((x) => fs.existsSync(path.join(a, 'out', x)))) {
    t.is(fs.readFileSync(path.join(b, 'out', f), 'utf8'), fs.readFileSync(path.join(a, 'out', f), 'utf8'), f);
  }
});

test('green-tsc never crashes when TypeScript\'s own emitter throws: the errors and a TS94010 diagnostic, exit 1', (t) => {
  // tsc 5.9 itself throws "Debug Failure" emitting this (a private name in an optional chain,
  // directly under `return`), after reporting TS18030
  const main = `class Box {\n  #secret(k: number): string { return String(k); }\n  peer(o: { p: Box } | undefined): string | undefined { return o?.p.#secret(1); }\n}\nconsole.log(new Box().peer(undefined));\n`;
  const dir = project('emitter-throws', main);
  const r = run(bin, ['-p', 'tsconfig.json', '--pretty', 'false'], dir);
  t.is(r.status, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /src\/main\.ts\(3,\d+\): error TS18030: /);
  t.regex(r.stdout, /error TS94010: TypeScript's emitter threw while writing the output: Debug Failure/);
  t.notRegex(r.stderr, /\bat \w/, 'no stack trace of a crash on stderr');
});
