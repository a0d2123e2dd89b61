// Matching for the plain-first lowering (runtime/protocol.ts "Plain-first functions"): which
// rewritten functions can be emitted as plain functions with a switch over their stops instead of
// generators, and where their stops are. Generating is in plain-first-emit.ts.
//
// A function qualifies when every suspension point in it can be resumed by jumping to a `case` of
// a switch over its top-level statements, with its live locals copied back from a Continuation:
//   - it is a function declaration, function expression or arrow, not a root, not a generator;
//   - its parameters are plain identifiers (no defaults, no patterns; a rest parameter is fine);
//   - it does not use `arguments` or `new.target` (an arrow: nor `this`);
//   - each suspension point (green call, `await`, `wait`) is in a top-level statement of the body, one
//     per statement, in `return X;`, `X;`, `x = X;` or a declaration `const p = X;` (one declarator),
//     and X is the first thing that statement evaluates (see `onSpine`), so splitting the statement
//     at X reorders nothing;
//   - it declares no functions, classes or enums, and the functions it makes (arrows, function
//     expressions, object literal methods) read only locals whose value cannot differ between the
//     activation that made the function and a later one (see `capturesAreStable`): copying locals
//     back on resume makes new bindings, which a closure made earlier would not see.
// Anything else stays a generator (always correct, only slower). Stress mode keeps generators.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Analysis } from './analysis.js';
import type { FnInfo, FnLike } from './callgraph.js';
import { isReference, lexicalUses } from './lexical.js';
import { toDiagnostic } from './diagnostics.js';

/** How one plain-first function is lowered: its top-level statements, stops, and restored locals. */
export interface PlainShape {
  /** The body's statements (a concise arrow body is one `return`, represented by its expression). */
  statements: readonly (tsTypes.Statement | tsTypes.Expression)[];
  /** The suspension point in each statement that has one. */
  stops: ReadonlyMap<tsTypes.Node, tsTypes.Node>;
  /** Names copied into a Continuation at a stop and back on resume: parameters, then declared locals. */
  locals: readonly string[];
}

/** The plain-first functions of the program, with their shapes. */
export function plainFirstShapes(a: Analysis): Map<tsTypes.Node, PlainShape> {
  const out = new Map<tsTypes.Node, PlainShape>();
  if (a.options.stress === true) return out;
  const points = new Map<tsTypes.Node, tsTypes.Node[]>();
  for (const [node, plan] of a.plans) {
    if (plan.kind === 'bind') continue;
    const list = points.get(plan.site.container);
    if (list) list.push(node); else points.set(plan.site.container, [node]);
  }
  for (const [fn, info] of a.rewrite) {
    // (not `a.guard`: the project's own sources are compiled by this transformer in a test, and
    // there `guard` takes callbacks that suspend; see test/transform/guard.test.ts)
    try {
      const shape = shapeOf(a, info, points.get(fn) ?? []);
      if (shape) out.set(fn, shape);
    } catch (e) {
      a.diagnostics.push(toDiagnostic(e, fn));
    }
  }
  return out;
}

