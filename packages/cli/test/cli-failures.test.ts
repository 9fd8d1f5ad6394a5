/** Issue 13, items 7 and 10: what a failure leaves applied, and whom a waiting run waits for, told on the command line. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

describe("better-auth-migrate failures", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-failures-"));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it("names the failed migration and lists what the same run applied before it, in text and in --json", async () => {
    // A view already has the name of a table 0002 creates: 0001 applies, 0002 fails.
    const database = new Database(join(cwd, "auth.db"));
    database.exec("CREATE VIEW member AS SELECT 1 AS one");
    database.close();
    const text = await runCli(["up", "--url", "./auth.db"], { cwd });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^error: Migration 0002_organization_tables failed: .*member.*\napplied before the failure \(kept\): 0001_core_tables \(\d+ ms\)\n/);
    rmSync(join(cwd, "auth.db"));
    const again = new Database(join(cwd, "auth.db"));
    again.exec("CREATE VIEW member AS SELECT 1 AS one");
    again.close();
    const json = JSON.parse((await runCli(["up", "--url", "./auth.db", "--json"], { cwd })).stdout);
    expect(json.error).toMatchObject({ code: "MIGRATION_FAILED", migrationId: "0002_organization_tables", applied: [{ id: "0001_core_tables" }] });
  });

  it("while another run holds the lock, says whom it waits for, then LOCK_TIMEOUT with --lock-timeout in the hint", async () => {
    const file = join(cwd, "auth.db");
    const holder = new Database(file);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const result = await runCli(["up", "--url", "./auth.db", "--lock-timeout", "400"], { cwd });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^  waiting for the migration lock: held by another connection writing to \.\/auth\.db \(SQLite does not say which\)\n/);
      expect(result.stderr).toMatch(/error: Another migration run held the lock for more than 400 ms: another connection writing to/);
      expect(result.stderr).toMatch(/hint: .*--lock-timeout/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });
});
