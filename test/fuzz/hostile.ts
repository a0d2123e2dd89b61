// Hostile input for the transformer: seeded mutants of the fixture sources (and of generated fuzz
// programs) — token deletions, swaps, duplications, random tokens and marks, line shuffles — fed to
// `createGreenTransformers` and the emit. It must return diagnostics and never throw. Counted as
// failures:
//   crash        an exception escapes createGreenTransformers or the transformed emit
//   internal     an "internal error" diagnostic (TS94010: the transformer caught its own crash)
//   invalid-emit the transformed JS does not parse, although plain tsc's JS of the same file does
//                and the transformer reported no diagnostic for it
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import ts from 'typescript';
import { Rng, mixSeed } from './rng.js';
import { COMPILER_OPTIONS, createTransformers, formatDiagnostic, stackOf } from './compile.js';
import { createHost, listFixtures } from '../transform/harness.js';
import { generateProgram } from './generator.js';

export interface HostileUnit {
  name: string;
  /** What it was made from, and how. */
  origin: string;
  source: string;
}

export interface HostileFailure {
  name: string;
  origin: string;
  kind: 'crash' | 'internal' | 'invalid-emit';
  detail: string;
  /** Where the mutant was written. */
  file: string;
}

const VOCAB = [
  'function', 'async', 'await', 'yield', 'return', 'class', 'extends', 'super', 'this', 'new', 'if', 'else', 'for', 'while',
  'do', 'switch', 'case', 'default', 'break', 'continue', 'try', 'catch', 'finally', 'throw', 'const', 'let', 'var', 'of',
  'in', 'get', 'set', 'static', 'constructor', '*', '=>', '...', '?.', '??', '&&', '||', '(', ')', '{', '}', '[', ']', ';',
  ',', '.', '`', '${', '}`', '=', '+=', '??=', '?', ':', '@green', '/** @green */', '/** @suspends */', '/** @green */ async',
  'sleep(0)', 'wait(', 'yieldNow()', 'run(() => ', '#x', 'L:', 'break L;', 'continue L;', 'arguments', 'new.target', 'import',
  'export', 'as', 'satisfies', 'enum', 'namespace', 'declare', 'abstract', 'private', 'readonly', '0', '"s"', 'null',
  'undefined', 'typeof', 'void', 'delete', '<', '>', '<T>', 'any', 'unknown', 'never', '!', '@', 'function*', 'async function',
  'get x() {', 'static {', 'accessor', 'using', '.call(', '.apply(', '.bind(', 'green(', 'x => ', '() => {', '/*', '*/', '//',
];

interface Tok { start: number; end: number; kind: ts.SyntaxKind; text: string }

function tokens(src: string): Tok[] {
  const sc = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, src);
  const out: Tok[] = [];
  for (let k = sc.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = sc.scan()) {
    out.push({ start: sc.getTokenStart(), end: sc.getTokenEnd(), kind: k, text: sc.getTokenText() });
    if (out.length > 200_000) break;
  }
  return out;
}

