/**
 * Issue 13, item 1: a connection that drops under the migrator (pg_terminate_backend, a server
 * restart, a terminated lock waiter) must never crash the process: the promise rejects with one typed
 * error, and an application that catches it goes on.
 */
import { fileURLToPath } from "node:url";
import { catchingApplication, closeAdminPools, createTestDatabase, startPostgres, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { advisoryLockKey, createMigrator } from "../src/index.js";
import { migrateUp } from "./helpers.js";

afterAll(closeAdminPools);

const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const server = inject("postgresServers")[0]!;

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const application = (url: string) => catchingApplication(BUILT, url, PACKAGE_DIR);

async function waitFor(db: TestDatabase, condition: string, what: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.admin(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND ${condition}`);
    if (rows[0]) return rows[0].pid as number;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

describe(`a dropped connection on PostgreSQL ${server.version}`, () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
    await migrateUp(db.url);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("terminating the migrating session rejects up() with a typed error; the application lives on", async () => {
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    try {
      const app = application(db.url);
      const pid = await waitFor(db, "wait_event_type = 'Lock' AND query LIKE '%nickname%'", "the migration waiting for users");
      await db.admin("SELECT pg_terminate_backend($1)", [pid]);
      const result = await app.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.caught, JSON.stringify(result.caught)).toMatchObject({ code: "CONNECTION_LOST" });
      expect(result.stderr).not.toMatch(/Unhandled 'error' event/);
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    const { rows } = await db.admin("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'");
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("terminating a runner that waits for the lock rejects up() with a typed error; the application lives on", async () => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1, $2)", advisoryLockKey("public"));
    try {
      const app = application(db.url);
      // Between attempts the runner's last statement is the ROLLBACK of the transaction that found the lock taken.
      const pid = await waitFor(db, "(query LIKE '%pg_try_advisory%' OR query ILIKE 'rollback') AND application_name = 'better-auth-migrate' AND pid <> pg_backend_pid()", "the runner polling for the lock");
      await db.admin("SELECT pg_terminate_backend($1)", [pid]);
      const result = await app.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.caught, JSON.stringify(result.caught)).toMatchObject({ code: "CONNECTION_LOST" });
    } finally {
      await holder.end();
    }
  });

  it("a runner waiting for the lock says who holds it: pid, application name, client; our sessions name themselves", async () => {
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    const holder = application(db.url);
    try {
      const pid = await waitFor(db, "wait_event_type = 'Lock' AND query LIKE '%nickname%' AND application_name = 'better-auth-migrate'", "the first runner holding the lock");
      const { defineExtension } = await import("@better-auth/migrate-core");
      const waiting = createMigrator({
        url: db.url, lockTimeoutMs: 400,
        extensions: [defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } })],
      });
      try {
        const events: { type: string; holder?: { description: string; session?: string; application?: string } }[] = [];
        const error = await waiting.up({ onProgress: (e) => events.push(e) }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "LOCK_TIMEOUT" });
        const wait = events.find((e) => e.type === "waiting");
        expect(wait?.holder).toMatchObject({ session: String(pid), application: "better-auth-migrate" });
        expect((error as Error).message).toMatch(new RegExp(`held the lock for more than 400 ms: session pid ${pid} \\("better-auth-migrate", from 127\\.0\\.0\\.1:\\d+\\), connected \\d+ s ago\\.`));
      } finally {
        await waiting.close();
      }
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
      await holder.exited;
    }
  });

  it("DDL behind a long transaction gives up after ddlLockTimeoutMs instead of queueing every query on the table", async () => {
    const reader = new pg.Client({ connectionString: db.url });
    await reader.connect();
    // An application's long transaction that read users: it holds a share lock until it ends.
    await reader.query("BEGIN; SELECT count(*) FROM users");
    const { defineExtension } = await import("@better-auth/migrate-core");
    const migrator = createMigrator({
      url: db.url, ddlLockTimeoutMs: 300,
      extensions: [defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } })],
    });
    try {
      const error = await migrator.up().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "TABLE_BUSY", migrationId: "0100_nickname" });
      expect((error as Error & { hint: string }).hint).toMatch(/Retry/);
      // Nothing is left queued on users: another session reads it at once (within its own short timeout).
      const other = new pg.Client({ connectionString: db.url });
      await other.connect();
      await other.query("SET lock_timeout = 1000");
      expect((await other.query("SELECT count(*)::int AS n FROM users")).rows).toEqual([{ n: 0 }]);
      await other.end();
      expect((await migrator.status()).at(-1)?.state).toBe("pending");
    } finally {
      await migrator.close();
      await reader.query("ROLLBACK");
      await reader.end();
    }
  });
});

describe("a server restart during a run on PostgreSQL 15", () => {
  it("rejects up() with CONNECTION_LOST, the application lives on, and the next run applies the migration", async () => {
    // A server of its own: restarting the shared one would cut every other test's sessions.
    const own = await startPostgres(15);
    let db: TestDatabase | undefined;
    try {
      db = await createTestDatabase(own.adminUrl);
      await migrateUp(db.url);
      const blocker = new pg.Client({ connectionString: db.url });
      blocker.on("error", () => undefined);
      await blocker.connect();
      await blocker.query("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
      const app = application(db.url);
      await waitFor(db, "wait_event_type = 'Lock' AND query LIKE '%nickname%'", "the migration waiting for users");
      await own.restart();
      const result = await app.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.caught, JSON.stringify(result.caught)).toMatchObject({ code: "CONNECTION_LOST" });
      await blocker.end().catch(() => undefined);
      const { defineExtension } = await import("@better-auth/migrate-core");
      const next = createMigrator({
        url: db.url,
        extensions: [defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } })],
      });
      try {
        expect((await next.up()).applied.map((m) => m.id)).toEqual(["0100_nickname"]);
      } finally {
        await next.close();
      }
    } finally {
      await db?.drop();
      await own.stop();
    }
  });
});

