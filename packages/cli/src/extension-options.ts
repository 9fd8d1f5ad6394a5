import { statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BetterAuthPlugin, Extension } from "@better-auth/migrate-core";
import type { AdapterModule } from "./adapters.js";
import { CliError } from "./cli-error.js";
import { EXIT, ERROR_EXIT, isErrorCode } from "./exit-codes.js";

/**
 * `--better-auth` names, kebab-case as on the command line, and the plugin each stands for in core's
 * `betterAuthCompat({ plugins })`. `core` (Better Auth without plugins) is always included.
 */
export const BETTER_AUTH_FLAG_NAMES = {
  organization: "organization",
  teams: "teams",
  "two-factor": "twoFactor",
  passkey: "passkey",
  "api-key": "apiKey",
  username: "username",
  admin: "admin",
} as const satisfies Record<string, BetterAuthPlugin>;

// Does not compile while core has a plugin the command line cannot name.
type Unnamed = Exclude<BetterAuthPlugin, (typeof BETTER_AUTH_FLAG_NAMES)[keyof typeof BETTER_AUTH_FLAG_NAMES]>;
const everyPluginNamed: [Unnamed] extends [never] ? true : Unnamed = true;
void everyPluginNamed;

const KNOWN = ["core", ...Object.keys(BETTER_AUTH_FLAG_NAMES)].join(", ");

/** `twoFactor`, `two_factor` and `Two-Factor` are read as `two-factor`. */
const normalName = (name: string) => name.trim().replace(/([a-z0-9])([A-Z])/g, "$1-$2").replaceAll("_", "-").toLowerCase();

/** A name is echoed only when it is a plain word: a mistyped flag may hold anything. */
const shownName = (name: string) => (/^[\w-]{0,40}$/.test(name) ? `"${name}"` : "(not shown)");

/**
 * The plugins of one or more `--better-auth` values, each a comma-separated list: `core` alone, or
 * plugin names (`organization,two-factor`). Repeats are fine; the order is core's, whatever it is here.
 * Anything else is a usage error that lists the known names.
 */
export function parseBetterAuthList(values: readonly string[]): BetterAuthPlugin[] {
  const plugins = new Set<BetterAuthPlugin>();
  for (const value of values) {
    const names = value.split(",");
    if (names.every((name) => name.trim() === "")) {
      throw new CliError("BAD_OPTION", `--better-auth needs "core" or a comma-separated list of plugins; known: ${KNOWN}.`, { hint: "--better-auth core, or --better-auth organization,two-factor." });
    }
    for (const name of names) {
      const normal = normalName(name);
      if (normal === "core") continue;
      const plugin = Object.hasOwn(BETTER_AUTH_FLAG_NAMES, normal) ? BETTER_AUTH_FLAG_NAMES[normal as keyof typeof BETTER_AUTH_FLAG_NAMES] : undefined;
      if (!plugin) throw new CliError("BAD_OPTION", `--better-auth: unknown name ${shownName(name.trim())}; known: ${KNOWN}.`);
      plugins.add(plugin);
    }
  }
  if (plugins.has("teams") && !plugins.has("organization")) {
    throw new CliError("BAD_OPTION", "--better-auth: teams is part of the organization plugin; list organization too.", { hint: "--better-auth organization,teams" });
  }
  return [...plugins];
}

/** File types `import()` runs: JavaScript always, TypeScript where Node strips types. */
const JAVASCRIPT = new Set([".js", ".mjs", ".cjs"]);
const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
const TYPESCRIPT_HINT = "Use a .js file, or Node.js 22.18 or newer (or NODE_OPTIONS=--experimental-strip-types on Node.js 22.6 to 22.17).";

/** Node.js runs .ts files by stripping types unless told not to: from 22.18 and 23.6. */
function stripsTypesByDefault(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

function moduleError(path: string, message: string, hint?: string): CliError {
  return new CliError("BAD_EXTENSIONS_MODULE", `--extensions ${path}: ${message}`, hint === undefined ? {} : { hint });
}

/** The first line of whatever a module threw, without its stack; never throws itself (a Proxy may). */
function firstLine(error: unknown): string {
  try {
    const message = error instanceof Error ? error.message : typeof (error as { message?: unknown })?.message === "string" ? (error as { message: string }).message : String(error);
    return message.split("\n")[0]!.trim() || (error instanceof Error ? error.name : "an empty error");
  } catch {
    return "an error that cannot be shown";
  }
}

/**
 * The module's evaluation, or a usage error when it can never finish: a top-level await on a promise
 * nothing will settle. Node notices when nothing is left to run ('beforeExit') and would exit with
 * status 13 and a warning; the rejection keeps the process going long enough to say what happened.
 */
function untilSettled<T>(evaluation: Promise<T>, path: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stuck = () => reject(moduleError(path, "its top-level await never settles: it waits for something nothing will do.", "Remove the await at the top of the module (or make sure what it awaits finishes)."));
    process.once("beforeExit", stuck);
    evaluation.then(resolve, reject).finally(() => process.off("beforeExit", stuck));
  });
}

