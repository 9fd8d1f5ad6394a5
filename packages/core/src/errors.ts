/** Every error this library throws on purpose; `code` is stable, `message` is one line for people. */
export class MigrateError extends Error {
  readonly code: string;
  /** What to do about it, when there is something to do. */
  readonly hint: string | undefined;
  /** The migration the error happened in, when it happened in one (set by the runner). */
  migrationId: string | undefined;
  /**
   * What the failed call applied (or baselined) before the error, in order: committed and recorded
   * in the ledger, so not undone by the failure (set by the runner).
   */
  applied: readonly { readonly id: string; readonly name: string; readonly durationMs: number }[] = [];
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
  }
}

/** An extension (or the set of extensions) does not fit the schema; nothing was run. */
export class InvalidExtensionError extends MigrateError {
  declare migrationId: string;
  constructor(migrationId: string, why: string) {
    super("INVALID_EXTENSION", `Extension ${migrationId}: ${why}`);
    this.migrationId = migrationId;
  }
}

/** Options given to a migrator are wrong or incomplete. */
export class InvalidOptionsError extends MigrateError {
  constructor(message: string, hint?: string) {
    super("INVALID_OPTIONS", message, hint === undefined ? undefined : { hint });
  }
}

/** Applied migrations whose definition has changed since they were applied. */
export class ChecksumMismatchError extends MigrateError {
  readonly migrationIds: readonly string[];
  constructor(migrationIds: readonly string[]) {
    super(
      "CHECKSUM_MISMATCH",
      `Applied migration${migrationIds.length > 1 ? "s" : ""} ${migrationIds.join(", ")} changed since ${migrationIds.length > 1 ? "they were" : "it was"} applied.`,
      {
        hint: "Released migrations must not be edited: restore the original definition and put the change in a new migration (a new extension id).",
      },
    );
    this.migrationIds = migrationIds;
  }
}

/** The ledger lists migrations this code does not define (newer code ran here, or an extension was removed). */
export class UnknownMigrationError extends MigrateError {
  readonly migrationIds: readonly string[];
  constructor(migrationIds: readonly string[]) {
    super("UNKNOWN_MIGRATION", `The database has applied migration${migrationIds.length > 1 ? "s" : ""} this code does not define: ${migrationIds.join(", ")}.`, {
      hint: "Run a version of the code that defines them (with the same extensions), or revert them with that version first.",
    });
    this.migrationIds = migrationIds;
  }
}

/** What `down` would revert is no longer what was confirmed (another run changed the database meanwhile). */
export class PlanChangedError extends MigrateError {
  readonly confirmed: readonly string[];
  readonly now: readonly string[];
  constructor(confirmed: readonly string[], now: readonly string[]) {
    super(
      "PLAN_CHANGED",
      `The database changed since the revert of ${confirmed.join(", ") || "nothing"} was confirmed: it would now revert ${now.join(", ") || "nothing"}. Nothing was reverted.`,
      { hint: "Look at status, then run down again and confirm what it asks now." },
    );
    this.confirmed = confirmed;
    this.now = now;
  }
}

/**
 * A migration's DDL waited longer than its lock timeout for a table that a long transaction keeps
 * busy, and gave up rather than hold every other query on that table in the queue behind it.
 * Nothing of that migration was applied.
 */
export class TableBusyError extends MigrateError {
  constructor(detail: string, timeoutMs: number) {
    super("TABLE_BUSY", `A table the migration changes stayed in use by another transaction for more than ${timeoutMs} ms (${detail}); nothing of the migration was applied.`, {
      hint: "Retry when the long transaction has ended (pg_stat_activity shows it), or allow a longer wait with ddlLockTimeoutMs.",
    });
  }
}

/** Another runner held the migration lock for longer than the timeout. */
export class LockTimeoutError extends MigrateError {
  /** Who held it, as far as the dialect can tell. */
  readonly holder: string | undefined;
  constructor(timeoutMs: number, holder?: string) {
    super("LOCK_TIMEOUT", `Another migration run held the lock for more than ${timeoutMs} ms${holder ? `: ${holder}` : ""}.`, {
      hint: "Wait for the other run to finish, or wait longer: --lock-timeout MS on the command line, lockTimeoutMs in code.",
    });
    this.holder = holder;
  }
}

/** How much of a migration is in effect after a per-statement run stopped part way. */
export interface PartialProgress {
  readonly stepsApplied: number;
  readonly steps: number;
}

/**
 * A migration failed. Where the dialect has transactional DDL, nothing of it was applied; where
 * statements commit one by one (MySQL), the runner undid what it had applied, and `partial` says what
 * is left when even that failed (the connection was lost, say).
 */
export class MigrationFailedError extends MigrateError {
  declare migrationId: string;
  readonly statement: string | undefined;
  readonly partial: PartialProgress | undefined;
  constructor(migrationId: string, cause: unknown, options: { statement?: string; partial?: PartialProgress } = {}) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const { partial } = options;
    const left = partial ? ` It is partly applied: ${partial.stepsApplied} of its ${partial.steps} steps are in effect.` : "";
    super("MIGRATION_FAILED", `Migration ${migrationId} failed: ${reason}${left}`, {
      cause,
      ...(partial ? { hint: `Fix the cause, then run up again to finish ${migrationId}, or down to undo what of it is in effect.` } : {}),
    });
    this.migrationId = migrationId;
    this.statement = options.statement;
    this.partial = partial;
  }
}

/** A NOT NULL column without a default cannot be added to a table that already has rows. */
export class UnsafeColumnError extends MigrateError {
  declare migrationId: string;
  readonly table: string;
  readonly column: string;
  constructor(migrationId: string, table: string, column: string) {
    super("UNSAFE_NOT_NULL_COLUMN", `Migration ${migrationId} adds NOT NULL column ${table}.${column} without a default, but ${table} already has rows.`, {
      hint: `Give ${column} a default, or make it nullable, backfill it, and make it NOT NULL in a later migration. Nothing was applied.`,
    });
    this.migrationId = migrationId;
    this.table = table;
    this.column = column;
  }
}

export type DatabaseAccessProblem =
  /** No server answers at that address, or not within the connection timeout. */
  | "UNREACHABLE"
  /**
   * The connection broke during the run (the session was terminated, the server restarted): what was
   * in progress was rolled back, or is recorded as partly applied where DDL is not transactional.
   */
  | "CONNECTION_LOST"
  /** The disk (or the database's size limit) is full. */
  | "DISK_FULL"
  /** The server refused the user name or password. */
  | "AUTHENTICATION_FAILED"
  /** The server (or the file system) has no database of that name. */
  | "DATABASE_NOT_FOUND"
  /** The database accepts reads only (a standby, a read-only file or setting). */
  | "READ_ONLY"
  /** The login works but lacks a privilege the migration needs. */
  | "PERMISSION_DENIED"
  /**
   * What was asked needs a session of its own on the server, which a connection pooler in front of
   * it does not give (PostgreSQL's concurrent index builds through PgBouncer): use the direct URL.
   */
  | "NEEDS_DIRECT_CONNECTION";

/** The database cannot be used as asked. `code` says why; what was in progress was not applied. */
export class DatabaseAccessError extends MigrateError {
  declare readonly code: DatabaseAccessProblem;
  constructor(code: DatabaseAccessProblem, message: string, options: { hint: string; cause?: unknown }) {
    super(code, message, options);
  }
}
