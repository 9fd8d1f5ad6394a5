import type { Migrator } from "@better-auth/migrate-core";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AdapterHarness, HarnessDatabase } from "./harness.js";

/** Dialects return timestamps as Date (PostgreSQL) or ISO text (SQLite): compare instants. */
const instant = (v: unknown): number => (v instanceof Date ? v : new Date(String(v))).getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const json = (v: unknown): unknown => (typeof v === "string" ? JSON.parse(v) : v);
const HOUR = 3_600_000;

async function seedUser(db: Kysely<any>, id: string, email = `${id}@example.com`, name = `User ${id}`) {
  await db.insertInto("users").values({ id, email, name }).execute();
}

/** An instant as the harness's driver takes it for a write. */
type Stamp = (instant: number | string) => unknown;

async function seedSession(db: Kysely<any>, stamp: Stamp, id: string, userId: string, expiresAt: number, active = true) {
  await db
    .insertInto("sessions")
    .values({ id, user_id: userId, token: `token-${id}`, expires_at: stamp(expiresAt), active: active ? 1 : 0 })
    .execute();
}

/** The schema's behaviour, the same on every dialect: defaults, triggers, cascades, checks, view, cleanup. */
export function behaviourSuite(harness: AdapterHarness): void {
  describe(`schema behaviour on ${harness.name}`, () => {
    let db: HarnessDatabase;
    let migrator: Migrator;
    let k: Kysely<any>;
    const stamp: Stamp = (at) => (harness.traits.timestampsAs === "date" ? new Date(at) : iso(new Date(at).getTime()));
    beforeAll(async () => {
      db = await harness.createDatabase();
      migrator = db.createMigrator();
      await migrator.up();
      k = db.kysely;
    });
    afterAll(async () => {
      await migrator.close();
      await db.drop();
    });
    beforeEach(async () => {
      // Every test starts from empty tables; deleting users and organizations cascades to the rest.
      await k.deleteFrom("users").execute();
      await k.deleteFrom("organization").execute();
    });

    it("fills in the defaults of SPEC §3", async () => {
      await k.insertInto("users").values({ id: "u1" }).execute();
      const user = await k.selectFrom("users").selectAll().executeTakeFirstOrThrow();
      expect(Boolean(user.email_verified)).toBe(false);
      expect(json(user.metadata)).toEqual({});
      expect(Math.abs(instant(user.created_at) - Date.now())).toBeLessThan(60_000);
      expect(instant(user.updated_at)).toBe(instant(user.created_at));
      await seedSession(k, stamp, "s1", "u1", Date.now() + HOUR);
      const session = await k.selectFrom("sessions").select(["active", "ip_address", "user_agent"]).executeTakeFirstOrThrow();
      expect({ ...session, active: Boolean(session.active) }).toEqual({ active: true, ip_address: null, user_agent: null });
      await k.insertInto("organization").values({ id: "o1", name: "Acme", slug: "acme" }).execute();
      await k.insertInto("member").values({ id: "m1", organization_id: "o1", user_id: "u1" }).execute();
      await k.insertInto("invitation").values({ id: "i1", organization_id: "o1", email: "b@example.com", inviter_id: "u1", expires_at: stamp(Date.now() + HOUR) }).execute();
      expect(await k.selectFrom("member").select("role").execute()).toEqual([{ role: "member" }]);
      expect(await k.selectFrom("invitation").select(["role", "status"]).execute()).toEqual([{ role: "member", status: "pending" }]);
    });

    for (const table of ["users", "organization"] as const) {
      it(`updating a row of ${table} moves its updated_at`, async () => {
        const old = "2001-02-03T04:05:06.789Z";
        if (table === "users") await k.insertInto("users").values({ id: "r1", name: "before", updated_at: stamp(old) }).execute();
        else await k.insertInto("organization").values({ id: "r1", name: "before", slug: "r1", updated_at: stamp(old) }).execute();
        await k.updateTable(table).set({ name: "after" }).where("id", "=", "r1").execute();
        const row = await k.selectFrom(table).select(["updated_at", "created_at"]).executeTakeFirstOrThrow();
        expect(instant(row.updated_at)).toBeGreaterThan(instant(old));
        expect(Math.abs(instant(row.updated_at) - Date.now())).toBeLessThan(60_000);
      });
    }

    it(`an explicit updated_at ${harness.traits.explicitUpdatedAtWins ? "is kept" : "is replaced by the current time"}`, async () => {
      await k.insertInto("users").values({ id: "u1" }).execute();
      const explicit = "2002-02-02T02:02:02.222Z";
      await k.updateTable("users").set({ name: "x", updated_at: stamp(explicit) }).execute();
      const row = await k.selectFrom("users").select("updated_at").executeTakeFirstOrThrow();
      if (harness.traits.explicitUpdatedAtWins) expect(instant(row.updated_at)).toBe(instant(explicit));
      else expect(instant(row.updated_at)).toBeGreaterThan(instant(explicit));
    });

    it("deleting a user deletes their sessions, accounts, memberships and sent invitations", async () => {
      await seedUser(k, "u1");
      await seedUser(k, "u2");
      await k.insertInto("organization").values({ id: "o1", name: "Acme", slug: "acme" }).execute();
      for (const user of ["u1", "u2"]) {
        await seedSession(k, stamp, `s-${user}`, user, Date.now() + HOUR);
        await k.insertInto("accounts").values({ id: `a-${user}`, user_id: user, provider: "github", provider_account_id: user }).execute();
        await k.insertInto("member").values({ id: `m-${user}`, organization_id: "o1", user_id: user }).execute();
        await k.insertInto("invitation").values({ id: `i-${user}`, organization_id: "o1", email: "x@example.com", inviter_id: user, expires_at: stamp(Date.now() + HOUR) }).execute();
      }
      await k.deleteFrom("users").where("id", "=", "u1").execute();
      for (const table of ["sessions", "accounts", "member"]) {
        expect(await k.selectFrom(table).select("user_id").execute(), table).toEqual([{ user_id: "u2" }]);
      }
      expect(await k.selectFrom("invitation").select("inviter_id").execute()).toEqual([{ inviter_id: "u2" }]);
    });

    it("deleting an organization deletes its members and invitations", async () => {
      await seedUser(k, "u1");
      for (const org of ["o1", "o2"]) {
        await k.insertInto("organization").values({ id: org, name: org, slug: org }).execute();
        await k.insertInto("member").values({ id: `m-${org}`, organization_id: org, user_id: "u1", role: "owner" }).execute();
        await k.insertInto("invitation").values({ id: `i-${org}`, organization_id: org, email: "x@example.com", inviter_id: "u1", expires_at: stamp(Date.now() + HOUR) }).execute();
      }
      await k.deleteFrom("organization").where("id", "=", "o1").execute();
      expect(await k.selectFrom("member").select("organization_id").execute()).toEqual([{ organization_id: "o2" }]);
      expect(await k.selectFrom("invitation").select("organization_id").execute()).toEqual([{ organization_id: "o2" }]);
      expect(await k.selectFrom("users").select("id").execute()).toEqual([{ id: "u1" }]);
    });

    it("enforces foreign keys, unique keys and the invitation status values", async () => {
      await expect(seedSession(k, stamp, "s1", "nobody", Date.now() + HOUR)).rejects.toThrow();
      await seedUser(k, "u1", "same@example.com");
      await expect(seedUser(k, "u2", "same@example.com")).rejects.toThrow();
      await k.insertInto("organization").values({ id: "o1", name: "Acme", slug: "acme" }).execute();
      const invite = (id: string, status: string) =>
        k.insertInto("invitation").values({ id, organization_id: "o1", email: "x@example.com", inviter_id: "u1", status, expires_at: stamp(Date.now() + HOUR) }).execute();
      for (const status of ["pending", "accepted", "rejected", "canceled"]) await invite(`i-${status}`, status);
      await expect(invite("i-bogus", "bogus")).rejects.toThrow(/check/i);
      await expect(k.updateTable("invitation").set({ status: "expired" }).execute()).rejects.toThrow(/check/i);
      expect((await k.selectFrom("invitation").select("status").execute()).map((r) => r.status).sort()).toEqual(["accepted", "canceled", "pending", "rejected"]);
    });

    it("cleanupExpiredSessions deletes exactly the expired and inactive sessions and returns the count", async () => {
      await seedUser(k, "u1");
      const now = Date.now();
      const sessions: [string, number, boolean][] = [
        ["expired-1", now - HOUR, true], ["expired-2", now - 24 * HOUR, true], ["expired-3", now - 60_000, true],
        ["inactive-1", now + HOUR, false], ["inactive-2", now + 24 * HOUR, false],
        ["both", now - HOUR, false],
        ["valid-1", now + HOUR, true], ["valid-2", now + 24 * HOUR, true], ["valid-3", now + 60_000, true], ["valid-2100", Date.UTC(2100, 0, 1), true],
      ];
      for (const [id, expiresAt, active] of sessions) await seedSession(k, stamp, id, "u1", expiresAt, active);
      expect(await migrator.cleanupExpiredSessions()).toBe(6);
      expect((await k.selectFrom("sessions").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(["valid-1", "valid-2", "valid-2100", "valid-3"]);
      expect(await migrator.cleanupExpiredSessions()).toBe(0);
    });

    it("active_sessions shows active, unexpired sessions with the user's email and name", async () => {
      await seedUser(k, "u1", "ada@example.com", "Ada");
      await seedSession(k, stamp, "valid", "u1", Date.now() + HOUR);
      await seedSession(k, stamp, "expired", "u1", Date.now() - 1_000);
      await seedSession(k, stamp, "inactive", "u1", Date.now() + HOUR, false);
      const rows = await k.selectFrom("active_sessions").selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!)).toEqual(["id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "email", "name"]);
      expect(rows[0]).toMatchObject({ id: "valid", user_id: "u1", token: "token-valid", email: "ada@example.com", name: "Ada" });
    });

    it("stores instants from 1970 to 2100 to the millisecond, in the table and the view", async () => {
      await seedUser(k, "u1");
      const instants = ["1970-01-01T00:00:00.001Z", "2038-01-19T03:14:08.123Z", "2100-01-01T12:34:56.789Z"];
      for (const [i, at] of instants.entries()) {
        await k.insertInto("accounts").values({ id: `a${i}`, user_id: "u1", provider: "p", provider_account_id: `${i}`, expires_at: stamp(at) }).execute();
      }
      const stored = await k.selectFrom("accounts").select("expires_at").orderBy("id").execute();
      expect(stored.map((r) => iso(instant(r.expires_at)))).toEqual(instants);
      await seedSession(k, stamp, "s2100", "u1", Date.parse("2100-01-01T12:34:56.789Z"));
      const viewed = await k.selectFrom("active_sessions").select("expires_at").executeTakeFirstOrThrow();
      expect(iso(instant(viewed.expires_at))).toBe("2100-01-01T12:34:56.789Z");
    });

    it("stores an IPv6 address", async () => {
      await seedUser(k, "u1");
      const address = "2001:db8:85a3::8a2e:370:7334";
      await k.insertInto("sessions").values({ id: "s1", user_id: "u1", token: "t", expires_at: stamp(Date.now() + HOUR), ip_address: address }).execute();
      const row = await k.selectFrom("sessions").select(sql<string>`ip_address`.as("ip")).executeTakeFirstOrThrow();
      expect(String(row.ip)).toBe(address);
    });
  });
}
