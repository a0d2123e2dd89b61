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
import { ts } from './tsapi.js';
import type { GreenOptions } from './index.js';
import { createProgram, emitGuarded, exitStatus, greenDiagnostics, loadConfig, message, reportAll, reporter, sys, transformersFor } from './project.js';
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
    if (verb !== undefined || values.watch === true) { reporter({ pretty: false }).report(message(`green-tsc: --stress applies to a compile, not to ${verb ?? '--watch'}.`)); return 1; }
    return compile(argv.filter((a) => a !== '--stress'), { stress: true });
  }
  if (verb !== undefined) return verbs[verb]!(argv.slice(1));
  return compile(argv);
}

/** The compile path: tsc's `performCompilation` + `emitFilesAndReportErrors`, with our transformers and diagnostics. */
export async function compile(argv: string[], overrides: GreenOptions = {}): Promise<number> {
  const commandLine = ts.parseCommandLine(argv);
  const o = commandLine.options;
  const early = reporter(o).report;
  if (commandLine.errors.length) { commandLine.errors.forEach(early); return 1; }
  if (o.version) { sys().write(`Version ${ts.version} (green-ts)${sys().newLine}`); return 0; }
  if (o.help || o.all) { sys().write(`green-tsc [-p tsconfig.json] [tsc options]: compiles like tsc with the green-ts transform.${sys().newLine}`); return 0; }
  if (o.watch) return watch(argv);
  if (o.build) { early(message('green-tsc does not support --build; use -p <tsconfig.json>.')); return 1; }

  const loaded = loadConfig(commandLine, early);
  if (!loaded.ok) return loaded.code;
  const rep = reporter(loaded.config.options);
  const program = createProgram(loaded.config);
  const { all, green, errors } = greenDiagnostics(program, program, overrides);
  let emitSkipped = true;
  if (!(program.getCompilerOptions().noEmitOnError && errors > 0)) {
    const transformers = transformersFor(program, green, overrides);
    const before = transformers.diagnostics.length;
    const result = emitGuarded(() => program.emit(undefined, undefined, undefined, undefined, { before: transformers.before, afterDeclarations: transformers.afterDeclarations }));
    all.push(...result.diagnostics, ...transformers.diagnostics.slice(before));
    emitSkipped = result.emitSkipped;
  }
  return exitStatus(reportAll(all, rep.report, rep.summary), emitSkipped);
}
