// Stress mode (issue 8, test/fuzz/STRESS-SPEC.md): treat every function that can legally be a body
// as suspending, and put a real suspension before every call inside every body, so that ordinary
// programs drive the rewrite and the trampoline everywhere. Two jobs, both pure analysis:
//
// - stressColoring: which functions to color. Colored functions are rewritten exactly as suspending
//   ones are, so each must be called only from green context (a plain call would run it under the
//   run-time guard, and the guard throws at the first pause), and must never reach code that cannot
//   run a body (a library callback, a typed external slot). Found as a fixed point: start from every
//   candidate and drop, until nothing changes, each one that has a caller in plain context, flows into
//   a slot that has one, or escapes where the analysis cannot follow it. Dropping is all the fixed
//   point does, so stress mode reports nothing the ordinary analysis would not.
// - stressPauses: which calls get a pause (`(yield __g.pause(), call)`, runtime/protocol.ts).
//
// Conservative by construction: a function value whose every use is not understood is left plain.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { CallGraph, FnInfo, Target } from './callgraph.js';
import { isFunctionExpressionLike, paramAt, propertyNameText, skipOuter } from './callgraph.js';
import { isMarked } from './marks.js';

type Node = tsTypes.Node;

/** Methods the engine, the runtime or Node calls by name without a call site in the program (coercion, thenables, iteration, JSON, util.inspect, EventTarget). */
const IMPLICIT = new Set(['toString', 'valueOf', 'toJSON', 'toLocaleString', 'then', 'catch', 'finally', 'next', 'return', 'throw', 'inspect', 'handleEvent', 'constructor']);

/** Every name: an element access with a key the checker cannot name, on an untyped receiver. */
const ANY_NAME = '\0any';

/** The functions stress mode colors, besides those the ordinary analysis already rewrites (`green`). */
export function stressColoring(graph: CallGraph, green: ReadonlyMap<Node, FnInfo>): Node[] {
  const uses = new Uses(graph, green);
  for (const sf of graph.files) uses.walk(sf);
  return uses.solve();
}

/** The calls that get a pause, added to `out` (call -> its body): every call, `new` and tagged template whose container is a body, except where a `yield` cannot stand. */
export function stressPauses(graph: CallGraph, green: ReadonlyMap<Node, FnInfo>, out: Map<Node, Node>): void {
  for (const site of graph.calls) {
    if (site.kind === 'await' || !green.has(site.container) || !yieldable(site.node, site.container)) continue;
    out.set(site.node, site.container);
  }
}

/**
 * Can a `yield` stand at `node` in the body of `container`? Not inside an enum member (tsc emits the
 * enum as a function), a decorator or a computed member name (tsc may move them into helpers or
 * static blocks when it lowers decorators and class fields).
 */
function yieldable(node: Node, container: Node): boolean {
  for (let n = node.parent; n && n !== container; n = n.parent) {
    if (ts.isEnumMember(n) || ts.isDecorator(n) || (ts.isComputedPropertyName(n) && n.parent && ts.isClassElement(n.parent))) return false;
  }
  return true;
}

/** How each function and function-valued slot of the program is used: called where, flowing where, or escaping. */
class Uses {
  private readonly checker: tsTypes.TypeChecker;
  /** node -> containers of the calls that call it */
  private readonly calls = new Map<Node, Set<Node>>();
  /** node -> slots its value flows into */
  private readonly flows = new Map<Node, Set<Node>>();
  /** nodes used in a way the analysis cannot follow (or that code outside the program calls) */
  private readonly escaped = new Set<Node>();
  /** names called on receivers the checker cannot type, from possibly plain code */
  private readonly unknownNames = new Set<string>();
  /** members that share one calling convention (a method and what it overrides or implements; paired parameters) */
  private readonly parent = new Map<Node, Node>();
  /** function -> the slot of the values it returns (a key of its own: a concise arrow's body can be a function itself) */
  private readonly returns = new Map<Node, Node>();
  /** functions used other than as the callee of a direct call (the value of a call through them is not followed) */
  private readonly indirect = new Set<Node>();
  /** variable declaration -> the members of the object literal it is initialised with (they escape if the variable is handed out) */
  private readonly heldBy = new Map<Node, Set<Node>>();
  /** variable declarations a reference hands to library code, spreads or exports by name */
  private readonly handedOut = new Set<Node>();

