// Declaration output: packages built with green-ts carry `/** @suspends */` on the suspending
// declarations of their emitted .d.ts (DESIGN.md "Suspension analysis"), so a project depending on
// them is analysed correctly. An afterDeclarations transformer adds the comment where the original
// declaration suspends (and is not a root: a root is an ordinary async function to its callers).
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Analysis } from './analysis.js';

export function createDeclarationMarker(analysis: Analysis): tsTypes.TransformerFactory<tsTypes.SourceFile | tsTypes.Bundle> {
  return (context) => (node) => {
    if (!ts.isSourceFile(node)) return node;
    const visit = (n: tsTypes.Node): tsTypes.Node => {
      const original = ts.getOriginalNode(n);
      if (original !== n || (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n))) {
        const decl = ts.isVariableStatement(original) ? original.declarationList.declarations[0]?.initializer : original;
        if (decl && analysis.suspends.has(decl) && analysis.rewrite.has(decl) && !analysis.isRoot(decl) && !analysis.graph.seeds.has(original)) {
          ts.addSyntheticLeadingComment(n, ts.SyntaxKind.MultiLineCommentTrivia, '* @suspends ', true);
        }
      }
      if (ts.isSourceFile(n) || ts.isModuleDeclaration(n) || ts.isModuleBlock(n) || ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n)) return ts.visitEachChild(n, visit, context);
      return n;
    };
    return ts.visitEachChild(node, visit, context);
  };
}
