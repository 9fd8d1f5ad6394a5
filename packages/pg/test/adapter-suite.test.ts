import { execFile } from "node:child_process";
import { type AdapterHarness, adoptionSuite, behaviourSuite, loadSuite, runnerSuite } from "@better-auth/adapter-suite";
import { closeAdminPools, createTestDatabase } from "@better-auth/test-databases";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, describe, inject } from "vitest";
import { advisoryLockKey, createMigrator } from "../src/index.js";
import { postgresFixtures } from "./hand-made.js";
import { catalogSnapshot } from "./helpers.js";

afterAll(closeAdminPools);

/** `psql -v ON_ERROR_STOP=1 -f FILE`, as a user applies an exported file; rejects with the client's message. */
function applyWithPsql(url: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // -X: no ~/.psqlrc, so the file runs as it would anywhere.
    execFile("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file], (error, _stdout, stderr) =>
      error ? reject(new Error(`psql -f ${file}: ${stderr || error.message}`)) : resolve(),
    );
  });
}

function postgresHarness(server: { version: number; adminUrl: string }): AdapterHarness {
  return {
    name: `PostgreSQL ${server.version}`,
    traits: { explicitUpdatedAtWins: false, timestampsAs: "isoText" },
    fixtures: postgresFixtures,
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
        // database.url logs in as the database's owner, the login the migrations run as.
        async execute(statements) {
          for (const statement of statements) await sql.raw(statement).execute(kysely);
        },
        applySqlFile: (path) => applyWithPsql(database.url, path),
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
    adoptionSuite(postgresHarness(server));
    loadSuite(postgresHarness(server));
  });
}
