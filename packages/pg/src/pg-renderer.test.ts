import { readFileSync } from "node:fs";
import {
  betterAuthCompat, coreMigrations, defineExtension, defineTable, ledgerTable, type Operation, renderMigration, resolveSchema, schema, type SchemaSnapshot, value,
} from "@better-auth/migrate-core";
import { describe, expect, it } from "vitest";
import { postgresDialect } from "./pg-adapter.js";
import { PostgresRenderer } from "./pg-renderer.js";
import { quoteIdentifier, quoteLiteral } from "./pg-quote.js";

const render = (options: { schema?: string; ids?: "string" | "uuid" } = {}) => {
  const renderer = new PostgresRenderer({ schema: options.schema ?? "public", ids: options.ids ?? "string" });
  return coreMigrations.flatMap((m) => renderMigration(renderer, m, "up")).join(";\n");
};

describe("PostgreSQL rendering", () => {
  it("changes a column's type converting its values, with the views over the table dropped and made again in the same migration", () => {
    const renderer = new PostgresRenderer({ schema: "public", ids: "string" });
    const [compat] = betterAuthCompat();
    const up = renderMigration(renderer, compat!.migration, "up");
    const at = up.indexOf(`ALTER TABLE "public"."sessions" ALTER COLUMN "ip_address" TYPE text USING pg_catalog.abbrev("ip_address")`);
    expect(at).toBeGreaterThan(0);
    expect(up[at - 1]).toBe(`DROP VIEW "public"."active_sessions"`);
    expect(up[at + 1]).toMatch(/^CREATE VIEW "public"."active_sessions"/);
    expect(up[at + 2]).toMatch(/^COMMENT ON VIEW "public"."active_sessions"/);
    const down = renderMigration(renderer, compat!.migration, "down");
    expect(down).toContain(`ALTER TABLE "public"."sessions" ALTER COLUMN "ip_address" TYPE inet USING NULLIF("ip_address", '')::inet`);
  });

  it("quotes identifiers and literals", () => {
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(() => quoteLiteral("a\0b")).toThrow(/NUL/);
  });

  it("renders the core migrations exactly as the golden file holds them", () => {
    // A rendering change shows up here as a diff of the golden file, to review and commit.
    const golden = readFileSync(new URL("./pg-renderer.golden.sql", import.meta.url), "utf8");
    expect(`${render()};\n`).toBe(golden);
  });

  it("qualifies every object with the schema, quoted", () => {
    const ddl = render({ schema: 'Auth "Schema"' });
    expect(ddl).toContain('CREATE TABLE "Auth ""Schema"""."users" (');
    expect(ddl).toContain('REFERENCES "Auth ""Schema"""."users" ("id") ON DELETE CASCADE');
    expect(ddl).toContain('EXECUTE FUNCTION "Auth ""Schema"""."better_auth_set_updated_at"(\'updated_at\')');
    expect(ddl).toContain('DELETE FROM "Auth ""Schema"""."sessions"');
    expect(ddl).not.toMatch(/"public"/);
  });

  it("renders the SPEC §3 column types", () => {
    const ddl = render();
    expect(ddl).toContain(`"metadata" jsonb NOT NULL DEFAULT '{}'::jsonb`);
    expect(ddl).toContain(`"ip_address" inet`);
    expect(ddl).toContain(`"expires_at" timestamptz NOT NULL`);
    expect(ddl).toContain(`"email_verified" boolean NOT NULL DEFAULT false`);
    expect(ddl).toContain(`CONSTRAINT "invitation_status_check" CHECK ("status" IN ('pending', 'accepted', 'rejected', 'canceled'))`);
  });

  it("switches every id and foreign key to uuid, generated only for primary keys", () => {
    const ddl = render({ ids: "uuid" });
    expect(ddl).toContain(`"id" uuid NOT NULL DEFAULT gen_random_uuid()`);
    expect(ddl).toContain(`"user_id" uuid NOT NULL,`);
    expect(ddl).toContain(`"inviter_id" uuid NOT NULL,`);
    expect(ddl).not.toMatch(/"(user_id|organization_id|inviter_id)" uuid NOT NULL DEFAULT/);
    expect(ddl).not.toContain(" text NOT NULL DEFAULT gen_random_uuid");
  });

  it("renders an extension's added column with its constraints and trigger, and its down", () => {
    const extension = defineExtension({
      id: "0100_profile",
      name: "profile",
      columns: {
        users: {
          handle: { type: "string", nullable: true, unique: true },
          tier: { type: "string", default: value("free"), oneOf: ["free", "pro"] },
          profile_updated_at: { type: "timestamp", default: { kind: "now" }, autoUpdate: true },
        },
      },
      tables: [defineTable({ name: "profile_views", comment: "Views.", columns: { id: { type: "id", primaryKey: true } } })],
    });
    const renderer = new PostgresRenderer({ schema: "public", ids: "string" });
    const up = renderMigration(renderer, extension.migration, "up");
    expect(up).toContain(`ALTER TABLE "public"."users"\n  ADD COLUMN "handle" text,\n  ADD CONSTRAINT "users_handle_key" UNIQUE ("handle")`);
    expect(up).toContain(
      `ALTER TABLE "public"."users"\n  ADD COLUMN "tier" text NOT NULL DEFAULT 'free',\n  ADD CONSTRAINT "users_tier_check" CHECK ("tier" IN ('free', 'pro'))`,
    );
    expect(up).toContain(
      `CREATE TRIGGER "users_set_profile_updated_at" BEFORE UPDATE ON "public"."users" FOR EACH ROW EXECUTE FUNCTION "public"."better_auth_set_updated_at"('profile_updated_at')`,
    );
    const down = renderMigration(renderer, extension.migration, "down");
    expect(down).toEqual([
      `DROP TRIGGER "users_set_profile_updated_at" ON "public"."users"`,
      `ALTER TABLE "public"."users" DROP COLUMN "profile_updated_at"`,
      `ALTER TABLE "public"."users" DROP COLUMN "tier"`,
      `ALTER TABLE "public"."users" DROP COLUMN "handle"`,
      `DROP TABLE "public"."profile_views"`,
    ]);
  });

  it("starts each SQL file's transaction as the runner does: search_path pinned, lock_timeout set", () => {
    expect(new PostgresRenderer({ schema: "public", ids: "string" }).filePreamble()).toEqual([
      "SET LOCAL search_path TO pg_catalog, pg_temp",
      "SET LOCAL lock_timeout = 10000",
    ]);
    expect(postgresDialect({ schema: "public", ids: "string", ddlLockTimeoutMs: 250 }).renderer.filePreamble()[1]).toBe("SET LOCAL lock_timeout = 250");
    expect(() => new PostgresRenderer({ schema: "public", ids: "string", ddlLockTimeoutMs: 1.5 }).filePreamble()).toThrow(/whole number of milliseconds/);
  });

  it("refuses schema names PostgreSQL cannot take", () => {
    expect(() => postgresDialect({ schema: "", ids: "string" })).toThrow(/1 to 63 bytes/);
    expect(() => postgresDialect({ schema: "x".repeat(64), ids: "string" })).toThrow(/1 to 63 bytes/);
    expect(() => postgresDialect({ schema: "a$function$b", ids: "string" })).toThrow(/cannot take/);
  });
});

