// The TypeScript instance every transformer module uses. ts-patch hands its own (patched) instance in
// `extras.ts`; the CLI and tests use the one `typescript` resolves to. Enum values are the same across
// copies of one TypeScript version, so types come from the `typescript` import and values from here.
// (`import = require`, not `import * as`: esModuleInterop's namespace wrapper turns every `ts.x` into a
// getter call, which costs more than the analysis itself.)
import tsModule = require('typescript');

export let ts: typeof tsModule = tsModule;

/** Use `instance` (ts-patch's `extras.ts`) for every later call. */
export function useTypeScript(instance: typeof tsModule | undefined): void {
  if (instance && instance !== ts) ts = instance;
}
