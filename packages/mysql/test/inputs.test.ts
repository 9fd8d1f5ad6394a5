import { tableSpec } from "@better-auth/adapter-suite";
import { defineExtension, defineTable, type Extension, MigrateError, type Migrator } from "@better-auth/migrate-core";
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { catalogSnapshot, migrateUp } from "./helpers.js";

/**
 * The inputs only MySQL treats apart; the rest, the same on every dialect, is the shared inputsSuite
 * (tooling/adapter-suite, run from adapter-suite.test.ts). A backslash in a string literal is read
 * according to sql_mode, so the quoting refuses it where it would write one.
 */

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

async function withMigrator<T>(url: string, extensions: readonly Extension[], work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const migrator = createMigrator({ url, extensions });
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

describe(`MariaDB ${server.version}: inputs only MySQL refuses`, () => {
  let db: MysqlTestDatabase;
  beforeAll(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
    await migrateUp(db.url);
  });
  afterAll(() => db?.drop());

  const tableNames = async () => ((await db.admin("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", [db.name])) as Record<string, unknown>[]).map((r) => String(r.name ?? r.NAME));
  const ledger = (id: string) => db.admin("SELECT id, name FROM better_auth_migrations WHERE id = ?", [id]);

  it("refuses ON DELETE SET DEFAULT, which InnoDB does not build, before anything runs", async () => {
    // MariaDB builds it; MySQL's manual: "SET DEFAULT ... is currently rejected by InnoDB". The renderer writes what both build.
    const extension = defineExtension({
      id: "0100_set_default",
      name: "set default",
      tables: [defineTable(tableSpec("note", "", "user_id", { type: "id", nullable: true, references: { table: "users", onDelete: "set default" } }))],
    });
    const before = await catalogSnapshot(db);
    const error = await withMigrator(db.url, [extension], (migrator) => migrator.up()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrateError);
    expect(error).toMatchObject({ code: "UNSUPPORTED_BY_DIALECT", message: "MySQL's InnoDB rejects ON DELETE SET DEFAULT (note_user_id_fkey)." });
    expect(await catalogSnapshot(db)).toEqual(before);
    expect(await ledger("0100_set_default")).toEqual([]);
  });

  it("stores a migration name with backslashes intact through up(), which binds it; an SQL file, which would quote it, refuses it", async () => {
    const name = "C:\\notes\\'; DROP TABLE users; --";
    const extension = defineExtension({ id: "0100_backslash", name, tables: [defineTable(tableSpec("backslash_note", "", "body", { type: "text", nullable: true }))] });
    await withMigrator(db.url, [extension], async (migrator) => {
      expect(() => migrator.sql()).toThrow(/^MySQL (reads backslashes in string literals according to sql_mode|keeps comments, defaults and allowed values in utf8mb3)/);
      await migrator.up();
      expect(await ledger("0100_backslash")).toEqual([{ id: "0100_backslash", name }]);
      await migrator.down();
    });
    expect(await tableNames()).toContain("users");
  });
});
