export { createMigrator, type PostgresConnection, type PostgresMigratorOptions } from "./pg-migrator.js";
export { PostgresSession, postgresDialect, advisoryLockKey } from "./pg-adapter.js";
export { PostgresRenderer, type PostgresRenderOptions } from "./pg-renderer.js";
export { PostgresIntrospector } from "./pg-introspector.js";
export { quoteIdentifier, quoteLiteral } from "./pg-quote.js";
export type { Migrator, MigrationStatus, UpResult, DownResult, BetterAuthDatabase, DatabaseWith } from "@better-auth/migrate-core";
export { createDatabase, dropDatabase, type DatabaseOptions } from "./pg-database.js";
export { translatePostgresError, describeUrl, type PostgresTarget } from "./pg-errors.js";