  constructor(private readonly graph: CallGraph, private readonly green: ReadonlyMap<Node, FnInfo>) {
    this.checker = graph.checker;
  }

  // ---- the walk: one pass over every source file ------------------------------------------------

  walk(root: Node): void {
    const visit = (n: Node): void => {
      const k = n.kind;
      if (k === ts.SyntaxKind.ExportDeclaration) { this.exportDeclaration(n as tsTypes.ExportDeclaration); return; }
      if ((k >= ts.SyntaxKind.FirstTypeNode && k <= ts.SyntaxKind.LastTypeNode) || k === ts.SyntaxKind.InterfaceDeclaration || k === ts.SyntaxKind.TypeAliasDeclaration
        || k === ts.SyntaxKind.ImportDeclaration || k === ts.SyntaxKind.ImportEqualsDeclaration) return;
      switch (k) {
        case ts.SyntaxKind.Identifier: this.identifier(n as tsTypes.Identifier); break;
        case ts.SyntaxKind.PropertyAccessExpression: case ts.SyntaxKind.ElementAccessExpression:
          this.reference(n as tsTypes.Expression, this.graph.targetsOfSymbol(this.graph.symbolOf(n as tsTypes.Expression)));
          break;
        case ts.SyntaxKind.FunctionExpression: case ts.SyntaxKind.ArrowFunction:
          if (this.graph.fns.has(n)) this.reference(n as tsTypes.Expression, [{ node: n, how: 'fn' }]);
          break;
        case ts.SyntaxKind.MethodDeclaration: case ts.SyntaxKind.PropertyDeclaration:
          this.member(n as tsTypes.MethodDeclaration | tsTypes.PropertyDeclaration);
          break;
        case ts.SyntaxKind.ObjectLiteralExpression: this.objectLiteral(n as tsTypes.ObjectLiteralExpression); break;
        case ts.SyntaxKind.ObjectBindingPattern: this.destructuring(n as tsTypes.ObjectBindingPattern); break;
        case ts.SyntaxKind.CallExpression: this.unknownCall(n); this.callValue(n as tsTypes.CallExpression); break;
        case ts.SyntaxKind.TaggedTemplateExpression: this.unknownCall(n); break;
      }
      ts.forEachChild(n, visit);
    };
    visit(root);
  }

  private identifier(id: tsTypes.Identifier): void {
    const p = id.parent;
    if (!p) return;
    let sym: tsTypes.Symbol | undefined;
    if (ts.isShorthandPropertyAssignment(p) && p.name === id) sym = this.checker.getShorthandAssignmentValueSymbol(p);
    else if (!isValueReference(id)) return;
    else sym = this.checker.getSymbolAtLocation(id);
    this.reference(id, this.graph.targetsOfSymbol(sym));
  }

  /** A reference to functions or slots: record how its value is used. */
  private reference(ref: tsTypes.Expression, targets: readonly Target[]): void {
    const mine = targets.filter((t) => t.how !== 'lib');
    if (!mine.length) return;
    this.handOut(ref, mine);
    const use = this.useOf(ref);
    for (const t of mine) {
      if (use === 'neutral') continue;
      if (t.how === 'fn' && !(use !== 'escape' && 'direct' in use && use.direct)) this.indirect.add(t.node);
      if (use === 'escape') this.escaped.add(t.node);
      else if ('call' in use) add(this.calls, t.node, use.call);
      else for (const s of use.flow) if (s !== t.node) add(this.flows, t.node, s);
    }
  }

