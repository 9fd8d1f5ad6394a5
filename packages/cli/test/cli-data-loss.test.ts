import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runInProcess } from "./run-cli.js";

const cli = (args: string[], cwd: string) => runInProcess(args, { cwd });

describe("down and data loss (SPEC §13: nothing that holds data is dropped without saying so)", () => {
  let cwd: string;
  let url: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "bam-data-loss-"));
    url = `sqlite:${join(cwd, "app.db")}`;
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it("refuses, with --yes, a revert that drops password hashes and roles, names each with its count, and reverts only with --allow-data-loss", async () => {
    const plugins = ["--better-auth", "admin"];
    expect((await cli(["up", "--url", url, ...plugins], cwd)).code).toBe(0);
    const db = new Database(join(cwd, "app.db"));
    db.prepare("INSERT INTO users (id, role) VALUES ('u1', 'admin'), ('u2', 'admin'), ('u3', NULL)").run();
    db.prepare("INSERT INTO accounts (id, user_id, provider, provider_account_id, password) VALUES ('a1', 'u1', 'credential', 'u1', 'hash1'), ('a2', 'u2', 'credential', 'u2', 'hash2')").run();

    const one = await cli(["down", "--yes", "--url", url, ...plugins], cwd);
    expect(one.code).toBe(5);
    expect(one.stderr).toContain("error: Reverting better_auth_0008_admin would drop data: ");
    expect(one.stderr).toContain("column users.role (2 non-null values)");
    expect(one.stderr).toContain("Nothing was reverted.");
    expect(one.stderr).toContain("--allow-data-loss");

    const all = await cli(["down", "--yes", "--steps", "2", "--json", "--url", url, ...plugins], cwd);
    expect(all.code).toBe(5);
    const { error } = JSON.parse(all.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe("DATA_LOSS");
    expect(error.message).toContain("column accounts.password (2 non-null values)");
    expect((db.prepare("SELECT count(*) AS n FROM accounts WHERE password IS NOT NULL").get() as { n: number }).n).toBe(2);

    const allowed = await cli(["down", "--yes", "--allow-data-loss", "--url", url, ...plugins], cwd);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("reverted better_auth_0008_admin");
    db.close();
  });

  it("sql --down says in each file's header which tables and columns it drops", async () => {
    const { code, stdout } = await cli(["sql", "--down", "--dialect", "sqlite", "--better-auth", "core"], cwd);
    expect(code).toBe(0);
    const header = stdout.split("\n").find((line) => line.startsWith("-- DATA LOSS:") && line.includes("accounts.password"));
    expect(header).toMatch(/^-- DATA LOSS: drops .*: what they hold is lost\. Back it up first\.$/);
    expect(header).toContain("table verification");
    // The up files drop nothing.
    expect((await cli(["sql", "--dialect", "sqlite", "--better-auth", "core"], cwd)).stdout).not.toContain("DATA LOSS");
  });

  it("--allow-data-loss belongs to down alone", async () => {
    const result = await cli(["up", "--allow-data-loss", "--url", url], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--allow-data-loss belongs to the down command");
  });
});
