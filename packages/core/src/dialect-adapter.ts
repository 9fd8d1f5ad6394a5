import type { Kysely } from "kysely";
import type { DatabaseAccessError } from "./errors.js";
import type { Operation } from "./migrations/operations.js";

/**
 * What a dialect package gives the shared runner. The runner never asks which database it is on:
 * it reads these capabilities and calls these methods. All SQL text comes from here.
 */
export interface DialectAdapter {
  /** For messages, e.g. "PostgreSQL". */
  readonly dialectName: string;
  /**
   * DDL runs inside a transaction and rolls back with it (PostgreSQL, SQLite), so each migration is
   * applied whole or not at all. MySQL commits DDL statement by statement; its adapter will need the
   * resumable path, which the runner grows together with that adapter.
   */
  readonly supportsTransactionalDdl: true;
  /** Several statements may be sent as one query, saving a round trip per statement. */
  readonly supportsMultipleStatements: boolean;
  /**
   * The lock is itself a transaction (SQLite's write lock): migrations applied under it become
   * durable only when it is released, so progress is reported then.
   */
  readonly commitsWhenLockReleased: boolean;
  /** The schema (namespace) the tables live in, for queries built with Kysely; undefined for the default. */
  readonly schema: string | undefined;

  /** The SQL statements of one operation, without trailing semicolons. */
  renderOperation(operation: Operation): string[];
  /** True when the ledger table exists. Must not create anything (used by `status`). */
  ledgerExists(db: Kysely<unknown>): Promise<boolean>;
  /** Creates the ledger table (and the schema it lives in) if missing. Called while holding the lock. */
  prepareLedger(db: Kysely<unknown>): Promise<void>;
  /**
   * Takes the lock that serialises migration runs on this database, waiting at most `timeoutMs`,
   * then throws {@link LockTimeoutError}. `db` is bound to one connection, which keeps the lock
   * until {@link releaseLock} (or until that connection dies).
   */
  acquireLock(db: Kysely<unknown>, timeoutMs: number): Promise<void>;
  releaseLock(db: Kysely<unknown>): Promise<void>;
  /**
   * Runs `work` so that it takes effect whole or not at all, on the connection that holds the lock:
   * a transaction (PostgreSQL), or a savepoint inside the transaction that is the lock (SQLite).
   */
  atomically<T>(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<T>): Promise<T>;
  /**
   * Recognises driver errors that mean the database cannot be used as asked (unreachable, login
   * refused, no such database, read-only) and returns them as a {@link DatabaseAccessError};
   * anything else gives undefined. Messages must never contain the password.
   */
  translateError(error: unknown): DatabaseAccessError | undefined;
  /** Converts a timestamp as the driver returns it into a Date. */
  readTimestamp(value: unknown): Date;
  /** Deletes expired and inactive sessions and returns how many were deleted. */
  cleanupExpiredSessions(db: Kysely<unknown>): Promise<number>;
}
