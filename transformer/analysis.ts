// The suspension analysis: once per ts.Program. Seeds are `@suspends` declarations and `@green`
// parameters; a worklist over the reverse call graph (callgraph.ts) marks every function, slot and
// virtual-call family that can reach one. Linear in the size of the graph: each node is marked once
// and each edge followed once. Then every call site is classified (what to emit, rewrite.ts) or
// reported (diagnostics.ts). Roots (`@green`, functions passed to `@green` parameters) are green
// context of their own: calling one starts a thread, so suspension does not propagate through them.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import { CallGraph, CallSite, FnInfo, FnLike, Target, skipOuter, functionName, isAsync } from './callgraph.js';
import { Code, GreenError, toDiagnostic } from './diagnostics.js';
import { stressColoring, stressPauses } from './stress.js';
import { plainFirstShapes, type PlainShape } from './plain-first.js';

export interface GreenOptions {
  /** The module emitted code imports the runtime's internal entry from. */
  runtimeModule?: string;
  /** Stress mode (transformer/stress.ts): color every function that can be a body and pause before every call in bodies. Only `true` turns it on. */
  stress?: boolean;
}

export type PlanKind = 'body' | 'dyn' | 'callApply' | 'callApplyDyn' | 'bind' | 'array' | 'collection' | 'arrayFrom' | 'await' | 'inline';

/** What to emit for one call-like node inside a rewritten body. */
export interface Plan { kind: PlanKind; site: CallSite; target?: Target }

export class Analysis {
  readonly graph: CallGraph;
  readonly suspends = new Set<tsTypes.Node>();
  readonly via = new Map<tsTypes.Node, { from: tsTypes.Node; site?: tsTypes.Node }>();
  /** Function-likes emitted as generators. */
  readonly rewrite = new Map<tsTypes.Node, FnInfo>();
  readonly plans = new Map<tsTypes.Node, Plan>();
  /** Stress mode: the calls preceded by `(yield __g.pause(), ...)`, with the body they are in. */
  readonly pauses = new Map<tsTypes.Node, tsTypes.Node>();
  /** Rewritten functions lowered plain-first (plain-first.ts), with their shapes; the others are generators. */
  readonly plainFirst: ReadonlyMap<tsTypes.Node, PlainShape>;
  /** Nodes an emit must visit: ancestors of everything that changes. Everything else is emitted as tsc would. */
  readonly dirty = new Set<tsTypes.Node>();
  readonly diagnostics: tsTypes.Diagnostic[] = [];
  readonly root: string;
  private readonly reported = new Set<tsTypes.Node>();

  constructor(readonly program: tsTypes.Program, readonly options: GreenOptions = {}) {
    const cfg = program.getCompilerOptions().configFilePath as string | undefined;
    this.root = (cfg ? dirname(cfg) : program.getCurrentDirectory()).replace(/\\/g, '/');
    this.graph = new CallGraph(program);
    for (const { error, node } of this.graph.errors) this.diagnostics.push(toDiagnostic(error, node));
    this.guard(undefined, () => this.propagate());
    const stress = options.stress === true;
    if (stress) this.guard(undefined, () => this.propagate(stressColoring(this.graph, this.rewrite)));
    for (const site of this.graph.calls) this.guard(site.node, () => this.classify(site));
    if (stress) this.guard(undefined, () => stressPauses(this.graph, this.rewrite, this.pauses));
    for (const f of this.graph.fns.values()) this.guard(f.node, () => this.checkFunction(f));
    for (const x of this.graph.external) this.guard(x.site, () => this.checkEscape(x));
    for (const { node, container } of this.graph.forAwaits) {
      if (this.rewrite.has(container)) this.report(Code.Unsupported, node,
        `'for await' cannot be used in green code ('${this.graph.fns.get(container)?.name || '<anonymous>'}' is rewritten into a generator). Iterate the async iterable by hand: 'for (let r = wait(it.next()); !r.done; r = wait(it.next())) { ... }'.`);
    }
    this.plainFirst = this.guard(undefined, () => plainFirstShapes(this)) ?? new Map();
    for (const n of this.plans.keys()) this.markDirty(n);
    for (const n of this.pauses.keys()) this.markDirty(n);
    for (const n of this.rewrite.keys()) this.markDirty(n);
  }

