// Reading the suspension analysis back out, for `explain` and `graph`: the nodes of the green call
// graph (roots, suspending functions, slots that hold suspending functions, suspension points), the
// edges between them with their kind and site, and the shortest chain from a node to a suspension
// point. The analysis's propagation is a breadth-first search from the suspension points over the
// reverse call graph, so `analysis.via` is already a shortest-path tree: the chain follows it.
import * as path from 'node:path';
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Analysis } from './analysis.js';
import { displayName } from './analysis.js';
import { functionName, skipOuter } from './callgraph.js';

export type NodeKind = 'root' | 'suspending' | 'point' | 'slot' | 'virtual' | 'plain';
export type EdgeKind = 'call' | 'flow' | 'virtual';

export interface Location { file: string; line: number; column: number }

export interface GraphNode extends Location {
  id: string;
  name: string;
  kind: NodeKind;
  /** How a root is a root ('green', 'param', 'marker'), or a point's tag ('@suspends', '@green parameter'). */
  detail?: string;
  /** True when this node's body is emitted as a generator. */
  rewritten: boolean;
}

export interface GraphEdge {
  /** The caller (or the slot / family member that depends on `to`). */
  from: string;
  to: string;
  kind: EdgeKind;
  /** Where the call / flow is written. */
  site?: Location;
  /** Source text of the callee / value at the site (shortened). */
  text?: string;
}

export interface GreenGraph { nodes: GraphNode[]; edges: GraphEdge[] }

export function location(n: tsTypes.Node, base: string): Location {
  const sf = n.getSourceFile();
  const pos = ts.isSourceFile(n) ? 0 : n.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(pos);
  return { file: relativePath(sf.fileName, base), line: line + 1, column: character + 1 };
}

export function relativePath(fileName: string, base: string): string {
  const r = path.relative(base, fileName).replace(/\\/g, '/');
  return r.startsWith('../../../') || path.isAbsolute(r) ? fileName.replace(/\\/g, '/') : r;
}

export function where(n: tsTypes.Node, base: string): string {
  const l = location(n, base);
  return `${l.file}:${l.line}`;
}

/** A readable name for any node of the graph. */
export function nameOf(analysis: Analysis, n: tsTypes.Node): string {
  if (ts.isSourceFile(n)) return `<top level of ${path.basename(n.fileName)}>`;
  if (ts.isParameter(n)) {
    const fn = n.parent;
    const owner = fn ? (functionName(fn) || '<anonymous>') : '?';
    return `parameter '${n.name.getText()}' of ${owner}`;
  }
  if (ts.isClassStaticBlockDeclaration(n)) return 'static block';
  if (analysis.graph.initializers.has(n)) {
    const p = n.parent;
    return p && ts.isPropertyDeclaration(p) ? `initializer of ${displayName(p)}` : 'initializer';
  }
  if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && !n.name) {
    // a class field holding a function: `Class.field`
    let p: tsTypes.Node = n.parent;
    while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) p = p.parent;
    if (p && ts.isPropertyDeclaration(p) && ts.isClassLike(p.parent) && p.parent.name) return `${p.parent.name.text}.${displayName(n)}`;
    // a callback: name it by what it is passed to, and where the result goes (`list = handler(<arrow>)`)
    if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && displayName(n) === '<anonymous>') {
      const callee = p.expression.getText().replace(/\s+/g, '');
      let q: tsTypes.Node = p.parent;
      while (q && (ts.isParenthesizedExpression(q) || ts.isAsExpression(q) || ts.isSatisfiesExpression(q))) q = q.parent;
      const owner = q && (ts.isVariableDeclaration(q) || ts.isPropertyAssignment(q) || ts.isPropertyDeclaration(q)) && ts.isIdentifier(q.name) ? `${q.name.text} = ` : '';
      return `${owner}${callee.length > 30 ? callee.slice(0, 29) + '\u2026' : callee}(${ts.isArrowFunction(n) ? '() => …' : 'function …'})`;
    }
  }
  return displayName(n);
}

export function nodeKind(analysis: Analysis, n: tsTypes.Node): NodeKind {
  const g = analysis.graph;
  const seed = g.seeds.get(n);
  if (seed === '@suspends') return 'point';
  if (analysis.isRoot(n)) return 'root';
  if (seed) return 'slot';
  if (g.fns.has(n)) return analysis.suspends.has(n) ? 'suspending' : 'plain';
  if (ts.isMethodSignature(n) || ts.isPropertySignature(n) || ((ts.isMethodDeclaration(n) || ts.isFunctionDeclaration(n)) && !n.body)) return 'virtual';
  return 'slot';
}

export function edgeKind(analysis: Analysis, to: tsTypes.Node, site: tsTypes.Node | undefined): EdgeKind {
  if (!site) return 'flow';
  if (ts.isCallExpression(site) || ts.isNewExpression(site) || ts.isTaggedTemplateExpression(site) || ts.isAwaitExpression(site)) {
    return analysis.graph.fns.has(to) || ts.isSourceFile(to) || analysis.graph.initializers.has(to) || ts.isClassStaticBlockDeclaration(to) ? 'call' : 'flow';
  }
  if (ts.isClassElement(site) || ts.isTypeElement(site)) return site === to || analysis.graph.fns.has(to) || ts.isTypeElement(to) || ts.isPropertyDeclaration(to) ? 'virtual' : 'flow';
  return 'flow';
}

