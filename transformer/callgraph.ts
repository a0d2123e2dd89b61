// The call graph: one walk over every source file of the program, once per ts.Program. It records,
// for each function-like and each function-valued slot (parameter, variable, property), who depends
// on it (a reverse graph), and every call site with the declarations its callee resolves to. Callees
// are resolved through the checker (aliases, re-exports, overloads, generics, this./super.), never by
// name text. Matching only: what to emit is decided in analysis.ts and written in rewrite.ts.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import { isMarked, greenDecorators, isGreenFunctionSymbol } from './marks.js';

export type FnLike = tsTypes.FunctionDeclaration | tsTypes.FunctionExpression | tsTypes.ArrowFunction | tsTypes.MethodDeclaration
  | tsTypes.ConstructorDeclaration | tsTypes.GetAccessorDeclaration | tsTypes.SetAccessorDeclaration;

/** How a function is a root (green context of its own). */
export type RootKind = 'green' /* @green mark or decorator */ | 'param' /* passed to a @green parameter */ | 'marker' /* green(fn) */;

export interface FnInfo {
  node: FnLike;
  name: string;
  root?: RootKind;
  /** Why it cannot become a generator (a constructor, accessor, plain async function or generator). */
  bad?: 'ctor' | 'accessor' | 'async' | 'generator';
  greenDecorators: tsTypes.Decorator[];
}

/** What a callee resolved to. `fn`: a function-like in user code; `lib`: a declaration in a .d.ts;
 * `slot`: a parameter, variable or property of user code that holds functions; `sig`: a method or
 * property signature of a user interface / type (a virtual call whose implementations share a convention). */
export interface Target { node: tsTypes.Node; how: 'fn' | 'lib' | 'slot' | 'sig' }

export type CallKind = 'call' | 'tag' | 'new' | 'callApply' | 'bind' | 'array' | 'collection' | 'arrayFrom' | 'await';

export interface CallSite {
  node: tsTypes.CallExpression | tsTypes.TaggedTemplateExpression | tsTypes.NewExpression | tsTypes.AwaitExpression;
  /** The function-like containing it, or the class field initializer / static block / source file. */
  container: tsTypes.Node;
  kind: CallKind;
  /** Resolved callee declarations (for array kinds: the callback values). Empty: unknown callee. */
  targets: readonly Target[];
  /** The callee is a user value the checker cannot name (any-typed, a call result, ...). */
  unknown: boolean;
  /** call/apply/bind, or the array method name. */
  method?: string;
}

/** A function value reaching a declaration the transformer cannot rewrite (a library parameter or property). */
export interface ExternalFlow { value: tsTypes.Node; values: Target[]; slot: tsTypes.Node; site: tsTypes.Node; kind: 'argument' | 'assignment'; calleeName: string }

export interface Edge { to: tsTypes.Node; site?: tsTypes.Node }

const arrayMethods = new Set(['map', 'forEach', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'reduce', 'reduceRight', 'flatMap', 'sort']);

/** What the walk does at a node of each kind. */
const enum Act { Descend, Skip, Fn, Class, Property, StaticBlock, Call, Return, ForOf, Await, Variable, Parameter, Binary, Object, EnumMember, Decorator }

let tableOf: unknown;
let table: Uint8Array;

/** The walk's action per SyntaxKind, built once per TypeScript instance (kind numbers differ between
 * TypeScript versions): one array load per node instead of comparing against each `ts.SyntaxKind.X`. */