  /** Run `f`; any exception becomes a diagnostic naming the node (the compiler never crashes). */
  guard<T>(node: tsTypes.Node | undefined, f: () => T): T | undefined {
    try { return f(); } catch (e) { this.diagnostics.push(toDiagnostic(e, node)); return undefined; }
  }

  isRoot(n: tsTypes.Node): boolean { return !!this.graph.fns.get(n)?.root; }

  /** The target is a function that suspends when called (not a root: calling a root starts a thread). */
  suspendingTarget(t: Target): boolean { return this.suspends.has(t.node) && !this.isRoot(t.node); }

  /** The body of `f` is green context: it is emitted as a generator. */
  isGreenContainer(n: tsTypes.Node): boolean { return this.rewrite.has(n); }

  /** From the seeds; or, in stress mode, on from the functions stress coloring adds (treated as if each called a suspension point). */
  private propagate(colored?: readonly tsTypes.Node[]): void {
    const { graph } = this;
    const queue: tsTypes.Node[] = [];
    if (colored) for (const n of colored) { this.suspends.add(n); this.rewrite.set(n, graph.fns.get(n)!); queue.push(n); }
    else {
      for (const s of graph.seeds.keys()) { this.suspends.add(s); queue.push(s); }
      for (const f of graph.fns.values()) if (f.root && !f.bad) this.rewrite.set(f.node, f);
    }
    for (let i = 0; i < queue.length; i++) {
      const x = queue[i]!;
      if (this.isRoot(x)) continue;
      for (const e of graph.rev.get(x) ?? []) {
        const y = e.to;
        if (this.suspends.has(y)) continue;
        const info = graph.fns.get(y);
        if (info) {
          if (info.bad) continue;
          this.suspends.add(y); this.via.set(y, { from: x, site: e.site });
          this.rewrite.set(y, info);
          if (!info.root) queue.push(y);
          continue;
        }
        if (ts.isSourceFile(y) || ts.isClassStaticBlockDeclaration(y) || graph.initializers.has(y)) continue;
        this.suspends.add(y); this.via.set(y, { from: x, site: e.site });
        queue.push(y);
      }
    }
  }

  private plan(site: CallSite, kind: PlanKind, target?: Target): void {
    this.plans.set(site.node, { kind, site, target });
  }

  private classify(site: CallSite): void {
    const { graph } = this;
    const green = this.isGreenContainer(site.container);
    if (site.kind === 'await') {
      if (!green || !this.isRoot(site.container)) return;
      const operand = skipOuter((site.node as tsTypes.AwaitExpression).expression);
      const inner = graph.callOf.get(operand);
      if (inner && inner.kind === 'call' && inner.targets.some((t) => this.isRoot(t.node) && t.how === 'fn')) {
        this.plan(site, 'inline', inner.targets.find((t) => this.isRoot(t.node)));
        this.skipInner.add(operand);
      } else this.plan(site, 'await');
      return;
    }
    if (this.skipInner.has(site.node)) return;
    const known = site.targets.some((t) => this.suspendingTarget(t));
    if (site.kind === 'bind') { if (known) this.plan(site, 'bind'); return; }
    if (site.kind === 'new') return; // a suspending constructor is reported at the constructor
    if (!green) {
      if (known) this.reportNonGreen(site);
      return;
    }
    const userSlot = site.unknown || site.targets.some((t) => t.how === 'slot' || t.how === 'sig');
    switch (site.kind) {
      case 'call': case 'tag': {
        if (site.kind === 'call' && known) {
          const wait = site.targets.find((t) => t.how === 'lib' && isRuntimeWait(t.node));
          const call = site.node as tsTypes.CallExpression;
          if (wait && call.arguments.length === 1) {
            const inner = graph.callOf.get(skipOuter(call.arguments[0]!));
            const rootTarget = inner && inner.kind === 'call' ? inner.targets.find((t) => t.how === 'fn' && this.isRoot(t.node)) : undefined;
            if (rootTarget) { this.plan(site, 'inline', rootTarget); this.skipInner.add(inner!.node); this.plans.delete(inner!.node); return; }
          }
        }
        if (known) this.plan(site, userSlot ? 'dyn' : 'body', site.targets.find((t) => this.suspendingTarget(t)));
        else if (userSlot) this.plan(site, 'dyn');
        return;
      }
      case 'callApply':
        if (known) this.plan(site, userSlot ? 'callApplyDyn' : 'callApply', site.targets.find((t) => this.suspendingTarget(t)));
        else if (userSlot) this.plan(site, 'callApplyDyn');
        return;
      case 'array': case 'collection': case 'arrayFrom':
        if (known) this.plan(site, site.kind);
        return;
    }
  }
  private readonly skipInner = new Set<tsTypes.Node>();