  /**
   * What happens to the value of `ref` where it stands. `call`: it is called from that container (a
   * call, `f.call` / `f.apply`, a tag, or the callback of a green-able array method); `flow`: it is
   * stored in those user slots; `neutral`: the value goes nowhere (a test, `typeof`, `f.name`, an
   * export: importers' references resolve to the declaration itself); else it escapes.
   */
  private useOf(ref: tsTypes.Expression): { call: Node; direct?: boolean } | { flow: Node[] } | 'neutral' | 'escape' {
    let e: Node = ref;
    for (;;) {
      const p = e.parent;
      if (!p) return 'escape';
      if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p)) { e = p; continue; }
      if (ts.isConditionalExpression(p)) { if (p.condition === e) return 'neutral'; e = p; continue; }
      if (ts.isBinaryExpression(p)) {
        const op = p.operatorToken.kind;
        if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) { e = p; continue; }
        if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken) { if (p.left === e) return 'neutral'; e = p; continue; }
        if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) {
          return p.left === e ? 'neutral' : this.assignedTo(p.left);
        }
        return 'neutral'; // comparisons, arithmetic, `in`, `instanceof`: the value is only looked at
      }
      break;
    }
    const p = e.parent;
    if ((ts.isCallExpression(p) || ts.isTaggedTemplateExpression(p)) && (ts.isCallExpression(p) ? p.expression : p.tag) === e) return this.callFrom(p, ts.isCallExpression(p));
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(e as tsTypes.Expression)) return this.argument(p, p.arguments.indexOf(e as tsTypes.Expression));
    if (ts.isPropertyAccessExpression(p) && p.expression === e) {
      const name = p.name.text;
      const call = p.parent;
      if ((name === 'call' || name === 'apply') && call && ts.isCallExpression(call) && call.expression === p) return this.callFrom(call);
      return name === 'bind' ? 'escape' : 'neutral';
    }
    if (ts.isElementAccessExpression(p) && p.expression === e) return ts.isCallExpression(p.parent) && p.parent.expression === p ? 'escape' : 'neutral';
    if (ts.isVariableDeclaration(p) && p.initializer === e) {
      if (!ts.isIdentifier(p.name)) return 'escape';
      // `const f = () => ...`: references to f name the function itself (callgraph targetsOfSymbol)
      return isFunctionExpressionLike(skipOuter(p.initializer)) && this.graph.targetsOfSymbol(this.checker.getSymbolAtLocation(p.name)).some((t) => t.node === skipOuter(p.initializer!)) ? 'neutral' : { flow: [p] };
    }
    if (ts.isParameter(p) && p.initializer === e) return ts.isIdentifier(p.name) ? { flow: [p] } : 'escape';
    if (ts.isPropertyDeclaration(p) && p.initializer === e) return { flow: [p] };
    if ((ts.isPropertyAssignment(p) && p.initializer === e) || (ts.isShorthandPropertyAssignment(p) && p.name === e)) return this.property(p);
    // `export default f` re-exports the declaration (importers resolve to it); `export default () => ...` is only reachable as an escape
    if (ts.isExportAssignment(p)) return ts.isIdentifier(e) ? 'neutral' : 'escape';
    if (ts.isExpressionStatement(p) || ts.isTypeOfExpression(p) || ts.isVoidExpression(p) || ts.isExportSpecifier(p)
      || (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken)
      || ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) && p.expression === e) || (ts.isForStatement(p) && p.condition === e)) return 'neutral';
    if (ts.isReturnStatement(p) && p.expression === e) return this.returned(enclosingFunction(p));
    if (ts.isArrowFunction(p) && p.body === e) return this.returned(p);
    return 'escape'; // thrown, yielded, awaited, spread, in an array, a template, ...
  }

  private callFrom(call: Node, direct = false): { call: Node; direct: boolean } | 'escape' {
    const site = this.graph.callOf.get(call);
    // in a computed class member name, an enum member or a decorator the call is emitted as it is
    // (tsc may move it out of the body): a plain call even when its container is a body
    return site && yieldable(call, site.container) ? { call: site.container, direct } : 'escape';
  }

  /**
   * `return f` flows into the function's return slot, whose uses are those of the values of the
   * direct calls of that function (callValue). Only plain function declarations, expressions and
   * arrows: a method's callers may reach an override's returns, an async function's or a
   * generator's value is wrapped.
   */
  private returned(fn: Node | undefined): { flow: Node[] } | 'escape' {
    return fn && returnsFollowed(fn, this.graph) ? { flow: [this.returnSlot(fn)] } : 'escape';
  }

  private returnSlot(fn: Node): Node {
    let slot = this.returns.get(fn);
    if (!slot) this.returns.set(fn, slot = { kind: ts.SyntaxKind.Unknown, returnOf: fn } as unknown as Node);
    return slot;
  }

  /** `make(...)`: where the call's value goes is where what `make` returns goes. */
  private callValue(call: tsTypes.CallExpression): void {
    const callee = skipOuter(call.expression);
    const fns = isFunctionExpressionLike(callee) ? [callee] : this.graph.targetsOfSymbol(this.graph.symbolOf(callee)).filter((t) => t.how === 'fn').map((t) => t.node);
    for (const fn of fns) if (returnsFollowed(fn, this.graph)) this.reference(call, [{ node: this.returnSlot(fn), how: 'slot' }]);
  }

  /** An argument: a green-able array method's callback is called there; a user parameter is a slot; a library one is an escape. */
  private argument(call: tsTypes.CallExpression | tsTypes.NewExpression, i: number): { call: Node } | { flow: Node[] } | 'neutral' | 'escape' {
    const site = this.graph.callOf.get(call);
    if (site && (site.kind === 'array' || site.kind === 'collection' || site.kind === 'arrayFrom')) return i === (site.kind === 'arrayFrom' ? 1 : 0) ? { call: site.container } : 'escape';
    if (site && (site.kind === 'callApply' || site.kind === 'bind')) return 'escape';
    const decl = this.checker.getResolvedSignature(call)?.declaration;
    if (!decl || ts.isJSDocSignature(decl)) return 'escape';
    const param = paramAt(decl, i);
    if (!param) return 'escape';
    // `run(f)`, `spawn(f)`, a user's `withRetry(/** @green */ fn)`: the receiver runs a green function in a thread
    if (isMarked(param, 'green')) return 'neutral';
    if (decl.getSourceFile().isDeclarationFile || param.dotDotDotToken || !ts.isIdentifier(param.name)) return 'escape';
    if (hasBody(decl)) return { flow: [param] };
    // an overload signature: the implementation's parameter receives it
    if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.name) {
      const impl = this.checker.getSymbolAtLocation(decl.name)?.declarations?.find((d) => (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && d.body) as tsTypes.SignatureDeclaration | undefined;
      const q = impl && paramAt(impl, i);
      if (q) return { flow: [param, q] };
    }
    // a function type, an interface's or an abstract method: which function receives it is not known here
    // (`pipe.add(f)` where `add: (op: Op) => Pipe` is whatever was assigned to it)
    return 'escape';
  }

  /** `x = f`: the declarations of x are slots; a library one (`process.on = f`, `window.onload = f`) is an escape. */
  private assignedTo(left: tsTypes.Expression): { flow: Node[] } | 'escape' {
    const l = skipOuter(left);
    if (!(ts.isIdentifier(l) || ts.isPropertyAccessExpression(l) || ts.isElementAccessExpression(l))) return 'escape';
    const decls = this.graph.symbolOf(l)?.declarations ?? [];
    if (!decls.length || decls.some((d) => d.getSourceFile().isDeclarationFile || !isSlot(d))) return 'escape';
    return { flow: decls };
  }

  /** `{ p: f }` / `{ f }`: the property is a slot, and so is the property of the type the literal is written for. */
  private property(p: tsTypes.PropertyAssignment | tsTypes.ShorthandPropertyAssignment): { flow: Node[] } | 'escape' {
    const flow: Node[] = [p];
    const name = propertyNameText(p.name);
    const contextual = this.checker.getContextualType(p.parent);
    if (contextual && name !== undefined) {
      for (const d of contextual.getNonNullableType().getProperty(name)?.declarations ?? []) {
        if (d.getSourceFile().isDeclarationFile) return 'escape';
        if (d !== p) flow.push(d);
      }
    }
    return { flow };
  }

  /** Class members: names called implicitly, and overrides of library members (`class M extends Map { set() {} }`: Map's constructor calls it). */
  private member(m: tsTypes.MethodDeclaration | tsTypes.PropertyDeclaration): void {
    const name = propertyNameText(m.name);
    if (name === undefined || IMPLICIT.has(name)) { this.escaped.add(m); return; }
    // a decorator (other than @green) is handed the method, and a class decorator the whole class
    const greenOnes = new Set<Node>(this.graph.fns.get(m)?.greenDecorators ?? []);
    if (ts.canHaveDecorators(m) && ts.getDecorators(m)?.some((d) => !greenOnes.has(d))) { this.escaped.add(m); return; }
    const c = m.parent;
    if (!ts.isClassLike(c)) return; // object literal methods: objectLiteral()
    if (ts.getDecorators(c)?.length) { this.escaped.add(m); return; }
    for (const h of c.heritageClauses ?? []) for (const t of h.types) {
      const prop = this.checker.getTypeAtLocation(t)?.getProperty(name);
      if (prop?.declarations?.some((d) => d.getSourceFile().isDeclarationFile)) { this.escaped.add(m); return; }
    }
  }

  /**
   * An object literal's methods and function-valued properties are called by whoever holds the
   * object. Followed one step: a literal (or the variable it initialises) handed to library code or
   * spread (copied where its members cannot be followed) lets its members escape, and so does a
   * variable exported by name (handOut); so do members whose name the implicit protocols call and
   * members of a library type the literal is written for.
   */
  private objectLiteral(o: tsTypes.ObjectLiteralExpression): void {
    const escapes = this.objectEscapes(o);
    const e = outermost(o);
    const v = e.parent;
    // the variable's references may stand in files not walked yet: solve() decides, once all are seen
    const held = ts.isVariableDeclaration(v) && v.initializer === e && ts.isIdentifier(v.name) ? v : undefined;
    const contextual = this.checker.getContextualType(o);
    for (const p of o.properties) {
      if (!(ts.isMethodDeclaration(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p))) continue;
      const name = propertyNameText(p.name);
      if (escapes || name === undefined || IMPLICIT.has(name)) { this.escaped.add(p); continue; }
      if (held) add(this.heldBy, held, p);
      if (ts.isMethodDeclaration(p) && contextual) {
        const decls = contextual.getNonNullableType().getProperty(name)?.declarations ?? [];
        if (decls.some((d) => d.getSourceFile().isDeclarationFile)) this.escaped.add(p);
      }
    }
  }

  /** The object expression is handed to library code or spread. */
  private objectEscapes(x: Node): boolean {
    const e = outermost(x);
    const p = e.parent;
    if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p)) return true;
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(e as tsTypes.Expression)) {
      const decl = this.checker.getResolvedSignature(p)?.declaration;
      return !decl || ts.isJSDocSignature(decl) || decl.getSourceFile().isDeclarationFile;
    }
    return false;
  }

  /**
   * A reference to variables (`api`, an import of it under any name, `ns.api`) that hands their
   * value to library code, spreads it or exports it by name (`export default api`): the object
   * literals they hold let their members escape. The walk meets every reference once, resolved
   * to the declarations through the checker's symbol, so no file is searched again per literal.
   */
  private handOut(ref: tsTypes.Expression, targets: readonly Target[]): void {
    if (this.objectEscapes(ref) || ts.isExportAssignment(outermost(ref).parent)) this.handOutVariables(targets);
  }

  /** The variables among `targets` are handed out: solve() lets the members of their object literals escape. */
  private handOutVariables(targets: readonly Target[]): void {
    for (const t of targets) if (t.how === 'slot' && ts.isVariableDeclaration(t.node)) this.handedOut.add(t.node);
  }

  /**
   * `export { api }`, `export { api as other }`, `export { api } from './m'`: importers outside the
   * program, and libraries they hand it to, may call the members of an object exported by name
   * (importers inside it resolve their references to the declaration: handOut).
   */
  private exportDeclaration(d: tsTypes.ExportDeclaration): void {
    if (d.isTypeOnly || !d.exportClause || !ts.isNamedExports(d.exportClause)) return;
    for (const spec of d.exportClause.elements) {
      if (!spec.isTypeOnly) this.handOutVariables(this.graph.targetsOfSymbol(this.checker.getExportSpecifierLocalTargetSymbol(spec)));
    }
  }

  /** `const { m } = obj`: m is taken out of the object and called where the analysis does not follow it. */
  private destructuring(pattern: tsTypes.ObjectBindingPattern): void {
    const type = this.checker.getTypeAtLocation(pattern);
    for (const el of pattern.elements) {
      const key = el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined);
      const name = key && propertyNameText(key);
      if (name === undefined) continue;
      for (const d of type.getProperty(name)?.declarations ?? []) this.escaped.add(d);
    }
  }

  /**
   * A call whose callee the checker cannot name (`(x as any).m()`, `o[k]()`) may call any member of
   * that name; so may a call through an interface or type literal member (`o.run()` with
   * `o: { run(): void }`): any object of the right shape can stand there, related to it or not.
   */
  private unknownCall(n: Node): void {
    const site = this.graph.callOf.get(n);
    if (!site || this.green.has(site.container)) return; // in a body, `__g.dyn` copes with either kind
    if (!site.unknown && !site.targets.some((t) => t.how === 'sig')) return;
    const callee = skipOuter(ts.isTaggedTemplateExpression(n) ? n.tag : (n as tsTypes.CallExpression).expression);
    if (ts.isPropertyAccessExpression(callee)) this.unknownNames.add(callee.name.text);
    else if (ts.isElementAccessExpression(callee)) {
      const key = callee.argumentExpression;
      if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) { this.unknownNames.add(key.text); return; }
      const t = this.checker.getTypeAtLocation(callee.expression);
      if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) this.unknownNames.add(ANY_NAME);
      else for (const p of t.getApparentProperties()) this.unknownNames.add(p.getName());
    }
  }

  // ---- the fixed point --------------------------------------------------------------------------

  private find(n: Node): Node {
    let r = n;
    for (let q = this.parent.get(r); q !== undefined && q !== r; q = this.parent.get(r)) r = q;
    for (let x = n; x !== r;) { const q = this.parent.get(x)!; this.parent.set(x, r); x = q; }
    return r;
  }

  private union(a: Node, b: Node): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }

  solve(): Node[] {
    const { graph, green } = this;
    // families: the call graph links a member and what it overrides or implements (and their
    // parameters) in both directions, with the member (not a call) as the edge's site
    for (const [a, edges] of graph.rev) for (const e of edges) {
      if (e.site && (ts.isCallLikeExpression(e.site) || ts.isAwaitExpression(e.site))) continue;
      if (graph.rev.get(e.to)?.some((x) => x.to === a)) this.union(a, e.to);
    }
    // a function also called through a slot, `.call`, a tag or a library returns values nobody follows
    for (const [fn, slot] of this.returns) if (this.indirect.has(fn)) this.escaped.add(slot);
    for (const v of this.handedOut) for (const p of this.heldBy.get(v) ?? []) this.escaped.add(p);
    const candidates = new Set<Node>();
    for (const f of graph.fns.values()) if (isCandidate(f, green)) candidates.add(f.node);
    if (this.unknownNames.size) {
      const byName = (n: Node): boolean => isMember(n) && (this.unknownNames.has(ANY_NAME) || this.unknownNames.has(memberName(n) ?? ''));
      for (const f of candidates) if (byName(f)) this.escaped.add(f);
      for (const s of [...this.flows.values()].flatMap((x) => [...x])) if (byName(s)) this.escaped.add(s);
    }
    const members = new Map<Node, Node[]>();
    const groupOf = (n: Node): Node => { const r = this.find(n); if (!members.has(r)) members.set(r, []); return r; };
    for (const n of candidates) members.get(groupOf(n))!.push(n);
    const unsafe = new Set<Node>();
    const queue: Node[] = [];
    const drop = (g: Node): void => { if (!unsafe.has(g)) { unsafe.add(g); queue.push(g); } };
    const usersOf = new Map<Node, Set<Node>>(); // candidate container -> groups called from it
    const flowIn = new Map<Node, Set<Node>>(); // group -> groups whose values flow into it
    for (const n of this.escaped) drop(groupOf(n));
    for (const [n, containers] of this.calls) {
      const g = groupOf(n);
      for (const c of containers) {
        if (candidates.has(c)) add(usersOf, c, g);
        else if (!green.has(c)) drop(g); // a caller in plain context
      }
    }
    for (const [n, slots] of this.flows) {
      const g = groupOf(n);
      for (const s of slots) { const h = groupOf(s); if (h !== g) add(flowIn, h, g); }
    }
    for (let i = 0; i < queue.length; i++) {
      const g = queue[i]!;
      for (const f of members.get(g) ?? []) for (const h of usersOf.get(f) ?? []) drop(h); // f stays plain: its callees have a plain caller
      for (const h of flowIn.get(g) ?? []) drop(h);
    }
    return [...candidates].filter((n) => !unsafe.has(this.find(n)));
  }
}

