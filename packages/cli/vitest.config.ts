import { baseConfig } from "@better-auth/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  baseConfig,
  defineConfig({
    test: {
      // Starts PostgreSQL 15 and 17 (BETTER_AUTH_TEST_PG_VERSIONS) and MariaDB for the run, stops them after.
      globalSetup: ["@better-auth/test-databases/postgres-global-setup", "@better-auth/test-databases/mariadb-global-setup"],
    },
  }),
);
