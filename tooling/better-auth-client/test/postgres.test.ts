import { createMigrator } from "@better-auth/migrate-pg";
import { closeAdminPools, createTestDatabase, type ProvidedPostgres } from "@better-auth/test-databases";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { betterAuthClientSuite } from "../src/flows.js";
import type { ClientHarness } from "../src/harness.js";

afterAll(closeAdminPools);

function postgresHarness(server: ProvidedPostgres): ClientHarness {
  return {
    name: `PostgreSQL ${server.version}`,
    uuidIds: true,
    traits: {
      timestampsAs: "isoText",
      booleansAs: "boolean",
      knownPlannerWarnings: [
        // SPEC §3 makes organization.metadata JSON: jsonb here, where Better Auth's own schema has a
        // string. It writes JSON text, which jsonb takes; pg reads it back parsed, not as text.
        /^Field metadata in table organization has a different type in the database\. Expected string but got jsonb\.$/,
      ],
    },
    async createDatabase() {
      const database = await createTestDatabase(server.adminUrl);
      // As Better Auth documents it: `database: new Pool({ connectionString })`, logged in as the database's owner.
      const betterAuthDatabase = new pg.Pool({ connectionString: database.url, max: 4 });
      const inspection = new pg.Pool({ connectionString: database.url, max: 2 });
      const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: inspection }) });
      return {
        betterAuthDatabase,
        kysely,
        async migrate(options = {}) {
          const migrator = createMigrator({ url: database.url, extensions: options.extensions, ids: options.ids });
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
}

for (const server of inject("postgresServers")) betterAuthClientSuite(postgresHarness(server));
