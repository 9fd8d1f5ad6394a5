import { execFile } from "node:child_process";
import { type AdapterHarness, adoptionSuite, behaviourSuite, compatSuite, inputsSuite, loadSuite, runnerSuite } from "@better-auth/adapter-suite";
import { createRunner } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase } from "@better-auth/test-databases";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, describe, inject } from "vitest";
import { advisoryLockKey, createMigrator, postgresDialect } from "../src/index.js";
import { postgresFixtures } from "./hand-made.js";
import { type CatalogSnapshot, catalogSnapshot } from "./helpers.js";

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

/** The catalog without what concerns `table`, whose name regclass::text quotes where it must. */
function withoutTable(catalog: CatalogSnapshot, table: string): CatalogSnapshot {
  const unquoted = (name: unknown) => String(name).replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
  const other = (row: pg.QueryResultRow) => ![row.table_name, row.tablename, row.relname].some((name) => name !== undefined && unquoted(name) === table);
  return Object.fromEntries(Object.entries(catalog).map(([kind, rows]) => [kind, rows.filter(other)])) as CatalogSnapshot;
}

function postgresHarness(server: { version: number; adminUrl: string }): AdapterHarness {
  return {
    name: `PostgreSQL ${server.version}`,
    traits: {
      explicitUpdatedAtWins: false,
      timestampsAs: "isoText",
      booleansAs: "boolean",
      jsonText: (column) => sql<string>`${sql.ref(column)}::text`,
      checkViolation: /violates check constraint/,
      primaryKeyIndexName: (table) => `${table}_pkey`,
    },
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
        withoutTable: (catalog, table) => withoutTable(catalog as CatalogSnapshot, table),
        async objectNames(table) {
          const { rows } = await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND tablename = ${table}
            UNION ALL SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relname = ${table} AND NOT t.tgisinternal`.execute(kysely);
          return rows.map((row) => row.name);
        },
        // PostgreSQL stores an empty comment as none.
        async tableComment(table) {
          const { rows } = await sql<{ comment: string | null }>`SELECT obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ${table}`.execute(kysely);
          return rows[0]!.comment ?? "";
        },
        createRunner: (schema) => createRunner(postgresDialect({ schema: "public", ids: "string" }), kysely, schema),
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
    compatSuite(postgresHarness(server));
    loadSuite(postgresHarness(server));
    inputsSuite(postgresHarness(server));
  });
}
