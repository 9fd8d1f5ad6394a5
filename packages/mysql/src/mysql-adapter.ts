import {
  type Column, type DatabaseAccessError, type Dialect, emptyModel, ledgerTable, type LockHolder, type LockWait, MigrateError, type Operation, type PerStatementSession, pollForLock, schema as model,
} from "@better-auth/migrate-core";
import { CompiledQuery, type Kysely, sql } from "kysely";
import { type MysqlTarget, translateMysqlError } from "./mysql-errors.js";
import { MysqlIntrospector } from "./mysql-introspector.js";
import { columnType, MysqlRenderer, SESSION_SETUP_SQL } from "./mysql-renderer.js";
import { normalizeColumnType } from "./mysql-normal-form.js";
import { CLUSTER_LOCK_TABLE, ClusterLock, isGaleraNode } from "./mysql-cluster-lock.js";
import { BORROW_SQL, GIVE_BACK_SQL } from "./mysql-borrowed-pool.js";
import { quoteIdentifier as q } from "./mysql-quote.js";

export { SESSION_SETUP_SQL };

const LOCK_POLL_MS = 50;


/**
 * The table that keeps the secret part of the lock's name. GET_LOCK names are server-wide: any
 * account may take any name, even one without rights on the database. A name made of the
 * database's name alone could be held by such an account to stall every deploy; this table's
 * random key is readable only by accounts with rights on the database.
 */
export const LOCK_KEY_TABLE = "better_auth_migrations_lock_key";

/**
 * Creates the lock key where it is missing; safe when several runners do it at once (the table is
 * created once, the first insert wins, the others change nothing). Run before each GET_LOCK, outside
 * the lock: the lock cannot be named before the key exists.
 */
