import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreMigrations } from "@better-auth/migrate-core";
import { afterAll, describe, expect, inject, test } from "vitest";
import { runIn } from "../src/run-node.js";

const scratch = mkdtempSync(join(tmpdir(), "ba-consumer-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The command as the package manager installed it: node_modules/.bin/better-auth-migrate. */
function cli(args: string[]) {
  const { dir } = inject("consumerProject");
  return runIn(dir, join(dir, "node_modules", ".bin", "better-auth-migrate"), args);
}

describe("the better-auth-migrate bin, installed from its tarball", () => {
  test("--help", async () => {
    const run = await cli(["--help"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("better-auth-migrate");
    expect(run.stdout).toContain("up");
  });

  test("up on an SQLite file, then status", async () => {
    const url = `sqlite:${join(scratch, "auth.db")}`;
    const up = await cli(["up", "--url", url, "--json"]);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).applied.map((m: { id: string }) => m.id)).toEqual(coreMigrations.map((m) => m.id));
    const status = await cli(["status", "--check", "--json", "--url", url]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ upToDate: true });
  });
});
