import { describe, expect, expectTypeOf, it } from "vitest";
import type { DatabaseWith } from "../database-types.js";
import { migrationChecksum } from "../migrations/checksum.js";
import { resolveSchema } from "../migrations/extensions.js";
import { BETTER_AUTH_PLUGINS, betterAuthCompat, betterAuthExtensions, type BetterAuthPlugin } from "./compat-extensions.js";
import { betterAuthOptions, betterAuthPluginSchema, type BetterAuthModelOptions, type BetterAuthSchemaPlugin } from "./options.js";

/**
 * The compatibility extensions are released migrations like the core ones: once applied somewhere,
 * their meaning is frozen. Frozen with issue 14 (Better Auth 1.7.25).
 */
const RELEASED: Record<string, string> = {
  better_auth_0001_core: "47c66e5a6700fe269eebf0ef58b9f69fe7d98cc948e9048428953bf6b7461bbf",
  better_auth_0002_organization: "faacd16f679e680f7c5811911ec7050e844f3fef6be53ef42f784dffa3390cb5",
  better_auth_0003_teams: "1d415d78bb01fd1b21d3dc9ddb7779e4e7b10c51d9b4cc315c0352cc7d395b53",
  better_auth_0004_two_factor: "634cb9158d1523b65e1707698f2262a8bc68653c031f71cbb0263a713ce2e847",
  better_auth_0005_passkey: "3a9b2315691113b8b20f3686bca26c40cca25a64de6007046ceabbed5edd4bd2",
  better_auth_0006_api_key: "6fc2765fd568e6f52e39a51b1617c87eb426b383922cad73562d99a5c07de6b3",
  better_auth_0007_username: "a43fd93fca6002d3a212c9f52624ba7d7c790ea613d981970a99cc341a0b8f6b",
  better_auth_0008_admin: "03f58f79286047d8d78e552fde99cf7ed5aac6c8f37b2eec499c742c62e1c186",
};

const everyPlugin = [...BETTER_AUTH_PLUGINS];

