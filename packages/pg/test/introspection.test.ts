/**
 * The PostgreSQL introspector against real servers: a database the migrations made reads back as
 * exactly what `describe` says of the model (default options, a quoted custom schema, uuid ids,
 * with and without an extension); drift and hand-made differences are each reported; and the
 * renderer's `reconcile` brings a hand-made database to the managed definition, idempotently.
 */
import {
  compareSchemas, defineExtension, defineTable, type Extension, type Finding, json, type Migration, now, resolveSchema, value,
} from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { postgresDialect } from "../src/index.js";
import { postgresFixtures as fixtures } from "./hand-made.js";
import { migrateUp } from "./helpers.js";

afterAll(closeAdminPools);

const LEDGER = new Set(["better_auth_migrations"]);

/** A table with an index, a foreign key, a unique column, a check, json and boolean defaults and an autoUpdate timestamp; columns added to users. */
const projects = defineExtension({
  id: "0100_projects",
  name: "projects",
  tables: [
    defineTable({
      name: "project",
      comment: "Projects a user owns.",
      columns: {
        id: { type: "id", primaryKey: true },
        owner_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        slug: { type: "string", unique: true },
        visibility: { type: "string", default: value("private"), oneOf: ["private", "internal", "public"] },
        settings: { type: "json", default: json({ theme: "dark", tags: [], "it's": { nested: true } }) },
        archived: { type: "boolean", default: value(false) },
        priority: { type: "integer", default: value(-1) },
        created_at: { type: "timestamp", default: now() },
        updated_at: { type: "timestamp", default: now(), autoUpdate: true },
      },
      indexes: [["owner_id"], ["visibility", "created_at"]],
    }),
  ],
  columns: {
    users: {
      nickname: { type: "string", nullable: true, unique: true },
      tier: { type: "string", default: value("free"), oneOf: ["free", "pro"] },
      favorite_project_id: { type: "id", nullable: true, references: { table: "project", onDelete: "set null" } },
      profile_updated_at: { type: "timestamp", nullable: true, autoUpdate: true },
    },
  },
});

type Options = { schema?: string; ids?: "string" | "uuid" };

function dialectFor(options: Options = {}) {
  return postgresDialect({ schema: options.schema ?? "public", ids: options.ids ?? "string" });
}

