import { BETTER_AUTH_PLUGINS, betterAuthCompat } from "@better-auth/migrate-core";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AdapterHarness, HarnessDatabase } from "./harness.js";

const ISO_2100 = "2100-01-01T00:00:00.000Z";
const instant = (v: unknown): number => (v instanceof Date ? v : new Date(String(v))).getTime();

/** The rows a database holds before the compatibility extensions, read back in a comparable form. */
async function coreRows(db: Kysely<any>) {
  const byId = { orderBy: "id" } as const;
  return {
    users: await db.selectFrom("users").select(["id", "email", "name"]).orderBy(byId.orderBy).execute(),
    sessions: (await db.selectFrom("sessions").select(["id", "user_id", "token", "expires_at", "ip_address"]).orderBy(byId.orderBy).execute()).map((s) => ({ ...s, expires_at: instant(s.expires_at) })),
    accounts: await db.selectFrom("accounts").select(["id", "user_id", "provider", "provider_account_id", "access_token"]).orderBy(byId.orderBy).execute(),
    organization: await db.selectFrom("organization").select(["id", "name", "slug"]).orderBy(byId.orderBy).execute(),
    member: await db.selectFrom("member").select(["id", "organization_id", "user_id", "role"]).orderBy(byId.orderBy).execute(),
  };
}

/**
 * The Better Auth compatibility extensions (SPEC §9) on a database that already holds the six
 * tables with rows: every dialect adds the columns without losing a row, takes the empty IP address
 * Better Auth writes, keeps the view working, and reverts to the same catalog. The real
 * `better-auth` client runs against these databases in tooling/better-auth-client.
 */
