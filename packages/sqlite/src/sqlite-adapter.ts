import { DatabaseAccessError, type Dialect, MigrateError, LockTimeoutError, type LockWait, emptyModel, ledgerTable, pollForLock, schema as model, type TransactionalSession } from "@better-auth/migrate-core";
import { existsSync } from "node:fs";
import { type Kysely, sql } from "kysely";
import { SqliteIntrospector } from "./sqlite-introspector.js";
import { isDependentsCheck, REBUILD_DEPENDENTS, SqliteRenderer } from "./sqlite-renderer.js";
import { quoteIdentifier } from "./sqlite-quote.js";

const LOCK_POLL_MS = 25;
/**
 * How long one statement waits, blocking the thread, for another connection's write to finish.
 * Short: the runner retries a busy read asynchronously until the lock timeout, so that waiting
 * neither stalls the process nor outlasts (or cuts short) --lock-timeout.
 */
export const BUSY_TIMEOUT_MS = 100;
const SAVEPOINT = "better_auth_migration";

/**
 * SQLite's migration session: transactional DDL; the migration lock is SQLite's own write lock,
 * taken with BEGIN IMMEDIATE and held for the whole run. Each migration runs in a savepoint inside it.
 */
export class SqliteSession implements TransactionalSession {
  readonly applyMode = "transactional";
  /** The run's write lock is a transaction; each migration is a savepoint inside it. */
  readonly lockScope = "run";
  // Statements go through prepare(), which takes one statement at a time.
  readonly supportsMultipleStatements = false;
  readonly commitsWhenLockReleased = true;
  readonly schema = undefined;
  readonly #renderer: SqliteRenderer;
  readonly #filename: string;
  /** The migrator opened the file by path: reads must not create it. */
  readonly #onDisk: boolean;
  #lockTimeoutMs = BUSY_TIMEOUT_MS;
  /** The connection's foreign_keys setting before the run turned it off, restored when the run ends. */
  #foreignKeys: number | undefined;

  constructor(renderer: SqliteRenderer, filename: string, options: { onDisk?: boolean } = {}) {
    this.#renderer = renderer;
    this.#filename = filename;
    this.#onDisk = options.onDisk === true && filename !== ":memory:";
  }

  /** True when the migrator works on a file path that does not exist (yet). */
  fileMissing(): boolean {
    return this.#onDisk && !existsSync(this.#filename);
  }

