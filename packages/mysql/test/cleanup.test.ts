/**
 * cleanupExpiredSessions() on MySQL deletes in batches, each its own short transaction: while one
 * batch waits for a row another transaction holds, the batches before it are committed, and sign-ins
 * (INSERT) and updates of active sessions go on. Proven by locks, not by time.
 */
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp, openConnection } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

/** 3,000 sessions s-00001 … s-03000 of one user, in key order: every tenth is active, the other 2,700 expired. */
const SEED = [
  "INSERT INTO users (id, email, name) VALUES ('u1', 'a@example.com', 'A')",
  `INSERT INTO sessions (id, user_id, token, expires_at)
   SELECT CONCAT('s-', LPAD(seq, 5, '0')), 'u1', CONCAT('token-', seq),
          IF(seq % 10 = 0, UTC_TIMESTAMP(3) + INTERVAL 1 DAY, UTC_TIMESTAMP(3) - INTERVAL 1 DAY)
     FROM seq_1_to_3000`,
];
const EXPIRED = 2700;

describe(`cleanupExpiredSessions() in batches on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
    await migrateUp(db.url);
    for (const statement of SEED) await db.admin(statement);
  });
  afterEach(async () => {
    await db.drop();
  });

  // MariaDB's information_schema.innodb_trx does not list a transaction waiting for a row lock; the
  // monitor's report does.
  const cleanupWaits = async () => /TRX HAS BEEN WAITING/.test(((await db.admin("SHOW ENGINE INNODB STATUS")) as { Status: string }[])[0]!.Status);
  const count = async (where: string) => Number(((await db.admin(`SELECT COUNT(*) AS n FROM sessions WHERE ${where}`)) as { n: number }[])[0]!.n);

  it("while a batch waits for a locked expired session, earlier batches are committed and sign-ins and active sessions are not blocked", async () => {
    // Another transaction holds an expired session past the first 1,000 expired ones.
    const holder = (await openConnection(db.url)).promise();
    // Writes that must not wait for the cleanup: a lock wait of theirs fails after 1 s instead of
    // hanging (a correct cleanup never makes them wait at all).
    const writer = (await openConnection(db.url)).promise();
    const migrator = createMigrator({ url: db.url });
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM sessions WHERE id = 's-02001' FOR UPDATE");
      await writer.query("SET SESSION innodb_lock_wait_timeout = 1");

      let settled = false;
      const cleanup = migrator.cleanupExpiredSessions().finally(() => (settled = true));
      cleanup.catch(() => undefined);
      // Wait until the cleanup waits for the held row (or has ended, which fails below).
      while (!settled && !(await cleanupWaits())) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      // The batches before the held row are gone for everyone already.
      const leftWhileWaiting = await count("expires_at <= UTC_TIMESTAMP(3)");
      expect(leftWhileWaiting).toBeLessThan(EXPIRED);
      expect(leftWhileWaiting).toBeGreaterThan(0);
      // A sign-in between sessions the waiting batch covers, and an update of an active session
      // that sorts before the held row, go through at once.
      await writer.query("INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s-01500a', 'u1', 'token-new', UTC_TIMESTAMP(3) + INTERVAL 1 DAY)");
      await writer.query("UPDATE sessions SET user_agent = 'still here' WHERE id = 's-01000'");

      await holder.query("COMMIT");
      expect(await cleanup).toBe(EXPIRED);
      expect(await count("TRUE")).toBe(300 + 1);
      expect(await count("expires_at <= UTC_TIMESTAMP(3) OR NOT active")).toBe(0);
    } finally {
      await holder.end();
      await writer.end();
      await migrator.close();
    }
  });

  it("deletes inactive sessions too, and counts each session once", async () => {
    await db.admin("UPDATE sessions SET active = FALSE WHERE id IN ('s-00010', 's-00020')");
    const migrator = createMigrator({ url: db.url });
    try {
      expect(await migrator.cleanupExpiredSessions()).toBe(EXPIRED + 2);
      expect(await migrator.cleanupExpiredSessions()).toBe(0);
      expect(await count("TRUE")).toBe(300 - 2);
    } finally {
      await migrator.close();
    }
  });
});
