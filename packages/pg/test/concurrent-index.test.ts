/**
 * Issue 13, traffic: an extension index on a large table in use is built with CREATE INDEX
 * CONCURRENTLY: writes go on while it builds, it is not subject to ddlLockTimeoutMs, and an INVALID
 * index left by a failed build is reported by check and rebuilt by the next up.
 */
import { defineExtension } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp } from "./helpers.js";

afterAll(closeAdminPools);

const server = inject("postgresServers")[0]!;
const byName = (concurrently: boolean) =>
  defineExtension({ id: "0100_users_by_name", name: "users by name", indexes: { users: [["name"]] }, ...(concurrently ? { buildIndexesConcurrently: true } : {}) });

async function waitFor(db: TestDatabase, condition: string, what: string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await db.admin(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND ${condition}`);
    if (rows[0]) return rows[0].pid as number;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never saw ${what}`);
}

describe(`indexes built concurrently on PostgreSQL ${server.version}`, () => {
  let db: TestDatabase;
  let writer: pg.Client;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
    await migrateUp(db.url);
    await db.admin("INSERT INTO users (id, name) SELECT 'user-' || g, 'User ' || g FROM generate_series(1, 5000) AS g");
    writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
  });
  afterEach(async () => {
    await writer.end();
    await db.drop();
  });

  it("builds the index while writes go on, waiting for a long writer past ddlLockTimeoutMs, and records it", async () => {
    // An application's long transaction that wrote to users: a plain CREATE INDEX would queue behind it.
    await writer.query("BEGIN; UPDATE users SET name = name WHERE id = 'user-1'");
    const plain = createMigrator({ url: db.url, ddlLockTimeoutMs: 300, extensions: [byName(false)] });
    try {
      await expect(plain.up()).rejects.toMatchObject({ code: "TABLE_BUSY" });
    } finally {
      await plain.close();
    }
    const migrator = createMigrator({ url: db.url, ddlLockTimeoutMs: 300, extensions: [byName(true)] });
    try {
      const running = migrator.up();
      // The build waits for the writer, longer than ddlLockTimeoutMs (measured by the server's clock)…
      await waitFor(db, "query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock' AND now() - query_start > interval '600 milliseconds'", "the build waiting past the timeout");
      // …while other writes to users go on.
      const other = new pg.Client({ connectionString: db.url });
      await other.connect();
      await other.query("SET lock_timeout = 1000");
      await other.query("UPDATE users SET name = 'renamed' WHERE id = 'user-2'");
      await other.end();
      await writer.query("COMMIT");
      expect((await running).applied.map((m) => m.id)).toEqual(["0100_users_by_name"]);
      const { rows } = await db.admin("SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'users_name_idx'");
      expect(rows).toEqual([{ valid: true }]);
      expect(await migrator.check()).toEqual({ pending: [], unknown: [], findings: [], clean: true });
      // The SQL file of such a migration is not one transaction (CONCURRENTLY cannot be in one).
      const file = migrator.sqlFiles().find((f) => f.migrationId === "0100_users_by_name" && f.direction === "up")!;
      expect(file.sql).toContain('CREATE INDEX CONCURRENTLY "users_name_idx" ON "public"."users" ("name")');
      expect(file.sql).not.toMatch(/^BEGIN;/m);
    } finally {
      await migrator.close();
    }
  });

  it("a failed build leaves an INVALID index: check reports it, and the next up builds it again", async () => {
    await writer.query("BEGIN; UPDATE users SET name = name WHERE id = 'user-1'");
    const migrator = createMigrator({ url: db.url, extensions: [byName(true)] });
    try {
      const running = migrator.up().catch((e: unknown) => e);
      const pid = await waitFor(db, "query LIKE 'CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'", "the build waiting for the writer");
      await db.admin("SELECT pg_cancel_backend($1)", [pid]);
      expect(await running).toMatchObject({ code: "MIGRATION_FAILED", migrationId: "0100_users_by_name" });
      await writer.query("COMMIT");
      const report = await migrator.check();
      expect(report.pending).toEqual(["0100_users_by_name"]);
      expect(report.findings).toContainEqual(expect.objectContaining({ severity: "error", kind: "index", name: "users_name_idx", problem: "different" }));
      expect((await migrator.up()).applied.map((m) => m.id)).toEqual(["0100_users_by_name"]);
      expect(await migrator.check()).toEqual({ pending: [], unknown: [], findings: [], clean: true });
    } finally {
      await migrator.close();
    }
  });
});
