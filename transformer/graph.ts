// `green-tsc graph [--format dot|json|html] [-o file] [-p tsconfig.json]`: the green call graph —
// roots, suspending functions, the slots suspending functions flow through, the suspension points,
// and the edges between them (caller -> callee). dot for Graphviz, json for tools, html for one
// self-contained page (inline SVG and script, no network access).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from './index.js';
import { buildGraph, type GreenGraph } from './chain.js';
import { renderHtml, kindStyle } from './graph-html.js';
import { createProgram, greenOptions, loadConfig, message, reporter, splitArgs, sys } from './project.js';

export type GraphFormat = 'dot' | 'json' | 'html';

export async function graph(argv: string[]): Promise<number> {
  const { rest, positionals, own } = splitArgs(argv, { format: true, f: true, out: true, o: true, help: false, h: false });
  const rep = reporter({});
  if (own.has('help') || own.has('h')) {
    sys().write(`green-tsc graph [--format dot|json|html] [-o file] [-p tsconfig.json]: the green call graph (default format: dot, to stdout).${sys().newLine}`);
    return 0;
  }
  const format = String(own.get('format') ?? own.get('f') ?? 'dot');
  if (format !== 'dot' && format !== 'json' && format !== 'html') { rep.report(message(`graph: unknown --format '${format}' (dot, json or html).`)); return 1; }
  const loaded = loadConfig([...rest, ...positionals], rep.report);
  if (!loaded.ok) return loaded.code;
  const program = createProgram(loaded.config);
  const analysis = analyze(program, greenOptions(program));
  const g = buildGraph(analysis, process.cwd());
  const title = loaded.configPath ? path.relative(process.cwd(), loaded.configPath) || loaded.configPath : 'green-ts';
  const text = renderGraph(g, format, title);
  const out = own.get('out') ?? own.get('o');
  if (typeof out === 'string' && out) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, text);
  } else sys().write(text);
  return 0;
}

export function renderGraph(g: GreenGraph, format: GraphFormat, title = 'green-ts'): string {
  if (format === 'json') return JSON.stringify(g, null, 2) + '\n';
  if (format === 'html') return renderHtml(g, title);
  return toDot(g);
}


function dotString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

export function toDot(g: GreenGraph): string {
  const lines = ['digraph green {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  for (const n of g.nodes) {
    const st = kindStyle[n.kind];
    const label = `${n.name}\n${n.file}:${n.line}`;
    lines.push(`  ${n.id} [label=${dotString(label)}, shape=${st.shape}, style=filled, fillcolor=${dotString(st.fill)}, color=${dotString(st.stroke)}, tooltip=${dotString(n.kind + (n.detail ? ' ' + n.detail : ''))}];`);
  }
  for (const e of g.edges) {
    const attrs = [`label=${dotString(e.site ? `:${e.site.line}` : '')}`];
    if (e.kind === 'flow') attrs.push('style=dashed');
    if (e.kind === 'virtual') attrs.push('style=dotted');
    lines.push(`  ${e.from} -> ${e.to} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
