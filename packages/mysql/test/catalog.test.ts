/**
 * SPEC §3 on MySQL, read back from information_schema: every column's type, nullability, default
 * and ON UPDATE; keys; foreign keys with ON DELETE CASCADE; the status check; utf8mb4; and
 * instants that survive a server whose time zone is not UTC.
 */
import { closeMysqlAdminPools, type MysqlTestDatabase } from "@better-auth/test-databases";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applicationKysely, migratedDatabase } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

type ColumnRow = { table_name: string; column_name: string; column_type: string; is_nullable: string; column_default: string | null; extra: string };

/** [column, type, nullable, default (as the server reports it), extra] per table, in order. MariaDB reports JSON as longtext. */
const NOW = "current_timestamp(3)";
const EXPECTED_COLUMNS: Record<string, [string, string, "YES" | "NO", string | null, string][]> = {
  users: [
    ["id", "varchar(255)", "NO", null, ""],
    ["email", "varchar(255)", "YES", "NULL", ""],
    ["name", "varchar(255)", "YES", "NULL", ""],
    ["image", "text", "YES", "NULL", ""],
    ["email_verified", "tinyint(1)", "NO", "0", ""],
    ["created_at", "datetime(3)", "NO", NOW, ""],
    ["updated_at", "datetime(3)", "NO", NOW, "on update current_timestamp(3)"],
    ["metadata", "longtext", "NO", "'{}'", ""],
  ],
  sessions: [
    ["id", "varchar(255)", "NO", null, ""],
    ["user_id", "varchar(255)", "NO", null, ""],
    ["token", "varchar(255)", "NO", null, ""],
    ["expires_at", "datetime(3)", "NO", null, ""],
    ["created_at", "datetime(3)", "NO", NOW, ""],
    ["ip_address", "varchar(45)", "YES", "NULL", ""],
    ["user_agent", "text", "YES", "NULL", ""],
    ["active", "tinyint(1)", "NO", "1", ""],
  ],
  accounts: [
    ["id", "varchar(255)", "NO", null, ""],
    ["user_id", "varchar(255)", "NO", null, ""],
    ["provider", "varchar(255)", "NO", null, ""],
    ["provider_account_id", "varchar(255)", "NO", null, ""],
    ["access_token", "text", "YES", "NULL", ""],
    ["refresh_token", "text", "YES", "NULL", ""],
    ["expires_at", "datetime(3)", "YES", "NULL", ""],
    ["token_type", "varchar(255)", "YES", "NULL", ""],
    ["scope", "text", "YES", "NULL", ""],
    ["created_at", "datetime(3)", "NO", NOW, ""],
  ],
  organization: [
    ["id", "varchar(255)", "NO", null, ""],
    ["name", "varchar(255)", "NO", null, ""],
    ["slug", "varchar(255)", "NO", null, ""],
    ["logo", "text", "YES", "NULL", ""],
    ["metadata", "longtext", "NO", "'{}'", ""],
    ["created_at", "datetime(3)", "NO", NOW, ""],
    ["updated_at", "datetime(3)", "NO", NOW, "on update current_timestamp(3)"],
  ],
  member: [
    ["id", "varchar(255)", "NO", null, ""],
    ["organization_id", "varchar(255)", "NO", null, ""],
    ["user_id", "varchar(255)", "NO", null, ""],
    ["role", "varchar(255)", "NO", "'member'", ""],
    ["created_at", "datetime(3)", "NO", NOW, ""],
  ],
  invitation: [
    ["id", "varchar(255)", "NO", null, ""],
    ["organization_id", "varchar(255)", "NO", null, ""],
    ["email", "varchar(255)", "NO", null, ""],
    ["role", "varchar(255)", "NO", "'member'", ""],
    ["status", "varchar(255)", "NO", "'pending'", ""],
    ["inviter_id", "varchar(255)", "NO", null, ""],
    ["expires_at", "datetime(3)", "NO", null, ""],
    ["created_at", "datetime(3)", "NO", NOW, ""],
  ],
};

