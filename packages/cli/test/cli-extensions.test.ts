/** --better-auth and --extensions on the command line: every command sees the migrations createMigrator({ extensions }) would. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tablesIn } from "./run-cli.js";

/** The modules import @better-auth/migrate-core, which resolves from here (the CLI's own dependency). */
const FIXTURES = fileURLToPath(new URL("./fixtures/extensions/", import.meta.url));
const COMPAT = ["better_auth_0001_core", "better_auth_0002_organization", "better_auth_0004_two_factor"];
const UNKNOWN_HINT = "Unknown migrations come from extensions not given here (or a newer better-auth-migrate): give the same --better-auth and --extensions as the run that applied them.";

describe("better-auth-migrate --better-auth and --extensions", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-ext-"));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it("up --better-auth organization,two-factor on a new SQLite file; status with the flag: all applied; without it: the compat migrations are unknown and up stops", async () => {
    const flag = ["--better-auth", "organization,two-factor"];
    const up = await runCli(["up", "--url", "./auth.db", ...flag], { cwd });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.split("\n").filter((line) => line.startsWith("  applied ")).map((line) => line.split(/\s+/)[2])).toEqual(["0001_core_tables", "0002_organization_tables", ...COMPAT]);
    expect(tablesIn(join(cwd, "auth.db"))).toEqual(["accounts", "invitation", "member", "organization", "sessions", "two_factor", "users", "verification"]);

    const status = await runCli(["status", "--check", "--json", "--url", "./auth.db", ...flag], { cwd });
    expect(status.code, status.stdout).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.upToDate).toBe(true);
    expect(report.migrations.map((m: { id: string; state: string }) => `${m.state} ${m.id}`)).toEqual(["0001_core_tables", "0002_organization_tables", ...COMPAT].map((id) => `applied ${id}`));
    expect((await runCli(["check", "--url", "./auth.db", ...flag], { cwd })).code).toBe(0);
    expect((await runCli(["up", "--url", "./auth.db", ...flag], { cwd })).stdout).toContain("Nothing to apply: all 5 migrations are applied.");

    const without = await runCli(["status", "--url", "./auth.db"], { cwd });
    expect(without.code).toBe(0);
    for (const id of COMPAT) expect(without.stdout).toMatch(new RegExp(`^  unknown  ${id}  \\S+  \\(\\d+ ms\\)  not defined by this code$`, "m"));
    expect(without.stdout).toContain(`\n${UNKNOWN_HINT}\n3 migrations not up to date.\n`);
    expect((await runCli(["status", "--check", "--url", "./auth.db"], { cwd })).code).toBe(3);
    const upWithout = await runCli(["up", "--url", "./auth.db"], { cwd });
    expect(upWithout.code).toBe(1);
    expect(upWithout.stderr).toBe(`error: The database has applied migrations this code does not define: ${COMPAT.join(", ")}.\nhint: ${UNKNOWN_HINT}\n`);
    // A plugin left out is as unknown as the whole flag.
    const fewer = await runCli(["status", "--json", "--url", "./auth.db", "--better-auth", "organization"], { cwd });
    expect(JSON.parse(fewer.stdout).migrations.filter((m: { state: string }) => m.state === "unknown").map((m: { id: string }) => m.id)).toEqual(["better_auth_0004_two_factor"]);
  });

  it("--extensions FILE, relative to the current directory: up adds its table, check finds the database clean; .ts, .cjs and repeats too", async () => {
    const db = join(cwd, "auth.db");
    const up = await runCli(["up", "--url", db, "--extensions", "./audit-log.mjs"], { cwd: FIXTURES });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^  applied app_0001_audit_log  \(\d+ ms\)$/m);
    expect(tablesIn(db)).toContain("audit_log");
    const check = await runCli(["check", "--url", db, "--extensions", "./audit-log.mjs"], { cwd: FIXTURES });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain("The database matches the model.");
    // The same extension from TypeScript (Node.js strips the types) and a CommonJS module, after --better-auth's.
    const more = ["--better-auth", "core", "--extensions", "audit-log.ts", "--extensions", "nickname.cjs"];
    const again = await runCli(["up", "--url", db, ...more], { cwd: FIXTURES });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.split("\n").filter((line) => line.startsWith("  applied ")).map((line) => line.split(/\s+/)[2])).toEqual(["better_auth_0001_core", "app_0002_nickname"]);
    const clean = await runCli(["check", "--url", db, ...more], { cwd: FIXTURES });
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stdout).toContain("The database matches the model.");
  });

  it("sql --dialect renders the compatibility migrations without a database, ledger rows included", async () => {
    const pg = await runCli(["sql", "--dialect", "pg", "--better-auth", "core"], { cwd });
    expect(pg.code, pg.stderr).toBe(0);
    expect(pg.stdout).toContain("-- better-auth-migrate: better_auth_0001_core (up)");
    expect(pg.stdout).toContain('CREATE TABLE "public"."verification"');
    expect(pg.stdout).toMatch(/INSERT INTO "public"\."better_auth_migrations" .*'better_auth_0001_core'/);
    expect(pg.stdout).not.toContain("better_auth_0002_organization");
    const mysql = await runCli(["sql", "--dialect", "mysql", "--better-auth", "organization,two-factor", "--extensions", "./audit-log.mjs"], { cwd: FIXTURES });
    expect(mysql.code, mysql.stderr).toBe(0);
    const headers = [...mysql.stdout.matchAll(/^-- better-auth-migrate: (\S+) \(up\)/gm)].map((m) => m[1]);
    expect(headers).toEqual(["0001_core_tables", "0002_organization_tables", ...COMPAT, "app_0001_audit_log"]);
    expect(mysql.stdout).toContain("CREATE TABLE `two_factor`");
    expect((await runCli(["sql", "--dialect", "pg"], { cwd })).stdout).not.toContain("better_auth_0001_core");
  });

  it("bad input: one line (and a hint), exit status 2, before any database is opened", async () => {
    const cases: [string[], RegExp][] = [
      [["up", "--better-auth", "organization,sso"], /^error: --better-auth: unknown name "sso"; known: core, organization, teams, two-factor, passkey, api-key, username, admin\.\n$/],
      [["up", "--better-auth", "teams"], /^error: --better-auth: teams is part of the organization plugin; list organization too\.\nhint: /],
      [["status", "--extensions", "./absent.mjs"], /^error: --extensions \.\/absent\.mjs: no such file\.\nhint: The path is relative to the current directory, /],
      [["status", "--extensions", "./throws.mjs"], /^error: --extensions \.\/throws\.mjs: loading it failed: AUDIT_DSN is not set\n$/],
      [["check", "--extensions", "./no-exports.mjs"], /^error: --extensions \.\/no-exports\.mjs: it exports no extensions\.\nhint: Export them: /],
      [["sql", "--extensions", "./not-extensions.mjs"], /^error: Extension app_0003_fake: .*\nhint: The extensions come from --extensions \.\/not-extensions\.mjs; /],
      [["up", "--extensions", "./enum.ts"], /^error: --extensions \.\/enum\.ts: loading it failed: .*enum.*\nhint: Node\.js only strips types/],
      [["db", "create", "--better-auth", "core"], /^error: --better-auth chooses migrations; db create does not run any\.\n/],
    ];
    for (const [args, expected] of cases) {
      const result = await runCli(args, { cwd: FIXTURES, env: { DATABASE_URL: `sqlite:${join(cwd, "auth.db")}` } });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(expected);
      expect(result.stdout, args.join(" ")).toBe("");
    }
    const json = JSON.parse((await runCli(["status", "--json", "--extensions", "./throws.mjs"], { cwd: FIXTURES, env: { DATABASE_URL: `sqlite:${join(cwd, "auth.db")}` } })).stdout);
    expect(json.error).toMatchObject({ code: "BAD_EXTENSIONS_MODULE", message: "--extensions ./throws.mjs: loading it failed: AUDIT_DSN is not set" });
    // No database was created by any of them.
    expect(() => tablesIn(join(cwd, "auth.db"))).toThrow();
  });

  it("a .ts module where Node.js does not strip types: says so, and what to do", async () => {
    const result = await runCli(["sql", "--dialect", "sqlite", "--extensions", "./audit-log.ts"], { cwd: FIXTURES, nodeArgs: ["--no-experimental-strip-types"] });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --extensions \.\/audit-log\.ts: type stripping is turned off in this Node\.js \(v[\d.]+\)\.\nhint: Use a \.js file, or leave out --no-experimental-strip-types/);
  });

  it("--help documents both for the commands that take them", async () => {
    for (const command of ["up", "down", "status", "check", "baseline", "sql", "cleanup"]) {
      const help = await runCli([command, "--help"], { cwd });
      expect(help.stdout, command).toContain(`Usage: better-auth-migrate ${command} `);
      expect(help.stdout, command).toMatch(/\[--better-auth LIST\] \[--extensions FILE\]/);
      expect(help.stdout, command).toMatch(/\n  --better-auth LIST  [^]*two-factor, passkey, api-key, username, admin[^]*\n  --extensions FILE  /);
    }
    expect((await runCli(["db", "create", "--help"], { cwd })).stdout).not.toContain("--better-auth");
    expect((await runCli(["--help"], { cwd })).stdout).toContain("Migrations (every command but db create and db drop; give each the same ones):");
  });
});
