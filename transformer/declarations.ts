// Declaration output: packages built with green-ts carry `/** @suspends */` on the suspending
// declarations of their emitted .d.ts (DESIGN.md "Suspension analysis"), so a project depending on
// them is analysed correctly (marks.ts reads the comment text in .d.ts files like in .ts files, and
// callgraph.ts's seeds take it from there). An afterDeclarations transformer adds the comment in front
// of every declaration whose source suspends: functions (and each overload signature), `const f = () =>`
// variables, class methods (abstract ones too) and function-valued properties, interface and type
// literal members that a suspending implementation shares a convention with. Roots are not marked (a
// root is an ordinary async function to its callers), nor declarations that already carry the mark
// in their own comment (tsc keeps it). Nodes the declaration emitter reused from the source are
// cloned before they get the comment, so the JavaScript emit never sees it.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';
import type { Analysis } from './analysis.js';
import { skipOuter } from './callgraph.js';

export const SUSPENDS_COMMENT = '* @suspends ';

/** The source declaration (or function) the analysis knows for an emitted declaration's original node. */
function suspendingSource(analysis: Analysis, original: tsTypes.Node): boolean {
  const seeds = analysis.graph?.seeds;
  if (!seeds || seeds.has(original)) return false;
  const suspends = (x: tsTypes.Node | undefined): boolean => !!x && analysis.suspends.has(x) && !analysis.isRoot(x) && !seeds.has(x);
  if (ts.isVariableStatement(original)) return original.declarationList.declarations.some((d) => suspendingSource(analysis, d));
  if (ts.isVariableDeclaration(original) || ts.isPropertyDeclaration(original) || ts.isPropertyAssignment(original)) {
    const init = original.initializer ? skipOuter(original.initializer) : undefined;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return suspends(init) && !analysis.isRoot(init);
    return suspends(original);
  }
  if ((ts.isFunctionDeclaration(original) || ts.isMethodDeclaration(original)) && !original.body && original.name && !hasAbstract(original)) {
    // an overload signature: the implementation decides
    const sym = analysis.graph.checker.getSymbolAtLocation(original.name);
    const impl = sym?.declarations?.find((d) => (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && !!d.body);
    if (impl) return suspends(impl);
  }
  return suspends(original);
}

function hasAbstract(n: tsTypes.Node): boolean {
  return !!(ts.getCombinedModifierFlags(n as tsTypes.Declaration) & ts.ModifierFlags.Abstract);
}

const markable = (n: tsTypes.Node): boolean =>
  ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isMethodSignature(n) || ts.isPropertySignature(n)
  || ts.isPropertyDeclaration(n) || ts.isVariableStatement(n);

const descend = (n: tsTypes.Node): boolean =>
  ts.isSourceFile(n) || ts.isModuleDeclaration(n) || ts.isModuleBlock(n) || ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n)
  || ts.isTypeAliasDeclaration(n) || ts.isTypeLiteralNode(n) || ts.isExportAssignment(n);

export function createDeclarationMarker(analysis: Analysis): tsTypes.TransformerFactory<tsTypes.SourceFile | tsTypes.Bundle> {
  return (context) => {
    const visit = (n: tsTypes.Node): tsTypes.Node => {
      if (markable(n)) {
        const original = ts.getOriginalNode(n);
        if (original.getSourceFile?.() && !original.getSourceFile().isDeclarationFile && suspendingSource(analysis, original)) {
          // a node reused from the source is cloned: the comment must not reach the JavaScript emit
          const clone = n === original ? cloneNode(context.factory, n) : n;
          if (clone) {
            ts.addSyntheticLeadingComment(clone, ts.SyntaxKind.MultiLineCommentTrivia, SUSPENDS_COMMENT, true);
            return ts.isClassDeclaration(clone) || ts.isInterfaceDeclaration(clone) ? ts.visitEachChild(clone, visit, context) : clone;
          }
        }
      }
      if (descend(n)) return ts.visitEachChild(n, visit, context);
      return n;
    };
    return (node) => {
      if (ts.isBundle(node)) return context.factory.updateBundle(node, node.sourceFiles.map((sf) => ts.visitEachChild(sf, visit, context)));
      return ts.visitEachChild(node, visit, context);
    };
  };
}

function cloneNode<T extends tsTypes.Node>(factory: tsTypes.NodeFactory, n: T): T | undefined {
  const clone = (factory as unknown as { cloneNode?: <U extends tsTypes.Node>(x: U) => U }).cloneNode;
  if (!clone) return undefined;
  const c = clone(n);
  ts.setOriginalNode(c, n);
  ts.setTextRange(c, n);
  return c;
}
