// How the benchmark reaches the workspace's code without being a workspace package itself:
// modules resolve from the package that depends on them (createRequire), and
// @better-auth/test-databases, which ships TypeScript source only, loads through two module hooks
// (its `.js` imports name `.ts` files; types are stripped, parameter properties transformed).
import { readFileSync } from "node:fs";
import { createRequire, registerHooks, stripTypeScriptTypes } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BENCH = join(ROOT, "bench");
export const CLI = join(ROOT, "packages", "cli", "dist", "cli.js");

/** `require` as the workspace package at `dir` (e.g. "packages/pg") sees it. */
export function requireFrom(dir) {
  return createRequire(join(ROOT, dir, "package.json"));
}

/** Imports `specifier` as the workspace package at `dir` would resolve it. */
export function importFrom(dir, specifier) {
  return import(pathToFileURL(requireFrom(dir).resolve(specifier)).href);
}

/** The version in the package.json of `name`, as `dir` resolves it. */
export function packageVersion(dir, name) {
  try {
    const require = requireFrom(dir);
    let path = dirname(require.resolve(name));
    for (;;) {
      try {
        const json = JSON.parse(readFileSync(join(path, "package.json"), "utf8"));
        if (json.name === name) return json.version;
      } catch {}
      const up = dirname(path);
      if (up === path) return "unknown";
      path = up;
    }
  } catch {
    return "unknown";
  }
}

function transpile(source, url) {
  if (typeof stripTypeScriptTypes === "function") return stripTypeScriptTypes(source, { mode: "transform" });
  // Node versions without stripTypeScriptTypes: TypeScript from the workspace.
  const ts = requireFrom("tooling/test-databases")("typescript");
  return ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
}

let hooked = false;
function hookTypeScript() {
  if (hooked) return;
  hooked = true;
  const emit = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (String(warning).includes("stripTypeScriptTypes")) return;
    return emit.call(this, warning, ...rest);
  };
  registerHooks({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context);
      } catch (error) {
        if (specifier.startsWith(".") && specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) {
          return next(`${specifier.slice(0, -3)}.ts`, context);
        }
        throw error;
      }
    },
    load(url, context, next) {
      if (url.startsWith("file:") && url.endsWith(".ts")) {
        return { format: "module", shortCircuit: true, source: transpile(readFileSync(fileURLToPath(url), "utf8"), url) };
      }
      return next(url, context);
    },
  });
}

/** @better-auth/test-databases: startPostgres, createTestDatabase, startMariadb, … */
export async function testDatabases() {
  hookTypeScript();
  return import(pathToFileURL(join(ROOT, "tooling", "test-databases", "src", "index.ts")).href);
}
