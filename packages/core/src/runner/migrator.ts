import { type Kysely, sql } from "kysely";
import type { DialectAdapter } from "../dialect-adapter.js";
import { ChecksumMismatchError, InvalidOptionsError, MigrateError, MigrationFailedError, UnknownMigrationError, UnsafeColumnError } from "../errors.js";
import { migrationChecksum } from "../migrations/checksum.js";
import type { ResolvedSchema } from "../migrations/extensions.js";
import { invertOperations, type Migration, type Operation } from "../migrations/operations.js";
import { LEDGER, type LedgerDatabase, type LedgerEntry } from "./ledger.js";

export type Direction = "up" | "down";

export interface MigrationRun {
  id: string;
  name: string;
  durationMs: number;
}

export interface UpResult {
  /** The migrations this call applied, in order; empty when everything was already applied. */
  applied: MigrationRun[];
}

export interface DownResult {
  /** The migrations this call reverted, newest first. */
  reverted: MigrationRun[];
}

export type MigrationState =
  /** Applied, and its definition is unchanged. */
  | "applied"
  | "pending"
  /** Applied, but its definition changed since: `up` refuses to run until this is resolved. */
  | "changed"
  /** In the ledger, but not defined by this code. */
  | "unknown";

export interface MigrationStatus {
  id: string;
  name: string;
  state: MigrationState;
  appliedAt: Date | null;
  durationMs: number | null;
  /** The checksum of the definition in this code (null for unknown migrations). */
  checksum: string | null;
  /** The checksum recorded when it was applied (null when pending). */
  appliedChecksum: string | null;
}

/** Reported while `up` or `down` runs, so that a caller can show progress. */
export type MigrationEvent =
  | { type: "start"; direction: Direction; id: string; name: string }
  | { type: "done"; direction: Direction; id: string; name: string; durationMs: number };

export interface RunOptions {
  /** Called before and after each migration. */
  onProgress?: (event: MigrationEvent) => void;
}

export interface SqlOptions {
  /** `up` (default): the DDL that creates the schema; `down`: the DDL that removes it, newest first. */
  direction?: Direction;
}

/** The migrator every adapter returns from its `createMigrator`: the same methods on every dialect. */
export interface Migrator {
  /** Applies every pending migration in order, each in its own transaction, under the migration lock. */
  up(options?: RunOptions): Promise<UpResult>;
  /** Reverts the newest applied migrations (one unless `steps` says more). */
  down(options?: RunOptions & { steps?: number }): Promise<DownResult>;
  /** What `down` with these options would revert, newest first, without reverting anything. */
  planDown(options?: { steps?: number }): Promise<{ id: string; name: string }[]>;
  /** Each migration: applied, pending, changed since applied, or unknown to this code. */
  status(): Promise<MigrationStatus[]>;
  /** The DDL of every migration, as text, without touching a database. */
  sql(options?: SqlOptions): string;
  /** Deletes expired and inactive sessions; returns how many. */
  cleanupExpiredSessions(): Promise<number>;
  /** The migrations this migrator knows, in order. */
  readonly migrations: readonly Migration[];
  /** Closes connections the migrator opened itself; a pool or Kysely instance passed in is left open. */
  close(): Promise<void>;
}

export interface RunnerOptions {
  /** How long to wait for another run's lock before giving up. Default 60 s. */
  lockTimeoutMs?: number;
  /** Called when `close()` is called, to end connections the adapter opened. */
  onClose?: () => Promise<void>;
}

/** Renders one migration in one direction to the statements that perform it. */
export function renderMigration(adapter: DialectAdapter, migration: Migration, direction: Direction): string[] {
  const operations: readonly Operation[] = direction === "up" ? migration.up : invertOperations(migration.up);
  return operations.flatMap((op) => adapter.renderOperation(op));
}

type AnyDatabase = Kysely<any>;

interface Progress {
  start(event: MigrationEvent): void;
  done(event: MigrationEvent): void;
  /** The lock was released: report what was held back. */
  released(): void;
}

/**
 * The runner shared by every dialect. Adapters build one with their {@link DialectAdapter} and a
 * Kysely instance; this is where ordering, the ledger, checksums and locking live.
 */
