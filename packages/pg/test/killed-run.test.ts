import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { defineExtension } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, runScript, type ScriptRun, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { catalogSnapshot, migrateUp } from "./helpers.js";

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

/** How many queries a fresh `up` sends (counted on a spare database), so that every one of them is a kill point. */
const MAX_KILL_POINTS = 40;

/**
 * A separate process that runs `up` and kills itself with SIGKILL right after its Nth query
 * returned: counted, not timed, so each run stops at a known point.
 */
function killedAfterQuery(url: string, count: number): Promise<ScriptRun> {
  const script = `
    import pg from "pg";
    const target = Number(process.env.KILL_COUNT);
    let seen = 0;
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (...args) {
      const result = query.apply(this, args);
      if (!result || typeof result.then !== "function") return result;
      return result.then((value) => {
        if (++seen === target) process.kill(process.pid, "SIGKILL");
        return value;
      });
    };
    const { createMigrator } = await import(${JSON.stringify(BUILT)});
    const migrator = createMigrator({ url: process.env.URL });
    await migrator.up();
    await migrator.close();`;
  return runScript(script, { cwd: fileURLToPath(new URL("..", import.meta.url)), env: { URL: url, KILL_COUNT: String(count) } });
}

describe.each(inject("postgresServers"))("a run killed after every query on PostgreSQL $version", (server) => {
  it("leaves each migration whole or absent, and the next run completes the schema", async () => {
    const reference = await createTestDatabase(server.adminUrl);
    await migrateUp(reference.url);
    const expected = await catalogSnapshot(reference.url);
    await reference.drop();
    let killed = 0;
    for (let count = 1; count <= MAX_KILL_POINTS; count++) {
      const db = await createTestDatabase(server.adminUrl);
      try {
        const run = await killedAfterQuery(db.url, count);
        if (run.signal !== "SIGKILL") {
          // The run finished before its Nth query: every kill point has been tried.
          expect(run.stderr).toBe("");
          break;
        }
        killed++;
        const next = createMigrator({ url: db.url, lockTimeoutMs: 10_000 });
        try {
          // Whole or absent: no state but applied and pending, and the ledger matches the tables.
          const states = (await next.status()).map((s) => s.state);
          expect(states.every((s) => s === "applied" || s === "pending"), states.join(",")).toBe(true);
          await next.up();
          expect((await next.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
        } finally {
          await next.close();
        }
        expect(await catalogSnapshot(db.url), `killed after query ${count}`).toEqual(expected);
      } finally {
        await db.drop();
      }
    }
    // The loop really stopped runs part way, many times over.
    if (process.env.BETTER_AUTH_TEST_REPORT) console.info(`killed-run: ${killed} kill points on PostgreSQL ${server.version}`);
    expect(killed).toBeGreaterThan(10);
  });
});
