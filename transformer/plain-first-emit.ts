// Generating a plain-first function (runtime/protocol.ts "Plain-first functions"; matching is in
// plain-first.ts). The rewrite visits the body's top-level statements one by one as usual; a green
// call in them is handed here (`stop`) instead of becoming a `yield`, and each statement is added
// with the stop it contains, if any:
//
//     // source
//     function level(x: number) { const v = next(x); return v + 1; }
//     // emitted
//     __g.linkp(level, function level($k, x) {
//       var $s = 0, $d = 0, $t, v;
//       if (typeof $k === "number") { if ($k >= 50) return __g.defer([level, this, 0, x]); $d = $k; }
//       else { $s = $k[2]; x = $k[3]; v = $k[4]; }
//       switch ($s) {
//         case 0:
//           if (($t = next[__g.PLAIN]($d + 1, x)) === __pending) return __g.park(__s[0], [level, this, 1, x, v]);
//         case 1:
//           if ($s === 1) $t = __g.resumed();
//           var v = $t;
//           return v + 1;
//       }
//     });
//
// A callee that is not plain-first (a generator body, `dyn`, an array helper, a primitive) is
// called with `__call(frame, __s[k], $d)`:
//           if (__call(frame, __s[0], $d)) return __g.park(void 0, [level, this, 1, x, v]);
//           $t = __result();
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Emit } from './emit.js';
import type { PlainShape } from './plain-first.js';

/** How many plain-first calls may nest on the JS stack before one defers (runtime/trampoline.ts INLINE_LIMIT). */
const INLINE_LIMIT = 50;

/** A stop found in the statement being visited: a call of a plain-first entry, or a frame for `__call`. */
export type PlainStop = { entry: tsTypes.Expression; k: number } | { frame: tsTypes.Expression; k: number };

export class PlainFirstBody {
  private readonly f: tsTypes.NodeFactory;
  private readonly state: tsTypes.Identifier;
  private readonly depthName: tsTypes.Identifier;
  /** The value of the stop in the statement being visited (`$t`). */
  readonly value: tsTypes.Identifier;
  /** The resumed continuation, or the depth of a new call: the entry's first parameter (`$k`). */
  readonly k: tsTypes.Identifier;
  private readonly clauses: tsTypes.CaseClause[] = [];
  private current: tsTypes.Statement[] = [];
  private states = 0;

  constructor(private readonly e: Emit, private readonly shape: PlainShape, private readonly self: tsTypes.Identifier) {
    const f = this.f = e.f;
    this.k = f.createUniqueName('$k');
    this.state = f.createUniqueName('$s');
    this.depthName = f.createUniqueName('$d');
    this.value = f.createUniqueName('$t');
  }

  /** The depth a green call from this body passes on: `$d + 1`. */
  nextDepth(): tsTypes.Expression {
    return this.f.createAdd(this.depthName, this.f.createNumericLiteral(1));
  }

  /** Add a visited top-level statement, split at its stop if it has one. */
  add(statement: tsTypes.Statement, stop: PlainStop | undefined): void {
    const f = this.f;
    if (stop) {
      const n = ++this.states;
      const park = (site: tsTypes.Expression) => f.createReturnStatement(this.e.call(this.e.rt('park'), [site, this.continuation(n, this.shape.locals)]));
      if ('entry' in stop) {
        // if (($t = f[__g.PLAIN]($d + 1, a)) === __pending) return __g.park(__s[k], [self, this, n, ...locals]);
        this.current.push(f.createIfStatement(f.createStrictEquality(f.createParenthesizedExpression(f.createAssignment(this.value, stop.entry)), this.e.pendingName()),
          park(this.e.site(stop.k))));
      } else {
        // if (__call(frame, __s[k], $d)) return __g.park(void 0, [self, this, n, ...locals]); $t = __result();
        this.current.push(f.createIfStatement(this.e.call(this.e.callName(), [stop.frame, this.e.site(stop.k), this.depthName]), park(f.createVoidZero())));
        this.current.push(f.createExpressionStatement(f.createAssignment(this.value, this.e.call(this.e.resultName(), []))));
      }
      this.endCase();
      // if ($s === n) $t = __g.resumed($k);
      this.current.push(f.createIfStatement(f.createStrictEquality(this.state, f.createNumericLiteral(n)),
        f.createExpressionStatement(f.createAssignment(this.value, this.e.call(this.e.rt('resumed'), [])))));
    }
    this.current.push(asVar(f, statement));
  }

