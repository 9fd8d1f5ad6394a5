import { fileURLToPath } from "node:url";
import { baseConfig } from "@better-auth/vitest-config";
import { defineConfig } from "vitest/config";

/** Our packages, from source (what their `dev-source` export points at), so that tests need no build. */
const sources = Object.fromEntries(
  ["core", "pg", "mysql", "sqlite"].map((name) => [`@better-auth/migrate-${name}`, fileURLToPath(new URL(`../../packages/${name}/src/index.ts`, import.meta.url))]),
);

// Each project names its own files: the base's `include` would be added to every project's.
const { include: _include, ...shared } = baseConfig.test ?? {};

/**
 * Not merged with the base's `resolve.conditions`: better-auth 1.7 publishes a `dev-source`
 * condition of its own, pointing at TypeScript sources it does not ship complete. Everything from
 * the registry resolves as published; only our packages are aliased to their sources.
 *
 * One project per database, so that `vitest run --project sqlite` starts no server.
 */

export default defineConfig({
  resolve: { alias: sources },
  test: {
    ...shared,
    // Better Auth as it runs in production: secure defaults, no development shortcuts.
    // Vitest sets TEST=true, which Better Auth reads as a test run (no origin check, no secret check): unset here.
    env: { NODE_ENV: "production", TEST: "" },
    projects: [
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts"] } },
      { extends: true, test: { name: "sqlite", include: ["test/sqlite.test.ts"] } },
      // Starts PostgreSQL 15 and 17 (BETTER_AUTH_TEST_PG_VERSIONS) for the run, stops them after.
      { extends: true, test: { name: "postgres", include: ["test/postgres.test.ts"], globalSetup: ["@better-auth/test-databases/postgres-global-setup"] } },
      // Starts a MariaDB server (time zone -07:00, on purpose) for the run, stops it after.
      { extends: true, test: { name: "mariadb", include: ["test/mariadb.test.ts"], globalSetup: ["@better-auth/test-databases/mariadb-global-setup"] } },
    ],
  },
});
