// The project every green-tsc path works on (the compile in cli.ts, watch, check, explain, graph):
// tsc's command line and tsconfig lookup, the ts.Program with tsc's compiler host, the green-ts
// plugin options from the tsconfig, tsc's diagnostics in tsc's order with the analysis's added, and
// tsc's diagnostic reporting (pretty on a TTY unless --pretty false, with the error summary) and exit
// codes. One place for each, so the paths cannot drift apart; the rules are tsc's.
import * as path from 'node:path';
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { GreenOptions } from './analysis.js';
import { createGreenTransformers, type GreenTransformers } from './index.js';
import { Code, GreenError, toDiagnostic } from './diagnostics.js';

export const sys = (): tsTypes.System => ts.sys;

export interface Reporter { report: (d: tsTypes.Diagnostic) => void; summary: (ds: readonly tsTypes.Diagnostic[]) => void; pretty: boolean }

export function formatHost(): tsTypes.FormatDiagnosticsHost {
  return {
    getCurrentDirectory: () => sys().getCurrentDirectory(),
    getNewLine: () => sys().newLine,
    getCanonicalFileName: (f) => sys().useCaseSensitiveFileNames ? f : f.toLowerCase(),
  };
}

export function isPretty(options: tsTypes.CompilerOptions): boolean {
  if (options.pretty !== undefined) return !!options.pretty;
  return !!(sys().writeOutputIsTTY && sys().writeOutputIsTTY!()) && !process.env.NO_COLOR;
}

export function reporter(options: tsTypes.CompilerOptions): Reporter {
  const pretty = isPretty(options);
  const host = formatHost();
  const report = pretty
    ? (d: tsTypes.Diagnostic) => sys().write(ts.formatDiagnosticsWithColorAndContext([d], host) + sys().newLine)
    : (d: tsTypes.Diagnostic) => sys().write(ts.formatDiagnostics([d], host));
  const summary = (ds: readonly tsTypes.Diagnostic[]) => {
    if (!pretty) return;
    const t = ts as unknown as { getErrorSummaryText?: Function; getErrorCountForSummary?: Function; getFilesInErrorForSummary?: Function };
    if (!t.getErrorSummaryText || !t.getErrorCountForSummary || !t.getFilesInErrorForSummary) return;
    const count = t.getErrorCountForSummary(ds);
    if (count) sys().write(t.getErrorSummaryText(count, t.getFilesInErrorForSummary(ds), sys().newLine, sys()));
  };
  return { report, summary, pretty };
}

/**
 * An emit (a Program's or a watch builder's) whose throw inside TypeScript's emitter becomes a
 * diagnostic: the compiler never crashes. tsc 5.9 itself throws on some programs with syntax or
 * type errors (a private name in an optional chain under `return`, for one); green-tsc then reports
 * those errors and this one, and exits 1.
 */
export function emitGuarded(emit: () => tsTypes.EmitResult): tsTypes.EmitResult {
  try {
    return emit();
  } catch (e) {
    const where = e instanceof Error && e.stack ? ` (${e.stack.split('\n').slice(1, 3).map((l) => l.trim()).join(' | ')})` : '';
    const text = `TypeScript's emitter threw while writing the output: ${e instanceof Error ? e.message : String(e)}${where}. `
      + 'Some files may not have been written. If other errors are reported, fix them first (plain tsc may fail on the same input); '
      + 'otherwise please report it to green-ts with the file.';
    return { emitSkipped: true, diagnostics: [toDiagnostic(new GreenError(Code.Internal, undefined, text))] };
  }
}

export function message(text: string, code = 90000): tsTypes.Diagnostic {
  return { category: ts.DiagnosticCategory.Error, code, file: undefined, start: undefined, length: undefined, messageText: text };
}

/** The options of the green-ts entry in the tsconfig's plugins list, if there is one. */
function greenPluginOptions(options: tsTypes.CompilerOptions): GreenOptions {
  const plugins = (options.plugins ?? []) as unknown as Array<Record<string, unknown>>;
  const entry = plugins.find((p) => typeof p.transform === 'string' && /green-ts\/transformer|transformer(\/index(\.[cm]?[jt]s)?)?$/.test(p.transform as string));
  return { runtimeModule: typeof entry?.runtimeModule === 'string' ? entry.runtimeModule : undefined, stress: entry?.stress === true };
}

