import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  compareSchemas, coreMigrations, defineExtension, defineTable, type Extension, type Finding, json, now, resolveSchema, type SchemaSnapshot, value,
} from "@better-auth/migrate-core";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMigrator, sqliteDialect } from "../src/index.js";
import { sqliteFixtures } from "./hand-made.js";

const dialect = sqliteDialect(":memory:");
const LEDGER = new Set(["better_auth_migrations"]);

/** A table with one of everything, and columns added to users (a unique one, a check, a trigger). */
const teams = defineExtension({
  id: "0100_teams",
  name: "teams",
  tables: [
    defineTable({
      name: "team",
      comment: "Teams of users.",
      columns: {
        id: { type: "id", primaryKey: true },
        owner_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        slug: { type: "string", unique: true },
        kind: { type: "string", default: value("open"), oneOf: ["open", "closed"] },
        settings: { type: "json", default: json({ theme: "dark", seats: [1, 2] }) },
        archived: { type: "boolean", default: value(false) },
        seats: { type: "integer", default: value(5) },
        last_ip: { type: "ipAddress", nullable: true },
        created_at: { type: "timestamp", default: now() },
        updated_at: { type: "timestamp", default: now(), autoUpdate: true },
      },
      indexes: [["owner_id"], ["created_at"]],
    }),
  ],
  columns: {
    users: {
      nickname: { type: "string", nullable: true, unique: true },
      plan: { type: "string", default: value("free"), oneOf: ["free", "pro"] },
      beta: { type: "boolean", default: value(true) },
      reviewed_at: { type: "timestamp", nullable: true, autoUpdate: true },
    },
  },
});

interface TestDatabase {
  readonly file: string;
  readonly kysely: Kysely<unknown>;
  run(statements: readonly string[]): Promise<void>;
  migrate(extensions?: readonly Extension[]): Promise<void>;
  introspect(): Promise<SchemaSnapshot>;
  check(extensions?: readonly Extension[], options?: { all?: boolean; ownObjects?: ReadonlySet<string> }): Promise<Finding[]>;
}

let dir: string;
let db: TestDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ba-sqlite-introspect-"));
  const file = join(dir, "auth.db");
  const connection = new Database(file);
  connection.pragma("foreign_keys = ON");
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: connection }) });
  const introspect = () => dialect.introspector.introspect(kysely);
  db = {
    file,
    kysely,
    async run(statements) {
      for (const statement of statements) await sql.raw(statement).execute(kysely);
    },
    async migrate(extensions = []) {
      const migrator = createMigrator({ url: `sqlite:${file}`, extensions });
      try {
        await migrator.up();
      } finally {
        await migrator.close();
      }
    },
    introspect,
    async check(extensions = [], options = {}) {
      return compareSchemas(dialect.renderer.describe(resolveSchema(extensions)), await introspect(), { ...options, ignore: LEDGER });
    },
  };
});

