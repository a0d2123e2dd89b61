// What a function's own code uses of its lexical environment: shared by the rewrite (arrow
// captures) and the plain-first matching (which functions can be lowered without generators).
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';

/** `this` / `arguments` / `new.target` / `super` used by a function's own body (arrows inside included; functions and classes not). */
export function lexicalUses(fn: tsTypes.SignatureDeclaration, includeOwnFunction = false): { this: boolean; arguments: boolean; newTarget: boolean; super: boolean } {
  const r = { this: false, arguments: false, newTarget: false, super: false };
  const walk = (n: tsTypes.Node): void => {
    switch (n.kind) {
      case ts.SyntaxKind.ThisKeyword: r.this = true; return;
      case ts.SyntaxKind.SuperKeyword: r.super = true; return;
      case ts.SyntaxKind.MetaProperty: if ((n as tsTypes.MetaProperty).keywordToken === ts.SyntaxKind.NewKeyword) r.newTarget = true; return;
      case ts.SyntaxKind.Identifier: if ((n as tsTypes.Identifier).text === 'arguments' && isReference(n)) r.arguments = true; return;
      case ts.SyntaxKind.FunctionDeclaration: case ts.SyntaxKind.FunctionExpression: case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.Constructor: case ts.SyntaxKind.GetAccessor: case ts.SyntaxKind.SetAccessor: case ts.SyntaxKind.ClassDeclaration: case ts.SyntaxKind.ClassExpression:
        return;
    }
    ts.forEachChild(n, walk);
  };
  if (includeOwnFunction) { for (const p of fn.parameters) walk(p); const b = (fn as { body?: tsTypes.Node }).body; if (b) walk(b); }
  else ts.forEachChild(fn, walk);
  return r;
}

export function isReference(n: tsTypes.Node): boolean {
  const p = n.parent;
  if (!p) return true;
  if (ts.isPropertyAccessExpression(p) && p.name === n) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === n) return false;
  return true;
}

