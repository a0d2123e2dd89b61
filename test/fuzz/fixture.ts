// node dist/test/fuzz/fixture.js fixtures/fuzz/<name> [--write]
// For a bug fixture written from a minimised fuzz program: compile it with and without the
// transform exactly as test/transform/fixtures.test.ts does (its harness), run the plain build on
// the synchronous stand-ins and the transformed build on the real runtime, print both outputs and
// whether they agree. With --write, store the plain run's stdout as expected.out (the correct
// behaviour: what the program means), never the transformed one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, formatDiagnostics, jsName, runNode, syncHooks } from '../transform/harness.js';
import { OUT_ROOT } from './compile.js';

function main(): number {
  const [dirArg, flag] = process.argv.slice(2);
  if (!dirArg) throw new Error('usage: node dist/test/fuzz/fixture.js fixtures/fuzz/<name> [--write]');
  const dir = path.resolve(dirArg);
  const mainTs = path.join(dir, 'main.ts');
  const files = fs.readdirSync(dir).filter((f) => /\.[cm]?ts$/.test(f)).map((f) => path.join(dir, f));
  const out = path.join(OUT_ROOT, 'fixture', path.basename(dir));
  const mainJs = path.relative(dir, jsName(mainTs));
  const plain = compile(files, path.join(out, 'plain'), { transform: false, rootDir: dir });
  if (plain.formatted) process.stdout.write(`plain tsc diagnostics:\n${plain.formatted}\n`);
  const green = compile(files, path.join(out, 'green'), { transform: true, rootDir: dir });
  const gd = formatDiagnostics(green.diagnostics);
  if (gd) process.stdout.write(`green-ts diagnostics:\n${gd}\n`);
  const p = runNode(path.join(plain.outDir, mainJs), syncHooks);
  const g = runNode(path.join(green.outDir, mainJs));
  process.stdout.write(`--- plain (stand-ins), exit ${p.status}\n${p.stdout}${p.stderr}--- transformed, exit ${g.status}\n${g.stdout}${g.stderr}`);
  const same = p.stdout === g.stdout && p.status === g.status;
  process.stdout.write(same ? '=== same output\n' : '=== OUTPUTS DIFFER\n');
  if (flag === '--write') {
    fs.writeFileSync(path.join(dir, 'expected.out'), p.stdout);
    process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(dir, 'expected.out'))}\n`);
  }
  return same ? 0 : 1;
}

process.exit(main());
