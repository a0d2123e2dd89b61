// A test-case minimiser for TypeScript sources: hierarchical delta debugging over the syntax tree.
// `interesting(src)` must say whether a candidate still shows the failure (and it should reject
// candidates that no longer type-check: the fuzz oracle does, as a type error is its own verdict).
//
// Pass 1 deletes statements, class members and switch clauses: chunks of halving size, outermost
// first (ddmin). Pass 2 simplifies what is left, one edit at a time: an `if` to one branch, a loop,
// label or `try` to its block, `a && b` / `c ? a : b` to an operand, a call to a literal. Both
// passes repeat until nothing changes (or the test budget is spent).
import ts from 'typescript';

interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface MinimiseOptions {
  /** Give up after this many calls of `interesting` (default 2000). */
  maxTests?: number;
  /** Give up after this long (default 10 minutes). */
  maxMs?: number;
  /**
   * Text ranges no edit may touch (recomputed for each candidate source), except that a statement
   * of the file's top level inside them may be deleted whole. Used to keep the fuzz prelude and the
   * `done` export intact, so a candidate cannot fail for a different reason (a broken `ready`).
   */
  protect?: (src: string) => [number, number][];
}

/** The fuzz programs' protected ranges: the prelude's insides and the `export const done` line. */
export function fuzzProtect(src: string): [number, number][] {
  const out: [number, number][] = [];
  const a = src.indexOf('// ---- fuzz prelude');
  const b = src.indexOf('// ---- end of fuzz prelude');
  if (a >= 0 && b > a) out.push([a, b]);
  const d = src.indexOf('export const done');
  if (d >= 0) out.push([d, src.indexOf('\n', d) < 0 ? src.length : src.indexOf('\n', d)]);
  return out;
}

export async function minimise(source: string, interesting: (src: string) => Promise<boolean>, opts: MinimiseOptions = {}): Promise<string> {
  const maxTests = opts.maxTests ?? 2000;
  const deadline = Date.now() + (opts.maxMs ?? 10 * 60_000);
  let tests = 0;
  let src = source;
  const seen = new Set<string>([src]);
  const test = async (candidate: string): Promise<boolean> => {
    if (seen.has(candidate)) return false;
    seen.add(candidate);
    if (tests >= maxTests || Date.now() > deadline) return false;
    tests++;
    return interesting(candidate);
  };
  const spent = () => tests >= maxTests || Date.now() > deadline;

  for (let round = 0; round < 6 && !spent(); round++) {
    const before = src;
    // pass 1: deletions, ddmin-style
    const prot = opts.protect ?? (() => []);
    const allowedDeletion = (s: string, n: ts.Node) => ts.isSourceFile(n.parent) ? !overlaps(prot(s), n.getStart(), n.getEnd()) || !/export const done/.test(n.getText()) : !overlaps(prot(s), n.getStart(), n.getEnd());
    const deletableNow = (s: string) => deletable(s).filter((n) => allowedDeletion(s, n));
    const simplificationsNow = (s: string) => simplifications(s).filter((e) => !overlaps(prot(s), e.start, e.end));
    let cands = deletableNow(src);
    let chunk = Math.max(1, Math.floor(cands.length / 2));
    while (chunk >= 1 && !spent()) {
      let i = 0;
      while (i < cands.length && !spent()) {
        const next = apply(src, cands.slice(i, i + chunk).map((n) => deletion(src, n)));
        if (next !== src && (await test(next))) {
          src = next;
          cands = deletableNow(src);
        } else i += chunk;
      }
      chunk = chunk === 1 ? 0 : Math.max(1, Math.floor(chunk / 2));
    }
    // pass 2: simplifications, one at a time
    let edits = simplificationsNow(src);
    let k = 0;
    while (k < edits.length && !spent()) {
      const next = apply(src, [edits[k]!]);
      if (next !== src && (await test(next))) {
        src = next;
        edits = simplificationsNow(src);
      } else k++;
    }
    if (src === before) break;
  }
  return tidy(src);
}

function overlaps(ranges: [number, number][], start: number, end: number): boolean {
  return ranges.some(([a, b]) => start < b && end > a);
}

