// The differential fuzz loop: generate programs (./generator.ts), compile each batch as one
// ts.Program (./compile.ts), run the plain build on synchronous stand-ins and the transformed build
// on the real runtime (./exec.ts), compare stdout; minimise every mismatch (./minimise.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateProgram, type GenOptions } from './generator.js';
import { compileBatch, OUT_ROOT, type CompiledUnit, type Unit } from './compile.js';
import { runJobs, stopRunners, type RunResult } from './exec.js';
export { stopRunners };
import { fuzzProtect, minimise } from './minimise.js';

export type MismatchKind =
  /** The program itself is broken (type errors, or the plain run failed): a generator bug. */
  | 'invalid'
  /** The transformer threw. */
  | 'crash'
  /** The transformer reported diagnostics for a valid program. */
  | 'diagnostic'
  /** The transformed program printed something else. */
  | 'output';

export interface Verdict {
  kind: MismatchKind | 'ok';
  detail: string;
  plainOut?: string;
  greenOut?: string;
}

export interface Mismatch extends Verdict {
  kind: MismatchKind;
  seed: number;
  index: number;
  /** The program as generated. */
  program: string;
  /** The minimised program (main.ts in a directory with expected.out / actual.out / info.txt). */
  minimised?: string;
}

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Index of the first program (default 0). */
  start?: number;
  /** Programs per ts.Program (default 50). */
  batchSize?: number;
  /** Options for the transformer, e.g. `{ stress: true }`. */
  transformerOptions?: Record<string, unknown>;
  generator?: GenOptions;
  workers?: number;
  /** Minimise mismatches (default true). */
  minimise?: boolean;
  /** Where programs and results go (default test/.out/fuzz/run-<seed>-<start>). */
  outDir?: string;
  /** Called with each mismatch as soon as it is known (after minimisation). */
  onMismatch?: (m: Mismatch) => void;
  /** Progress lines. */
  progress?: (line: string) => void;
  /** Remove batch directories without mismatches (default true). */
  clean?: boolean;
  /** See CheckOptions.typeCheck (default 'always'). */
  typeCheck?: 'always' | 'on-failure';
}

export interface FuzzResult {
  programs: number;
  mismatches: Mismatch[];
  ms: number;
  /** Time spent compiling / running / minimising. */
  phases: { compile: number; run: number; minimise: number };
}

export const joinOut = (r: RunResult | undefined) => (r ? r.out.join('\n') + (r.out.length ? '\n' : '') : '');

/** Compare one compiled unit's runs. */
export function judge(c: CompiledUnit, plain: RunResult | undefined, green: RunResult | undefined): Verdict {
  if (c.typeErrors.length > 0) return { kind: 'invalid', detail: `type errors:\n${c.typeErrors.slice(0, 5).join('\n')}` };
  if (c.crash) return { kind: 'crash', detail: c.crash };
  if (c.greenDiagnostics.length > 0) return { kind: 'diagnostic', detail: c.greenDiagnostics.slice(0, 5).join('\n') };
  const plainOut = joinOut(plain);
  const greenOut = joinOut(green);
  if (!c.plainJs || !c.greenJs) return { kind: 'crash', detail: `no emitted JS (${!c.plainJs ? 'plain' : 'transformed'})` };
  if (/^!! /m.test(plainOut)) return { kind: 'invalid', detail: `the plain run failed:\n${firstLines(plainOut.split('\n').filter((l) => l.startsWith('!! ')).join('\n'), 3)}`, plainOut, greenOut };
  if (plainOut !== greenOut) return { kind: 'output', detail: firstDifference(plainOut, greenOut), plainOut, greenOut };
  return { kind: 'ok', detail: '', plainOut, greenOut };
}

function firstLines(s: string, n: number): string {
  return s.split('\n').slice(0, n).join('\n');
}

