// Temporary projects for the build tests, under the git-ignored test/.out/build/p<pid>/ (inside the package,
// so `green-ts` resolves by package self-reference under node16 resolution), and ways to run the CLI
// on them. Every child process has a bounded run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** One directory per test process (each test file runs in its own), so concurrent runs never share a project. */
export const outRoot = path.join(repoRoot, 'test', '.out', 'build', `p${process.pid}`);

/** For `test.after` (which runs only when every test passed): a failed run's projects stay for a look. */
export function removeOutRoot(): void {
  fs.rmSync(outRoot, { recursive: true, force: true });
}
export const greenTsc = path.join(repoRoot, 'bin', 'green-tsc.js');

export const baseOptions = {
  target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true,
  skipLibCheck: true, types: [] as string[], newLine: 'lf',
};

/** A fresh project directory with `files` (relative path -> text) and a tsconfig.json (unless given). */
export function project(name: string, files: Record<string, string>, compilerOptions: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  const dir = path.join(outRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (!('tsconfig.json' in files)) {
    files = { 'tsconfig.json': JSON.stringify({ compilerOptions: { ...baseOptions, outDir: 'out', rootDir: 'src', ...compilerOptions }, include: ['src'], ...extra }, null, 2), ...files };
  }
  for (const [f, text] of Object.entries(files)) write(dir, f, text);
  return dir;
}

export function write(dir: string, file: string, text: string): void {
  const p = path.join(dir, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

export function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

export interface Run { code: number | null; stdout: string; stderr: string; out: string }

/** Run a node script synchronously with a time limit. */
export function node(args: string[], cwd: string, opts: { timeout?: number; env?: NodeJS.ProcessEnv; execPath?: string } = {}): Run {
  const r = spawnSync(opts.execPath ?? process.execPath, args, { cwd, encoding: 'utf8', timeout: opts.timeout ?? 120_000, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  if (r.error) return { code: null, stdout: r.stdout ?? '', stderr: String(r.error), out: out + String(r.error) };
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', out };
}

export function greenTscRun(args: string[], cwd: string, timeout?: number): Run {
  return node([greenTsc, ...args], cwd, { timeout });
}

/** Every file under `dir` (relative, sorted) with its text; `filter` on the relative path. */
export function tree(dir: string, filter: (rel: string) => boolean = () => true): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else { const rel = path.relative(dir, p).replace(/\\/g, '/'); if (filter(rel)) out.set(rel, fs.readFileSync(p, 'utf8')); }
    }
  };
  walk(dir);
  return out;
}

/** A long-running child (the watcher) whose output is collected; `until` waits, bounded, for a condition. */
export class Child {
  readonly proc: ChildProcess;
  output = '';
  exited = false;
  constructor(args: string[], cwd: string) {
    this.proc = spawn(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.setEncoding('utf8').on('data', (d: string) => { this.output += d; });
    this.proc.stderr!.setEncoding('utf8').on('data', (d: string) => { this.output += d; });
    this.proc.on('exit', () => { this.exited = true; });
  }
  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.exited) throw new Error(`watcher exited while waiting for ${what}:\n${this.output}`);
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async kill(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => { if (!this.exited) this.proc.kill('SIGKILL'); }, 5000);
    await done;
    clearTimeout(t);
  }
}

/** A minimal DOT reader: `digraph [name] { stmt; ... }` with node and edge statements; throws on anything else. */
export function parseDot(text: string): { name: string; nodes: Map<string, Record<string, string>>; edges: Array<{ from: string; to: string; attrs: Record<string, string> }> } {
  const m = /^\s*digraph\s+("?)([\w-]*)\1\s*\{([\s\S]*)\}\s*$/.exec(text);
  if (!m) throw new Error('not a digraph { ... }');
  const body = m[3]!;
  // tokens: identifiers, quoted strings, punctuation
  const tokens: string[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(->|--)|([\w.]+)|([\[\]=;,{}]))/y;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    re.lastIndex = pos;
    const t = re.exec(body);
    if (!t) throw new Error(`DOT: unexpected text at ${pos}: ${body.slice(pos, pos + 30)}`);
    tokens.push(t[1] ?? t[2] ?? t[3] ?? t[4]!);
    pos = re.lastIndex;
  }
  const unq = (s: string) => s.startsWith('"') ? JSON.parse(s.replace(/\\n/g, '\\n')) as string : s;
  const nodes = new Map<string, Record<string, string>>();
  const edges: Array<{ from: string; to: string; attrs: Record<string, string> }> = [];
  let i = 0;
  const attrs = (): Record<string, string> => {
    const out: Record<string, string> = {};
    if (tokens[i] !== '[') return out;
    i++;
    while (tokens[i] !== ']') {
      const k = tokens[i++]!;
      if (tokens[i++] !== '=') throw new Error(`DOT: expected = after ${k}`);
      out[k] = unq(tokens[i++]!);
      if (tokens[i] === ',' || tokens[i] === ';') i++;
      if (i >= tokens.length) throw new Error('DOT: unterminated attribute list');
    }
    i++;
    return out;
  };
  while (i < tokens.length) {
    const a = tokens[i++]!;
    if (a === ';') continue;
    if (!/^[\w.]+$|^"/.test(a)) throw new Error(`DOT: unexpected ${a}`);
    if (tokens[i] === '=') { i += 2; if (tokens[i] === ';') i++; continue; } // graph attribute: rankdir=LR
    if (tokens[i] === '->') {
      i++;
      const b = tokens[i++]!;
      edges.push({ from: unq(a), to: unq(b), attrs: attrs() });
    } else {
      const at = attrs();
      if (a !== 'node' && a !== 'edge' && a !== 'graph') nodes.set(unq(a), at);
    }
    if (tokens[i] === ';') i++;
  }
  return { name: m[2]!, nodes, edges };
}
