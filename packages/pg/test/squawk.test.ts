/**
 * Issue 16, DDL lint: the SQL files of every PostgreSQL migration we ship (the core migrations and
 * every Better Auth compatibility extension), up and down, with string and uuid ids, in `public` and
 * in another schema, checked by squawk (`squawk-cli`, pinned in package.json). A finding fails the
 * test unless ACCEPTED says why it does not apply; packages/pg/README.md ("DDL lint (squawk)") says the
 * same for people. Needs no database.
 */
import { BETTER_AUTH_PLUGINS, betterAuthCompat, defineExtension, type Extension } from "@better-auth/migrate-core";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";

/** The oldest PostgreSQL the DDL is for (gen_random_uuid() is built in from 13 on): rules that depend on the version judge by it. */
const PG_VERSION = "13";

interface Finding {
  readonly rule: string;
  /** `<variant>/<up|down>/<file>.sql`, relative to the directory the files were written to. */
  readonly file: string;
  readonly direction: "up" | "down";
  /** The lines squawk points at. */
  readonly text: string;
  readonly message: string;
}

interface Acceptance {
  readonly rule: string;
  /** Which of the rule's findings this covers; all of them when absent. */
  readonly where?: (finding: Finding) => boolean;
  /** Why the rule does not apply there, in one line. */
  readonly reason: string;
}

const inDown = (f: Finding) => f.direction === "down";
const mentions = (pattern: RegExp) => (f: Finding) => pattern.test(f.text);

/** The integer columns of the model: the ledger's, and those Better Auth's plugins declare as numbers. */
const INTEGER_COLUMNS = /^\s*"(duration_ms|steps_applied|member_count|failed_verification_count|counter|rate_limit_max|rate_limit_time_window|refill_amount|refill_interval|remaining|request_count)" integer\b/;
/** Foreign keys that arrive with their new column, in the same ALTER TABLE. */
const KEYS_WITH_THEIR_COLUMN = /ADD CONSTRAINT "sessions_(active_organization_id|active_team_id|impersonated_by)_fkey" FOREIGN KEY/;
const UNIQUE_WITH_ITS_COLUMN = /ADD CONSTRAINT "users_username_key" UNIQUE/;

/** Every finding squawk may report on our DDL, and why it does not apply. Anything else fails. */
const ACCEPTED: readonly Acceptance[] = [
  {
    rule: "require-statement-timeout",
    reason: "No statement_timeout, as in the runner: the one long statement (the ip_address rewrite) must be let finish; lock waits are bounded by lock_timeout, which every file sets.",
  },
  { rule: "ban-drop-table", where: inDown, reason: "Only in downs, whose purpose is to take away what the up made; `down` reverts only what a person confirmed." },
  { rule: "ban-drop-column", where: inDown, reason: "Only in downs, whose purpose is to take away what the up made; `down` reverts only what a person confirmed." },
  {
    rule: "changing-column-type",
    where: mentions(/"sessions" ALTER COLUMN "ip_address" TYPE (text|inet) USING/),
    reason: "Better Auth stores ip_address as text: better_auth_0001_core converts it (its down converts back), rewriting sessions once under ACCESS EXCLUSIVE.",
  },
  {
    rule: "prefer-bigint-over-int",
    where: mentions(INTEGER_COLUMNS),
    reason: "The model's integer columns, typed as Better Auth types them (counts, a sign counter, millisecond windows); a wider type would be a new migration, not rendering.",
  },
  {
    rule: "adding-foreign-key-constraint",
    where: mentions(KEYS_WITH_THEIR_COLUMN),
    reason: "The key comes with its new, all-NULL column in one ALTER TABLE, which holds ACCESS EXCLUSIVE on sessions anyway; the check is one scan of sessions.",
  },
  {
    rule: "constraint-missing-not-valid",
    where: mentions(KEYS_WITH_THEIR_COLUMN),
    reason: "NOT VALID + VALIDATE helps only in a later transaction; in the migration's one transaction the ADD COLUMN's lock is held until commit either way.",
  },
  { rule: "constraint-missing-not-valid", where: mentions(UNIQUE_WITH_ITS_COLUMN), reason: "PostgreSQL has no NOT VALID for a UNIQUE constraint." },
  {
    rule: "disallowed-unique-constraint",
    where: mentions(UNIQUE_WITH_ITS_COLUMN),
    reason: "username comes with its new, all-NULL column: the index builds under the lock the ADD COLUMN holds anyway; CONCURRENTLY cannot run in the migration's transaction.",
  },
  {
    rule: "prefer-robust-stmts",
    where: mentions(/^CREATE INDEX CONCURRENTLY /),
    reason: "The DROP INDEX CONCURRENTLY IF EXISTS before it removes an INVALID index a failed build left (IF NOT EXISTS would keep it), so a rerun builds it.",
  },
  {
    rule: "require-lock-timeout",
    where: mentions(/^(CREATE|DROP) INDEX CONCURRENTLY /),
    reason: "Concurrent builds wait for long transactions on purpose (that is the option); their SHARE UPDATE EXCLUSIVE lock blocks neither reads nor writes.",
  },
  {
    rule: "require-lock-timeout",
    where: mentions(/^(CREATE SCHEMA IF NOT EXISTS |COMMENT ON TABLE "[^"]+"\."better_auth_migrations")/),
    reason: "Only in files that build indexes concurrently (no transaction, so no SET LOCAL): what precedes the build makes our ledger if missing; no application query uses it.",
  },
];

/** The path a user's index on a populated table takes (`buildIndexesConcurrently`): not shipped, but rendered by us. */
const concurrentIndex = defineExtension({ id: "0100_users_by_name", name: "users by name", indexes: { users: [["name"]] }, buildIndexesConcurrently: true });
const shipped = () => betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] });

