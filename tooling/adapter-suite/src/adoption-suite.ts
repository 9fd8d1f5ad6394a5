import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AdoptionRefusedError, BETTER_AUTH_PLUGINS, betterAuthCompat, defineExtension, defineTable, type Finding, type Migrator, value } from "@better-auth/migrate-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdapterHarness, HarnessDatabase } from "./harness.js";

const CORE = ["0001_core_tables", "0002_organization_tables"];
const CORE_TABLES = ["users", "sessions", "accounts"];
const ORGANIZATION_TABLES = ["organization", "member", "invitation"];

const profile = defineExtension({
  id: "0100_profile",
  name: "profile",
  tables: [
    defineTable({
      name: "profile_views",
      comment: "Who looked at whose profile.",
      columns: {
        id: { type: "id", primaryKey: true },
        viewer_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        seen_at: { type: "timestamp", default: { kind: "now" } },
      },
      indexes: [["viewer_id"]],
    }),
  ],
  columns: { users: { nickname: { type: "string", nullable: true, unique: true }, tier: { type: "string", default: value("free"), oneOf: ["free", "pro"] } } },
});

/** Every row of the tables, ordered by id: what must survive adoption untouched. */
async function rowsOf(db: HarnessDatabase, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = await db.kysely.selectFrom(table).selectAll().orderBy("id").execute();
  return rows;
}

