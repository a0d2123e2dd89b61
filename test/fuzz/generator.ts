// Csmith-style generator of random, well-typed TypeScript programs for differential testing of the
// green-ts transformer (issue 8). Each program imports `sleep`, `wait` and `yieldNow` from "green-ts",
// mixes the constructs of DESIGN.md "Rewriting" with suspension points sprinkled in, and has a
// `/** @green *\/ async function main()` entry that prints a deterministic trace with console.log.
//
// The same program must print the same thing
//   (a) compiled by plain tsc, "green-ts" resolving to synchronous stand-ins (./standins.ts), and
//   (b) compiled with the transformer and run on the real runtime.
// So the generator keeps to programs whose output does not depend on how suspension is done:
// - one green thread (no spawn/all/race), so nothing interleaves;
// - `wait` only on values the stand-in can unwrap synchronously: `ready(x)` (a resolved promise
//   tagged with its value), `thenable(x)` (a thenable that calls back at once, tagged), `failed(m)`
//   (a rejected promise, tagged, its rejection handled) or a plain value;
// - no observable side effects in sort comparators (their call order is implementation-defined);
// - no suspension where green-ts rejects it (constructors, accessors, field initialisers, callbacks
//   to builtins other than the array methods of DESIGN.md, plain async functions, generators);
// - bounded work: every loop has a constant bound, recursion a bounded depth, arrays at most 5
//   elements, and a cost budget bounds the trace of every function (so of main).
//
// Reproducible: `generateProgram(seed, index)` depends only on its arguments.

import { Rng, mixSeed } from './rng.js';

export type Ty = 'num' | 'str' | 'arr' | 'bool' | 'shape' | 'opts';
type Ret = Ty | 'void';

const TS_TYPE: Record<Ty, string> = {
  num: 'number',
  str: 'string',
  arr: 'number[]',
  bool: 'boolean',
  shape: 'Shape',
  opts: '{ a: number; b?: number }',
};

/** Knobs, mostly for experiments and the minimiser. */
export interface GenOptions {
  /** Number of ordinary functions (default: 4..9, random). */
  functions?: number;
  /** Cost budget (trace lines, roughly) of one function and of main. */
  fnBudget?: number;
  mainBudget?: number;
  /** Maximum expression nesting (default 2). */
  exprDepth?: number;
  /** Feature switches (all on by default). */
  classes?: boolean;
  arrowFields?: boolean;
  hofs?: boolean;
  recursion?: boolean;
  namespaces?: boolean;
  awaitInMain?: boolean;
  greenHelpers?: boolean;
}

interface Var {
  /** How to reference it (a name, or `this.size`). */
  ref: string;
  ty: Ty;
  mutable: boolean;
}

interface FnVar {
  ref: string;
  /** Callable as (n: number) => number; `maybe`: the type includes undefined (call with `?.()`). */
  maybe: boolean;
  cost: number;
}

interface Callable {
  /** The callee expression. */
  callee: string;
  params: Ty[];
  /** A trailing `...xs: number[]` rest parameter. */
  rest?: boolean;
  /** Parameters with defaults (may be omitted by callers): the last `optional` of params. */
  optional?: number;
  ret: Ret;
  cost: number;
  /** No output and no suspension: callable where suspension is not allowed. */
  pure: boolean;
  /** A plain function declaration (so `.call`/`.apply`/`.bind` and references are fine). */
  plainDecl?: boolean;
  /** `@green async function`: call with `await` / `wait(...)` only. */
  asyncEntry?: boolean;
}

interface Budget {
  used: number;
  max: number;
}

class Ctx {
  vars: Var[] = [];
  fnVars: FnVar[] = [];
  labels: string[] = [];
  /** Inside a loop (break/continue allowed). */
  loop = false;
  /** Inside a switch (break allowed). */
  breakable = false;
  ret: Ret | undefined;
  mult = 1;
  noSuspend = false;
  noLog = false;
  /** Inside a function declaration or method (so `arguments` is that function's). */
  hasArguments = false;
  inMain = false;
  /** Inside a loop body of a plain function declared in a loop: avoid capturing loop vars oddly (unused). */
  depth = 0;
  constructor(readonly budget: Budget, readonly fnName: string) {}

  child(): Ctx {
    const c = new Ctx(this.budget, this.fnName);
    c.vars = [...this.vars];
    c.fnVars = [...this.fnVars];
    c.labels = [...this.labels];
    c.loop = this.loop;
    c.breakable = this.breakable;
    c.ret = this.ret;
    c.mult = this.mult;
    c.noSuspend = this.noSuspend;
    c.noLog = this.noLog;
    c.hasArguments = this.hasArguments;
    c.inMain = this.inMain;
    c.depth = this.depth + 1;
    return c;
  }

  /** Charge `cost` (times the current multiplier); false when over budget. */
  afford(cost: number): boolean {
    const c = cost * this.mult;
    if (this.budget.used + c > this.budget.max) return false;
    this.budget.used += c;
    return true;
  }
}

const PRELUDE = `import { sleep, wait, yieldNow, timeout } from "green-ts";

// ---- fuzz prelude: deterministic trace and values the synchronous stand-ins can unwrap ----
function log(...xs: unknown[]): void {
  console.log(xs.map((x) => (typeof x === "string" ? x : JSON.stringify(x))).join(" "));
}
function msg(e: unknown): string {
  return e instanceof Error ? e.message : "thrown " + String(e);
}
function ready<T>(x: T): Promise<T> {
  const p = Promise.resolve(x);
  (p as any).__fuzzReady = { value: x };
  return p;
}
function thenable<T>(x: T): PromiseLike<T> {
  const t: any = { then(ok: (v: T) => unknown) { ok(x); return t; } };
  t.__fuzzReady = { value: x };
  return t;
}
function failed(m: string): Promise<number> {
  const e = new Error(m);
  const p = Promise.reject(e);
  p.catch(() => undefined);
  (p as any).__fuzzReady = { error: e };
  return p;
}
function opt(c: boolean, v: number): number | undefined {
  return c ? undefined : v;
}
// ---- end of fuzz prelude ----
`;

export interface GeneratedProgram {
  seed: number;
  index: number;
  source: string;
}

/** Program `index` of the run with seed `seed`. */
export function generateProgram(seed: number, index: number, options: GenOptions = {}): GeneratedProgram {
  const g = new Gen(new Rng(mixSeed(seed, index)), options);
  return { seed, index, source: g.program(seed, index) };
}

class Gen {
  private out: string[] = [];
  private callables: Callable[] = [];
  private uid = 0;
  private hasShapes = false;
  private hasBox = false;
  private hasTag = false;
  private hofs: { twice?: boolean; each?: boolean; retry?: boolean; compose?: boolean; sumAll?: boolean } = {};
  private hasRec = false;
  private hasApply1 = false;
  private hasNamespace = false;
  private hasEven = false;
  private hasDeep = false;
  private greenHelpers: string[] = [];