/** The transformer's options for `program`: its tsconfig's plugin entry, then the command line's `overrides` (`--stress`). */
export function greenOptions(program: tsTypes.Program, overrides: GreenOptions = {}): GreenOptions {
  return { ...greenPluginOptions(program.getCompilerOptions()), ...overrides };
}

export type Loaded =
  | { ok: true; config: tsTypes.ParsedCommandLine; configPath?: string; commandLine: tsTypes.ParsedCommandLine }
  | { ok: false; code: number };

/** tsc's command line -> the parsed project (tsconfig found like tsc: -p file or directory, else upwards from cwd). */
export function loadConfig(argv: string[] | tsTypes.ParsedCommandLine, rep: (d: tsTypes.Diagnostic) => void = reporter({}).report): Loaded {
  const commandLine = Array.isArray(argv) ? ts.parseCommandLine(argv) : argv;
  if (commandLine.errors.length) { commandLine.errors.forEach(rep); return { ok: false, code: 1 }; }
  const o = commandLine.options;
  if (!o.project && commandLine.fileNames.length > 0) return { ok: true, config: commandLine, commandLine };
  let configPath: string | undefined;
  if (o.project) {
    const p = path.resolve(o.project);
    configPath = sys().directoryExists(p) ? path.join(p, 'tsconfig.json') : p;
    if (!sys().fileExists(configPath)) { rep(message(`Cannot find a tsconfig.json file at the specified directory: '${o.project}'.`, 5057)); return { ok: false, code: 1 }; }
  } else {
    configPath = ts.findConfigFile(sys().getCurrentDirectory(), sys().fileExists);
    if (!configPath) { rep(message('No tsconfig.json here and no input files: pass -p <tsconfig.json>.', 5081)); return { ok: false, code: 1 }; }
  }
  let unrecoverable: tsTypes.Diagnostic | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, o, {
    ...sys(), onUnRecoverableConfigFileDiagnostic: (d) => { unrecoverable = d; },
  } as tsTypes.ParseConfigFileHost);
  if (!parsed || unrecoverable) { if (unrecoverable) rep(unrecoverable); return { ok: false, code: 1 }; }
  return { ok: true, config: parsed, configPath, commandLine };
}

