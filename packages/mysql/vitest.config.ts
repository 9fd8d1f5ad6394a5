import { baseConfig } from "@better-auth/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

export default mergeConfig(
  baseConfig,
  defineConfig({
    test: {
      // Starts a MariaDB server (time zone -07:00, on purpose) for the run, stops it after.
      globalSetup: ["@better-auth/test-databases/mariadb-global-setup"],
    },
  }),
);
