import { createMigrator } from "@better-auth/migrate-mysql";
import { closeMysqlAdminPools, createMysqlTestDatabase } from "@better-auth/test-databases";
import { Kysely, MysqlDialect } from "kysely";
import mysql from "mysql2/promise";
import { afterAll, inject } from "vitest";
import { betterAuthClientSuite } from "../src/flows.js";
import type { ClientHarness } from "../src/harness.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

/**
 * A mysql2 pool as our README asks an application to open one: instants cross the wire as UTC
 * (`timezone: "Z"`) and every connection's session time zone is UTC, since DATETIME(3) columns hold
 * UTC and this test server runs at -07:00 on purpose.
 */
function utcPool(url: string): mysql.Pool {
  const pool = mysql.createPool({ uri: url, timezone: "Z", connectionLimit: 4 });
  pool.on("connection", (connection) => {
    connection.query("SET time_zone = '+00:00'");
  });
  return pool;
}

const mariadbHarness: ClientHarness = {
  name: `MariaDB ${server.version}`,
  uuidIds: false,
  traits: {
    timestampsAs: "date",
    booleansAs: "boolean",
    knownPlannerWarnings: [
      // SPEC §3 makes organization.metadata JSON: MariaDB's JSON is LONGTEXT with a json_valid CHECK,
      // where Better Auth's own schema has a string. It writes JSON text, which the column takes.
      /^Field metadata in table organization has a different type in the database\. Expected string but got longtext\.$/,
    ],
  },
  async createDatabase() {
    const database = await createMysqlTestDatabase(server.adminUrl);
    // As Better Auth documents it: `database: createPool({ … })` from mysql2/promise.
    const betterAuthDatabase = utcPool(database.url);
    const inspection = utcPool(database.url);
    const kysely = new Kysely<any>({ dialect: new MysqlDialect({ pool: inspection.pool }) });
    return {
      betterAuthDatabase,
      kysely,
      async migrate(options = {}) {
        if (options.ids) throw new Error("The MySQL migrator has no ids option.");
        const migrator = createMigrator({ url: database.url, extensions: options.extensions });
        try {
          return await migrator.up();
        } finally {
          await migrator.close();
        }
      },
      async drop() {
        await kysely.destroy();
        await betterAuthDatabase.end();
        await database.drop();
      },
    };
  },
};

betterAuthClientSuite(mariadbHarness);
