import { createRunner, InvalidOptionsError, type Migrator, type MigratorOptions, resolveSchema } from "@better-auth/migrate-core";
import { Kysely, MysqlDialect } from "kysely";
import type mysql from "mysql2";
import { mysqlDialect } from "./mysql-adapter.js";
import { openDatabase } from "./mysql-connection.js";
import { describeUrl } from "./mysql-errors.js";

/** Where the migrator connects: exactly one of these. */
export type MysqlConnection<DB = unknown> =
  /** A mysql:// or mariadb:// URL naming the database; the migrator opens and closes its own pool. */
  | { url: string; pool?: never; db?: never }
  /**
   * An existing mysql2 pool (callback API: `mysql2.createPool`, not `mysql2/promise`) on the
   * database; left open on `close()`. Its connections get strict sql_mode and UTC while migrations
   * run, and their own settings back afterwards.
   */
  | { pool: mysql.Pool; url?: never; db?: never }
  /** An existing Kysely instance on MySQL; left open on `close()`. */
  | { db: Kysely<DB>; url?: never; pool?: never };

export type MysqlMigratorOptions<DB = unknown> = MysqlConnection<DB> & MigratorOptions & {
  /** With `url`: how long to wait for a connection before reporting the server unreachable. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * Galera clusters only: how long the migration lock outlives a run that died (a node that left,
   * a killed process) before another run may take it over. Renewed while the run lives. Default 30 000 ms.
   */
  lockLeaseMs?: number;
};

/**
 * Creates a migrator for the Better Auth schema on MySQL 8 or MariaDB 10.11+.
 *
 * @example
 * const migrator = createMigrator({ url: "mysql://app:secret@127.0.0.1:3306/app" });
 * const { applied } = await migrator.up();
 * await migrator.close();
 */
export function createMigrator<DB = unknown>(options: MysqlMigratorOptions<DB>): Migrator {
  const given = [options.url, options.pool, options.db].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new InvalidOptionsError("createMigrator needs exactly one of url, pool or db.", "Pass { url: process.env.DATABASE_URL }.");
  }
  const schema = resolveSchema(options.extensions);
  let db: Kysely<unknown>;
  let onClose: (() => Promise<void>) | undefined;
  if (options.db) {
    db = options.db as unknown as Kysely<unknown>;
  } else if (options.pool) {
    db = new Kysely({ dialect: new MysqlDialect({ pool: options.pool }) });
  } else {
    if (typeof options.url !== "string" || options.url.length === 0) throw new InvalidOptionsError("url must be a non-empty string.");
    const kysely = openDatabase(options.url, options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs });
    db = kysely;
    onClose = () => kysely.destroy();
  }
  const leaseMs = options.lockLeaseMs;
  if (leaseMs !== undefined && (!Number.isInteger(leaseMs) || leaseMs < 1000 || leaseMs > 3_600_000)) {
    throw new InvalidOptionsError(`lockLeaseMs must be a whole number of milliseconds from 1000 to 3600000, not ${String(leaseMs)}.`);
  }
  const dialect = mysqlDialect(options.url ? describeUrl(options.url) : {}, {
    borrowedConnections: options.url === undefined,
    connections: db,
    ...(leaseMs === undefined ? {} : { leaseMs }),
  });
  return createRunner(dialect, db, schema, { lockTimeoutMs: options.lockTimeoutMs, ownObjects: options.ownObjects, onClose });
}
