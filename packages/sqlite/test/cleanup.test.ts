/**
 * The session cleanup deletes in batches, each its own short write transaction, so that a large
 * cleanup never keeps the application's logins and session updates waiting for all of it (issue 20).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";

describe("cleanupExpiredSessions on SQLite", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "ba-sqlite-cleanup-"));
    file = join(dir, "auth.db");
    const migrator = createMigrator({ url: file });
    await migrator.up();
    await migrator.close();
    const db = new Database(file);
    // 2 000 expired, 150 inactive, 350 live.
    db.exec(`INSERT INTO users (id) VALUES ('u1');
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
      INSERT INTO sessions (id, user_id, token, expires_at, active)
      SELECT 's' || i, 'u1', 't' || i, CASE WHEN i <= 2000 THEN '2000-01-01T00:00:00.000Z' ELSE '2100-01-01T00:00:00.000Z' END, CASE WHEN i BETWEEN 2001 AND 2150 THEN 0 ELSE 1 END FROM n`);
    db.close();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("deletes in batches, each its own transaction, another connection writing between them, and returns the total", async () => {
    // Another connection that does not wait: its write fails with SQLITE_BUSY while a write transaction is open.
    const other = new Database(file);
    other.pragma("busy_timeout = 0");
    const database = new Database(file);
    let batches = 0;
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database }),
      log: (event) => {
        if (event.level !== "query" || !event.query.sql.startsWith(`DELETE FROM "sessions"`)) return;
        batches++;
        // A login between two batches.
        other.prepare("INSERT INTO sessions (id, user_id, token, expires_at) VALUES (?, 'u1', ?, '2100-01-01T00:00:00.000Z')").run(`new${batches}`, `new${batches}`);
      },
    });
    const migrator = createMigrator({ db, cleanupBatchSize: 500 });
    try {
      expect(await migrator.cleanupExpiredSessions()).toBe(2150);
    } finally {
      await migrator.close();
      await db.destroy();
    }
    // 500, 500, 500, 500, 150: five transactions, each followed by another connection's write.
    expect(batches).toBe(5);
    expect(other.prepare("SELECT count(*) AS n FROM sessions").get()).toEqual({ n: 350 + 5 });
    other.close();
  });

  it("refuses a batch size that is not a positive whole number", () => {
    expect(() => createMigrator({ url: file, cleanupBatchSize: 0 })).toThrow(/cleanupBatchSize must be a whole number of rows of at least 1/);
  });
});
