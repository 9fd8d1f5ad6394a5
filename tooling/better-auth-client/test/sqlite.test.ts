import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMigrator } from "@better-auth/migrate-sqlite";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { ClientHarness } from "../src/harness.js";
import { betterAuthClientSuite } from "../src/flows.js";

const sqliteHarness: ClientHarness = {
  name: "SQLite",
  uuidIds: false,
  traits: {
    timestampsAs: "isoText",
    booleansAs: "integer",
    knownPlannerWarnings: [
      // STRICT tables know TEXT, not Better Auth's `date`: instants are ISO-8601 text, kept to that
      // spelling by a CHECK, which is what Better Auth reads and writes on SQLite.
      /^Field \w+ in table \w+ has a different type in the database\. Expected date but got TEXT\.$/,
    ],
  },
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), "ba-client-"));
    const file = join(dir, "auth.db");
    /** SQLite does not keep foreign_keys in the file: every connection turns it on, Better Auth's too. */
    const open = () => {
      const connection = new Database(file);
      connection.pragma("foreign_keys = ON");
      return connection;
    };
    const betterAuthDatabase = open();
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: open() }) });
    return {
      betterAuthDatabase,
      kysely,
      async migrate(options = {}) {
        if (options.ids) throw new Error("The SQLite migrator has no ids option.");
        const migrator = createMigrator({ url: `sqlite:${file}`, extensions: options.extensions });
        try {
          return await migrator.up();
        } finally {
          await migrator.close();
        }
      },
      async drop() {
        await kysely.destroy();
        betterAuthDatabase.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

betterAuthClientSuite(sqliteHarness);
