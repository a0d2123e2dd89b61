// Node builders for the emitted shape of runtime/protocol.ts: one function per protocol form, so the
// rewrite (rewrite.ts) reads as "what goes where" and the spelling of the contract lives here.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';

/**
 * The names emitted code declares at the top of a file: the runtime module, the site table, and
 * aliases of the entry points every green call uses (declared with the site table, see `sites`):
 *
 *     const __g = require("green-ts/internal");
 *     const __s = __g.sites("src/repo.ts", [...]), __call = __g.call, __pending = __g.PENDING, __result = __g.result, __at = __g.at;
 *
 * The aliases are for memory, not speed: `__call(frame, site)` is a call without a receiver, so it
 * takes one V8 register less than `__g.call(frame, site)`, and a parked generator frame keeps every
 * register of its function (bench/results/runtime.md, "Session 5").
 *
 * Each is a file-level unique name: `__g` unless the file already uses that identifier anywhere
 * (then `__g_1`, ...), so code in the file can never shadow them.
 */
interface FileNames {
  g: tsTypes.Identifier;
  s: tsTypes.Identifier;
  call: tsTypes.Identifier;
  pending: tsTypes.Identifier;
  result: tsTypes.Identifier;
  at: tsTypes.Identifier;
}

export class Emit {
  private readonly names: FileNames;
  constructor(readonly f: tsTypes.NodeFactory) {
    const unique = (text: string) => f.createUniqueName(text, ts.GeneratedIdentifierFlags.Optimistic | ts.GeneratedIdentifierFlags.FileLevel);
    this.names = { g: unique('__g'), s: unique('__s'), call: unique('__call'), pending: unique('__pending'), result: unique('__result'), at: unique('__at') };
  }

  /** `__g.name` */
  rt(name: string): tsTypes.PropertyAccessExpression {
    return this.f.createPropertyAccessExpression(this.names.g, name);
  }

  /** `expr[__g.BODY]` */
  body(expr: tsTypes.Expression): tsTypes.ElementAccessExpression {
    return this.f.createElementAccessExpression(needsParens(expr) ? this.f.createParenthesizedExpression(expr) : expr, this.rt('BODY'));
  }

  /** `__s[k]`: the site of call number k (the file's site table, see `sites`) */
  site(k: number): tsTypes.ElementAccessExpression {
    return this.f.createElementAccessExpression(this.names.s, this.f.createNumericLiteral(k));
  }

  /** The file's names of `__g.call`, `__g.PENDING` and `__g.result` (plain-first bodies, plain-first-emit.ts). */
  callName(): tsTypes.Identifier { return this.names.call; }
  pendingName(): tsTypes.Identifier { return this.names.pending; }
  resultName(): tsTypes.Identifier { return this.names.result; }

  /** `expr[__g.PLAIN]`: a plain-first function's entry */
  plain(expr: tsTypes.Expression): tsTypes.ElementAccessExpression {
    return this.f.createElementAccessExpression(needsParens(expr) ? this.f.createParenthesizedExpression(expr) : expr, this.rt('PLAIN'));
  }

  /**
   * A generator body's call of a plain-first entry: `(__g.callp(entry, __s[k]) ? (yield __pending) : __result())`
   * (`entry`: the call `f[__g.PLAIN](__g.depth(), a)`).
   */
  greenCallPlain(k: number, entry: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    return this.yieldIfStopped(this.call(this.rt('callp'), [entry, this.site(k)]));
  }

  /** `(yield __at(frame, __s[k]))`: a call yielded to the trampoline at once (see `greenCall`). */
  yieldAt(k: number, frame: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    const f = this.f;
    return f.createParenthesizedExpression(f.createYieldExpression(undefined, this.call(this.names.at, [frame, this.site(k)])));
  }

  /**
   * A green call: `(__call(frame, __s[k]) ? (yield __pending) : __result())`. The callee runs
   * inline; only if it stops does the caller yield (runtime/trampoline.ts "Inline calls").
   */
  greenCall(k: number, frame: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    return this.yieldIfStopped(this.call(this.names.call, [frame, this.site(k)]));
  }

  /** `(stopped ? (yield __pending) : __result())`: the tail of `greenCall` and `greenCallPlain`. */
  private yieldIfStopped(stopped: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    const f = this.f;
    return f.createParenthesizedExpression(f.createConditionalExpression(stopped,
      undefined, f.createParenthesizedExpression(f.createYieldExpression(undefined, this.names.pending)),
      undefined, this.call(this.names.result, [])));
  }

