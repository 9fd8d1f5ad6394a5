import { coreMigrations, defineExtension, defineTable, renderMigration, value } from "@better-auth/migrate-core";
import { describe, expect, it } from "vitest";
import { postgresDialect } from "./pg-adapter.js";
import { PostgresRenderer } from "./pg-renderer.js";
import { quoteIdentifier, quoteLiteral } from "./pg-quote.js";

const render = (options: { schema?: string; ids?: "string" | "uuid" } = {}) => {
  const renderer = new PostgresRenderer({ schema: options.schema ?? "public", ids: options.ids ?? "string" });
  return coreMigrations.flatMap((m) => renderMigration(renderer, m, "up")).join(";\n");
};

describe("PostgreSQL rendering", () => {
  it("quotes identifiers and literals", () => {
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
    expect(() => quoteLiteral("a\0b")).toThrow(/NUL/);
  });

  it("is deterministic", () => {
    expect(render()).toBe(render());
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

  it("refuses schema names PostgreSQL cannot take", () => {
    expect(() => postgresDialect({ schema: "", ids: "string" })).toThrow(/1 to 63 bytes/);
    expect(() => postgresDialect({ schema: "x".repeat(64), ids: "string" })).toThrow(/1 to 63 bytes/);
    expect(() => postgresDialect({ schema: "a$function$b", ids: "string" })).toThrow(/cannot take/);
  });
});
