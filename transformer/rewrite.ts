// The generator rewrite: a `before` transformer that emits, for each function the analysis marked,
// exactly the shape of runtime/protocol.ts (read that header first: words, kinds of function, kinds
// of call, sites). Bodies become native generator functions and each suspending call becomes a call
// that may `yield`, at the same place in the expression, so JavaScript itself keeps evaluation order,
// short-circuits, loops, labels, switch and try/catch/finally; the work here is the call forms,
// the wrappers, `this`/`arguments`/`super`/`new.target` capture for arrows, hoisted `__g.link`
// statements, `__g.methods` for classes and object literals, parameters whose defaults suspend, and
// the site table. One visitX per syntax kind; subtrees the analysis did not mark dirty are returned
// untouched, so code that needs nothing is emitted exactly as tsc emits it.
//
// In the `// emitted` comments below, CALL(frame, k) stands for a green call (emit.ts `greenCall`):
//     (__call(frame, __s[k]) ? (yield __pending) : __result())       (`__call`: the file's name for `__g.call`, emit.ts FileNames)
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Analysis, Plan } from './analysis.js';
import type { FnInfo, FnLike, Target } from './callgraph.js';
import { skipOuter, isStatic, propertyNameText } from './callgraph.js';
import { Emit } from './emit.js';
import { Code, GreenError, toDiagnostic } from './diagnostics.js';
import { isReference, lexicalUses } from './lexical.js';
import { PlainFirstBody, type PlainStop } from './plain-first-emit.js';
import type { PlainShape } from './plain-first.js';

interface Capture {
  this?: tsTypes.Identifier;
  arguments?: tsTypes.Identifier;
  newTarget?: tsTypes.Identifier;
  super?: tsTypes.Identifier;
}

/** The function whose body is being emitted as a generator. */
interface BodyCtx {
  node: tsTypes.Node;
  info: FnInfo;
  name: string;
  temps: tsTypes.Identifier[];
  capture?: Capture;
  /** Set for a plain-first body: its builder, and the stop found in the statement being visited. */
  plain?: { body: PlainFirstBody; stop?: PlainStop };
}

export function createRewriter(analysis: Analysis, runtimeModule: string, report: (d: tsTypes.Diagnostic) => void): tsTypes.TransformerFactory<tsTypes.SourceFile> {
  return (context) => (sf) => {
    if (!analysis.dirty.has(sf)) return sf;
    try {
      return new FileRewriter(analysis, context, sf, runtimeModule, report).run();
    } catch (e) {
      report(toDiagnostic(e, sf));
      return sf;
    }
  };
}

class FileRewriter {
  private readonly f: tsTypes.NodeFactory;
  private readonly e: Emit;
  private readonly sites: (string | number)[] = [];
  private siteCount = 0;
  private ctx: BodyCtx | undefined;
  private readonly hoist: tsTypes.Statement[][] = [];
  private usedRuntime = false;
  private readonly thisUse = new Map<tsTypes.Node, boolean>();

  constructor(private readonly a: Analysis, private readonly context: tsTypes.TransformationContext, private readonly sf: tsTypes.SourceFile,
    private readonly runtimeModule: string, private readonly report: (d: tsTypes.Diagnostic) => void) {
    this.f = context.factory;
    this.e = new Emit(this.f);
  }

  run(): tsTypes.SourceFile {
    const statements = this.visitStatements(this.sf.statements, true);
    return this.f.updateSourceFile(this.sf, statements);
  }

  // ---- statement lists: hoisted `__g.link` statements go to the top of their scope -----------

  // source
  //   function find(id) { ... }           (anywhere in a statement list)
  // emitted
  //   __g.link(find, function* find(id) { ... });   (top of the list, after prologue and imports)
  //   function find(id) { return __g.sync(find[__g.BODY].apply(this, arguments), "find"); }
  private visitStatements(list: tsTypes.NodeArray<tsTypes.Statement>, top = false): tsTypes.NodeArray<tsTypes.Statement> {
    const links: tsTypes.Statement[] = [];
    this.hoist.push(links);
    const out: tsTypes.Statement[] = [];
    let changed = false;
    for (const s of list) {
      const r = this.visit(s);
      if (r !== s) changed = true;
      if (Array.isArray(r)) out.push(...(r as tsTypes.Statement[]));
      else if (r) out.push(r as tsTypes.Statement);
    }
    this.hoist.pop();
    const pre: tsTypes.Statement[] = [];
    if (top && (this.usedRuntime || links.length)) {
      pre.push(this.e.runtimeImport(this.runtimeModule, isCommonJS(this.a.program, this.sf)));
      if (this.siteCount) pre.push(this.e.sites(this.a.relative(this.sf.fileName), this.sites));
    }
    if (!changed && !pre.length && !links.length) return list;
    let i = 0;
    while (i < out.length && (isPrologue(out[i]!) || (top && (ts.isImportDeclaration(out[i]!) || ts.isImportEqualsDeclaration(out[i]!))))) i++;
    out.splice(i, 0, ...pre, ...links);
    return ts.setTextRange(this.f.createNodeArray(out), list);
  }

  // ---- dispatch --------------------------------------------------------------------------------

  private readonly visit = (node: tsTypes.Node): tsTypes.VisitResult<tsTypes.Node> => {
    if (!this.a.dirty.has(node) && !this.ctx?.capture) return node;
    if (this.ctx && isOutermostOptionalChain(node) && this.a.dirty.has(node)) {
      // source: o?.m().n      emitted: (_a = o) == null ? void 0 : (yield ...).n      (the whole chain short-circuits)
      const prev = this.lifted;
      const lifted: tsTypes.Expression[] = this.lifted = [];
      try {
        const r = this.visitWorker(node) as tsTypes.Expression;
        this.lifted = prev;
        return this.wrapGuards(lifted, r);
      } finally { this.lifted = prev; }
    }
    if (this.lifted && !ts.isOptionalChain(node)) {
      // an argument, index or other operand inside a chain: its own calls' guards are its own
      const prev = this.lifted;
      this.lifted = undefined;
      try { return this.visitWorker(node); } finally { this.lifted = prev; }
    }
    return this.visitWorker(node);
  };

  /** Guards (`x == null`) of `?.` links whose short-circuit covers the whole chain being visited. */
  private lifted: tsTypes.Expression[] | undefined;

