/**
 * The introspector against MariaDB, compared with the renderer's `describe` by core's
 * compareSchemas: a freshly migrated database (with and without an extension) shows nothing; an
 * unmanaged table shows only with `all`; each drift and each breakage of a hand-made database is
 * found; reconcile brings a hand-made database to the model and is safe to run again.
 */
import {
  coreMigrations, compareSchemas, defineExtension, defineTable, type Extension, type Finding, json, now, resolveSchema, value,
} from "@better-auth/migrate-core";
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import type { Kysely } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator, mysqlDialect } from "../src/index.js";
import { mysqlHandMade } from "./hand-made.js";
import { applicationKysely, executeAsOwner, migrateUp } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");
const dialect = mysqlDialect();
// What `check` leaves out: the ledger and the tables the session keeps for itself.
const IGNORE = { ignore: new Set(["better_auth_migrations", ...(dialect.session.ownTables ?? [])]) };
/** As IGNORE, with what the hand-made databases' makers marked as their own (a trigger, a procedure). */
const HAND_MADE = { ...IGNORE, ownObjects: new Set(mysqlHandMade.ownObjects) };

/** An extension with one of everything the introspector must read back as the renderer describes it. */
const apiKeys: Extension = defineExtension({
  id: "0100_api_keys",
  name: "API keys",
  tables: [
    defineTable({
      name: "api_key",
      comment: "API keys of users.",
      columns: {
        id: { type: "id", primaryKey: true },
        user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        // No index of the model's own: InnoDB makes one for the foreign key.
        organization_id: { type: "id", nullable: true, references: { table: "organization", onDelete: "set null" } },
        key_hash: { type: "string", unique: true },
        kind: { type: "string", default: value("personal"), oneOf: ["personal", "service", "it's"] },
        scopes: { type: "json", default: json({ read: true, write: ["own"] }) },
        enabled: { type: "boolean", default: value(true) },
        uses: { type: "integer", default: value(0) },
        note: { type: "text", nullable: true },
        created_at: { type: "timestamp", default: now() },
        updated_at: { type: "timestamp", default: now(), autoUpdate: true },
      },
      indexes: [["user_id"], ["kind", "enabled"]],
    }),
  ],
  columns: {
    users: {
      nickname: { type: "string", nullable: true, unique: true },
      tier: { type: "string", default: value("free"), oneOf: ["free", "pro"] },
      last_seen_at: { type: "timestamp", nullable: true },
      signed_up_from: { type: "ipAddress", nullable: true },
    },
  },
});

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.message}`);

describe(`introspection on MariaDB ${server.version}`, () => {
  let database: MysqlTestDatabase;
  let kysely: Kysely<any>;
  beforeEach(async () => {
    database = await createMysqlTestDatabase(server.adminUrl);
    kysely = applicationKysely(database.url);
  });
  afterEach(async () => {
    await kysely.destroy();
    await database.drop();
  });

  const check = async (extensions: readonly Extension[] = [], options: { all?: boolean; ownObjects?: ReadonlySet<string> } = {}) =>
    compareSchemas(dialect.renderer.describe(resolveSchema(extensions)), await dialect.introspector.introspect(kysely), { ...IGNORE, ...options });

  it("finds nothing on a freshly migrated database", async () => {
    await migrateUp(database.url);
    expect(summary(await check())).toEqual([]);
  });

  it("finds nothing on a freshly migrated database with an extension", async () => {
    await migrateUp(database.url, { extensions: [apiKeys] });
    expect(summary(await check([apiKeys]))).toEqual([]);
    // And the extension's objects were read, not skipped: its table is there in full.
    const live = await dialect.introspector.introspect(kysely);
    const table = live.tables.find((t) => t.name === "api_key")!;
    expect(table.columns.map((c) => [c.name, c.type, c.default, c.autoUpdate])).toEqual([
      ["id", "varchar(255)", null, false],
      ["user_id", "varchar(255)", null, false],
      ["organization_id", "varchar(255)", null, false],
      ["key_hash", "varchar(255)", null, false],
      ["kind", "varchar(255)", "'personal'", false],
      ["scopes", "json", `'{"read":true,"write":["own"]}'`, false],
      ["enabled", "boolean", "1", false],
      ["uses", "int", "0", false],
      ["note", "text", null, false],
      ["created_at", "datetime(3)", "current_timestamp(3)", false],
      ["updated_at", "datetime(3)", "current_timestamp(3)", true],
    ]);
    expect(table.checks).toEqual([{ name: "api_key_kind_check", expression: "kind in ('personal','service','it''s')" }]);
    expect(table.foreignKeys.map((fk) => [fk.name, fk.onDelete])).toEqual([["api_key_organization_id_fkey", "set null"], ["api_key_user_id_fkey", "cascade"]]);
    expect(table.indexes.map((i) => i.name).sort()).toEqual(["api_key_kind_enabled_idx", "api_key_organization_id_fkey", "api_key_user_id_idx"]);
  });

  it("reports a trigger on users that copies emails elsewhere, with what it does, unless the application marks it as its own", async () => {
    await executeAsOwner(database.url, [...mysqlHandMade.core, ...mysqlHandMade.coreRows]);
    await migrateUp(database.url, { ownObjects: mysqlHandMade.ownObjects });
    await executeAsOwner(database.url, [
      "CREATE TABLE loot (email TEXT)",
      "CREATE TRIGGER users_copy_email AFTER INSERT ON users FOR EACH ROW INSERT INTO loot VALUES (NEW.email)",
    ]);
    const live = await dialect.introspector.introspect(kysely);
    expect(live.tables.find((t) => t.name === "users")?.hooks).toEqual([
      { kind: "trigger", name: "users_copy_email", definition: "AFTER INSERT ON `users` FOR EACH ROW INSERT INTO loot VALUES (NEW.email)" },
      { kind: "trigger", name: "users_touch_updated_at", definition: expect.stringMatching(/^BEFORE UPDATE ON `users` FOR EACH ROW SET NEW.updated_at/) },
    ]);
    const findings = await check([], { ownObjects: new Set(mysqlHandMade.ownObjects) });
    expect(findings.filter((f) => f.severity === "error"), summary(findings).join("\n")).toEqual([
      expect.objectContaining({ kind: "trigger", object: "users", name: "users_copy_email", problem: "unmanaged", actual: expect.stringContaining("INSERT INTO loot") }),
    ]);
    expect(await check([], { ownObjects: new Set([...mysqlHandMade.ownObjects, "users.users_copy_email"]) })).not.toContainEqual(expect.objectContaining({ kind: "trigger" }));
  });

  it("refuses a ledger with a trigger (FOREIGN_LEDGER) and writes nothing to it", async () => {
    await migrateUp(database.url);
    await executeAsOwner(database.url, [
      "CREATE TABLE seen (id VARCHAR(255))",
      "CREATE TRIGGER ledger_spy AFTER INSERT ON better_auth_migrations FOR EACH ROW INSERT INTO seen VALUES (NEW.id)",
    ]);
    const migrator = createMigrator({ url: database.url, extensions: [apiKeys] });
    try {
      await expect(migrator.status()).rejects.toMatchObject({ code: "FOREIGN_LEDGER", message: expect.stringContaining("ledger_spy") });
      await expect(migrator.up()).rejects.toMatchObject({ code: "FOREIGN_LEDGER" });
    } finally {
      await migrator.close();
    }
    expect(await database.admin("SELECT COUNT(*) AS n FROM better_auth_migrations")).toEqual([{ n: 2 }]);
    expect(await database.admin("SELECT COUNT(*) AS n FROM seen")).toEqual([{ n: 0 }]);
  });

  it("reports tables the model does not manage only with all", async () => {
    await migrateUp(database.url);
    await executeAsOwner(database.url, ["CREATE TABLE app_notes (id INT PRIMARY KEY, body TEXT)"]);
    expect(await check()).toEqual([]);
    expect(await check([], { all: true })).toEqual([expect.objectContaining({ severity: "warning", kind: "table", object: "app_notes", problem: "unmanaged" })]);
  });

  for (const drift of mysqlHandMade.drift) {
    it(`reports ${drift.name}`, async () => {
      await migrateUp(database.url);
      await executeAsOwner(database.url, drift.statements);
      const findings = await check();
      expect(findings, summary(findings).join("\n")).toEqual([expect.objectContaining(drift.finding)]);
    });
  }

  for (const breakage of mysqlHandMade.breakages) {
    it(`reports a hand-made database where ${breakage.name}`, async () => {
      await executeAsOwner(database.url, [...mysqlHandMade.core, ...breakage.statements]);
      const findings = await check();
      expect(findings, summary(findings).join("\n")).toContainEqual(expect.objectContaining({ severity: "error", holdsData: true, ...breakage.finding }));
    });
  }

  it("reads a hand-made database in the model's terms, and reconcile brings it to the model, again and again", async () => {
    await executeAsOwner(database.url, [...mysqlHandMade.core, ...mysqlHandMade.coreRows]);
    const core = resolveSchema();
    const coreOnly = { tables: core.tables.filter((t) => ["users", "sessions", "accounts"].includes(t.name)), views: core.views, routines: [] };
    const before = compareSchemas(dialect.renderer.describe(coreOnly), await dialect.introspector.introspect(kysely), HAND_MADE);
    // Types, defaults, JSON, keys and checks match; what differs holds no data or is theirs.
    expect(summary(before)).toEqual([
      "error column users.updated_at: not set to the current time on update",
      "warning index users.idx_users_email: (email) is not in the model; it repeats the columns of users_email_key; kept",
      "warning index accounts.idx_accounts_provider: (provider, provider_account_id) is not in the model; it repeats the columns of accounts_provider_provider_account_id_key; kept",
      "error view active_sessions: columns (id, user_id, token, expires_at, email), expected (id, user_id, token, expires_at, created_at, ip_address, user_agent, email, name)",
    ]);
    const rows = async () => ({
      users: await kysely.selectFrom("users").selectAll().orderBy("id").execute(),
      sessions: await kysely.selectFrom("sessions").selectAll().orderBy("id").execute(),
      accounts: await kysely.selectFrom("accounts").selectAll().orderBy("id").execute(),
    });
    const rowsBefore = await rows();

    const reconcile = async () => {
      const live = await dialect.introspector.introspect(kysely);
      return coreMigrations[0]!.up.flatMap((op) => dialect.renderer.reconcile(op, live));
    };
    const first = await reconcile();
    expect(first).toEqual([
      "ALTER TABLE `users` MODIFY COLUMN `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)",
      "ALTER TABLE `users` COMMENT = 'People who can sign in. Managed by Better Auth.'",
      "ALTER TABLE `sessions` COMMENT = 'Sign-in sessions, looked up by token on every request. Managed by Better Auth.'",
      "ALTER TABLE `accounts` COMMENT = 'OAuth accounts linked to a user. Managed by Better Auth.'",
      expect.stringMatching(/^CREATE OR REPLACE SQL SECURITY INVOKER VIEW `active_sessions` AS\nSELECT /),
    ]);
    await executeAsOwner(database.url, first);
    const after = compareSchemas(dialect.renderer.describe(coreOnly), await dialect.introspector.introspect(kysely), HAND_MADE);
    expect(after.filter((f) => f.severity === "error")).toEqual([]);
    // Run again after a crash: nothing is added twice, and it still succeeds.
    const second = await reconcile();
    expect(second).toEqual(first.filter((s) => !s.includes("MODIFY COLUMN")));
    await executeAsOwner(database.url, second);
    expect(await rows()).toEqual(rowsBefore);
  });

  it("reconcile creates an index the hand-made table lacks, and only once", async () => {
    await executeAsOwner(database.url, [...mysqlHandMade.core, "DROP INDEX idx_sessions_expires ON sessions"]);
    const live = await dialect.introspector.introspect(kysely);
    const sessions = coreMigrations[0]!.up.find((op) => op.kind === "createTable" && op.table.name === "sessions")!;
    const statements = dialect.renderer.reconcile(sessions, live);
    expect(statements).toEqual([
      "CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`)",
      "ALTER TABLE `sessions` COMMENT = 'Sign-in sessions, looked up by token on every request. Managed by Better Auth.'",
    ]);
    await executeAsOwner(database.url, statements);
    expect(dialect.renderer.reconcile(sessions, await dialect.introspector.introspect(kysely))).toEqual([statements[1]]);
  });

  it("reads the hand-made organization tables, with the column check and ON UPDATE, as the model's", async () => {
    await executeAsOwner(database.url, [...mysqlHandMade.core, ...mysqlHandMade.organization]);
    const model = resolveSchema();
    const organization = { tables: model.tables.filter((t) => ["organization", "member", "invitation"].includes(t.name)), views: [], routines: [] };
    const findings = compareSchemas(dialect.renderer.describe(organization), await dialect.introspector.introspect(kysely), HAND_MADE);
    expect(summary(findings)).toEqual([]);
  });
});