export function compatSuite(harness: AdapterHarness): void {
  describe(`Better Auth compatibility extensions on ${harness.name}`, () => {
    let db: HarnessDatabase;
    const stamp = (at: string) => (harness.traits.timestampsAs === "date" ? new Date(at) : at);
    beforeEach(async () => {
      db = await harness.createDatabase();
    });
    afterEach(async () => {
      await db.drop();
    });

    it("apply to tables with rows, keep every row and the view, take an empty IP address, and revert to the same catalog", async () => {
      const core = db.createMigrator();
      await core.up();
      await core.close();
      const k = db.kysely;
      await k.insertInto("users").values({ id: "u1", email: "ada@example.com", name: "Ada" }).execute();
      await k.insertInto("sessions").values({ id: "s1", user_id: "u1", token: "t1", expires_at: stamp(ISO_2100), ip_address: "192.0.2.7" }).execute();
      await k.insertInto("accounts").values({ id: "a1", user_id: "u1", provider: "github", provider_account_id: "42", access_token: "secret" }).execute();
      await k.insertInto("organization").values({ id: "o1", name: "Acme", slug: "acme" }).execute();
      await k.insertInto("member").values({ id: "m1", organization_id: "o1", user_id: "u1", role: "owner" }).execute();
      const rowsBefore = await coreRows(k);
      const catalogBefore = await db.catalog();

      const compat = db.createMigrator({ extensions: betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] }) });
      try {
        // Before up: what the extensions add or change is pending, not drift (ip_address still inet on PostgreSQL).
        const before = await compat.check();
        expect(before.findings.filter((f) => f.severity === "error")).toEqual([]);
        expect(before.pending).toHaveLength(BETTER_AUTH_PLUGINS.length + 1);
        const { applied } = await compat.up();
        expect(applied.map((m) => m.id)).toEqual(betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] }).map((e) => e.id));
        expect(await coreRows(k)).toEqual(rowsBefore);
        // Columns added to rows that were there take their defaults.
        const session = await k.selectFrom("sessions").select(["updated_at", "active_organization_id"]).where("id", "=", "s1").executeTakeFirstOrThrow();
        expect(session.updated_at).not.toBeNull();
        expect(session.active_organization_id).toBeNull();
        expect((await k.selectFrom("accounts").select("updated_at").executeTakeFirstOrThrow()).updated_at).not.toBeNull();
        // What Better Auth writes without a trusted client IP.
        await k.insertInto("sessions").values({ id: "s2", user_id: "u1", token: "t2", expires_at: stamp(ISO_2100), ip_address: "" }).execute();
        const viewed = await k.selectFrom("active_sessions").select(["id", "ip_address", "email"]).orderBy("id").execute();
        expect(viewed).toEqual([
          { id: "s1", ip_address: "192.0.2.7", email: "ada@example.com" },
          { id: "s2", ip_address: "", email: "ada@example.com" },
        ]);
        expect((await compat.check()).findings).toEqual([]);
        // A migrator without them sees them in the ledger as migrations it does not know.
        const without = db.createMigrator();
        try {
          expect((await without.check()).unknown).toEqual(applied.map((m) => m.id));
        } finally {
          await without.close();
        }

        await k.deleteFrom("sessions").where("id", "=", "s2").execute();
        const { reverted } = await compat.down({ steps: BETTER_AUTH_PLUGINS.length + 1, allowDataLoss: true });
        expect(reverted).toHaveLength(BETTER_AUTH_PLUGINS.length + 1);
        expect(await db.catalog()).toEqual(catalogBefore);
        expect(await coreRows(k)).toEqual(rowsBefore);
      } finally {
        await compat.close();
      }
    });

    it("revert an empty IP address to no address where the old type cannot hold it", async () => {
      const compat = db.createMigrator({ extensions: betterAuthCompat() });
      try {
        await compat.up();
        await db.kysely.insertInto("users").values({ id: "u1" }).execute();
        await db.kysely.insertInto("sessions").values({ id: "s1", user_id: "u1", token: "t1", expires_at: stamp(ISO_2100), ip_address: "" }).execute();
        await compat.down({ allowDataLoss: true });
        const { ip_address } = await db.kysely.selectFrom("sessions").select("ip_address").executeTakeFirstOrThrow();
        // PostgreSQL's inet has no empty address: NULL. Elsewhere the text stays.
        expect([null, ""]).toContain(ip_address);
      } finally {
        await compat.close();
      }
    });

    it("refuse to revert what drops password hashes, roles and tables with rows unless data loss is allowed, and say what would be lost", async () => {
      const compat = db.createMigrator({ extensions: betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] }) });
      try {
        await compat.up();
        const k = db.kysely;
        await k.insertInto("users").values([{ id: "u1", role: "admin" }, { id: "u2" }]).execute();
        await k.insertInto("accounts").values({ id: "a1", user_id: "u1", provider: "credential", provider_account_id: "u1", password: "hash" }).execute();
        await k.insertInto("verification").values({ id: "v1", identifier: "reset", value: "token", expires_at: stamp(ISO_2100) }).execute();
        const everything = BETTER_AUTH_PLUGINS.length + 1;

        const planned = await compat.planDown({ steps: everything });
        const losses = planned.flatMap((m) => m.dataLoss.map((l) => `${m.id} ${l.table}${l.column ? `.${l.column}` : ""} ${l.rows}`));
        expect(losses).toContain("better_auth_0001_core accounts.password 1");
        expect(losses).toContain("better_auth_0001_core verification 1");
        expect(losses).toContain("better_auth_0008_admin users.role 1");
        // A migration that drops only empty tables and null columns loses nothing.
        expect(planned.find((m) => m.id === "better_auth_0005_passkey")?.dataLoss).toEqual([]);

        for (const steps of [1, everything]) {
          const refused = await compat.down({ steps }).then(() => undefined, (error: unknown) => error);
          expect(refused).toMatchObject({ code: "DATA_LOSS" });
          expect((refused as Error).message).toContain("column users.role (1 non-null value)");
        }
        const refused = await compat.down({ steps: everything }).catch((error: Error) => error.message);
        expect(refused).toContain("column accounts.password (1 non-null value)");
        expect(refused).toContain("table verification (1 row)");
        // Nothing was reverted.
        expect((await compat.status()).every((s) => s.state === "applied")).toBe(true);
        expect((await k.selectFrom("accounts").select("password").executeTakeFirstOrThrow()).password).toBe("hash");

        expect((await compat.down({ steps: everything, allowDataLoss: true })).reverted).toHaveLength(everything);
        await expect(compat.down({ allowDataLoss: "yes" as never })).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
      } finally {
        await compat.close();
      }
    });
  });
}