/**
 * Imports the module `--extensions` names (relative to `cwd`) and returns what it exports as
 * extensions: `export default [ext, …]`, `export const extensions = […]` (or `module.exports =
 * { extensions }`), or one extension as the default export. Whether those are extensions is
 * checked by core (`resolveSchema`), which says what is wrong with one.
 */
export async function loadExtensionsModule(path: string, cwd: string): Promise<unknown[]> {
  const file = resolve(cwd, path);
  const type = extname(file).toLowerCase();
  if (!JAVASCRIPT.has(type) && !TYPESCRIPT.has(type)) {
    throw moduleError(path, "not a JavaScript or TypeScript module.", "Name a .js, .mjs or .cjs file (or .ts, .mts or .cts on Node.js 22.18 or newer).");
  }
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw moduleError(path, "no such file.", `The path is relative to the current directory, ${cwd}.`);
  }
  if (!stats.isFile()) throw moduleError(path, "not a file.");
  let exports: Record<string, unknown>;
  try {
    exports = (await untilSettled(import(/* @vite-ignore */ pathToFileURL(file).href), path)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    if (TYPESCRIPT.has(type) && code === "ERR_UNKNOWN_FILE_EXTENSION") {
      if (stripsTypesByDefault()) throw moduleError(path, `type stripping is turned off in this Node.js (${process.version}).`, "Use a .js file, or leave out --no-experimental-strip-types (also in NODE_OPTIONS).");
      throw moduleError(path, `this Node.js (${process.version}) does not run TypeScript files.`, TYPESCRIPT_HINT);
    }
    // defineExtension or defineTable refusing a spec while the module loads: their own code and exit status.
    if (isErrorCode(code) && ERROR_EXIT[code] === EXIT.USAGE) throw withHint(error as Error, `While loading --extensions ${path}.`);
    const hint = code === "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX" ? "Node.js only strips types: write enums and namespaces as plain objects, or compile the module to .js." : undefined;
    throw moduleError(path, `loading it failed: ${firstLine(error)}`, hint);
  }
  try {
    return extensionsOf(exports, path);
  } catch (error) {
    // A getter that throws, a Proxy: the module's own doing, said as such (exit 2, not a crash).
    if (error instanceof CliError) throw error;
    throw moduleError(path, `reading its exports failed: ${firstLine(error)}`);
  }
}

/** What the module exports as extensions, as a list of its own (later changes to the module's do not count). */
function extensionsOf(exports: Record<string, unknown>, path: string): unknown[] {
  const main = exports.default;
  // CommonJS `module.exports = { extensions }`: the object is the default export, and Node may not see the name.
  const wrapped = main !== null && typeof main === "object" && !Array.isArray(main) && Object.hasOwn(main, "extensions") ? (main as { extensions: unknown }).extensions : undefined;
  const named = exports.extensions ?? wrapped;
  if (named !== undefined && main !== undefined && main !== named && wrapped !== named) {
    throw moduleError(path, "it exports both a default and `extensions`; export the list once.");
  }
  const value = named ?? main;
  if (value === undefined) {
    throw moduleError(path, "it exports no extensions.", "Export them: export default [twoFactor, …], export const extensions = […], or export default oneExtension.");
  }
  return Array.isArray(value) ? [...(value as unknown[])] : [value];
}

/** The error with a hint (when it has none), keeping its code, message and migration. */
function withHint(error: Error & { hint?: unknown }, hint: string): Error {
  if (typeof error.hint === "string") return error;
  return Object.assign(new Error(error.message), { code: (error as { code?: unknown }).code, hint, migrationId: (error as { migrationId?: unknown }).migrationId });
}

export interface ExtensionFlags {
  /** The `--better-auth` values. */
  betterAuth: readonly string[];
  /** The `--extensions` paths, in order. */
  extensions: readonly string[];
}

/**
 * The extensions the flags name, in the order they apply: Better Auth's compatibility extensions
 * (`--better-auth`), then the modules' (`--extensions`, in the order given). Checked together as core
 * checks them for `createMigrator`, so that a bad one is reported as a usage error naming its flag
 * before any database is opened. Undefined when neither flag is given (core loads nothing then).
 */
export async function resolveExtensions(flags: ExtensionFlags, cwd: string, loadCore: () => Promise<Pick<AdapterModule, "betterAuthCompat" | "resolveSchema">>): Promise<readonly Extension[] | undefined> {
  if (flags.betterAuth.length === 0 && flags.extensions.length === 0) return undefined;
  const plugins = flags.betterAuth.length > 0 ? parseBetterAuthList(flags.betterAuth) : undefined;
  const fromModules: unknown[] = [];
  for (const path of flags.extensions) fromModules.push(...(await loadExtensionsModule(path, cwd)));
  const core = await loadCore();
  const list = [...(plugins ? core.betterAuthCompat({ plugins }) : []), ...(fromModules as Extension[])];
  try {
    core.resolveSchema(list);
  } catch (error) {
    const from = flags.extensions.length > 0 ? `--extensions ${flags.extensions.join(", ")}` : "--better-auth";
    throw withHint(error as Error, `The extensions come from ${from}${flags.extensions.length > 0 && plugins ? " (after those of --better-auth)" : ""}; build each with defineExtension from @better-auth/migrate-core.`);
  }
  return list;
}