export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected ${JSON.stringify(a[i] ?? '<end>')}, got ${JSON.stringify(b[i] ?? '<end>')}`;
  }
  return 'outputs differ';
}

/** Compile and run a set of units in `dir`; verdict per unit, in order. */
export interface CheckOptions {
  transformerOptions?: Record<string, unknown>;
  workers?: number;
  /**
   * 'always': type-check every program (default); 'on-failure': only programs that fail, to tell a
   * broken program from a transformer bug (generated programs are well-typed by construction; the
   * full check is most of the compile time).
   */
  typeCheck?: 'always' | 'on-failure';
}

export async function check(dir: string, units: readonly Unit[], opts: CheckOptions): Promise<{ verdicts: Verdict[]; compiled: CompiledUnit[]; compileMs: number; runMs: number }> {
  const t0 = Date.now();
  const lazy = opts.typeCheck === 'on-failure';
  const compiled = compileBatch(dir, units, { transformerOptions: opts.transformerOptions, typeCheck: !lazy });
  const t1 = Date.now();
  const jobs = [];
  for (const c of compiled) {
    if (c.typeErrors.length > 0 || c.crash) continue;
    if (c.plainJs) jobs.push({ id: `plain:${c.name}`, file: c.plainJs });
    if (c.greenJs) jobs.push({ id: `green:${c.name}`, file: c.greenJs });
  }
  const results = new Map((await runJobs(jobs, { dir: path.join(dir, 'run'), workers: opts.workers })).map((r) => [r.id, r]));
  const t2 = Date.now();
  const verdicts = compiled.map((c) => judge(c, results.get(`plain:${c.name}`), results.get(`green:${c.name}`)));
  if (lazy) {
    // a failing program that does not type-check is the generator's fault, not the transformer's
    const failing = units.filter((_, k) => verdicts[k]!.kind !== 'ok');
    if (failing.length > 0) {
      const typed = compileBatch(path.join(dir, 'typecheck'), failing, { transform: false, plain: false });
      for (const t of typed) {
        const k = units.findIndex((u) => u.name === t.name);
        if (t.typeErrors.length > 0) verdicts[k] = { kind: 'invalid', detail: `type errors:\n${t.typeErrors.slice(0, 5).join('\n')}` };
      }
    }
  }
  return { verdicts, compiled, compileMs: Date.now() - t0 - (t2 - t1), runMs: t2 - t1 };
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const t0 = Date.now();
  const start = opts.start ?? 0;
  const batchSize = opts.batchSize ?? 50;
  // one directory per (seed, start): a re-run of one program never removes a running batch's files
  const outDir = opts.outDir ?? path.join(OUT_ROOT, `run-${opts.seed}-${start}${opts.transformerOptions?.stress ? '-stress' : ''}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  const mismatches: Mismatch[] = [];
  const phases = { compile: 0, run: 0, minimise: 0 };
  for (let b = start; b < start + opts.count; b += batchSize) {
    const n = Math.min(batchSize, start + opts.count - b);
    const units: Unit[] = [];
    for (let i = b; i < b + n; i++) units.push({ name: programName(opts.seed, i), source: generateProgram(opts.seed, i, opts.generator).source });
    const dir = path.join(outDir, `batch-${b}`);
    const { verdicts, compiled, compileMs, runMs } = await check(dir, units, opts);
    phases.compile += compileMs;
    phases.run += runMs;
    let found = 0;
    for (let k = 0; k < n; k++) {
      const v = verdicts[k]!;
      if (v.kind === 'ok') continue;
      found++;
      const m: Mismatch = { ...v, kind: v.kind, seed: opts.seed, index: b + k, program: compiled[k]!.tsFile };
      if (opts.minimise !== false && m.kind !== 'invalid') {
        const tm = Date.now();
        try {
          m.minimised = await minimiseMismatch(m, units[k]!.source, opts, outDir);
        } catch (e) {
          m.detail += `\n(minimiser failed: ${(e as Error).message})`;
        }
        phases.minimise += Date.now() - tm;
      }
      mismatches.push(m);
      opts.onMismatch?.(m);
    }
    opts.progress?.(`batch ${b}..${b + n - 1}: compile ${compileMs} ms, run ${runMs} ms, ${found} mismatches`);
    if (found === 0 && opts.clean !== false) fs.rmSync(dir, { recursive: true, force: true });
  }
  return { programs: opts.count, mismatches, ms: Date.now() - t0, phases };
}

export function programName(seed: number, index: number): string {
  return `s${seed}_i${String(index).padStart(5, '0')}`;
}

/** Minimise one mismatch alone; write it under <outDir>/min/<name>/. Returns the path of main.ts. */
async function minimiseMismatch(m: Mismatch, source: string, opts: FuzzOptions, outDir: string): Promise<string> {
  const name = programName(m.seed, m.index);
  const scratch = path.join(outDir, 'scratch', name);
  let step = 0;
  const verdictOf = async (src: string): Promise<Verdict> => {
    const dir = path.join(scratch, String(step++ % 4));
    fs.rmSync(dir, { recursive: true, force: true });
    const { verdicts } = await check(dir, [{ name: 'main', source: src }], { transformerOptions: opts.transformerOptions, workers: 1 });
    return verdicts[0]!;
  };
  // the same kind of failure, so the minimiser does not drift to another bug
  const same = (v: Verdict) =>
    v.kind === m.kind && (m.kind !== 'diagnostic' || sameCodes(v.detail, m.detail)) && (m.kind !== 'output' || outputSignature(v) === outputSignature(m));
  const alone = await verdictOf(source);
  const dest = path.join(outDir, 'min', name);
  fs.mkdirSync(dest, { recursive: true });
  let best = source;
  let verdict = alone;
  if (!same(alone)) {
    // only in its batch: the whole-program analysis mixed programs up (worth a report of its own)
    m.detail += `\n(does not reproduce alone: alone it is ${alone.kind}${alone.kind === 'ok' ? '' : ': ' + alone.detail.split('\n')[0]})`;
  } else {
    best = await minimise(source, async (src) => {
      const v = await verdictOf(src);
      if (!same(v)) return false;
      verdict = v;
      return true;
    }, { protect: fuzzProtect });
  }
  fs.writeFileSync(path.join(dest, 'main.ts'), best);
  if (verdict.plainOut !== undefined) fs.writeFileSync(path.join(dest, 'expected.out'), verdict.plainOut);
  if (verdict.greenOut !== undefined) fs.writeFileSync(path.join(dest, 'actual.out'), verdict.greenOut);
  fs.writeFileSync(path.join(dest, 'info.txt'), `seed ${m.seed} index ${m.index} kind ${verdict.kind}\n${verdict.detail}\n`);
  fs.rmSync(scratch, { recursive: true, force: true });
  return path.join(dest, 'main.ts');
}

/** What kind of wrong output: a run-time guard error, a runner-level failure, or just other values. */
export function outputSignature(v: Verdict): string {
  const g = v.greenOut ?? '';
  const bang = g.match(/^!! (\w+)/m);
  if (bang) return `runner:${bang[1]}`;
  const named = g.match(/(GreenContextError|cannot suspend here|is not a function|Cannot read properties|is not iterable|not a method)/);
  if (named) return `error:${named[1]}`;
  const lines = (s: string | undefined) => (s ?? '').split('\n').length;
  return lines(v.greenOut) === lines(v.plainOut) ? 'values' : 'lines';
}

function sameCodes(a: string, b: string): boolean {
  const codes = (s: string) => [...new Set(s.match(/TS\d+/g) ?? [])].sort().join(',');
  return codes(a) === codes(b);
}