describe("PostgreSQL reconcile (adopting a hand-made database)", () => {
  const renderer = new PostgresRenderer({ schema: "public", ids: "string" });
  const described = renderer.describe(resolveSchema());
  const live = (changes: Partial<SchemaSnapshot>): SchemaSnapshot => ({ ...described, ...changes });
  const nameOf = (o: Operation) => (o.kind === "createTable" ? o.table.name : o.kind === "createView" ? o.view.name : o.kind === "createRoutine" ? o.routine.name : "");
  /** The first migration's operation that creates `name`. */
  const op = (name: string) => coreMigrations[0]!.up.find((o) => nameOf(o) === name)!;

  it("names tables as the renderer does, and creates the ledger only if missing", () => {
    expect(renderer.tableName("users")).toBe(`"public"."users"`);
    expect(renderer.createTableIfMissing(ledgerTable)[0]).toMatch(/^CREATE TABLE IF NOT EXISTS "public"."better_auth_migrations" \(/);
    const auth = new PostgresRenderer({ schema: "auth", ids: "string" }).createTableIfMissing(ledgerTable);
    expect(auth[0]).toBe(`CREATE SCHEMA IF NOT EXISTS "auth"`);
    expect(auth.at(-1)).toMatch(/^COMMENT ON TABLE "auth"."better_auth_migrations"/);
  });

  it("on a table already in the model's shape: only the comment and our trigger, re-made", () => {
    expect(renderer.reconcile(op("users"), described)).toEqual([
      `COMMENT ON TABLE "public"."users" IS 'People who can sign in. Managed by Better Auth.'`,
      `DROP TRIGGER IF EXISTS "users_set_updated_at" ON "public"."users"`,
      `CREATE TRIGGER "users_set_updated_at" BEFORE UPDATE ON "public"."users" FOR EACH ROW EXECUTE FUNCTION "public"."better_auth_set_updated_at"('updated_at')`,
    ]);
  });

  it("creates the model's indexes that no live index of the same columns serves", () => {
    const sessions = described.tables.find((t) => t.name === "sessions")!;
    const theirs = { ...sessions, indexes: [{ name: "idx_sessions_user", columns: ["user_id"], unique: false, method: "btree" }] };
    expect(renderer.reconcile(op("sessions"), live({ tables: [theirs] })).filter((s) => s.includes("INDEX"))).toEqual([
      `CREATE INDEX IF NOT EXISTS "sessions_expires_at_idx" ON "public"."sessions" ("expires_at")`,
    ]);
    const index = { kind: "createIndex", table: "sessions", index: { name: "sessions_user_id_idx", columns: ["user_id"] } } as const;
    expect(renderer.reconcile(index, live({ tables: [theirs] }))).toEqual([]);
    expect(renderer.reconcile(index, live({ tables: [] }))).toEqual([`CREATE INDEX IF NOT EXISTS "sessions_user_id_idx" ON "public"."sessions" ("user_id")`]);
  });

  it("replaces the view only when it differs, and re-applies its comment", () => {
    const view = op("active_sessions");
    expect(renderer.reconcile(view, described)).toEqual([`COMMENT ON VIEW "public"."active_sessions" IS ${quoteLiteral(schema.activeSessions.comment)}`]);
    const edited = live({ views: [{ ...described.views[0]!, definition: "select 1" }] });
    expect(renderer.reconcile(view, edited).slice(0, 2)).toEqual([`DROP VIEW IF EXISTS "public"."active_sessions"`, expect.stringMatching(/^CREATE VIEW "public"."active_sessions" AS\n/)]);
  });

  it("replaces functions in place, dropping one first only when its result type differs", () => {
    const cleanup = op("cleanup_expired_sessions");
    const same = renderer.reconcile(cleanup, described);
    expect(same.map((s) => s.split("(")[0])).toEqual([`CREATE OR REPLACE FUNCTION "public"."cleanup_expired_sessions"`, `COMMENT ON FUNCTION "public"."cleanup_expired_sessions"`]);
    const handMade = live({ routines: [{ name: "cleanup_expired_sessions", definition: "returns void language plpgsql as BEGIN END", pinnedSearchPath: false }] });
    expect(renderer.reconcile(cleanup, handMade)[0]).toBe(`DROP FUNCTION IF EXISTS "public"."cleanup_expired_sessions"()`);
  });

  it("re-makes the trigger of an added autoUpdate column, and nothing for the rest", () => {
    const extension = defineExtension({
      id: "0100_seen",
      name: "seen",
      columns: { users: { seen_at: { type: "timestamp", nullable: true, autoUpdate: true }, note: { type: "text", nullable: true } } },
    });
    const [seen, note] = extension.migration.up;
    expect(renderer.reconcile(seen!, described)).toEqual([
      `DROP TRIGGER IF EXISTS "users_set_seen_at" ON "public"."users"`,
      `CREATE TRIGGER "users_set_seen_at" BEFORE UPDATE ON "public"."users" FOR EACH ROW EXECUTE FUNCTION "public"."better_auth_set_updated_at"('seen_at')`,
    ]);
    expect(renderer.reconcile(note!, described)).toEqual([]);
  });
});
