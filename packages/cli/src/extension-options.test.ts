import { BETTER_AUTH_PLUGINS, betterAuthCompat } from "@better-auth/migrate-core";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BETTER_AUTH_FLAG_NAMES, loadExtensionsModule, parseBetterAuthList, resolveExtensions } from "./extension-options.js";

/** What the CLI gets from the adapter's standalone build, here from core itself. */
const loadCore = async () => import("@better-auth/migrate-core");

const FIXTURES = fileURLToPath(new URL("../test/fixtures/extensions/", import.meta.url));

/** The error a call rejects with, for its code, message and hint. */
async function failure(work: () => unknown): Promise<{ code: string; message: string; hint?: string; exitCode?: number }> {
  try {
    await work();
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error("it did not fail");
}

const ids = (list: readonly unknown[] | undefined) => (list ?? []).map((e) => (e as { id: string }).id);

describe("--better-auth: core, or plugins in kebab-case", () => {
  it("names every plugin core knows, kebab-case", () => {
    expect(Object.values(BETTER_AUTH_FLAG_NAMES).sort()).toEqual([...BETTER_AUTH_PLUGINS].sort());
    for (const flag of Object.keys(BETTER_AUTH_FLAG_NAMES)) expect(flag).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it("reads core alone, plugin lists, repeats and repeated flags; camelCase and snake_case too", () => {
    expect(parseBetterAuthList(["core"])).toEqual([]);
    expect(parseBetterAuthList(["organization,two-factor"])).toEqual(["organization", "twoFactor"]);
    expect(parseBetterAuthList([" core , api-key ,passkey"])).toEqual(["apiKey", "passkey"]);
    expect(parseBetterAuthList(["organization", "teams,organization"])).toEqual(["organization", "teams"]);
    expect(parseBetterAuthList(["twoFactor,api_key,Username"])).toEqual(["twoFactor", "apiKey", "username"]);
  });

  it("refuses unknown names with one line listing the known ones, exit status 2", async () => {
    const unknown = await failure(() => parseBetterAuthList(["organization,sso"]));
    expect(unknown).toMatchObject({ code: "BAD_OPTION", exitCode: 2 });
    expect(unknown.message).toBe('--better-auth: unknown name "sso"; known: core, organization, teams, two-factor, passkey, api-key, username, admin.');
    // Only plain words are echoed.
    expect((await failure(() => parseBetterAuthList(["postgres://u:pw@h/db"]))).message).toMatch(/^--better-auth: unknown name \(not shown\); known: /);
    for (const empty of ["", ",", " , "]) {
      expect((await failure(() => parseBetterAuthList([empty]))).message, JSON.stringify(empty)).toMatch(/^--better-auth needs "core" or a comma-separated list of plugins; known: core, /);
    }
    expect(await failure(() => parseBetterAuthList(["organization,"]))).toMatchObject({ code: "BAD_OPTION", message: expect.stringContaining('unknown name ""') });
    expect(await failure(() => parseBetterAuthList(["teams"]))).toMatchObject({ code: "BAD_OPTION", message: "--better-auth: teams is part of the organization plugin; list organization too." });
  });
});

describe("--extensions: a module that exports extensions", () => {
  // module.exports = { extensions } is tested on the built CLI (test/cli-extensions.test.ts): here, require()
  // would resolve core to its TypeScript source through the tests' dev-source condition.
  it("takes a list as the default export, a named `extensions`, one extension as the default, by relative or absolute path", async () => {
    expect(ids(await loadExtensionsModule("./audit-log.mjs", FIXTURES))).toEqual(["app_0001_audit_log"]);
    expect(ids(await loadExtensionsModule("audit-log.ts", FIXTURES))).toEqual(["app_0001_audit_log"]);
    expect(ids(await loadExtensionsModule("./nickname.mjs", FIXTURES))).toEqual(["app_0002_nickname"]);
    expect(ids(await loadExtensionsModule(`${FIXTURES}nickname.mjs`, "/"))).toEqual(["app_0002_nickname"]);
  });

  it("a missing file, another file type or a directory: one line naming the path, exit status 2", async () => {
    expect(await failure(() => loadExtensionsModule("./absent.mjs", FIXTURES))).toMatchObject({
      code: "BAD_EXTENSIONS_MODULE", exitCode: 2, message: "--extensions ./absent.mjs: no such file.", hint: `The path is relative to the current directory, ${FIXTURES}.`,
    });
    expect(await failure(() => loadExtensionsModule("./schema.json", FIXTURES))).toMatchObject({ code: "BAD_EXTENSIONS_MODULE", message: "--extensions ./schema.json: not a JavaScript or TypeScript module." });
    expect(await failure(() => loadExtensionsModule("../extensions", FIXTURES))).toMatchObject({ code: "BAD_EXTENSIONS_MODULE" });
  });

  it("a module that throws while loading: the first line of its message, no stack", async () => {
    const error = await failure(() => loadExtensionsModule("./throws.mjs", FIXTURES));
    expect(error).toMatchObject({ code: "BAD_EXTENSIONS_MODULE", exitCode: 2 });
    expect(error.message).toBe("--extensions ./throws.mjs: loading it failed: AUDIT_DSN is not set");
  });

  it("defineExtension refusing a spec while the module loads keeps its code, with the file as the hint", async () => {
    const error = await failure(() => loadExtensionsModule("./bad-spec.mjs", FIXTURES));
    expect(error.code).toBe("INVALID_EXTENSION");
    expect(error.message).toMatch(/^Extension "App Bad Id": its id must be lower-case/);
    expect(error.hint).toBe("While loading --extensions ./bad-spec.mjs.");
  });

  it("issue 20 item 12: a getter that throws as the exports or an extension are read: a usage error (exit 2) in one line", async () => {
    expect(await failure(() => loadExtensionsModule("./getter-throws.mjs", FIXTURES))).toMatchObject({
      code: "BAD_EXTENSIONS_MODULE", exitCode: 2, message: "--extensions ./getter-throws.mjs: reading its exports failed: AUDIT_DSN is not set",
    });
    expect(await failure(() => resolveExtensions({ betterAuth: [], extensions: ["./extension-getter-throws.mjs"] }, FIXTURES, loadCore))).toMatchObject({
      code: "INVALID_EXTENSION", message: expect.stringMatching(/^Extension app_0009_trap: /), hint: expect.stringContaining("--extensions ./extension-getter-throws.mjs"),
    });
  });

  it("no extensions exported, or two different exports: says what to export", async () => {
    expect(await failure(() => loadExtensionsModule("./no-exports.mjs", FIXTURES))).toMatchObject({
      code: "BAD_EXTENSIONS_MODULE", message: "--extensions ./no-exports.mjs: it exports no extensions.", hint: expect.stringContaining("export default ["),
    });
    expect(await failure(() => loadExtensionsModule("./both-exports.mjs", FIXTURES))).toMatchObject({
      code: "BAD_EXTENSIONS_MODULE", message: "--extensions ./both-exports.mjs: it exports both a default and `extensions`; export the list once.",
    });
  });
});

describe("resolveExtensions: --better-auth first, then each --extensions module, checked as core checks them", () => {
  it("nothing given: undefined, so core is not even loaded", async () => {
    expect(await resolveExtensions({ betterAuth: [], extensions: [] }, FIXTURES, loadCore)).toBeUndefined();
  });

  it("the compatibility extensions in core's order, then the modules' in the order given", async () => {
    const both = await resolveExtensions({ betterAuth: ["two-factor,organization"], extensions: ["./nickname.mjs", "./audit-log.mjs"] }, FIXTURES, loadCore);
    expect(ids(both)).toEqual([...ids(betterAuthCompat({ plugins: ["organization", "twoFactor"] })), "app_0002_nickname", "app_0001_audit_log"]);
    expect(ids(await resolveExtensions({ betterAuth: ["core"], extensions: [] }, FIXTURES, loadCore))).toEqual(["better_auth_0001_core"]);
  });

  it("exports that are not extensions: core's InvalidExtensionError, exit status 2, with the module as the hint", async () => {
    const error = await failure(() => resolveExtensions({ betterAuth: [], extensions: ["./not-extensions.mjs"] }, FIXTURES, loadCore));
    expect(error.code).toBe("INVALID_EXTENSION");
    expect(error.message).toMatch(/^Extension app_0003_fake: /);
    expect(error.message.split("\n")).toHaveLength(1);
    expect(error.hint).toMatch(/^The extensions come from --extensions \.\/not-extensions\.mjs; build each with defineExtension/);
    // The same extension twice (a module given twice) is refused by core too.
    expect(await failure(() => resolveExtensions({ betterAuth: ["core"], extensions: ["./nickname.mjs", "./nickname.mjs"] }, FIXTURES, loadCore))).toMatchObject({
      code: "INVALID_EXTENSION", message: expect.stringContaining("app_0002_nickname"), hint: expect.stringContaining("(after those of --better-auth)"),
    });
  });
});
