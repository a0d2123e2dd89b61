// `green-tsc check [-p tsconfig.json] [tsc options]`: tsc's diagnostics plus the green-ts analysis
// and every diagnostic the rewrite would report, without writing anything (ts-patch cannot report
// under `noEmit`; this is the way to check in CI). The rewrite runs in memory (ts.transform over the
// files it touches), so `check` reports exactly what `green-tsc` would, whatever `noEmit` says.
// Exit codes as `tsc --noEmit`: 0 clean, 2 diagnostics reported, 1 the project could not be loaded.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import { createProgram, exitStatus, greenDiagnostics, loadConfig, reportAll, reporter, splitArgs, sys } from './project.js';

/** All diagnostics `green-tsc` would report for `program`, without emitting (unsorted: reportAll sorts). */
export function checkProgram(program: tsTypes.Program): tsTypes.Diagnostic[] {
  const { all, green } = greenDiagnostics(program, program);
  if (!green) return all;
  const files = green.analysis.graph?.files.filter((sf) => green.analysis.dirty.has(sf)) ?? [];
  const before = green.diagnostics.length;
  if (files.length) {
    const options = { ...program.getCompilerOptions(), noEmit: false };
    const result = ts.transform(files, green.before, options);
    result.dispose();
  }
  all.push(...green.diagnostics.slice(before));
  return all;
}

export async function check(argv: string[]): Promise<number> {
  const { rest, positionals, own } = splitArgs(argv, { help: false, h: false });
  if (own.has('help') || own.has('h')) {
    sys().write(`green-tsc check [-p tsconfig.json] [tsc options]: type-check and run the green-ts analysis; report diagnostics like tsc; emit nothing.${sys().newLine}`);
    return 0;
  }
  const loaded = loadConfig([...rest, ...positionals]);
  if (!loaded.ok) return loaded.code;
  const rep = reporter(loaded.config.options);
  const program = createProgram(loaded.config);
  return exitStatus(reportAll(checkProgram(program), rep.report, rep.summary), false);
}