export function siteText(site: tsTypes.Node | undefined): string | undefined {
  if (!site) return undefined;
  let e: tsTypes.Node = site;
  if (ts.isCallExpression(site) || ts.isNewExpression(site)) e = site.expression;
  else if (ts.isTaggedTemplateExpression(site)) e = site.tag;
  else if (ts.isAwaitExpression(site)) e = site;
  else if (ts.isVariableDeclaration(site) || ts.isPropertyDeclaration(site) || ts.isParameter(site)) e = site.initializer ?? site;
  else if (ts.isPropertyAssignment(site)) e = site.initializer;
  else if (ts.isBinaryExpression(site)) e = site.right;
  const t = e.getText().replace(/\s+/g, ' ');
  return t.length > 60 ? t.slice(0, 57) + '...' : t;
}

export interface Step { node: tsTypes.Node; name: string; at: string; kind: NodeKind; detail?: string; next?: { site?: tsTypes.Node; siteAt?: string; edge: EdgeKind; text?: string } }

/** The shortest chain from `start` to a suspension point (empty when `start` does not suspend). */
export function chainOf(analysis: Analysis, start: tsTypes.Node, base: string): Step[] {
  if (!analysis.suspends.has(start)) return [];
  const steps: Step[] = [];
  const seen = new Set<tsTypes.Node>();
  for (let n: tsTypes.Node | undefined = start; n && !seen.has(n); ) {
    seen.add(n);
    const v = analysis.via.get(n);
    const step: Step = { node: n, name: nameOf(analysis, n), at: where(n, base), kind: nodeKind(analysis, n), detail: analysis.graph.seeds.get(n) ?? analysis.graph.fns.get(n)?.root };
    if (v) step.next = { site: v.site, siteAt: v.site ? where(v.site, base) : undefined, edge: edgeKind(analysis, n, v.site), text: siteText(v.site) };
    steps.push(step);
    n = v?.from;
  }
  return steps;
}

/** The green call graph: roots, suspending functions, slots, suspension points, and the edges among them (caller -> callee). */
export function buildGraph(analysis: Analysis, base: string): GreenGraph {
  const g = analysis.graph;
  const members = new Set<tsTypes.Node>(analysis.suspends);
  for (const f of g.fns.values()) if (f.root) members.add(f.node);
  const sorted = [...members].sort((a, b) => {
    const fa = a.getSourceFile().fileName, fb = b.getSourceFile().fileName;
    return fa < fb ? -1 : fa > fb ? 1 : a.pos - b.pos;
  });
  // `const f = () => ...`: the variable and its function are one node (the function); the overload
  // signatures of one declared function or method are one node (the first)
  const rep = new Map<tsTypes.Node, tsTypes.Node>();
  const firstOverload = new Map<string, tsTypes.Node>();
  for (const n of sorted) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isMethodSignature(n)) && !(n as { body?: unknown }).body && n.name) {
      const key = `${n.getSourceFile().fileName}|${n.parent?.pos}|${nameOf(analysis, n)}`;
      const first = firstOverload.get(key);
      if (first) { rep.set(n, first); continue; }
      firstOverload.set(key, n);
    }
    const init = (ts.isVariableDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isPropertyAssignment(n)) && n.initializer ? skipOuter(n.initializer) : undefined;
    if (init && members.has(init) && g.fns.has(init) && !g.seeds.has(n)) rep.set(n, init);
  }
  const ids = new Map<tsTypes.Node, string>();
  const nodes: GraphNode[] = sorted.filter((n) => !rep.has(n)).map((n, i) => {
    const id = `n${i + 1}`;
    ids.set(n, id);
    const kind = nodeKind(analysis, n);
    const detail = g.seeds.get(n) ?? g.fns.get(n)?.root;
    return { id, name: nameOf(analysis, n), kind, ...(detail ? { detail } : {}), rewritten: analysis.rewrite.has(n), ...location(n, base) };
  });
  for (const [n, r] of rep) ids.set(n, ids.get(r)!);
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const callee of sorted) {
    for (const e of g.rev.get(callee) ?? []) {
      const from = ids.get(e.to);
      if (!from || from === ids.get(callee)) continue;
      const kind = edgeKind(analysis, e.to, e.site);
      // a virtual family is recorded both ways: keep base / interface member -> implementation
      if (kind === 'virtual' && e.site !== callee) continue;
      const site = e.site ? location(e.site, base) : undefined;
      const key = `${from}>${ids.get(callee)}@${site ? site.line + ':' + site.column : ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from, to: ids.get(callee)!, kind, ...(site ? { site } : {}), ...(e.site ? { text: siteText(e.site) } : {}) });
    }
  }
  return { nodes, edges };
}