/** The program as tsc's `performCompilation` creates it: tsc's compiler host, with its caches. */
export function createProgram(config: tsTypes.ParsedCommandLine): tsTypes.Program {
  const host = ts.createCompilerHost(config.options);
  // like tsc: cache file reads and existence checks of the compiler host (internal API, when present)
  const internal = ts as unknown as { changeCompilerHostLikeToUseCache?: Function; toPath?: Function; createGetCanonicalFileName?: Function };
  if (internal.changeCompilerHostLikeToUseCache && internal.toPath && internal.createGetCanonicalFileName) {
    const cwd = host.getCurrentDirectory();
    const canonical = internal.createGetCanonicalFileName(host.useCaseSensitiveFileNames());
    internal.changeCompilerHostLikeToUseCache(host, (f: string) => internal.toPath!(f, cwd, canonical));
  }
  // like tsc: skip JSDoc parsing in .ts files where types do not need it; marks are read from comment text anyway
  (host as { jsDocParsingMode?: number }).jsDocParsingMode = ts.JSDocParsingMode?.ParseForTypeErrors;
  return ts.createProgram({
    rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
}

/** What tsc asks for diagnostics before it emits: a ts.Program, or the builder program of a watch. */
export interface DiagnosticSource {
  getConfigFileParsingDiagnostics(): readonly tsTypes.Diagnostic[];
  getSyntacticDiagnostics(): readonly tsTypes.Diagnostic[];
  getOptionsDiagnostics(): readonly tsTypes.Diagnostic[];
  getGlobalDiagnostics(): readonly tsTypes.Diagnostic[];
  getSemanticDiagnostics(): readonly tsTypes.Diagnostic[];
}

/** tsc's pre-emit diagnostics in tsc's order (config, syntactic, then options/global/semantic only when there are no syntax errors). */
export function tscDiagnostics(source: DiagnosticSource): { all: tsTypes.Diagnostic[]; syntaxOk: boolean } {
  const all: tsTypes.Diagnostic[] = [...source.getConfigFileParsingDiagnostics()];
  const configCount = all.length;
  all.push(...source.getSyntacticDiagnostics());
  if (all.length !== configCount) return { all, syntaxOk: false };
  all.push(...source.getOptionsDiagnostics(), ...source.getGlobalDiagnostics());
  if (all.length === configCount) all.push(...source.getSemanticDiagnostics());
  return { all, syntaxOk: true };
}

/**
 * tsc's pre-emit diagnostics, then (when the program parses) the green-ts analysis and its
 * diagnostics; `errors` counts the errors among them (`noEmitOnError` skips the emit on any).
 * The analysis reuses the type checker the semantic diagnostics ran, so nothing is checked twice.
 */
export function greenDiagnostics(source: DiagnosticSource, program: tsTypes.Program, overrides: GreenOptions = {}): { all: tsTypes.Diagnostic[]; green?: GreenTransformers; errors: number } {
  const { all, syntaxOk } = tscDiagnostics(source);
  let green: GreenTransformers | undefined;
  if (syntaxOk) {
    green = createGreenTransformers(program, greenOptions(program, overrides));
    all.push(...green.diagnostics);
  }
  let errors = 0;
  for (const d of all) if (d.category === ts.DiagnosticCategory.Error) errors++;
  return { all, green, errors };
}

/**
 * The transformers to emit with: those `greenDiagnostics` made, or, when the program did not parse
 * (tsc still emits then, and the analysis' diagnostics are not reported), new ones.
 */
export function transformersFor(program: tsTypes.Program, analysed: GreenTransformers | undefined, overrides: GreenOptions = {}): GreenTransformers {
  return analysed ?? createGreenTransformers(program, greenOptions(program, overrides));
}

/** Report `all` as tsc does at the end of a build (sorted, duplicates dropped, then the summary); the sorted list. */
export function reportAll(all: tsTypes.Diagnostic[], report: (d: tsTypes.Diagnostic) => void, summary?: Reporter['summary']): readonly tsTypes.Diagnostic[] {
  const diagnostics = ts.sortAndDeduplicateDiagnostics(all);
  diagnostics.forEach(report);
  summary?.(diagnostics);
  return diagnostics;
}

/** tsc's exit status: 1 diagnostics and outputs skipped, 2 diagnostics and outputs generated, 0 success. */
export function exitStatus(diagnostics: readonly tsTypes.Diagnostic[], emitSkipped: boolean): number {
  if (emitSkipped && diagnostics.length > 0) return 1;
  return diagnostics.length > 0 ? 2 : 0;
}

/** Split `[verb options] [tsc options]`: the verb's own flags (name -> takes a value) come out, the rest goes to tsc's parser. */
export function splitArgs(argv: string[], own: Record<string, boolean>): { own: Map<string, string | true>; rest: string[]; positionals: string[] } {
  const out = new Map<string, string | true>();
  const rest: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(a);
    if (m && Object.prototype.hasOwnProperty.call(own, m[1]!)) {
      if (own[m[1]!]) out.set(m[1]!, m[2] ?? argv[++i] ?? '');
      else out.set(m[1]!, true);
      continue;
    }
    if (!a.startsWith('-')) { positionals.push(a); continue; }
    rest.push(a);
    // tsc options that take a value: keep the value with its flag
    const name = a.replace(/^--?/, '').replace(/=.*$/, '');
    if (!a.includes('=') && takesValue(name) && i + 1 < argv.length) rest.push(argv[++i]!);
  }
  return { own: out, rest, positionals };
}

function takesValue(name: string): boolean {
  const decls = (ts as unknown as { optionDeclarations?: Array<{ name: string; shortName?: string; type: unknown }> }).optionDeclarations;
  const d = decls?.find((x) => x.name.toLowerCase() === name.toLowerCase() || x.shortName === name);
  if (!d) return name === 'p' || name === 'project';
  return d.type !== 'boolean';
}
