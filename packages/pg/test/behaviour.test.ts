/**
 * PostgreSQL-only behaviour of the applied schema (SPEC §3, §4, §8). What every dialect does —
 * defaults, updated_at moving on update, cascading deletes, the invitation.status values,
 * migrator.cleanupExpiredSessions(), the active_sessions view, millisecond timestamps and IPv6
 * storage — is tested once in the shared suite (tooling/adapter-suite/src/behaviour-suite.ts,
 * run here by adapter-suite.test.ts). This file keeps what depends on PostgreSQL itself: the
 * trigger's exact now(), the SQL function, session TimeZone/DateStyle, inet and SQLSTATE codes.
 * Everything runs as the non-superuser owner role, as an application would.
 */
import { closeAdminPools, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { migratedDatabase, rows } from "./helpers.js";

afterAll(closeAdminPools);

const LONG_AGO = "2000-01-01T00:00:00.000Z";


describe.each(inject("postgresServers"))("PostgreSQL $version", (server) => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    ({ db, client } = await migratedDatabase(server.adminUrl));
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });
  beforeEach(async () => {
    await client.query(`TRUNCATE users, organization CASCADE`);
  });

  describe("updated_at trigger", () => {
    it.each([
      ["users", `INSERT INTO users (id, email, name, created_at, updated_at) VALUES ('r1', 'r1@example.com', 'Before', $1, $1)`],
      ["organization", `INSERT INTO organization (id, name, slug, created_at, updated_at) VALUES ('r1', 'Before', 'before', $1, $1)`],
    ])("updating a row of %s sets updated_at to exactly the transaction's now() and leaves created_at", async (table, insert) => {
      await client.query(insert, [LONG_AGO]);
      const [row] = await rows<{ created_at: Date; updated_at: Date; now: Date }>(
        client,
        `UPDATE ${table} SET name = 'After' WHERE id = 'r1' RETURNING created_at, updated_at, now() AS now`,
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

  describe("invitation.status check", () => {
    const insertInvitation = (id: string, status: string) =>
      client.query(
        `INSERT INTO invitation (id, organization_id, email, inviter_id, expires_at, status)
         VALUES ($1, 'o1', 'invitee@example.com', 'inviter', now() + interval '7 days', $2)`,
        [id, status],
      );
    beforeEach(async () => {
      await client.query(`INSERT INTO users (id) VALUES ('inviter'); INSERT INTO organization (id, name, slug) VALUES ('o1', 'Org', 'o1')`);
    });

    it("rejects 'bogus' with a check violation (23514) and stores nothing", async () => {
      await expect(insertInvitation("bad", "bogus")).rejects.toMatchObject({ code: "23514", constraint: "invitation_status_check" });
      await expect(client.query(`UPDATE invitation SET status = 'bogus'`)).resolves.toMatchObject({ rowCount: 0 });
      expect(await rows(client, `SELECT 1 FROM invitation`)).toHaveLength(0);
    });

    it("rejects changing an existing invitation to 'Accepted' (the check is case-sensitive)", async () => {
      await insertInvitation("i1", "pending");
      await expect(client.query(`UPDATE invitation SET status = 'Accepted' WHERE id = 'i1'`)).rejects.toMatchObject({ code: "23514" });
      const [row] = await rows<{ status: string }>(client, `SELECT status FROM invitation WHERE id = 'i1'`);
      expect(row?.status).toBe("pending");
    });
  });

  it("SELECT cleanup_expired_sessions() deletes the expired and inactive sessions and returns their count as an integer", async () => {
    // 3 expired, 2 inactive, 1 both expired and inactive, 4 valid (one of them expiring in a minute).
    await client.query(`INSERT INTO users (id) VALUES ('u1');
      INSERT INTO sessions (id, user_id, token, expires_at, active)
      SELECT id, 'u1', 'token-' || id, now() + expires_in::interval, active FROM (VALUES
        ('expired-1', '-1 second', true), ('expired-2', '-1 day', true), ('expired-3', '-30 years', true),
        ('inactive-1', '1 day', false), ('inactive-2', '30 days', false), ('expired-and-inactive', '-1 hour', false),
        ('valid-1', '1 minute', true), ('valid-2', '1 day', true), ('valid-3', '30 days', true), ('valid-4', '70 years', true)
      ) AS s (id, expires_in, active)`);
    const [first] = await rows<{ deleted: number }>(client, `SELECT cleanup_expired_sessions() AS deleted`);
    expect(first?.deleted).toBe(6);
    expect((await rows<{ id: string }>(client, `SELECT id FROM sessions ORDER BY id`)).map((r) => r.id)).toEqual(["valid-1", "valid-2", "valid-3", "valid-4"]);
    const [second] = await rows<{ deleted: number }>(client, `SELECT cleanup_expired_sessions() AS deleted`);
    expect(second?.deleted).toBe(0);
  });

  it("keeps the instant whatever the session's TimeZone: written in +14:00, read back in UTC", async () => {
    await client.query(`INSERT INTO users (id) VALUES ('u1')`);
    await client.query(`SET TIME ZONE 'Pacific/Kiritimati'`);
    try {
      await client.query(`INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s1', 'u1', 't1', '2100-01-02 02:34:56.789')`);
    } finally {
      await client.query(`RESET TIME ZONE`);
    }
    // Read through the driver's Date conversion, and as the server holds it in UTC to the microsecond.
    const [row] = await rows<{ expires_at: Date; utc: string }>(
      client,
      `SELECT expires_at, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS utc FROM sessions WHERE id = 's1'`,
    );
    expect(row?.expires_at.toISOString()).toBe("2100-01-01T12:34:56.789Z");
    expect(row?.utc).toBe("2100-01-01T12:34:56.789000Z");
  });

  describe("ip_address is inet", () => {
    const insertSession = (ipAddress: string) =>
      client.query(`INSERT INTO sessions (id, user_id, token, expires_at, ip_address) VALUES ('s1', 'u1', 't1', now() + interval '1 day', $1)`, [ipAddress]);
    beforeEach(async () => {
      await client.query(`INSERT INTO users (id) VALUES ('u1')`);
    });

    it.each([
      ["IPv4", "203.0.113.7", 4],
      ["IPv6 with embedded IPv4", "::ffff:192.0.2.1", 6],
    ])("accepts %s like %s, reads it back unchanged and reports family %i", async (_kind, address, family) => {
      await insertSession(address);
      const [row] = await rows<{ ip_address: string; family: number }>(client, `SELECT ip_address, family(ip_address) AS family FROM sessions WHERE id = 's1'`);
      expect(row).toEqual({ ip_address: address, family });
    });

    it("rejects text that is not an address (22P02)", async () => {
      await expect(insertSession("not-an-ip")).rejects.toMatchObject({ code: "22P02" });
    });
  });
});
