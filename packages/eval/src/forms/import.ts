import type { Scope } from "../env.js";
import { modulesUnavailable } from "../errors.js";
import type { Interpreter } from "../evaluate.js";
import type { Tree, TreeApply } from "../tree.js";
import { UNIT, type Value } from "../values.js";

/**
 * `import PATH (a, b)`, `import PATH *`, `import PATH as q` (docs/spec/15-modules.md). What an
 * import binds is resolved by the host before the file runs and hoisted
 * ({@link EvalOptions.imports}); the item itself yields `()`. Its mistakes (unknown modules and
 * names, cycles, malformed imports) are the module system's to report, once. Without a host
 * that resolves modules (a lone file, the REPL) an import is an error here.
 */
export function importForm(
  interp: Interpreter,
  call: TreeApply,
  _args: readonly Tree[],
  _scope: Scope,
): Value {
  if (interp.resolvesImports) return UNIT;
  return interp.fail(modulesUnavailable(call.span));
}
