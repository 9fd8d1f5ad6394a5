import { readFileSync } from "node:fs";
import { coreMigrations, defineExtension, defineTable, ledgerTable, now, renderMigration, resolveSchema, value } from "@better-auth/migrate-core";
import { describe, expect, it } from "vitest";
import { isDependentsCheck, SqliteRenderer } from "./sqlite-renderer.js";

const renderer = new SqliteRenderer();
const ddl = () => coreMigrations.flatMap((m) => renderMigration(renderer, m, "up")).join(";\n");

describe("SQLite rendering", () => {
  it("renders the core migrations exactly as the golden file holds them, with no functions", () => {
    // A rendering change shows up here as a diff of the golden file, to review and commit.
    const golden = readFileSync(new URL("./sqlite-renderer.golden.sql", import.meta.url), "utf8");
    expect(`${ddl()};\n`).toBe(golden);
    expect(golden).not.toMatch(/CREATE FUNCTION/);
  });

  it("keeps each column to its logical type with STRICT tables and checks", () => {
    const text = ddl();
    expect(text).toContain(`"email_verified" INTEGER NOT NULL DEFAULT 0 CHECK ("email_verified" IN (0, 1))`);
    expect(text).toContain(`"metadata" TEXT NOT NULL DEFAULT '{}' CHECK (json_valid("metadata"))`);
    expect(text).toContain(`"ip_address" TEXT CHECK (length("ip_address") <= 45)`);
    expect(text).toMatch(/"expires_at" TEXT NOT NULL CHECK \("expires_at" GLOB '\[0-9\]/);
    expect(text).toContain(`"created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);
    expect(text.match(/\) STRICT/g)).toHaveLength(6);
  });

  it("keeps updated_at with a trigger that cannot fire itself again", () => {
    expect(ddl()).toContain(
      `CREATE TRIGGER "users_set_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"\n` +
        `BEGIN\n  UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid AND "updated_at" IS NOT strftime('%Y-%m-%dT%H:%M:%fZ', 'now');\nEND`,
    );
  });

  it("adds a unique column through a unique index", () => {
    const extension = defineExtension({ id: "0100_handle", name: "handle", columns: { users: { handle: { type: "string", nullable: true, unique: true }, tier: { type: "string", default: value("free") } } } });
    expect(renderMigration(renderer, extension.migration, "up")).toEqual([
      `ALTER TABLE "users" ADD COLUMN "handle" TEXT`,
      `CREATE UNIQUE INDEX "users_handle_key" ON "users" ("handle")`,
      `ALTER TABLE "users" ADD COLUMN "tier" TEXT NOT NULL DEFAULT 'free'`,
    ]);
    expect(renderMigration(renderer, extension.migration, "down")).toEqual([
      `ALTER TABLE "users" DROP COLUMN "tier"`,
      `DROP INDEX "users_handle_key"`,
      `ALTER TABLE "users" DROP COLUMN "handle"`,
    ]);
  });

  it("rebuilds a table to add a current-time column, after checking the live table has no columns it would lose", () => {
    const stamped = defineExtension({ id: "0101_seen", name: "seen", columns: { sessions: { seen_at: { type: "timestamp", default: now() } } } });
    const up = renderMigration(renderer, stamped.migration, "up");
    expect(up[0]).toMatch(/^CREATE TEMP TABLE "better_auth_rebuild_guard" .*CONSTRAINT "sessions has columns the model does not know; rebuild refused"/);
    expect(up[1]).toBe(
      `INSERT INTO temp."better_auth_rebuild_guard" SELECT count(*) FROM pragma_table_info('sessions') WHERE name NOT IN ` +
        `('id', 'user_id', 'token', 'expires_at', 'created_at', 'ip_address', 'user_agent', 'active')`,
    );
    expect(up).toContain(`DROP VIEW "active_sessions"`);
    expect(up).toContain(
      `INSERT INTO "sessions__rebuild" ("id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "active") ` +
        `SELECT "id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "active" FROM "sessions"`,
    );
    const rename = up.indexOf(`ALTER TABLE "sessions__rebuild" RENAME TO "sessions"`);
    // Renamed with legacy_alter_table on, so that views and triggers naming sessions are neither rewritten nor re-checked.
    expect(up.slice(rename - 2, rename + 4)).toEqual([
      `DROP TABLE "sessions"`,
      "PRAGMA legacy_alter_table = ON",
      `ALTER TABLE "sessions__rebuild" RENAME TO "sessions"`,
      "PRAGMA legacy_alter_table = OFF",
      `CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id")`,
      `CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at")`,
    ]);
    expect(up[rename + 4]).toMatch(/^CREATE VIEW "active_sessions" AS/);
    // The application's own indexes and triggers are saved before the DROP, and checked to be back after it.
    expect(up.find((s) => s.startsWith(`CREATE TEMP TABLE "better_auth_rebuild_dependents" AS SELECT type, name, sql FROM main.sqlite_schema`))).toContain(
      `AND name NOT IN ('sessions_user_id_idx', 'sessions_expires_at_idx', 'sessions_token_key')`,
    );
    expect(up.filter(isDependentsCheck)).toHaveLength(1);
    // Refused before anything changes where the connection enforces foreign keys and others reference the table; checked after.
    expect(up.slice(3, 6).join(";")).toContain("FROM pragma_foreign_keys AS f WHERE f.foreign_keys = 1 AND EXISTS");
    expect(up.at(-2)).toMatch(/^INSERT INTO temp."better_auth_rebuild_guard" SELECT \(SELECT count\(\*\) FROM pragma_foreign_key_check\('sessions'\)\)/);
    // The new table's definition has the column with its default.
    expect(up.find((s) => s.startsWith(`CREATE TABLE "sessions__rebuild"`))).toContain(`"seen_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);
    // A table others reference is rebuilt too: foreign keys are off during the run, and the check covers the tables that reference it.
    const onUsers = defineExtension({ id: "0102_seen", name: "seen", columns: { users: { seen_at: { type: "timestamp", default: now() } } } });
    expect(() => renderMigration(renderer, onUsers.migration, "up")).not.toThrow();
  });

  it("drops a table only where no rows of other tables are left referencing it", () => {
    const table = defineExtension({ id: "0103_t", name: "t", tables: [defineTable({ name: "t", comment: "A table.", columns: { id: { type: "id", primaryKey: true }, at: { type: "timestamp", default: now() } } })] });
    const down = renderMigration(renderer, table.migration, "down");
    expect(down[3]).toBe(`DROP TABLE "t"`);
    expect(down[5]).toBe(
      `INSERT INTO temp."better_auth_rebuild_guard" SELECT count(*) FROM (SELECT DISTINCT s.name FROM main.sqlite_schema AS s JOIN pragma_foreign_key_list(s.name) AS l ` +
        `WHERE s.type = 'table' AND s.name <> 't' COLLATE NOCASE AND l."table" = 't' COLLATE NOCASE) AS r JOIN pragma_foreign_key_check(r.name) AS c WHERE c.parent = 't' COLLATE NOCASE`,
    );
  });

  it("describes the model in the introspector's normal form, with the type checks folded into the types", () => {
    const described = renderer.describe(resolveSchema());
    const users = described.tables.find((t) => t.name === "users")!;
    expect(users.columns.map((c) => [c.name, c.type, c.default, c.autoUpdate])).toEqual([
      ["id", "text", null, false],
      ["email", "text", null, false],
      ["name", "text", null, false],
      ["image", "text", null, false],
      ["email_verified", "integer:boolean", "0", false],
      ["created_at", "text:timestamp", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", false],
      ["updated_at", "text:timestamp", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", true],
      ["metadata", "text:json", "'{}'", false],
    ]);
    expect(users.columns.find((c) => c.name === "updated_at")!.alsoAccepted).toEqual(["text", "datetime", "timestamp"]);
    expect(described.tables.find((t) => t.name === "invitation")!.checks).toEqual([
      { name: "invitation_status_check", expression: "status in ('pending', 'accepted', 'rejected', 'canceled')" },
    ]);
    expect(described.views).toEqual([
      {
        name: "active_sessions",
        columns: ["id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "email", "name"],
        definition:
          "select s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name from sessions as s " +
          "join users as u on u.id = s.user_id where s.active = 1 and s.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
      },
    ]);
    expect(described.routines).toEqual([]);
  });

  it("creates the ledger only if it is missing, and quotes names one way", () => {
    expect(renderer.createTableIfMissing(ledgerTable)[0]).toMatch(/^CREATE TABLE IF NOT EXISTS "better_auth_migrations" \(/);
    expect(renderer.tableName('we"ird')).toBe('"we""ird"');
    expect(renderer.quoteLiteral("it's")).toBe("'it''s'");
  });
});
