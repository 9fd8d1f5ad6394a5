/** Issue 13, item 2: what a person confirms at the prompt is exactly what `down` reverts, or nothing is. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, runCli } from "./run-cli.js";

describe("down confirmed in a terminal", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-confirm-"));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it("reverts nothing when another run reverted the confirmed migration while the prompt was open", async () => {
    await runCli(["up"], { cwd });
    // script(1) gives the CLI a pseudo-terminal; the answer is typed only once the question is there.
    const child = spawn("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} down`, "/dev/null"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    const asked = new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        output += d.toString();
        if (output.includes("[y/N]")) resolve();
      }),
    );
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await asked;
    expect(output).toContain("Revert 0002_organization_tables");
    const other = await runCli(["down", "--yes"], { cwd });
    expect(other.stdout).toContain("reverted 0002_organization_tables");
    child.stdin.end("y\n");
    expect(await closed).toBe(1);
    expect(output).toMatch(/error: The database changed since the revert of 0002_organization_tables was confirmed: it would now revert 0001_core_tables\. Nothing was reverted\./);
    const database = new Database(join(cwd, "better-auth.db"), { readonly: true });
    const tables = (database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'users'").all() as { name: string }[]).map((r) => r.name);
    database.close();
    expect(tables).toEqual(["users"]);
  });
});
