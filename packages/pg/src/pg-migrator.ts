import { createRunner, InvalidOptionsError, type Migrator, type MigratorOptions, resolveSchema } from "@better-auth/migrate-core";
import { Kysely, PostgresDialect, type PostgresPool } from "kysely";
import pg from "pg";
import { postgresDialect } from "./pg-adapter.js";
import { describeUrl } from "./pg-errors.js";
import { assertDdlLockTimeout } from "./pg-renderer.js";

/** How the migrator's sessions appear in pg_stat_activity. */
export const APPLICATION_NAME = "better-auth-migrate";

/** Where the migrator connects: exactly one of these. */
export type PostgresConnection<DB = unknown> =
  /** A connection URL; the migrator opens and closes its own pool. */
  | { url: string; pool?: never; db?: never }
  /**
   * An existing pool (a `pg` Pool); the migrator leaves it open on `close()`. Typed as Kysely's
   * `PostgresPool`, what the migrator uses of it, so that the published types need no @types/pg.
   */
  | { pool: PostgresPool; url?: never; db?: never }
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
  /**
   * How long a migration's DDL waits for a table that another transaction uses before it gives up
   * (TABLE_BUSY, nothing applied) rather than queue every other query on that table behind it.
   * Default 10 000 ms.
   */
  ddlLockTimeoutMs?: number;
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
  const ddlLockTimeoutMs = options.ddlLockTimeoutMs;
  if (ddlLockTimeoutMs !== undefined) assertDdlLockTimeout(ddlLockTimeoutMs);
  const dialect = postgresDialect({ schema: options.schema ?? "public", ids, ...(ddlLockTimeoutMs === undefined ? {} : { ddlLockTimeoutMs }) }, options.url ? describeUrl(options.url) : {});
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
    // application_name tells operators (and a waiting runner) whose session this is; a URL that sets
    // its own application_name wins.
    const pool = new pg.Pool({
      connectionString: options.url, max: 2, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000, application_name: APPLICATION_NAME,
    });
    // A connection the server closes (a restart, a failover, pg_terminate_backend) is reported as an
    // 'error' event: on the pool while idle, on the client while checked out. The query in flight
    // rejects with the same error, which the runner turns into a typed one; without these listeners
    // Node would end the whole process.
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
    const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    db = kysely;
    onClose = () => kysely.destroy();
  }
  return createRunner(dialect, db, schema, { lockTimeoutMs: options.lockTimeoutMs, ownObjects: options.ownObjects, onClose });
}
