import {
  ChecksumMismatchError, defineExtension, defineTable, LockTimeoutError, MigrationFailedError, type MigrationEvent,
  UnknownMigrationError, UnsafeColumnError, value,
} from "@better-auth/migrate-core";
import { CamelCasePlugin, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdapterHarness, HarnessDatabase } from "./harness.js";

const CORE = ["0001_core_tables", "0002_organization_tables"];

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

async function relationExists(db: HarnessDatabase, name: string): Promise<boolean> {
  const tables = await db.kysely.introspection.getTables();
  return tables.some((t) => t.name === name);
}

/** The runner's contract, the same on every dialect: ordering, ledger, checksums, lock, atomicity. */
export function runnerSuite(harness: AdapterHarness): void {
  describe(`runner on ${harness.name}`, () => {
    let db: HarnessDatabase;
    beforeEach(async () => {
      db = await harness.createDatabase();
    });
    afterEach(async () => {
      await db.drop();
    });

    it("applies every migration once, in order, and a second up applies nothing", async () => {
      const migrator = db.createMigrator();
      const events: MigrationEvent[] = [];
      try {
        const first = await migrator.up({ onProgress: (e) => events.push(e) });
        expect(first.applied.map((m) => m.id)).toEqual(CORE);
        // Each migration is reported started, then done, in order. (Where the lock is the
        // transaction, "done" waits for its commit, so both starts may come first.)
        const order = (type: string) => events.flatMap((e) => (e.type === type && "id" in e ? [e.id] : []));
        expect(order("start")).toEqual(CORE);
        expect(order("done")).toEqual(CORE);
        for (const id of CORE) {
          expect(events.findIndex((e) => e.type === "start" && e.id === id)).toBeLessThan(events.findIndex((e) => e.type === "done" && e.id === id));
        }
        expect((await migrator.up()).applied).toEqual([]);
        const ledger = await db.kysely.selectFrom("better_auth_migrations").select(["id", "checksum"]).orderBy("id").execute();
        expect(ledger.map((r) => r.id)).toEqual(CORE);
        const status = await migrator.status();
        expect(status.map((s) => s.state)).toEqual(["applied", "applied"]);
        expect(status.every((s) => s.appliedAt instanceof Date && !Number.isNaN(s.appliedAt.getTime()))).toBe(true);
      } finally {
        await migrator.close();
      }
    });

    it("status on an empty database reports everything pending and creates nothing", async () => {
      const migrator = db.createMigrator();
      try {
        expect((await migrator.status()).map((s) => [s.id, s.state])).toEqual(CORE.map((id) => [id, "pending"]));
        expect(await relationExists(db, "better_auth_migrations")).toBe(false);
      } finally {
        await migrator.close();
      }
    });

    it("down then up returns to the same catalog", async () => {
      const migrator = db.createMigrator();
      try {
        await migrator.up();
        const before = await db.catalog();
        const { reverted } = await migrator.down({ steps: 2 });
        expect(reverted.map((m) => m.id)).toEqual([...CORE].reverse());
        for (const name of ["users", "sessions", "accounts", "organization", "member", "invitation", "active_sessions"]) {
          expect(await relationExists(db, name), name).toBe(false);
        }
        await migrator.up();
        expect(await db.catalog()).toEqual(before);
      } finally {
        await migrator.close();
      }
    });

    it("down reverts the newest migration by default and refuses a bad step count", async () => {
      const migrator = db.createMigrator();
      try {
        await migrator.up();
        expect((await migrator.down()).reverted.map((m) => m.id)).toEqual(["0002_organization_tables"]);
        expect(await relationExists(db, "organization")).toBe(false);
        expect(await relationExists(db, "users")).toBe(true);
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "pending"]);
        await expect(migrator.down({ steps: 0 })).rejects.toThrow(/steps must be a positive whole number/);
      } finally {
        await migrator.close();
      }
    });

    it("down reverts the most recently applied migration, even when it was defined earlier", async () => {
      const later = defineExtension({ id: "0200_later", name: "later", tables: [defineTable({ name: "later_table", comment: "Defined last.", columns: { id: { type: "id", primaryKey: true } } })] });
      const earlier = defineExtension({ id: "0150_earlier", name: "earlier", tables: [defineTable({ name: "earlier_table", comment: "Added to the code after 0200 was applied.", columns: { id: { type: "id", primaryKey: true } } })] });
      const first = db.createMigrator({ extensions: [later] });
      await first.up();
      await first.close();
      const migrator = db.createMigrator({ extensions: [earlier, later] });
      try {
        expect((await migrator.up()).applied.map((m) => m.id)).toEqual(["0150_earlier"]);
        expect(await migrator.planDown({ steps: 2 })).toEqual([
          { id: "0150_earlier", name: "earlier", dataLoss: [] },
          { id: "0200_later", name: "later", dataLoss: [] },
        ]);
        expect((await migrator.down()).reverted.map((m) => m.id)).toEqual(["0150_earlier"]);
        expect(await relationExists(db, "earlier_table")).toBe(false);
        expect(await relationExists(db, "later_table")).toBe(true);
      } finally {
        await migrator.close();
      }
    });

    it("down never reverts a migration that an applied one builds on, whatever the ledger's timestamps say", async () => {
      const migrator = db.createMigrator();
      try {
        await migrator.up();
        // As if 0001 had been applied last (an edited ledger, a clock that went back).
        const later = harness.traits.timestampsAs === "date" ? new Date(Date.now() + 86_400_000) : new Date(Date.now() + 86_400_000).toISOString();
        await db.kysely.updateTable("better_auth_migrations").set({ applied_at: later }).where("id", "=", "0001_core_tables").execute();
        expect((await migrator.planDown()).map((m) => m.id)).toEqual(["0002_organization_tables"]);
        expect((await migrator.down()).reverted.map((m) => m.id)).toEqual(["0002_organization_tables"]);
        expect(await relationExists(db, "users")).toBe(true);
      } finally {
        await migrator.close();
      }
    });

    it("works through a caller's Kysely instance with plugins that rename columns", async () => {
      const camel = db.kysely.withPlugin(new CamelCasePlugin());
      const migrator = db.createMigrator({ db: camel });
      try {
        await migrator.up();
        const status = await migrator.status();
        expect(status.map((s) => s.state)).toEqual(["applied", "applied"]);
        expect(status.every((s) => s.appliedAt instanceof Date && !Number.isNaN(s.appliedAt.getTime()) && Number.isInteger(s.durationMs))).toBe(true);
      } finally {
        await migrator.close();
      }
    });

    it("grows a ledger written by an older release, under the lock, keeping its rows", async () => {
      const first = db.createMigrator();
      await first.up();
      await first.close();
      // The ledger as the first release made it, before it recorded per-statement progress.
      await db.kysely.schema.alterTable("better_auth_migrations").dropColumn("steps_applied").execute();
      const migrator = db.createMigrator({ extensions: [auditLog("note")] });
      try {
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied", "pending"]);
        expect((await migrator.up()).applied.map((m) => m.id)).toEqual(["0100_audit_log"]);
        const rows = await db.kysely.selectFrom("better_auth_migrations").select(["id", "steps_applied"]).orderBy("id").execute();
        expect(rows).toEqual([...CORE, "0100_audit_log"].map((id) => ({ id, steps_applied: null })));
      } finally {
        await migrator.close();
      }
    });

    it("reports a changed definition in status and refuses to run up, naming it", async () => {
      const original = db.createMigrator({ extensions: [auditLog("note")] });
      await original.up();
      await original.close();
      const changed = db.createMigrator({ extensions: [auditLog("detail")] });
      try {
        const status = await changed.status();
        expect(status.map((s) => s.state)).toEqual(["applied", "applied", "changed"]);
        const error = await changed.up().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChecksumMismatchError);
        expect((error as Error).message).toContain("0100_audit_log");
      } finally {
        await changed.close();
      }
    });

    it("refuses to run when the ledger lists a migration this code does not define", async () => {
      const withExtension = db.createMigrator({ extensions: [auditLog("note")] });
      await withExtension.up();
      await withExtension.close();
      const without = db.createMigrator();
      try {
        expect((await without.status()).at(-1)).toMatchObject({ id: "0100_audit_log", state: "unknown" });
        await expect(without.up()).rejects.toBeInstanceOf(UnknownMigrationError);
        await expect(without.down()).rejects.toBeInstanceOf(UnknownMigrationError);
      } finally {
        await without.close();
      }
    });

    it("applies an extension added later as one more migration", async () => {
      const base = db.createMigrator();
      await base.up();
      await base.close();
      const extended = db.createMigrator({ extensions: [auditLog("note")] });
      try {
        expect((await extended.up()).applied.map((m) => m.id)).toEqual(["0100_audit_log"]);
        await db.kysely.insertInto("users").values({ id: "u1" }).execute();
        await db.kysely.insertInto("audit_log").values({ id: "a1", user_id: "u1", note: "signed in" }).execute();
        await db.kysely.deleteFrom("users").execute();
        expect(await db.kysely.selectFrom("audit_log").selectAll().execute()).toEqual([]);
      } finally {
        await extended.close();
      }
    });

    it("five runners started at once apply each migration exactly once", async () => {
      const migrators = Array.from({ length: 5 }, () => db.createMigrator());
      try {
        const results = await Promise.all(migrators.map((m) => m.up()));
        expect(results.flatMap((r) => r.applied.map((m) => m.id)).sort()).toEqual(CORE);
        const ledger = await db.kysely
          .selectFrom("better_auth_migrations")
          .select(["id", sql<number>`count(*)`.as("n")])
          .groupBy("id")
          .orderBy("id")
          .execute();
        expect(ledger.map((r) => [r.id, Number(r.n)])).toEqual(CORE.map((id) => [id, 1]));
      } finally {
        await Promise.all(migrators.map((m) => m.close()));
      }
    });

    it("waits for another run's lock no longer than lockTimeoutMs, then proceeds once it is free", async () => {
      const first = db.createMigrator();
      await first.up();
      await first.close();
      const release = await db.holdMigrationLock();
      const waiting = db.createMigrator({ extensions: [auditLog("note")], lockTimeoutMs: 300 });
      try {
        const events: MigrationEvent[] = [];
        const error = await waiting.up({ onProgress: (e) => events.push(e) }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LockTimeoutError);
        // The wait says whom it waits for, at once, and so does the error.
        const wait = events.find((e) => e.type === "waiting");
        expect(wait).toBeDefined();
        expect(wait && "holder" in wait ? wait.holder?.description : undefined).toMatch(/\S/);
        expect((error as LockTimeoutError).message).toContain(`: ${(error as LockTimeoutError).holder}`);
        expect((error as LockTimeoutError).hint).toMatch(/--lock-timeout/);
        await release();
        expect((await waiting.up()).applied.map((m) => m.id)).toEqual(["0100_audit_log"]);
      } finally {
        await waiting.close();
      }
    });

    it("a failing migration leaves nothing half-applied and keeps the ones before it", async () => {
      const broken = defineExtension({
        id: "0100_broken",
        name: "creates two tables, the second of which fails",
        tables: [
          defineTable({ name: "first_table", comment: "Created before the failure.", columns: { id: { type: "id", primaryKey: true } } }),
          defineTable({ name: "second_table", comment: "Its name is taken.", columns: { id: { type: "id", primaryKey: true } } }),
        ],
      });
      await sql`CREATE VIEW second_table AS SELECT 1 AS one`.execute(db.kysely);
      const migrator = db.createMigrator({ extensions: [broken] });
      try {
        const error = await migrator.up().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationFailedError);
        expect((error as MigrationFailedError).migrationId).toBe("0100_broken");
        expect((error as Error).message).toMatch(/second_table/);
        expect(await relationExists(db, "first_table")).toBe(false);
        expect(await relationExists(db, "users")).toBe(true);
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied", "pending"]);
      } finally {
        await migrator.close();
      }
    });

    it("a failure names its migration and what the same call applied before it", async () => {
      const fine = defineExtension({ id: "0100_fine", name: "fine", tables: [defineTable({ name: "fine_table", comment: "Applies.", columns: { id: { type: "id", primaryKey: true } } })] });
      const broken = defineExtension({ id: "0101_broken", name: "broken", tables: [defineTable({ name: "taken", comment: "Its name is taken.", columns: { id: { type: "id", primaryKey: true } } })] });
      await sql`CREATE VIEW taken AS SELECT 1 AS one`.execute(db.kysely);
      const migrator = db.createMigrator({ extensions: [fine, broken] });
      try {
        const error = await migrator.up().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationFailedError);
        expect((error as MigrationFailedError).migrationId).toBe("0101_broken");
        expect((error as MigrationFailedError).applied.map((m) => m.id)).toEqual([...CORE, "0100_fine"]);
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied", "applied", "pending"]);
      } finally {
        await migrator.close();
      }
    });

    it("refuses a NOT NULL column without a default on a table with rows, before any SQL runs", async () => {
      const base = db.createMigrator();
      await base.up();
      await base.close();
      await db.kysely.insertInto("users").values({ id: "u1", email: "a@example.com" }).execute();
      const unsafe = defineExtension({
        id: "0100_username",
        name: "username",
        tables: [defineTable({ name: "username_history", comment: "Old usernames.", columns: { id: { type: "id", primaryKey: true } } })],
        columns: { users: { username: { type: "string" } } },
      });
      const migrator = db.createMigrator({ extensions: [unsafe] });
      try {
        const error = await migrator.up().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnsafeColumnError);
        expect((error as UnsafeColumnError).message).toContain("users.username");
        expect((error as UnsafeColumnError).hint).toMatch(/default/);
        expect(await relationExists(db, "username_history")).toBe(false);
      } finally {
        await migrator.close();
      }
      const safe = defineExtension({ id: "0100_username", name: "username", columns: { users: { username: { type: "string", default: value("anonymous") } } } });
      const safeMigrator = db.createMigrator({ extensions: [safe] });
      try {
        await safeMigrator.up();
        expect(await db.kysely.selectFrom("users").select("username").execute()).toEqual([{ username: "anonymous" }]);
      } finally {
        await safeMigrator.close();
      }
    });
  });
}
