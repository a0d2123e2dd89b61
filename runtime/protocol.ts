/**
 * The transformer <-> runtime contract. This header is the one place that defines the shape the
 * transformer emits and the trampoline drives; both sides reference it (`transformer/emit*.ts`,
 * `runtime/trampoline.ts`). Change it here first, then both sides.
 *
 * Emitted code imports the runtime's internal entry once per file, then declares the file's site
 * table and local names for the entry points every green call uses:
 *
 *     import * as __g from "green-ts/internal";      // CommonJS: const __g = require("green-ts/internal")
 *     const __s = __g.sites("src/repo.ts", ["find", 3, 10, ...]), __call = __g.call, __pending = __g.PENDING,
 *         __result = __g.result, __at = __g.at;
 *
 * (the specifier is the transformer option `runtimeModule`, default "green-ts/internal"). Each of
 * these names is unique in its file (`__g_1` if the source already uses `__g`, ...), so source code
 * cannot shadow them. `__call(frame, site)`, unlike `__g.call(frame, site)`, is a call without a
 * receiver, and so needs one V8 register less in every body that makes a green call; a parked
 * frame keeps all its registers (transformer/emit.ts, FileNames).
 *
 * ## Words
 * - body:    a generator function holding the rewritten code of one suspending function.
 * - wrapper: the plain function that keeps the source name, identity, `length` and exports; it is
 *            what ordinary code sees and calls. `wrapper[BODY] === body`.
 * - frame:   a generator object made by calling a body, or the continuation of a plain-first
 *            function that stopped (below); the trampoline keeps frames on an explicit
 *            stack, so resuming costs the same at any depth and recursion is bounded by the heap.
 * - site:    a call site record `{ file, line, col, fn }` (original TS position, 1-based line and
 *            column, enclosing function name) used to stitch stack traces.
 *
 * ## How a body makes a green call
 * A green call is made through `__g.call(frame, site)`, which runs the callee's first step at once,
 * on the JS stack (runtime/trampoline.ts "Inline calls"), and returns false when the callee
 * returned (its value is then read with `__g.result()`; a throw propagates as in JS) or true when
 * it stopped (parked, or hit the inline depth limit); the caller then yields `__g.PENDING` and the
 * value of that `yield` is the callee's result once it comes back. Emitted code writes it with the
 * file's local names (above) as
 *     (__call(frame, __s[k]) ? (yield __pending) : __result())        below: CALL(frame, k)
 * so a green call that completes without suspending costs a generator and one step, no yield.
 *
 * ## What a frame may yield
 * Inside a body, `yield X` hands X to the trampoline. X is exactly one of:
 * - `__g.PENDING`: an inline call (above) stopped; its frames are already on the thread's stack.
 * - a frame (a generator object from calling some `f[BODY]`), passed through `__g.at(frame, site)`
 *   (`__at` in emitted code):
 *   a green call handed to the trampoline at once (`await p` is emitted so, since a wait on a
 *   promise always parks; hand-written bodies may call so too). The trampoline pushes it and runs
 *   it at once, in the same loop; its return value (or throw) comes back as the value of the
 *   `yield` expression (or is thrown there).
 * - a `Suspension` (made only by runtime primitives, `runtime/suspension.ts`): park the thread.
 * - a `Ready` (made only by `__g.dyn` for a callee that turned out to be plain): resume at once
 *   with its `.value`.
 * Nothing else is ever yielded; the trampoline treats anything that is not PENDING, a Suspension
 * or a Ready as a frame.
 *
 * A runtime primitive's body (`wait`, `sleep`, `suspend`, `yieldNow`, `Thread#join`,
 * `Semaphore#acquire`, `Event#wait`, `Queue#get`/`put`) may return its Suspension or Ready itself
 * instead of a frame, so no generator is made per suspension. Emitted and hand-written bodies
 * therefore always hand a green call's result to `__g.call` or the trampoline at once, never with
 * `yield*` (the runtime recognises a Suspension or Ready as the one made last).
 * Hand-written bodies (the MySQL layer's) call primitives by yielding them:
 * `const rows = yield __g.at(suspend[BODY]((resume) => ...), site)`.
 *
 * ## Kinds of function
 *
 * ### A suspending function declaration (not a root)
 *     // source
 *     function find(id: number): User { return pool.one(q, [id]); }
 *     // emitted
 *     __g.link(find, function* find(id) { return CALL((_a = pool).one[__g.BODY].call(_a, q, [id]), 0); });
 *     function find(id) { return __g.sync(find[__g.BODY].apply(this, arguments), "find"); }
 * The `__g.link(...)` statement is hoisted to the top of the enclosing scope (after the directive
 * prologue and the file's import declarations) so that, like the declaration itself, the function is
 * green-callable before its statement is reached. `__g.sync` is the run-time guard: it drives the
 * body synchronously and either returns its value (nothing on the path suspended) or, at the first
 * real suspension, throws `GreenContextError` into the frames (their `finally` blocks run) and out.
 *
 * ### A suspending function expression or arrow (not a root)
 *     // source
 *     const load = (id: number) => repo.find(id);
 *     // emitted
 *     const load = __g.fn(function* (id) { return CALL((_a = repo).find[__g.BODY].call(_a, id), 1); }, "load");
 * `__g.fn(body, name, kind = SYNC)` makes the wrapper. An arrow's `this`, `arguments`, `super` and
 * `new.target` are captured by the transformer in the enclosing function (as tsc does for
 * downlevel async arrows), since a generator cannot be an arrow.
 *
 * ### A suspending method (class, static, object literal)
 *     // source
 *     class Repo extends Base { find(id: number): User { return super.find(id) ?? this.load(id); } }
 *     // emitted
 *     class Repo extends Base { *find(id) { ... CALL(super.find[__g.BODY].call(this, id), 2) ... } }
 *     __g.methods(Repo.prototype, ["find"], []);   // static methods: __g.methods(Repo, [...], [])
 * The body stays a generator *method* so `super` and private names work; `__g.methods(target,
 * names, entryNames)` replaces each `target[name]` by a wrapper whose `[BODY]` is that generator
 * method (entryNames: the ones that are `@green` roots, see below), keeping the property's
 * enumerability. Class expressions and object literals are wrapped in place:
 * `__g.methods(class { ... }, [...], [])` and `__g.methods({ *find() {...} }, [...], [])`
 * both return their first argument. For static methods the call takes the constructor.
 * Private methods (`#find`) cannot be replaced: the body is emitted as `*#find$green(...)` beside a
 * wrapper `#find(...a) { return __g.sync(this.#find$green(...a), "#find"); }`, and green call
 * sites (necessarily inside the class) call `this.#find$green(...)` directly.
 *
 * ### A root: `@green` function, or a function expression passed to a green-taking parameter
 *     // source
 *     /** @green *\/ async function handle(id: number) { const u = find(id); await sleep(1); return u.name; }
 *     // emitted
 *     __g.link(handle, function* handle(id) { const u = CALL(find[__g.BODY](id), 3);
 *                                             (yield __at(__g.wait[__g.BODY](sleep(1)), __s[4])); ... }, __g.ENTRY);
 *     function handle(id) { return __g.start(handle[__g.BODY].apply(this, arguments), "handle"); }
 * `async` is dropped; each `await x` becomes a `wait` call. A root's wrapper, called from ordinary
 * code, starts a green thread and returns the promise of its result (`__g.start`). Called from green
 * code it does the same (it runs concurrently), except that `await f()` / `wait(f())` run it inline:
 * the transformer emits a green call to `f[BODY]` instead. Function expressions become
 * `__g.fn(body, name, __g.ENTRY)`; methods are listed in `entryNames` of `__g.methods`.
 * Functions passed where a green function is expected (`run`, `spawn`, `all`, `transaction`, ...)
 * are emitted with `__g.fn(body, name)`: the receiving API calls their `[BODY]` inside its thread.
 * The `@green` decorator is removed from the emitted class.
 *
 * ## Kinds of call (inside a body)
 * Every call whose callee can suspend becomes a CALL (above) at the same place in the expression,
 * with its site, so the runtime knows where the call came from (stack traces). The frame is made
 * (its arguments evaluated) before `__g.call` runs it, so this changes no order.
 *
 *     f(a)                 -> CALL(f[__g.BODY](a), k)         this: see below
 *     o.m(a)               -> CALL((_a = o).m[__g.BODY].call(_a, a), k)
 *     o[k](a)              -> CALL((_a = o)[_b = k][__g.BODY].call(_a, a), k)
 *     super.m(a)           -> CALL(super.m[__g.BODY].call(this, a), k)
 *     o?.m(a)              -> short-circuit kept: (_a = o) == null ? void 0 : CALL(...)
 *     f.call(t, a) / f.apply(t, xs) / f.bind(t, a)  -> f[__g.BODY].call(t, a) / .apply(t, xs) / __g.bind(f, t, a)
 *     fn(a)  (callee green-ness unknown: a parameter, a property typed any, ...)
 *                          -> CALL(__g.dyn(fn, thisArg, [a]), k)
 *     await p / wait(p)    -> (yield __at(__g.wait[__g.BODY](p), __s[k]))
 * For a callee that is a plain function declaration, the transformer passes `this` as the source
 * would (`undefined`) with `.call(void 0, ...)` when the callee's body uses `this`; otherwise it may
 * call `f[__g.BODY](a)` directly.
 * `__g.dyn(fn, thisArg, args)` returns `fn[BODY].apply(thisArg, args)` when fn is green, else calls
 * `fn.apply(thisArg, args)` at once and returns a `Ready` holding the result.
 * Array callbacks with a suspending callback call the runtime's green equivalents, which are bodies:
 *     xs.map(cb, t)        -> CALL(__g.array.map(xs, cb, t), k)
 *     (same for forEach filter find findIndex findLast findLastIndex some every reduce reduceRight
 *      flatMap sort; Array.from(x, cb) -> __g.array.from(x, cb, t); m.forEach(cb) on a Map or Set ->
 *      __g.array.collectionForEach(m, cb, t))
 * `__g.array.*` take the receiver first and return a frame; the callback is invoked through the
 * same rule as `__g.dyn` (green or plain), with the builtin's arguments `(value, index, array)`.
 *
 * ## Sites
 * Each emitted file that has green calls declares its site table once, after its imports:
 *     const __s = __g.sites("src/repo.ts", ["find", 12, 5, "handle", 20, 13]);
 * The file name is relative to the project root (the tsconfig's directory); each site is a
 * (function name, line, column) triple of the call's original position. `__g.sites` returns an
 * array of site objects indexed as `__s[k]`.
 *
 * ## Details the transformer settles (transformer/rewrite.ts; refinements, not changes of shape)
 * - A body that refers to its own function's name gets a fresh generator name, so the name still
 *   means the wrapper inside it: `__g.link(fact, function* fact_1(n) { ... fact[__g.BODY](n - 1) ... })`.
 *   A named function expression that calls itself is wrapped so its name binds the wrapper:
 *   `(() => { const f = __g.fn(function* (n) { ... f[__g.BODY](...) ... }, "f"); return f; })()`.
 * - Arrow captures are made where the arrow is written, by an arrow IIFE (valid in class field
 *   initializers too): `((_this, _arguments, _newtarget, _super) => __g.fn(function* () {...}, "h"))(this,
 *   arguments, new.target, (k) => super[k])`; inside the body `super.m(a)` reads `_super("m")` and calls
 *   with `_this`.
 * - Class expressions: `__g.methods(__g.methods(class { ... }, [statics], [...]).prototype, [methods], [...]).constructor`;
 *   an anonymous class in `const C = class {...}` is given the name `C` so `C.name` is unchanged.
 * - Tagged template with a suspending tag: the template object stays per site:
 *   `tag[__g.BODY](...((...a) => a)`a${x}b`)`; a dynamic tag: `__g.dyn(tag, void 0, ((...a) => a)`...`)`.
 * - `?.`: the `== null` guard covers the whole optional chain: `o?.m().n` ->
 *   `(_a = o) == null ? void 0 : CALL(...).n`.
 * - A parameter whose default (or pattern default) suspends moves into the body, since a generator's
 *   parameter list cannot yield: `function* f(_a) { let a = _a === void 0 ? CALL(...) : _a; ... }`.
 * - Calls through parameters, variables and properties of user code inside a body always use
 *   `__g.dyn` (green or plain at run time); calls through declarations of .d.ts files are plain unless
 *   they carry `@suspends`.
 * - A site's position is that of the called property name for `o.m(...)` (as V8 reports it), else of
 *   the call; `fn` is the enclosing function's name, or `<anonymous>`.
 * - Declaration output (.d.ts) gets `/** @suspends *\/` on each suspending non-root declaration.
 *
 * ## Stress mode (transformer option `stress: true`, `green-tsc --stress`; transformer/stress.ts)
 * Every function that can be a body is rewritten (not only suspending ones), and every call inside a
 * body is preceded by a real suspension that resumes at once (a microtask later):
 *     // source
 *     function area(r: number) { return Math.PI * sq(r); }
 *     // emitted (stress)
 *     __g.link(area, function* area(r) { return Math.PI * (yield __g.pause(), CALL(sq[__g.BODY](r), 0)); });
 * `(yield __g.pause(), call)`: the pause is yielded right after it is made, like every Suspension.
 * A call that is a link of an optional chain gets the pause at the head of its arguments, so it is
 * evaluated only when the call is made: `o?.m(a)` -> `o?.m((yield __g.pause(), a))`, and with no
 * arguments `o?.m(...(yield __g.pause(), []))`.
 *
 * ## Plain-first functions (transformer/plain-first.ts decides which, plain-first-emit.ts emits)
 * A suspending function declaration, function expression or arrow (not a root, not a method) whose
 * suspension points are each the first thing a top-level statement of its body evaluates (`return
 * f(x) + 1;`, `const rows = pool.query(q);`, `x = g();`, `h();`) is emitted as a plain function, an
 * *entry*, instead of a generator: a call costs what a JS call costs, and only a function whose
 * callee stops pays, once, for a continuation. The entry is `wrapper[__g.PLAIN]`; its `[BODY]` is
 * a generator made by the runtime that calls the entry (./plain.ts), so every caller that needs a
 * frame (threads, the guard, `dyn`, array callbacks, `bind`) works unchanged.
 *     // source
 *     function level(x: number): number { const v = next(x); return v + 1; }
 *     // emitted
 *     __g.linkp(level, function level($k, x) {
 *       var $s = 0, $d = 0, $t, v;
 *       if (typeof $k === "number") { if ($k >= 50) return __g.defer([level, this, 0, x]); $d = $k; }
 *       else { $s = $k[2]; x = $k[3]; v = $k[4]; }
 *       switch ($s) {
 *         case 0:
 *           if (($t = next[__g.PLAIN]($d + 1, x)) === __pending) return __g.park(__s[0], [level, this, 1, x, v]);
 *         case 1:
 *           if ($s === 1) $t = __g.resumed();
 *           var v = $t;
 *           return v + 1;
 *       }
 *     });
 *     function level(x) { return __g.sync(level[__g.BODY].apply(this, arguments), "level"); }
 * (a function expression or arrow: `__g.fnp(function level($k, x) {...}, "level")`.)
 * - The entry's first argument `$k` is a number for a call (how many inline calls deep it runs) or
 *   a continuation for a resume. A continuation is an array `[entry, this, state, ...locals]`
 *   (parameters first, then the body's `var`s and top-level declarations, which become `var`s).
 * - It returns its value, or PENDING when it stopped. A stop travels out through the JS stack: the
 *   function that stopped, and each caller in turn, saves its frame (a continuation, or for a
 *   generator the generator) with the site it was called from, innermost first
 *   (trampoline.ts `unwinding`), and the driver moves them onto the thread's stack. `__g.park(site,
 *   k)` saves a caller's site (undefined when `__call` saved it already) and its continuation.
 * - A callee known to be plain-first (a 'fn' target that plain-first.ts chose) is called through
 *   its entry: from an entry `f[__g.PLAIN]($d + 1, a)`, from a generator body
 *   `(__g.callp(f[__g.PLAIN](__g.depth(), a), __s[k]) ? (yield __pending) : __result())`. Any
 *   other callee (a generator body, `dyn`, an array helper, a primitive such as `wait`) is called
 *   from an entry with `__call(frame, __s[k], $d)`, which returns true when it stopped.
 * - Depth: at 50 inline calls an entry does not start (`__g.defer`, a continuation at state 0) and
 *   the driver runs it from the bottom of the JS stack, so deep recursion never grows the JS stack.
 * - A resume calls `entry.call(this, k)`; `__g.resumed()` is the value it resumes with, or throws
 *   the error thrown at the stop (a rejection, a cancel).
 * - Errors thrown between stops are ordinary JS throws through the JS stack (V8's trace has those
 *   frames); an error leaving a resumed continuation gets its caller's site like a generator's.
 * - Locals are copied into the continuation and back, so a closure made by the function must not
 *   be able to tell two activations apart: plain-first.ts only allows closures reading parameters
 *   and declarations that are never assigned again and were made before the closure.
 * - Stress mode keeps generators.
 *
 * ## Run-time entry points for emitted code (`green-ts/internal`)
 * BODY, ENTRY, SYNC, PENDING, link, fn, methods, sync, start, call, result, at, sites, dyn, bind, wait,
 * array, pause; for plain-first functions PLAIN, linkp, fnp, park, defer, resumed, callp, depth.
 */