/** Functions that can legally be a body: not constructors, accessors, plain async functions or generators; not already rewritten; named so a wrapper can replace them. */
function isCandidate(f: FnInfo, green: ReadonlyMap<Node, FnInfo>): boolean {
  if (f.bad || f.root || green.has(f.node) || !f.node.body) return false;
  if (ts.isMethodDeclaration(f.node)) return memberName(f.node) !== undefined;
  return true;
}

function returnsFollowed(fn: Node, graph: CallGraph): boolean {
  const info = graph.fns.get(fn);
  return !!info && !info.bad && !info.root && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn));
}

function enclosingFunction(n: Node): Node | undefined {
  let p = n.parent;
  while (p && !ts.isFunctionLike(p)) p = p.parent;
  return p;
}

function isMember(n: Node): boolean {
  return ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n) || ts.isPropertySignature(n) || ts.isMethodSignature(n);
}

function memberName(n: Node): string | undefined {
  const name = (n as { name?: tsTypes.PropertyName }).name;
  return name && propertyNameText(name);
}

function isSlot(d: Node): boolean {
  return ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isPropertyDeclaration(d) || ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d)
    || ts.isPropertySignature(d) || ts.isBindingElement(d);
}

/** The expression whose value is `x`'s, past parentheses, type assertions and `!`: its parent is what takes the value. */
function outermost(x: Node): Node {
  let e = x;
  while (ts.isParenthesizedExpression(e.parent) || ts.isAsExpression(e.parent) || ts.isSatisfiesExpression(e.parent) || ts.isNonNullExpression(e.parent)) e = e.parent;
  return e;
}

/** An identifier that reads a value (not a declaration's name, a property name, a label or a type). */
function isValueReference(id: tsTypes.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) || ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p) || ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if (ts.isExportSpecifier(p)) return true;
  if ((p as { name?: Node }).name === id) return false; // a declaration's own name (shorthand properties are read by the caller)
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  return true;
}

function hasBody(decl: tsTypes.SignatureDeclaration): boolean {
  return !!(decl as { body?: Node }).body;
}

function add(map: Map<Node, Set<Node>>, k: Node, v: Node): void {
  let s = map.get(k);
  if (!s) map.set(k, s = new Set());
  s.add(v);
}