  private visitWorker(node: tsTypes.Node): tsTypes.VisitResult<tsTypes.Node> {
    switch (node.kind) {
      case ts.SyntaxKind.Block: return this.f.updateBlock(node as tsTypes.Block, this.visitStatements((node as tsTypes.Block).statements));
      case ts.SyntaxKind.ModuleBlock: return this.f.updateModuleBlock(node as tsTypes.ModuleBlock, this.visitStatements((node as tsTypes.ModuleBlock).statements));
      case ts.SyntaxKind.CaseClause: {
        const c = node as tsTypes.CaseClause;
        return this.f.updateCaseClause(c, ts.visitNode(c.expression, this.visit, ts.isExpression) as tsTypes.Expression, this.visitStatements(c.statements));
      }
      case ts.SyntaxKind.DefaultClause: return this.f.updateDefaultClause(node as tsTypes.DefaultClause, this.visitStatements((node as tsTypes.DefaultClause).statements));
      case ts.SyntaxKind.FunctionDeclaration:
        return this.a.rewrite.has(node) ? this.guarded(node, () => this.visitFunctionDeclaration(node as tsTypes.FunctionDeclaration)) : this.visitPlainFunction(node);
      case ts.SyntaxKind.FunctionExpression: case ts.SyntaxKind.ArrowFunction:
        return this.a.rewrite.has(node) ? this.guarded(node, () => this.visitFunctionExpression(node as tsTypes.FunctionExpression | tsTypes.ArrowFunction)) : this.visitPlainFunction(node);
      case ts.SyntaxKind.MethodDeclaration: case ts.SyntaxKind.Constructor: case ts.SyntaxKind.GetAccessor: case ts.SyntaxKind.SetAccessor:
        return this.visitPlainFunction(node);
      case ts.SyntaxKind.ClassDeclaration: case ts.SyntaxKind.ClassExpression:
        return this.guarded(node, () => this.visitClass(node as tsTypes.ClassLikeDeclaration));
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.visitObjectLiteral(node as tsTypes.ObjectLiteralExpression);
      case ts.SyntaxKind.CallExpression: case ts.SyntaxKind.TaggedTemplateExpression: case ts.SyntaxKind.AwaitExpression: case ts.SyntaxKind.NewExpression:
        return this.visitCallLike(node as tsTypes.CallExpression);
      case ts.SyntaxKind.ThisKeyword:
        return this.ctx?.capture?.this ? this.lexThis(this.ctx) : node;
      case ts.SyntaxKind.Identifier:
        if ((node as tsTypes.Identifier).text === 'arguments' && this.ctx?.capture?.arguments && isReference(node)) return this.ctx.capture.arguments;
        return node;
      case ts.SyntaxKind.MetaProperty:
        if ((node as tsTypes.MetaProperty).keywordToken === ts.SyntaxKind.NewKeyword && this.ctx?.capture?.newTarget) return this.ctx.capture.newTarget;
        return node;
      case ts.SyntaxKind.PropertyAccessExpression: case ts.SyntaxKind.ElementAccessExpression:
        if ((node as tsTypes.PropertyAccessExpression).expression.kind === ts.SyntaxKind.SuperKeyword && this.ctx?.capture?.super) return this.superValue(node as tsTypes.PropertyAccessExpression);
        return this.unchain(ts.visitEachChild(node, this.visit, this.context));
      case ts.SyntaxKind.NonNullExpression:
        return this.unchain(ts.visitEachChild(node, this.visit, this.context));
    }
    return ts.visitEachChild(node, this.visit, this.context);
  }

  /**
   * A link of an optional chain (`.n` in `o?.m().n`) whose chain head became a rewritten call: the
   * `?.` guard now covers it from outside, so it is an ordinary member access / call again (tsc's
   * downlevel of `?.` for targets below ES2020 expects every chain link to lead to a `?.`).
   */
  private unchain<T extends tsTypes.Node>(r: T): T | tsTypes.Expression {
    if (!ts.isOptionalChain(r) || (r as { questionDotToken?: unknown }).questionDotToken) return r;
    const e = (r as unknown as { expression: tsTypes.Expression }).expression;
    if (ts.isOptionalChain(e)) return r;
    const f = this.f;
    if (ts.isPropertyAccessExpression(r)) return ts.setTextRange(f.createPropertyAccessExpression(e, r.name), r);
    if (ts.isElementAccessExpression(r)) return ts.setTextRange(f.createElementAccessExpression(e, r.argumentExpression), r);
    if (ts.isCallExpression(r)) return ts.setTextRange(f.createCallExpression(e, r.typeArguments, r.arguments), r);
    if (ts.isNonNullExpression(r)) return ts.setTextRange(f.createNonNullExpression(e), r);
    return r;
  }

  private guarded(node: tsTypes.Node, f: () => tsTypes.VisitResult<tsTypes.Node>): tsTypes.VisitResult<tsTypes.Node> {
    try { return f(); } catch (e) { this.report(toDiagnostic(e, node)); return node; }
  }

  /** A function that stays plain: its body is not green context (an arrow keeps the enclosing capture). */
  private visitPlainFunction(node: tsTypes.Node): tsTypes.Node {
    const prev = this.ctx;
    if (!ts.isArrowFunction(node)) this.ctx = undefined;
    try { return ts.visitEachChild(node, this.visit, this.context); } finally { this.ctx = prev; }
  }

  // ---- kinds of function -----------------------------------------------------------------------