  private readonly maxDepth: number;
  constructor(private readonly r: Rng, private readonly o: GenOptions) {
    this.maxDepth = o.exprDepth ?? 2;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.uid++}`;
  }

  private emit(line: string, depth = 0): void {
    this.out.push('  '.repeat(depth) + line);
  }

  program(seed: number, index: number): string {
    this.out = [];
    this.emit(`// green-ts fuzz program: seed ${seed}, index ${index}`);
    this.out.push(PRELUDE);
    this.pureHelpers();
    if (this.o.classes !== false && this.r.chance(0.75)) this.shapes();
    if (this.o.classes !== false && this.r.chance(0.4)) this.box();
    if (this.o.hofs !== false) this.higherOrder();
    if (this.o.recursion !== false) this.recursion();
    if (this.o.namespaces !== false && this.r.chance(0.3)) this.namespace();
    if (this.r.chance(0.3)) this.tag();
    if (this.o.greenHelpers !== false && this.o.awaitInMain !== false && this.r.chance(0.35)) this.greenHelper();
    const n = this.o.functions ?? this.r.int(3, 7);
    for (let i = 0; i < n; i++) this.function(`f${i}`);
    this.main();
    this.emit('');
    this.emit('export const done = main().then(() => log("end"), (e: unknown) => log("main threw", msg(e)));');
    return this.out.join('\n') + '\n';
  }

  // ---- fixed pieces with random bodies --------------------------------------------------------

  private pureHelpers(): void {
    const k = this.r.int(1, 2);
    for (let i = 0; i < k; i++) {
      const name = `p${i}`;
      const a = this.r.int(2, 7);
      const m = this.r.pick([7, 11, 13, 17, 97]);
      this.emit(`function ${name}(a: number, b: number): number {`);
      this.emit(`return (a * ${a} + b) % ${m};`, 1);
      this.emit('}');
      this.callables.push({ callee: name, params: ['num', 'num'], ret: 'num', cost: 0, pure: true, plainDecl: true });
    }
  }

  /** An interface, an abstract base with a template method, subclasses, an object literal. */
  private shapes(): void {
    // method bodies must not call shape methods themselves (unbounded recursion): hasShapes is set at the end
    const arrowField = this.o.arrowFields !== false && this.r.chance(0.3);
    this.emit('');
    this.emit('interface Shape {');
    this.emit('area(k: number): number;', 1);
    this.emit('label(): string;', 1);
    this.emit('}');
    this.emit('abstract class Base implements Shape {');
    this.emit('constructor(protected size: number) {}', 1);
    this.emit('abstract area(k: number): number;', 1);
    this.emit('kind(): string {', 1);
    this.body(this.methodCtx('Base.kind', 'str', 12), 2, true);
    this.emit('}', 1);
    this.emit('label(): string {', 1);
    {
      const ctx = this.methodCtx('Base.label', 'str', 30);
      this.emit('log("Base.label", this.size);', 2);
      this.body(ctx, 2, false, this.r.int(0, 2));
      this.emit('return `${this.kind()}:${this.area(this.size % 3)}`;', 2);
    }
    this.emit('}', 1);
    this.emit('static create(n: number): Base {', 1);
    if (this.r.chance(0.5)) this.emit(this.r.pick(['sleep(0);', 'yieldNow();', 'wait(ready(n));']), 2);
    this.emit('return n % 3 === 0 ? new Circ(n) : new Sq(n);', 2);
    this.emit('}', 1);
    this.emit('}');
    // Sq: overrides kind with super.kind()
    this.emit('class Sq extends Base {');
    if (arrowField) {
      this.emit('scaled = (k: number): number => this.area(k) * 2;', 1);
    }
    this.emit('area(k: number): number {', 1);
    {
      const ctx = this.methodCtx('Sq.area', 'num', 25);
      ctx.vars.push({ ref: 'k', ty: 'num', mutable: true });
      this.emit('log("Sq.area", this.size, k);', 2);
      this.body(ctx, 2, true);
    }
    this.emit('}', 1);
    this.emit('override kind(): string {', 1);
    this.emit(this.r.chance(0.5) ? `return "sq/" + super.kind();` : `return [1].map(() => "sq/" + super.kind()).join("");`, 2);
    this.emit('}', 1);
    this.emit('get double(): number {', 1);
    this.emit('return this.size * 2;', 2);
    this.emit('}', 1);
    this.emit('}');
    // Circ: a private method, an override of the template method calling super
    this.emit('class Circ extends Base {');
    this.emit('#r(k: number): number {', 1);
    {
      const ctx = this.methodCtx('Circ.#r', 'num', 15);
      ctx.vars.push({ ref: 'k', ty: 'num', mutable: false });
      this.body(ctx, 2, true);
    }
    this.emit('}', 1);
    this.emit('area(k: number): number {', 1);
    this.emit('log("Circ.area", this.size, k);', 2);
    if (this.r.chance(0.5)) this.emit('yieldNow();', 2);
    this.emit('return this.#r(k) + this.size;', 2);
    this.emit('}', 1);
    this.emit('override label(): string {', 1);
    this.emit('return "C(" + super.label() + ")";', 2);
    this.emit('}', 1);
    this.emit('}');
    // an object literal implementing the interface
    this.emit('function lit(n: number): Shape {');
    this.emit('return {', 1);
    this.emit('area(k: number): number {', 2);
    {
      const ctx = this.methodCtx('lit.area', 'num', 15);
      ctx.vars.push({ ref: 'k', ty: 'num', mutable: false }, { ref: 'n', ty: 'num', mutable: false });
      this.emit('log("lit.area", n, k);', 3);
      this.body(ctx, 3, true);
    }
    this.emit('},', 2);
    this.emit('label(): string {', 2);
    this.emit(`return "lit" + ${this.r.pick(['this.area(1)', 'n', 'wait(ready(n))'])};`, 3);
    this.emit('},', 2);
    this.emit('};', 1);
    this.emit('}');
    if (this.r.chance(0.3)) {
      this.emit('const Tri = class extends Base {');
      this.emit('area(k: number): number {', 1);
      const ctx = this.methodCtx('Tri.area', 'num', 15);
      ctx.vars.push({ ref: 'k', ty: 'num', mutable: false });
      this.emit('log("Tri.area", this.size, k);', 2);
      this.body(ctx, 2, true);
      this.emit('}', 1);
      this.emit('};');
      this.shapeMakers.push('new Tri(%)');
    }
    if (arrowField) this.sqScaled = true;
    this.hasShapes = true;
  }
  private shapeMakers: string[] = ['new Sq(%)', 'new Circ(%)', 'lit(%)', 'Base.create(%)'];
  private sqScaled = false;

  private methodCtx(name: string, ret: Ret, max: number): Ctx {
    const ctx = new Ctx({ used: 0, max: Math.min(max, 8) }, name);
    ctx.ret = ret;
    ctx.hasArguments = true;
    if (!name.startsWith('lit.')) ctx.vars.push({ ref: 'this.size', ty: 'num', mutable: false });
    return ctx;
  }

  private box(): void {
    this.hasBox = true;
    this.emit('');
    this.emit('class Box<T> {');
    this.emit('constructor(readonly v: T) {}', 1);
    this.emit(`map<U>(${this.greenMark()}f: (v: T) => U): Box<U> {`, 1);
    this.emit('log("Box.map");', 2);
    this.emit('return new Box(f(this.v));', 2);
    this.emit('}', 1);
    this.emit('get(): T {', 1);
    this.emit('return this.v;', 2);
    this.emit('}', 1);
    this.emit('}');
  }

  private greenMark(): string {
    return this.r.chance(0.5) ? '/** @green */ ' : '';
  }

  private higherOrder(): void {
    this.emit('');
    if (this.r.chance(0.7)) {
      this.hofs.twice = true;
      this.emit(`function twice(${this.greenMark()}f: (n: number) => number, x: number): number {`);
      this.emit('log("twice", x);', 1);
      this.emit('return f(f(x));', 1);
      this.emit('}');
    }
    if (this.r.chance(0.6)) {
      this.hofs.each = true;
      this.emit(`function each(xs: number[], ${this.greenMark()}f: (v: number, i: number) => void): void {`);
      this.emit('for (let i = 0; i < xs.length; i++) {', 1);
      if (this.r.chance(0.3)) this.emit('if (i === 3) break;', 2);
      this.emit('f(xs[i]!, i);', 2);
      this.emit('}', 1);
      this.emit('}');
    }
    if (this.r.chance(0.5)) {
      this.hofs.retry = true;
      this.emit(`function retry(n: number, ${this.greenMark()}f: (attempt: number) => number): number {`);
      this.emit('let a = 0;', 1);
      this.emit('for (;;) {', 1);
      this.emit('try {', 2);
      this.emit('return f(a);', 3);
      this.emit('} catch (e) {', 2);
      this.emit('log("retry", a, msg(e));', 3);
      this.emit('if (++a >= n) throw e;', 3);
      if (this.r.chance(0.5)) this.emit('sleep(0);', 3);
      this.emit('}', 2);
      this.emit('}', 1);
      this.emit('}');
    }
    if (this.r.chance(0.4)) {
      this.hasApply1 = true;
      this.emit(`function apply1<T>(x: T, ${this.greenMark()}f: (t: T) => T): T {`);
      this.emit('log("apply1");', 1);
      this.emit('return f(x);', 1);
      this.emit('}');
    }
    if (this.r.chance(0.5)) {
      this.hofs.compose = true;
      this.emit('function compose(f: (n: number) => number, g: (n: number) => number): (n: number) => number {');
      this.emit('return (x: number) => f(g(x));', 1);
      this.emit('}');
    }
    if (this.r.chance(0.5)) {
      this.hofs.sumAll = true;
      const susp = this.r.chance(0.6);
      this.emit('function sumAll(...xs: number[]): number {');
      this.emit('log("sumAll", xs.length);', 1);
      if (susp) this.emit('sleep(0);', 1);
      this.emit(`return xs.reduce((a, b) => a + ${susp && this.r.chance(0.5) ? 'wait(b)' : 'b'}, 0);`, 1);
      this.emit('}');
      this.callables.push({ callee: 'sumAll', params: [], rest: true, ret: 'num', cost: 1, pure: false, plainDecl: true });
    }
  }

  private recursion(): void {
    if (this.r.chance(0.6)) {
      this.hasRec = true;
      this.emit('');
      this.emit('function rec(n: number): number {');
      this.emit('log("rec", n);', 1);
      this.emit('if (!(n > 0)) {', 1);
      if (this.r.chance(0.6)) this.emit(this.r.pick(['sleep(0);', 'yieldNow();']), 2);
      this.emit('return 1;', 2);
      this.emit('}', 1);
      if (this.r.chance(0.3)) this.emit('if (n === 4) throw new Error("rec4");', 1);
      this.emit(`return ${this.r.pick(['n + rec(n - 1)', 'rec(n - 1) * 2', 'wait(ready(n)) + rec(n - 1)'])};`, 1);
      this.emit('}');
    }
    if (this.r.chance(0.4)) {
      this.hasEven = true;
      this.emit('');
      this.emit('function isEven(n: number): boolean {');
      this.emit('if (!(n > 0)) return true;', 1);
      if (this.r.chance(0.7)) this.emit('sleep(0);', 1);
      this.emit('return isOdd(n - 1);', 1);
      this.emit('}');
      this.emit('function isOdd(n: number): boolean {');
      this.emit('if (!(n > 0)) return false;', 1);
      this.emit('return isEven(n - 1);', 1);
      this.emit('}');
    }
    if (this.r.chance(0.25)) {
      this.hasDeep = true;
      this.emit('');
      this.emit('function deep(n: number): number {');
      this.emit('if (!(n > 0)) {', 1);
      this.emit('yieldNow();', 2);
      this.emit('return 0;', 2);
      this.emit('}', 1);
      this.emit('return 1 + deep(n - 1);', 1);
      this.emit('}');
    }
  }

  private namespace(): void {
    this.hasNamespace = true;
    this.emit('');
    this.emit('namespace Util {');
    this.emit('export function bump(x: number): number {', 1);
    const ctx = new Ctx({ used: 0, max: 10 }, 'Util.bump');
    ctx.ret = 'num';
    ctx.hasArguments = true;
    ctx.vars.push({ ref: 'x', ty: 'num', mutable: true });
    this.emit('log("Util.bump", x);', 2);
    this.body(ctx, 2, true);
    this.emit('}', 1);
    this.emit('export const enum Mode { A = 1, B = 2 }', 1);
    this.emit('}');
    this.callables.push({ callee: 'Util.bump', params: ['num'], ret: 'num', cost: ctx.budget.used + 1, pure: false });
  }

  private tag(): void {
    this.hasTag = true;
    this.emit('');
    this.emit('function tg(parts: TemplateStringsArray, ...vals: number[]): string {');
    this.emit('log("tg", parts.length, vals);', 1);
    if (this.r.chance(0.7)) this.emit(this.r.pick(['sleep(0);', 'yieldNow();', 'wait(ready(0));']), 1);
    this.emit('return parts.join("_") + vals.join("+");', 1);
    this.emit('}');
  }

  /** A second `@green async` function, called from main with `await` or `wait(...)` (run inline). */
  private greenHelper(): void {
    const name = 'helper';
    this.emit('');
    this.emit('/** @green */');
    this.emit(`async function ${name}(n: number): Promise<number> {`);
    const ctx = new Ctx({ used: 0, max: 25 }, name);
    ctx.ret = 'num';
    ctx.hasArguments = true;
    ctx.vars.push({ ref: 'n', ty: 'num', mutable: true });
    this.emit(`log("${name}", n);`, 1);
    if (this.o.awaitInMain !== false && this.r.chance(0.5)) this.emit('n += await ready(1);', 1);
    this.body(ctx, 1, true);
    this.emit('}');
    this.greenHelpers.push(name);
  }

  // ---- ordinary functions --------------------------------------------------------------------

  private function(name: string): void {
    const style = this.r.weighted<'decl' | 'arrow' | 'expr' | 'opts' | 'default'>([
      [5, 'decl'],
      [2, 'arrow'],
      [1, 'expr'],
      [1, 'opts'],
      [1, 'default'],
    ]);
    const ret = this.r.weighted<Ret>([
      [5, 'num'],
      [2, 'str'],
      [2, 'arr'],
      [1, 'void'],
    ]);
    const ctx = new Ctx({ used: 0, max: this.o.fnBudget ?? 40 }, name);
    ctx.ret = ret;
    let params: Ty[];
    let header: string;
    let optional = 0;
    const retTs = ret === 'void' ? 'void' : TS_TYPE[ret];
    this.emit('');
    if (style === 'opts') {
      params = ['opts', 'num'];
      const dflt = this.withCtx(ctx, () => this.num(this.paramCtx(ctx, ['a']), 1));
      header = `function ${name}({ a, b = ${dflt} }: { a: number; b?: number }, c: number): ${retTs} {`;
      ctx.vars.push({ ref: 'a', ty: 'num', mutable: true }, { ref: 'b', ty: 'num', mutable: true }, { ref: 'c', ty: 'num', mutable: true });
      ctx.hasArguments = true;
      this.emit(header);
      this.emit(`log("${name}", a, b, c);`, 1);
    } else {
      const count = this.r.int(0, 3);
      params = [];
      for (let i = 0; i < count; i++) params.push(this.r.weighted<Ty>([[6, 'num'], [2, 'str'], [2, 'arr'], [this.hasShapes ? 1 : 0, 'shape']]));
      const names = params.map((_, i) => String.fromCharCode(97 + i));
      const parts = params.map((t, i) => `${names[i]}: ${TS_TYPE[t]}`);
      if (style === 'default' && params.length > 0 && params.at(-1) === 'num') {
        const pctx = this.paramCtx(ctx, names.slice(0, -1), params.slice(0, -1));
        parts[parts.length - 1] = `${names.at(-1)}: number = ${this.withCtx(ctx, () => this.num(pctx, 1))}`;
        optional = 1;
      }
      params.forEach((t, i) => ctx.vars.push({ ref: names[i]!, ty: t, mutable: true }));
      const logArgs = params.map((t, i) => (t === 'shape' ? `${names[i]}.label()` : names[i])).filter((_, i) => params[i] !== 'shape' || this.r.chance(0.5));
      if (style === 'arrow' || style === 'expr') {
        header =
          style === 'arrow'
            ? `const ${name} = (${parts.join(', ')}): ${retTs} => {`
            : `const ${name} = function (${parts.join(', ')}): ${retTs} {`;
        ctx.hasArguments = style === 'expr';
      } else {
        header = `function ${name}(${parts.join(', ')}): ${retTs} {`;
        ctx.hasArguments = true;
      }
      this.emit(header);
      this.emit(`log(${[JSON.stringify(name), ...logArgs].join(', ')});`, 1);
    }
    this.body(ctx, 1, true);
    this.emit(style === 'arrow' || style === 'expr' ? '};' : '}');
    this.callables.push({
      callee: name,
      params,
      optional,
      ret,
      cost: ctx.budget.used + 1,
      pure: false,
      plainDecl: style === 'decl' || style === 'default',
    });
  }

  /** A context for a parameter default: only the earlier parameters are in scope. */
  private paramCtx(ctx: Ctx, names: string[], tys?: Ty[]): Ctx {
    const c = new Ctx(ctx.budget, ctx.fnName);
    names.forEach((n, i) => c.vars.push({ ref: n, ty: tys?.[i] ?? 'num', mutable: false }));
    return c;
  }

  private withCtx<T>(_ctx: Ctx, f: () => T): T {
    return f();
  }

  private main(): void {
    this.emit('');
    this.emit('/** @green */');
    this.emit('async function main(): Promise<void> {');
    this.emit('log("start");', 1);
    const ctx = new Ctx({ used: 0, max: this.o.mainBudget ?? 400 }, 'main');
    ctx.ret = 'void';
    ctx.inMain = true;
    ctx.hasArguments = true;
    // exercise the last functions first (they are the biggest), each guarded
    const fns = this.callables.filter((c) => /^f\d+$/.test(c.callee));
    const order = this.r.shuffle([...fns]).slice(0, this.r.int(3, 6));
    if (this.hasShapes) {
      const makers = this.shapeMakers.map((m) => m.replace('%', String(this.r.int(1, 6))));
      this.emit(`const shapes: Shape[] = [${makers.join(', ')}];`, 1);
      ctx.vars.push({ ref: 'shapes[0]!', ty: 'shape', mutable: false }, { ref: 'shapes[1]!', ty: 'shape', mutable: false });
      this.emit('try {', 1);
      this.emit(`for (const s of shapes) log("shape", s.label(), s.area(${this.r.int(1, 3)}));`, 2);
      if (this.sqScaled) this.emit('log("scaled", new Sq(2).scaled(3));', 2);
      this.emit('} catch (e) {', 1);
      this.emit('log("caught", msg(e));', 2);
      this.emit('}', 1);
    }
    for (const f of order) {
      this.emit('try {', 1);
      const c = ctx.child();
      if (f.cost < ctx.budget.max - ctx.budget.used) {
        ctx.budget.used += f.cost;
        const call = `${f.callee}(${this.args(c, f)})`;
        this.emit(f.ret === 'void' ? `${call};` : `log("=> ${f.callee}", ${call});`, 2);
      }
      this.emit('} catch (e) {', 1);
      this.emit('log("caught", msg(e));', 2);
      this.emit('}', 1);
    }
    for (const h of this.greenHelpers) {
      // only `await`: the synchronous stand-in of `wait` cannot unwrap a plain async function's promise
      const c = ctx.child();
      const call = `await ${h}(${this.num(c, 1)})`;
      this.emit('try {', 1);
      this.emit(`log("=> ${h}", ${call});`, 2);
      this.emit('} catch (e) {', 1);
      this.emit('log("caught", msg(e));', 2);
      this.emit('}', 1);
    }
    // and some random statements of its own
    this.emit('try {', 1);
    this.stmts(ctx.child(), 2, this.r.int(2, 5));
    this.emit('} catch (e) {', 1);
    this.emit('log("caught", msg(e));', 2);
    this.emit('}', 1);
    if (this.o.awaitInMain !== false && this.r.chance(0.5)) this.emit(`log("awaited", await ready(${this.r.int(0, 9)}));`, 1);
    this.emit('}');
  }

  // ---- statements -----------------------------------------------------------------------------

  /** A function body: some statements, then a final return of ctx.ret when `withReturn`. */
  private body(ctx: Ctx, depth: number, withReturn: boolean, count = this.r.int(1, 4)): void {
    this.stmts(ctx, depth, count);
    if (withReturn && ctx.ret && ctx.ret !== 'void') this.emit(`return ${this.expr(ctx, ctx.ret, 0)};`, depth);
  }

  private stmts(ctx: Ctx, depth: number, count: number): void {
    const later: (() => void)[] = [];
    for (let i = 0; i < count; i++) this.stmt(ctx, depth, later);
    for (const f of later) f();
  }

  private stmt(ctx: Ctx, depth: number, later: (() => void)[]): void {
    const nested = ctx.depth < 2;
    const kind = this.r.weighted<string>([
      [6, 'decl'],
      [3, 'assign'],
      [4, 'log'],
      [2, 'call'],
      [ctx.noSuspend ? 0 : 2, 'prim'],
      [nested ? 3 : 0, 'if'],
      [nested ? 3 : 0, 'for'],
      [nested ? 1 : 0, 'forof'],
      [nested ? 1 : 0, 'forin'],
      [nested ? 1 : 0, 'while'],
      [nested ? 1 : 0, 'dowhile'],
      [nested ? 2 : 0, 'switch'],
      [nested ? 3 : 0, 'try'],
      [ctx.inMain ? 0 : 1, 'throw'],
      [nested ? 1 : 0, 'labeled'],
      [nested && !ctx.noSuspend ? 1 : 0, 'localfn'],
      [2, 'destructure'],
      [2, 'callback'],
      [ctx.ret !== undefined && !ctx.inMain && ctx.depth > 0 ? 1 : 0, 'return'],
      [ctx.loop ? 2 : 0, 'jump'],
      [1, 'fnvar'],
    ]);
    const d = depth;
    switch (kind) {
      case 'decl': {
        const ty = this.r.weighted<Ty>([[5, 'num'], [2, 'str'], [2, 'arr'], [1, 'bool'], [this.hasShapes ? 1 : 0, 'shape']]);
        const name = this.fresh('v');
        const mutable = this.r.chance(0.6);
        this.emit(`${mutable ? 'let' : 'const'} ${name}: ${TS_TYPE[ty]} = ${this.expr(ctx, ty, 0)};`, d);
        ctx.vars.push({ ref: name, ty, mutable });
        return;
      }
      case 'assign': {
        const targets = ctx.vars.filter((v) => v.mutable && (v.ty === 'num' || v.ty === 'str' || v.ty === 'arr' || v.ty === 'bool'));
        if (targets.length === 0) return this.stmt(ctx, depth, later);
        const v = this.r.pick(targets);
        if (v.ty === 'num') {
          const op = this.r.pick(['=', '+=', '-=', '*=', '||=', '&&=', '%=']);
          const rhs = op === '%=' ? `${this.r.int(2, 9)}` : this.num(ctx, 0);
          if (op === '*=') this.emit(`${v.ref} = (${v.ref} * ${rhs}) % 1009;`, d);
          else this.emit(`${v.ref} ${op} ${rhs};`, d);
        } else if (v.ty === 'str') {
          this.emit(`${v.ref} ${this.r.pick(['=', '+='])} ${this.str(ctx, 0)};`, d);
        } else if (v.ty === 'arr') {
          this.emit(`${v.ref} = ${this.arr(ctx, 0)};`, d);
        } else {
          this.emit(`${v.ref} ${this.r.pick(['=', '&&=', '||='])} ${this.bool(ctx, 0)};`, d);
        }
        return;
      }
      case 'log': {
        if (ctx.noLog) return;
        const n = this.r.int(1, 3);
        const parts = [JSON.stringify(`${ctx.fnName}:${this.uid++}`)];
        for (let i = 0; i < n; i++) parts.push(this.expr(ctx, this.r.pick<Ty>(['num', 'num', 'str', 'arr', 'bool']), 0));
        this.emit(`log(${parts.join(', ')});`, d);
        return;
      }
      case 'call': {
        const c = this.pickCallable(ctx, (x) => true);
        if (!c) return this.stmt(ctx, depth, later);
        this.emit(`${this.callExpr(ctx, c)};`, d);
        return;
      }
      case 'prim':
        this.emit(this.r.pick(['sleep(0);', 'yieldNow();', `wait(ready(${this.num(ctx, 1)}));`, `wait(${this.num(ctx, 1)});`, 'sleep(1);']), d);
        return;
      case 'if': {
        this.emit(`if (${this.bool(ctx, 0)}) {`, d);
        this.stmts(ctx.child(), d + 1, this.r.int(1, 3));
        if (this.r.chance(0.5)) {
          if (this.r.chance(0.3)) {
            this.emit(`} else if (${this.bool(ctx, 1)}) {`, d);
            this.stmts(ctx.child(), d + 1, this.r.int(1, 2));
          }
          this.emit('} else {', d);
          this.stmts(ctx.child(), d + 1, this.r.int(1, 2));
        }
        this.emit('}', d);
        return;
      }
      case 'for':
      case 'forof':
      case 'forin':
      case 'while':
      case 'dowhile': {
        const label = this.r.chance(0.35) ? this.fresh('L') : undefined;
        const c = ctx.child();
        c.loop = true;
        c.breakable = true;
        if (label) c.labels.push(label);
        const prefix = label ? `${label}: ` : '';
        if (kind === 'for') {
          const i = this.fresh('i');
          const n = this.r.int(1, 3);
          c.mult *= n;
          this.emit(`${prefix}for (let ${i} = 0; ${i} < ${n}; ${i}++) {`, d);
          c.vars.push({ ref: i, ty: 'num', mutable: false });
        } else if (kind === 'forof') {
          const x = this.fresh('x');
          c.mult *= 5;
          this.emit(`${prefix}for (const ${x} of ${this.arr(ctx, 1)}) {`, d);
          c.vars.push({ ref: x, ty: 'num', mutable: false });
        } else if (kind === 'forin') {
          const k = this.fresh('k');
          c.mult *= 3;
          this.emit(`${prefix}for (const ${k} in { a: 1, b: 2, c: ${this.r.int(3, 9)} }) {`, d);
          c.vars.push({ ref: k, ty: 'str', mutable: false });
        } else {
          const w = this.fresh('w');
          const n = this.r.int(1, 3);
          c.mult *= n;
          this.emit(`let ${w} = 0;`, d);
          this.emit(kind === 'while' ? `${prefix}while (${w} < ${n}) {` : `${prefix}do {`, d);
          this.emit(`${w}++;`, d + 1);
          c.vars.push({ ref: w, ty: 'num', mutable: false });
          ctx.vars.push({ ref: w, ty: 'num', mutable: false });
          this.stmts(c, d + 1, this.r.int(1, 3));
          this.emit(kind === 'while' ? '}' : `} while (${w} < ${n});`, d);
          return;
        }
        this.stmts(c, d + 1, this.r.int(1, 3));
        this.emit('}', d);
        return;
      }
      case 'switch': {
        const c = ctx.child();
        c.breakable = true;
        this.emit(`switch (${this.num(ctx, 1)} % ${this.r.int(2, 4)}) {`, d);
        const cases = this.r.shuffle([0, 1, 2, 3, -1]).slice(0, this.r.int(1, 3));
        for (const k of cases) {
          this.emit(`case ${k}: {`, d + 1);
          this.stmts(c.child(), d + 2, this.r.int(1, 2));
          if (this.r.chance(0.75)) this.emit('break;', d + 2);
          this.emit('}', d + 1);
        }
        if (this.r.chance(0.6)) {
          this.emit('default:', d + 1);
          this.stmts(c.child(), d + 2, this.r.int(1, 2));
        }
        this.emit('}', d);
        return;
      }
      case 'try': {
        this.emit('try {', d);
        const c = ctx.child();
        if (!ctx.noSuspend && this.r.chance(0.5)) this.emit(this.r.pick(['sleep(0);', 'yieldNow();', 'wait(thenable(1));']), d + 1);
        this.stmts(c, d + 1, this.r.int(1, 3));
        if (this.r.chance(0.4)) this.emit(this.throwStmt(ctx), d + 1);
        const hasCatch = this.r.chance(0.8);
        if (hasCatch) {
          const e = this.fresh('e');
          this.emit(`} catch (${e}) {`, d);
          const cc = ctx.child();
          if (!ctx.noLog) this.emit(`log("catch", msg(${e}));`, d + 1);
          if (!ctx.noSuspend && this.r.chance(0.5)) this.emit(this.r.pick(['sleep(0);', 'yieldNow();', 'wait(ready(2));']), d + 1);
          this.stmts(cc, d + 1, this.r.int(0, 2));
          if (this.r.chance(0.15)) this.emit(`throw ${e};`, d + 1);
        }
        if (!hasCatch || this.r.chance(0.5)) {
          this.emit('} finally {', d);
          const fc = ctx.child();
          if (!ctx.noLog) this.emit(`log("finally", ${JSON.stringify(ctx.fnName)});`, d + 1);
          if (!ctx.noSuspend && this.r.chance(0.6)) this.emit(this.r.pick(['sleep(0);', 'yieldNow();', 'wait(ready(3));']), d + 1);
          fc.ret = undefined; // no return in finally: keep it readable (and avoid TS "unsafe" patterns)
          fc.loop = false; // no break/continue out of finally
          fc.breakable = false;
          fc.labels = [];
          this.stmts(fc, d + 1, this.r.int(0, 2));
        }
        this.emit('}', d);
        return;
      }
      case 'throw':
        this.emit(`if (${this.num(ctx, 1)} % ${this.r.int(3, 7)} === 1) ${this.throwStmt(ctx)}`, d);
        return;
      case 'labeled': {
        const label = this.fresh('B');
        const c = ctx.child();
        c.labels.push(label);
        this.emit(`${label}: {`, d);
        this.stmts(c, d + 1, this.r.int(0, 2));
        this.emit(`if (${this.bool(c, 1)}) break ${label};`, d + 1);
        this.stmts(c, d + 1, this.r.int(1, 2));
        this.emit('}', d);
        return;
      }
      case 'localfn': {
        // A nested function declaration called before its declaration (hoisting), closing over locals.
        const name = this.fresh('inner');
        const c = new Ctx({ used: 0, max: 12 }, name);
        c.vars = ctx.vars.filter((v) => !v.ref.startsWith('this.'));
        c.fnVars = [...ctx.fnVars];
        c.ret = 'num';
        c.hasArguments = true;
        c.depth = ctx.depth + 1;
        c.vars = c.vars.concat([{ ref: 'q', ty: 'num', mutable: true }]);
        const savedOut = this.out;
        this.out = [];
        this.emit(`function ${name}(q: number): number {`, d);
        this.emit(`log(${JSON.stringify(name)}, q);`, d + 1);
        this.body(c, d + 1, true, this.r.int(0, 2));
        this.emit('}', d);
        const decl = this.out;
        this.out = savedOut;
        const cost = c.budget.used + 1;
        const callable: Callable = { callee: name, params: ['num'], ret: 'num', cost, pure: false, plainDecl: true };
        if (ctx.afford(cost)) {
          this.emit(`log(${JSON.stringify(name)}, ${name}(${this.num(ctx, 1)}));`, d);
          ctx.fnVars.push({ ref: name, maybe: false, cost });
        }
        // declared after its use, at the end of the enclosing statement list
        later.push(() => {
          for (const l of decl) this.out.push(l);
        });
        void callable;
        return;
      }
      case 'destructure': {
        const a = this.fresh('d');
        const b = this.fresh('d');
        if (this.r.chance(0.5)) {
          this.emit(`const [${a}, ${b} = ${this.num(ctx, 1)}]: number[] = ${this.arr(ctx, 1)};`, d);
        } else {
          const withB = this.r.chance(0.5);
          this.emit(
            `const { a: ${a}, b: ${b} = ${this.num(ctx, 1)} }: { a: number; b?: number } = { a: ${this.num(ctx, 1)}${withB ? `, b: ${this.num(ctx, 1)}` : ''} };`,
            d,
          );
        }
        ctx.vars.push({ ref: a, ty: 'num', mutable: false }, { ref: b, ty: 'num', mutable: false });
        return;
      }
      case 'callback': {
        const which = this.r.weighted<string>([
          [3, 'forEach'],
          [this.hofs.each ? 2 : 0, 'each'],
          [1, 'map'],
          [1, 'set'],
        ]);
        const c = ctx.child();
        c.mult *= 5;
        c.loop = false;
        c.breakable = false;
        c.labels = [];
        c.ret = 'void';
        c.hasArguments = ctx.hasArguments;
        const v = this.fresh('e');
        const i = this.fresh('j');
        c.vars.push({ ref: v, ty: 'num', mutable: false }, { ref: i, ty: 'num', mutable: false });
        if (which === 'map') {
          this.emit(`new Map<number, number>([[1, ${this.num(ctx, 1)}], [2, ${this.num(ctx, 1)}]]).forEach((${v}, ${i}) => {`, d);
        } else if (which === 'set') {
          this.emit(`new Set<number>(${this.arr(ctx, 1)}).forEach((${v}, ${i}) => {`, d);
        } else if (which === 'each') {
          this.emit(`each(${this.arr(ctx, 1)}, (${v}, ${i}) => {`, d);
        } else {
          this.emit(`${this.arr(ctx, 1)}.forEach((${v}, ${i}) => {`, d);
        }
        this.stmts(c, d + 1, this.r.int(1, 2));
        this.emit(which === 'each' ? '});' : '});', d);
        return;
      }
      case 'return': {
        if (ctx.ret === undefined) return;
        if (ctx.ret === 'void') this.emit(`if (${this.bool(ctx, 1)}) return;`, d);
        else this.emit(`if (${this.bool(ctx, 1)}) return ${this.expr(ctx, ctx.ret, 1)};`, d);
        return;
      }
      case 'jump': {
        const targets = [...ctx.labels.filter((l) => l.startsWith('L')), ''];
        const label = this.r.pick(targets);
        const what = this.r.chance(0.5) ? 'break' : 'continue';
        // `break` inside a switch without a label leaves the switch; fine either way
        this.emit(`if (${this.bool(ctx, 1)}) ${what}${label ? ' ' + label : ''};`, d);
        return;
      }
      case 'fnvar': {
        const name = this.fresh('g');
        const maybe = this.r.chance(0.3);
        const [fn, cost] = this.fnValue(ctx);
        if (maybe) this.emit(`const ${name}: ((n: number) => number) | undefined = ${this.bool(ctx, 1)} ? ${fn} : undefined;`, d);
        else this.emit(`const ${name}: (n: number) => number = ${fn};`, d);
        ctx.fnVars.push({ ref: name, maybe, cost });
        return;
      }
    }
  }

  private throwStmt(ctx: Ctx): string {
    return this.r.chance(0.8)
      ? `throw new Error(\`${ctx.fnName}:\${${this.num(ctx, 2)}}\`);`
      : `throw "${ctx.fnName}-raw";`;
  }

  // ---- expressions ----------------------------------------------------------------------------

  private expr(ctx: Ctx, ty: Ty, d: number): string {
    switch (ty) {
      case 'num':
        return this.num(ctx, d);
      case 'str':
        return this.str(ctx, d);
      case 'arr':
        return this.arr(ctx, d);
      case 'bool':
        return this.bool(ctx, d);
      case 'shape':
        return this.shape(ctx, d);
      case 'opts':
        return this.r.chance(0.5) ? `{ a: ${this.num(ctx, d + 1)} }` : `{ a: ${this.num(ctx, d + 1)}, b: ${this.num(ctx, d + 1)} }`;
    }
  }

  private vars(ctx: Ctx, ty: Ty): Var[] {
    return ctx.vars.filter((v) => v.ty === ty);
  }

  private leafNum(ctx: Ctx): string {
    const vs = this.vars(ctx, 'num');
    if (vs.length > 0 && this.r.chance(0.7)) return this.r.pick(vs).ref;
    return String(this.r.int(0, 9));
  }

  private num(ctx: Ctx, d: number): string {
    if (d >= this.maxDepth) return this.leafNum(ctx);
    const s = !ctx.noSuspend;
    const kind = this.r.weighted<string>([
      [4, 'leaf'],
      [3, 'arith'],
      [5, 'call'],
      [s ? 2 : 0, 'wait'],
      [1, 'cond'],
      [1, 'nullish'],
      [1, 'logical'],
      [1, 'arrlen'],
      [1, 'index'],
      [s ? 1 : 0, 'reduce'],
      [s ? 1 : 0, 'find'],
      [this.hasShapes ? 2 : 0, 'method'],
      [this.hasShapes && s ? 1 : 0, 'optmethod'],
      [this.hasShapes && s ? 0.5 : 0, 'methodcall'],
      [this.hasShapes ? 0.3 : 0, 'getter'],
      [s ? 0.4 : 0, 'timeout'],
      [this.hasApply1 && s ? 0.5 : 0, 'generic'],
      [ctx.fnVars.length > 0 ? 2 : 0, 'fnvar'],
      [this.hofs.twice && s ? 1 : 0, 'twice'],
      [this.hofs.retry && s ? 1 : 0, 'retry'],
      [this.hofs.compose && s ? 1 : 0, 'compose'],
      [s ? 1 : 0, 'iife'],
      [1, 'comma'],
      [ctx.vars.some((v) => v.mutable && v.ty === 'num') ? 1 : 0, 'assign'],
      [this.hofs.sumAll ? 1 : 0, 'spread'],
      [1, 'callapply'],
      [this.hasBox && s ? 1 : 0, 'box'],
      [this.hasRec ? 1 : 0, 'rec'],
      [this.hasDeep ? 0.3 : 0, 'deep'],
      [1, 'strlen'],
      [ctx.hasArguments && !ctx.inMain ? 0.3 : 0, 'arguments'],
      [0.5, 'enum'],
    ]);
    const sub = (x = d + 1) => this.num(ctx, x);
    switch (kind) {
      case 'leaf':
        return this.leafNum(ctx);
      case 'arith': {
        const op = this.r.pick(['+', '-', '*', '%']);
        if (op === '*') return `((${sub()} * ${sub()}) % 1009)`;
        if (op === '%') return `(${sub()} % ${this.r.int(2, 9)})`;
        return `(${sub()} ${op} ${sub()})`;
      }
      case 'call': {
        const c = this.pickCallable(ctx, (x) => x.ret === 'num');
        if (!c) return this.leafNum(ctx);
        return this.callExpr(ctx, c);
      }
      case 'wait':
        return this.r.weighted<string>([
          [4, `wait(ready(${sub()}))`],
          [2, `wait(thenable(${sub()}))`],
          [1, `wait(${sub()})`],
          [ctx.inMain ? 0 : 1, `(${this.bool(ctx, d + 1)} ? wait(failed("${ctx.fnName}-rejected")) : ${sub()})`],
        ]);
      case 'cond':
        return `(${this.bool(ctx, d + 1)} ? ${sub()} : ${sub()})`;
      case 'nullish':
        return this.r.chance(0.5) ? `(opt(${this.bool(ctx, d + 1)}, ${sub()}) ?? ${sub()})` : `(${this.arr(ctx, d + 1)}[${this.r.int(0, 4)}] ?? ${sub()})`;
      case 'logical':
        return `(${this.notConst(ctx, sub())} ${this.r.pick(['&&', '||'])} ${sub()})`;
      case 'arrlen':
        return `${this.arr(ctx, d + 1)}.length`;
      case 'index':
        return `(${this.arr(ctx, d + 1)}.${this.r.pick(['indexOf', 'lastIndexOf'])}(${sub()}))`;
      case 'reduce': {
        const acc = this.fresh('acc');
        const v = this.fresh('x');
        const c = this.lambdaCtx(ctx, [v], 5);
        c.vars.push({ ref: acc, ty: 'num', mutable: false });
        const m = this.r.pick(['reduce', 'reduceRight']);
        return `${this.arr(ctx, d + 1)}.${m}((${acc}, ${v}) => (${acc} + ${this.num(c, d + 1)}) % 1009, ${sub()})`;
      }
      case 'find': {
        const m = this.r.pick(['find', 'findIndex', 'findLast', 'findLastIndex']);
        const v = this.fresh('x');
        const c = this.lambdaCtx(ctx, [v], 5);
        const cb = `(${v}) => ${this.bool(c, d + 1)}`;
        return m.endsWith('Index') ? `${this.arr(ctx, d + 1)}.${m}(${cb})` : `(${this.arr(ctx, d + 1)}.${m}(${cb}) ?? -1)`;
      }
      case 'method': {
        if (ctx.noSuspend || !ctx.afford(10)) return this.leafNum(ctx);
        return `${this.shape(ctx, d + 1)}.area(${sub()})`;
      }
      case 'methodcall': {
        if (!ctx.afford(10)) return this.leafNum(ctx);
        const v = this.fresh('sv');
        const sh = this.shape(ctx, d + 1);
        return this.r.pick([
          `((${v}: Shape) => ${v}.area.call(${v}, ${sub()}))(${sh})`,
          `((${v}: Shape) => ${v}.area.bind(${v})(${sub()}))(${sh})`,
          `((${v}: Shape) => ${v}.area.apply(${v}, [${sub()}]))(${sh})`,
        ]);
      }
      case 'getter':
        return `new Sq(${this.leafNum(ctx)}).double`;
      case 'timeout':
        if (!ctx.afford(1)) return this.leafNum(ctx);
        return `timeout(100000, () => ${this.num(ctx.child(), d + 1)})`;
      case 'generic': {
        const v = this.fresh('gv');
        const c = this.lambdaCtx(ctx, [v], 1);
        return `apply1(${sub()}, (${v}) => ${this.num(c, d + 1)})`;
      }
      case 'optmethod': {
        if (!ctx.afford(10)) return this.leafNum(ctx);
        return `((${this.bool(ctx, d + 1)} ? ${this.shape(ctx, d + 1)} : undefined)?.area(${sub()}) ?? -1)`;
      }
      case 'fnvar': {
        const f = this.r.pick(ctx.fnVars);
        if (!ctx.afford(f.cost)) return this.leafNum(ctx);
        if (f.maybe) return `(${f.ref}?.(${sub()}) ?? -2)`;
        return `${f.ref}(${sub()})`;
      }
      case 'twice': {
        const [fn, cost] = this.fnValue(ctx, 2);
        if (!ctx.afford(1)) return this.leafNum(ctx);
        void cost;
        return `twice(${fn}, ${sub()})`;
      }
      case 'retry': {
        const a = this.fresh('t');
        const c = this.lambdaCtx(ctx, [a], 3);
        if (!ctx.afford(1)) return this.leafNum(ctx);
        return `retry(${this.r.int(1, 3)}, (${a}) => {
${'  '.repeat(ctx.depth + 3)}if (${a} < ${this.r.int(0, 2)}) throw new Error("try" + ${a});
${'  '.repeat(ctx.depth + 3)}return ${this.num(c, d + 1)};
${'  '.repeat(ctx.depth + 2)}})`;
      }
      case 'compose': {
        const [f1, c1] = this.fnValue(ctx, 2);
        const [f2, c2] = this.fnValue(ctx, 2);
        void c1;
        void c2;
        return `compose(${f1}, ${f2})(${sub()})`;
      }
      case 'iife':
        return `(() => ${this.num(ctx.child(), d + 1)})()`;
      case 'comma':
        if (ctx.noLog) return this.leafNum(ctx);
        return `(log("comma", ${sub()}), ${sub()})`;
      case 'assign': {
        const v = this.r.pick(ctx.vars.filter((x) => x.mutable && x.ty === 'num'));
        const op = this.r.pick(['+=', '-=', '||=', '=']);
        return `(${v.ref} ${op} ${sub()})`;
      }
      case 'spread':
        if (!ctx.afford(1)) return this.leafNum(ctx);
        return `sumAll(${sub()}, ...${this.arr(ctx, d + 1)})`;
      case 'callapply': {
        const c = this.pickCallable(ctx, (x) => x.ret === 'num' && !!x.plainDecl && !x.rest && x.params.every((p) => p === 'num') && x.params.length > 0);
        if (!c) return `Math.max(...${this.arr(ctx, d + 1)}, ${sub()})`;
        const args = c.params.map(() => sub());
        const how = this.r.pick(['call', 'apply', 'bind']);
        if (how === 'call') return `${c.callee}.call(undefined, ${args.join(', ')})`;
        if (how === 'apply') return `${c.callee}.apply(undefined, [${args.join(', ')}])`;
        return `${c.callee}.bind(undefined, ${args[0]})(${args.slice(1).join(', ')})`;
      }
      case 'box': {
        const v = this.fresh('bv');
        const c = this.lambdaCtx(ctx, [v], 1);
        if (!ctx.afford(1)) return this.leafNum(ctx);
        return `new Box(${sub()}).map((${v}) => ${this.num(c, d + 1)}).get()`;
      }
      case 'rec':
        if (!ctx.afford(7)) return this.leafNum(ctx);
        return `rec(Math.abs(${sub()}) % 6)`;
      case 'deep':
        if (!ctx.afford(1)) return this.leafNum(ctx);
        return `deep(${this.r.pick([100, 1000, 3000])})`;
      case 'strlen':
        return `${this.str(ctx, d + 1)}.length`;
      case 'arguments':
        return 'arguments.length';
      case 'enum':
        return this.r.chance(0.5) && this.hasNamespace ? 'Util.Mode.B' : `(${sub()} + 0)`;
    }
    return this.leafNum(ctx);
  }

  /** TS rejects `4 || x` and `Enum.B && x` (always truthy): keep constants off the left of && and ||. */
  private notConst(ctx: Ctx, e: string): string {
    if (/^[a-z]\w*$/.test(e) && !/^(true|false)$/.test(e)) return e;
    const vs = this.vars(ctx, 'num');
    return vs.length > 0 && this.r.chance(0.5) ? this.r.pick(vs).ref : `Number(${e})`;
  }

  private str(ctx: Ctx, d: number): string {
    const leaf = () => {
      const vs = this.vars(ctx, 'str');
      if (vs.length > 0 && this.r.chance(0.6)) return this.r.pick(vs).ref;
      return JSON.stringify(this.r.pick(['a', 'b', 'xy', '', 'q1']));
    };
    if (d >= this.maxDepth) return leaf();
    const s = !ctx.noSuspend;
    const kind = this.r.weighted<string>([
      [3, 'leaf'],
      [2, 'template'],
      [1, 'concat'],
      [3, 'call'],
      [1, 'String'],
      [1, 'join'],
      [s ? 1 : 0, 'mapjoin'],
      [s ? 1 : 0, 'wait'],
      [this.hasShapes && s ? 1 : 0, 'label'],
      [1, 'cond'],
      [this.hasTag && s ? 1 : 0, 'tag'],
    ]);
    switch (kind) {
      case 'leaf':
        return leaf();
      case 'template':
        return `\`<\${${this.str(ctx, d + 1)}}|\${${this.num(ctx, d + 1)}}>\``;
      case 'concat':
        return `(${this.str(ctx, d + 1)} + ${this.str(ctx, d + 1)})`;
      case 'call': {
        const c = this.pickCallable(ctx, (x) => x.ret === 'str');
        if (!c) return leaf();
        return this.callExpr(ctx, c);
      }
      case 'String':
        return `String(${this.num(ctx, d + 1)})`;
      case 'join':
        return `${this.arr(ctx, d + 1)}.join("${this.r.pick([',', '|', ''])}")`;
      case 'mapjoin': {
        const v = this.fresh('x');
        const c = this.lambdaCtx(ctx, [v], 5);
        return `${this.arr(ctx, d + 1)}.map((${v}): string => ${this.str(c, d + 1)}).join("/")`;
      }
      case 'wait':
        return `wait(ready(${this.str(ctx, d + 1)}))`;
      case 'label':
        if (!ctx.afford(20)) return leaf();
        return `${this.shape(ctx, d + 1)}.label()`;
      case 'cond':
        return `(${this.bool(ctx, d + 1)} ? ${this.str(ctx, d + 1)} : ${this.str(ctx, d + 1)})`;
      case 'tag':
        if (!ctx.afford(1)) return leaf();
        return `tg\`x\${${this.num(ctx, d + 1)}}y\${${this.num(ctx, d + 1)}}\``;
    }
    return leaf();
  }

  private arr(ctx: Ctx, d: number): string {
    const leaf = () => {
      const vs = this.vars(ctx, 'arr');
      if (vs.length > 0 && this.r.chance(0.6)) return this.r.pick(vs).ref;
      const n = this.r.int(0, 4);
      const xs: string[] = [];
      for (let i = 0; i < n; i++) xs.push(d >= 2 ? String(this.r.int(0, 9)) : this.leafNum(ctx));
      return n === 0 ? '([] as number[])' : `[${xs.join(', ')}]`;
    };
    if (d >= this.maxDepth) return leaf();
    const s = !ctx.noSuspend;
    const kind = this.r.weighted<string>([
      [3, 'leaf'],
      [2, 'literal'],
      [s ? 2 : 0, 'map'],
      [s ? 1 : 0, 'filter'],
      [s ? 1 : 0, 'flatMap'],
      [1, 'spread'],
      [s ? 1 : 0, 'sort'],
      [s ? 1 : 0, 'from'],
      [2, 'call'],
    ]);
    const lam = (body: (c: Ctx, v: string, i: string) => string, withIndex = false, ret = '') => {
      const v = this.fresh('x');
      const i = this.fresh('i');
      const c = this.lambdaCtx(ctx, withIndex ? [v, i] : [v], 5);
      if (this.r.chance(0.25)) {
        // block body with a statement or two
        const saved = this.out;
        this.out = [];
        c.ret = undefined; // no early return: the arrow returns a value below
        c.loop = false;
        c.breakable = false;
        c.labels = [];
        this.stmts(c, ctx.depth + 3, this.r.int(1, 2));
        const lines = this.out;
        this.out = saved;
        return `(${withIndex ? `${v}, ${i}` : v})${ret} => {\n${lines.join('\n')}\n${'  '.repeat(ctx.depth + 3)}return ${body(c, v, i)};\n${'  '.repeat(ctx.depth + 2)}}`;
      }
      return `(${withIndex ? `${v}, ${i}` : v})${ret} => ${body(c, v, i)}`;
    };
    switch (kind) {
      case 'leaf':
        return leaf();
      case 'literal': {
        const n = this.r.int(0, 4);
        const xs: string[] = [];
        for (let i = 0; i < n; i++) xs.push(this.num(ctx, d + 1));
        return n === 0 ? '([] as number[])' : `[${xs.join(', ')}]`;
      }
      case 'map': {
        const withIndex = this.r.chance(0.3);
        return `${this.arr(ctx, d + 1)}.map(${lam((c) => this.num(c, d + 1), withIndex, ': number')})`;
      }
      case 'filter':
        return `${this.arr(ctx, d + 1)}.filter(${lam((c) => this.bool(c, d + 1))})`;
      case 'flatMap':
        return `${this.arr(ctx, d + 1)}.flatMap(${lam((c, v) => `[${v}, ${this.num(c, d + 1)}]`, false, ': number[]')}).slice(0, 5)`;
      case 'spread':
        return `[...${this.arr(ctx, d + 1)}, ${this.num(ctx, d + 1)}].slice(-5)`;
      case 'sort': {
        // comparator: a consistent total order, no trace (call order is implementation-defined)
        const a = this.fresh('a');
        const b = this.fresh('b');
        const cmp = this.r.pick([
          `(${a}, ${b}) => ${a} - ${b}`,
          `(${a}, ${b}) => { sleep(0); return ${b} - ${a}; }`,
          `(${a}, ${b}) => wait(ready(${a})) - ${b}`,
          `(${a}, ${b}) => { yieldNow(); return (${a} % 3) - (${b} % 3); }`,
        ]);
        return `${this.arr(ctx, d + 1)}.slice().sort(${cmp})`;
      }
      case 'from':
        return `Array.from(${this.arr(ctx, d + 1)}, ${lam((c) => this.num(c, d + 1), true, ': number')})`;
      case 'call': {
        const c = this.pickCallable(ctx, (x) => x.ret === 'arr');
        if (!c) return leaf();
        return this.callExpr(ctx, c);
      }
    }
    return leaf();
  }

  private bool(ctx: Ctx, d: number): string {
    const cmp = () => this.r.weighted<string>([
      [3, `(${this.num(ctx, d + 1)} ${this.r.pick(['<', '<=', '>', '>='])} ${this.num(ctx, d + 1)})`],
      [2, `(${this.num(ctx, d + 1)} % ${this.r.int(2, 5)} ${this.r.pick(['===', '!=='])} ${this.r.int(0, 2)})`],
    ]);
    if (d >= this.maxDepth) return cmp();
    const s = !ctx.noSuspend;
    const vs = this.vars(ctx, 'bool');
    const kind = this.r.weighted<string>([
      [4, 'cmp'],
      [vs.length > 0 ? 2 : 0, 'var'],
      [s ? 1 : 0, 'some'],
      [1, 'includes'],
      [1, 'not'],
      [2, 'logic'],
      [this.hasEven ? 1 : 0, 'even'],
    ]);
    switch (kind) {
      case 'cmp':
        return cmp();
      case 'var':
        return this.r.pick(vs).ref;
      case 'some': {
        const v = this.fresh('x');
        const c = this.lambdaCtx(ctx, [v], 5);
        return `${this.arr(ctx, d + 1)}.${this.r.pick(['some', 'every'])}((${v}) => ${this.bool(c, d + 1)})`;
      }
      case 'includes':
        return `${this.arr(ctx, d + 1)}.includes(${this.num(ctx, d + 1)})`;
      case 'not':
        return `!${this.bool(ctx, d + 1)}`;
      case 'logic':
        return `(${this.bool(ctx, d + 1)} ${this.r.pick(['&&', '||'])} ${this.bool(ctx, d + 1)})`;
      case 'even':
        if (!ctx.afford(1)) return cmp();
        return `${this.r.pick(['isEven', 'isOdd'])}(Math.abs(${this.num(ctx, d + 1)}) % 9)`;
    }
    return cmp();
  }

  private shape(ctx: Ctx, d: number): string {
    const vs = this.vars(ctx, 'shape');
    if (vs.length > 0 && this.r.chance(0.6)) return this.r.pick(vs).ref;
    const m = this.r.pick(this.shapeMakers.filter((x) => !ctx.noSuspend || !x.startsWith('Base.create')));
    return m.replace('%', this.num(ctx, Math.max(d + 1, 2)));
  }

  /** A function value of type (n: number) => number, and its cost per call. */
  private fnValue(ctx: Ctx, d = 1): [string, number] {
    const refs = this.callables.filter((c) => c.plainDecl && c.ret === 'num' && c.params.length === 1 && c.params[0] === 'num' && !ctx.noSuspend);
    const k = this.r.weighted<string>([
      [3, 'arrow'],
      [refs.length > 0 ? 2 : 0, 'ref'],
      [1, 'fnexpr'],
      [ctx.fnVars.some((f) => !f.maybe) ? 1 : 0, 'var'],
    ]);
    if (k === 'ref') {
      const c = this.r.pick(refs);
      return [c.callee, c.cost];
    }
    if (k === 'var') {
      const f = this.r.pick(ctx.fnVars.filter((x) => !x.maybe));
      return [f.ref, f.cost];
    }
    const v = this.fresh('y');
    const budget: Budget = { used: 0, max: 8 };
    const c = new Ctx(budget, ctx.fnName);
    c.vars = [...ctx.vars.filter((x) => k !== 'fnexpr' || !x.ref.startsWith('this.')), { ref: v, ty: 'num', mutable: false }];
    c.fnVars = [...ctx.fnVars];
    c.noSuspend = ctx.noSuspend;
    c.noLog = ctx.noLog;
    c.hasArguments = ctx.hasArguments;
    c.depth = ctx.depth;
    if (k === 'fnexpr') c.hasArguments = true;
    const body = this.num(c, d + 1);
    if (k === 'fnexpr') {
      return [`function (${v}: number): number { return ${body}; }`, budget.used + 1];
    }
    return [`(${v}: number) => ${body}`, budget.used + 1];
  }

  /** Context of an inline callback (array method): params in scope, cost multiplied by `times`. */
  private lambdaCtx(ctx: Ctx, params: string[], times: number): Ctx {
    const c = ctx.child();
    c.mult *= times;
    for (const p of params) c.vars.push({ ref: p, ty: 'num', mutable: false });
    return c;
  }

  private pickCallable(ctx: Ctx, ok: (c: Callable) => boolean): Callable | undefined {
    const cands = this.callables.filter((c) => ok(c) && (c.pure || !ctx.noSuspend) && c.cost * ctx.mult <= ctx.budget.max - ctx.budget.used);
    if (cands.length === 0) return undefined;
    const c = this.r.pick(cands);
    if (!ctx.afford(c.cost)) return undefined;
    return c;
  }

  private args(ctx: Ctx, c: Callable): string {
    const n = c.params.length - (c.optional && this.r.chance(0.5) ? c.optional : 0);
    const xs: string[] = [];
    for (let i = 0; i < n; i++) xs.push(this.expr(ctx, c.params[i]!, 2));
    if (c.rest) for (let i = this.r.int(0, 3); i > 0; i--) xs.push(this.num(ctx, 2));
    return xs.join(', ');
  }

  private callExpr(ctx: Ctx, c: Callable): string {
    return `${c.callee}(${this.args(ctx, c)})`;
  }
}
