// node dist/test/fuzz/cli.js --count N --seed S [--start I] [--batch B] [--workers W] [--stress]
//                            [--no-minimise] [--keep] [--quiet]
// node dist/test/fuzz/cli.js --hostile --count N --seed S     (hostile-input mode, see ./hostile.ts)
// Differential fuzzing of the green-ts transformer (issue 8). Prints one line per mismatch:
//   mismatch seed=S index=I kind=K minimised=<path of main.ts> program=<path> :: <first line of detail>
// and ends with `fuzz: N programs, M mismatches`. Exit status 0 only when M is 0.
// Everything is written under test/.out/fuzz/run-<seed>-<start>/ (git-ignored); minimised programs
// under test/.out/fuzz/run-<seed>-<start>/min/<name>/ with main.ts, expected.out (the plain run), actual.out
// (the transformed run) and info.txt.
import * as path from 'node:path';
import { fuzz } from './fuzz.js';
import * as fs from 'node:fs';
import { ROOT, stressSupported } from './compile.js';
import { checkHostile, hostileUnits } from './hostile.js';

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (v !== undefined) out[k] = v;
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out[k] = argv[++i]!;
    else out[k] = true;
  }
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const known = new Set(['count', 'seed', 'start', 'batch', 'workers', 'stress', 'no-minimise', 'keep', 'quiet', 'help', 'hostile']);
  for (const k of Object.keys(args)) if (!known.has(k)) throw new Error(`unknown option --${k}`);
  if (args.help) {
    process.stdout.write('usage: node dist/test/fuzz/cli.js --count N --seed S [--start I] [--batch B] [--workers W] [--stress] [--no-minimise] [--keep] [--quiet]\n');
    return 0;
  }
  const num = (k: string, d: number) => {
    const v = args[k];
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} wants a non-negative integer, got ${String(v)}`);
    return n;
  };
  const count = num('count', 100);
  const seed = num('seed', 1);
  const stress = args.stress === true;
  if (stress && !stressSupported()) {
    process.stdout.write('fuzz: --stress: stress option not implemented by the transformer (it exports no capabilities.stress)\n');
    return 2;
  }
  const t0 = Date.now();
  if (args.hostile) {
    // hostile-input mode: mutants of the fixtures fed to the transformer; it must never throw
    const units = hostileUnits(seed, count);
    const dir = path.join(ROOT, 'test/.out/fuzz', `hostile-${seed}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const failures = checkHostile(dir, units, { transformerOptions: stress ? { stress: true } : {} });
    for (const f of failures) process.stdout.write(`${f.kind} ${f.name} file=${path.relative(process.cwd(), f.file)} from ${f.origin} :: ${f.detail.split('\n')[0]}\n`);
    if (!args.quiet) process.stderr.write(`hostile: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`hostile: ${count} mutants, ${failures.length} failures\n`);
    return failures.length === 0 ? 0 : 1;
  }
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  const r = await fuzz({
    seed,
    count,
    start: num('start', 0),
    batchSize: num('batch', 50),
    workers: args.workers !== undefined ? num('workers', 2) : undefined,
    minimise: args['no-minimise'] !== true,
    clean: args.keep !== true,
    transformerOptions: stress ? { stress: true } : {},
    progress: args.quiet ? undefined : (l) => process.stderr.write(`fuzz: ${l}\n`),
    onMismatch: (m) => {
      process.stdout.write(
        `mismatch seed=${m.seed} index=${m.index} kind=${m.kind} minimised=${m.minimised ? rel(m.minimised) : '-'} program=${rel(m.program)} :: ${m.detail.split('\n')[0]}\n`,
      );
    },
  });
  if (!args.quiet) {
    process.stderr.write(
      `fuzz: ${((Date.now() - t0) / 1000).toFixed(1)} s (compile ${(r.phases.compile / 1000).toFixed(1)} s, run ${(r.phases.run / 1000).toFixed(1)} s, minimise ${(r.phases.minimise / 1000).toFixed(1)} s), output under ${rel(path.join(ROOT, 'test/.out/fuzz'))}\n`,
    );
  }
  process.stdout.write(`fuzz: ${r.programs} programs, ${r.mismatches.length} mismatches\n`);
  return r.mismatches.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`fuzz: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
