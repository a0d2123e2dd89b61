// Shared by the transform tests: compile a set of files with or without the green-ts transform
// into a directory under test/.out (inside the package, so `green-ts/internal` resolves by package
// self-reference), format diagnostics like tsc, run the output with node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { createGreenTransformers, type GreenOptions } from '../../transformer/index.js';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const fixturesRoot = path.join(repoRoot, 'fixtures');
export const outRoot = path.join(repoRoot, 'test', '.out');
export const accept = process.env.GREEN_ACCEPT === '1';

export const defaultOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  sourceMap: true,
  types: ['node'],
  lib: ['lib.es2023.d.ts'],
  newLine: ts.NewLineKind.LineFeed,
};

// lib and dependency .d.ts files parse once per process
const sharedFiles = new Map<string, ts.SourceFile | undefined>();

export function createHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts')) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = fileName + '|' + JSON.stringify(languageVersion);
    if (!sharedFiles.has(key)) sharedFiles.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return sharedFiles.get(key);
  };
  // as tsc does: JSDoc is not parsed in .ts files (marks must be read from comment text)
  (host as { jsDocParsingMode?: number }).jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  return host;
}

export interface Compiled {
  outDir: string;
  /** emitted .js/.mjs/.cjs files, relative to outDir */
  files: Map<string, string>;
  diagnostics: ts.Diagnostic[];
  /** tsc's non-pretty format, paths relative to the repository root */
  formatted: string;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCurrentDirectory: () => repoRoot,
  getNewLine: () => '\n',
  getCanonicalFileName: (f) => f,
};

export function formatDiagnostics(ds: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(ds, formatHost).split(repoRoot + '/').join('');
}

export function compile(rootNames: string[], outDir: string, opts: { transform: boolean; rootDir: string; compilerOptions?: ts.CompilerOptions; green?: GreenOptions }): Compiled {
  fs.rmSync(outDir, { recursive: true, force: true });
  const options: ts.CompilerOptions = { ...defaultOptions, ...opts.compilerOptions, outDir, rootDir: opts.rootDir };
  const program = ts.createProgram({ rootNames, options, host: createHost(options) });
  const diagnostics: ts.Diagnostic[] = [...ts.getPreEmitDiagnostics(program)];
  const files = new Map<string, string>();
  const writeFile: ts.WriteFileCallback = (name, text) => {
    fs.mkdirSync(path.dirname(name), { recursive: true });
    fs.writeFileSync(name, text);
    if (/\.[cm]?js$/.test(name)) files.set(path.relative(outDir, name), text);
  };
  if (opts.transform) {
    const green = createGreenTransformers(program, opts.green);
    const r = program.emit(undefined, writeFile, undefined, undefined, { before: green.before, afterDeclarations: green.afterDeclarations });
    diagnostics.push(...r.diagnostics, ...green.diagnostics);
  } else {
    const r = program.emit(undefined, writeFile);
    diagnostics.push(...r.diagnostics);
  }
  const sorted = ts.sortAndDeduplicateDiagnostics(diagnostics);
  return { outDir, files, diagnostics: [...sorted], formatted: formatDiagnostics(sorted) };
}

export interface RunResult { status: number | null; stdout: string; stderr: string }

export function runNode(file: string, extraArgs: string[] = []): RunResult {
  const r = spawnSync(process.execPath, [...extraArgs, file], { cwd: path.dirname(file), encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const syncHooks = ['--import', path.join(__dirname, 'sync-esm-hook.js'), '-r', path.join(__dirname, 'sync-hook.js')];

/** Compare with a golden file; with GREEN_ACCEPT=1 write it instead. Returns the expected text. */
export function golden(file: string, actual: string): string | undefined {
  if (accept) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return actual;
  }
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

export interface Fixture { group: string; name: string; dir: string; main: string; files: string[]; config: FixtureConfig }
export interface FixtureConfig { compilerOptions?: Record<string, unknown>; differential?: boolean; run?: boolean }

export function listFixtures(): Fixture[] {
  const out: Fixture[] = [];
  if (!fs.existsSync(fixturesRoot)) return out;
  for (const group of fs.readdirSync(fixturesRoot).sort()) {
    const gdir = path.join(fixturesRoot, group);
    if (!fs.statSync(gdir).isDirectory()) continue;
    for (const name of fs.readdirSync(gdir).sort()) {
      const dir = path.join(gdir, name);
      if (!fs.statSync(dir).isDirectory()) continue;
      const files = walk(dir).filter((f) => /\.[cm]?ts$/.test(f) && !f.includes(`${path.sep}expected${path.sep}`));
      const main = files.find((f) => /[/\\]main\.[cm]?ts$/.test(f));
      if (!main) continue;
      const cfgFile = path.join(dir, 'fixture.json');
      const config: FixtureConfig = fs.existsSync(cfgFile) ? JSON.parse(fs.readFileSync(cfgFile, 'utf8')) : {};
      out.push({ group, name, dir, main, files, config });
    }
  }
  return out;
}

export function fixtureCompilerOptions(f: Fixture): ts.CompilerOptions {
  if (!f.config.compilerOptions) return {};
  const r = ts.convertCompilerOptionsFromJson(f.config.compilerOptions, f.dir);
  if (r.errors.length) throw new Error(formatDiagnostics(r.errors));
  return r.options;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'expected') out.push(...walk(p)); }
    else out.push(p);
  }
  return out.sort();
}

export function jsName(tsFile: string): string {
  return tsFile.replace(/\.mts$/, '.mjs').replace(/\.cts$/, '.cjs').replace(/\.ts$/, '.js');
}