  /** The entry's parameters and body. `temps`: the rewrite's temporaries, declared with the locals. */
  finish(params: readonly string[], rest: boolean, temps: readonly tsTypes.Identifier[], body: tsTypes.Node): { params: tsTypes.ParameterDeclaration[]; body: tsTypes.Block } {
    const f = this.f;
    this.endCase();
    const paramIds = params.map((p) => f.createIdentifier(p));
    const declared = new Set(params);
    const vars = [
      f.createVariableDeclaration(this.state, undefined, undefined, f.createNumericLiteral(0)),
      f.createVariableDeclaration(this.depthName, undefined, undefined, f.createNumericLiteral(0)),
      f.createVariableDeclaration(this.value),
      ...this.shape.locals.filter((l) => !declared.has(l)).map((l) => f.createVariableDeclaration(l)),
      ...temps.map((t) => f.createVariableDeclaration(t)),
    ];
    // if (typeof $k === "number") { if ($k >= 50) return __g.defer([self, this, 0, ...params]); $d = $k; }
    const call = f.createBlock([
      f.createIfStatement(f.createGreaterThanEquals(this.k, f.createNumericLiteral(INLINE_LIMIT)),
        f.createReturnStatement(this.e.call(this.e.rt('defer'), [this.continuation(0, params)]))),
      f.createExpressionStatement(f.createAssignment(this.depthName, this.k)),
    ], false);
    // else { $s = $k[2]; x = $k[3]; ... }   (a continuation is [fn, this, state, ...locals])
    const resume = f.createBlock([
      f.createExpressionStatement(f.createAssignment(this.state, f.createElementAccessExpression(this.k, 2))),
      ...this.shape.locals.map((l, i) => f.createExpressionStatement(f.createAssignment(f.createIdentifier(l), f.createElementAccessExpression(this.k, 3 + i)))),
    ], false);
    const statements: tsTypes.Statement[] = [
      f.createVariableStatement(undefined, f.createVariableDeclarationList(vars)),
      f.createIfStatement(f.createStrictEquality(f.createTypeOfExpression(this.k), f.createStringLiteral('number')), call, resume),
      f.createSwitchStatement(this.state, f.createCaseBlock(this.clauses)),
    ];
    const ps = [f.createParameterDeclaration(undefined, undefined, this.k),
      ...paramIds.map((p, i) => f.createParameterDeclaration(undefined, rest && i === paramIds.length - 1 ? f.createToken(ts.SyntaxKind.DotDotDotToken) : undefined, p))];
    return { params: ps, body: ts.setTextRange(f.createBlock(statements, true), body) };
  }

  /** `[self, this, state, ...names]`: a continuation (runtime/trampoline.ts Continuation). */
  private continuation(state: number, names: readonly string[]): tsTypes.ArrayLiteralExpression {
    const f = this.f;
    return f.createArrayLiteralExpression([this.self, f.createThis(), f.createNumericLiteral(state), ...names.map((l) => f.createIdentifier(l))]);
  }

  private endCase(): void {
    this.clauses.push(this.f.createCaseClause(this.f.createNumericLiteral(this.clauses.length), this.current));
    this.current = [];
  }
}

/** A top-level `let`/`const` becomes `var`: its value is restored on resume, by assignment. */
function asVar(f: tsTypes.NodeFactory, s: tsTypes.Statement): tsTypes.Statement {
  if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.BlockScoped)) return s;
  return f.updateVariableStatement(s, s.modifiers, f.createVariableDeclarationList(s.declarationList.declarations, ts.NodeFlags.None));
}
