// Marks: `/** @green */` and `/** @suspends */` read from the comment text in front of a node, so
// they work whatever JSDoc parsing mode tsc runs in (TS >= 5.3 may skip JSDoc in .ts files), in .ts
// and in .d.ts; and the `@green` decorator, recognised through the checker (the runtime's `green`).
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';

export type Mark = 'green' | 'suspends';

const tagPattern: Record<Mark, RegExp> = {
  green: /(?:^|[\s*{])@green(?![\w$-])/,
  suspends: /(?:^|[\s*{])@suspends(?![\w$-])/,
};

/** Where '@green' and '@suspends' occur in a file's text (ascending), found once per file. */
const occurrences = new WeakMap<tsTypes.SourceFile, Record<Mark, number[]>>();

function markPositions(sf: tsTypes.SourceFile, mark: Mark): number[] {
  let o = occurrences.get(sf);
  if (!o) {
    const find = (word: string) => { const at: number[] = []; for (let i = sf.text.indexOf(word); i >= 0; i = sf.text.indexOf(word, i + 1)) at.push(i); return at; };
    occurrences.set(sf, o = { green: find('@green'), suspends: find('@suspends') });
  }
  return o[mark];
}

/** The first element of ascending `xs` that is >= `x`, or -1. */
function firstAtOrAfter(xs: readonly number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (xs[mid]! < x) lo = mid + 1; else hi = mid; }
  return lo < xs.length ? xs[lo]! : -1;
}

/** True when a `/** ... *\/` comment directly in front of `node` (in `sf`) carries the tag. */
export function hasLeadingMark(node: tsTypes.Node, mark: Mark, sf: tsTypes.SourceFile | undefined = node.getSourceFile()): boolean {
  if (!sf) return false;
  const text = sf.text;
  // fast path: no '@<mark>' anywhere in the trivia before the node (the file's occurrences, looked up)
  const at = firstAtOrAfter(markPositions(sf, mark), node.pos);
  if (at < 0 || at >= node.end || at >= node.getStart(sf)) return false;
  // comments on the line of the previous token are "trailing" for TypeScript (`(/** @green */ fn`)
  const ranges = [...(ts.getTrailingCommentRanges(text, node.pos) ?? []), ...(ts.getLeadingCommentRanges(text, node.pos) ?? [])];
  for (const r of ranges) {
    if (r.kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    if (text.charCodeAt(r.pos + 2) !== 42 /* * */) continue;
    if (tagPattern[mark].test(text.slice(r.pos + 3, r.end - 2))) return true;
  }
  return false;
}

/**
 * The nodes whose leading comment marks a declaration: the declaration itself and, for a variable,
 * its statement (`/** @suspends *\/ export const q = ...`); for a function expression or arrow, the
 * variable / property / argument slot it is written in.
 */
export function markCarriers(node: tsTypes.Node): tsTypes.Node[] {
  const out: tsTypes.Node[] = [node];
  let n = node;
  // `/** @green */ (async () => ...)` and `x = /** @green */ async () => ...`
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) {
    n = n.parent; out.push(n);
  }
  const p = n.parent;
  if (!p) return out;
  if (ts.isVariableDeclaration(p) && p.initializer === n) {
    out.push(p);
    if (ts.isVariableDeclarationList(p.parent) && p.parent.declarations[0] === p && ts.isVariableStatement(p.parent.parent)) out.push(p.parent.parent);
  } else if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.initializer === n) {
    out.push(p);
  } else if (ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent) && node.parent.declarations[0] === node && ts.isVariableStatement(node.parent.parent)) {
    out.push(node.parent.parent);
  }
  return out;
}

/** A declaration (or function expression) carries `mark` in a comment written in front of it. `sf`: its file, when the caller knows it. */
export function isMarked(node: tsTypes.Node, mark: Mark, sf: tsTypes.SourceFile | undefined = node.getSourceFile()): boolean {
  if (!sf) return false;
  if (markPositions(sf, mark).length === 0) return false;
  for (const c of markCarriers(node)) if (hasLeadingMark(c, mark, sf)) return true;
  return false;
}

/** The runtime's `green` (decorator and marker function): resolved through the checker, never by name text alone. */
export function isGreenFunctionSymbol(symbol: tsTypes.Symbol | undefined, checker: tsTypes.TypeChecker): boolean {
  if (!symbol) return false;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (symbol.getName() !== 'green') return false;
  for (const d of symbol.declarations ?? []) {
    const file = d.getSourceFile().fileName.replace(/\\/g, '/');
    if (/(^|\/)(green-ts\/dist\/runtime|runtime)\/[^/]*\.(d\.)?[cm]?ts$/.test(file)) return true;
    if ((ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d)) && isMarked(d, 'green')) return true;
  }
  return false;
}

/** The `@green` decorators of a method (to treat it as a root and drop them from the emit). */
export function greenDecorators(node: tsTypes.Node, checker: tsTypes.TypeChecker): tsTypes.Decorator[] {
  const mods = (node as { modifiers?: tsTypes.NodeArray<tsTypes.ModifierLike> }).modifiers;
  if (!mods) return [];
  const out: tsTypes.Decorator[] = [];
  for (const m of mods) {
    if (!ts.isDecorator(m)) continue;
    let e = m.expression;
    if (ts.isCallExpression(e)) e = e.expression; // @green() as a factory form
    if (isGreenFunctionSymbol(checker.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e), checker)) out.push(m);
  }
  return out;
}