export const LOCK_KEY_SETUP: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${q(LOCK_KEY_TABLE)} (\n` +
    "  `id` TINYINT NOT NULL,\n  `lock_key` CHAR(64) NOT NULL,\n  PRIMARY KEY (`id`)\n" +
    ") ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'The secret part of the name of the migration lock of better-auth-migrate. Do not edit.'",
  `INSERT INTO ${q(LOCK_KEY_TABLE)} (id, lock_key) VALUES (1, HEX(RANDOM_BYTES(32))) ON DUPLICATE KEY UPDATE id = id`,
];

/**
 * The lock name: one per database, 60 characters (GET_LOCK takes 64 at most): a hash of the
 * database's name and its lock key. Computed by the server, so that the name itself never appears in
 * a statement's text (processlist).
 */
export const LOCK_NAME_SQL =
  `CONCAT('better_auth_migrate:', LEFT(SHA2(CONCAT(DATABASE(), ':', (SELECT lock_key FROM ${q(LOCK_KEY_TABLE)} WHERE id = 1)), 256), 40))`;

/**
 * MySQL's and MariaDB's migration session: DDL commits statement by statement, so the runner
 * records progress in the ledger after each one; `GET_LOCK` serialises runs on a database and is
 * released by the server when the session that holds it ends. On a Galera cluster, where GET_LOCK
 * is local to a node, a lease in a replicated table does ({@link ClusterLock}).
 */
export class MysqlSession implements PerStatementSession {
  readonly applyMode = "perStatement";
  // mysql2 takes one statement per query unless multipleStatements is on, which it is not: it would
  // widen what an injected string could do.
  readonly supportsMultipleStatements = false;
  readonly commitsWhenLockReleased = false;
  readonly schema = undefined;
  readonly #renderer: MysqlRenderer;
  readonly #target: MysqlTarget;
  /**
   * Connections of a Kysely instance passed in: the one that holds the lock gets the session
   * settings for the run and its own back afterwards. (A mysql2 pool passed in is wrapped so that
   * every connection taken from it does: see mysql-borrowed-pool.ts.)
   */
  readonly #borrowedConnections: boolean;
  /** Whether the server is a Galera node: found out when the lock is first taken. */
  #onCluster: boolean | undefined;
  readonly #clusterLock: ClusterLock;
  /** The lock table a Galera cluster needs besides the ledger, and the key of the lock's name elsewhere. */
  readonly ownTables = [CLUSTER_LOCK_TABLE, LOCK_KEY_TABLE];

  constructor(renderer: MysqlRenderer, target: MysqlTarget, options: { borrowedConnections: boolean; connections?: Kysely<unknown>; leaseMs?: number }) {
    this.#renderer = renderer;
    this.#target = target;
    this.#borrowedConnections = options.borrowedConnections;
    this.#clusterLock = new ClusterLock(options.connections, options.leaseMs);
  }

  /**
   * The ledger's columns; a ledger with triggers is refused (FOREIGN_LEDGER) and never written to:
   * a trigger runs someone else's code at each of the runner's writes (with its DEFINER's rights),
   * and can rewrite what the ledger records. The managed schema has no triggers on MySQL.
   */
  async ledgerColumns(db: Kysely<unknown>): Promise<readonly string[] | undefined> {
    const { rows } = await sql<{ name: string }>`
      SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = DATABASE() AND table_name = ${ledgerTable.name}`.execute(db);
    if (rows.length === 0) return undefined;
    const { rows: triggers } = await sql<{ name: string }>`
      SELECT trigger_name AS name FROM information_schema.triggers
      WHERE event_object_schema = DATABASE() AND event_object_table = ${ledgerTable.name} ORDER BY trigger_name`.execute(db);
    if (triggers.length > 0) {
      throw new MigrateError("FOREIGN_LEDGER", `The table ${ledgerTable.name} has triggers that better-auth-migrate did not make (${triggers.map((t) => t.name).join(", ")}): it does not write to it.`, {
        hint: "Find out who created them; drop them (DROP TRIGGER name) if the ledger is yours, or the table if it is not.",
      });
    }
    return rows.map((r) => r.name);
  }

  async createLedger(db: Kysely<unknown>): Promise<void> {
    for (const statement of this.#renderer.render({ kind: "createTable", table: ledgerTable }, emptyModel)) await sql.raw(statement).execute(db);
  }

  async acquireLock(db: Kysely<unknown>, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<void> {
    // Settings first: the lock key's insert must commit at once, even on a connection with autocommit off.
    if (this.#borrowedConnections) await sql.raw(BORROW_SQL).execute(db);
    try {
      this.#onCluster ??= await isGaleraNode(db);
      if (this.#onCluster) await this.#clusterLock.acquire(db, timeoutMs, onWait);
      else await this.#getLock(db, timeoutMs, onWait);
    } catch (error) {
      if (this.#borrowedConnections) await sql.raw(GIVE_BACK_SQL).execute(db).catch(() => undefined);
      throw error;
    }
  }

  async #getLock(db: Kysely<unknown>, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<void> {
    // GET_LOCK with no wait, polled: waiting never holds a server thread, the timeout is ours, and
    // between attempts the wait can say whom it waits for.
    for (const statement of LOCK_KEY_SETUP) await sql.raw(statement).execute(db);
    await pollForLock(
      async () => {
        const { rows } = await sql<{ locked: number | null }>`SELECT GET_LOCK(${sql.raw(LOCK_NAME_SQL)}, 0) AS locked`.execute(db);
        return Number(rows[0]?.locked) === 1;
      },
      { timeoutMs, pollMs: LOCK_POLL_MS, describeHolder: () => this.#lockHolder(db), ...(onWait ? { onWait } : {}) },
    );
  }

  /** The connection holding GET_LOCK: its id, account and client, and how long it has been in its current state. */
  async #lockHolder(db: Kysely<unknown>): Promise<LockHolder | undefined> {
    const { rows } = await sql<{ id: number | null; user: string | null; host: string | null; seconds: number | null }>`
      SELECT h.id, p.user, p.host, p.time AS seconds
      FROM (SELECT IS_USED_LOCK(${sql.raw(LOCK_NAME_SQL)}) AS id) h
      LEFT JOIN information_schema.processlist p ON p.id = h.id`.execute(db);
    const row = rows[0];
    if (!row || row.id === null) return undefined;
    const who = row.user ? ` (${row.user}${row.host ? `@${row.host}` : ""})` : "";
    return {
      description: `connection ${row.id}${who}${row.seconds === null ? "" : `, in its current state for ${row.seconds} s`}`,
      session: String(row.id),
      ...(row.host ? { client: row.host } : {}),
      ...(row.seconds === null ? {} : { heldMs: Number(row.seconds) * 1000 }),
    };
  }

  async releaseLock(db: Kysely<unknown>): Promise<void> {
    if (this.#borrowedConnections) await sql.raw(GIVE_BACK_SQL).execute(db);
    if (this.#onCluster) await this.#clusterLock.release(db);
    else await sql`SELECT RELEASE_LOCK(${sql.raw(LOCK_NAME_SQL)})`.execute(db);
  }

  async isInEffect(db: Kysely<unknown>, operation: Operation): Promise<boolean> {
    switch (operation.kind) {
      case "createTable":
        return this.#exists(db, "tables", operation.table.name);
      case "dropTable":
        return !(await this.#exists(db, "tables", operation.table.name));
      case "addColumn":
        return this.#exists(db, "columns", operation.table, operation.column.name);
      case "dropColumn":
        return !(await this.#exists(db, "columns", operation.table, operation.column.name));
      case "alterColumn":
        return this.#hasType(db, operation.table, operation.to);
      case "createIndex":
        return this.#exists(db, "statistics", operation.table, operation.index.name);
      case "dropIndex":
        return !(await this.#exists(db, "statistics", operation.table, operation.index.name));
      case "createView":
        return this.#exists(db, "views", operation.view.name);
      case "dropView":
        return !(await this.#exists(db, "views", operation.view.name));
      case "createRoutine":
      case "dropRoutine":
        // Rendered as nothing: there is nothing that could be half done.
        return true;
    }
  }

  /** Whether a column has the type the model gives it (after a MODIFY COLUMN that took effect). */
  async #hasType(db: Kysely<unknown>, table: string, column: Column): Promise<boolean> {
    const { rows } = await sql<{ type: string }>`
      SELECT column_type AS type FROM information_schema.columns
      WHERE table_schema = DATABASE() AND table_name = ${table} AND column_name = ${column.name}`.execute(db);
    return rows[0] !== undefined && normalizeColumnType(String(rows[0].type)) === normalizeColumnType(columnType(column));
  }

  /** Whether a table or view (and, given `name`, a column or index of it) exists in the current database. */
  async #exists(db: Kysely<unknown>, catalog: "tables" | "views" | "columns" | "statistics", table: string, name?: string): Promise<boolean> {
    const nameColumn = catalog === "columns" ? "column_name" : "index_name";
    const { rows } = await sql<{ found: number }>`
      SELECT COUNT(*) AS found FROM ${sql.table(`information_schema.${catalog}`)}
      WHERE table_schema = DATABASE() AND table_name = ${table}
      ${name === undefined ? sql`` : sql`AND ${sql.ref(nameColumn)} = ${name}`}
      ${catalog === "tables" ? sql`AND table_type = 'BASE TABLE'` : sql``}`.execute(db);
    return Number(rows[0]?.found) > 0;
  }

  translateError(error: unknown): DatabaseAccessError | undefined {
    return translateMysqlError(error, this.#target);
  }

  readTimestamp(value: unknown): Date {
    if (value instanceof Date) return value;
    // DATETIME as text ("2026-11-26 04:19:09.123"): the adapter's sessions write UTC.
    return new Date(`${String(value).replace(" ", "T")}Z`);
  }
}

/**
 * How many sessions one cleanup batch deletes: the most rows one transaction of the cleanup locks.
 * Each batch is a DELETE by primary key that commits on its own, so a batch holds its locks for
 * the time it takes to delete this many rows, and never locks an active session or a gap.
 */
export const CLEANUP_BATCH_SIZE = 1000;

/**
 * `cleanupExpiredSessions()`: deletes in batches, walking the sessions once in key order (each step
 * reads the next keys without locking, then deletes those by key), and returns the total. One
 * DELETE of every expired session would lock every row it scans, active ones and the gaps between
 * them included, for as long as it runs: sign-ins and session updates would wait for all of it.
 */
async function deleteInBatches(renderer: MysqlRenderer, db: Kysely<unknown>): Promise<number> {
  const routine = model.cleanupExpiredSessions;
  // The sessions' primary key is one column (id).
  const key = model.sessions.primaryKey.columns[0]!;
  let deleted = 0;
  let after: unknown;
  for (;;) {
    const select = renderer.cleanupBatchKeys(routine, key, CLEANUP_BATCH_SIZE, after !== undefined);
    const { rows } = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(select, after === undefined ? [] : [after]));
    if (rows.length === 0) return deleted;
    const keys = rows.map((r) => r[key]);
    const result = await db.executeQuery(CompiledQuery.raw(renderer.cleanupBatchDelete(routine, key, keys.length), keys));
    deleted += Number(result.numAffectedRows ?? 0n);
    if (rows.length < CLEANUP_BATCH_SIZE) return deleted;
    after = keys[keys.length - 1];
  }
}

/** The MySQL dialect: renderer, session, introspector, and the batched DELETE behind `cleanupExpiredSessions()`. */
export function mysqlDialect(
  target: MysqlTarget = {},
  options: { borrowedConnections?: boolean; connections?: Kysely<unknown>; leaseMs?: number } = {},
): Dialect & { renderer: MysqlRenderer } {
  const renderer = new MysqlRenderer();
  return {
    renderer,
    session: new MysqlSession(renderer, target, {
      borrowedConnections: options.borrowedConnections ?? false,
      ...(options.connections ? { connections: options.connections } : {}),
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    }),
    introspector: new MysqlIntrospector(),
    cleanupExpiredSessions: (db) => deleteInBatches(renderer, db),
  };
}
