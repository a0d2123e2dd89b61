// The TypeScript instance every transformer module uses. ts-patch hands its own (patched) instance in
// `extras.ts`; the CLI and tests use the one `typescript` resolves to. Enum values are the same across
// copies of one TypeScript version, so types come from the `typescript` import and values from here.
// (`import = require`, not `import * as`: esModuleInterop's namespace wrapper turns every `ts.x` into a
// getter call, which costs more than the analysis itself.)
//
// `ts` is a view of the instance: its prototype is the instance itself, so every member reads as it
// does there, and it holds its own copies of the members the analysis and the rewrite use per node
// (the `is*` node tests, SyntaxKind and the other enums, forEachChild, the visitors). The instance's
// export object keeps 2,000+ getters in dictionary mode, so each `ts.x` there is a hash lookup and a
// getter call; read from the view's own (fast) properties it is a plain load: millions of them per
// analysis of a large program.
import tsModule = require('typescript');

type TypeScript = typeof tsModule;

/** Members used per node besides the `is*` tests (function values and enums; never state such as `sys`). */
const hot = [
  'SyntaxKind', 'SymbolFlags', 'TypeFlags', 'ModifierFlags', 'NodeFlags', 'ModuleKind', 'ScriptTarget', 'DiagnosticCategory', 'EmitFlags',
  'forEachChild', 'visitNode', 'visitNodes', 'visitEachChild', 'setTextRange', 'setSourceMapRange', 'setOriginalNode', 'getOriginalNode',
  'getCombinedModifierFlags', 'getLeadingCommentRanges', 'getTrailingCommentRanges', 'addSyntheticLeadingComment', 'skipTrivia',
];

function view(instance: TypeScript): TypeScript {
  const own: PropertyDescriptorMap = {};
  const source = instance as unknown as Record<string, unknown>;
  for (const name in instance) {
    if ((name.startsWith('is') && typeof source[name] === 'function') || hot.includes(name)) {
      own[name] = { value: source[name], enumerable: true };
    }
  }
  return Object.create(instance, own) as TypeScript;
}

let instance: TypeScript = tsModule;
export let ts: TypeScript = view(tsModule);

/** Use `instance` (ts-patch's `extras.ts`) for every later call. */
export function useTypeScript(next: TypeScript | undefined): void {
  if (next && next !== instance && next !== ts) { instance = next; ts = view(next); }
}
