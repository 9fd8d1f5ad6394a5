/**
 * What the schema does once applied (SPEC §3, §4, §8): the updated_at trigger, cascading deletes,
 * the invitation.status check, session cleanup, the active_sessions view, timestamps and inet.
 * Everything runs as the non-superuser owner role, as an application would.
 */
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";

afterAll(closeAdminPools);

const LONG_AGO = "2000-01-01T00:00:00.000Z";

async function rows<R extends pg.QueryResultRow>(client: pg.Client, text: string, values: unknown[] = []): Promise<R[]> {
  return (await client.query<R>(text, values)).rows;
}

async function count(client: pg.Client, text: string, values: unknown[] = []): Promise<number> {
  const [row] = await rows<{ n: number }>(client, `SELECT count(*)::int AS n FROM ${text}`, values);
  return row?.n ?? -1;
}

async function insertUser(client: pg.Client, id: string, name = `Name of ${id}`): Promise<void> {
  await client.query(`INSERT INTO users (id, email, name) VALUES ($1, $2, $3)`, [id, `${id}@example.com`, name]);
}

async function insertOrganization(client: pg.Client, id: string): Promise<void> {
  await client.query(`INSERT INTO organization (id, name, slug) VALUES ($1, $2, $3)`, [id, `Org ${id}`, `org-${id}`]);
}

interface SessionSeed {
  id: string;
  userId: string;
  /** SQL interval from now, e.g. '-1 hour' or '1 day'. */
  expiresIn: string;
  active?: boolean;
  ipAddress?: string;
}

async function insertSession(client: pg.Client, s: SessionSeed): Promise<void> {
  await client.query(
    `INSERT INTO sessions (id, user_id, token, expires_at, active, ip_address, user_agent)
     VALUES ($1, $2, $3, now() + $4::interval, $5, $6, 'vitest')`,
    [s.id, s.userId, `token-${s.id}`, s.expiresIn, s.active ?? true, s.ipAddress ?? null],
  );
}

async function insertMember(client: pg.Client, id: string, organizationId: string, userId: string): Promise<void> {
  await client.query(`INSERT INTO member (id, organization_id, user_id) VALUES ($1, $2, $3)`, [id, organizationId, userId]);
}

async function insertInvitation(client: pg.Client, id: string, organizationId: string, inviterId: string, status?: string): Promise<void> {
  await client.query(
    `INSERT INTO invitation (id, organization_id, email, inviter_id, expires_at, status)
     VALUES ($1, $2, $3, $4, now() + interval '7 days', COALESCE($5, 'pending'))`,
    [id, organizationId, `invitee-${id}@example.com`, inviterId, status ?? null],
  );
}

/**
 * 3 expired, 2 inactive, 1 both expired and inactive, 4 valid (one of them expiring in a minute).
 * Cleanup must remove 6 and keep the 4 valid ones.
 */
async function seedCleanupSessions(client: pg.Client): Promise<void> {
  await insertUser(client, "cleanup-user");
  const seeds: SessionSeed[] = [
    { id: "expired-1", userId: "cleanup-user", expiresIn: "-1 second" },
    { id: "expired-2", userId: "cleanup-user", expiresIn: "-1 day" },
    { id: "expired-3", userId: "cleanup-user", expiresIn: "-30 years" },
    { id: "inactive-1", userId: "cleanup-user", expiresIn: "1 day", active: false },
    { id: "inactive-2", userId: "cleanup-user", expiresIn: "30 days", active: false },
    { id: "expired-and-inactive", userId: "cleanup-user", expiresIn: "-1 hour", active: false },
    { id: "valid-1", userId: "cleanup-user", expiresIn: "1 minute" },
    { id: "valid-2", userId: "cleanup-user", expiresIn: "1 day" },
    { id: "valid-3", userId: "cleanup-user", expiresIn: "30 days" },
    { id: "valid-4", userId: "cleanup-user", expiresIn: "70 years" },
  ];
  for (const seed of seeds) await insertSession(client, seed);
}

async function sessionIds(client: pg.Client): Promise<string[]> {
  return (await rows<{ id: string }>(client, `SELECT id FROM sessions ORDER BY id`)).map((r) => r.id);
}

