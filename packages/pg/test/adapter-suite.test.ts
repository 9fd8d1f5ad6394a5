import { type AdapterHarness, behaviourSuite, runnerSuite } from "@better-auth/adapter-suite";
import { closeAdminPools, createTestDatabase } from "@better-auth/test-databases";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, describe, inject } from "vitest";
import { advisoryLockKey, createMigrator } from "../src/index.js";
import { catalogSnapshot } from "./helpers.js";

afterAll(closeAdminPools);

function postgresHarness(server: { version: number; adminUrl: string }): AdapterHarness {
  return {
    name: `PostgreSQL ${server.version}`,
    traits: { explicitUpdatedAtWins: false, timestampsAs: "isoText" },
    async createDatabase() {
      const database = await createTestDatabase(server.adminUrl);
      const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
      return {
        kysely,
        createMigrator: ({ db, ...options } = {}) => (db ? createMigrator({ db, ...options }) : createMigrator({ url: database.url, ...options })),
        async holdMigrationLock() {
          const client = new pg.Client({ connectionString: database.url });
          await client.connect();
          await client.query("SELECT pg_advisory_lock($1, $2)", advisoryLockKey("public"));
          return () => client.end();
        },
        catalog: () => catalogSnapshot(database.url),
        async drop() {
          await kysely.destroy();
          await database.drop();
        },
      };
    },
  };
}

for (const server of inject("postgresServers")) {
  describe(`PostgreSQL ${server.version}`, () => {
    runnerSuite(postgresHarness(server));
    behaviourSuite(postgresHarness(server));
  });
}
