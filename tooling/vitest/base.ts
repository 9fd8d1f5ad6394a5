import { defineConfig } from "vitest/config";

/**
 * The configuration every package's tests share. Tests import workspace packages through the
 * `dev-source` export condition, so they run against `src/` without a build.
 */
export const baseConfig = defineConfig({
  resolve: { conditions: ["dev-source"] },
  ssr: { resolve: { conditions: ["dev-source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The machine has two cores and the suites share database servers: one file at a time keeps
    // timings honest and avoids starving the servers.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
