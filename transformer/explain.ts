// `green-tsc explain <file>:<name> [-p tsconfig.json]`: why a function suspends — the shortest chain
// of calls from it to a suspension point, one line per step with file:line — or why it does not.
// <name> is a function, variable, `Class.method` or `Interface.member` declared in <file>; a number
// instead of a name picks the function declared on that line.
import * as path from 'node:path';
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import { analyze } from './index.js';
import type { Analysis } from './analysis.js';
import { chainOf, nameOf, nodeKind, where, siteText, type Step } from './chain.js';
import { createProgram, greenOptions, loadConfig, reporter, splitArgs, sys, message } from './project.js';

export interface Explanation { found: boolean; suspends: boolean; text: string }

export async function explain(argv: string[]): Promise<number> {
  const { rest, positionals, own } = splitArgs(argv, { help: false, h: false });
  const rep = reporter({});
  if (own.has('help') || own.has('h') || positionals.length !== 1) {
    sys().write(`green-tsc explain <file>:<name> [-p tsconfig.json]: why <name> suspends (the shortest chain of calls to a suspension point), or why it does not.${sys().newLine}`);
    return own.has('help') || own.has('h') ? 0 : 1;
  }
  const target = positionals[0]!;
  const m = /^(.*):([^:]+)$/.exec(target);
  if (!m) { rep.report(message(`explain: expected <file>:<name>, got '${target}'.`)); return 1; }
  const loaded = loadConfig(rest, rep.report);
  if (!loaded.ok) return loaded.code;
  const program = createProgram(loaded.config);
  const file = path.resolve(m[1]!);
  const sf = program.getSourceFile(file) ?? program.getSourceFiles().find((s) => path.resolve(s.fileName) === file);
  if (!sf) { rep.report(message(`explain: '${m[1]}' is not part of the program${loaded.configPath ? ` of ${path.relative(process.cwd(), loaded.configPath) || loaded.configPath}` : ''}.`)); return 1; }
  const analysis = analyze(program, greenOptions(program));
  const result = explainName(analysis, sf, m[2]!, process.cwd());
  sys().write(result.text + sys().newLine);
  return result.found ? 0 : 1;
}

