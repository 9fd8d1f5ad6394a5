// Preloaded with --import: records every module URL the process resolves, one per line, in the
// file named by TRACE_IMPORTS_FILE. Used to prove what a command does not load.
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";

const file = process.env.TRACE_IMPORTS_FILE;
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    if (file) appendFileSync(file, `${result.url}\n`);
    return result;
  },
});
