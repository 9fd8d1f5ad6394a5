export { createTestDatabase, closeAdminPools, OWNER_ROLE, type TestDatabase } from "./test-database.js";
export type { ProvidedPostgres } from "./postgres-global-setup.js";
export { startPostgres, postgresBinDir, postgresVersionsUnderTest, freePort, type PostgresServer } from "./postgres-server.js";
export {
  createMysqlTestDatabase,
  closeMysqlAdminPools,
  MYSQL_OWNER_USER,
  type MysqlTestDatabase,
} from "./mysql-test-database.js";
export type { ProvidedMariadb } from "./mariadb-global-setup.js";
export { startMariadb, type MariadbServer, type StartMariadbOptions } from "./mariadb-server.js";
export { withUrl } from "./urls.js";
export { catchingApplication, type Caught, runScript, type ScriptRun } from "./node-script.js";
export { startPgBouncer, type PgBouncer, type PoolMode, type StartPgBouncerOptions } from "./pgbouncer-server.js";
export { startStandby, waitForReplay, type PostgresStandby } from "./postgres-standby.js";
export {
  startGaleraCluster,
  type GaleraCluster,
  type GaleraClusterDatabase,
  type GaleraNode,
  type StartGaleraClusterOptions,
} from "./galera-cluster.js";