/** The declarations in `sf` that `name` can mean. */
export function findDeclarations(analysis: Analysis, sf: tsTypes.SourceFile, name: string): tsTypes.Node[] {
  const out: tsTypes.Node[] = [];
  const line = /^\d+$/.test(name) ? Number(name) : undefined;
  const visit = (n: tsTypes.Node): void => {
    if (isCandidate(analysis, n)) {
      if (line !== undefined) {
        const l = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
        if (l === line) out.push(n);
      } else {
        const full = nameOf(analysis, n);
        const short = full.includes('.') ? full.slice(full.lastIndexOf('.') + 1) : full;
        if (full === name || (!name.includes('.') && short === name)) out.push(n);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // `const f = () => ...` is both a variable and a function: keep the function
  return out.filter((n) => !(ts.isVariableDeclaration(n) && n.initializer && out.includes(n.initializer)));
}

function isCandidate(analysis: Analysis, n: tsTypes.Node): boolean {
  if (analysis.graph.fns.has(n)) return true;
  if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isMethodSignature(n) || ts.isPropertySignature(n)) return true;
  if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) return true;
  if (ts.isPropertyDeclaration(n)) return true;
  return false;
}

export function explainName(analysis: Analysis, sf: tsTypes.SourceFile, name: string, base: string): Explanation {
  const found = findDeclarations(analysis, sf, name);
  const fileName = path.relative(base, sf.fileName) || sf.fileName;
  if (!found.length) {
    const names = new Set<string>();
    const visit = (n: tsTypes.Node): void => { if (isCandidate(analysis, n)) { const t = nameOf(analysis, n); if (t && !t.startsWith('<')) names.add(t); } ts.forEachChild(n, visit); };
    visit(sf);
    const list = [...names].slice(0, 30);
    return { found: false, suspends: false, text: `No function or member named '${name}' in ${fileName}.${list.length ? ` Declared there: ${list.join(', ')}.` : ''}` };
  }
  const texts = found.map((n) => explainNode(analysis, n, base));
  return { found: true, suspends: found.some((n) => analysis.suspends.has(n)), text: texts.join('\n\n') };
}

const rootWhy: Record<string, string> = {
  green: 'it is marked @green',
  param: 'it is passed where a green function is expected (a @green parameter)',
  marker: 'it is wrapped in green(...)',
};

export function explainNode(analysis: Analysis, n: tsTypes.Node, base: string): string {
  const name = nameOf(analysis, n);
  const at = where(n, base);
  const info = analysis.graph.fns.get(n);
  const lines: string[] = [];
  const seed = analysis.graph.seeds.get(n);
  if (seed === '@suspends') {
    lines.push(`${name} (${at}) is a suspension point: it is declared @suspends.`);
    return lines.join('\n');
  }
  if (info?.root) {
    lines.push(`${name} (${at}) is a root: ${rootWhy[info.root] ?? 'it is green context'}. Its body runs in a green thread; calling it starts one (it is async to its callers), so it does not make its callers suspend.`);
    if (analysis.suspends.has(n)) {
      const steps = chainOf(analysis, n, base);
      lines.push(`Its body suspends; the shortest chain to a suspension point (${steps.length - 1} step${steps.length === 2 ? '' : 's'}):`);
      lines.push(...formatSteps(steps));
    } else lines.push('Its body reaches no suspension point.');
    return lines.join('\n');
  }
  if (analysis.suspends.has(n)) {
    const steps = chainOf(analysis, n, base);
    lines.push(`${name} (${at}) suspends. Shortest chain to a suspension point (${steps.length - 1} step${steps.length === 2 ? '' : 's'}):`);
    lines.push(...formatSteps(steps));
    if (nodeKind(analysis, n) === 'virtual') lines.push('It is a virtual member: every implementation and override shares its calling convention.');
    return lines.join('\n');
  }
  // why not
  if (info?.bad) {
    const what = { ctor: 'a constructor', accessor: 'a getter or setter', async: 'a plain async function', generator: 'a generator' }[info.bad];
    lines.push(`${name} (${at}) does not suspend: it is ${what}, which green-ts never rewrites.`);
    const bad = analysis.diagnostics.filter((d) => d.file === n.getSourceFile() && d.start !== undefined && d.start >= n.pos && d.start < n.end);
    if (bad.length) lines.push(`It calls suspending code, which is reported as an error (${bad.length} diagnostic${bad.length === 1 ? '' : 's'}).`);
    return lines.join('\n');
  }
  const calls = analysis.graph.calls.filter((c) => c.container === n && c.kind !== 'await');
  if (!info) {
    lines.push(`${name} (${at}) does not suspend: no suspending function flows into it.`);
    return lines.join('\n');
  }
  lines.push(`${name} (${at}) does not suspend: none of its ${calls.length} call${calls.length === 1 ? '' : 's'} can reach a suspension point.`);
  const dyn = calls.filter((c) => analysis.plans.get(c.node)?.kind === 'dyn' || analysis.plans.get(c.node)?.kind === 'callApplyDyn' || (c.unknown && !c.targets.length));
  for (const c of calls.slice(0, 20)) {
    const t = siteText(c.node);
    const targets = c.targets.map((x) => nameOf(analysis, x.node)).filter(Boolean);
    const note = dyn.includes(c) ? 'callee unknown at compile time: checked at run time' : targets.length ? `${targets.join(' | ')} does not suspend` : 'not a suspending function';
    lines.push(`  ${where(c.node, base)}  ${t}: ${note}`);
  }
  if (calls.length > 20) lines.push(`  ... and ${calls.length - 20} more`);
  return lines.join('\n');
}

export function formatSteps(steps: Step[]): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const label = s.kind === 'point' ? `${s.name} [${s.detail ?? '@suspends'}]` : s.kind === 'root' ? `${s.name} [root]` : s.name;
    let line = `  ${i + 1}. ${label} (${s.at})`;
    if (s.next) {
      const to = steps[i + 1];
      if (s.next.edge === 'virtual') line += ` ${s.kind === 'virtual' ? 'is implemented by' : 'shares its calling convention with'} ${to ? to.name : '?'}${to ? ` (${to.at})` : ''}`;
      else line += ` ${s.next.edge === 'call' ? 'calls' : 'receives'}${s.next.text ? ` ${s.next.text}` : ''}${s.next.siteAt ? ` at ${s.next.siteAt}` : ''}`;
    } else if (s.kind === 'point') line += ': suspension point';
    out.push(line);
  });
  return out;
}