const errors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "error");
const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.message}`);

async function withMigrator<T>(db: HarnessDatabase, work: (migrator: Migrator) => Promise<T>, options: Parameters<HarnessDatabase["createMigrator"]>[0] = {}): Promise<T> {
  const migrator = db.createMigrator(options);
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

/** SPEC §5 adoption, drift and SQL export, the same on every dialect, on databases the harness makes by hand. */
export function adoptionSuite(harness: AdapterHarness): void {
  const { fixtures } = harness;
  // Their own updated_at triggers (and function) are code of theirs on our tables: accepted only
  // because the application says so, as a user adopting such a database would.
  const withTheirs = <T>(db: HarnessDatabase, work: (migrator: Migrator) => Promise<T>, options: Parameters<HarnessDatabase["createMigrator"]>[0] = {}) =>
    withMigrator(db, work, { ownObjects: fixtures.ownObjects, ...options });

  describe(`check on ${harness.name}`, () => {
    let db: HarnessDatabase;
    beforeEach(async () => {
      db = await harness.createDatabase();
    });
    afterEach(async () => {
      await db.drop();
    });

    it("reports nothing on a freshly migrated database, with and without an extension", async () => {
      await withTheirs(db, async (migrator) => {
        const before = await migrator.check();
        expect(before.pending).toEqual(CORE);
        expect(summary(before.findings)).toEqual([]);
        await migrator.up();
        const after = await migrator.check();
        expect(after).toEqual({ pending: [], unknown: [], findings: [], clean: true });
      });
      await withTheirs(db, async (migrator) => {
        await migrator.up();
        expect(summary((await migrator.check()).findings)).toEqual([]);
      }, { extensions: [profile] });
    });

    it("lists tables the model does not manage only when asked", async () => {
      await withTheirs(db, (m) => m.up());
      await db.execute(["CREATE TABLE app_notes (id INTEGER PRIMARY KEY)"]);
      await withTheirs(db, async (migrator) => {
        expect((await migrator.check()).findings).toEqual([]);
        const all = await migrator.check({ all: true });
        expect(all.clean).toBe(true);
        expect(all.findings).toEqual([expect.objectContaining({ severity: "warning", object: "app_notes", problem: "unmanaged" })]);
      });
    });

    for (const drift of fixtures.drift) {
      it(`reports ${drift.name}`, async () => {
        await withTheirs(db, (m) => m.up());
        await db.execute(drift.statements);
        await withTheirs(db, async (migrator) => {
          const report = await migrator.check();
          expect(report.findings, summary(report.findings).join("\n")).toContainEqual(expect.objectContaining(drift.finding));
          expect(report.clean).toBe(drift.finding.severity !== "error");
        });
      });
    }
  });

  describe(`adopting a hand-made database on ${harness.name}`, () => {
    let db: HarnessDatabase;
    beforeEach(async () => {
      db = await harness.createDatabase();
    });
    afterEach(async () => {
      await db.drop();
    });

    it("up adopts the hand-made core tables, keeps every row, adds the organization tables, and check is clean", async () => {
      await db.execute([...fixtures.core, ...fixtures.coreRows]);
      const before = await rowsOf(db, CORE_TABLES);
      await withTheirs(db, async (migrator) => {
        const drift = await migrator.check();
        expect(drift.pending).toEqual(CORE);
        const result = await migrator.up();
        expect(result.baselined.map((m) => m.id)).toEqual(["0001_core_tables"]);
        expect(result.applied.map((m) => m.id)).toEqual(["0002_organization_tables"]);
        const status = await migrator.status();
        expect(status.map((s) => [s.id, s.state, s.baselined])).toEqual([["0001_core_tables", "applied", true], ["0002_organization_tables", "applied", false]]);
        const after = await migrator.check();
        expect(summary(errors(after.findings))).toEqual([]);
        expect(after.pending).toEqual([]);
        // What was theirs is kept, and said: extra indexes (and on some dialects their own objects).
        expect(after.findings.every((f) => f.severity === "warning")).toBe(true);
        expect((await migrator.up()).applied).toEqual([]);
      });
      expect(await rowsOf(db, CORE_TABLES)).toEqual(before);
    });

    it("up adopts all six hand-made tables and applies nothing", async () => {
      await db.execute([...fixtures.core, ...fixtures.organization, ...fixtures.coreRows, ...fixtures.organizationRows]);
      const before = await rowsOf(db, [...CORE_TABLES, ...ORGANIZATION_TABLES]);
      await withTheirs(db, async (migrator) => {
        const result = await migrator.up();
        expect(result.baselined.map((m) => m.id)).toEqual(CORE);
        expect(result.applied).toEqual([]);
        expect(errors((await migrator.check()).findings)).toEqual([]);
      });
      expect(await rowsOf(db, [...CORE_TABLES, ...ORGANIZATION_TABLES])).toEqual(before);
    });

    it("the adopted schema behaves as the managed one: updated_at moves, cleanup counts", async () => {
      await db.execute([...fixtures.core, ...fixtures.coreRows]);
      await withTheirs(db, async (migrator) => {
        await migrator.up();
        // Every dialect's fixture holds three sessions: one live, one expired, one inactive.
        expect(await migrator.cleanupExpiredSessions()).toBe(2);
        expect(await migrator.cleanupExpiredSessions()).toBe(0);
      });
      expect((await db.kysely.selectFrom("sessions").select("id").execute()).length).toBe(1);
      const old = "2001-02-03T04:05:06.789Z";
      const [user] = await db.kysely.selectFrom("users").select("id").orderBy("id").limit(1).execute();
      const stamp = harness.traits.timestampsAs === "date" ? new Date(old) : old;
      await db.kysely.updateTable("users").set({ updated_at: stamp }).where("id", "=", user!.id).execute();
      await db.kysely.updateTable("users").set({ name: "renamed" }).where("id", "=", user!.id).execute();
      const [after] = await db.kysely.selectFrom("users").select("updated_at").where("id", "=", user!.id).execute();
      const moved = new Date(after!.updated_at as string).getTime();
      expect(moved).toBeGreaterThan(Date.parse(old));
      expect(Math.abs(moved - Date.now())).toBeLessThan(60_000);
    });

    it("a database this tool built with every Better Auth extension, whose ledger was dropped, is adopted whole; check is clean; rows kept", async () => {
      // Issue 20, item 6: a later migration's alterColumn (sessions.ip_address to a string) is a shape the tool itself produces.
      const extensions = betterAuthCompat({ plugins: BETTER_AUTH_PLUGINS });
      await withMigrator(db, (m) => m.up(), { extensions });
      const k = db.kysely;
      const expires = harness.traits.timestampsAs === "date" ? new Date("2100-01-01T00:00:00.000Z") : "2100-01-01T00:00:00.000Z";
      await k.insertInto("users").values({ id: "u1", email: "ada@example.com", name: "Ada", role: "admin" }).execute();
      await k.insertInto("sessions").values({ id: "s1", user_id: "u1", token: "t1", expires_at: expires, ip_address: "" }).execute();
      await k.insertInto("accounts").values({ id: "a1", user_id: "u1", provider: "credential", provider_account_id: "u1", password: "hash" }).execute();
      const before = await rowsOf(db, [...CORE_TABLES, "verification"]);
      await db.execute(["DROP TABLE better_auth_migrations"]);
      await withMigrator(db, async (migrator) => {
        const result = await migrator.up();
        expect(result.applied).toEqual([]);
        expect(result.baselined.map((m) => m.id)).toEqual(migrator.migrations.map((m) => m.id));
        expect(await migrator.check()).toEqual({ pending: [], unknown: [], findings: [], clean: true });
      }, { extensions });
      expect(await rowsOf(db, [...CORE_TABLES, "verification"])).toEqual(before);
    });

    it("baseline records the hand-made core as applied and leaves the rest pending", async () => {
      await db.execute([...fixtures.core, ...fixtures.coreRows]);
      await withTheirs(db, async (migrator) => {
        const result = await migrator.baseline();
        expect(result.baselined.map((m) => m.id)).toEqual(["0001_core_tables"]);
        expect(result.pending).toEqual(["0002_organization_tables"]);
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "pending"]);
        expect((await migrator.up()).applied.map((m) => m.id)).toEqual(["0002_organization_tables"]);
      });
    });

    it("baseline on a database without any of the tables says so instead of doing nothing", async () => {
      await withTheirs(db, async (migrator) => {
        await expect(migrator.baseline()).rejects.toMatchObject({ code: "NOTHING_TO_BASELINE" });
        // An empty ledger of ours does not make it pass either.
        await migrator.up();
        await migrator.down({ steps: 2 });
        await expect(migrator.baseline()).rejects.toMatchObject({ code: "NOTHING_TO_BASELINE" });
      });
    });

    it("a table named like the ledger that is not ours stops up and baseline; nothing is written to it", async () => {
      await db.execute([...fixtures.core, "CREATE TABLE better_auth_migrations (version INTEGER PRIMARY KEY)"]);
      await withTheirs(db, async (migrator) => {
        for (const attempt of [() => migrator.up(), () => migrator.baseline(), () => migrator.status()]) {
          await expect(attempt()).rejects.toMatchObject({ code: "FOREIGN_LEDGER" });
        }
      });
      expect(await db.kysely.selectFrom("better_auth_migrations").selectAll().execute()).toEqual([]);
      expect(await db.kysely.selectFrom("organization").selectAll().execute().catch(() => "absent")).toBe("absent");
    });

    for (const breakage of fixtures.breakages) {
      it(`refuses, changing nothing, when ${breakage.name}; check names it`, async () => {
        await db.execute([...fixtures.core, ...breakage.statements]);
        const catalog = await db.catalog();
        await withTheirs(db, async (migrator) => {
          const report = await migrator.check();
          expect(report.findings, summary(report.findings).join("\n")).toContainEqual(expect.objectContaining({ severity: "error", ...breakage.finding }));
          for (const attempt of [() => migrator.up(), () => migrator.baseline()]) {
            const error = await attempt().catch((e: unknown) => e);
            expect(error).toBeInstanceOf(AdoptionRefusedError);
            expect((error as AdoptionRefusedError).findings).toContainEqual(expect.objectContaining(breakage.finding));
            expect((error as AdoptionRefusedError).hint).toMatch(/check/);
          }
        });
        expect(await db.catalog()).toEqual(catalog);
      });
    }
  });

  describe(`SQL files on ${harness.name}`, () => {
    let built: HarnessDatabase;
    let migrated: HarnessDatabase;
    let dir: string;
    beforeEach(async () => {
      built = await harness.createDatabase();
      migrated = await harness.createDatabase();
      dir = mkdtempSync(join(tmpdir(), "ba-sql-files-"));
    });
    afterEach(async () => {
      await built.drop();
      await migrated.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("applied with the dialect's client, give the runner's catalog, a ledger that status reads as up to date, and downs that undo them", async () => {
      const files = await withTheirs(built, async (m) => m.sqlFiles(), { extensions: [profile] });
      expect(files.map((f) => f.name)).toEqual([
        "up/001_0001_core_tables.sql", "up/002_0002_organization_tables.sql", "up/003_0100_profile.sql",
        "down/001_0100_profile.sql", "down/002_0002_organization_tables.sql", "down/003_0001_core_tables.sql",
      ]);
      for (const file of files) {
        mkdirSync(dirname(join(dir, file.name)), { recursive: true });
        writeFileSync(join(dir, file.name), file.sql);
      }
      for (const file of files.filter((f) => f.direction === "up")) await built.applySqlFile(join(dir, file.name));
      await withTheirs(migrated, (m) => m.up(), { extensions: [profile] });
      expect(await built.catalog()).toEqual(await migrated.catalog());
      await withTheirs(built, async (migrator) => {
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied", "applied"]);
        expect(await migrator.check()).toEqual({ pending: [], unknown: [], findings: [], clean: true });
      }, { extensions: [profile] });
      for (const file of files.filter((f) => f.direction === "down")) await built.applySqlFile(join(dir, file.name));
      await withTheirs(built, async (migrator) => {
        expect((await migrator.status()).map((s) => s.state)).toEqual(["pending", "pending", "pending"]);
      }, { extensions: [profile] });
    });
  });
}