function parse(src: string): ts.SourceFile {
  return ts.createSourceFile('min.ts', src, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Statements (except imports), class members and switch clauses, outermost first. */
function deletable(src: string): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isStatement(n) && !ts.isImportDeclaration(n) && isInList(n)) out.push(n);
    else if (ts.isClassElement(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) out.push(n);
    else if (ts.isPropertyAssignment(n) || ts.isMethodDeclaration(n)) out.push(n);
    n.forEachChild(visit);
  };
  parse(src).forEachChild(visit);
  // outermost first: a stable sort by depth
  const depth = (n: ts.Node) => {
    let d = 0;
    for (let p = n.parent; p; p = p.parent) d++;
    return d;
  };
  return out.map((n, i) => ({ n, i, d: depth(n) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.n);
}

function isInList(n: ts.Node): boolean {
  const p = n.parent;
  return !!p && (ts.isSourceFile(p) || ts.isBlock(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p));
}

function deletion(src: string, n: ts.Node): Edit {
  // whole lines when the node owns them
  let start = n.getStart();
  let end = n.getEnd();
  const lineStart = src.lastIndexOf('\n', start - 1) + 1;
  if (/^\s*$/.test(src.slice(lineStart, start))) start = lineStart;
  const nl = src.indexOf('\n', end);
  if (nl >= 0 && /^[\s,;]*$/.test(src.slice(end, nl))) end = nl + 1;
  // a leading JSDoc / mark comment goes with the declaration
  const full = n.getFullStart();
  if (/^\s*\/\*\*[^]*?\*\/\s*$/.test(src.slice(full, n.getStart()))) start = Math.min(start, src.lastIndexOf('\n', src.indexOf('/**', full)) + 1);
  return { start, end, text: '' };
}

function simplifications(src: string): Edit[] {
  const sf = parse(src);
  const out: Edit[] = [];
  const text = (n: ts.Node) => n.getText(sf);
  const replace = (n: ts.Node, t: string) => out.push({ start: n.getStart(sf), end: n.getEnd(), text: t });
  const visit = (n: ts.Node) => {
    if (ts.isIfStatement(n)) {
      replace(n, text(n.thenStatement));
      if (n.elseStatement) {
        replace(n, text(n.elseStatement));
        out.push({ start: n.thenStatement.getEnd(), end: n.elseStatement.getEnd(), text: '' });
      }
    } else if (ts.isIterationStatement(n, false)) {
      replace(n, text(n.statement));
    } else if (ts.isLabeledStatement(n)) {
      replace(n, text(n.statement));
    } else if (ts.isTryStatement(n)) {
      replace(n, text(n.tryBlock));
      if (n.finallyBlock) replace(n, text(n.finallyBlock));
      if (n.catchClause && n.finallyBlock) out.push({ start: n.catchClause.getStart(sf), end: n.catchClause.getEnd(), text: '' });
      if (n.catchClause && n.finallyBlock) out.push({ start: n.catchClause.getEnd(), end: n.finallyBlock.getEnd(), text: '' });
    } else if (ts.isConditionalExpression(n)) {
      replace(n, text(n.whenTrue));
      replace(n, text(n.whenFalse));
    } else if (ts.isBinaryExpression(n) && !isAssignment(n.operatorToken.kind)) {
      replace(n, text(n.left));
      replace(n, text(n.right));
    } else if (ts.isParenthesizedExpression(n) && (ts.isIdentifier(n.expression) || ts.isLiteralExpression(n.expression) || ts.isCallExpression(n.expression))) {
      replace(n, text(n.expression));
    } else if (ts.isCallExpression(n) && !ts.isExpressionStatement(n.parent)) {
      replace(n, '0');
      replace(n, '""');
    } else if (ts.isArrayLiteralExpression(n) && n.elements.length > 1) {
      for (const e of n.elements) out.push({ start: e.getFullStart() - (e === n.elements[0] ? 0 : 1), end: e.getEnd() + (e === n.elements[0] ? 1 : 0), text: '' });
    }
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return out;
}

function isAssignment(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** Apply edits (the outermost of nested ones), last first. */
function apply(src: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Edit[] = [];
  for (const e of sorted) {
    const last = kept.at(-1);
    if (last && e.start < last.end) continue;
    kept.push(e);
  }
  let out = src;
  for (let i = kept.length - 1; i >= 0; i--) {
    const e = kept[i]!;
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

/** Drop blank-line runs left by deletions. */
function tidy(src: string): string {
  return src.replace(/\n[ \t]*\n(?:[ \t]*\n)+/g, '\n\n').replace(/^\s+/, '');
}
