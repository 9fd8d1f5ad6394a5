import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AdapterHarness, behaviourSuite, runnerSuite } from "@better-auth/adapter-suite";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { createMigrator } from "../src/index.js";

const sqliteHarness: AdapterHarness = {
  name: "SQLite",
  traits: { explicitUpdatedAtWins: true, timestampsAs: "isoText" },
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), "ba-sqlite-"));
    const file = join(dir, "auth.db");
    const connection = new Database(file);
    connection.pragma("foreign_keys = ON");
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: connection }) });
    return {
      kysely,
      createMigrator: ({ db, ...options } = {}) => (db ? createMigrator({ db, ...options }) : createMigrator({ url: `sqlite:${file}`, ...options })),
      async holdMigrationLock() {
        const other = new Database(file);
        other.exec("BEGIN IMMEDIATE");
        return async () => {
          other.exec("ROLLBACK");
          other.close();
        };
      },
      async catalog() {
        return connection.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all();
      },
      async drop() {
        await kysely.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

runnerSuite(sqliteHarness);
behaviourSuite(sqliteHarness);