  // ---- diagnostics ------------------------------------------------------------------------------

  private report(code: Code, node: tsTypes.Node, message: string): void {
    if (this.reported.has(node)) return;
    this.reported.add(node);
    this.diagnostics.push(toDiagnostic(new GreenError(code, node, message)));
  }

  /** `a (src/x.ts:3) -> b (src/y.ts:9) -> sleep [@suspends]`: why a target suspends, shortest first. */
  chain(start: tsTypes.Node): string {
    const parts: string[] = [];
    const seen = new Set<tsTypes.Node>();
    for (let n: tsTypes.Node | undefined = start; n && !seen.has(n) && parts.length < 12; n = this.via.get(n)?.from) {
      seen.add(n);
      parts.push(this.describe(n));
    }
    return parts.join(' -> ');
  }

  describe(n: tsTypes.Node): string {
    const seed = this.graph.seeds.get(n);
    const name = ts.isParameter(n) ? `parameter '${n.name.getText()}'` : displayName(n);
    if (seed) return `${name} [${seed}]`;
    return `${name} (${this.where(n)})`;
  }

  where(n: tsTypes.Node): string {
    const sf = n.getSourceFile();
    const { line } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
    return `${this.relative(sf.fileName)}:${line + 1}`;
  }

  relative(fileName: string): string {
    const f = fileName.replace(/\\/g, '/');
    return f.startsWith(this.root + '/') ? f.slice(this.root.length + 1) : f;
  }

  private calleeDescription(site: CallSite): string {
    const t = site.targets.find((x) => this.suspendingTarget(x));
    return t ? this.chain(t.node) : '?';
  }

  private reportNonGreen(site: CallSite): void {
    const c = site.container;
    const info = this.graph.fns.get(c);
    const what = site.kind === 'array' || site.kind === 'collection' || site.kind === 'arrayFrom' ? `'${site.method}' with a suspending callback` : `'${calleeName(site)}'`;
    const chain = this.calleeDescription(site);
    if (info?.bad === 'ctor') return this.report(Code.SuspendingConstructor, site.node,
      `A constructor cannot suspend: it calls ${what}, which suspends (${chain}). Move the suspending work into a static factory method (e.g. 'static create(...)') that constructs and then initialises.`);
    if (info?.bad === 'accessor') return this.report(Code.SuspendingAccessor, site.node,
      `A ${ts.isGetAccessor(c) ? 'getter' : 'setter'} cannot suspend: it calls ${what}, which suspends (${chain}). Turn '${info.name}' into a method.`);
    if (info?.bad === 'async' || info?.bad === 'generator') return this.report(Code.SuspendInAsyncOrGenerator, site.node,
      `Suspending call ${what} (${chain}) inside ${info.bad === 'async' ? `the plain async function '${info.name || '<anonymous>'}'` : `the generator '${info.name || '<anonymous>'}'`}. Wrap it as 'await run(() => ...)' / 'wait(...)', or mark '${info.name || 'the function'}' @green${info.bad === 'async' ? '' : ' (and make it a plain function)'}.`);
    if (c.parent && ts.isDecorator(c.parent) && this.graph.initializers.has(c)) return this.report(Code.SuspendingInitializer, site.node,
      `A decorator expression cannot suspend: it calls ${what}, which suspends (${chain}). Compute the value before the class and pass a constant.`);
    if (c.parent && ts.isEnumMember(c.parent) && this.graph.initializers.has(c)) return this.report(Code.SuspendingInitializer, site.node,
      `An enum member initializer cannot suspend: it calls ${what}, which suspends (${chain}). Compute the value before the enum and use a constant, or use an object instead of an enum.`);
    if (ts.isClassStaticBlockDeclaration(c) || this.graph.initializers.has(c)) return this.report(Code.SuspendingInitializer, site.node,
      `A ${ts.isClassStaticBlockDeclaration(c) ? 'static block' : 'class field initializer'} cannot suspend: it calls ${what}, which suspends (${chain}). Initialise it from a method or a static factory instead.`);
    return this.report(Code.NonGreenCall, site.node,
      `Suspending call ${what} from non-green code (${chain}). Call it inside 'run(() => ...)', or from a function marked @green.`);
  }

