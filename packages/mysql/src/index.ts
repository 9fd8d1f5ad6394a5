export { createMigrator, type MysqlConnection, type MysqlMigratorOptions } from "./mysql-migrator.js";
export { MysqlSession, mysqlDialect, SESSION_SETUP_SQL } from "./mysql-adapter.js";
export { MysqlRenderer, SQL_UTC_NOW } from "./mysql-renderer.js";
export { MysqlIntrospector } from "./mysql-introspector.js";
export { quoteIdentifier, quoteLiteral } from "./mysql-quote.js";
export type { Migrator, MigrationStatus, UpResult, DownResult, BetterAuthDatabase, DatabaseWith } from "@better-auth/migrate-core";
export { createDatabase, dropDatabase, type DatabaseOptions } from "./mysql-database.js";
export { translateMysqlError, describeUrl, type MysqlTarget } from "./mysql-errors.js";
