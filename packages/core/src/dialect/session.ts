import type { Kysely } from "kysely";
import type { MigrateError } from "../errors.js";
import type { Operation } from "../migrations/operations.js";
import type { LockRequest, LockWait } from "../runner/poll-lock.js";

/**
 * How a dialect applies a migration:
 * - `transactional`: DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite), so
 *   each migration is applied whole or not at all, together with its ledger row.
 * - `perStatement`: each DDL statement commits on its own (MySQL, MariaDB). The runner records in the
 *   ledger how many steps of the migration are in effect after each one, and a later run finishes
 *   (or `down` undoes) exactly that much.
 */
export type ApplyMode = "transactional" | "perStatement";

/** What a call does with the ledger: only reads it, or may write to it. */
export type LedgerAccess = "read" | "write";

/**
 * The migration session of a dialect: everything the runner does on a connection besides executing
 * rendered statements (the lock, the ledger's table, the unit of work, reading driver values and
 * errors). The runner never asks which database it is on; it reads these capabilities.
 */
interface SessionBase {
  readonly applyMode: ApplyMode;
  /** Several statements may be sent as one query, saving a round trip per statement. */
  readonly supportsMultipleStatements: boolean;
  /**
   * The lock is itself a transaction (SQLite's write lock): migrations applied under it become
   * durable only when it is released, so progress is reported then.
   */
  readonly commitsWhenLockReleased: boolean;
  /** Tables the session keeps for itself besides the ledger (a lock table): `check` never reports them. */
  readonly ownTables?: readonly string[];
  /** The schema (namespace) the tables live in, for queries built with Kysely; undefined for the default. */
  readonly schema: string | undefined;

  /**
   * The column names of the ledger table, or undefined when it does not exist. Must not create
   * anything (used by `status`). Throws FOREIGN_LEDGER where the table is not one this tool can
   * trust: `read` for calls that only read it (`status`, `check`, `planDown`), `write` (the
   * default) for calls that may write to it, where a dialect may ask more (who owns it).
   */
  ledgerColumns(db: Kysely<unknown>, access?: LedgerAccess): Promise<readonly string[] | undefined>;
  /**
   * Creates the ledger table, and the schema it lives in if that is missing. Called under the lock,
   * only when {@link ledgerColumns} found no ledger; columns a newer release adds to the ledger are
   * added by the runner through the renderer.
   */
  createLedger(db: Kysely<unknown>): Promise<void>;
  /**
   * Takes the lock that serialises migration runs on this database, waiting at most `timeoutMs`,
   * then throws {@link LockTimeoutError} naming the holder where the dialect can tell; while it
   * waits, `onWait` hears whom it waits for, at once and then every few seconds. `db` is bound to one connection, which keeps the lock
   * until {@link releaseLock} (or until that connection dies).
   */
  acquireLock(db: Kysely<unknown>, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<void>;
  releaseLock(db: Kysely<unknown>): Promise<void>;
  /**
   * Recognises driver errors that mean the database cannot be used as asked (unreachable, login
   * refused, no such database, read-only, missing privilege, connection lost) and returns them as a
   * {@link DatabaseAccessError}, or another typed {@link MigrateError} where the dialect knows one
   * (a table kept busy by a long transaction); anything else gives undefined. Messages must never contain the password.
   */
  translateError(error: unknown): MigrateError | undefined;
  /**
   * The error means another connection is writing and the statement gave up waiting (SQLite's
   * SQLITE_BUSY): the runner retries the call, asynchronously, until the lock timeout.
   */
  isBusy?(error: unknown): boolean;
  /**
   * Throws a READ_ONLY {@link DatabaseAccessError} with one line where the server takes no writes
   * at all (a hot standby), before anything else is tried. Called first by every call that writes
   * (`up`, `down`, `baseline`, cleanup), even when it would find nothing to do, so that a run pointed
   * at a replica says so.
   */
  refuseReadOnly?(db: Kysely<unknown>): Promise<void>;
  /**
   * Runs one rendered statement where the dialect must do more than send it; undefined: each is
   * sent as it is. SQLite uses it to make again, at the point its rebuild checks they exist, the
   * application's own indexes and triggers on a rebuilt table: their text is read from the database
   * during the run, so no SQL file can hold it (a file refuses there instead). What else it runs
   * must be read from the database, never made up: the statements stay those of the SQL files.
   */
  executeStatement?(db: Kysely<unknown>, statement: string): Promise<void>;
  /** Converts a timestamp as the driver returns it into a Date. */
  readTimestamp(value: unknown): Date;
}

export interface TransactionalSession extends SessionBase {
  readonly applyMode: "transactional";
  /**
   * How long the migration lock is held:
   * - `run`: {@link acquireLock} to {@link releaseLock}, around the whole run (SQLite's write lock);
   * - `transaction`: inside each transaction {@link atomically} opens, taken when it begins and
   *   released when it ends (PostgreSQL's transaction-scoped advisory lock). Nothing is held between
   *   transactions, so a pooler that gives each transaction another server connection can neither
   *   let two runs apply one migration nor keep a lock after a run. The runner reads the ledger
   *   again inside each such transaction and skips what another run did meanwhile. `acquireLock` is
   *   then used only around work that cannot be in a transaction (concurrent index builds).
   */
  readonly lockScope: "run" | "transaction";
  /**
   * The dialect builds indexes without blocking writes, outside a transaction (PostgreSQL's CREATE
   * INDEX CONCURRENTLY): a migration that `buildsIndexesConcurrently` then runs statement by
   * statement, outside {@link atomically}, and is recorded once all its indexes are built.
   */
  readonly concurrentIndexes?: boolean;
  /**
   * Runs `work` so that it takes effect whole or not at all: a transaction (PostgreSQL), or a
   * savepoint inside the transaction that is the lock (SQLite). With `lockScope: "transaction"` and a
   * `lock`, the transaction takes the migration lock before `work`, waiting as {@link acquireLock}
   * does (without holding a transaction open while it waits).
   */
  atomically<T>(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<T>, lock?: LockRequest): Promise<T>;
}

export interface PerStatementSession extends SessionBase {
  readonly applyMode: "perStatement";
  /**
   * Whether the effect of `operation` is present in the database: the table, column, index or view
   * it creates exists, or the one it drops is gone. Asked only where a run stopped between a
   * statement and the ledger write after it, so that a statement is never run twice. Each
   * operation must render to at most one statement, and that statement must be atomic (MySQL 8 and
   * MariaDB 10.6+ have atomic DDL), so the answer is all or nothing.
   */
  isInEffect(db: Kysely<unknown>, operation: Operation): Promise<boolean>;
}

export type MigrationSession = TransactionalSession | PerStatementSession;