  private checkFunction(f: FnInfo): void {
    if (f.root !== 'green' || isAsync(f.node)) return;
    if (ts.isConstructorDeclaration(f.node) || ts.isGetAccessor(f.node) || ts.isSetAccessor(f.node)) {
      this.report(Code.GreenNotAsync, f.node.name ?? f.node, `@green cannot mark a ${ts.isConstructorDeclaration(f.node) ? 'constructor' : 'getter or setter'}.`);
      return;
    }
    const checker = this.graph.checker;
    const sig = checker.getSignatureFromDeclaration(f.node);
    const ret = sig && checker.getReturnTypeOfSignature(sig);
    if (ret && (ret.flags & (ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Undefined) || isPromiseType(ret, checker))) return;
    this.report(Code.GreenNotAsync, (f.node as { name?: tsTypes.Node }).name ?? f.node,
      `The @green function '${f.name || '<anonymous>'}' returns '${ret ? checker.typeToString(ret) : '?'}': a @green entry point returns a Promise. Declare it 'async' (or return Promise<T> / void).`);
  }

  private checkEscape(x: import('./callgraph.js').ExternalFlow): void {
    const v = x.values.find((t) => this.suspendingTarget(t));
    if (!v) return;
    if (x.kind === 'argument') this.report(Code.CallbackToLibrary, x.value,
      `A suspending function is passed to '${x.calleeName}', which green-ts cannot rewrite (${this.chain(v.node)}). Pass a plain function that starts a thread instead: '() => run(() => ...)', or mark the callback @green.`);
    else this.report(Code.Escape, x.value,
      `A suspending function escapes into '${x.calleeName}', typed outside the program, which cannot run it (${this.chain(v.node)}). Store a function that starts a thread instead: '() => run(() => ...)', or mark it @green.`);
  }

  private markDirty(n: tsTypes.Node | undefined): void {
    while (n && !this.dirty.has(n)) { this.dirty.add(n); n = n.parent; }
  }
}

function dirname(p: string): string { const i = p.replace(/\\/g, '/').lastIndexOf('/'); return i < 0 ? '.' : p.slice(0, i); }

function isPromiseType(t: tsTypes.Type, checker: tsTypes.TypeChecker): boolean {
  if (t.isUnion()) return t.types.every((u) => isPromiseType(u, checker) || !!(u.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)));
  const s = t.getSymbol();
  return !!s && (s.getName() === 'Promise' || s.getName() === 'PromiseLike');
}

function isRuntimeWait(d: tsTypes.Node): boolean {
  return ts.isFunctionDeclaration(d) && d.name?.text === 'wait';
}

function calleeName(site: CallSite): string {
  const n = site.node;
  const e = ts.isTaggedTemplateExpression(n) ? n.tag : ts.isAwaitExpression(n) ? n.expression : n.expression;
  const t = e.getText();
  return t.length > 40 ? t.slice(0, 37) + '...' : t;
}

export function displayName(n: tsTypes.Node): string {
  if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isAccessor(n) || ts.isMethodSignature(n)) {
    let name = functionName(n) || '<anonymous>';
    const cls = n.parent;
    if ((ts.isMethodDeclaration(n) || ts.isMethodSignature(n) || ts.isConstructorDeclaration(n) || ts.isAccessor(n)) && cls && (ts.isClassLike(cls) || ts.isInterfaceDeclaration(cls)) && cls.name) name = `${cls.name.text}.${name}`;
    return name;
  }
  const name = (n as { name?: tsTypes.Node }).name;
  if (name && (ts.isPropertyDeclaration(n) || ts.isPropertySignature(n)) && ts.isClassLike(n.parent) || ts.isInterfaceDeclaration(n.parent)) {
    const cls = (n.parent as tsTypes.ClassLikeDeclaration).name;
    return `${cls ? cls.text + '.' : ''}${name?.getText() ?? ''}`;
  }
  return name ? name.getText() : ts.SyntaxKind[n.kind];
}

export type { FnLike };
