export { type BetterSqlite3Database, createMigrator, type SqliteConnection, type SqliteMigratorOptions } from "./sqlite-migrator.js";
export { SqliteSession, sqliteDialect } from "./sqlite-adapter.js";
export { SqliteRenderer, SQL_NOW } from "./sqlite-renderer.js";
export { SqliteIntrospector } from "./sqlite-introspector.js";
export { parseSqliteUrl, type SqliteLocation } from "./sqlite-url.js";
export { quoteIdentifier, quoteLiteral } from "./sqlite-quote.js";
export type { Migrator, MigrationStatus, UpResult, DownResult, BetterAuthDatabase, DatabaseWith } from "@better-auth/migrate-core";
export { createDatabase, dropDatabase, type DatabaseOptions } from "./sqlite-database.js";
