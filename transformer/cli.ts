// green-tsc: compiles like tsc with the green-ts transform applied, no ts-patch install needed; same
// exit codes (0 success, 1 diagnostics and outputs skipped, 2 diagnostics and outputs generated) and
// the same diagnostic format (pretty on a TTY unless --pretty false, with tsc's summary line).
//
//   green-tsc [-p tsconfig.json] [tsc options]        compile (the default verb)
//   green-tsc --watch [-p tsconfig.json]              rebuild on change (watch.ts)
//   green-tsc check | explain <file>:<name> | graph [--format dot|json|html]   (check.ts, explain.ts, graph.ts)
//   green-tsc --stress [-p tsconfig.json]             compile in stress mode (transformer/stress.ts; a test mode)
//
// Verbs are looked up in `verbs` by the first positional argument.
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import { createGreenTransformers, type GreenOptions } from './index.js';
import { check } from './check.js';
import { explain } from './explain.js';
import { graph } from './graph.js';
import { watch } from './watch.js';

type Verb = (args: string[]) => Promise<number>;

const verbs: Record<string, Verb> = { check, explain, graph };

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, strict: false, allowPositionals: true, options: { stress: { type: 'boolean' }, watch: { type: 'boolean', short: 'w' } } });
  const first = positionals[0];
  const verb = first !== undefined && argv[0] === first && Object.prototype.hasOwnProperty.call(verbs, first) ? first : undefined;
  // `--stress` is ours, not tsc's: take it out before tsc parses the command line
  if (values.stress === true) {
    if (verb !== undefined || values.watch === true) { reporter(false)(message(`green-tsc: --stress applies to a compile, not to ${verb ?? '--watch'}.`)); return 1; }
    return compile(argv.filter((a) => a !== '--stress'), { stress: true });
  }
  if (verb !== undefined) return verbs[verb]!(argv.slice(1));
  return compile(argv);
}

const sys = (): tsTypes.System => ts.sys;

function reporter(pretty: boolean): (d: tsTypes.Diagnostic) => void {
  const host: tsTypes.FormatDiagnosticsHost = {
    getCurrentDirectory: () => sys().getCurrentDirectory(),
    getNewLine: () => sys().newLine,
    getCanonicalFileName: (f) => sys().useCaseSensitiveFileNames ? f : f.toLowerCase(),
  };
  if (pretty) return (d) => sys().write(ts.formatDiagnosticsWithColorAndContext([d], host) + sys().newLine);
  return (d) => sys().write(ts.formatDiagnostics([d], host));
}

function isPretty(options: tsTypes.CompilerOptions): boolean {
  if (options.pretty !== undefined) return !!options.pretty;
  return !!(sys().writeOutputIsTTY && sys().writeOutputIsTTY!()) && !process.env.NO_COLOR;
}

/** The compile path: tsc's `performCompilation` + `emitFilesAndReportErrors`, with our transformers and diagnostics. */
export async function compile(argv: string[], overrides: GreenOptions = {}): Promise<number> {
  const commandLine = ts.parseCommandLine(argv);
  let report = reporter(isPretty(commandLine.options));
  if (commandLine.errors.length) { commandLine.errors.forEach(report); return 1; }
  const o = commandLine.options;
  if (o.version) { sys().write(`Version ${ts.version} (green-ts)${sys().newLine}`); return 0; }
  if (o.help || o.all) { sys().write(`green-tsc [-p tsconfig.json] [tsc options]: compiles like tsc with the green-ts transform.${sys().newLine}`); return 0; }
  if (o.watch) return watch(argv);
  if (o.build) { report(message('green-tsc does not support --build; use -p <tsconfig.json>.')); return 1; }

  let config: tsTypes.ParsedCommandLine;
  if (o.project || commandLine.fileNames.length === 0) {
    let configPath: string | undefined;
    if (o.project) {
      const p = path.resolve(o.project);
      configPath = sys().directoryExists(p) ? path.join(p, 'tsconfig.json') : p;
      if (!sys().fileExists(configPath)) { report(message(`Cannot find a tsconfig.json file at the specified directory: '${o.project}'.`, 5057)); return 1; }
    } else {
      configPath = ts.findConfigFile(sys().getCurrentDirectory(), sys().fileExists);
      if (!configPath) { sys().write(`green-tsc: no tsconfig.json here and no input files.${sys().newLine}`); return 1; }
    }
    let unrecoverable: tsTypes.Diagnostic | undefined;
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, o, {
      ...sys(), onUnRecoverableConfigFileDiagnostic: (d) => { unrecoverable = d; },
    } as tsTypes.ParseConfigFileHost);
    if (!parsed || unrecoverable) { if (unrecoverable) report(unrecoverable); return 1; }
    config = parsed;
  } else {
    config = commandLine;
  }
  report = reporter(isPretty(config.options));

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
  const program = ts.createProgram({
    rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences, host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  const options = program.getCompilerOptions();
  const plugin = { ...greenPluginOptions(options), ...overrides };

  const all: tsTypes.Diagnostic[] = [...program.getConfigFileParsingDiagnostics()];
  const configCount = all.length;
  all.push(...program.getSyntacticDiagnostics());
  let green: ReturnType<typeof createGreenTransformers> | undefined;
  if (all.length === configCount) {
    all.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
    if (all.length === configCount) all.push(...program.getSemanticDiagnostics());
    green = createGreenTransformers(program, plugin);
    all.push(...green.diagnostics);
  }
  const errors = all.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  let emitResult: tsTypes.EmitResult;
  if (options.noEmitOnError && errors > 0) emitResult = { emitSkipped: true, diagnostics: [] };
  else {
    green ??= createGreenTransformers(program, plugin);
    const before = green.diagnostics.length;
    emitResult = program.emit(undefined, undefined, undefined, undefined, { before: green.before, afterDeclarations: green.afterDeclarations });
    all.push(...emitResult.diagnostics, ...green.diagnostics.slice(before));
  }
  const diagnostics = ts.sortAndDeduplicateDiagnostics(all);
  diagnostics.forEach(report);
  if (isPretty(options)) {
    const t = ts as unknown as { getErrorSummaryText?: Function; getErrorCountForSummary?: Function; getFilesInErrorForSummary?: Function };
    if (t.getErrorSummaryText && t.getErrorCountForSummary && t.getFilesInErrorForSummary) {
      const count = t.getErrorCountForSummary(diagnostics);
      if (count) sys().write(t.getErrorSummaryText(count, t.getFilesInErrorForSummary(diagnostics), sys().newLine, sys()));
    }
  }
  if (emitResult.emitSkipped && diagnostics.length > 0) return 1;
  if (diagnostics.length > 0) return 2;
  return 0;
}

/** The options of the green-ts entry in the tsconfig's plugins list, if there is one. */
function greenPluginOptions(options: tsTypes.CompilerOptions): GreenOptions {
  const plugins = (options.plugins ?? []) as unknown as Array<Record<string, unknown>>;
  const entry = plugins.find((p) => typeof p.transform === 'string' && /green-ts\/transformer|transformer(\/index(\.js)?)?$/.test(p.transform as string));
  return { runtimeModule: typeof entry?.runtimeModule === 'string' ? entry.runtimeModule : undefined, stress: entry?.stress === true };
}

function message(text: string, code = 90000): tsTypes.Diagnostic {
  return { category: ts.DiagnosticCategory.Error, code, file: undefined, start: undefined, length: undefined, messageText: text };
}