function shapeOf(a: Analysis, info: FnInfo, points: readonly tsTypes.Node[]): PlainShape | undefined {
  const fn = info.node;
  if (info.root || info.bad) return undefined;
  if (!(ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) || !fn.body) return undefined;
  if ((fn as tsTypes.FunctionDeclaration).asteriskToken || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return undefined;
  const params: string[] = [];
  for (const p of fn.parameters) {
    if (ts.isIdentifier(p.name) && p.name.text === 'this') continue;
    if (!ts.isIdentifier(p.name) || p.initializer) return undefined;
    params.push(p.name.text);
  }
  const uses = lexicalUses(fn);
  if (uses.arguments || uses.newTarget || uses.super || (ts.isArrowFunction(fn) && uses.this)) return undefined;

  const statements: (tsTypes.Statement | tsTypes.Expression)[] = ts.isBlock(fn.body) ? [...fn.body.statements] : [fn.body];
  // a directive prologue would stop being one inside the switch
  if (ts.isBlock(fn.body) && statements[0] && ts.isExpressionStatement(statements[0]) && ts.isStringLiteral(statements[0].expression)) return undefined;
  const index = new Map(statements.map((s, i) => [s as tsTypes.Node, i]));
  const stops = new Map<tsTypes.Node, tsTypes.Node>();
  for (const point of points) {
    let top: tsTypes.Node = point;
    while (top.parent && !index.has(top)) top = top.parent;
    if (!index.has(top) || stops.has(top)) return undefined;
    if (!stopsAt(a, top, point)) return undefined;
    stops.set(top, point);
  }

  const locals = [...params];
  const declared = new Map<tsTypes.Symbol, number>(); // restored local -> its top-level statement
  const checker = a.graph.checker;
  const note = (name: tsTypes.BindingName, at: number): void => {
    if (ts.isIdentifier(name)) {
      locals.push(name.text);
      const sym = checker.getSymbolAtLocation(name);
      if (sym) declared.set(sym, at);
      return;
    }
    for (const e of name.elements) if (!ts.isOmittedExpression(e)) note(e.name, at);
  };
  const closures: { node: tsTypes.Node; at: number }[] = [];
  let ok = true;
  statements.forEach((s, at) => {
    if (ts.isVariableStatement(s)) {
      const flags = s.declarationList.flags;
      if (isUsing(flags)) ok = false;
      for (const d of s.declarationList.declarations) note(d.name, at);
    }
    const walk = (n: tsTypes.Node): void => {
      if (!ok) return;
      switch (n.kind) {
        case ts.SyntaxKind.FunctionDeclaration: case ts.SyntaxKind.ClassDeclaration: case ts.SyntaxKind.ClassExpression:
        case ts.SyntaxKind.EnumDeclaration: case ts.SyntaxKind.ModuleDeclaration:
          ok = false;
          return;
        case ts.SyntaxKind.ArrowFunction: case ts.SyntaxKind.FunctionExpression: case ts.SyntaxKind.MethodDeclaration:
        case ts.SyntaxKind.GetAccessor: case ts.SyntaxKind.SetAccessor:
          closures.push({ node: n, at });
          return;
        case ts.SyntaxKind.VariableDeclarationList:
          // `var` anywhere in the body is function-scoped: restored like a top-level declaration
          if (!(n.flags & ts.NodeFlags.BlockScoped) && n.parent !== s) for (const d of (n as tsTypes.VariableDeclarationList).declarations) note(d.name, at);
          if (isUsing(n.flags)) { ok = false; return; }
          break;
      }
      ts.forEachChild(n, walk);
    };
    walk(s);
  });
  if (!ok) return undefined;
  if (closures.length && !capturesAreStable(a, fn, params, declared, closures, stops, statements)) return undefined;
  return { statements, stops, locals: [...new Set(locals)] };
}

/** Is `point` a suspension point that `top` (a top-level statement) can be split at? */
function stopsAt(a: Analysis, top: tsTypes.Node, point: tsTypes.Node): boolean {
  let expr: tsTypes.Expression | undefined;
  if (ts.isReturnStatement(top) || ts.isExpressionStatement(top)) expr = top.expression;
  else if (ts.isVariableStatement(top)) {
    const ds = top.declarationList.declarations;
    if (ds.length !== 1) return false;
    expr = ds[0]!.initializer;
  } else if (ts.isExpression(top)) expr = top; // a concise arrow body
  if (!expr) return false;
  return onSpine(a, point, expr);
}

/**
 * Is `point` evaluated before anything else in `expr` (other than its own operands)? Then
 * `expr` can be split into "evaluate point" and "the rest, with its value" without reordering.
 */
function onSpine(a: Analysis, point: tsTypes.Node, expr: tsTypes.Expression): boolean {
  if (ts.isOptionalChain(point) || (ts.isCallExpression(point) && point.questionDotToken)) return false;
  let c: tsTypes.Node = point;
  while (c !== expr) {
    const p = c.parent;
    if (!p) return false;
    switch (p.kind) {
      case ts.SyntaxKind.ParenthesizedExpression: case ts.SyntaxKind.AsExpression: case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.SatisfiesExpression: case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.TypeOfExpression: case ts.SyntaxKind.VoidExpression:
        break;
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const op = (p as tsTypes.PrefixUnaryExpression).operator;
        if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) return false;
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = p as tsTypes.BinaryExpression;
        const op = b.operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsToken) {
          if (b.right !== c || !ts.isIdentifier(skipParens(b.left))) return false;
        } else if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) return false;
        else if (b.left !== c) return false;
        break;
      }
      case ts.SyntaxKind.PropertyAccessExpression: case ts.SyntaxKind.ElementAccessExpression:
        if ((p as tsTypes.PropertyAccessExpression).expression !== c || ts.isOptionalChain(p)) return false;
        break;
      case ts.SyntaxKind.CallExpression: {
        const call = p as tsTypes.CallExpression;
        if (ts.isOptionalChain(call)) return false;
        if (call.expression !== c && !(call.arguments[0] === c && stableCallee(a, call.expression))) return false;
        break;
      }
      case ts.SyntaxKind.ConditionalExpression:
        if ((p as tsTypes.ConditionalExpression).condition !== c) return false;
        break;
      case ts.SyntaxKind.ArrayLiteralExpression:
        if ((p as tsTypes.ArrayLiteralExpression).elements[0] !== c) return false;
        break;
      case ts.SyntaxKind.TemplateSpan: {
        const tpl = p.parent as tsTypes.TemplateExpression;
        if (tpl.templateSpans[0] !== p) return false;
        c = tpl;
        continue;
      }
      default:
        return false;
    }
    c = p;
  }
  return true;
}

