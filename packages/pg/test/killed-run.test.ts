import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defineExtension } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp } from "./helpers.js";

afterAll(closeAdminPools);

const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** A separate process that runs `up` with an extension adding a column to users (the built package). */
function runnerProcess(url: string) {
  const script = `
    import { createMigrator } from ${JSON.stringify(BUILT)};
    import { defineExtension } from "@better-auth/migrate-core";
    const extension = defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } });
    await createMigrator({ url: process.env.URL, extensions: [extension] }).up();`;
  return spawn(process.execPath, ["--input-type=module", "-e", script], { env: { PATH: process.env.PATH ?? "", URL: url }, cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "ignore", "pipe"] });
}

describe.each(inject("postgresServers"))("a killed run on PostgreSQL $version", (server) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("leaves nothing half-applied, and the next run applies the migration", async () => {
    await migrateUp(db.url);

    // Hold users locked so that the other process stops in the middle of its migration.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    const child = runnerProcess(db.url);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    let childErrors = "";
    child.stderr!.on("data", (d: Buffer) => (childErrors += d.toString()));
    try {
      for (let i = 0; ; i++) {
        // Asked on another connection: inside the blocker's transaction the statistics stay frozen.
        const { rows: waiting } = await db.admin("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%nickname%'");
        if (waiting[0]!.n > 0) break;
        if (i > 200) throw new Error(`the other process never reached its migration: ${childErrors}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill("SIGKILL");
      await exited;
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }

    const extension = defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } });
    const next = createMigrator({ url: db.url, extensions: [extension], lockTimeoutMs: 30_000 });
    try {
      expect((await next.status()).at(-1)?.state).toBe("pending");
      expect((await next.up()).applied.map((m) => m.id)).toEqual(["0100_nickname"]);
    } finally {
      await next.close();
    }
    expect((await db.admin("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'")).rows).toEqual([{ n: 1 }]);
  });
});
