import { closeAdminPools, createTestDatabase } from "@better-auth/test-databases";
import { afterAll, inject } from "vitest";
import { migrateSuite } from "../src/migrate-suite.js";

afterAll(closeAdminPools);

for (const server of inject("postgresServers")) {
  migrateSuite("@better-auth/migrate-pg", `PostgreSQL ${server.version}`, () => createTestDatabase(server.adminUrl));
}