describe(`the live catalog on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  beforeAll(async () => {
    db = await migratedDatabase(server.adminUrl);
  });
  afterAll(async () => {
    await db.drop();
  });
  const rows = <R>(sql: string, values: unknown[] = [db.name]) => db.admin(sql, values) as Promise<R[]>;

  it("has the six tables, InnoDB, utf8mb4 with the binary collation, commented, and the view", async () => {
    const tables = await rows<{ table_name: string; table_type: string; engine: string | null; table_collation: string | null; table_comment: string }>(
      "SELECT table_name, table_type, engine, table_collation, table_comment FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
    );
    expect(tables.map((t) => [t.table_name, t.table_type])).toEqual([
      ["accounts", "BASE TABLE"], ["active_sessions", "VIEW"], ["better_auth_migrations", "BASE TABLE"], ["better_auth_migrations_lock_key", "BASE TABLE"], ["invitation", "BASE TABLE"],
      ["member", "BASE TABLE"], ["organization", "BASE TABLE"], ["sessions", "BASE TABLE"], ["users", "BASE TABLE"],
    ]);
    for (const t of tables.filter((t) => t.table_type === "BASE TABLE")) {
      expect([t.engine, t.table_collation], t.table_name).toEqual(["InnoDB", "utf8mb4_bin"]);
      expect(t.table_comment, t.table_name).toMatch(/\.$/);
    }
    const charsets = await rows<{ character_set_name: string }>(
      "SELECT DISTINCT character_set_name FROM information_schema.columns WHERE table_schema = ? AND character_set_name IS NOT NULL",
    );
    expect(charsets).toEqual([{ character_set_name: "utf8mb4" }]);
  });

  it("matches SPEC §3 column by column: type, nullability, default, ON UPDATE", async () => {
    const columns = await rows<ColumnRow>(
      `SELECT table_name, column_name, column_type, is_nullable, column_default, extra FROM information_schema.columns
       WHERE table_schema = ? AND table_name IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation') ORDER BY table_name, ordinal_position`,
    );
    const actual: Record<string, unknown[]> = {};
    for (const c of columns) (actual[c.table_name] ??= []).push([c.column_name, c.column_type, c.is_nullable, c.column_default, c.extra]);
    expect(actual).toEqual(EXPECTED_COLUMNS);
  });

  it("has the primary, unique and foreign keys, each foreign key ON DELETE CASCADE", async () => {
    const keys = await rows<{ table_name: string; constraint_name: string; constraint_type: string; columns: string }>(
      `SELECT c.table_name, c.constraint_name, c.constraint_type, GROUP_CONCAT(k.column_name ORDER BY k.ordinal_position) AS columns
       FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k
         ON k.constraint_schema = c.constraint_schema AND k.table_name = c.table_name AND k.constraint_name = c.constraint_name
       WHERE c.constraint_schema = ? AND c.table_name NOT IN ('better_auth_migrations', 'better_auth_migrations_lock_key') AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
       GROUP BY c.table_name, c.constraint_name, c.constraint_type ORDER BY 1, 3, 4`,
    );
    expect(keys.map((k) => [k.table_name, k.constraint_type, k.columns])).toEqual([
      ["accounts", "PRIMARY KEY", "id"], ["accounts", "UNIQUE", "provider,provider_account_id"],
      ["invitation", "PRIMARY KEY", "id"],
      ["member", "PRIMARY KEY", "id"], ["member", "UNIQUE", "organization_id,user_id"],
      ["organization", "PRIMARY KEY", "id"], ["organization", "UNIQUE", "slug"],
      ["sessions", "PRIMARY KEY", "id"], ["sessions", "UNIQUE", "token"],
      ["users", "PRIMARY KEY", "id"], ["users", "UNIQUE", "email"],
    ]);
    const foreignKeys = await rows<{ constraint_name: string; table_name: string; referenced_table_name: string; delete_rule: string }>(
      "SELECT constraint_name, table_name, referenced_table_name, delete_rule FROM information_schema.referential_constraints WHERE constraint_schema = ? ORDER BY 1",
    );
    expect(foreignKeys).toEqual([
      { constraint_name: "accounts_user_id_fkey", table_name: "accounts", referenced_table_name: "users", delete_rule: "CASCADE" },
      { constraint_name: "invitation_inviter_id_fkey", table_name: "invitation", referenced_table_name: "users", delete_rule: "CASCADE" },
      { constraint_name: "invitation_organization_id_fkey", table_name: "invitation", referenced_table_name: "organization", delete_rule: "CASCADE" },
      { constraint_name: "member_organization_id_fkey", table_name: "member", referenced_table_name: "organization", delete_rule: "CASCADE" },
      { constraint_name: "member_user_id_fkey", table_name: "member", referenced_table_name: "users", delete_rule: "CASCADE" },
      { constraint_name: "sessions_user_id_fkey", table_name: "sessions", referenced_table_name: "users", delete_rule: "CASCADE" },
    ]);
  });

  it("enforces the invitation status with a named check (and MariaDB's own JSON checks)", async () => {
    const checks = await rows<{ table_name: string; constraint_name: string; check_clause: string }>(
      "SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = ? ORDER BY 1, 2",
    );
    expect(checks).toContainEqual({
      table_name: "invitation",
      constraint_name: "invitation_status_check",
      check_clause: "`status` in ('pending','accepted','rejected','canceled')",
    });
    expect(checks.filter((c) => c.constraint_name === "metadata").map((c) => [c.table_name, c.check_clause])).toEqual([
      ["organization", "json_valid(`metadata`)"],
      ["users", "json_valid(`metadata`)"],
    ]);
  });

  describe("instants, on a server whose time zone is not UTC", () => {
    let app: Kysely<any>;
    beforeAll(() => {
      app = applicationKysely(db.url);
    });
    afterAll(async () => {
      await app.destroy();
    });

    it("the test server really runs in another time zone", async () => {
      expect(await rows<{ tz: string }>("SELECT @@global.time_zone AS tz", [])).toEqual([{ tz: "-07:00" }]);
    });

    it("1970 and 2100 round-trip to the millisecond, stored as UTC", async () => {
      await app.insertInto("users").values({ id: "u1" }).execute();
      const instants = ["1970-01-01T00:00:00.001Z", "2100-01-01T12:34:56.789Z"];
      for (const [i, at] of instants.entries()) {
        await app.insertInto("accounts").values({ id: `a${i}`, user_id: "u1", provider: "p", provider_account_id: `${i}`, expires_at: new Date(at) }).execute();
      }
      const read = await app.selectFrom("accounts").select("expires_at").orderBy("id").execute();
      expect(read.map((r) => (r.expires_at as Date).toISOString())).toEqual(instants);
      // As stored, read as text by a root session in the server's own time zone: the UTC wall clock.
      const stored = await rows<{ text: string }>("SELECT CAST(expires_at AS CHAR) AS text FROM accounts WHERE user_id = 'u1' ORDER BY id", []);
      expect(stored.map((r) => r.text)).toEqual(["1970-01-01 00:00:00.001", "2100-01-01 12:34:56.789"]);
    });

    it("defaults and ON UPDATE write the current UTC time on the adapter's sessions", async () => {
      await app.insertInto("users").values({ id: "u2" }).execute();
      const [row] = await rows<{ created: string; utc: string }>("SELECT CAST(created_at AS CHAR) AS created, CAST(UTC_TIMESTAMP(3) AS CHAR) AS utc FROM users WHERE id = 'u2'", []);
      const asUtc = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);
      expect(Math.abs(asUtc(row!.created) - asUtc(row!.utc))).toBeLessThan(60_000);
    });
  });
});
