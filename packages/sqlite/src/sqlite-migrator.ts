import { createRunner, InvalidOptionsError, type Migrator, type MigratorOptions, resolveSchema } from "@better-auth/migrate-core";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, type SqliteDatabase } from "kysely";
import { BUSY_TIMEOUT_MS, sqliteDialect } from "./sqlite-adapter.js";
import { parseSqliteUrl } from "./sqlite-url.js";

/**
 * An open better-sqlite3 `Database`, as far as the migrator uses it: Kysely's `SqliteDatabase`
 * (prepare, close), `pragma` and `name`. Written out so that the published types need no
 * @types/better-sqlite3.
 */
export interface BetterSqlite3Database extends SqliteDatabase {
  readonly name: string;
  pragma(source: string): unknown;
}

/** Where the migrator works: exactly one of these. */
export type SqliteConnection<DB = unknown> =
  /** `sqlite:./auth.db`, `file:auth.db`, a plain path, or `:memory:`; `?mode=ro` opens read-only. The migrator opens and closes it. */
  | { url: string; database?: never; db?: never }
  /** An open better-sqlite3 database; left open on `close()`. */
  | { database: BetterSqlite3Database; url?: never; db?: never }
  /**
   * An existing Kysely instance on SQLite; left open on `close()`. Enable foreign keys on its
   * connection yourself (`PRAGMA foreign_keys = ON`): SQLite does not keep that setting in the file.
   */
  | { db: Kysely<DB>; url?: never; database?: never };

export type SqliteMigratorOptions<DB = unknown> = SqliteConnection<DB> & MigratorOptions;

/** Foreign keys are off in SQLite unless each connection turns them on. */
function prepareConnection<D extends BetterSqlite3Database>(database: D): D {
  database.pragma("foreign_keys = ON");
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return database;
}

/**
 * Creates a migrator for the Better Auth schema on SQLite.
 *
 * @example
 * const migrator = createMigrator({ url: "sqlite:./better-auth.db" });
 * await migrator.up();
 * await migrator.close();
 */
export function createMigrator<DB = unknown>(options: SqliteMigratorOptions<DB>): Migrator {
  const given = [options.url, options.database, options.db].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new InvalidOptionsError("createMigrator needs exactly one of url, database or db.", 'Pass { url: "sqlite:./better-auth.db" }.');
  }
  const schema = resolveSchema(options.extensions);
  let db: Kysely<unknown>;
  let filename: string;
  let onClose: (() => Promise<void>) | undefined;
  if (options.db) {
    db = options.db as unknown as Kysely<unknown>;
    filename = "(Kysely instance)";
  } else if (options.database) {
    const database = prepareConnection(options.database);
    filename = database.name;
    db = new Kysely({ dialect: new SqliteDialect({ database }) });
  } else {
    if (typeof options.url !== "string") throw new InvalidOptionsError("url must be a string.");
    const location = parseSqliteUrl(options.url);
    filename = location.filename;
    // Opened on first use, so that a bad path surfaces as a typed error from the method called.
    const kysely = new Kysely<unknown>({
      dialect: new SqliteDialect({
        database: async () => prepareConnection(new Database(location.filename, { readonly: location.readonly })),
      }),
    });
    db = kysely;
    onClose = () => kysely.destroy();
  }
  return createRunner(sqliteDialect(filename, { onDisk: options.url !== undefined }), db, schema, { lockTimeoutMs: options.lockTimeoutMs, ownObjects: options.ownObjects, onClose });
}