function actionTable(): Uint8Array {
  if (tableOf === ts) return table;
  const K = ts.SyntaxKind;
  const t = new Uint8Array(K.Count + 1);
  for (let k = K.FirstTypeNode; k <= K.LastTypeNode; k++) t[k] = Act.Skip;
  const set = (act: Act, ...kinds: tsTypes.SyntaxKind[]) => { for (const k of kinds) t[k] = act; };
  set(Act.Skip, K.InterfaceDeclaration, K.TypeAliasDeclaration, K.ImportDeclaration, K.ExportDeclaration);
  set(Act.Fn, K.FunctionDeclaration, K.FunctionExpression, K.ArrowFunction, K.MethodDeclaration, K.Constructor, K.GetAccessor, K.SetAccessor);
  set(Act.Class, K.ClassDeclaration, K.ClassExpression);
  set(Act.Property, K.PropertyDeclaration);
  set(Act.StaticBlock, K.ClassStaticBlockDeclaration);
  set(Act.Call, K.CallExpression, K.NewExpression, K.TaggedTemplateExpression);
  set(Act.Return, K.ReturnStatement);
  set(Act.ForOf, K.ForOfStatement);
  set(Act.Await, K.AwaitExpression);
  set(Act.Variable, K.VariableDeclaration);
  set(Act.Parameter, K.Parameter);
  set(Act.Binary, K.BinaryExpression);
  set(Act.Object, K.ObjectLiteralExpression);
  set(Act.EnumMember, K.EnumMember);
  set(Act.Decorator, K.Decorator);
  tableOf = ts;
  return table = t;
}

export class CallGraph {
  readonly fns = new Map<tsTypes.Node, FnInfo>();
  readonly calls: CallSite[] = [];
  readonly callOf = new Map<tsTypes.Node, CallSite>();
  /** Reverse edges: `rev.get(x)` are the nodes that suspend when x does. */
  readonly rev = new Map<tsTypes.Node, Edge[]>();
  /** Declarations carrying `@suspends`, and `@green` parameters (slots that hold green functions). */
  readonly seeds = new Map<tsTypes.Node, string>();
  readonly external: ExternalFlow[] = [];
  /** `for await` loops (a generator body cannot contain one). */
  readonly forAwaits: { node: tsTypes.ForOfStatement; container: tsTypes.Node }[] = [];
  readonly files: tsTypes.SourceFile[] = [];
  /** Class field initializers (not function-valued), enum member initializers and decorator expressions, used as containers of their calls. */
  readonly initializers = new Set<tsTypes.Node>();
  private readonly checked = new Set<tsTypes.Node>();
  /** Internal failures while walking (reported as diagnostics naming the node; the walk goes on with the next statement). */
  readonly errors: { error: unknown; node: tsTypes.Node }[] = [];
  private current: tsTypes.Node | undefined;
  /** The file the walk is in. */
  private file!: tsTypes.SourceFile;
  private readonly acts = actionTable();

