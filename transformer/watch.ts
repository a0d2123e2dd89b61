// `green-tsc --watch [-p tsconfig.json] [tsc options]`: tsc's watch mode (ts.createWatchProgram with
// an emit-and-semantic-diagnostics builder, tsc's status lines and diagnostic format) with the
// green-ts transform, plus the one thing tsc's incremental emit cannot know: an edit that recolors
// functions (a callee starts or stops suspending) changes the output of files that did not change
// and whose imports' types did not change either. After every rebuild the analysis is recomputed
// (whole program, linear) and each file gets a fingerprint of what the analysis decided in it (which
// functions suspend / are rewritten, which calls are planned how); every file whose fingerprint
// differs from the one it was last emitted with is re-emitted too. Outputs whose text is unchanged
// are not rewritten on disk, so downstream watchers only see files whose emitted output changed.
import * as fs from 'node:fs';
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Analysis } from './analysis.js';
import { emitGuarded, greenDiagnostics, isPretty, loadConfig, reportAll, reporter, sys, message, transformersFor } from './project.js';

/** Per source file: a string that changes exactly when the analysis decides something different in it. */
export function fingerprints(analysis: Analysis): Map<string, string> {
  const parts = new Map<string, string[]>();
  const add = (n: tsTypes.Node, tag: string) => {
    const sf = n.getSourceFile();
    if (!sf || sf.isDeclarationFile) return;
    let list = parts.get(sf.fileName);
    if (!list) parts.set(sf.fileName, list = []);
    list.push(`${n.pos}-${n.end}${tag}`);
  };
  for (const n of analysis.suspends) add(n, 's');
  for (const [n, info] of analysis.rewrite) add(n, 'r' + (info.root ?? ''));
  for (const [n, plan] of analysis.plans) add(n, 'p' + plan.kind + (plan.target ? '>' + plan.target.how + (analysis.plainFirst.has(plan.target.node) ? 'P' : '') : ''));
  for (const n of analysis.plainFirst.keys()) add(n, 'P');
  const out = new Map<string, string>();
  for (const sf of analysis.graph?.files ?? []) out.set(sf.fileName, (parts.get(sf.fileName) ?? []).sort().join(','));
  return out;
}

