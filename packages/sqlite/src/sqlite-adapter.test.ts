import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sqliteDialect } from "./sqlite-adapter.js";
import { createMigrator } from "./sqlite-migrator.js";

/** A real SQLITE_FULL: SQLite's page limit stands in for a full disk. */
function fullDiskError(): Error {
  const database = new Database(":memory:");
  database.pragma("max_page_count = 2");
  try {
    database.exec("CREATE TABLE a (x); CREATE TABLE b (x); CREATE TABLE c (x);");
  } catch (error) {
    return error as Error;
  } finally {
    database.close();
  }
  throw new Error("the database did not fill up");
}

describe("SQLite errors (issue 13, item 9)", () => {
  it("SQLITE_FULL is a typed DISK_FULL access error, with a hint", () => {
    const error = fullDiskError();
    expect((error as { code?: string }).code).toBe("SQLITE_FULL");
    const typed = sqliteDialect("./auth.db").session.translateError(error);
    expect(typed).toMatchObject({
      name: "DatabaseAccessError",
      code: "DISK_FULL",
      message: "The SQLite database ./auth.db is full: database or disk is full.",
      hint: expect.stringMatching(/^Free space/),
      cause: error,
    });
  });

  it("a run that fills the disk rejects with DISK_FULL, and a run with room completes it", async () => {
    // 2 pages: the ledger does not fit; 10: 0001 does not; 20: 0002 does not.
    for (const pages of [2, 10, 20]) {
      const database = new Database(":memory:");
      database.pragma(`max_page_count = ${pages}`);
      const migrator = createMigrator({ database });
      const error = await migrator.up().catch((e: unknown) => e);
      expect(error, `${pages} pages`).toMatchObject({ code: "DISK_FULL", hint: expect.stringMatching(/^Free space/) });
      database.pragma("max_page_count = 100000");
      const { applied } = await migrator.up();
      expect((await migrator.status()).map((s) => s.state), `${pages} pages`).toEqual(["applied", "applied"]);
      expect(applied.length, `${pages} pages`).toBeGreaterThan(0);
      await migrator.close();
      database.close();
    }
  });
});
