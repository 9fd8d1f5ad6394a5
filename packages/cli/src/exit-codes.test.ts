import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CliError, errorCodeOf, exitCodeOf } from "./cli-error.js";
import { ERROR_EXIT, type ErrorCode, EXIT, errorCodesFor, EXIT_CODES_HELP } from "./exit-codes.js";
import { generalHelp } from "./help.js";

const PACKAGES = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every error code thrown on purpose in the packages: `new MigrateError("X"`, `super("X"`, `new DatabaseAccessError("X"`, `new CliError("X"`. */
function codesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const pkg of readdirSync(PACKAGES)) {
    let files: string[];
    try {
      files = sourceFiles(join(PACKAGES, pkg, "src"));
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:new\s+(?:MigrateError|DatabaseAccessError|CliError)|super)\(\s*"([A-Z][A-Z0-9_]+)"/g)) found.set(match[1]!, file);
      // The DatabaseAccessProblem union of core: `| "UNREACHABLE"`.
      const union = /export type DatabaseAccessProblem =([^;]+);/.exec(text)?.[1];
      for (const member of union?.matchAll(/\|\s*"([A-Z][A-Z0-9_]+)"/g) ?? []) found.set(member[1]!, file);
    }
  }
  return found;
}

describe("error codes and exit statuses (issue 13: a typed union, each with its documented exit status)", () => {
  it("every error code the packages throw has its exit status", () => {
    const found = codesInSources();
    // The scan sees the codes named in the brief, so it is not vacuous.
    for (const known of ["CHECKSUM_MISMATCH", "UNKNOWN_MIGRATION", "LOCK_TIMEOUT", "MIGRATION_FAILED", "UNSAFE_NOT_NULL_COLUMN", "INVALID_EXTENSION", "INVALID_OPTIONS", "UNSUPPORTED_BY_DIALECT", "ADOPTION_REFUSED", "NOTHING_TO_BASELINE", "FOREIGN_LEDGER", "UNREACHABLE", "AUTHENTICATION_FAILED", "DATABASE_NOT_FOUND", "READ_ONLY", "PERMISSION_DENIED", "DISK_FULL", "BAD_URL", "NOT_CONFIRMED"]) {
      expect(found.has(known), known).toBe(true);
    }
    const missing = [...found].filter(([code]) => !Object.hasOwn(ERROR_EXIT, code)).map(([code, file]) => `${code} (${file})`);
    expect(missing, "codes without an exit status in packages/cli/src/exit-codes.ts").toEqual([]);
  });

  it("--help lists every code under its exit status", () => {
    const help = generalHelp();
    expect(help).toContain(EXIT_CODES_HELP);
    const blocks = new Map<number, string>();
    for (const match of EXIT_CODES_HELP.matchAll(/^ {2}(\d)  .*\n((?: {7}.*\n?)*)/gm)) blocks.set(Number(match[1]), match[2]!);
    for (const [code, status] of Object.entries(ERROR_EXIT)) {
      expect(blocks.get(status)?.split(/\s+/), `${code} under ${status}`).toContain(code);
    }
    expect([...blocks.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("the README documents every code with its exit status", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    for (const [code, status] of Object.entries(ERROR_EXIT)) {
      expect(readme, code).toMatch(new RegExp(`^\\| ${status} \\|.*\`${code}\``, "m"));
    }
  });

  it("maps errors to statuses by code; anything else is ERROR, exit 1", () => {
    expect(exitCodeOf(new CliError("NOT_CONFIRMED", "no"))).toBe(EXIT.NOT_CONFIRMED);
    expect(new CliError("BAD_URL", "bad").exitCode).toBe(EXIT.USAGE);
    expect(exitCodeOf(Object.assign(new Error("full"), { code: "DISK_FULL" }))).toBe(EXIT.DATABASE);
    expect(exitCodeOf(Object.assign(new Error("lost"), { code: "CONNECTION_LOST" }))).toBe(EXIT.DATABASE);
    expect(exitCodeOf(Object.assign(new Error("adopt"), { code: "ADOPTION_REFUSED" }))).toBe(EXIT.DRIFT);
    expect(errorCodeOf(Object.assign(new Error("io"), { code: "SQLITE_IOERR_WRITE" }))).toBe("ERROR");
    expect(exitCodeOf(Object.assign(new Error("io"), { code: "SQLITE_IOERR_WRITE" }))).toBe(EXIT.FAILED);
    expect(errorCodeOf(Object.assign(new Error("x"), { code: "toString" }))).toBe("ERROR");
    for (const value of [undefined, null, "text", 42]) expect(exitCodeOf(value)).toBe(EXIT.FAILED);
    expect(errorCodesFor(EXIT.DATABASE)).toEqual(["UNREACHABLE", "CONNECTION_LOST", "AUTHENTICATION_FAILED", "DATABASE_NOT_FOUND", "READ_ONLY", "PERMISSION_DENIED", "NEEDS_DIRECT_CONNECTION", "DISK_FULL"] satisfies ErrorCode[]);
  });
});