  constructor(readonly program: tsTypes.Program, readonly checker = program.getTypeChecker()) {
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
      this.files.push(sf);
      this.file = sf;
      for (const st of sf.statements) {
        try { this.walk(st, sf); } catch (e) { this.errors.push({ error: e, node: this.current ?? st }); }
      }
    }
  }

  edge(from: tsTypes.Node, to: tsTypes.Node, site?: tsTypes.Node): void {
    let list = this.rev.get(from);
    if (!list) { this.noteSeed(from); this.rev.set(from, list = []); }
    list.push({ to, site });
  }

  /** Record once whether a declaration carries `@suspends` (it, or any overload / merged declaration). `sf`: its file, when known. */
  noteSeed(node: tsTypes.Node, sf?: tsTypes.SourceFile): void {
    if (this.checked.has(node)) return;
    this.checked.add(node);
    sf ??= node.getSourceFile();
    if (ts.isParameter(node)) { if (isMarked(node, 'green', sf)) this.seeds.set(node, '@green parameter'); return; }
    if (isMarked(node, 'suspends', sf)) { this.seeds.set(node, '@suspends'); return; }
    const name = (node as { name?: tsTypes.Node }).name;
    if (!name || !(ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isMethodSignature(node))) return;
    // the binder's symbol of the declaration (overloads and merged declarations share it)
    const sym = (node as { symbol?: tsTypes.Symbol }).symbol ?? this.checker.getSymbolAtLocation(name);
    if (!sym?.declarations || sym.declarations.length < 2) return;
    for (const d of sym.declarations) if (d !== node && d.kind === node.kind && isMarked(d, 'suspends')) { this.seeds.set(node, '@suspends'); return; }
  }

  /** The function-like (or initializer, static block, source file) the walk is in. */
  private container!: tsTypes.Node;

  private walk(node: tsTypes.Node, container: tsTypes.Node): void {
    this.container = container;
    this.visit(node);
  }

  /** Visit the children of `n` inside container `c`. */
  private within(n: tsTypes.Node, c: tsTypes.Node): void {
    const prev = this.container;
    this.container = c;
    ts.forEachChild(n, this.visit);
    this.container = prev;
  }

  private readonly visit = (n: tsTypes.Node): void => {
    const act = this.acts[n.kind];
    // types, interfaces, imports: nothing in them calls or flows
    if (act === Act.Skip) return;
    this.current = n;
    const c = this.container;
    switch (act) {
      case Act.Fn: {
        const f = n as FnLike;
        if (!f.body) break;
        this.registerFn(f);
        if (!ts.isBlock(f.body)) this.flowInto(f.body, f.body, f);
        this.within(n, f);
        return;
      }
      case Act.Class:
        this.classFamilies(n as tsTypes.ClassLikeDeclaration);
        break;
      case Act.Property: {
        const p = n as tsTypes.PropertyDeclaration;
        if (p.initializer) {
          this.flowInto(p.initializer, p, p);
          if (!isFunctionExpressionLike(skipOuter(p.initializer))) {
            this.initializers.add(p.initializer);
            if (p.modifiers) for (const m of p.modifiers) this.visit(m);
            this.visit(p.name);
            this.visitInContainer(p.initializer, p.initializer);
            return;
          }
        }
        break;
      }
      case Act.StaticBlock:
        this.within(n, n);
        return;
      case Act.EnumMember: {
        // tsc emits an enum as a function of its own: a member's initializer is not part of the
        // enclosing body, so its calls are plain (a suspending one is a diagnostic, not a `yield`)
        const m = n as tsTypes.EnumMember;
        if (m.initializer) {
          this.initializers.add(m.initializer);
          this.visit(m.name);
          this.visitInContainer(m.initializer, m.initializer);
          return;
        }
        break;
      }
      case Act.Decorator: {
        // the same for a decorator's expression: tsc evaluates standard decorators inside a
        // function of its own (`(() => { let _classDecorators = [...] })()`)
        const e = (n as tsTypes.Decorator).expression;
        this.initializers.add(e);
        this.visitInContainer(e, e);
        return;
      }
      case Act.Call:
        this.callSite(n as tsTypes.CallExpression, c);
        break;
      case Act.Return: {
        // return values flow into the function's return slot (keyed by its body): `make()(x)` calls them
        const r = n as tsTypes.ReturnStatement;
        const body = (c as { body?: tsTypes.Node }).body;
        if (r.expression && body && this.fns.has(c)) this.flowInto(r.expression, body, r);
        break;
      }
      case Act.ForOf:
        if ((n as tsTypes.ForOfStatement).awaitModifier) this.forAwaits.push({ node: n as tsTypes.ForOfStatement, container: c });
        break;
      case Act.Await:
        this.addCall({ node: n as tsTypes.AwaitExpression, container: c, kind: 'await', targets: [], unknown: false });
        break;
      case Act.Variable: {
        const v = n as tsTypes.VariableDeclaration;
        if (v.initializer && ts.isIdentifier(v.name)) this.flowInto(v.initializer, v, v);
        break;
      }
      case Act.Parameter: {
        const p = n as tsTypes.ParameterDeclaration;
        if (p.initializer) this.flowInto(p.initializer, p, p);
        break;
      }
      case Act.Binary: {
        const b = n as tsTypes.BinaryExpression;
        if (b.operatorToken.kind === ts.SyntaxKind.EqualsToken) this.assignment(b);
        break;
      }
      case Act.Object:
        this.objectLiteral(n as tsTypes.ObjectLiteralExpression);
        break;
    }
    ts.forEachChild(n, this.visit);
  };

  /** Visit `n` itself (not only its children) as part of container `c`. */
  private visitInContainer(n: tsTypes.Node, c: tsTypes.Node): void {
    const prev = this.container;
    this.container = c;
    this.visit(n);
    this.container = prev;
  }

  private registerFn(f: FnLike): void {
    const decorators = ts.isMethodDeclaration(f) ? greenDecorators(f, this.checker) : [];
    const info: FnInfo = { node: f, name: functionName(f), greenDecorators: decorators };
    if (decorators.length || isMarked(f, 'green', this.file)) info.root = 'green';
    if (ts.isConstructorDeclaration(f)) info.bad = 'ctor';
    else if (ts.isGetAccessor(f) || ts.isSetAccessor(f)) info.bad = 'accessor';
    else if ((f as tsTypes.FunctionDeclaration).asteriskToken) info.bad = 'generator';
    else if (isAsync(f) && !info.root) info.bad = 'async';
    // a root by position: an argument for a @green parameter was set by callSite() before the walk got here
    const prior = this.fns.get(f);
    if (prior?.root && !info.root) { info.root = prior.root; if (info.bad === 'async') info.bad = undefined; }
    this.fns.set(f, info);
    this.noteSeed(f, this.file);
  }

  private markRoot(f: tsTypes.Node, kind: RootKind): void {
    const info = this.fns.get(f);
    if (info) { if (!info.root) { info.root = kind; if (info.bad === 'async') info.bad = undefined; } return; }
    this.fns.set(f, { node: f as FnLike, name: '', root: kind, greenDecorators: [] });
  }

  private addCall(site: CallSite): void {
    this.calls.push(site);
    this.callOf.set(site.node, site);
    for (const t of site.targets) this.edge(t.node, site.container, site.node);
  }

  /** The declarations a symbol names, as graph targets. Overloads collapse to the implementation. */
  targetsOfSymbol(sym: tsTypes.Symbol | undefined): readonly Target[] {
    if (!sym) return [];
    let targets = this.symbolTargets.get(sym);
    if (!targets) this.symbolTargets.set(sym, targets = this.declarationTargets(sym));
    return targets; // shared: a caller that adds makes its own copy
  }

  /** targetsOfSymbol, computed once per symbol (a program's symbols keep their declarations). */
  private readonly symbolTargets = new Map<tsTypes.Symbol, readonly Target[]>();

  private declarationTargets(sym: tsTypes.Symbol): Target[] {
    if (sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
    const decls = sym.declarations ?? [];
    const out: Target[] = [];
    const hasImpl = decls.some((d) => (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && d.body);
    for (const d of decls) {
      const lib = d.getSourceFile().isDeclarationFile;
      if (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) {
        if (hasImpl && !d.body) continue;
        out.push({ node: d, how: lib || !d.body ? (lib ? 'lib' : 'sig') : 'fn' });
      } else if (ts.isFunctionExpression(d)) {
        out.push({ node: d, how: 'fn' }); // a named function expression calling itself
      } else if (ts.isMethodSignature(d) || ts.isPropertySignature(d)) {
        out.push({ node: d, how: lib ? 'lib' : 'sig' });
      } else if (ts.isVariableDeclaration(d)) {
        const init = d.initializer && skipOuter(d.initializer);
        if (!lib && init && isFunctionExpressionLike(init) && isConst(d)) out.push({ node: init, how: 'fn' });
        else out.push({ node: d, how: lib ? 'lib' : 'slot' });
      } else if (ts.isParameter(d) || ts.isPropertyDeclaration(d) || ts.isPropertyAssignment(d) || ts.isShorthandPropertyAssignment(d) || ts.isBindingElement(d)) {
        out.push({ node: d, how: lib ? 'lib' : 'slot' });
      }
    }
    return out;
  }

  symbolOf(expr: tsTypes.Expression): tsTypes.Symbol | undefined {
    const e = skipOuter(expr);
    if (ts.isPropertyAccessExpression(e)) return this.checker.getSymbolAtLocation(e.name);
    if (ts.isElementAccessExpression(e)) return ts.isStringLiteralLike(e.argumentExpression) || ts.isNumericLiteral(e.argumentExpression) ? this.checker.getSymbolAtLocation(e.argumentExpression) : undefined;
    if (ts.isIdentifier(e) || ts.isPrivateIdentifier(e)) return this.checker.getSymbolAtLocation(e);
    return undefined;
  }

  /** The function values an expression can evaluate to (for flows into slots). */
  valueTargets(expr: tsTypes.Expression): Target[] {
    const e = skipOuter(expr);
    if (isFunctionExpressionLike(e)) return [{ node: e, how: 'fn' }];
    if (ts.isConditionalExpression(e)) return [...this.valueTargets(e.whenTrue), ...this.valueTargets(e.whenFalse)];
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return [...this.valueTargets(e.left), ...this.valueTargets(e.right)];
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return this.valueTargets(e.right);
      return [];
    }
    if (ts.isCallExpression(e) && e.arguments.length === 1 && isGreenFunctionSymbol(this.symbolOf(e.expression), this.checker)) return this.valueTargets(e.arguments[0]!);
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return this.valueTargets(e.expression.expression);
    if (ts.isCallExpression(e)) return this.returnSlots(e);
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const sym = ts.isIdentifier(e) && ts.isShorthandPropertyAssignment(e.parent) ? this.checker.getShorthandAssignmentValueSymbol(e.parent) : this.symbolOf(e);
      return this.targetsOfSymbol(sym).filter((t) => t.how !== 'lib' || this.isSeedLike(t.node));
    }
    return [];
  }

  /** The return slots (keyed by body) of the functions a call can call: what `f(...)` evaluates to. */
  returnSlots(call: tsTypes.CallExpression): Target[] {
    const callee = skipOuter(call.expression);
    const fns = ts.isCallExpression(callee) ? [] : isFunctionExpressionLike(callee) ? [{ node: callee, how: 'fn' as const }] : this.targetsOfSymbol(this.symbolOf(callee));
    const out: Target[] = [];
    for (const t of fns) {
      const body = t.how === 'fn' ? (t.node as { body?: tsTypes.Node }).body : undefined;
      if (body) out.push({ node: body, how: 'slot' });
    }
    return out;
  }

  private isSeedLike(node: tsTypes.Node): boolean { this.noteSeed(node); return this.seeds.has(node); }

  /** value -> slot: the slot suspends when a value that reaches it does. */
  private flowInto(expr: tsTypes.Expression, slot: tsTypes.Node, site: tsTypes.Node): void {
    const values = this.valueTargets(expr);
    for (const v of values) if (v.node !== slot) this.edge(v.node, slot, site);
  }

  private assignment(b: tsTypes.BinaryExpression): void {
    const values = this.valueTargets(b.right);
    if (!values.length) return;
    const lhs = skipOuter(b.left);
    if (!(ts.isIdentifier(lhs) || ts.isPropertyAccessExpression(lhs) || ts.isElementAccessExpression(lhs))) return;
    const sym = this.symbolOf(lhs);
    for (const d of sym?.declarations ?? []) {
      if (d.getSourceFile().isDeclarationFile) {
        this.external.push({ value: b.right, values, slot: d, site: b, kind: 'assignment', get calleeName() { return lhs.getText(); } });
        continue;
      }
      for (const v of values) this.edge(v.node, d, b);
    }
  }

  private objectLiteral(o: tsTypes.ObjectLiteralExpression): void {
    let contextual: tsTypes.Type | undefined;
    let gotContextual = false;
    for (const p of o.properties) {
      if (!(ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p))) continue;
      const values = ts.isMethodDeclaration(p) ? [{ node: p, how: 'fn' as const }]
        : ts.isPropertyAssignment(p) ? this.valueTargets(p.initializer) : this.valueTargets(p.name);
      if (!values.length) continue;
      if (!ts.isMethodDeclaration(p)) for (const v of values) this.edge(v.node, p, p);
      if (!gotContextual) { gotContextual = true; contextual = this.checker.getContextualType(o); }
      const name = propertyNameText(p.name);
      if (!contextual || name === undefined) continue;
      const prop = contextual.getNonNullableType().getProperty(name);
      for (const d of prop?.declarations ?? []) {
        if (d !== p && d.getSourceFile().isDeclarationFile && this.isSeedLike(d)) { for (const v of ts.isMethodDeclaration(p) ? values : values.filter((x) => x.how === 'fn')) this.edge(d, v.node, p); continue; }
        if (d.getSourceFile().isDeclarationFile || d === p) continue;
        const me = ts.isMethodDeclaration(p) ? p : p;
        this.edge(me, d, p); this.edge(d, me, p);
      }
    }
  }

  /** Virtual calls: a member and what it overrides / implements share suspension (both directions). */
  private classFamilies(c: tsTypes.ClassLikeDeclaration): void {
    const bases: tsTypes.Type[] = [];
    for (const h of c.heritageClauses ?? []) for (const t of h.types) {
      const ty = this.checker.getTypeAtLocation(t);
      if (ty) bases.push(ty);
    }
    if (!bases.length) return;
    for (const m of c.members) {
      if (!(ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isMethodSignature(m))) continue;
      // abstract methods (no body) are family members too: they link implementations to interfaces
      const name = m.name && propertyNameText(m.name);
      if (name === undefined) continue;
      if (isStatic(m)) continue;
      for (const b of bases) {
        const prop = b.getProperty(name);
        for (const d of prop?.declarations ?? []) {
          // a dependency's `@suspends` member (its .d.ts): implementations here share its calling convention
          if (d !== m && d.getSourceFile().isDeclarationFile && this.isSeedLike(d)) {
            const init = ts.isPropertyDeclaration(m) && m.initializer ? skipOuter(m.initializer) : undefined;
            this.edge(d, init && isFunctionExpressionLike(init) ? init : m, m);
            continue;
          }
          if (d === m || d.getSourceFile().isDeclarationFile) continue;
          this.edge(m, d, m); this.edge(d, m, m);
          this.pairParameters(m, d);
        }
      }
    }
  }

  /** Arguments that flow to an interface method's parameter also reach the implementation's. */
  private pairParameters(a: tsTypes.Node, b: tsTypes.Node): void {
    const pa = paramsOf(a), pb = paramsOf(b);
    if (!pa || !pb) return;
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) { this.edge(pa[i]!, pb[i]!); this.edge(pb[i]!, pa[i]!); }
  }

  private callSite(call: tsTypes.CallExpression | tsTypes.NewExpression | tsTypes.TaggedTemplateExpression, container: tsTypes.Node): void {
    const callee = skipOuter(ts.isTaggedTemplateExpression(call) ? call.tag : call.expression);
    if (callee.kind === ts.SyntaxKind.SuperKeyword || callee.kind === ts.SyntaxKind.ImportKeyword) return;
    const args = ts.isTaggedTemplateExpression(call) ? [] : call.arguments ?? [];
    let site: CallSite | undefined;
    if (ts.isNewExpression(call)) {
      const sym = this.symbolOf(callee);
      const targets: Target[] = [];
      const s = sym && sym.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(sym) : sym;
      for (const d of s?.declarations ?? []) if (ts.isClassLike(d)) for (const m of d.members) if (ts.isConstructorDeclaration(m) && m.body) targets.push({ node: m, how: 'fn' });
      site = { node: call, container, kind: 'new', targets, unknown: false };
    }
    const calleeSymbol = site ? undefined : this.symbolOf(callee);
    const owner = !site && ts.isPropertyAccessExpression(callee) ? this.libOwner(calleeSymbol) : undefined;
    if (owner !== undefined && ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      if ((name === 'call' || name === 'apply' || name === 'bind') && owner === 'Function') {
        const targets = this.targetsOfSymbol(this.symbolOf(callee.expression));
        site = { node: call, container, kind: name === 'bind' ? 'bind' : 'callApply', method: name, targets, unknown: !targets.length };
      } else if (arrayMethods.has(name) && (owner === 'Array' || owner === 'ReadonlyArray') && args.length) {
        site = { node: call, container, kind: 'array', method: name, targets: this.valueTargets(args[0]!), unknown: false };
      } else if (name === 'forEach' && (owner === 'Map' || owner === 'Set' || owner === 'ReadonlyMap' || owner === 'ReadonlySet') && args.length) {
        site = { node: call, container, kind: 'collection', method: name, targets: this.valueTargets(args[0]!), unknown: false };
      } else if (name === 'from' && owner === 'ArrayConstructor' && args.length >= 2) {
        site = { node: call, container, kind: 'arrayFrom', method: name, targets: this.valueTargets(args[1]!), unknown: false };
      }
    }
    if (!site) {
      const sym = calleeSymbol;
      const targets = [...this.targetsOfSymbol(sym)];
      if (isFunctionExpressionLike(callee)) targets.push({ node: callee, how: 'fn' });
      if (ts.isCallExpression(callee)) targets.push(...this.returnSlots(callee));
      // nothing the analysis can follow (any-typed, a call result, an index signature): checked at run time
      const unknown = !targets.length && !(sym?.declarations?.length && sym.declarations.every((d) => d.getSourceFile().isDeclarationFile || ts.isClassLike(d)));
      site = { node: call, container, kind: ts.isTaggedTemplateExpression(call) ? 'tag' : 'call', targets, unknown };
      if (ts.isCallExpression(call) && isGreenFunctionSymbol(sym, this.checker) && args.length === 1 && isFunctionExpressionLike(skipOuter(args[0]!))) {
        this.markRoot(skipOuter(args[0]!), 'marker');
      }
    }
    this.addCall(site);
    if (args.length && site.kind !== 'array' && site.kind !== 'collection' && site.kind !== 'arrayFrom' && site.kind !== 'bind' && site.kind !== 'callApply') this.argumentFlows(call as tsTypes.CallExpression | tsTypes.NewExpression, args);
  }

  /** The default-library interface declaring a member (`Array`, `Map`, `Function`, ...), or undefined. */
  private libOwner(sym: tsTypes.Symbol | undefined): string | undefined {
    const d = sym?.declarations?.[0];
    if (!d || !d.getSourceFile().isDeclarationFile || !this.program.isSourceFileDefaultLibrary(d.getSourceFile())) return undefined;
    const p = d.parent;
    return p && ts.isInterfaceDeclaration(p) ? (p.name.text === 'CallableFunction' || p.name.text === 'NewableFunction' ? 'Function' : p.name.text) : undefined;
  }

  private argumentFlows(call: tsTypes.CallExpression | tsTypes.NewExpression, args: readonly tsTypes.Expression[]): void {
    let sig: tsTypes.Signature | undefined;
    let resolved = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const inner = skipOuter(arg);
      // the function values the argument (or each element of an array literal) can be
      let valuesPer: (readonly [tsTypes.Expression, Target[]])[] | undefined;
      if (ts.isArrayLiteralExpression(inner)) {
        for (const e of inner.elements) {
          if (ts.isSpreadElement(e)) continue;
          const v = this.valueTargets(e);
          if (v.length) (valuesPer ??= []).push([e, v]);
        }
      } else {
        const v = this.valueTargets(arg);
        if (v.length) valuesPer = [[arg, v]];
      }
      if (!valuesPer) continue;
      if (!resolved) { resolved = true; sig = this.checker.getResolvedSignature(call); }
      const decl = sig?.declaration;
      if (!decl || ts.isJSDocSignature(decl)) continue;
      const param = paramAt(decl, i);
      if (!param) continue;
      const green = isMarked(param, 'green');
      if (green) for (const [e] of valuesPer) { const f = skipOuter(e); if (isFunctionExpressionLike(f)) this.markRoot(f, 'param'); }
      if (decl.getSourceFile().isDeclarationFile) {
        // (the callee's text only when a diagnostic names it)
        if (!green) for (const [e, v] of valuesPer) this.external.push({ value: e, values: v, slot: param, site: call, kind: 'argument', get calleeName() { return calleeText(call); } });
        continue;
      }
      const slots = [param, ...implementationParams(decl, i, this.checker)];
      for (const s of slots) for (const [, vs] of valuesPer) for (const v of vs) if (v.node !== s) this.edge(v.node, s, call);
    }
  }
}

