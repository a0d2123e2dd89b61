// Compiling fuzz programs, many per ts.Program: type-check once, emit once as plain tsc would (the
// untransformed side: "green-ts" is then pointed at ./standins.js) and once with the green-ts
// transformer (the transformed side, on the real runtime). A cached CompilerHost shares the parsed
// lib / .d.ts files between programs, so the minimiser's one-file programs are cheap too.
//
// The host, compiler options and stand-ins are the transform tests' (../transform/harness.ts,
// ../transform/sync-runtime.ts), so fuzz programs compile exactly as the golden fixtures do.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import * as transformer from '../../transformer/index.js';
import type { GreenOptions } from '../../transformer/index.js';
import { createHost, defaultOptions } from '../transform/harness.js';

/** The repository root (this file runs from dist/test/fuzz/). */
export const ROOT = path.resolve(__dirname, '../../..');
export const OUT_ROOT = path.join(ROOT, 'test/.out/fuzz');
export const STANDINS = path.join(__dirname, 'standins.js');

/** The transform tests' options (../transform/harness.ts), without source maps. */
export const COMPILER_OPTIONS: ts.CompilerOptions = { ...defaultOptions, sourceMap: false, declaration: false, noEmitOnError: false, typeRoots: [path.join(ROOT, 'node_modules/@types')] };

// ---- the transformer ---------------------------------------------------------------------------

export interface TransformOutput {
  before: ts.TransformerFactory<ts.SourceFile>[];
  diagnostics: readonly ts.Diagnostic[];
}

/**
 * Whether the transformer implements the `stress` option. `GreenOptions.stress` is declared (as a
 * reserved, ignored option) before it is implemented, so the type cannot tell: the transformer must
 * export a capability flag, `capabilities: { stress: true }`.
 */
export function stressSupported(): boolean {
  const caps = (transformer as Record<string, unknown>).capabilities as Record<string, unknown> | undefined;
  return !!caps && caps.stress === true;
}

/** `createGreenTransformers(program, options)`; an exception is a crash and is reported by the caller. */
export function createTransformers(program: ts.Program, options: Record<string, unknown>): TransformOutput {
  const r = transformer.createGreenTransformers(program, options as GreenOptions);
  return { before: r.before, diagnostics: r.diagnostics };
}

/** A host sharing parsed .d.ts files across programs, JSDoc parsed as tsc does (../transform/harness.ts). */
function makeHost(options: ts.CompilerOptions): ts.CompilerHost {
  return createHost(options);
}

// ---- compiling a batch ------------------------------------------------------------------------

export interface Unit {
  /** A file name without extension, unique in the batch (e.g. `p0042`). */
  name: string;
  source: string;
}

export interface CompiledUnit {
  name: string;
  tsFile: string;
  /** Type errors of the program itself (a generator or mutator bug when non-empty). */
  typeErrors: string[];
  /** Diagnostics the transformer reported for this file. */
  greenDiagnostics: string[];
  /** The transformer (analysis or emit) threw while handling this file or its program. */
  crash?: string;
  plainJs?: string;
  greenJs?: string;
}

export interface BatchOptions {
  /** Options passed to the transformer (e.g. `{ stress: true }`). */
  transformerOptions?: Record<string, unknown>;
  /** Write the plain (untransformed) JS too (default true). */
  plain?: boolean;
  /** Skip the semantic check (hostile inputs: errors expected). */
  typeCheck?: boolean;
  /** Skip the transformed emit (type-check and plain emit only). */
  transform?: boolean;
}

export function formatDiagnostic(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.basename(d.file.fileName)}:${line + 1}:${character + 1} TS${d.code}: ${text}`;
  }
  return `TS${d.code}: ${text}`;
}

/**
 * Write `units` under `dir/src`, compile them as one ts.Program, emit `dir/plain/*.js` (require of
 * "green-ts" pointed at the stand-ins) and `dir/green/*.js` (transformed).
 */
export function compileBatch(dir: string, units: readonly Unit[], opts: BatchOptions = {}): CompiledUnit[] {
  const srcDir = path.join(dir, 'src');
  fs.mkdirSync(srcDir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'plain'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'green'), { recursive: true });
  const results = new Map<string, CompiledUnit>();
  for (const u of units) {
    const tsFile = path.join(srcDir, `${u.name}.ts`);
    fs.writeFileSync(tsFile, u.source);
    results.set(tsFile, { name: u.name, tsFile, typeErrors: [], greenDiagnostics: [] });
  }
  const options = { ...COMPILER_OPTIONS, rootDir: srcDir, outDir: dir };
  const host = makeHost(options);
  const program = ts.createProgram({ rootNames: [...results.keys()], options, host });

  if (opts.typeCheck !== false) {
    for (const d of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
      for (const r of results.values()) r.typeErrors.push(formatDiagnostic(d));
    }
    for (const sf of program.getSourceFiles()) {
      const r = results.get(path.resolve(sf.fileName));
      if (!r) continue;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) r.typeErrors.push(formatDiagnostic(d));
    }
  }

  // plain emit: what tsc would produce
  const resultOf = (f: string) => results.get(path.resolve(f.replace(/\.js$/, '.ts').replace(`${path.sep}plain${path.sep}`, `${path.sep}src${path.sep}`).replace(`${path.sep}green${path.sep}`, `${path.sep}src${path.sep}`)));
  if (opts.plain !== false) {
    program.emit(undefined, (fileName, text) => {
      const target = path.join(dir, 'plain', path.basename(fileName));
      const r = resultOf(target);
      const js = pointAtStandins(text);
      fs.writeFileSync(target, js);
      if (r) r.plainJs = target;
    });
  }

  if (opts.transform === false) return [...results.values()];
  // transformed emit: the analysis once per program, then each file on its own (a crash is local)
  let out: TransformOutput | undefined;
  try {
    out = createTransformers(program, opts.transformerOptions ?? {});
  } catch (e) {
    const crash = `createGreenTransformers threw: ${stackOf(e)}`;
    for (const r of results.values()) r.crash = crash;
    return [...results.values()];
  }
  for (const d of out.diagnostics) {
    const r = d.file ? results.get(path.resolve(d.file.fileName)) : undefined;
    if (r) r.greenDiagnostics.push(formatDiagnostic(d));
    else for (const x of results.values()) x.greenDiagnostics.push(formatDiagnostic(d));
  }
  for (const sf of program.getSourceFiles()) {
    const r = results.get(path.resolve(sf.fileName));
    if (!r) continue;
    try {
      const emitted = program.emit(
        sf,
        (fileName, text) => {
          const target = path.join(dir, 'green', path.basename(fileName));
          fs.writeFileSync(target, text);
          r.greenJs = target;
        },
        undefined,
        false,
        { before: out.before },
      );
      for (const d of emitted.diagnostics) r.greenDiagnostics.push(formatDiagnostic(d));
    } catch (e) {
      r.crash = `emit with the transformer threw: ${stackOf(e)}`;
    }
  }
  return [...results.values()];
}

/** Point plain output's `require("green-ts")` at the synchronous stand-ins. */
export function pointAtStandins(js: string): string {
  return js.replace(/require\((["'])green-ts\1\)/g, `require(${JSON.stringify(STANDINS)})`);
}

export function stackOf(e: unknown): string {
  if (e instanceof Error) return (e.stack ?? e.message).split('\n').slice(0, 8).join('\n');
  return String(e);
}