describe("betterAuthCompat", () => {
  it("has frozen checksums", () => {
    expect(Object.fromEntries(Object.values(betterAuthExtensions).map((e) => [e.id, migrationChecksum(e.migration)]))).toEqual(RELEASED);
  });

  it("always gives the core compatibility first, then the plugins in one order, whatever order they are listed in", () => {
    expect(betterAuthCompat().map((e) => e.id)).toEqual(["better_auth_0001_core"]);
    const ids = betterAuthCompat({ plugins: ["admin", "twoFactor", "organization"] }).map((e) => e.id);
    expect(ids).toEqual(["better_auth_0001_core", "better_auth_0002_organization", "better_auth_0004_two_factor", "better_auth_0008_admin"]);
  });

  it("resolves with every plugin: new tables, added columns, ip_address as a string", () => {
    const schema = resolveSchema(betterAuthCompat({ plugins: everyPlugin }));
    const tables = new Map(schema.tables.map((t) => [t.name, t]));
    for (const name of ["verification", "team", "team_member", "two_factor", "passkey", "api_key"]) expect(tables.has(name), name).toBe(true);
    const sessions = tables.get("sessions")!;
    expect(sessions.columns.find((c) => c.name === "ip_address")!.type).toBe("string");
    expect(sessions.columns.find((c) => c.name === "updated_at")).toMatchObject({ nullable: false, default: { kind: "now" }, autoUpdate: true });
    // Every column added to a table that may hold rows is nullable or has a default.
    for (const migration of schema.migrations.filter((m) => m.id.startsWith("better_auth_"))) {
      for (const op of migration.up) if (op.kind === "addColumn") expect(op.column.nullable || op.column.default !== undefined, `${op.table}.${op.column.name}`).toBe(true);
    }
  });

  it("give Kysely types with their tables and columns", () => {
    type Db = DatabaseWith<[typeof betterAuthExtensions.core, typeof betterAuthExtensions.organization, typeof betterAuthExtensions.twoFactor]>;
    expectTypeOf<Db["verification"]["identifier"]>().toEqualTypeOf<string>();
    expectTypeOf<Db["accounts"]["password"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Db["sessions"]["active_organization_id"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Db["two_factor"]["backup_codes"]>().toEqualTypeOf<string>();
    expect(Object.keys(betterAuthExtensions)).toEqual(["core", ...BETTER_AUTH_PLUGINS]);
  });

  it("refuses plugins it does not know, repeats, and teams without organization", () => {
    expect(() => betterAuthCompat({ plugins: ["twoFactors" as BetterAuthPlugin] })).toThrow(/unknown Better Auth plugin "twoFactors"; known: organization, teams/);
    expect(() => betterAuthCompat({ plugins: ["admin", "admin"] })).toThrow(/"admin" is listed twice/);
    expect(() => betterAuthCompat({ plugins: ["teams"] })).toThrow(/list "organization" too/);
    expect(() => betterAuthCompat({ plugins: "admin" as unknown as BetterAuthPlugin[] })).toThrow(/plugins must be a list/);
    expect(() => betterAuthCompat(null as never)).toThrow(/takes an options object/);
  });
});

describe("betterAuthOptions and betterAuthPluginSchema", () => {
  const schema = resolveSchema(betterAuthCompat({ plugins: everyPlugin }));
  const columnsOf = (table: string) => schema.tables.find((t) => t.name === table)?.columns.map((c) => c.name);
  /** Better Auth's models without their own modelName extend ours: user and session. */
  const tableOf = (model: string, options: BetterAuthModelOptions) => options.modelName ?? { user: "users", session: "sessions" }[model];

  function expectEveryFieldOnAColumn(models: Readonly<Record<string, BetterAuthModelOptions>>) {
    for (const [model, options] of Object.entries(models)) {
      if (model === "advanced") continue;
      const table = tableOf(model, options);
      expect(columnsOf(table!), `${model} → ${table}`).toBeDefined();
      for (const [field, column] of Object.entries(options.fields)) expect(columnsOf(table!), `${model}.${field}`).toContain(column);
    }
  }

  it("map every Better Auth field onto a column the schema has", () => {
    expectEveryFieldOnAColumn(betterAuthOptions() as unknown as Record<string, BetterAuthModelOptions>);
    for (const plugin of ["organization", "twoFactor", "passkey", "apiKey", "username", "admin"] as const) expectEveryFieldOnAColumn(betterAuthPluginSchema(plugin));
    expectEveryFieldOnAColumn(betterAuthPluginSchema("organization", { teams: true }));
  });

  it("name the columns whose names differ from Better Auth's fields", () => {
    const { account, user } = betterAuthOptions();
    expect(account.fields).toMatchObject({ accountId: "provider_account_id", providerId: "provider", accessTokenExpiresAt: "expires_at", refreshTokenExpiresAt: "refresh_token_expires_at" });
    expect(user).toEqual({ modelName: "users", fields: expect.objectContaining({ emailVerified: "email_verified" }) });
    expect(betterAuthPluginSchema("passkey").passkey!.fields.credentialID).toBe("credential_id");
  });

  it("set uuid ids only when asked, and refuse bad input", () => {
    expect(betterAuthOptions().advanced).toBeUndefined();
    expect(betterAuthOptions({ ids: "uuid" }).advanced).toEqual({ database: { generateId: "uuid" } });
    expect(() => betterAuthOptions({ ids: "serial" as "uuid" })).toThrow(/ids must be "string" or "uuid", not "serial"/);
    expect(() => betterAuthPluginSchema("sso" as BetterAuthSchemaPlugin)).toThrow(/unknown plugin "sso"/);
    expect(() => betterAuthPluginSchema("admin", { teams: true })).toThrow(/teams belongs to the organization plugin/);
    expect(betterAuthPluginSchema("organization").team).toBeUndefined();
    expect(betterAuthPluginSchema("organization", { teams: true }).teamMember!.modelName).toBe("team_member");
  });
});