  // source
  //   function find(id: number): User { return pool.one(q, [id]); }
  // emitted
  //   __g.link(find, function* find(id) { return CALL((_a = pool).one[__g.BODY].call(_a, q, [id]), 0); });   (hoisted)
  //   function find(id) { return __g.sync(find[__g.BODY].apply(this, arguments), "find"); }
  private visitFunctionDeclaration(node: tsTypes.FunctionDeclaration): tsTypes.Node {
    const f = this.f;
    const info = this.a.rewrite.get(node)!;
    const entry = info.root === 'green';
    const name = node.name ?? f.getGeneratedNameForNode(node);
    const ref = () => declarationRef(f, node);
    const genName = !node.name ? f.createUniqueName('default') : node.body && referencesName(node.body, name.text) ? f.createUniqueName(name.text) : f.createIdentifier(name.text);
    const shape = this.a.plainFirst.get(node);
    const { params, body } = shape ? this.plainParts(node, info, shape, genName) : this.generatorParts(node, info);
    const star = shape ? undefined : f.createToken(ts.SyntaxKind.AsteriskToken);
    const gen = ts.setSourceMapRange(f.createFunctionExpression(undefined, star, genName, undefined, params, undefined, body), node);
    const link = ts.setSourceMapRange(this.e.link(ref(), gen, entry, !!shape), node);
    this.usedRuntime = true;
    this.hoist[this.hoist.length - 1]!.push(link);
    const modifiers = node.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword);
    const wrapperBody = ts.setTextRange(f.createBlock([this.e.wrapperReturn(ref(), info.name || 'default', entry)], false), node.body!);
    return f.updateFunctionDeclaration(node, modifiers, undefined, name, undefined, this.wrapperParams(node.parameters, name.text), undefined, wrapperBody);
  }

  // source
  //   const load = (id: number) => repo.find(id);
  // emitted
  //   const load = __g.fn(function* (id) { return CALL((_a = repo).find[__g.BODY].call(_a, id), 1); }, "load");
  // An arrow using `this` / `arguments` / `super` / `new.target` gets them from the enclosing code:
  //   const h = ((_this) => __g.fn(function* () { ... _this ... }, "h"))(this);
  private visitFunctionExpression(node: tsTypes.FunctionExpression | tsTypes.ArrowFunction): tsTypes.Expression {
    const f = this.f;
    const info = this.a.rewrite.get(node)!;
    const entry = info.root === 'green' || info.root === 'marker';
    const outer = this.ctx;
    const capture = ts.isArrowFunction(node) ? this.makeCapture(node) : undefined;
    // a named function expression that calls itself: its name must mean the wrapper inside the body
    const selfName = ts.isFunctionExpression(node) && node.name && referencesName(node.body, node.name.text) ? node.name : undefined;
    let genName = ts.isFunctionExpression(node) && !selfName ? node.name : undefined;
    const shape = this.a.plainFirst.get(node);
    // a plain-first entry names itself (it saves itself in its continuations)
    if (shape && !genName) genName = isIdentifierText(info.name) && !referencesName(node.body, info.name) ? f.createIdentifier(info.name) : f.createUniqueName(isIdentifierText(info.name) ? info.name : 'f');
    const { params, body } = shape ? this.plainParts(node, info, shape, genName!) : this.generatorParts(node, info, capture);
    const gen = ts.setSourceMapRange(f.createFunctionExpression(undefined, shape ? undefined : f.createToken(ts.SyntaxKind.AsteriskToken),
      genName, undefined, params, undefined, body), node);
    this.usedRuntime = true;
    let out: tsTypes.Expression = ts.setTextRange(this.e.fn(gen, info.name, entry, !!shape), node);
    if (selfName) {
      // (() => { const named = __g.fn(function* () { ... named ... }, "named"); return named; })()
      const id = f.createIdentifier(selfName.text);
      out = f.createCallExpression(f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createBlock([
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(id, undefined, undefined, out)], ts.NodeFlags.Const)),
        f.createReturnStatement(f.createIdentifier(selfName.text))], false))), undefined, []);
    }
    if (capture) {
      const ps: tsTypes.ParameterDeclaration[] = [];
      const args: tsTypes.Expression[] = [];
      if (capture.this) { ps.push(f.createParameterDeclaration(undefined, undefined, capture.this)); args.push(outer?.capture?.this ? outer.capture.this : f.createThis()); }
      if (capture.arguments) { ps.push(f.createParameterDeclaration(undefined, undefined, capture.arguments)); args.push(outer?.capture?.arguments ?? f.createIdentifier('arguments')); }
      if (capture.newTarget) { ps.push(f.createParameterDeclaration(undefined, undefined, capture.newTarget)); args.push(outer?.capture?.newTarget ?? f.createMetaProperty(ts.SyntaxKind.NewKeyword, f.createIdentifier('target'))); }
      if (capture.super) {
        ps.push(f.createParameterDeclaration(undefined, undefined, capture.super));
        const k = f.createIdentifier('k');
        args.push(outer?.capture?.super ?? f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, k)], undefined, undefined, f.createElementAccessExpression(f.createSuper(), k)));
      }
      out = f.createCallExpression(f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, ps, undefined, undefined, out)), undefined, args);
    }
    return out;
  }

  private makeCapture(node: tsTypes.ArrowFunction): Capture | undefined {
    const uses = lexicalUses(node);
    if (!uses.this && !uses.arguments && !uses.newTarget && !uses.super) return undefined;
    const f = this.f;
    const c: Capture = {};
    if (uses.this || uses.super) c.this = f.createUniqueName('_this');
    if (uses.arguments) c.arguments = f.createUniqueName('_arguments');
    if (uses.newTarget) c.newTarget = f.createUniqueName('_newtarget');
    if (uses.super) c.super = f.createUniqueName('_super');
    return c;
  }

  /** Parameters and body of the generator for `node`, visited in its own green context. */
  private generatorParts(node: FnLike, info: FnInfo, capture?: Capture): { params: tsTypes.ParameterDeclaration[]; body: tsTypes.Block } {
    const f = this.f;
    const prev = this.ctx;
    const ctx: BodyCtx = { node, info, name: info.name || '<anonymous>', temps: [], capture };
    this.ctx = ctx;
    try {
      const moved: tsTypes.Statement[] = [];
      const first = node.parameters.findIndex((p) => this.hasYieldPlan(p, node));
      const params = node.parameters.map((p, i) => {
        if (first < 0 || i < first || (ts.isIdentifier(p.name) && p.name.text === 'this')) return ts.visitNode(p, this.visit, ts.isParameter) as tsTypes.ParameterDeclaration;
        // source:  function f(a = g())        emitted:  function* f(_a) { let a = _a === void 0 ? (yield ...) : _a;
        // (a generator's parameter list cannot yield)
        const t = p.dotDotDotToken && ts.isIdentifier(p.name) ? f.createUniqueName(p.name.text) : f.createTempVariable(undefined);
        const init = p.initializer ? ts.visitNode(p.initializer, this.visit, ts.isExpression) as tsTypes.Expression : undefined;
        const value = init ? f.createConditionalExpression(f.createStrictEquality(t, f.createVoidZero()), undefined, init, undefined, t) : t;
        const name = ts.visitNode(p.name, this.visit) as tsTypes.BindingName;
        moved.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, value)], ts.NodeFlags.Let)));
        return f.createParameterDeclaration(undefined, p.dotDotDotToken, t);
      });
      let statements: tsTypes.Statement[];
      const body = node.body!;
      if (ts.isBlock(body)) statements = [...this.visitStatements(body.statements)];
      else statements = [ts.setTextRange(f.createReturnStatement(ts.visitNode(body, this.visit, ts.isExpression) as tsTypes.Expression), body)];
      const pre: tsTypes.Statement[] = [];
      if (ctx.temps.length) pre.push(this.e.temps(ctx.temps));
      pre.push(...moved);
      let i = 0;
      while (i < statements.length && isPrologue(statements[i]!)) i++;
      statements.splice(i, 0, ...pre);
      return { params, body: ts.setTextRange(f.createBlock(statements, true), body) };
    } finally {
      this.ctx = prev;
    }
  }

  /** Parameters and body of the plain-first entry for `node` (plain-first-emit.ts), visited in its own green context. */
  private plainParts(node: FnLike, info: FnInfo, shape: PlainShape, self: tsTypes.Identifier): { params: tsTypes.ParameterDeclaration[]; body: tsTypes.Block } {
    const f = this.f;
    const prev = this.ctx;
    const builder = new PlainFirstBody(this.e, shape, self);
    const ctx: BodyCtx = { node, info, name: info.name || '<anonymous>', temps: [], plain: { body: builder } };
    this.ctx = ctx;
    const links: tsTypes.Statement[] = [];
    this.hoist.push(links);
    try {
      for (const s of shape.statements) {
        ctx.plain!.stop = undefined;
        const visited = ts.isExpression(s)
          ? ts.setTextRange(f.createReturnStatement(ts.visitNode(s, this.visit, ts.isExpression) as tsTypes.Expression), s)
          : this.visit(s);
        const list = (Array.isArray(visited) ? visited : visited ? [visited] : []) as tsTypes.Statement[];
        if (list.length !== 1 && ctx.plain!.stop) throw new GreenError(Code.Internal, s, 'green-ts internal error: a plain-first statement with a stop became several.');
        for (const out of list) builder.add(out, ctx.plain!.stop);
      }
      if (links.length) throw new GreenError(Code.Internal, node, 'green-ts internal error: a plain-first function declares a function.');
      const params = node.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
      const names = params.map((p) => (p.name as tsTypes.Identifier).text);
      return builder.finish(names, !!params[params.length - 1]?.dotDotDotToken, ctx.temps, node.body!);
    } finally {
      this.hoist.pop();
      this.ctx = prev;
    }
  }

  /** A parameter (its default or pattern) contains a call that becomes a `yield`. */
  private hasYieldPlan(p: tsTypes.Node, container: tsTypes.Node): boolean {
    if (!this.a.dirty.has(p)) return false;
    let found = false;
    const walk = (n: tsTypes.Node): void => {
      if (found || !this.a.dirty.has(n)) return;
      const plan = this.a.plans.get(n);
      if ((plan && plan.kind !== 'bind' && plan.site.container === container) || this.a.pauses.get(n) === container) { found = true; return; }
      if (ts.isFunctionLike(n)) return;
      ts.forEachChild(n, walk);
    };
    walk(p);
    return found;
  }

  /** The wrapper keeps the `length` of the source function: the parameters before the first default or rest. */
  private wrapperParams(params: tsTypes.NodeArray<tsTypes.ParameterDeclaration>, self: string): tsTypes.ParameterDeclaration[] {
    const out: tsTypes.ParameterDeclaration[] = [];
    let i = 0;
    for (const p of params) {
      if (ts.isIdentifier(p.name) && p.name.text === 'this') continue;
      if (p.initializer || p.dotDotDotToken) break;
      const text = ts.isIdentifier(p.name) && p.name.text !== self && p.name.text !== 'arguments' ? p.name.text : `_${i}`;
      out.push(this.f.createParameterDeclaration(undefined, undefined, text));
      i++;
    }
    return out;
  }

  // source
  //   class Repo extends Base { find(id: number): User { return super.find(id) ?? this.load(id); } }
  // emitted
  //   class Repo extends Base { *find(id) { ... CALL(super.find[__g.BODY].call(this, id), 2) ... } }
  //   __g.methods(Repo.prototype, ["find"], []);      (static methods: __g.methods(Repo, [...], []))
  // private methods: `*#find$green(...)` beside `#find(...a) { return __g.sync(this.#find$green(...a), "#find"); }`
  // class expressions: __g.methods(__g.methods(class { ... }, [statics], []).prototype, [methods], []).constructor
  private visitClass(node: tsTypes.ClassLikeDeclaration): tsTypes.VisitResult<tsTypes.Node> {
    const f = this.f;
    const inst: string[] = [], instEntry: string[] = [], stat: string[] = [], statEntry: string[] = [];
    const members: tsTypes.ClassElement[] = [];
    const prev = this.ctx;
    this.ctx = undefined;
    try {
      for (const m of node.members) {
        if (ts.isMethodDeclaration(m) && this.a.rewrite.has(m)) {
          const r = this.guarded(m, () => this.visitMethod(m, m.name && ts.isPrivateIdentifier(m.name) ? undefined : (isStatic(m) ? [stat, statEntry] : [inst, instEntry])));
          if (Array.isArray(r)) members.push(...(r as tsTypes.ClassElement[])); else members.push(r as tsTypes.ClassElement);
        } else {
          const r = this.visit(m);
          if (r) members.push(r as tsTypes.ClassElement);
        }
      }
    } finally { this.ctx = prev; }
    const heritage = ts.visitNodes(node.heritageClauses, this.visit, ts.isHeritageClause);
    const modifiers = ts.visitNodes(node.modifiers, this.visit, ts.isModifierLike);
    if (ts.isClassDeclaration(node)) {
      const name = node.name ?? (inst.length || stat.length ? f.getGeneratedNameForNode(node) : undefined);
      const cls = f.updateClassDeclaration(node, modifiers, name, node.typeParameters, heritage, members);
      if (!inst.length && !stat.length) return cls;
      this.usedRuntime = true;
      const ref = () => declarationRef(f, node);
      const out: tsTypes.Statement[] = [cls];
      if (inst.length) out.push(f.createExpressionStatement(this.e.methods(f.createPropertyAccessExpression(ref(), 'prototype'), inst, instEntry)));
      if (stat.length) out.push(f.createExpressionStatement(this.e.methods(ref(), stat, statEntry)));
      return out;
    }
    let name = node.name;
    if (!name && (inst.length || stat.length)) {
      // keep the name a variable or property would have given the anonymous class
      const p = node.parent;
      if ((ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) && p.initializer === node && ts.isIdentifier(p.name)) name = f.createIdentifier(p.name.text);
    }
    let out: tsTypes.Expression = f.updateClassExpression(node, modifiers, name, node.typeParameters, heritage, members);
    if (!inst.length && !stat.length) return out;
    this.usedRuntime = true;
    if (stat.length) out = this.e.methods(out, stat, statEntry);
    if (inst.length) out = f.createPropertyAccessExpression(this.e.methods(f.createPropertyAccessExpression(out, 'prototype'), inst, instEntry), 'constructor');
    return out;
  }

  // source                                    emitted
  //   const o = { find(id) { ... } };           const o = __g.methods({ *find(id) { ... } }, ["find"], []);
  private visitObjectLiteral(node: tsTypes.ObjectLiteralExpression): tsTypes.Expression {
    const names: string[] = [], entries: string[] = [];
    const props: tsTypes.ObjectLiteralElementLike[] = [];
    for (const p of node.properties) {
      if (ts.isMethodDeclaration(p) && this.a.rewrite.has(p)) {
        // (a private-named method here is a syntax error tsc has reported; its two members are kept
        // as they are for a class, so the emit goes on)
        const r = this.guarded(p, () => this.visitMethod(p, [names, entries]));
        if (Array.isArray(r)) props.push(...(r as tsTypes.MethodDeclaration[]));
        else props.push(r as tsTypes.MethodDeclaration);
      } else props.push(ts.visitNode(p, this.visit) as tsTypes.ObjectLiteralElementLike);
    }
    const obj = this.f.updateObjectLiteralExpression(node, props);
    if (!names.length) return obj;
    this.usedRuntime = true;
    return this.e.methods(obj, names, entries);
  }

  private visitMethod(m: tsTypes.MethodDeclaration, lists: [string[], string[]] | undefined): tsTypes.ClassElement | tsTypes.ClassElement[] {
    const f = this.f;
    const info = this.a.rewrite.get(m)!;
    const entry = info.root === 'green';
    const drop = new Set<tsTypes.Node>(info.greenDecorators);
    const modifiers = m.modifiers?.filter((x) => x.kind !== ts.SyntaxKind.AsyncKeyword && !drop.has(x));
    const { params, body } = this.generatorParts(m, info);
    const star = f.createToken(ts.SyntaxKind.AsteriskToken);
    if (ts.isPrivateIdentifier(m.name)) {
      const greenName = f.createPrivateIdentifier(m.name.text + '$green');
      const gen = ts.setTextRange(f.createMethodDeclaration(modifiers, star, greenName, undefined, undefined, params, undefined, body), m);
      const a = f.createUniqueName('a');
      const frame = f.createCallExpression(f.createPropertyAccessExpression(f.createThis(), f.createPrivateIdentifier(greenName.text)), undefined, [f.createSpreadElement(a)]);
      const wrapper = ts.setTextRange(f.createMethodDeclaration(modifiers, undefined, f.createPrivateIdentifier(m.name.text), undefined, undefined,
        [f.createParameterDeclaration(undefined, f.createToken(ts.SyntaxKind.DotDotDotToken), a)], undefined,
        f.createBlock([f.createReturnStatement(f.createCallExpression(this.e.rt(entry ? 'start' : 'sync'), undefined, [frame, f.createStringLiteral(m.name.text)]))], false)), m);
      return [gen, wrapper];
    }
    const key = propertyNameText(m.name);
    if (key === undefined) throw new GreenError(Code.Unsupported, m.name, `green-ts cannot rewrite the method '${m.name.getText()}': use an identifier or string name for a suspending method.`);
    lists![0].push(key);
    if (entry) lists![1].push(key);
    return ts.setTextRange(f.updateMethodDeclaration(m, modifiers, star, m.name, m.questionToken, undefined, params, undefined, body), m);
  }

  // ---- kinds of call ---------------------------------------------------------------------------

  private visitCallLike(node: tsTypes.CallExpression | tsTypes.TaggedTemplateExpression | tsTypes.AwaitExpression | tsTypes.NewExpression): tsTypes.VisitResult<tsTypes.Node> {
    const out = this.visitCall(node);
    return this.ctx && this.a.pauses.get(node) === this.ctx.node ? this.pauseBefore(node, out as tsTypes.Expression) : out;
  }

  // Stress mode (transformer/stress.ts), a suspension before the call:
  // source: f(a)          emitted: (yield __g.pause(), f(a))            (f(a) as emitted without the pause)
  // source: o?.m(a)       emitted: o?.m((yield __g.pause(), a))         (a link of an optional chain: only when the call is made)
  // source: o?.m()        emitted: o?.m(...(yield __g.pause(), []))
  private pauseBefore(node: tsTypes.Node, out: tsTypes.Expression): tsTypes.Expression {
    const f = this.f;
    this.usedRuntime = true;
    if (!ts.isCallExpression(node) || !ts.isOptionalChain(node) || this.a.plans.has(node) || !ts.isCallExpression(out)) return this.e.pauseBefore(out);
    const [first, ...rest] = out.arguments;
    const args = !first ? [f.createSpreadElement(this.e.pauseBefore(f.createArrayLiteralExpression([])))]
      : [ts.isSpreadElement(first) ? f.updateSpreadElement(first, this.e.pauseBefore(first.expression)) : this.e.pauseBefore(first), ...rest];
    return ts.isCallChain(out) ? f.updateCallChain(out, out.expression, out.questionDotToken, out.typeArguments, args)
      : f.updateCallExpression(out, out.expression, out.typeArguments, args);
  }

  private visitCall(node: tsTypes.CallExpression | tsTypes.TaggedTemplateExpression | tsTypes.AwaitExpression | tsTypes.NewExpression): tsTypes.VisitResult<tsTypes.Node> {
    const plan = this.a.plans.get(node);
    const ctx = this.ctx;
    if (plan && plan.kind === 'bind') return this.visitBind(node as tsTypes.CallExpression);
    if (plan && ctx && plan.site.container === ctx.node) return this.guarded(node, () => this.emitCall(node, plan, ctx));
    if (ts.isCallExpression(node)) {
      // green(fn) marks a root: the rewritten function is the entry wrapper itself
      if (node.arguments.length === 1) {
        const arg = skipOuter(node.arguments[0]!);
        if (this.a.rewrite.get(arg)?.root === 'marker') return ts.visitNode(node.arguments[0], this.visit);
      }
      // a plain call through `super` inside a captured arrow
      const callee = node.expression;
      if (ctx?.capture?.super && (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && callee.expression.kind === ts.SyntaxKind.SuperKeyword) {
        return this.f.createCallExpression(this.f.createPropertyAccessExpression(this.superValue(callee), 'call'), undefined,
          [this.lexThis(ctx), ...this.visitArgs(node.arguments)]);
      }
      return this.unchain(ts.visitEachChild(node, this.visit, this.context));
    }
    return ts.visitEachChild(node, this.visit, this.context);
  }

  private emitCall(node: tsTypes.Node, plan: Plan, ctx: BodyCtx): tsTypes.Expression {
    const f = this.f;
    const e = this.e;
    this.usedRuntime = true;
    switch (plan.kind) {
      // source: await x          emitted: (yield __at(__g.wait[__g.BODY](x), __s[k]))
      // (yielded at once rather than through `__call`: a wait on a promise always parks)
      case 'await': {
        const k = this.site(node, ctx);
        const value = ts.visitNode((node as tsTypes.AwaitExpression).expression, this.visit, ts.isExpression) as tsTypes.Expression;
        return this.yieldAt(ctx, k, e.call(e.body(e.rt('wait')), [value]));
      }
      // source: await f(a) / wait(f(a)), f a @green root      emitted: CALL(f[__g.BODY](a), k)   (runs inline)
      case 'inline': {
        const inner = (ts.isAwaitExpression(node) ? skipOuter(node.expression) : skipOuter((node as tsTypes.CallExpression).arguments[0]!)) as tsTypes.CallExpression;
        return this.directCall(inner, plan.target, ctx, node);
      }
      case 'body': case 'dyn':
        if (ts.isTaggedTemplateExpression(node)) return this.tagCall(node, plan, ctx);
        return plan.kind === 'body' ? this.directCall(node as tsTypes.CallExpression, plan.target, ctx, node) : this.dynCall(node as tsTypes.CallExpression, ctx);
      // source: f.call(t, a) / f.apply(t, xs)      emitted: CALL(f[__g.BODY].call(t, a), k)
      case 'callApply': case 'callApplyDyn': {
        const call = node as tsTypes.CallExpression;
        const callee = skipOuter(call.expression) as tsTypes.PropertyAccessExpression;
        const k = this.site(node, ctx);
        let fnValue = this.visitChainPart(callee.expression, ctx);
        // source: f?.call(t, a) / f.call?.(t, a)   the `?.` guards f (or f.call): nullish skips the call
        const guards: tsTypes.Expression[] = [];
        if (callee.questionDotToken || call.questionDotToken) {
          const t = this.temp(ctx);
          const assigned = f.createAssignment(t, fnValue);
          if (callee.questionDotToken) guards.push(assigned);
          if (call.questionDotToken) guards.push(f.createPropertyAccessExpression(callee.questionDotToken ? t : f.createParenthesizedExpression(assigned), callee.name));
          fnValue = t;
        }
        const args = this.visitArgs(call.arguments);
        if (plan.kind === 'callApply') return this.withGuards(guards, this.greenCall(ctx, k, e.method(e.body(fnValue), callee.name.text, args)));
        const thisArg = args[0] && !ts.isSpreadElement(args[0]) ? args[0] : f.createVoidZero();
        const rest = callee.name.text === 'apply' ? (args[1] ?? f.createArrayLiteralExpression([])) : f.createArrayLiteralExpression(args.slice(1));
        return this.withGuards(guards, this.greenCall(ctx, k, e.call(e.rt('dyn'), [fnValue, thisArg, rest])));
      }
      // source: xs.map(cb, t)       emitted: CALL(__g.array.map(xs, cb, t), k)
      case 'array': case 'collection': case 'arrayFrom': {
        const call = node as tsTypes.CallExpression;
        const callee = skipOuter(call.expression) as tsTypes.PropertyAccessExpression;
        const k = this.site(node, ctx);
        const helper = f.createPropertyAccessExpression(e.rt('array'), plan.kind === 'collection' ? 'collectionForEach' : plan.kind === 'arrayFrom' ? 'from' : plan.site.method!);
        const args = this.visitArgs(call.arguments);
        if (plan.kind === 'arrayFrom') return this.greenCall(ctx, k, e.call(helper, args));
        const receiver = this.visitChainPart(callee.expression, ctx);
        if (callee.questionDotToken || call.questionDotToken) {
          const t = this.temp(ctx);
          return this.withGuards([f.createAssignment(t, receiver)], this.greenCall(ctx, k, e.call(helper, [t, ...args])));
        }
        return this.greenCall(ctx, k, e.call(helper, [receiver, ...args]));
      }
    }
    return ts.visitEachChild(node, this.visit, this.context) as tsTypes.Expression;
  }

  /** `cond == null ? void 0 : then` (the short-circuit of `?.`) */
  private guard(value: tsTypes.Expression, then: tsTypes.Expression): tsTypes.Expression {
    const f = this.f;
    return f.createParenthesizedExpression(f.createConditionalExpression(
      f.createBinaryExpression(f.createParenthesizedExpression(value), ts.SyntaxKind.EqualsEqualsToken, f.createNull()), undefined, f.createVoidZero(), undefined, then));
  }

  /**
   * The callee as (function value, this value), evaluating the receiver once, plus the `?.` guards.
   *   o.m    -> value (_a = o).m, this _a          this.m -> this.m, this
   *   super.m -> super.m, this                     f      -> f, undefined
   */
  private calleeParts(call: tsTypes.CallExpression | tsTypes.TaggedTemplateExpression, ctx: BodyCtx): { value: tsTypes.Expression; thisArg: tsTypes.Expression | undefined; guards: tsTypes.Expression[]; receiver?: tsTypes.Expression; member?: tsTypes.MemberName | tsTypes.Expression } {
    const f = this.f;
    const callee = skipOuter(ts.isTaggedTemplateExpression(call) ? call.tag : call.expression);
    const guards: tsTypes.Expression[] = [];
    let value: tsTypes.Expression;
    let thisArg: tsTypes.Expression | undefined;
    let receiver: tsTypes.Expression | undefined;
    let member: tsTypes.MemberName | tsTypes.Expression | undefined;
    if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && callee.expression.kind === ts.SyntaxKind.SuperKeyword) {
      if (ctx.capture?.super) value = this.superValue(callee);
      else value = ts.isPropertyAccessExpression(callee) ? f.createPropertyAccessExpression(f.createSuper(), callee.name) : f.createElementAccessExpression(f.createSuper(), ts.visitNode(callee.argumentExpression, this.visit, ts.isExpression) as tsTypes.Expression);
      thisArg = this.lexThis(ctx);
    } else if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
      const r = skipOuter(callee.expression);
      let recv: tsTypes.Expression;
      if (r.kind === ts.SyntaxKind.ThisKeyword) { recv = this.lexThis(ctx); thisArg = this.lexThis(ctx); }
      else {
        const t = this.temp(ctx);
        const visited = this.visitChainPart(callee.expression, ctx);
        if (callee.questionDotToken) { guards.push(f.createAssignment(t, visited)); recv = t; }
        else recv = f.createParenthesizedExpression(f.createAssignment(t, visited));
        thisArg = t;
      }
      receiver = thisArg;
      if (ts.isPropertyAccessExpression(callee)) { member = callee.name; value = f.createPropertyAccessExpression(recv, callee.name); }
      else { member = ts.visitNode(callee.argumentExpression, this.visit, ts.isExpression) as tsTypes.Expression; value = f.createElementAccessExpression(recv, member); }
    } else {
      value = ts.visitNode(callee, this.visit, ts.isExpression) as tsTypes.Expression;
      if (!ts.isTaggedTemplateExpression(call) && call.questionDotToken) { const t = this.temp(ctx); guards.push(f.createAssignment(t, value)); value = t; }
    }
    if (!ts.isTaggedTemplateExpression(call) && call.questionDotToken && thisArg !== undefined) {
      const t = this.temp(ctx); guards.push(f.createAssignment(t, value)); value = t;
    }
    if (guards.length && !ts.isOptionalChain(call)) {
      // source: (o?.m)(a)  the chain ends at the parenthesis: a nullish `o` makes the callee
      // undefined and the call throws, as untransformed code does; it does not skip the call
      value = this.wrapGuards(guards, value);
      guards.length = 0;
    }
    return { value, thisArg, guards, receiver, member };
  }

  /**
   * The receiver (or function value) `expr` of a rewritten call. When it is a link of the call's own
   * optional chain it is lowered: its `?.` guards join the chain's lifted guards, so a nullish value
   * before a `?.` skips the whole chain while a nullish value elsewhere throws, as in the source.
   */
  private visitChainPart(expr: tsTypes.Expression, ctx: BodyCtx): tsTypes.Expression {
    if (this.lifted && ts.isOptionalChain(expr)) return this.lowerChain(expr, ctx);
    return ts.visitNode(expr, this.visit, ts.isExpression) as tsTypes.Expression;
  }

  // source: a?.b.m()            emitted: (_a = a) == null ? void 0 : (yield ... (_b = _a.b).m[__g.BODY].call(_b))
  // source: a?.b[k].c?.()       links: _a.b[k] with guard (_a = a), then _d.call(_c) with guard (_d = (_c = _a.b[k]).c)
  /** `expr`, a link of an optional chain, with each `?.` turned into a lifted guard (see visitChainPart). */
  private lowerChain(expr: tsTypes.Expression, ctx: BodyCtx): tsTypes.Expression {
    const f = this.f;
    // the head of the chain, or a link that is itself a rewritten call (which lifts its own guards)
    if (!ts.isOptionalChain(expr) || this.a.plans.has(expr)) return ts.visitNode(expr, this.visit, ts.isExpression) as tsTypes.Expression;
    const guardOf = (value: tsTypes.Expression): tsTypes.Identifier => {
      const t = this.temp(ctx);
      this.lifted!.push(f.createAssignment(t, value));
      return t;
    };
    if (ts.isNonNullExpression(expr)) return this.lowerChain(expr.expression, ctx);
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) {
      let object = this.lowerChain(expr.expression, ctx);
      if (expr.questionDotToken) object = guardOf(object);
      return ts.isPropertyAccessExpression(expr)
        ? f.createPropertyAccessExpression(object, expr.name)
        : f.createElementAccessExpression(object, ts.visitNode(expr.argumentExpression, this.visit, ts.isExpression) as tsTypes.Expression);
    }
    if (ts.isCallExpression(expr)) {
      const callee = expr.expression;
      const args = this.visitArgs(expr.arguments);
      // a member call keeps its receiver as `this`: t.b.c() stays a member call
      if (!expr.questionDotToken) return f.createCallExpression(this.lowerChain(callee, ctx), undefined, args);
      if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && callee.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const method = guardOf(ts.visitNode(callee, this.visit, ts.isExpression) as tsTypes.Expression);
        return f.createCallExpression(f.createPropertyAccessExpression(method, 'call'), undefined, [this.lexThis(ctx), ...args]);
      }
      if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
        // o.m?.(): the guard is on the method value, and the call passes the receiver
        let object = this.lowerChain(callee.expression, ctx);
        if (callee.questionDotToken) object = guardOf(object);
        const receiver = this.temp(ctx);
        const assigned = f.createParenthesizedExpression(f.createAssignment(receiver, object));
        const method = guardOf(ts.isPropertyAccessExpression(callee)
          ? f.createPropertyAccessExpression(assigned, callee.name)
          : f.createElementAccessExpression(assigned, ts.visitNode(callee.argumentExpression, this.visit, ts.isExpression) as tsTypes.Expression));
        return f.createCallExpression(f.createPropertyAccessExpression(method, 'call'), undefined, [receiver, ...args]);
      }
      return f.createCallExpression(guardOf(this.lowerChain(callee, ctx)), undefined, args);
    }
    return ts.visitNode(expr, this.visit, ts.isExpression) as tsTypes.Expression;
  }

  private withGuards(guards: tsTypes.Expression[], then: tsTypes.Expression): tsTypes.Expression {
    if (this.lifted && guards.length) { this.lifted.push(...guards); return then; }
    return this.wrapGuards(guards, then);
  }

  private wrapGuards(guards: tsTypes.Expression[], then: tsTypes.Expression): tsTypes.Expression {
    let out = then;
    for (let i = guards.length - 1; i >= 0; i--) out = this.guard(guards[i]!, out);
    return out;
  }

  // source: find(id)       emitted: CALL(find[__g.BODY](id), k)
  // source: o.m(a)         emitted: CALL((_a = o).m[__g.BODY].call(_a, a), k)
  // source: this.#m(a)     emitted: CALL(this.#m$green(a), k)
  private directCall(call: tsTypes.CallExpression, target: Target | undefined, ctx: BodyCtx, siteNode: tsTypes.Node): tsTypes.Expression {
    const e = this.e;
    const f = this.f;
    const k = this.site(siteNode, ctx);
    const callee = skipOuter(call.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isPrivateIdentifier(callee.name) && target && this.a.rewrite.has(target.node)) {
      const recv = ts.visitNode(callee.expression, this.visit, ts.isExpression) as tsTypes.Expression;
      const frame = f.createCallExpression(f.createPropertyAccessExpression(recv, f.createPrivateIdentifier(callee.name.text + '$green')), undefined, this.visitArgs(call.arguments));
      if (callee.questionDotToken || call.questionDotToken) { const t = this.temp(ctx); return this.withGuards([f.createAssignment(t, recv)], this.greenCall(ctx, k, f.createCallExpression(f.createPropertyAccessExpression(t, f.createPrivateIdentifier(callee.name.text + '$green')), undefined, this.visitArgs(call.arguments)))); }
      return this.greenCall(ctx, k, frame);
    }
    const { value, thisArg, guards } = this.calleeParts(call, ctx);
    const args = this.visitArgs(call.arguments);
    if (target && this.a.plainFirst.has(target.node)) {
      // source: next(x)    emitted: (__g.callp(next[__g.PLAIN](__g.depth(), x), __s[k]) ? (yield __pending) : __result())
      // (in a plain-first body: a stop, see plain-first-emit.ts)
      const depth = ctx.plain ? ctx.plain.body.nextDepth() : e.call(e.rt('depth'), []);
      let entry: tsTypes.Expression;
      if (thisArg) entry = e.method(e.plain(value), 'call', [thisArg, depth, ...args]);
      else if (this.usesThis(target.node)) entry = e.method(e.plain(value), 'call', [f.createVoidZero(), depth, ...args]);
      else entry = e.call(e.plain(value), [depth, ...args]);
      if (ctx.plain) return this.withGuards(guards, this.stop(ctx, { entry, k }));
      return this.withGuards(guards, e.greenCallPlain(k, entry));
    }
    let frame: tsTypes.Expression;
    if (thisArg) frame = e.method(e.body(value), 'call', [thisArg, ...args]);
    else if (target && this.usesThis(target.node)) frame = e.method(e.body(value), 'call', [f.createVoidZero(), ...args]);
    else frame = e.call(e.body(value), args);
    return this.withGuards(guards, this.greenCall(ctx, k, frame));
  }

  // source: cb(a)  (a parameter, variable or property: green or plain at run time)
  // emitted: CALL(__g.dyn(cb, void 0, [a]), k)
  private dynCall(call: tsTypes.CallExpression, ctx: BodyCtx): tsTypes.Expression {
    const e = this.e;
    const f = this.f;
    const k = this.site(call, ctx);
    const { value, thisArg, guards } = this.calleeParts(call, ctx);
    const args = this.visitArgs(call.arguments);
    const frame = e.call(e.rt('dyn'), [value, thisArg ?? f.createVoidZero(), f.createArrayLiteralExpression(args)]);
    return this.withGuards(guards, this.greenCall(ctx, k, frame));
  }

  // source: tag`a${x}b`
  // emitted: CALL(tag[__g.BODY](...((...a) => a)`a${x}b`), k)   (same template object per site)
  private tagCall(node: tsTypes.TaggedTemplateExpression, plan: Plan, ctx: BodyCtx): tsTypes.Expression {
    const f = this.f;
    const e = this.e;
    const k = this.site(node, ctx);
    const { value, thisArg, guards } = this.calleeParts(node, ctx);
    const a = f.createUniqueName('a');
    const identity = f.createParenthesizedExpression(f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, f.createToken(ts.SyntaxKind.DotDotDotToken), a)], undefined, undefined, a));
    const collected = f.createTaggedTemplateExpression(identity, undefined, ts.visitNode(node.template, this.visit) as tsTypes.TemplateLiteral);
    let frame: tsTypes.Expression;
    if (plan.kind === 'dyn') frame = e.call(e.rt('dyn'), [value, thisArg ?? f.createVoidZero(), collected]);
    else if (thisArg) frame = e.method(e.body(value), 'call', [thisArg, f.createSpreadElement(collected)]);
    else frame = e.call(e.body(value), [f.createSpreadElement(collected)]);
    return this.withGuards(guards, this.greenCall(ctx, k, frame));
  }

  // source: f.bind(t, a)     emitted: __g.bind(f, t, a)
  private visitBind(node: tsTypes.CallExpression): tsTypes.Expression {
    const callee = skipOuter(node.expression) as tsTypes.PropertyAccessExpression;
    this.usedRuntime = true;
    const fnValue = ts.visitNode(callee.expression, this.visit, ts.isExpression) as tsTypes.Expression;
    return this.e.call(this.e.rt('bind'), [fnValue, ...this.visitArgs(node.arguments)]);
  }

  private visitArgs(args: tsTypes.NodeArray<tsTypes.Expression> | undefined): tsTypes.Expression[] {
    return (args ?? []).map((x) => ts.visitNode(x, this.visit, ts.isExpression) as tsTypes.Expression);
  }

  /** A green call of `frame`: CALL(frame, k), or in a plain-first body a stop (plain-first-emit.ts). */
  private greenCall(ctx: BodyCtx, k: number, frame: tsTypes.Expression): tsTypes.Expression {
    return ctx.plain ? this.stop(ctx, { frame, k }) : this.e.greenCall(k, frame);
  }

  /** `(yield __at(frame, __s[k]))`, or in a plain-first body a stop. */
  private yieldAt(ctx: BodyCtx, k: number, frame: tsTypes.Expression): tsTypes.Expression {
    return ctx.plain ? this.stop(ctx, { frame, k }) : this.e.yieldAt(k, frame);
  }

  /** Record the stop of the statement being visited; its value is `$t`. */
  private stop(ctx: BodyCtx, stop: PlainStop): tsTypes.Expression {
    const plain = ctx.plain!;
    if (plain.stop) throw new GreenError(Code.Internal, ctx.node, 'green-ts internal error: two suspension points in one statement of a plain-first function.');
    plain.stop = stop;
    return plain.body.value;
  }

  // ---- captured lexical values of arrows ---------------------------------------------------------

  private lexThis(ctx: BodyCtx | undefined): tsTypes.Expression {
    return ctx?.capture?.this ?? this.f.createThis();
  }

  /** `super.m` / `super[k]` inside a captured arrow: `_super("m")` (an arrow made in the enclosing method). */
  private superValue(node: tsTypes.PropertyAccessExpression | tsTypes.ElementAccessExpression): tsTypes.Expression {
    const f = this.f;
    const key = ts.isPropertyAccessExpression(node) ? f.createStringLiteral(node.name.text) : ts.visitNode(node.argumentExpression, this.visit, ts.isExpression) as tsTypes.Expression;
    return f.createCallExpression(this.ctx!.capture!.super!, undefined, [key]);
  }

  // ---- sites, temps -------------------------------------------------------------------------------

  private site(node: tsTypes.Node, ctx: BodyCtx): number {
    let at: tsTypes.Node = node;
    if (ts.isCallExpression(node)) {
      const c = skipOuter(node.expression);
      at = ts.isPropertyAccessExpression(c) ? c.name : c;
    }
    const { line, character } = this.sf.getLineAndCharacterOfPosition(at.getStart(this.sf));
    this.sites.push(ctx.name, line + 1, character + 1);
    return this.siteCount++;
  }

  private temp(ctx: BodyCtx): tsTypes.Identifier {
    const t = this.f.createTempVariable(undefined);
    ctx.temps.push(t);
    return t;
  }

  /** Does a function's body use `this` (so a call passes `undefined` explicitly, as the source did)? */
  private usesThis(fn: tsTypes.Node): boolean {
    let r = this.thisUse.get(fn);
    if (r === undefined) {
      r = !ts.isFunctionLike(fn) ? true : lexicalUses(fn as tsTypes.SignatureDeclaration, true).this;
      this.thisUse.set(fn, r);
    }
    return r;
  }
}