/** A callee whose value cannot change while its first argument is evaluated: a function, class, import or const. */
function stableCallee(a: Analysis, callee: tsTypes.Expression): boolean {
  const e = skipParens(callee);
  if (!ts.isIdentifier(e)) return false;
  const sym = a.graph.checker.getSymbolAtLocation(e);
  if (!sym) return false;
  if (sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class | ts.SymbolFlags.Alias)) return true;
  return (sym.declarations ?? []).length > 0 && sym.declarations!.every((d) => ts.isVariableDeclaration(d) && (ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) !== 0);
}

/**
 * The closures a plain-first function makes read its restored locals (parameters, `var`s, top-level
 * declarations) only where that cannot tell activations apart: a parameter that is never assigned,
 * or a declaration that is never assigned after its initializer and is made in an earlier
 * top-level statement than the closure (or the same one, if that statement does not stop).
 */
function capturesAreStable(a: Analysis, fn: FnLike, params: readonly string[], declared: ReadonlyMap<tsTypes.Symbol, number>,
  closures: readonly { node: tsTypes.Node; at: number }[], stops: ReadonlyMap<tsTypes.Node, tsTypes.Node>,
  statements: readonly tsTypes.Node[]): boolean {
  const checker = a.graph.checker;
  const paramSyms = new Set<tsTypes.Symbol>();
  for (const p of fn.parameters) {
    if (ts.isIdentifier(p.name) && params.includes(p.name.text)) {
      const s = checker.getSymbolAtLocation(p.name);
      if (s) paramSyms.add(s);
    }
  }
  const written = writtenSymbols(checker, fn.body!);
  for (const { node, at } of closures) {
    let stable = true;
    const walk = (n: tsTypes.Node): void => {
      if (!stable) return;
      if (ts.isIdentifier(n) && isReference(n)) {
        const sym = checker.getSymbolAtLocation(n);
        if (sym) {
          if (paramSyms.has(sym)) { if (written.has(sym)) stable = false; return; }
          const where = declared.get(sym);
          if (where !== undefined) {
            if (written.has(sym) || where > at || (where === at && stops.has(statements[at]!))) stable = false;
            return;
          }
        }
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
    if (!stable) return false;
  }
  return true;
}

/** Symbols assigned anywhere in `body` other than by their declaration's initializer. */
function writtenSymbols(checker: tsTypes.TypeChecker, body: tsTypes.Node): Set<tsTypes.Symbol> {
  const out = new Set<tsTypes.Symbol>();
  const target = (t: tsTypes.Node): void => {
    const e = skipParens(t as tsTypes.Expression);
    if (ts.isIdentifier(e)) { const s = checker.getSymbolAtLocation(e); if (s) out.add(s); return; }
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) {
      const all = (n: tsTypes.Node): void => { if (ts.isIdentifier(n)) { const s = checker.getSymbolAtLocation(n); if (s) out.add(s); } ts.forEachChild(n, all); };
      all(e);
    }
  };
  const walk = (n: tsTypes.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(n.left);
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n.operand);
    else if ((ts.isForInStatement(n) || ts.isForOfStatement(n)) && !ts.isVariableDeclarationList(n.initializer)) target(n.initializer);
    ts.forEachChild(n, walk);
  };
  walk(body);
  return out;
}

/** `using` / `await using` (AwaitUsing is Const | Using, so compare the block-scope bits as a whole). */
function isUsing(flags: tsTypes.NodeFlags): boolean {
  const scope = flags & ts.NodeFlags.BlockScoped;
  return scope === ts.NodeFlags.Using || scope === ts.NodeFlags.AwaitUsing;
}

function skipParens(e: tsTypes.Expression): tsTypes.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}
