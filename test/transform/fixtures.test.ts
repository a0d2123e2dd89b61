// Every fixture under fixtures/<group>/<name>/: compile with the transform, compare the emitted JS
// with the golden files in expected/, run it and compare stdout with expected.out; then compile it
// with plain tsc and run that against synchronous stand-ins of the runtime (sync-runtime.ts):
// stdout must be the same. Accept new goldens with: GREEN_ACCEPT=1 npx ava dist/test/transform/
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accept, compile, formatDiagnostics, fixtureCompilerOptions, golden, jsName, listFixtures, outRoot, runNode, syncHooks } from './harness.js';

for (const fx of listFixtures()) {
  const id = `${fx.group}/${fx.name}`;
  const out = path.join(outRoot, 'transform', fx.group, fx.name);
  const compilerOptions = fixtureCompilerOptions(fx);
  const mainJs = path.relative(fx.dir, jsName(fx.main));

  test.serial(`${id}: golden emit, run`, (t) => {
    const green = compile(fx.files, path.join(out, 'green'), { transform: true, rootDir: fx.dir, compilerOptions });
    const typeErrors = green.diagnostics.filter((d) => d.code < 94000);
    t.deepEqual(formatDiagnostics(typeErrors), '', 'the fixture type-checks');
    const greenDiagnostics = formatDiagnostics(green.diagnostics.filter((d) => d.code >= 94000));
    const expectedDiagnostics = golden(path.join(fx.dir, 'expected.diagnostics'), greenDiagnostics);
    t.is(greenDiagnostics, expectedDiagnostics ?? '', 'green-ts diagnostics');
    for (const [file, text] of green.files) {
      const expected = golden(path.join(fx.dir, 'expected', file), text);
      t.is<string | undefined, string | undefined>(text, expected, `golden ${file}`);
    }
    if (fx.config.run === false) return;
    const r = runNode(path.join(green.outDir, mainJs), ['--enable-source-maps']);
    t.is(r.status, 0, r.stderr);
    const expectedOut = golden(path.join(fx.dir, 'expected.out'), r.stdout);
    t.is<string | undefined, string | undefined>(r.stdout, expectedOut, "stdout");
  });

  if (fx.config.differential === false || fx.config.run === false) continue;
  test.serial(`${id}: differential (plain tsc + synchronous stand-ins)`, (t) => {
    const plain = compile(fx.files, path.join(out, 'plain'), { transform: false, rootDir: fx.dir, compilerOptions });
    t.is(plain.formatted, '', 'plain tsc diagnostics');
    // a file of the fixture that needed no rewriting is emitted byte for byte as plain tsc emits it
    for (const [file, text] of plain.files) {
      const greenFile = path.join(out, 'green', file);
      if (!fs.existsSync(greenFile)) continue;
      const green = fs.readFileSync(greenFile, 'utf8');
      if (!green.includes('__g')) t.is(green, text, `unmarked ${file} is byte-identical`);
    }
    const r = runNode(path.join(plain.outDir, mainJs), syncHooks);
    t.is(r.status, 0, r.stderr);
    const expectedFile = path.join(fx.dir, 'expected.out');
    if (accept && !fs.existsSync(expectedFile)) return;
    t.is(r.stdout, fs.readFileSync(expectedFile, 'utf8'));
  });
}