// ---- helpers ------------------------------------------------------------------------------------

function isOutermostOptionalChain(n: tsTypes.Node): boolean {
  if (!(ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n) || ts.isNonNullExpression(n))) return false;
  if (!ts.isOptionalChain(n)) return false;
  const p = n.parent;
  if (p && (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || ts.isCallExpression(p) || ts.isNonNullExpression(p)) && p.expression === n && ts.isOptionalChain(p)) return false;
  return true;
}

/**
 * A fresh reference to a function or class declaration. A nameless one (`export default function
 * () {}`) has the name tsc generates for it (`default_1`), which tsc's module transform uses too; its
 * text is not that name, so it is referenced by node.
 */
function declarationRef(f: tsTypes.NodeFactory, node: tsTypes.FunctionDeclaration | tsTypes.ClassDeclaration): tsTypes.Identifier {
  return node.name ? f.createIdentifier(node.name.text) : f.getGeneratedNameForNode(node);
}

function referencesName(body: tsTypes.Node, name: string): boolean {
  if (!body.getText().includes(name)) return false;
  let found = false;
  const walk = (n: tsTypes.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name && isReference(n)) { found = true; return; }
    ts.forEachChild(n, walk);
  };
  walk(body);
  return found;
}

function isIdentifierText(text: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(text) && ts.identifierToKeywordKind(ts.factory.createIdentifier(text)) === undefined;
}

function isPrologue(s: tsTypes.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && !!s.expression.parent;
}

function isCommonJS(program: tsTypes.Program, sf: tsTypes.SourceFile): boolean {
  const p = program as unknown as { getEmitModuleFormatOfFile?: (sf: tsTypes.SourceFile) => tsTypes.ModuleKind };
  if (typeof p.getEmitModuleFormatOfFile === 'function') return p.getEmitModuleFormatOfFile(sf) === ts.ModuleKind.CommonJS;
  const o = program.getCompilerOptions();
  const mk = o.module ?? ((o.target ?? 0) >= ts.ScriptTarget.ES2015 ? ts.ModuleKind.ES2015 : ts.ModuleKind.CommonJS);
  if (mk >= ts.ModuleKind.Node16 && mk <= ts.ModuleKind.NodeNext) return sf.impliedNodeFormat !== ts.ModuleKind.ESNext;
  return mk === ts.ModuleKind.CommonJS;
}