const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.message}`);

for (const server of inject("postgresServers")) {
  describe(`PostgreSQL ${server.version} introspection`, () => {
    let database: TestDatabase;
    let kysely: Kysely<unknown>;
    beforeEach(async () => {
      database = await createTestDatabase(server.adminUrl);
      kysely = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
    });
    afterEach(async () => {
      await kysely.destroy();
      await database.drop();
    });

    const execute = async (statements: readonly string[]) => {
      for (const statement of statements) await sql.raw(statement).execute(kysely);
    };

    /** The live database against the model, as `check` compares them. */
    async function drift(options: Options = {}, extensions: readonly Extension[] = [], compare: { all?: boolean } = {}): Promise<Finding[]> {
      const dialect = dialectFor(options);
      const live = await dialect.introspector.introspect(kysely);
      // The hand-made fixtures' own triggers and function, as an application adopting them marks them.
      return compareSchemas(dialect.renderer.describe(resolveSchema(extensions)), live, { ignore: LEDGER, ownObjects: new Set(fixtures.ownObjects), ...compare });
    }

    /** What adoption does for migrations whose tables exist: every operation's reconcile statements, in one transaction. */
    async function reconcile(migrations: readonly Migration[]): Promise<string[]> {
      const dialect = dialectFor();
      const live = await dialect.introspector.introspect(kysely);
      const statements = migrations.flatMap((m) => m.up.flatMap((op) => dialect.renderer.reconcile(op, live)));
      await kysely.transaction().execute(async (trx) => {
        for (const statement of statements) await sql.raw(statement).execute(trx);
      });
      return statements;
    }

    const freshCases: [string, Options, Extension[]][] = [
      ["default options", {}, []],
      ["default options and an extension", {}, [projects]],
      ["schema auth", { schema: "auth" }, []],
      ["schema auth and an extension", { schema: "auth" }, [projects]],
      ["uuid ids and an extension", { ids: "uuid" }, [projects]],
      ['uuid ids in a schema that needs quoting, and an extension', { schema: 'Auth "Schema"', ids: "uuid" }, [projects]],
    ];
    for (const [name, options, extensions] of freshCases) {
      it(`reads a freshly migrated database as the model describes it: ${name}`, async () => {
        await migrateUp(database.url, { ...options, extensions });
        expect(summary(await drift(options, extensions))).toEqual([]);
      });
    }

    it("states the catalog's facts in the normal form", async () => {
      await migrateUp(database.url, { extensions: [projects] });
      const live = await dialectFor().introspector.introspect(kysely);
      const table = (name: string) => live.tables.find((t) => t.name === name)!;
      const column = (t: string, c: string) => table(t).columns.find((col) => col.name === c);
      expect(column("users", "updated_at")).toEqual({ name: "updated_at", type: "timestamptz", nullable: false, default: "now()", autoUpdate: true });
      expect(column("users", "profile_updated_at")).toMatchObject({ autoUpdate: true, default: null, nullable: true });
      expect(column("users", "metadata")).toMatchObject({ type: "jsonb", default: "'{}'" });
      expect(column("invitation", "role")).toMatchObject({ type: "text", default: "'member'" });
      expect(column("project", "priority")).toMatchObject({ type: "integer", default: "-1" });
      expect(table("invitation").checks).toEqual([{ name: "invitation_status_check", expression: "status in ('pending','accepted','rejected','canceled')" }]);
      expect(table("users").foreignKeys).toEqual([
        { name: "users_favorite_project_id_fkey", columns: ["favorite_project_id"], references: { table: "project", columns: ["id"] }, onDelete: "set null" },
      ]);
      // Key indexes are the keys; the ledger is read like any other table.
      expect(table("sessions").indexes.map((i) => i.name)).toEqual(["sessions_expires_at_idx", "sessions_user_id_idx"]);
      expect(table("sessions").uniques).toEqual([{ name: "sessions_token_key", columns: ["token"] }]);
      expect(live.tables.map((t) => t.name)).toContain("better_auth_migrations");
      expect(live.routines.map((r) => [r.name, r.pinnedSearchPath])).toEqual([["better_auth_set_updated_at", true], ["cleanup_expired_sessions", true]]);
    });

    it("lists tables the model does not manage only when asked, and never the ledger", async () => {
      await migrateUp(database.url);
      await execute(["CREATE TABLE app_notes (id integer PRIMARY KEY, body text)"]);
      expect(await drift()).toEqual([]);
      expect(await drift({}, [], { all: true })).toEqual([
        expect.objectContaining({ severity: "warning", kind: "table", object: "app_notes", problem: "unmanaged" }),
      ]);
    });

    it("reads the same through a caller's instance with plugins that rename columns", async () => {
      await migrateUp(database.url);
      const dialect = dialectFor();
      const camel = kysely.withPlugin(new CamelCasePlugin());
      expect(await dialect.introspector.introspect(camel)).toEqual(await dialect.introspector.introspect(kysely));
    });

    it("reads only its own schema, and leaves a caller's transaction as it found it", async () => {
      await migrateUp(database.url, { schema: "auth" });
      await execute(["CREATE TABLE public.stray (id integer)"]);
      const dialect = dialectFor({ schema: "auth" });
      await kysely.transaction().execute(async (trx) => {
        await sql`SET LOCAL search_path = public`.execute(trx);
        const live = await dialect.introspector.introspect(trx);
        expect(live.tables.map((t) => t.name)).not.toContain("stray");
        const { rows } = await sql<{ path: string }>`SELECT current_setting('search_path') AS path`.execute(trx);
        expect(rows[0]?.path).toBe("public");
      });
    });

    for (const change of fixtures.drift) {
      it(`reports ${change.name}`, async () => {
        await migrateUp(database.url);
        await execute(change.statements);
        const findings = await drift();
        expect(findings, summary(findings).join("\n")).toContainEqual(expect.objectContaining(change.finding));
        expect(findings.filter((f) => f.severity === "error").length > 0).toBe(change.finding.severity === "error");
      });
    }

    for (const breakage of fixtures.breakages) {
      it(`names a hand-made database's difference that holds data: ${breakage.name}`, async () => {
        await execute([...fixtures.core, ...breakage.statements]);
        const findings = await drift();
        expect(findings, summary(findings).join("\n")).toContainEqual(expect.objectContaining({ severity: "error", holdsData: true, ...breakage.finding }));
      });
    }

    it("finds nothing holding data to stop adoption of the hand-made tables, and reconcile leaves only their extras", async () => {
      await execute([...fixtures.core, ...fixtures.organization, ...fixtures.coreRows, ...fixtures.organizationRows]);
      const before = await drift();
      expect(summary(before.filter((f) => f.severity === "error" && f.holdsData))).toEqual([]);
      // What adoption is there to fix: their trigger is not ours, the view, the functions, two missing indexes.
      expect(before.filter((f) => f.severity === "error").map((f) => `${f.kind} ${f.object}.${f.name}`).sort()).toEqual([
        "column organization.updated_at", "column users.updated_at", "index invitation.invitation_inviter_id_idx", "index sessions.sessions_expires_at_idx",
        // Their cleanup function: a body of its own, no pinned search_path, and so not the attributes of ours.
        "routine cleanup_expired_sessions.cleanup_expired_sessions", "routine cleanup_expired_sessions.cleanup_expired_sessions",
        "routine cleanup_expired_sessions.cleanup_expired_sessions",
        "routine better_auth_set_updated_at.better_auth_set_updated_at",
        "view active_sessions.active_sessions",
      ].sort());

      const model = resolveSchema();
      const first = await reconcile(model.migrations);
      expect(first).toContain(`DROP FUNCTION IF EXISTS "public"."cleanup_expired_sessions"()`);
      expect(first).toContain(`CREATE INDEX IF NOT EXISTS "sessions_expires_at_idx" ON "public"."sessions" ("expires_at")`);
      expect(first).not.toContain(`CREATE INDEX IF NOT EXISTS "sessions_user_id_idx" ON "public"."sessions" ("user_id")`);
      const after = await drift();
      expect(summary(after.filter((f) => f.severity === "error"))).toEqual([]);
      // Their indexes that serve as ours under other names count as ours; the others are kept and
      // said, the one repeating the email key as such.
      expect(after.map((f) => `${f.severity} ${f.kind} ${f.name}`).sort()).toEqual([
        "warning index idx_sessions_token", "warning index idx_users_email", "warning index idx_users_metadata",
      ]);
      expect(after.find((f) => f.name === "idx_users_email")?.message).toMatch(/repeats the columns of users_email_key/);

      // Run again on what it made: nothing is dropped or created that is already right, and nothing fails.
      const second = await reconcile(model.migrations);
      expect(second.filter((s) => /^(CREATE INDEX|DROP VIEW|CREATE VIEW|DROP FUNCTION)/.test(s))).toEqual([]);
      expect(await drift()).toEqual(after);
    });

    it("reconcile replaces an index of ours that a hand-made one under our name does not match", async () => {
      await execute([...fixtures.core, "CREATE INDEX sessions_expires_at_idx ON sessions (expires_at) WHERE active"]);
      const statements = await reconcile(resolveSchema().migrations.slice(0, 1));
      expect(statements).toContain(`DROP INDEX IF EXISTS "public"."sessions_expires_at_idx"`);
      expect((await drift()).filter((f) => f.kind === "index" && f.severity === "error")).toEqual([]);
    });
  });
}
