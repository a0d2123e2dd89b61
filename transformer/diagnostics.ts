// Diagnostics: one error type inside the transformer (GreenError), turned into ts.Diagnostic at one
// boundary (toDiagnostic). Every kind DESIGN.md lists has its own code so tests and users can tell
// them apart; tsc prints them as `error TS9400x: ...`.
import type * as tsTypes from 'typescript';
import { ts } from './tsapi.js';

export const enum Code {
  /** A suspending function called from code that is not green (module top level, ...). */
  NonGreenCall = 94001,
  /** A constructor that would suspend. */
  SuspendingConstructor = 94002,
  /** A getter or setter that would suspend. */
  SuspendingAccessor = 94003,
  /** A class field initializer or static block that would suspend. */
  SuspendingInitializer = 94004,
  /** A `@green` function whose return type is not a Promise (or void). */
  GreenNotAsync = 94005,
  /** A suspending call inside a plain `async` function or a user generator. */
  SuspendInAsyncOrGenerator = 94006,
  /** A suspending callback passed to a function the transformer cannot rewrite. */
  CallbackToLibrary = 94007,
  /** A suspending function escaping into a typed slot that cannot run it. */
  Escape = 94008,
  /** A construct green-ts does not rewrite (yet). */
  Unsupported = 94009,
  /** An internal failure of the transformer, reported instead of crashing. */
  Internal = 94010,
}

/** The one error type the transformer raises and collects. */
export class GreenError extends Error {
  constructor(readonly code: Code, readonly node: tsTypes.Node | undefined, message: string, readonly file?: tsTypes.SourceFile) {
    super(message);
    this.name = 'GreenError';
  }
}

/** `file:line` (1-based, path relative to `root` when given) of a node, for messages. */
export function where(node: tsTypes.Node, root?: string): string {
  const sf = node.getSourceFile();
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  let name = sf.fileName;
  if (root && name.startsWith(root + '/')) name = name.slice(root.length + 1);
  return `${name}:${line + 1}`;
}

/** The boundary: a GreenError (or any exception, which becomes an internal-error diagnostic) to a ts.Diagnostic. */
export function toDiagnostic(error: unknown, fallbackNode?: tsTypes.Node): tsTypes.Diagnostic {
  if (error instanceof GreenError) {
    const node = error.node ?? fallbackNode;
    const file = node?.getSourceFile() ?? error.file;
    const start = node && file ? node.getStart(file) : undefined;
    return {
      category: ts.DiagnosticCategory.Error, code: error.code, file,
      start, length: node && start !== undefined ? Math.max(0, node.getEnd() - start) : undefined,
      messageText: error.message, source: 'green-ts',
    };
  }
  const e = error as Error;
  const at = fallbackNode ? ` at ${where(fallbackNode)} (${ts.SyntaxKind[fallbackNode.kind]})` : '';
  return toDiagnostic(new GreenError(Code.Internal, fallbackNode,
    `green-ts internal error${at}: ${e && e.stack ? e.stack.split('\n').slice(0, 4).join(' | ') : String(e)}`));
}