const VARIANTS = (["string", "uuid"] as const).flatMap((ids) =>
  ["public", "auth"].map((schema) => ({ name: `${ids}-ids-${schema}`, ids, schema, extensions: [...shipped(), concurrentIndex] })),
);

const root = mkdtempSync(join(tmpdir(), "squawk-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes each variant's SQL files under `dir`; returns their paths relative to it. */
async function writeSqlFiles(dir: string, variants: readonly { name: string; ids: "string" | "uuid"; schema: string; extensions: Extension[] }[]): Promise<string[]> {
  const written: string[] = [];
  for (const variant of variants) {
    // sqlFiles() renders without connecting: the URL is never dialled.
    const migrator = createMigrator({ url: "postgres://127.0.0.1:9/unused", ids: variant.ids, schema: variant.schema, extensions: variant.extensions });
    try {
      for (const file of migrator.sqlFiles()) {
        const path = join(variant.name, file.name);
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), file.sql);
        written.push(path);
      }
    } finally {
      await migrator.close();
    }
  }
  return written;
}

const squawkBinary = (createRequire(import.meta.url)("squawk-cli/js/index.js") as { getBinaryPath(): string }).getBinaryPath();

/** squawk's findings in the files (paths relative to `dir`), with every rule on, the opt-in ones too. */
function squawk(dir: string, files: readonly string[]): Finding[] {
  const run = spawnSync(squawkBinary, ["--reporter", "json", "--pg-version", PG_VERSION, "--include", "require-table-schema", ...files], { cwd: dir, encoding: "utf8" });
  // 0: nothing found, 1: findings; anything else (a parse error, a bad option) is not a lint result.
  if (run.error || (run.status !== 0 && run.status !== 1)) throw new Error(`squawk failed (${run.status}): ${run.error?.message ?? run.stderr}`);
  const reported = JSON.parse(run.stdout) as { file: string; line: number; line_end: number; rule_name: string; message: string }[];
  return reported.map((r) => ({
    rule: r.rule_name,
    file: r.file,
    direction: r.file.split("/")[1] === "down" ? "down" : "up",
    // squawk counts lines from 0.
    text: readFileSync(join(dir, r.file), "utf8").split("\n").slice(r.line, r.line_end + 1).join("\n"),
    message: r.message,
  }));
}

const acceptanceOf = (f: Finding) => ACCEPTED.find((a) => a.rule === f.rule && (a.where?.(f) ?? true));
const shown = (f: Finding) => `${f.rule} in ${f.file}: ${f.text.trim()} (${f.message})`;

describe("PostgreSQL DDL lint (squawk)", () => {
  it("finds nothing in the migrations we ship, up and down, that is not accepted with a reason", async () => {
    const dir = join(root, "shipped");
    const files = await writeSqlFiles(dir, VARIANTS);
    // Each variant: the two core migrations, the Better Auth core and every plugin's extension, the example; up and down.
    expect(files).toHaveLength(VARIANTS.length * 2 * (2 + 1 + BETTER_AUTH_PLUGINS.length + 1));
    const findings = squawk(dir, files);
    expect(findings.filter((f) => !acceptanceOf(f)).map(shown)).toEqual([]);
    // An acceptance that no longer matches anything is stale: remove it here and in the README.
    expect(ACCEPTED.filter((a) => !findings.some((f) => acceptanceOf(f) === a)).map((a) => `${a.rule}: ${a.reason}`)).toEqual([]);
  });

  it("fails on a finding nobody accepted: a plain CREATE INDEX on a table that holds data", async () => {
    const dir = join(root, "plain-index");
    const plainIndex = defineExtension({ id: "0100_users_by_name", name: "users by name", indexes: { users: [["name"]] } });
    const files = await writeSqlFiles(dir, [{ name: "plain", ids: "string", schema: "public", extensions: [plainIndex] }]);
    const unaccepted = squawk(dir, files).filter((f) => !acceptanceOf(f));
    expect(unaccepted.map((f) => [f.rule, f.text.trim()])).toEqual([
      ["require-concurrent-index-deletion", `DROP INDEX "public"."users_name_idx";`],
      ["require-concurrent-index-creation", `CREATE INDEX "users_name_idx" ON "public"."users" ("name");`],
    ]);
  });
});
