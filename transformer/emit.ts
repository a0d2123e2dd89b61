// Node builders for the emitted shape of runtime/protocol.ts: one function per protocol form, so the
// rewrite (rewrite.ts) reads as "what goes where" and the spelling of the contract lives here.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';

export const RUNTIME_NAME = '__g';
export const SITES_NAME = '__s';

export class Emit {
  readonly g: tsTypes.Identifier;
  readonly s: tsTypes.Identifier;
  constructor(readonly f: tsTypes.NodeFactory) {
    this.g = f.createIdentifier(RUNTIME_NAME);
    this.s = f.createIdentifier(SITES_NAME);
  }

  /** `__g.name` */
  rt(name: string): tsTypes.PropertyAccessExpression {
    return this.f.createPropertyAccessExpression(this.f.createIdentifier(RUNTIME_NAME), name);
  }

  /** `expr[__g.BODY]` */
  body(expr: tsTypes.Expression): tsTypes.ElementAccessExpression {
    return this.f.createElementAccessExpression(needsParens(expr) ? this.f.createParenthesizedExpression(expr) : expr, this.rt('BODY'));
  }

  /** `__s[k]`: the site of call number k (the file's site table, see `sites`) */
  site(k: number): tsTypes.ElementAccessExpression {
    return this.f.createElementAccessExpression(this.f.createIdentifier(SITES_NAME), this.f.createNumericLiteral(k));
  }

  /** `(yield __g.at(frame, __s[k]))`: a call yielded to the trampoline at once (see `greenCall`). */
  yieldAt(k: number, frame: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    const f = this.f;
    return f.createParenthesizedExpression(f.createYieldExpression(undefined, this.call(this.rt('at'), [frame, this.site(k)])));
  }

  /**
   * A green call: `(__g.call(frame, __s[k]) ? (yield __g.PENDING) : __g.result())`. The callee runs
   * inline; only if it stops does the caller yield (runtime/trampoline.ts "Inline calls").
   */
  greenCall(k: number, frame: tsTypes.Expression): tsTypes.ParenthesizedExpression {
    const f = this.f;
    return f.createParenthesizedExpression(f.createConditionalExpression(
      this.call(this.rt('call'), [frame, this.site(k)]),
      undefined, f.createParenthesizedExpression(f.createYieldExpression(undefined, this.rt('PENDING'))),
      undefined, this.call(this.rt('result'), [])));
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

  /** `__g.link(name, body, __g.ENTRY?)` as a statement (`name`: a fresh reference to the declaration) */
  link(name: tsTypes.Identifier, body: tsTypes.Expression, entry: boolean): tsTypes.ExpressionStatement {
    const args: tsTypes.Expression[] = [name, body];
    if (entry) args.push(this.rt('ENTRY'));
    return this.f.createExpressionStatement(this.call(this.rt('link'), args));
  }

  /** `__g.fn(body, "name", __g.ENTRY?)` */
  fn(body: tsTypes.Expression, name: string, entry: boolean): tsTypes.CallExpression {
    const args: tsTypes.Expression[] = [body, this.f.createStringLiteral(name)];
    if (entry) args.push(this.rt('ENTRY'));
    return this.call(this.rt('fn'), args);
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

  /** `const __s = __g.sites("file", ["fn", line, col, ...]);` */
  sites(file: string, flat: readonly (string | number)[]): tsTypes.VariableStatement {
    const f = this.f;
    const arr = f.createArrayLiteralExpression(flat.map((x) => typeof x === 'string' ? f.createStringLiteral(x) : f.createNumericLiteral(x)));
    return f.createVariableStatement(undefined, f.createVariableDeclarationList([
      f.createVariableDeclaration(SITES_NAME, undefined, undefined, this.call(this.rt('sites'), [f.createStringLiteral(file), arr]))], ts.NodeFlags.Const));
  }

  /** `import * as __g from "mod";` or, for CommonJS output, `const __g = require("mod");` */
  runtimeImport(module: string, commonjs: boolean): tsTypes.Statement {
    const f = this.f;
    if (commonjs) {
      return f.createVariableStatement(undefined, f.createVariableDeclarationList([
        f.createVariableDeclaration(RUNTIME_NAME, undefined, undefined, this.call(f.createIdentifier('require'), [f.createStringLiteral(module)]))], ts.NodeFlags.Const));
    }
    return f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamespaceImport(f.createIdentifier(RUNTIME_NAME))), f.createStringLiteral(module));
  }

  /** `var _a, _b;` */
  temps(names: readonly tsTypes.Identifier[]): tsTypes.VariableStatement {
    return this.f.createVariableStatement(undefined, this.f.createVariableDeclarationList(names.map((n) => this.f.createVariableDeclaration(n))));
  }
}

function needsParens(e: tsTypes.Expression): boolean {
  return !(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isParenthesizedExpression(e) || e.kind === ts.SyntaxKind.ThisKeyword || ts.isPrivateIdentifier(e));
}