// ---- small syntax helpers -------------------------------------------------------------------

export function skipOuter(e: tsTypes.Expression): tsTypes.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

export function isFunctionExpressionLike(e: tsTypes.Node): e is tsTypes.FunctionExpression | tsTypes.ArrowFunction {
  return ts.isFunctionExpression(e) || ts.isArrowFunction(e);
}

export function isAsync(f: tsTypes.Node): boolean {
  return !!(ts.getCombinedModifierFlags(f as tsTypes.Declaration) & ts.ModifierFlags.Async);
}

export function isStatic(n: tsTypes.Node): boolean {
  return !!(ts.getCombinedModifierFlags(n as tsTypes.Declaration) & ts.ModifierFlags.Static);
}

function isConst(d: tsTypes.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(d.parent) && !!(d.parent.flags & ts.NodeFlags.Const);
}

export function propertyNameText(n: tsTypes.PropertyName | tsTypes.Node): string | undefined {
  if (ts.isIdentifier(n) || ts.isStringLiteralLike(n) || ts.isNumericLiteral(n)) return n.text;
  if (ts.isPrivateIdentifier(n)) return n.text;
  return undefined;
}

function paramsOf(n: tsTypes.Node): readonly tsTypes.ParameterDeclaration[] | undefined {
  if (ts.isMethodDeclaration(n) || ts.isMethodSignature(n) || ts.isFunctionDeclaration(n)) return n.parameters;
  if ((ts.isPropertyDeclaration(n) || ts.isPropertySignature(n)) && n.type && ts.isFunctionTypeNode(n.type)) return n.type.parameters;
  return undefined;
}