/** Apply `n` random mutations to `src`. Returns the mutant and a description of what was done. */
export function mutate(src: string, rng: Rng, n: number): { source: string; ops: string[] } {
  let s = src;
  const ops: string[] = [];
  for (let m = 0; m < n; m++) {
    const toks = tokens(s);
    if (toks.length < 2) break;
    const t = () => rng.int(0, toks.length - 1);
    const op = rng.weighted<string>([
      [3, 'delete-token'],
      [2, 'delete-range'],
      [2, 'swap-tokens'],
      [3, 'insert-token'],
      [1, 'duplicate-range'],
      [1, 'delete-line'],
      [1, 'duplicate-line'],
      [1, 'swap-lines'],
      [2, 'replace-identifier'],
      [1, 'truncate'],
    ]);
    switch (op) {
      case 'delete-token': {
        const a = toks[t()]!;
        s = s.slice(0, a.start) + s.slice(a.end);
        ops.push(`delete ${JSON.stringify(a.text)}@${a.start}`);
        break;
      }
      case 'delete-range': {
        const i = t();
        const j = Math.min(toks.length - 1, i + rng.int(1, 12));
        s = s.slice(0, toks[i]!.start) + s.slice(toks[j]!.end);
        ops.push(`delete tokens ${i}..${j}`);
        break;
      }
      case 'swap-tokens': {
        let i = t();
        let j = rng.chance(0.5) ? Math.min(toks.length - 1, i + 1) : t();
        if (i === j) break;
        if (i > j) [i, j] = [j, i];
        const a = toks[i]!;
        const b = toks[j]!;
        s = s.slice(0, a.start) + b.text + s.slice(a.end, b.start) + a.text + s.slice(b.end);
        ops.push(`swap ${JSON.stringify(a.text)} ${JSON.stringify(b.text)}`);
        break;
      }
      case 'insert-token': {
        const a = toks[t()]!;
        const word = rng.pick(VOCAB);
        s = s.slice(0, a.start) + word + ' ' + s.slice(a.start);
        ops.push(`insert ${JSON.stringify(word)}@${a.start}`);
        break;
      }
      case 'duplicate-range': {
        const i = t();
        const j = Math.min(toks.length - 1, i + rng.int(1, 20));
        const piece = s.slice(toks[i]!.start, toks[j]!.end);
        const at = toks[t()]!.start;
        s = s.slice(0, at) + piece + ' ' + s.slice(at);
        ops.push(`duplicate tokens ${i}..${j}`);
        break;
      }
      case 'delete-line':
      case 'duplicate-line':
      case 'swap-lines': {
        const lines = s.split('\n');
        const i = rng.int(0, lines.length - 1);
        if (op === 'delete-line') lines.splice(i, 1);
        else if (op === 'duplicate-line') lines.splice(rng.int(0, lines.length), 0, lines[i]!);
        else {
          const j = rng.int(0, lines.length - 1);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
        s = lines.join('\n');
        ops.push(`${op} ${i + 1}`);
        break;
      }
      case 'replace-identifier': {
        const ids = toks.filter((x) => x.kind === ts.SyntaxKind.Identifier);
        if (ids.length < 2) break;
        const a = rng.pick(ids);
        const b = rng.pick(ids);
        s = s.slice(0, a.start) + b.text + s.slice(a.end);
        ops.push(`rename ${a.text}->${b.text}@${a.start}`);
        break;
      }
      case 'truncate': {
        const a = toks[t()]!;
        s = s.slice(0, a.end);
        ops.push(`truncate@${a.end}`);
        break;
      }
    }
  }
  return { source: s, ops };
}

/** The seed sources: every fixture .ts file, and a few generated fuzz programs. */
export function seedSources(seed: number, generated = 4): { origin: string; source: string }[] {
  const out: { origin: string; source: string }[] = [];
  for (const fx of listFixtures()) {
    for (const f of fx.files) out.push({ origin: path.relative(path.dirname(path.dirname(fx.dir)), f), source: fs.readFileSync(f, 'utf8') });
  }
  for (let i = 0; i < generated; i++) out.push({ origin: `generated seed ${seed} index ${i}`, source: generateProgram(seed, i).source });
  return out;
}

/** `count` mutants, reproducible from `seed`. */
export function hostileUnits(seed: number, count: number): HostileUnit[] {
  const bases = seedSources(seed);
  const out: HostileUnit[] = [];
  for (let i = 0; i < count; i++) {
    const rng = new Rng(mixSeed(seed, i, 0x4057));
    const base = bases[i % bases.length]!;
    const { source, ops } = mutate(base.source, rng, rng.int(1, 6));
    out.push({ name: `h${seed}_${String(i).padStart(5, '0')}`, origin: `${base.origin}: ${ops.join('; ')}`, source });
  }
  return out;
}

/**
 * Feed mutants to the transformer, many per ts.Program; a failure of the whole program's analysis
 * is narrowed down by re-running its files one by one.
 */
export function checkHostile(dir: string, units: readonly HostileUnit[], opts: { perProgram?: number; transformerOptions?: Record<string, unknown> } = {}): HostileFailure[] {
  fs.mkdirSync(dir, { recursive: true });
  const per = opts.perProgram ?? 25;
  const failures: HostileFailure[] = [];
  for (let i = 0; i < units.length; i += per) {
    const group = units.slice(i, i + per);
    const r = runGroup(dir, group, opts.transformerOptions ?? {});
    if (r.programCrash && group.length > 1) {
      for (const u of group) failures.push(...runGroup(dir, [u], opts.transformerOptions ?? {}).failures);
    } else failures.push(...r.failures);
  }
  return failures;
}

function runGroup(dir: string, group: readonly HostileUnit[], transformerOptions: Record<string, unknown>): { failures: HostileFailure[]; programCrash: boolean } {
  const byFile = new Map<string, HostileUnit>();
  for (const u of group) {
    const file = path.join(dir, `${u.name}.ts`);
    fs.writeFileSync(file, u.source);
    byFile.set(file, u);
  }
  const options = { ...COMPILER_OPTIONS, rootDir: dir, outDir: path.join(dir, 'out') };
  const program = ts.createProgram({ rootNames: [...byFile.keys()], options, host: createHost(options) });
  const failures: HostileFailure[] = [];
  const fail = (file: string, kind: HostileFailure['kind'], detail: string) => {
    const u = byFile.get(file);
    failures.push({ name: u?.name ?? path.basename(file), origin: u?.origin ?? '?', kind, detail, file });
  };
  let out;
  try {
    out = createTransformers(program, transformerOptions);
  } catch (e) {
    if (group.length === 1) fail([...byFile.keys()][0]!, 'crash', `createGreenTransformers threw: ${stackOf(e)}`);
    return { failures, programCrash: true };
  }
  const flagged = new Set<string>();
  const noteDiagnostics = (ds: readonly ts.Diagnostic[]) => {
    for (const d of ds) {
      const file = d.file ? path.resolve(d.file.fileName) : undefined;
      if (file) flagged.add(file);
      if (d.code === 94010 || /internal error/i.test(ts.flattenDiagnosticMessageText(d.messageText, ' '))) {
        if (file && byFile.has(file)) fail(file, 'internal', formatDiagnostic(d));
        else for (const f of byFile.keys()) fail(f, 'internal', formatDiagnostic(d));
      }
    }
  };
  noteDiagnostics(out.diagnostics);
  const seenDiagnostics = out.diagnostics.length;
  for (const sf of program.getSourceFiles()) {
    const file = path.resolve(sf.fileName);
    if (!byFile.has(file)) continue;
    let greenJs: string | undefined;
    try {
      program.emit(sf, (name, text) => { if (name.endsWith('.js')) greenJs = text; }, undefined, false, { before: out.before });
    } catch (e) {
      fail(file, 'crash', `emit with the transformer threw: ${stackOf(e)}`);
      continue;
    }
    // diagnostics appended during the emit
    noteDiagnostics((out.diagnostics as ts.Diagnostic[]).slice(seenDiagnostics).filter((d) => d.file && path.resolve(d.file.fileName) === file));
    if (greenJs === undefined || flagged.has(file)) continue;
    if (program.getSyntacticDiagnostics(sf).length > 0) continue;
    if (!parses(greenJs)) {
      let plainJs: string | undefined;
      try {
        program.emit(sf, (name, text) => { if (name.endsWith('.js')) plainJs = text; });
      } catch {
        continue;
      }
      if (plainJs !== undefined && parses(plainJs)) fail(file, 'invalid-emit', `the transformed JS does not parse: ${parseError(greenJs)}`);
    }
  }
  return { failures, programCrash: false };
}

function parses(js: string): boolean {
  return parseError(js) === undefined;
}

function parseError(js: string): string | undefined {
  try {
    new vm.Script(`(function (exports, require, module, __filename, __dirname) {${js}\n})`);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