export async function watch(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--watch' && a !== '-w' && a !== '--watch=true');
  const loaded = loadConfig(args, reporter({}).report);
  if (!loaded.ok) return loaded.code;
  const cmd = loaded.commandLine;
  const pretty = isPretty(loaded.config.options);
  const internal = ts as unknown as {
    createDiagnosticReporter?: (s: tsTypes.System, pretty?: boolean) => tsTypes.DiagnosticReporter;
    createWatchStatusReporter?: (s: tsTypes.System, pretty?: boolean) => tsTypes.WatchStatusReporter;
  };
  const reportDiagnostic: tsTypes.DiagnosticReporter = internal.createDiagnosticReporter?.(sys(), pretty) ?? reporter(loaded.config.options).report;
  const reportStatus: tsTypes.WatchStatusReporter = internal.createWatchStatusReporter?.(sys(), pretty)
    ?? ((d) => sys().write(`[${new Date().toLocaleTimeString()}] ${ts.flattenDiagnosticMessageText(d.messageText, sys().newLine)}${sys().newLine}${sys().newLine}`));
  const createBuilder = ts.createEmitAndSemanticDiagnosticsBuilderProgram;
  const optionsToExtend: tsTypes.CompilerOptions = { ...cmd.options, watch: true };
  const host: tsTypes.WatchCompilerHost<tsTypes.EmitAndSemanticDiagnosticsBuilderProgram> = loaded.configPath
    ? ts.createWatchCompilerHost(loaded.configPath, optionsToExtend, sys(), createBuilder, reportDiagnostic, reportStatus, cmd.watchOptions)
    : ts.createWatchCompilerHost(cmd.fileNames, optionsToExtend, sys(), createBuilder, reportDiagnostic, reportStatus, undefined, cmd.watchOptions);
  (host as { jsDocParsingMode?: number }).jsDocParsingMode = ts.JSDocParsingMode?.ParseForTypeErrors;

  let lastEmitted = new Map<string, string>();
  host.afterProgramCreate = (builder) => {
    try {
      rebuild(builder);
    } catch (e) {
      reportDiagnostic(message(`green-ts: watch rebuild failed: ${(e as Error)?.stack ?? e}`));
    }
  };

  const rebuild = (builder: tsTypes.EmitAndSemanticDiagnosticsBuilderProgram) => {
    const program = builder.getProgram();
    const options = program.getCompilerOptions();
    // the builder's diagnostics: it keeps each file's semantic diagnostics across rebuilds
    const { all, green: analysed, errors } = greenDiagnostics(builder, program);
    const emitted: string[] = [];
    if (!options.noEmit && !(options.noEmitOnError && errors > 0)) {
      const green = transformersFor(program, analysed);
      const transformers = { before: green.before, afterDeclarations: green.afterDeclarations };
      const fromSources = new Set<string>();
      const writeFile: tsTypes.WriteFileCallback = (name, text, bom, onError, sourceFiles) => {
        for (const sf of sourceFiles ?? []) fromSources.add(sf.fileName);
        try {
          if (fs.existsSync(name) && fs.readFileSync(name, 'utf8') === (bom ? '\uFEFF' : '') + text) return;
        } catch { /* write it */ }
        const w = (host as { writeFile?: (name: string, text: string, bom?: boolean) => void }).writeFile;
        if (w) w.call(host, name, text, bom); else sys().writeFile(name, text, bom);
        emitted.push(name);
        if (options.listEmittedFiles) sys().write(`TSFILE: ${name}${sys().newLine}`);
      };
      const before = green.diagnostics.length;
      const result = emitGuarded(() => builder.emit(undefined, writeFile, undefined, undefined, transformers));
      all.push(...result.diagnostics);
      // files whose green-ts output changed although neither they nor their imports' types did
      const fps = fingerprints(green.analysis);
      const recolored: string[] = [];
      for (const [file, fp] of fps) {
        if (fromSources.has(file) || lastEmitted.get(file) === fp || !lastEmitted.has(file)) continue;
        const sf = program.getSourceFile(file);
        if (!sf) continue;
        const count = emitted.length;
        const r = emitGuarded(() => program.emit(sf, writeFile, undefined, undefined, transformers));
        all.push(...r.diagnostics);
        if (emitted.length > count) recolored.push(file);
      }
      all.push(...green.diagnostics.slice(before));
      if (!result.emitSkipped) {
        // remember what every file was emitted with; files first seen now were emitted by the builder
        const next = new Map(lastEmitted);
        for (const [file, fp] of fps) next.set(file, fp);
        lastEmitted = next;
      }
      if (recolored.length) {
        reportStatus(message(`green-ts: re-emitted ${recolored.length} file${recolored.length === 1 ? '' : 's'} whose functions were recolored: ${recolored.map((f) => f.replace(sys().getCurrentDirectory().replace(/\\/g, '/') + '/', '')).join(', ')}`, 6900), sys().newLine, options);
      }
    }
    const diagnostics = reportAll(all, reportDiagnostic);
    const count = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
    const text = count === 1 ? 'Found 1 error. Watching for file changes.' : `Found ${count} errors. Watching for file changes.`;
    reportStatus({ category: ts.DiagnosticCategory.Message, code: count === 1 ? 6193 : 6194, file: undefined, start: undefined, length: undefined, messageText: text }, sys().newLine, options, count);
  };

  if ('configFileName' in host) ts.createWatchProgram(host as tsTypes.WatchCompilerHostOfConfigFile<tsTypes.EmitAndSemanticDiagnosticsBuilderProgram>);
  else ts.createWatchProgram(host as tsTypes.WatchCompilerHostOfFilesAndCompilerOptions<tsTypes.EmitAndSemanticDiagnosticsBuilderProgram>);
  return new Promise<number>(() => { /* runs until the process is stopped */ });
}