/** The parameter that receives argument `i` (a rest parameter takes the ones past its position). */
export function paramAt(decl: tsTypes.SignatureDeclaration, i: number): tsTypes.ParameterDeclaration | undefined {
  const ps = decl.parameters;
  // a `this` parameter (`function f(this: T, cb)`) declares a type, not an argument position
  const first = ps[0];
  if (first && ts.isIdentifier(first.name) && first.name.escapedText === 'this') i++;
  if (i < ps.length) return ps[i];
  const last = ps[ps.length - 1];
  return last && last.dotDotDotToken ? last : undefined;
}

/** For an overload signature, the matching parameter of the implementation. */
function implementationParams(decl: tsTypes.SignatureDeclaration, i: number, checker: tsTypes.TypeChecker): tsTypes.ParameterDeclaration[] {
  if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && !decl.body && decl.name) {
    const sym = checker.getSymbolAtLocation(decl.name);
    for (const d of sym?.declarations ?? []) if ((ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && d.body) { const p = paramAt(d, i); return p ? [p] : []; }
  }
  return [];
}

function calleeText(call: tsTypes.CallExpression | tsTypes.NewExpression): string {
  const t = call.expression.getText();
  return (ts.isNewExpression(call) ? 'new ' : '') + (t.length > 40 ? t.slice(0, 37) + '...' : t);
}

/** The name a function-like is known by: its own, or the variable / property / parameter it is written in. */
export function functionName(f: tsTypes.Node): string {
  const n = (f as { name?: tsTypes.Node }).name;
  if (n) {
    const t = propertyNameText(n);
    if (t !== undefined) return ts.isPrivateIdentifier(n) ? '#' + t.replace(/^#/, '') : t;
    return n.getText();
  }
  if (ts.isConstructorDeclaration(f)) return 'constructor';
  let p: tsTypes.Node = f.parent;
  let e: tsTypes.Node = f;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) { e = p; p = p.parent; }
  if (p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.initializer === e && !ts.isObjectBindingPattern(p.name) && !ts.isArrayBindingPattern(p.name)) {
    const t = propertyNameText(p.name);
    if (t !== undefined) return t;
  }
  if (p && ts.isBinaryExpression(p) && p.right === e) {
    const l = p.left;
    if (ts.isIdentifier(l)) return l.text;
    if (ts.isPropertyAccessExpression(l)) return l.name.text;
  }
  if (p && ts.isExportAssignment(p)) return 'default';
  return '';
}