/** The property of a wrapper that holds its body. `Symbol.for` so that two copies of the runtime agree. */
export const BODY: unique symbol = Symbol.for('green-ts.body') as never;

/**
 * The property of a plain-first function's wrapper that holds its entry (see "Plain-first
 * functions" above). Absent on other green functions: their callers use `[BODY]`.
 */
export const PLAIN: unique symbol = Symbol.for('green-ts.plain') as never;
/**
 * A plain-first function's entry: called with a depth (a number: a new call, made that many inline
 * calls deep) or a Continuation (a resume), then the source parameters. Returns the function's
 * value, or PENDING when it stopped (its continuation is saved: trampoline.ts `park`).
 */
export type PlainEntry = (this: unknown, k: unknown, ...args: any[]) => unknown;

/** A wrapper kind: a plain-callable suspending function (the run-time guard applies). */
export const SYNC = 0;
/** A wrapper kind: a root (`@green`); a plain call starts a thread and returns its promise. */
export const ENTRY = 1;
export type WrapperKind = typeof SYNC | typeof ENTRY;

/** A generator made by a body. */
export type Frame = Generator<unknown, unknown, unknown>;
/** A body: the rewritten code of a suspending function. */
export type Body = (this: unknown, ...args: any[]) => Frame;
/** A function that carries a body. */
export interface GreenFunction extends Function { [BODY]: Body }

/** A call site, for stitched stack traces. Line and column are 1-based, in the original source. */
export interface Site { readonly file: string; readonly line: number; readonly col: number; readonly fn: string }

/** True when `f` carries a body, i.e. it was compiled by green-ts (or built by the runtime). */
export function isGreen(f: unknown): f is GreenFunction {
  return typeof f === 'function' && typeof (f as Partial<GreenFunction>)[BODY] === 'function';
}
