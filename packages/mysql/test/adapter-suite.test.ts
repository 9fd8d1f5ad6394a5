import { type AdapterHarness, adoptionSuite, behaviourSuite, loadSuite, runnerSuite } from "@better-auth/adapter-suite";
import { closeMysqlAdminPools, createMysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, describe, inject } from "vitest";
import { createMigrator } from "../src/index.js";
import { mysqlHandMade } from "./hand-made.js";
import { applicationKysely, applySqlFileWithClient, catalogSnapshot, executeAsOwner, openConnection } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

const mariadbHarness: AdapterHarness = {
  name: `MariaDB ${server.version}`,
  traits: { explicitUpdatedAtWins: true, timestampsAs: "date" },
  fixtures: mysqlHandMade,
  async createDatabase() {
    const database = await createMysqlTestDatabase(server.adminUrl);
    const kysely = applicationKysely(database.url);
    return {
      kysely,
      createMigrator: ({ db, ...options } = {}) => (db ? createMigrator({ db, ...options }) : createMigrator({ url: database.url, ...options })),
      async holdMigrationLock() {
        const connection = await openConnection(database.url);
        await connection.promise().query("SELECT GET_LOCK(CONCAT('better_auth_migrate:', DATABASE()), 0)");
        return () => connection.promise().end();
      },
      catalog: () => catalogSnapshot(database),
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
  loadSuite(mariadbHarness);
});