  /** `(yield __g.pause(), expr)`: stress mode's suspension before a call (runtime/protocol.ts "Stress mode") */
  pauseBefore(expr: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    const f = this.f;
    return f.createParenthesizedExpression(f.createComma(f.createYieldExpression(undefined, this.call(this.rt('pause'), [])), expr));
  }

  /** `a.b(args)` call helper */
  call(callee: tsTypes.Expression, args: readonly tsTypes.Expression[]): tsTypes.CallExpression {
    return this.f.createCallExpression(callee, undefined, args);
  }

  /** `x.call(thisArg, ...args)` / `x.apply(...)` */
  method(target: tsTypes.Expression, name: string, args: readonly tsTypes.Expression[]): tsTypes.CallExpression {
    return this.f.createCallExpression(this.f.createPropertyAccessExpression(target, name), undefined, args);
  }

  /** `__g.link(name, body, __g.ENTRY?)` (`__g.linkp(name, entry)` for a plain-first function) as a statement (`name`: a fresh reference to the declaration) */
  link(name: tsTypes.Identifier, body: tsTypes.Expression, entry: boolean, plainFirst = false): tsTypes.ExpressionStatement {
    const args: tsTypes.Expression[] = [name, body];
    if (entry) args.push(this.rt('ENTRY'));
    return this.f.createExpressionStatement(this.call(this.rt(plainFirst ? 'linkp' : 'link'), args));
  }

  /** `__g.fn(body, "name", __g.ENTRY?)`; `__g.fnp(entry, "name")` for a plain-first function */
  fn(body: tsTypes.Expression, name: string, entry: boolean, plainFirst = false): tsTypes.CallExpression {
    const args: tsTypes.Expression[] = [body, this.f.createStringLiteral(name)];
    if (entry) args.push(this.rt('ENTRY'));
    return this.call(this.rt(plainFirst ? 'fnp' : 'fn'), args);
  }

  /** `__g.methods(target, ["a", ...], ["a"])` */
  methods(target: tsTypes.Expression, names: readonly string[], entries: readonly string[]): tsTypes.CallExpression {
    const list = (xs: readonly string[]) => this.f.createArrayLiteralExpression(xs.map((x) => this.f.createStringLiteral(x)));
    return this.call(this.rt('methods'), [target, list(names), list(entries)]);
  }

  /** `return __g.sync(name[__g.BODY].apply(this, arguments), "label")` (or `__g.start` for roots) */
  wrapperReturn(self: tsTypes.Expression, label: string, entry: boolean): tsTypes.ReturnStatement {
    const f = this.f;
    const frame = this.method(this.body(self), 'apply', [f.createThis(), f.createIdentifier('arguments')]);
    return f.createReturnStatement(this.call(this.rt(entry ? 'start' : 'sync'), [frame, f.createStringLiteral(label)]));
  }

  /** `const __s = __g.sites("file", ["fn", line, col, ...]), __call = __g.call, ...;` (see FileNames) */
  sites(file: string, flat: readonly (string | number)[]): tsTypes.VariableStatement {
    const f = this.f;
    const n = this.names;
    const arr = f.createArrayLiteralExpression(flat.map((x) => typeof x === 'string' ? f.createStringLiteral(x) : f.createNumericLiteral(x)));
    const declare = (name: tsTypes.Identifier, value: tsTypes.Expression) => f.createVariableDeclaration(name, undefined, undefined, value);
    return f.createVariableStatement(undefined, f.createVariableDeclarationList([
      declare(n.s, this.call(this.rt('sites'), [f.createStringLiteral(file), arr])),
      declare(n.call, this.rt('call')), declare(n.pending, this.rt('PENDING')), declare(n.result, this.rt('result')), declare(n.at, this.rt('at'))], ts.NodeFlags.Const));
  }

  /** `import * as __g from "mod";` or, for CommonJS output, `const __g = require("mod");` */
  runtimeImport(module: string, commonjs: boolean): tsTypes.Statement {
    const f = this.f;
    if (commonjs) {
      return f.createVariableStatement(undefined, f.createVariableDeclarationList([
        f.createVariableDeclaration(this.names.g, undefined, undefined, this.call(f.createIdentifier('require'), [f.createStringLiteral(module)]))], ts.NodeFlags.Const));
    }
    return f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(this.names.g)), f.createStringLiteral(module));
  }

  /** `var _a, _b;` */
  temps(names: readonly tsTypes.Identifier[]): tsTypes.VariableStatement {
    return this.f.createVariableStatement(undefined, this.f.createVariableDeclarationList(names.map((n) => this.f.createVariableDeclaration(n))));
  }
}

function needsParens(e: tsTypes.Expression): boolean {
  return !(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e) || e.kind === ts.SyntaxKind.ThisKeyword || ts.isPrivateIdentifier(e));
}
