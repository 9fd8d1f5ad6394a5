import { type AdapterHarness, adoptionSuite, behaviourSuite, compatSuite, inputsSuite, loadSuite, runnerSuite } from "@better-auth/adapter-suite";
import { createRunner } from "@better-auth/migrate-core";
import { closeMysqlAdminPools, createMysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, describe, inject } from "vitest";
import { sql } from "kysely";
import { createMigrator, mysqlDialect } from "../src/index.js";
import { mysqlHandMade } from "./hand-made.js";
import { applicationKysely, applySqlFileWithClient, catalogSnapshot, executeAsOwner, holdMigrationLock } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

type Row = Record<string, unknown>;
/** information_schema's column names come back upper case from some servers, lower case from others. */
const field = (row: Row, name: string) => row[name] ?? row[name.toUpperCase()];

const mariadbHarness: AdapterHarness = {
  name: `MariaDB ${server.version}`,
  traits: {
    explicitUpdatedAtWins: true,
    timestampsAs: "date",
    booleansAs: "integer",
    jsonText: (column) => sql<string>`CAST(${sql.ref(column)} AS CHAR)`,
    checkViolation: /CONSTRAINT .* failed/,
    primaryKeyIndexName: () => "PRIMARY",
    // See mysql-quote.ts: a backslash's meaning depends on sql_mode; the utf8mb3 catalog holds nothing beyond U+FFFF.
    refusedInLiterals: {
      test: (text) => text.includes("\\") || /[\u{10000}-\u{10ffff}]/u.test(text),
      message: /^MySQL (reads backslashes in string literals according to sql_mode|keeps comments, defaults and allowed values in utf8mb3)/,
    },
  },
  fixtures: mysqlHandMade,
  async createDatabase() {
    const database = await createMysqlTestDatabase(server.adminUrl);
    const kysely = applicationKysely(database.url);
    return {
      kysely,
      createMigrator: ({ db, ...options } = {}) => (db ? createMigrator({ db, ...options }) : createMigrator({ url: database.url, ...options })),
      async holdMigrationLock() {
        const connection = await holdMigrationLock(database.url);
        return () => connection.promise().end();
      },
      catalog: () => catalogSnapshot(database),
      withoutTable: (catalog, table) =>
        Object.fromEntries(Object.entries(catalog as Record<string, Row[]>).map(([kind, rows]) => [kind, rows.filter((row) => field(row, "table_name") !== table)])),
      async objectNames(table) {
        const { rows } = await sql<Row>`SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ${table}
          UNION ALL SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE() AND event_object_table = ${table}`.execute(kysely);
        return rows.map((row) => String(field(row, "name")));
      },
      async tableComment(table) {
        const { rows } = await sql<Row>`SELECT table_comment FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ${table}`.execute(kysely);
        return String(field(rows[0]!, "table_comment"));
      },
      createRunner: (schema) => createRunner(mysqlDialect(), kysely, schema),
      execute: (statements) => executeAsOwner(database.url, statements),
      applySqlFile: (path) => applySqlFileWithClient(database.url, path),
      async drop() {
        await kysely.destroy();
        await database.drop();
      },
    };
  },
};

describe(`MariaDB ${server.version}`, () => {
  runnerSuite(mariadbHarness);
  behaviourSuite(mariadbHarness);
  adoptionSuite(mariadbHarness);
  compatSuite(mariadbHarness);
  loadSuite(mariadbHarness);
  inputsSuite(mariadbHarness);
});
