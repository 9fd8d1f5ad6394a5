import { createRunner, InvalidOptionsError, type Migrator, type MigratorOptions, resolveSchema } from "@better-auth/migrate-core";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { postgresDialect } from "./pg-adapter.js";
import { describeUrl } from "./pg-errors.js";

/** Where the migrator connects: exactly one of these. */
export type PostgresConnection<DB = unknown> =
  /** A connection URL; the migrator opens and closes its own pool. */
  | { url: string; pool?: never; db?: never }
  /** An existing pool; the migrator leaves it open on `close()`. */
  | { pool: pg.Pool; url?: never; db?: never }
  /** An existing Kysely instance on PostgreSQL; left open on `close()`. */
  | { db: Kysely<DB>; url?: never; pool?: never };

export type PostgresMigratorOptions<DB = unknown> = PostgresConnection<DB> & MigratorOptions & {
  /** The PostgreSQL schema (namespace) to create everything in, created if missing. Default `public`. */
  schema?: string;
  /**
   * `string` (default): ids are application-generated text. `uuid`: ids are native `uuid`, generated
   * by the database when an insert leaves them out; every foreign key then is `uuid` too.
   */
  ids?: "string" | "uuid";
  /** With `url`: how long to wait for a connection before reporting the server unreachable. Default 10 000 ms. */
  connectTimeoutMs?: number;
};

/**
 * Creates a migrator for the Better Auth schema on PostgreSQL.
 *
 * @example
 * const migrator = createMigrator({ url: process.env.DATABASE_URL! });
 * const { applied } = await migrator.up();
 * await migrator.close();
 */
export function createMigrator<DB = unknown>(options: PostgresMigratorOptions<DB>): Migrator {
  const given = [options.url, options.pool, options.db].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new InvalidOptionsError("createMigrator needs exactly one of url, pool or db.", "Pass { url: process.env.DATABASE_URL }.");
  }
  const ids = options.ids ?? "string";
  if (ids !== "string" && ids !== "uuid") throw new InvalidOptionsError(`ids must be "string" or "uuid", not "${String(ids)}".`);
  const dialect = postgresDialect({ schema: options.schema ?? "public", ids }, options.url ? describeUrl(options.url) : {});
  const schema = resolveSchema(options.extensions);

  let db: Kysely<unknown>;
  let onClose: (() => Promise<void>) | undefined;
  if (options.db) {
    db = options.db as unknown as Kysely<unknown>;
  } else if (options.pool) {
    db = new Kysely({ dialect: new PostgresDialect({ pool: options.pool }) });
  } else {
    if (typeof options.url !== "string" || options.url.length === 0) throw new InvalidOptionsError("url must be a non-empty string.");
    // Two connections: one holds the migration lock, the other serves reads made meanwhile.
    const pool = new pg.Pool({ connectionString: options.url, max: 2, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
    // An idle connection the server closes (a restart, a failover) is reported on the pool; the
    // pool has already dropped it, and without a listener Node would end the whole process.
    pool.on("error", () => undefined);
    const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    db = kysely;
    onClose = () => kysely.destroy();
  }
  return createRunner(dialect, db, schema, { lockTimeoutMs: options.lockTimeoutMs, onClose });
}
