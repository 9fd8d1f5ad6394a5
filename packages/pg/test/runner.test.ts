import { ChecksumMismatchError, defineExtension, defineTable, LockTimeoutError, MigrationFailedError, UnknownMigrationError, UnsafeColumnError, value } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { advisoryLockKey, createMigrator } from "../src/index.js";
import { catalogSnapshot, query } from "./helpers.js";

afterAll(closeAdminPools);

const auditLog = (column: "note" | "detail") =>
  defineExtension({
    id: "0100_audit_log",
    name: "audit log",
    tables: [
      defineTable({
        name: "audit_log",
        comment: "Security events.",
        columns: {
          id: { type: "id", primaryKey: true },
          user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
          [column]: { type: "text", nullable: true },
        },
        indexes: [["user_id"]],
      }),
    ],
  });

describe.each(inject("postgresServers"))("runner on PostgreSQL $version", (server) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("applies every migration once, and a second up applies nothing", async () => {
    const migrator = createMigrator({ url: db.url });
    try {
      const first = await migrator.up();
      expect(first.applied.map((m) => m.id)).toEqual(["0001_core_tables", "0002_organization_tables"]);
      const second = await migrator.up();
      expect(second.applied).toEqual([]);
      const ledger = await query(db.url, "SELECT id, checksum, duration_ms FROM better_auth_migrations ORDER BY id");
      expect(ledger.map((r) => r.id)).toEqual(["0001_core_tables", "0002_organization_tables"]);
      expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
    } finally {
      await migrator.close();
    }
  });

  it("status reports everything pending on an empty database without creating anything", async () => {
    const migrator = createMigrator({ url: db.url });
    try {
      const status = await migrator.status();
      expect(status.map((s) => [s.id, s.state])).toEqual([
        ["0001_core_tables", "pending"],
        ["0002_organization_tables", "pending"],
      ]);
      expect(await query(db.url, "SELECT to_regclass('better_auth_migrations') AS t")).toEqual([{ t: null }]);
    } finally {
      await migrator.close();
    }
  });

  it("down then up returns to the same catalog", async () => {
    const migrator = createMigrator({ url: db.url });
    try {
      await migrator.up();
      const before = await catalogSnapshot(db.url);
      const down = await migrator.down({ steps: 2 });
      expect(down.reverted.map((m) => m.id)).toEqual(["0002_organization_tables", "0001_core_tables"]);
      const empty = await catalogSnapshot(db.url);
      expect(new Set(empty.columns.map((c) => c.table_name))).toEqual(new Set(["better_auth_migrations"]));
      expect(empty.functions).toEqual([]);
      expect(empty.views).toEqual([]);
      await migrator.up();
      expect(await catalogSnapshot(db.url)).toEqual(before);
    } finally {
      await migrator.close();
    }
  });

  it("down reverts one migration by default", async () => {
    const migrator = createMigrator({ url: db.url });
    try {
      await migrator.up();
      expect((await migrator.down()).reverted.map((m) => m.id)).toEqual(["0002_organization_tables"]);
      expect(await query(db.url, "SELECT to_regclass('organization') AS org, to_regclass('users') AS users")).toEqual([{ org: null, users: "users" }]);
      expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "pending"]);
      await expect(migrator.down({ steps: 0 })).rejects.toThrow(/steps must be a positive whole number/);
    } finally {
      await migrator.close();
    }
  });

  it("reports a changed definition in status and refuses to run up", async () => {
    const original = createMigrator({ url: db.url, extensions: [auditLog("note")] });
    await original.up();
    await original.close();

    const changed = createMigrator({ url: db.url, extensions: [auditLog("detail")] });
    try {
      const status = await changed.status();
      expect(status.find((s) => s.id === "0100_audit_log")?.state).toBe("changed");
      expect(status.filter((s) => s.state === "applied").map((s) => s.id)).toEqual(["0001_core_tables", "0002_organization_tables"]);
      const error = await changed.up().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChecksumMismatchError);
      expect((error as Error).message).toContain("0100_audit_log");
    } finally {
      await changed.close();
    }
  });

  it("refuses to run when the ledger lists a migration this code does not define", async () => {
    const withExtension = createMigrator({ url: db.url, extensions: [auditLog("note")] });
    await withExtension.up();
    await withExtension.close();
    const without = createMigrator({ url: db.url });
    try {
      expect((await without.status()).at(-1)).toMatchObject({ id: "0100_audit_log", state: "unknown" });
      await expect(without.up()).rejects.toBeInstanceOf(UnknownMigrationError);
    } finally {
      await without.close();
    }
  });

  it("five runners started at once apply each migration exactly once", async () => {
    const migrators = Array.from({ length: 5 }, () => createMigrator({ url: db.url }));
    try {
      const results = await Promise.all(migrators.map((m) => m.up()));
      const applied = results.flatMap((r) => r.applied.map((m) => m.id)).sort();
      expect(applied).toEqual(["0001_core_tables", "0002_organization_tables"]);
      const ledger = await query(db.url, "SELECT id, count(*)::int AS n FROM better_auth_migrations GROUP BY id ORDER BY id");
      expect(ledger).toEqual([
        { id: "0001_core_tables", n: 1 },
        { id: "0002_organization_tables", n: 1 },
      ]);
    } finally {
      await Promise.all(migrators.map((m) => m.close()));
    }
  });

  it("waits for the lock no longer than lockTimeoutMs", async () => {
    const first = createMigrator({ url: db.url });
    await first.up();
    await first.close();
    // Another session holds the migration lock of the public schema.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    const withExtension = createMigrator({ url: db.url, extensions: [auditLog("note")], lockTimeoutMs: 300 });
    try {
      await holder.query("SELECT pg_advisory_lock($1, $2)", advisoryLockKey("public"));
      await expect(withExtension.up()).rejects.toBeInstanceOf(LockTimeoutError);
      await holder.query("SELECT pg_advisory_unlock_all()");
      expect((await withExtension.up()).applied.map((m) => m.id)).toEqual(["0100_audit_log"]);
    } finally {
      await holder.end();
      await withExtension.close();
    }
  });

  it("a failing migration leaves nothing half-applied", async () => {
    const broken = defineExtension({
      id: "0100_broken",
      name: "creates two tables, the second of which fails",
      tables: [
        defineTable({ name: "first_table", comment: "Created before the failure.", columns: { id: { type: "id", primaryKey: true } } }),
        defineTable({ name: "second_table", comment: "Its name is taken.", columns: { id: { type: "id", primaryKey: true } } }),
      ],
    });
    await query(db.url, "CREATE SEQUENCE second_table");
    const migrator = createMigrator({ url: db.url, extensions: [broken] });
    try {
      const error = await migrator.up().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationFailedError);
      expect((error as MigrationFailedError).migrationId).toBe("0100_broken");
      expect((error as Error).message).toMatch(/second_table/);
      expect(await query(db.url, "SELECT to_regclass('first_table') AS t")).toEqual([{ t: null }]);
      expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied", "pending"]);
    } finally {
      await migrator.close();
    }
  });

  it("refuses a NOT NULL column without a default on a table with rows, before any SQL runs", async () => {
    const base = createMigrator({ url: db.url });
    await base.up();
    await base.close();
    await query(db.url, "INSERT INTO users (id, email) VALUES ('u1', 'a@example.com')");
    const extension = defineExtension({
      id: "0100_username",
      name: "username",
      tables: [defineTable({ name: "username_history", comment: "Old usernames.", columns: { id: { type: "id", primaryKey: true } } })],
      columns: { users: { username: { type: "string" } } },
    });
    const migrator = createMigrator({ url: db.url, extensions: [extension] });
    try {
      const error = await migrator.up().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsafeColumnError);
      expect((error as UnsafeColumnError).hint).toMatch(/default/);
      expect(await query(db.url, "SELECT to_regclass('username_history') AS t")).toEqual([{ t: null }]);
      // With a default the same column is accepted and existing rows get it.
      const safe = defineExtension({ id: "0100_username", name: "username", columns: { users: { username: { type: "string", default: value("anonymous") } } } });
      const safeMigrator = createMigrator({ url: db.url, extensions: [safe] });
      await safeMigrator.up();
      await safeMigrator.close();
      expect(await query(db.url, "SELECT username FROM users")).toEqual([{ username: "anonymous" }]);
    } finally {
      await migrator.close();
    }
  });

  it("accepts an existing pool and leaves it open", async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    const migrator = createMigrator({ pool });
    await migrator.up();
    await migrator.close();
    expect((await pool.query("SELECT count(*)::int AS n FROM better_auth_migrations")).rows).toEqual([{ n: 2 }]);
    await pool.end();
  });
});
