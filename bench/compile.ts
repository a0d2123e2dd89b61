// Compile-time cost of green-ts: green-tsc vs plain tsc on a generated program of 500 files in which
// 20% of the functions suspend (they reach `sleep` through calls, across files). Each tool runs as
// its own process, alternately, several times; medians of wall time are compared (target <= 1.25x),
// and the ratio of each round (the tools run back to back, so they share the machine's load).
//
//   node dist/bench/compile.js [--files 500] [--runs 5] [--out file.md] [--baseline path/to/green-tsc.js]
//
// --baseline: another build's green-tsc (e.g. a checkout of an older commit), run in the same rounds
// as a third tool, so a change is measured against its predecessor on the same machine state.
// --out writes the report of this run to a file (bench/results/compile.md keeps a history: paste it there).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const repo = path.resolve(__dirname, '..', '..');
const { values } = parseArgs({ options: { files: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' }, out: { type: 'string' }, baseline: { type: 'string' } } });
const FILES = Number(values.files);
const RUNS = Number(values.runs);
const FNS_PER_FILE = 10;

/** A deterministic program: file i has 10 functions; 2 of them suspend (sleep, or a suspending function of file i-1). */
function generate(dir: string): { functions: number; suspending: number } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  let suspending = 0;
  for (let i = 0; i < FILES; i++) {
    const lines: string[] = [`import { sleep } from 'green-ts';`];
    if (i > 0) lines.push(`import { s${i - 1}_0, s${i - 1}_1, p${i - 1}_2 } from './m${i - 1}';`);
    lines.push(`export interface Row${i} { id: number; name: string; tags: string[] }`);
    for (let j = 0; j < FNS_PER_FILE; j++) {
      if (j === 0) { suspending++; lines.push(`export function s${i}_0(x: number): number { ${i > 0 ? `const y = s${i - 1}_0(x) + s${i - 1}_1(x) + p${i - 1}_2(x);` : 'sleep(1); const y = x;'} return y + 1; }`); }
      else if (j === 1) { suspending++; lines.push(`export function s${i}_1(x: number): number { return [x, x + 1].map((v) => s${i}_0(v)).reduce((a, b) => a + b, 0); }`); }
      else lines.push(`export function p${i}_${j}(x: number): number { const rows: Row${i}[] = [{ id: x, name: 'n' + x, tags: ['a', 'b'] }]; return rows.filter((r) => r.tags.length > 1).map((r) => r.id * ${j}).reduce((a, b) => a + b, 0); }`);
    }
    lines.push(`export class Repo${i} {`,
      `  private cache = new Map<number, Row${i}>();`,
      `  find(id: number): Row${i} | undefined { ${i % 2 === 0 ? `s${i}_0(id); ` : ''}return this.cache.get(id); }`,
      `  put(row: Row${i}): void { this.cache.set(row.id, row); }`,
      `}`);
    if (i % 2 === 0) suspending++;
    fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), lines.join('\n') + '\n');
  }
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), `import { s${FILES - 1}_0 } from './m${FILES - 1}';\n/** @green */\nexport async function main() { return s${FILES - 1}_0(1); }\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, outDir: 'out', rootDir: 'src', types: [], skipLibCheck: true, sourceMap: true },
    include: ['src'],
  }));
  return { functions: FILES * (FNS_PER_FILE + 2) + 1, suspending };
}

/** Wall and CPU (user + system, of the compiler process itself) milliseconds of one run. */
function time(cmd: string[], cwd: string): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', path.join(__dirname, 'compile-cpu.js'), ...cmd], { cwd, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  const cpu = Number(/@@cpu (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { wall, cpu };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const range = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`;

type Run = { wall: number; cpu: number };

function main(): void {
  const dir = path.join(repo, '.tmp', 'bench-compile');
  const { functions, suspending } = generate(dir);
  const tools: { name: string; cmd: string[]; runs: Run[] }[] = [
    { name: 'tsc', cmd: [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], runs: [] },
    { name: 'green-tsc', cmd: [path.join(repo, 'bin', 'green-tsc.js'), '-p', 'tsconfig.json'], runs: [] },
  ];
  if (values.baseline) tools.push({ name: 'green-tsc (baseline)', cmd: [path.resolve(values.baseline), '-p', 'tsconfig.json'], runs: [] });
  const load0 = os.loadavg();
  for (const t of tools) {
    time(t.cmd, dir); // warm the file cache
    // every tool writes to out/: check each green-tsc's own output right after its run
    if (t.name !== 'tsc' && !fs.readFileSync(path.join(dir, 'out', 'm10.js'), 'utf8').includes('__g.link(')) throw new Error(`${t.name} output was not transformed`);
  }
  for (let i = 0; i < RUNS; i++) for (const t of tools) t.runs.push(time(t.cmd, dir));
  const load1 = os.loadavg();
  const wall = (xs: Run[]) => median(xs.map((x) => x.wall));
  const cpu = (xs: Run[]) => median(xs.map((x) => x.cpu));
  const tsc = tools[0]!.runs;
  /** Per round: this tool's time over tsc's in the same round. */
  const perRound = (xs: Run[], k: keyof Run) => xs.map((x, i) => x[k] / tsc[i]![k]);
  const cpus = os.cpus();
  const report = [
    `Generated program: ${FILES} files, ${functions} functions, ${suspending} suspending (${(100 * suspending / functions).toFixed(0)}%), cross-file chains of suspending calls, array callbacks, classes.`,
    `Command: \`node dist/bench/compile.js --files ${FILES} --runs ${RUNS}${values.baseline ? ' --baseline <previous build>/bin/green-tsc.js' : ''}\` (each tool a fresh process, in turn in every round, after one warm-up run each).`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`,
    `- Node ${process.version}, TypeScript ${require('typescript').version}`,
    // judged on the load before the runs: afterwards the 1-minute figure is mostly this benchmark's own processes
    `- Load average (1/5/15 min) before: ${load0.map((x) => x.toFixed(2)).join(' ')}, after: ${load1.map((x) => x.toFixed(2)).join(' ')}${load0[0]! > cpus.length / 2 ? ' (the machine was shared with other work: wall times are noisy, CPU times are the steadier comparison)' : ''}`,
    '',
    '| tool | median wall ms (range) | median CPU ms (range) | runs wall / CPU (ms) |',
    '|---|---:|---:|---|',
    ...tools.map((t) => `| ${t.name} | ${wall(t.runs).toFixed(0)} (${range(t.runs.map((x) => x.wall))}) | ${cpu(t.runs).toFixed(0)} (${range(t.runs.map((x) => x.cpu))}) | ${t.runs.map((x) => `${x.wall.toFixed(0)}/${x.cpu}`).join(', ')} |`),
    '',
    ...tools.slice(1).map((t) => `Ratio ${t.name} / tsc: medians wall **${(wall(t.runs) / wall(tsc)).toFixed(3)}x**, CPU **${(cpu(t.runs) / cpu(tsc)).toFixed(3)}x**; per round wall ${range(perRound(t.runs, 'wall'), 3)} (median ${median(perRound(t.runs, 'wall')).toFixed(3)}), CPU ${range(perRound(t.runs, 'cpu'), 3)} (median ${median(perRound(t.runs, 'cpu')).toFixed(3)}) (target <= 1.25x wall).`),
    '',
  ].join('\n');
  console.log(report);
  if (values.out) fs.writeFileSync(path.resolve(values.out), report);
}

main();