  async ledgerColumns(db: Kysely<unknown>): Promise<readonly string[] | undefined> {
    // Opening a missing file would create it: `status` and `down` must leave no file behind.
    if (this.fileMissing()) return undefined;
    const { rows } = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${ledgerTable.name})`.execute(db);
    if (rows.length === 0) return undefined;
    await refuseForeignLedger(db);
    return rows.map((r) => r.name);
  }

  async createLedger(db: Kysely<unknown>): Promise<void> {
    for (const statement of this.#renderer.render({ kind: "createTable", table: ledgerTable }, emptyModel)) await sql.raw(statement).execute(db);
  }

  async acquireLock(db: Kysely<unknown>, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<void> {
    this.#lockTimeoutMs = timeoutMs;
    // better-sqlite3 waits for a busy database synchronously, which would stall every other
    // connection of this process, the lock holder included. So wait here, asynchronously, and let
    // BEGIN IMMEDIATE fail at once while another connection writes.
    await sql.raw("PRAGMA busy_timeout = 0").execute(db);
    // A table rebuild drops a table others may reference: with foreign keys enforced, that DROP
    // would delete or change their rows (ON DELETE CASCADE, SET NULL). The setting cannot change
    // inside a transaction, so it is turned off for the whole run, before BEGIN, as SQLite's own
    // procedure for schema changes says; each rebuild then runs foreign_key_check itself.
    const { rows } = await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(db);
    this.#foreignKeys = rows[0]?.foreign_keys;
    await sql.raw("PRAGMA foreign_keys = OFF").execute(db);
    let locked = false;
    try {
      await pollForLock(
        async () => {
          try {
            await sql.raw("BEGIN IMMEDIATE").execute(db);
            return true;
          } catch (error) {
            if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
            return false;
          }
        },
        {
          timeoutMs,
          pollMs: LOCK_POLL_MS,
          // SQLite keeps no record of which connection holds its write lock.
          describeHolder: async () => ({ description: `another connection writing to ${this.#filename} (SQLite does not say which)` }),
          ...(onWait ? { onWait } : {}),
        },
      );
      locked = true;
    } finally {
      await sql.raw(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
      if (!locked) await this.#restoreForeignKeys(db);
    }
  }

  async #restoreForeignKeys(db: Kysely<unknown>): Promise<void> {
    const previous = this.#foreignKeys;
    this.#foreignKeys = undefined;
    if (previous !== undefined) await sql.raw(`PRAGMA foreign_keys = ${previous ? "ON" : "OFF"}`).execute(db);
  }

  /**
   * Just before a rebuild checks that the application's own indexes and triggers on the table are
   * back, makes them again from the text the rebuild saved (sqlite_schema's, as the application
   * wrote it), in their order. Only CREATE INDEX and CREATE TRIGGER text is run, one statement each.
   */
  async executeStatement(db: Kysely<unknown>, statement: string): Promise<void> {
    if (isDependentsCheck(statement)) {
      const saved = await sql<{ sql: string }>`SELECT sql FROM temp.${sql.raw(quoteIdentifier(REBUILD_DEPENDENTS))} WHERE name NOT IN (SELECT name FROM main.sqlite_schema) ORDER BY rowid`.execute(db);
      for (const { sql: text } of saved.rows) {
        if (/^\s*CREATE\s+(UNIQUE\s+)?(INDEX|TRIGGER)\b/i.test(text)) await sql.raw(text).execute(db);
      }
    }
    await sql.raw(statement).execute(db);
  }

  isBusy(error: unknown): boolean {
    return String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_BUSY");
  }

  async releaseLock(db: Kysely<unknown>): Promise<void> {
    // Commits the migrations that completed; a failed one was already rolled back to its savepoint.
    // The commit waits for readers of other connections to finish, as long as the lock may be waited for.
    await sql.raw(`PRAGMA busy_timeout = ${this.#lockTimeoutMs}`).execute(db);
    try {
      await sql.raw("COMMIT").execute(db);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "SQLITE_BUSY") {
        await sql.raw("ROLLBACK").execute(db);
        throw new LockTimeoutError(this.#lockTimeoutMs);
      }
      // SQLite may already have rolled the transaction back by itself (a full disk, an I/O error).
      if (!/no transaction is active/i.test((error as Error).message)) throw error;
    } finally {
      await sql.raw(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
      await this.#restoreForeignKeys(db);
    }
  }

  async atomically<T>(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
    await sql.raw(`SAVEPOINT ${SAVEPOINT}`).execute(db);
    try {
      const result = await work(db);
      await sql.raw(`RELEASE ${SAVEPOINT}`).execute(db);
      return result;
    } catch (error) {
      await sql.raw(`ROLLBACK TO ${SAVEPOINT}`).execute(db);
      await sql.raw(`RELEASE ${SAVEPOINT}`).execute(db);
      throw error;
    }
  }

  translateError(error: unknown): DatabaseAccessError | undefined {
    if (!(error instanceof Error)) return undefined;
    const code = (error as { code?: string }).code ?? "";
    const file = this.#filename;
    if (code.startsWith("SQLITE_READONLY")) {
      return new DatabaseAccessError("READ_ONLY", `The SQLite database ${file} is read-only: ${error.message}.`, {
        hint: "Open it without mode=ro, and check that the file and its folder are writable.",
        cause: error,
      });
    }
    if (code.startsWith("SQLITE_CANTOPEN") || /directory does not exist/i.test(error.message)) {
      return new DatabaseAccessError("DATABASE_NOT_FOUND", `Cannot open the SQLite database ${file}: ${error.message}.`, {
        hint: "Check the path: its folder must exist.",
        cause: error,
      });
    }
    if (code === "SQLITE_NOTADB") {
      return new DatabaseAccessError("DATABASE_NOT_FOUND", `${file} is not an SQLite database.`, {
        hint: "Point the URL at an SQLite file, or at a path where a new one may be created.",
        cause: error,
      });
    }
    if (code.startsWith("SQLITE_PERM") || code.startsWith("SQLITE_AUTH")) {
      return new DatabaseAccessError("PERMISSION_DENIED", `SQLite refused access to ${file}: ${error.message}.`, {
        hint: "Check the file's permissions.",
        cause: error,
      });
    }
    // The disk (or quota, or the page limit) is full. SQLite rolls the statement back, or the whole
    // transaction; either way the failed migration is not in effect.
    if (code === "SQLITE_FULL") {
      return new DatabaseAccessError("DISK_FULL", `The SQLite database ${file} is full: ${error.message}.`, {
        hint: "Free space on the disk that holds it (room for the file and its journal), or raise the quota, then run again.",
        cause: error,
      });
    }
    return undefined;
  }

  readTimestamp(value: unknown): Date {
    return new Date(String(value));
  }
}

