import { baseConfig } from "@better-auth/vitest-config";
import { defineConfig } from "vitest/config";

// Each project names its own files: the base's `include` would be added to every project's.
const { include: _include, ...shared } = baseConfig.test ?? {};

/**
 * The packages as a user gets them: packed, installed from the tarballs into an application outside
 * the workspace (once per run, by the root's global setup), and used there in separate processes.
 * Nothing here imports our packages' sources except core's migration list, to know what to expect.
 *
 * One project per database, so that `vitest run --project app` starts no server.
 */
export default defineConfig({
  resolve: baseConfig.resolve,
  ssr: baseConfig.ssr,
  test: {
    ...shared,
    globalSetup: ["./src/consumer-global-setup.ts"],
    projects: [
      { extends: true, test: { name: "app", include: ["test/sqlite.test.ts", "test/cli.test.ts", "test/types.test.ts", "test/readme.test.ts", "test/require.test.ts"] } },
      // Starts PostgreSQL 15 and 17 (BETTER_AUTH_TEST_PG_VERSIONS) for the run, stops them after.
      { extends: true, test: { name: "postgres", include: ["test/postgres.test.ts"], globalSetup: ["@better-auth/test-databases/postgres-global-setup"] } },
      // Starts a MariaDB server for the run, stops it after.
      { extends: true, test: { name: "mariadb", include: ["test/mariadb.test.ts"], globalSetup: ["@better-auth/test-databases/mariadb-global-setup"] } },
    ],
  },
});