afterEach(async () => {
  await db.kysely.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.message}`);

describe("SQLite introspection of a migrated database", () => {
  it("equals the model, without extensions", async () => {
    await db.migrate();
    expect(summary(await db.check())).toEqual([]);
  });

  it("equals the model with an extension that adds a table and columns on users", async () => {
    await db.migrate([teams]);
    expect(summary(await db.check([teams]))).toEqual([]);
    const live = await db.introspect();
    const team = live.tables.find((t) => t.name === "team")!;
    // Type checks are folded into the types, and only the oneOf check remains a check.
    expect(team.columns.map((c) => [c.name, c.type, c.default])).toEqual([
      ["id", "text", null],
      ["owner_id", "text", null],
      ["slug", "text", null],
      ["kind", "text", "'open'"],
      ["settings", "text:json", `'{"theme":"dark","seats":[1,2]}'`],
      ["archived", "integer:boolean", "0"],
      ["seats", "integer", "5"],
      ["last_ip", "text:ip", null],
      ["created_at", "text:timestamp", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"],
      ["updated_at", "text:timestamp", "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"],
    ]);
    expect(team.checks).toEqual([{ name: "team_kind_check", expression: "kind in ('open', 'closed')" }]);
    expect(team.columns.filter((c) => c.autoUpdate).map((c) => c.name)).toEqual(["updated_at"]);
    const users = live.tables.find((t) => t.name === "users")!;
    // The added unique column is a CREATE UNIQUE INDEX: a unique key all the same.
    expect(users.uniques).toEqual(expect.arrayContaining([{ name: "users_nickname_key", columns: ["nickname"] }]));
    expect(users.checks).toEqual([{ name: "users_plan_check", expression: "plan in ('free', 'pro')" }]);
    expect(users.columns.filter((c) => c.autoUpdate).map((c) => c.name)).toEqual(["updated_at", "reviewed_at"]);
  });

  it("lists a table the model does not manage only when asked, as a warning", async () => {
    await db.migrate();
    await db.run(["CREATE TABLE app_notes (id INTEGER PRIMARY KEY, body TEXT)"]);
    expect(await db.check()).toEqual([]);
    expect(await db.check([], { all: true })).toEqual([
      expect.objectContaining({ severity: "warning", object: "app_notes", kind: "table", problem: "unmanaged" }),
    ]);
  });

  it("reads nothing, and creates no file, where the migrator's file does not exist", async () => {
    const missing = join(dir, "missing.db");
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: async () => new Database(missing) }) });
    try {
      expect(await sqliteDialect(missing, { onDisk: true }).introspector.introspect(kysely)).toEqual({ tables: [], views: [], routines: [] });
      expect(existsSync(missing)).toBe(false);
    } finally {
      await kysely.destroy();
    }
  });

  it("reports triggers added to its tables, and a trigger under our name with other text, but not ours", async () => {
    await db.migrate();
    await db.run([
      "CREATE TABLE loot (value TEXT)",
      "CREATE TRIGGER users_mirror AFTER INSERT ON users BEGIN INSERT INTO loot VALUES (NEW.email); END",
      "CREATE TRIGGER sessions_mirror AFTER UPDATE OF token ON sessions BEGIN INSERT INTO loot VALUES (NEW.token); END",
    ]);
    expect(summary((await db.check()).filter((f) => f.problem === "unmanaged")).sort()).toEqual([
      expect.stringMatching(/^error trigger sessions\.sessions_mirror: not made by better-auth-migrate/),
      expect.stringMatching(/^error trigger users\.users_mirror: not made by better-auth-migrate/),
    ]);
    // Our own updated_at trigger, edited to copy too, is no longer ours.
    await db.run([
      "DROP TRIGGER users_set_updated_at",
      `CREATE TRIGGER users_set_updated_at AFTER UPDATE ON users BEGIN INSERT INTO loot VALUES (NEW.email); END`,
    ]);
    const users = (await db.introspect()).tables.find((t) => t.name === "users")!;
    expect(users.hooks!.map((h) => h.name)).toEqual(["users_mirror", "users_set_updated_at"]);
    expect(users.columns.find((c) => c.name === "updated_at")!.autoUpdate).toBe(false);
  });

  for (const drift of sqliteFixtures.drift) {
    it(`reports ${drift.name}`, async () => {
      await db.migrate();
      await db.run(drift.statements);
      const findings = await db.check();
      expect(findings, summary(findings).join("\n")).toContainEqual(expect.objectContaining(drift.finding));
      // Nothing else: each case is one difference.
      expect(summary(findings)).toHaveLength(1);
    });
  }
});

describe("SQLite introspection of a hand-made database", () => {
  /** The fixtures' own updated_at triggers, marked as the application's. */
  const ownObjects = new Set(sqliteFixtures.ownObjects);

  it("reports every trigger on a managed table but our exact updated_at triggers: one copying e-mails, one copying session tokens", async () => {
    await db.run([
      ...sqliteFixtures.core,
      ...sqliteFixtures.coreRows,
      "CREATE TABLE loot (value TEXT)",
      "CREATE TRIGGER users_mirror AFTER INSERT ON users BEGIN INSERT INTO loot VALUES (NEW.email); END",
      "CREATE TRIGGER sessions_mirror AFTER UPDATE OF token ON sessions BEGIN INSERT INTO loot VALUES (NEW.token); END",
    ]);
    const hooks = (await db.introspect()).tables.flatMap((t) => (t.hooks ?? []).map((h) => `${t.name}.${h.name} ${h.kind}`));
    expect(hooks).toEqual(["sessions.sessions_mirror trigger", "users.users_mirror trigger", "users.users_updated_at trigger"]);
    const findings = (await db.check([], { ownObjects })).filter((f) => f.problem === "unmanaged");
    expect(findings.map((f) => `${f.severity} ${f.kind} ${f.name}`).sort()).toEqual(["error trigger sessions_mirror", "error trigger users_mirror"]);
    expect(findings.find((f) => f.name === "sessions_mirror")!.message).toContain("INSERT INTO loot VALUES (NEW.token)");
  });

  it("accepts its types, defaults and keys, and reports only what adoption rebuilds", async () => {
    await db.run([...sqliteFixtures.core, ...sqliteFixtures.organization]);
    expect(summary(await db.check([], { ownObjects }))).toEqual([
      "error column users.updated_at: not set to the current time on update",
      "warning index sessions.idx_sessions_token: (token) is not in the model; it repeats the columns of sessions_token_key; kept",
      "error index accounts_user_id_idx: missing: (user_id) on accounts",
      "error column organization.updated_at: not set to the current time on update",
      "error view active_sessions: its query differs from the model's",
    ]);
    const live = await db.introspect();
    const column = (table: string, name: string) => live.tables.find((t) => t.name === table)!.columns.find((c) => c.name === name)!;
    // Their json_valid check is ours: folded into the type.
    expect(column("users", "metadata").type).toBe("text:json");
    expect(column("invitation", "expires_at").type).toBe("datetime");
    expect(column("organization", "slug").type).toBe("varchar(255)");
    expect(live.tables.find((t) => t.name === "invitation")!.checks).toEqual([
      { name: "invitation_status_check", expression: "status in ('pending', 'accepted', 'rejected', 'canceled')" },
    ]);
    expect((await db.check([], { all: true, ownObjects })).filter((f) => f.problem === "unmanaged").map((f) => f.object)).toEqual(["_sqlx_migrations"]);
  });

  for (const breakage of sqliteFixtures.breakages) {
    it(`names it when ${breakage.name}`, async () => {
      await db.run([...sqliteFixtures.core, ...breakage.statements]);
      const findings = await db.check();
      expect(findings, summary(findings).join("\n")).toContainEqual(expect.objectContaining({ severity: "error", holdsData: true, ...breakage.finding }));
    });
  }

  it("is brought to the model by reconcile, which then has nothing more to do", async () => {
    await db.run([...sqliteFixtures.core, ...sqliteFixtures.coreRows, ...sqliteFixtures.organization, ...sqliteFixtures.organizationRows]);
    const operations = coreMigrations.flatMap((m) => m.up);
    const reconcileAll = async () => {
      const live = await db.introspect();
      return operations.flatMap((op) => dialect.renderer.reconcile(op, live));
    };
    const statements = await reconcileAll();
    expect(statements.map((s) => s.split("\n")[0])).toEqual([
      `DROP TRIGGER IF EXISTS "users_set_updated_at"`,
      `CREATE TRIGGER "users_set_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"`,
      `CREATE INDEX IF NOT EXISTS "accounts_user_id_idx" ON "accounts" ("user_id")`,
      `DROP VIEW IF EXISTS "active_sessions"`,
      `CREATE VIEW "active_sessions" AS`,
      `DROP TRIGGER IF EXISTS "organization_set_updated_at"`,
      `CREATE TRIGGER "organization_set_updated_at" AFTER UPDATE ON "organization" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"`,
    ]);
    await db.run(statements);
    // Run again after a crash, the same statements change nothing.
    await db.run(statements);
    expect(await reconcileAll()).toEqual([]);
    expect(summary(await db.check([], { ownObjects }))).toEqual([
      "warning index sessions.idx_sessions_token: (token) is not in the model; it repeats the columns of sessions_token_key; kept",
    ]);
  });

  it("reconciles an added column's trigger and unique index", async () => {
    await db.migrate();
    await db.run([`ALTER TABLE users ADD COLUMN nickname TEXT`, `ALTER TABLE users ADD COLUMN reviewed_at TEXT`]);
    const live = await db.introspect();
    const statements = teams.migration.up.filter((op) => op.kind === "addColumn").flatMap((op) => dialect.renderer.reconcile(op, live));
    expect(statements.map((s) => s.split("\n")[0])).toEqual([
      `CREATE UNIQUE INDEX IF NOT EXISTS "users_nickname_key" ON "users" ("nickname")`,
      `DROP TRIGGER IF EXISTS "users_set_reviewed_at"`,
      `CREATE TRIGGER "users_set_reviewed_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."reviewed_at" IS OLD."reviewed_at"`,
    ]);
  });
});