/**
 * A ledger that runs code when it is written to was not made by this tool: every migration writes
 * a row, so a trigger on it (or a view under its name, written through INSTEAD OF triggers) would
 * run whatever its maker put there, with each run. Refused, naming what is wrong; never written to.
 */
async function refuseForeignLedger(db: Kysely<unknown>): Promise<void> {
  const name = ledgerTable.name;
  const { rows } = await sql<{ type: string; name: string }>`
    SELECT type, name FROM main.sqlite_schema WHERE (type = 'view' AND name = ${name} COLLATE NOCASE) OR (type = 'trigger' AND tbl_name = ${name} COLLATE NOCASE) ORDER BY name`.execute(db);
  if (rows.length === 0) return;
  const view = rows.some((r) => r.type === "view");
  const triggers = rows.filter((r) => r.type === "trigger").map((r) => r.name);
  const what = [...(view ? ["it is a view"] : []), ...(triggers.length > 0 ? [`it has trigger${triggers.length === 1 ? "" : "s"} ${triggers.join(", ")}`] : [])].join(", and ");
  throw new MigrateError("FOREIGN_LEDGER", `${name} was not made by better-auth-migrate: ${what}, which would run with every migration it records.`, {
    hint: `Drop ${view ? "the view" : "the triggers"} if ${view ? "it is" : "they are"} yours and you know what ${view ? "it does" : "they do"}; better-auth-migrate writes to its ledger only when nothing else runs with it.`,
  });
}

/** How many sessions one batch of the cleanup deletes, unless the migrator is told otherwise. */
export const CLEANUP_BATCH_SIZE = 1000;

export interface SqliteDialectOptions {
  /** The migrator opened the file by path: reads must not create it. */
  onDisk?: boolean;
  /** Sessions deleted per transaction by `cleanupExpiredSessions()`; default {@link CLEANUP_BATCH_SIZE}. */
  cleanupBatchSize?: number;
  /** How long a batch of the cleanup waits for another connection's write, in ms; default 60 000. */
  lockTimeoutMs?: number;
}

/** The SQLite dialect: renderer, session, introspector, and the DELETEs behind `cleanupExpiredSessions()`. */
export function sqliteDialect(filename: string, options: SqliteDialectOptions = {}): Dialect & { session: SqliteSession } {
  const renderer = new SqliteRenderer();
  const session = new SqliteSession(renderer, filename, options);
  return {
    renderer,
    session,
    // `check` on a path with no file reads an empty database rather than creating the file.
    introspector: new SqliteIntrospector({ fileMissing: () => session.fileMissing() }),
    async cleanupExpiredSessions(db) {
      if (session.fileMissing()) {
        throw new DatabaseAccessError("DATABASE_NOT_FOUND", `There is no SQLite database at ${filename}.`, {
          hint: "Check the path, or create the schema first with up.",
        });
      }
      // In batches, each its own transaction: between two, the application's logins and session
      // updates write. A batch that finds the database busy deletes nothing and is tried again, so
      // the total stays right.
      const batchSize = options.cleanupBatchSize ?? CLEANUP_BATCH_SIZE;
      const batch = renderer.cleanupBatchStatement(model.cleanupExpiredSessions, batchSize);
      let total = 0;
      for (;;) {
        let deleted = 0;
        await pollForLock(
          async () => {
            try {
              deleted = Number((await sql.raw(batch).execute(db)).numAffectedRows ?? 0n);
              return true;
            } catch (error) {
              if (session.isBusy(error)) return false;
              throw error;
            }
          },
          { timeoutMs: options.lockTimeoutMs ?? 60_000, pollMs: LOCK_POLL_MS, describeHolder: async () => ({ description: `another connection writing to ${filename} (SQLite does not say which)` }) },
        );
        total += deleted;
        if (deleted < batchSize) return total;
      }
    },
  };
}
