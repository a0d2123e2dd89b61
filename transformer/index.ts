// green-ts/transformer: the ts-patch entry and the plain API the CLI and the tests share.
//
//   tsconfig.json  "plugins": [{ "transform": "green-ts/transformer" }]          (ts-patch, type "program")
//   createGreenTransformers(program, { runtimeModule }) -> { before, afterDeclarations, diagnostics }
//
// The analysis runs once per ts.Program (cached), then every emitted file is rewritten from it.
import type * as tsTypes from 'typescript';
import { ts, useTypeScript } from './tsapi.js';
import { Analysis, type GreenOptions } from './analysis.js';
import { createRewriter } from './rewrite.js';
import { createDeclarationMarker } from './declarations.js';
import { toDiagnostic } from './diagnostics.js';

export type { GreenOptions } from './analysis.js';
export { Analysis } from './analysis.js';

export interface GreenTransformers {
  before: tsTypes.TransformerFactory<tsTypes.SourceFile>[];
  afterDeclarations: tsTypes.TransformerFactory<tsTypes.SourceFile | tsTypes.Bundle>[];
  /** Diagnostics of the analysis (available at once) and of the emit (appended while files are emitted). */
  diagnostics: tsTypes.Diagnostic[];
  analysis: Analysis;
}

/** What this transformer implements beyond the contract's core (test/fuzz/compile.ts looks for `stress`). */
export const capabilities = { stress: true } as const;

const analyses = new WeakMap<tsTypes.Program, Map<string, Analysis>>();

/** The analysis of `program` (computed once per Program and options). */
export function analyze(program: tsTypes.Program, options: GreenOptions = {}): Analysis {
  let byOptions = analyses.get(program);
  if (!byOptions) analyses.set(program, byOptions = new Map());
  const key = `${options.runtimeModule ?? ''}\0${options.stress === true ? 'stress' : ''}`;
  let a = byOptions.get(key);
  if (!a) {
    try { a = new Analysis(program, options); } catch (e) {
      // the Analysis constructor already guards its phases; this is the last line of defence
      a = Object.assign(Object.create(Analysis.prototype) as Analysis, { diagnostics: [toDiagnostic(e)], dirty: new Set(), plans: new Map(), pauses: new Map(), rewrite: new Map() });
    }
    byOptions.set(key, a);
  }
  return a;
}

export function createGreenTransformers(program: tsTypes.Program, options: GreenOptions = {}): GreenTransformers {
  const analysis = analyze(program, options);
  const diagnostics = [...analysis.diagnostics];
  const runtimeModule = options.runtimeModule ?? 'green-ts/internal';
  const report = (d: tsTypes.Diagnostic) => { diagnostics.push(d); };
  return {
    before: [createRewriter(analysis, runtimeModule, report)],
    afterDeclarations: [createDeclarationMarker(analysis)],
    diagnostics,
    analysis,
  };
}

interface TransformerExtras {
  ts?: typeof tsTypes;
  addDiagnostic?: (d: tsTypes.Diagnostic) => number;
}

const reportedTo = new WeakSet<tsTypes.Program>();

/** ts-patch "program" transformer: `(program, config, extras) => { before, afterDeclarations }`. */
export default function greenTransformer(program: tsTypes.Program, config: GreenOptions & Record<string, unknown> = {}, extras: TransformerExtras = {}) {
  useTypeScript(extras.ts);
  const options: GreenOptions = { runtimeModule: typeof config.runtimeModule === 'string' ? config.runtimeModule : undefined, stress: config.stress === true };
  const analysis = analyze(program, options);
  const add = extras.addDiagnostic ?? (() => 0);
  if (!reportedTo.has(program)) {
    reportedTo.add(program);
    for (const d of analysis.diagnostics) add(d);
  }
  const runtimeModule = options.runtimeModule ?? 'green-ts/internal';
  return {
    before: [createRewriter(analysis, runtimeModule, (d) => { add(d); })],
    afterDeclarations: [createDeclarationMarker(analysis)],
  };
}

export { ts as typescript };