/** The instant as the server holds it, rendered in UTC to the microsecond, without the driver's Date conversion. */
const UTC_TEXT = `to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

describe.each(inject("postgresServers"))("PostgreSQL $version", (server) => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase(server.adminUrl);
    const migrator = createMigrator({ url: db.url });
    try {
      await migrator.up();
    } finally {
      await migrator.close();
    }
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await client.query(`TRUNCATE users, organization CASCADE`);
  });

  describe("updated_at trigger", () => {
    it("updating a user's name moves updated_at to the update's time and leaves created_at", async () => {
      await client.query(
        `INSERT INTO users (id, email, name, created_at, updated_at) VALUES ('u1', 'u1@example.com', 'Before', $1, $1)`,
        [LONG_AGO],
      );
      const [row] = await rows<{ created_at: Date; updated_at: Date; now: Date }>(
        client,
        `UPDATE users SET name = 'After' WHERE id = 'u1' RETURNING created_at, updated_at, now() AS now`,
      );
      expect(row?.created_at.toISOString()).toBe(LONG_AGO);
      expect(row?.updated_at.toISOString()).not.toBe(LONG_AGO);
      expect(row?.updated_at.getTime()).toBe(row?.now.getTime());
    });

    it("a second update of a user moves updated_at again", async () => {
      await insertUser(client, "u1");
      const [first] = await rows<{ updated_at: Date }>(client, `UPDATE users SET name = 'One' WHERE id = 'u1' RETURNING updated_at`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [second] = await rows<{ updated_at: Date }>(client, `UPDATE users SET email_verified = true WHERE id = 'u1' RETURNING updated_at`);
      expect(second?.updated_at.getTime()).toBeGreaterThan(first?.updated_at.getTime() ?? Infinity);
    });

    it("updating an organization's name moves updated_at to the update's time and leaves created_at", async () => {
      await client.query(
        `INSERT INTO organization (id, name, slug, created_at, updated_at) VALUES ('o1', 'Before', 'before', $1, $1)`,
        [LONG_AGO],
      );
      const [row] = await rows<{ created_at: Date; updated_at: Date; now: Date }>(
        client,
        `UPDATE organization SET name = 'After' WHERE id = 'o1' RETURNING created_at, updated_at, now() AS now`,
      );
      expect(row?.created_at.toISOString()).toBe(LONG_AGO);
      expect(row?.updated_at.toISOString()).not.toBe(LONG_AGO);
      expect(row?.updated_at.getTime()).toBe(row?.now.getTime());
    });

    it("sets updated_at to the update's time whatever the session's TimeZone and DateStyle", async () => {
      await client.query(`INSERT INTO users (id, updated_at) VALUES ('u1', $1)`, [LONG_AGO]);
      await client.query(`SET TIME ZONE 'Asia/Kathmandu'; SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'`);
      try {
        await client.query(`BEGIN`);
        await client.query(`UPDATE users SET name = 'After' WHERE id = 'u1'`);
        const [row] = await rows<{ same: boolean }>(client, `SELECT updated_at = now() AS same FROM users WHERE id = 'u1'`);
        await client.query(`COMMIT`);
        expect(row?.same).toBe(true);
      } finally {
        await client.query(`RESET TIME ZONE; RESET DateStyle; RESET IntervalStyle`);
      }
    });

    it("the trigger changes only updated_at: the other columns keep the values the update gave them", async () => {
      await client.query(
        `INSERT INTO users (id, email, name, metadata, updated_at) VALUES ('u1', 'u1@example.com', 'A', '{"a": 1}', $1)`,
        [LONG_AGO],
      );
      const [row] = await rows<{ email: string; name: string; metadata: unknown; email_verified: boolean }>(
        client,
        `UPDATE users SET name = 'B', metadata = '{"b": [1, 2]}' WHERE id = 'u1' RETURNING email, name, metadata, email_verified`,
      );
      expect(row).toEqual({ email: "u1@example.com", name: "B", metadata: { b: [1, 2] }, email_verified: false });
    });
  });

  describe("cascading deletes", () => {
    it("deleting a user deletes their sessions, accounts, memberships and the invitations they sent, and nobody else's", async () => {
      await insertUser(client, "doomed");
      await insertUser(client, "other");
      await insertOrganization(client, "o1");
      for (const [id, userId] of [["s-doomed-1", "doomed"], ["s-doomed-2", "doomed"], ["s-other", "other"]] as const) {
        await insertSession(client, { id, userId, expiresIn: "1 day" });
      }
      await client.query(
        `INSERT INTO accounts (id, user_id, provider, provider_account_id) VALUES
           ('a-doomed', 'doomed', 'github', '1'), ('a-other', 'other', 'github', '2')`,
      );
      await insertMember(client, "m-doomed", "o1", "doomed");
      await insertMember(client, "m-other", "o1", "other");
      await insertInvitation(client, "i-doomed", "o1", "doomed");
      await insertInvitation(client, "i-other", "o1", "other");

      await client.query(`DELETE FROM users WHERE id = 'doomed'`);

      expect(await sessionIds(client)).toEqual(["s-other"]);
      expect((await rows<{ id: string }>(client, `SELECT id FROM accounts ORDER BY id`)).map((r) => r.id)).toEqual(["a-other"]);
      expect((await rows<{ id: string }>(client, `SELECT id FROM member ORDER BY id`)).map((r) => r.id)).toEqual(["m-other"]);
      expect((await rows<{ id: string }>(client, `SELECT id FROM invitation ORDER BY id`)).map((r) => r.id)).toEqual(["i-other"]);
      expect(await count(client, `organization`)).toBe(1);
      expect(await count(client, `users`)).toBe(1);
    });

    it("deleting an organization deletes its members and invitations, and not the users or other organizations", async () => {
      await insertUser(client, "alice");
      await insertUser(client, "bob");
      await insertOrganization(client, "doomed");
      await insertOrganization(client, "other");
      await insertMember(client, "m-doomed-alice", "doomed", "alice");
      await insertMember(client, "m-doomed-bob", "doomed", "bob");
      await insertMember(client, "m-other-alice", "other", "alice");
      await insertInvitation(client, "i-doomed-1", "doomed", "alice");
      await insertInvitation(client, "i-doomed-2", "doomed", "bob");
      await insertInvitation(client, "i-other", "other", "alice");

      await client.query(`DELETE FROM organization WHERE id = 'doomed'`);

      expect((await rows<{ id: string }>(client, `SELECT id FROM member ORDER BY id`)).map((r) => r.id)).toEqual(["m-other-alice"]);
      expect((await rows<{ id: string }>(client, `SELECT id FROM invitation ORDER BY id`)).map((r) => r.id)).toEqual(["i-other"]);
      expect((await rows<{ id: string }>(client, `SELECT id FROM organization`)).map((r) => r.id)).toEqual(["other"]);
      expect(await count(client, `users`)).toBe(2);
    });
  });

  describe("invitation.status check", () => {
    it("rejects 'bogus' with a check violation (23514) and stores nothing", async () => {
      await insertUser(client, "inviter");
      await insertOrganization(client, "o1");
      await expect(insertInvitation(client, "bad", "o1", "inviter", "bogus")).rejects.toMatchObject({
        code: "23514",
        constraint: "invitation_status_check",
      });
      await expect(client.query(`UPDATE invitation SET status = 'bogus'`)).resolves.toMatchObject({ rowCount: 0 });
      expect(await count(client, `invitation`)).toBe(0);
    });

    it("rejects changing an existing invitation to 'Accepted' (the check is case-sensitive)", async () => {
      await insertUser(client, "inviter");
      await insertOrganization(client, "o1");
      await insertInvitation(client, "i1", "o1", "inviter");
      await expect(client.query(`UPDATE invitation SET status = 'Accepted' WHERE id = 'i1'`)).rejects.toMatchObject({ code: "23514" });
      const [row] = await rows<{ status: string }>(client, `SELECT status FROM invitation WHERE id = 'i1'`);
      expect(row?.status).toBe("pending");
    });

    it.each(["pending", "accepted", "rejected", "canceled"])("accepts status '%s'", async (status) => {
      await insertUser(client, "inviter");
      await insertOrganization(client, "o1");
      await insertInvitation(client, "i1", "o1", "inviter", status);
      const [row] = await rows<{ status: string }>(client, `SELECT status FROM invitation WHERE id = 'i1'`);
      expect(row?.status).toBe(status);
    });

    it("defaults status to 'pending' and role to 'member'", async () => {
      await insertUser(client, "inviter");
      await insertOrganization(client, "o1");
      const [row] = await rows<{ status: string; role: string }>(
        client,
        `INSERT INTO invitation (id, organization_id, email, inviter_id, expires_at)
         VALUES ('i1', 'o1', 'x@example.com', 'inviter', now() + interval '1 day') RETURNING status, role`,
      );
      expect(row).toEqual({ status: "pending", role: "member" });
    });
  });

  describe("session cleanup", () => {
    it("migrator.cleanupExpiredSessions() deletes the 3 expired, 2 inactive and 1 expired-and-inactive sessions and returns 6", async () => {
      await seedCleanupSessions(client);
      const migrator = createMigrator({ url: db.url });
      try {
        expect(await migrator.cleanupExpiredSessions()).toBe(6);
        expect(await sessionIds(client)).toEqual(["valid-1", "valid-2", "valid-3", "valid-4"]);
        expect(await migrator.cleanupExpiredSessions()).toBe(0);
      } finally {
        await migrator.close();
      }
      expect(await sessionIds(client)).toEqual(["valid-1", "valid-2", "valid-3", "valid-4"]);
    });

    it("SELECT cleanup_expired_sessions() deletes the same 6 sessions and returns 6 as an integer", async () => {
      await seedCleanupSessions(client);
      const [first] = await rows<{ deleted: number }>(client, `SELECT cleanup_expired_sessions() AS deleted`);
      expect(first?.deleted).toBe(6);
      expect(await sessionIds(client)).toEqual(["valid-1", "valid-2", "valid-3", "valid-4"]);
      const [second] = await rows<{ deleted: number }>(client, `SELECT cleanup_expired_sessions() AS deleted`);
      expect(second?.deleted).toBe(0);
    });

    it("returns 0 and deletes nothing when there are no sessions", async () => {
      const migrator = createMigrator({ url: db.url });
      try {
        expect(await migrator.cleanupExpiredSessions()).toBe(0);
      } finally {
        await migrator.close();
      }
    });
  });

  describe("active_sessions view", () => {
    it("has the columns id, user_id, token, expires_at, created_at, ip_address, user_agent, email, name in that order", async () => {
      const result = await client.query(`SELECT * FROM active_sessions`);
      expect(result.fields.map((f) => f.name)).toEqual([
        "id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "email", "name",
      ]);
    });

    it("shows active unexpired sessions with their user's email and name, and hides expired and inactive ones", async () => {
      await seedCleanupSessions(client);
      await client.query(`UPDATE users SET name = 'Cleanup Person' WHERE id = 'cleanup-user'`);
      await insertUser(client, "second", "Second Person");
      await insertSession(client, { id: "second-valid", userId: "second", expiresIn: "2 hours", ipAddress: "2001:db8::1" });
      await insertSession(client, { id: "second-expired", userId: "second", expiresIn: "-2 hours" });

      const view = await rows<{ id: string; user_id: string; token: string; email: string; name: string; ip_address: string | null; user_agent: string }>(
        client,
        `SELECT id, user_id, token, email, name, ip_address, user_agent FROM active_sessions ORDER BY id`,
      );
      const cleanup = { user_id: "cleanup-user", email: "cleanup-user@example.com", name: "Cleanup Person", ip_address: null, user_agent: "vitest" };
      expect(view).toEqual([
        { id: "second-valid", token: "token-second-valid", user_id: "second", email: "second@example.com", name: "Second Person", ip_address: "2001:db8::1", user_agent: "vitest" },
        { id: "valid-1", token: "token-valid-1", ...cleanup },
        { id: "valid-2", token: "token-valid-2", ...cleanup },
        { id: "valid-3", token: "token-valid-3", ...cleanup },
        { id: "valid-4", token: "token-valid-4", ...cleanup },
      ]);
    });

    it("hides a session once it is deactivated", async () => {
      await insertUser(client, "u1");
      await insertSession(client, { id: "s1", userId: "u1", expiresIn: "1 day" });
      expect(await count(client, `active_sessions WHERE token = 'token-s1'`)).toBe(1);
      await client.query(`UPDATE sessions SET active = false WHERE id = 's1'`);
      expect(await count(client, `active_sessions WHERE token = 'token-s1'`)).toBe(0);
    });

    it("reflects a change of the user's email and name", async () => {
      await insertUser(client, "u1", "Old Name");
      await insertSession(client, { id: "s1", userId: "u1", expiresIn: "1 day" });
      await client.query(`UPDATE users SET email = 'new@example.com', name = 'New Name' WHERE id = 'u1'`);
      const [row] = await rows<{ email: string; name: string }>(client, `SELECT email, name FROM active_sessions WHERE id = 's1'`);
      expect(row).toEqual({ email: "new@example.com", name: "New Name" });
    });
  });

  describe("timestamps and addresses", () => {
    it.each(["2100-01-01T12:34:56.789Z", "2038-01-19T03:14:08.001Z", "1970-01-01T00:00:00.001Z"])(
      "a session expiring at %s is stored and read back equal to the millisecond",
      async (instant) => {
        await insertUser(client, "u1");
        await client.query(`INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s1', 'u1', 't1', $1)`, [instant]);
        const [stored] = await rows<{ expires_at: Date; utc: string }>(client, `SELECT expires_at, ${UTC_TEXT} AS utc FROM sessions WHERE id = 's1'`);
        expect(stored?.expires_at.toISOString()).toBe(instant);
        expect(stored?.utc).toBe(instant.replace("Z", "000Z"));
      },
    );

    it("a session expiring at 2100-01-01T12:34:56.789Z reads back equal to the millisecond through active_sessions", async () => {
      await insertUser(client, "u1");
      await client.query(`INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s1', 'u1', 't1', '2100-01-01T12:34:56.789Z')`);
      const view = await rows<{ expires_at: Date; utc: string }>(client, `SELECT expires_at, ${UTC_TEXT} AS utc FROM active_sessions WHERE id = 's1'`);
      expect(view.map((r) => [r.expires_at.toISOString(), r.utc])).toEqual([["2100-01-01T12:34:56.789Z", "2100-01-01T12:34:56.789000Z"]]);
    });

    it("keeps the instant whatever the session's TimeZone: written in +14:00, read back in UTC", async () => {
      await insertUser(client, "u1");
      await client.query(`SET TIME ZONE 'Pacific/Kiritimati'`);
      try {
        await client.query(`INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s1', 'u1', 't1', '2100-01-02 02:34:56.789')`);
      } finally {
        await client.query(`RESET TIME ZONE`);
      }
      const [row] = await rows<{ expires_at: Date }>(client, `SELECT expires_at FROM sessions WHERE id = 's1'`);
      expect(row?.expires_at.toISOString()).toBe("2100-01-01T12:34:56.789Z");
    });

    it.each([
      ["IPv6", "2001:db8::1"],
      ["IPv6 with embedded IPv4", "::ffff:192.0.2.1"],
      ["full-length IPv6", "2001:db8:85a3:1234:5678:8a2e:370:7334"],
      ["IPv4", "203.0.113.7"],
    ])("ip_address accepts %s like %s and reads it back unchanged", async (_kind, address) => {
      await insertUser(client, "u1");
      await insertSession(client, { id: "s1", userId: "u1", expiresIn: "1 day", ipAddress: address });
      const [row] = await rows<{ ip_address: string; family: number }>(
        client,
        `SELECT ip_address, family(ip_address) AS family FROM sessions WHERE id = 's1'`,
      );
      expect(row?.ip_address).toBe(address);
      expect(row?.family).toBe(address.includes(":") ? 6 : 4);
    });

    it("ip_address rejects text that is not an address (22P02)", async () => {
      await insertUser(client, "u1");
      await expect(insertSession(client, { id: "s1", userId: "u1", expiresIn: "1 day", ipAddress: "not-an-ip" })).rejects.toMatchObject({
        code: "22P02",
      });
    });
  });
});