export function createRunner(adapter: DialectAdapter, givenDb: Kysely<unknown>, schema: ResolvedSchema, options: RunnerOptions = {}): Migrator {
  // The ledger is read and written by column name: plugins of a caller's instance (CamelCasePlugin)
  // would rename them.
  const db = givenDb.withoutPlugins();
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  if (!Number.isFinite(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw new InvalidOptionsError(`lockTimeoutMs must be a number of milliseconds, not ${String(options.lockTimeoutMs)}.`);
  }
  const { migrations } = schema;
  const checksums = new Map(migrations.map((m) => [m.id, migrationChecksum(m)]));
  /** The connection with the adapter's schema applied to every table it names (the ledger and ours). */
  const inSchema = (conn: Kysely<unknown>) => {
    const typed = conn as unknown as Kysely<LedgerDatabase>;
    return adapter.schema ? typed.withSchema(adapter.schema) : typed;
  };

  async function readLedger(conn: Kysely<unknown>): Promise<LedgerEntry[]> {
    const rows = await inSchema(conn).selectFrom(LEDGER).select(["id", "name", "checksum", "applied_at", "duration_ms"]).execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      checksum: r.checksum,
      appliedAt: adapter.readTimestamp(r.applied_at),
      durationMs: Number(r.duration_ms),
    }));
  }

  async function readLedgerIfExists(conn: Kysely<unknown>): Promise<LedgerEntry[]> {
    return (await adapter.ledgerExists(conn)) ? readLedger(conn) : [];
  }

  /** The ledger must not list migrations this code does not define: nothing can be planned around them. */
  function refuseUnknown(entries: readonly LedgerEntry[]): void {
    const unknown = entries.filter((e) => !checksums.has(e.id)).map((e) => e.id);
    if (unknown.length > 0) throw new UnknownMigrationError(unknown);
  }

  /** What `up` would apply; throws if the ledger and the code disagree about what was applied. */
  function pendingMigrations(entries: readonly LedgerEntry[]): Migration[] {
    refuseUnknown(entries);
    const applied = new Map(entries.map((e) => [e.id, e]));
    const changed = migrations.filter((m) => applied.has(m.id) && applied.get(m.id)!.checksum !== checksums.get(m.id)).map((m) => m.id);
    if (changed.length > 0) throw new ChecksumMismatchError(changed);
    // Pending migrations run in definition order. A migration defined before an applied one may
    // still be pending (an extension added later, a core migration in a newer release): it is
    // applied then, because migrations only ever add to what the earlier ones built.
    return migrations.filter((m) => !applied.has(m.id));
  }

  /** Runs `work` holding the migration lock; progress held back until the release is reported after it. */
  async function withLock<T>(onProgress: RunOptions["onProgress"], work: (conn: Kysely<unknown>, progress: Progress) => Promise<T>): Promise<T> {
    const progress = progressFor(onProgress);
    const result = await db.connection().execute(async (conn) => {
      await adapter.acquireLock(conn, lockTimeoutMs);
      try {
        return await work(conn, progress);
      } finally {
        await adapter.releaseLock(conn);
      }
    });
    progress.released();
    return result;
  }

  /** Refuses, before any SQL runs, NOT NULL columns without a default on tables that already hold rows. */
  async function refuseUnsafeColumns(conn: Kysely<unknown>, pending: readonly Migration[]): Promise<void> {
    const createdNow = new Set(pending.flatMap((m) => m.up.flatMap((op) => (op.kind === "createTable" ? [op.table.name] : []))));
    for (const migration of pending) {
      for (const op of migration.up) {
        if (op.kind !== "addColumn" || op.column.nullable || op.column.default || createdNow.has(op.table)) continue;
        const anyRow = await (inSchema(conn) as unknown as AnyDatabase).selectFrom(op.table).select(sql.lit(1).as("one")).limit(1).executeTakeFirst();
        if (anyRow) throw new UnsafeColumnError(migration.id, op.table, op.column.name);
      }
    }
  }

  async function execute(conn: Kysely<unknown>, statements: readonly string[]): Promise<void> {
    if (statements.length === 0) return;
    if (adapter.supportsMultipleStatements) {
      await sql.raw(statements.join(";\n")).execute(conn);
      return;
    }
    for (const statement of statements) {
      try {
        await sql.raw(statement).execute(conn);
      } catch (error) {
        throw Object.assign(error as object, { statement });
      }
    }
  }

  async function run(conn: Kysely<unknown>, migration: Migration, direction: Direction, progress: Progress): Promise<MigrationRun> {
    const statements = renderMigration(adapter, migration, direction);
    progress.start({ type: "start", direction, id: migration.id, name: migration.name });
    const started = performance.now();
    try {
      const result = await adapter.atomically(conn, async (trx) => {
        await execute(trx, statements);
        const durationMs = Math.round(performance.now() - started);
        if (direction === "up") {
          await inSchema(trx)
            .insertInto(LEDGER)
            .values({ id: migration.id, name: migration.name, checksum: checksums.get(migration.id)!, duration_ms: durationMs })
            .execute();
        } else {
          await inSchema(trx).deleteFrom(LEDGER).where("id", "=", migration.id).execute();
        }
        return { id: migration.id, name: migration.name, durationMs };
      });
      progress.done({ type: "done", direction, ...result });
      return result;
    } catch (error) {
      throw adapter.translateError(error) ?? new MigrationFailedError(migration.id, error, (error as { statement?: string }).statement);
    }
  }

  /**
   * Reports progress. Where the lock is itself the transaction (SQLite), what ran under it becomes
   * durable only when the lock is released: "done" is reported then, never for work that a failed
   * commit took back.
   */
  function progressFor(onProgress: RunOptions["onProgress"]): Progress {
    const held: MigrationEvent[] = [];
    return {
      start: (event) => onProgress?.(event),
      done: (event) => {
        if (adapter.commitsWhenLockReleased) held.push(event);
        else onProgress?.(event);
      },
      released: () => {
        for (const event of held.splice(0)) onProgress?.(event);
      },
    };
  }

  /** The applied migrations `down` reverts: the most recently applied first. */
  function revertOrder(entries: readonly LedgerEntry[], steps: number): Migration[] {
    refuseUnknown(entries);
    const position = new Map(migrations.map((m, i) => [m.id, i]));
    const byId = new Map(migrations.map((m) => [m.id, m]));
    // Ties (applied in the same millisecond) go by definition order, newest first.
    return [...entries]
      .sort((a, b) => b.appliedAt.getTime() - a.appliedAt.getTime() || position.get(b.id)! - position.get(a.id)!)
      .slice(0, steps)
      .map((e) => byId.get(e.id)!);
  }

  function validSteps(steps: number | undefined): number {
    const n = steps ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionsError(`steps must be a positive whole number, not ${String(steps)}.`);
    return n;
  }

  /** Driver errors that mean "cannot use this database" become typed errors at every entry point. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw error instanceof MigrateError ? error : (adapter.translateError(error) ?? error);
    }
  }

  return {
    migrations,

    up: (options = {}) => guarded(async () => {
      // Fast path without the lock: reading committed ledger rows is safe, and when nothing is
      // pending (the usual case at every deploy) this is two round trips.
      if (pendingMigrations(await readLedgerIfExists(db)).length === 0) return { applied: [] };
      return withLock(options.onProgress, async (conn, progress) => {
        await adapter.prepareLedger(conn);
        // Read again under the lock: another runner may have applied everything meanwhile.
        const pending = pendingMigrations(await readLedger(conn));
        await refuseUnsafeColumns(conn, pending);
        const applied: MigrationRun[] = [];
        for (const migration of pending) applied.push(await run(conn, migration, "up", progress));
        return { applied };
      });
    }),

    down: (options = {}) => guarded(async () => {
      const steps = validSteps(options.steps);
      if (!(await adapter.ledgerExists(db))) return { reverted: [] };
      return withLock(options.onProgress, async (conn, progress) => {
        const entries = await readLedger(conn);
        const toRevert = revertOrder(entries, steps);
        const changed = toRevert.filter((m) => entries.find((e) => e.id === m.id)!.checksum !== checksums.get(m.id)).map((m) => m.id);
        if (changed.length > 0) throw new ChecksumMismatchError(changed);
        const reverted: MigrationRun[] = [];
        for (const migration of toRevert) reverted.push(await run(conn, migration, "down", progress));
        return { reverted };
      });
    }),

    planDown: (options = {}) => guarded(async () => {
      const steps = validSteps(options.steps);
      return revertOrder(await readLedgerIfExists(db), steps).map((m) => ({ id: m.id, name: m.name }));
    }),

    status: () => guarded(async () => {
      const entries = await readLedgerIfExists(db);
      const byId = new Map(entries.map((e) => [e.id, e]));
      const known: MigrationStatus[] = migrations.map((m) => {
        const entry = byId.get(m.id);
        const checksum = checksums.get(m.id)!;
        return {
          id: m.id,
          name: m.name,
          state: !entry ? "pending" : entry.checksum === checksum ? "applied" : "changed",
          appliedAt: entry?.appliedAt ?? null,
          durationMs: entry?.durationMs ?? null,
          checksum,
          appliedChecksum: entry?.checksum ?? null,
        };
      });
      const unknown: MigrationStatus[] = entries
        .filter((e) => !checksums.has(e.id))
        .map((e) => ({ id: e.id, name: e.name, state: "unknown", appliedAt: e.appliedAt, durationMs: e.durationMs, checksum: null, appliedChecksum: e.checksum }));
      return [...known, ...unknown];
    }),

    sql(options = {}) {
      const direction = options.direction ?? "up";
      const ordered = direction === "up" ? migrations : [...migrations].reverse();
      return ordered
        .map((m) => `-- ${m.id} (${direction}): ${m.name}\n${renderMigration(adapter, m, direction).map((s) => `${s};\n`).join("")}`)
        .join("\n");
    },

    cleanupExpiredSessions: () => guarded(() => adapter.cleanupExpiredSessions(db)),

    async close() {
      await options.onClose?.();
    },
  };
}
