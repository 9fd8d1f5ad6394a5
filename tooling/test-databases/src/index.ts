export { createTestDatabase, closeAdminPools, OWNER_ROLE, type TestDatabase } from "./test-database.js";
export type { ProvidedPostgres } from "./postgres-global-setup.js";
export { startPostgres, postgresBinDir, postgresVersionsUnderTest, freePort, type PostgresServer } from "./postgres-server.js";
