import { type Kysely, sql } from "kysely";
import type { Dialect } from "../dialect/dialect.js";
import { compareSchemas, type Finding } from "../drift/compare.js";
import { InvalidOptionsError, LockTimeoutError, MigrateError, MigrationFailedError, PlanChangedError, UnsafeColumnError } from "../errors.js";
import { migrationChecksum } from "../migrations/checksum.js";
import { checkedOwnObjects, type Extension, type ResolvedSchema } from "../migrations/extensions.js";
import { coreMigrations } from "../migrations/core-migrations.js";
import type { Migration } from "../migrations/operations.js";
import { modelsBefore, renderBothWays } from "../migrations/replay.js";
import type { SchemaModel } from "../dialect/renderer.js";
import { applyMigration, executeAndRecord, executeStatements, type MigrationRun, renderForRun, type RenderedMigration, type RunContext } from "./apply.js";
import { type Adoption, anyDataObjectExists, nothingOfItExists, planAdoption } from "./adopt.js";
import { countDataLoss, type DataLoss, DataLossError, dropsOf } from "./data-loss.js";
import { Ledger, type LedgerEntry, ledgerTable } from "./ledger.js";
import { type SqlFile, sqlFiles } from "./sql-files.js";
import { type Direction, Plan, validSteps } from "./plan.js";
import { type MigrationEvent, type Progress, reportProgress } from "./progress.js";
import type { LockWait } from "./poll-lock.js";

export type { MigrationRun } from "./apply.js";
export type { DataLoss } from "./data-loss.js";
export type { SqlFile } from "./sql-files.js";

export interface UpResult {
  /** The migrations this call applied (or finished), in order; empty when everything was already applied. */
  applied: MigrationRun[];
  /**
   * Migrations whose tables already existed (a database made by hand) and matched the model: recorded
   * as applied without running them, after what holds no data was brought to the model.
   */
  baselined: MigrationRun[];
}

export interface BaselineResult {
  /** The migrations recorded as applied because their tables already existed and matched. */
  baselined: MigrationRun[];
  /** The migrations still to apply (their tables do not exist): `up` applies them. */
  pending: string[];
}

export interface CheckReport {
  /** Migrations not applied yet (pending or partly applied); what they create is not reported as missing. */
  pending: string[];
  /**
   * Migrations the ledger lists that this code does not define (extensions not given here, or a
   * newer release): `up` and `down` refuse to run until they are given.
   */
  unknown: string[];
  /** Every difference between the live database and the model, in the model's order. */
  findings: Finding[];
  /** No finding is an error (warnings may remain). */
  clean: boolean;
}

export interface DownOptions {
  /** How many of the newest migrations to revert. Default 1. */
  steps?: number;
  /** The ids `planDown` returned, as a person confirmed them: nothing is reverted unless they are still what `down` would revert. */
  expect?: readonly string[];
  /**
   * Revert even where that drops tables holding rows or columns holding non-null values. Without it,
   * such a revert throws a {@link DataLossError} that lists them, and nothing is reverted.
   */
  allowDataLoss?: boolean;
}

/** One migration `down` would revert. */
export interface DownPlanEntry {
  id: string;
  name: string;
  /** The tables with rows and the columns with non-null values its revert drops (empty when it drops no data). */
  dataLoss: DataLoss[];
}

export interface DownResult {
  /** The migrations this call reverted, newest first. */
  reverted: MigrationRun[];
}

export type MigrationState =
  /** Applied, and its definition is unchanged. */
  | "applied"
  | "pending"
  /**
   * Partly applied: a run on a dialect whose DDL commits statement by statement (MySQL) stopped part
   * way. `up` finishes it; `down` undoes the part in effect.
   */
  | "partial"
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
  /** For a partly applied migration, how many of its steps the ledger records in effect, of how many. */
  progress: { stepsApplied: number; steps: number } | null;
  /** Recorded by `baseline` because its tables already existed, not run. */
  baselined: boolean;
}

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
  /**
   * Applies every pending migration in order under the migration lock: each in its own transaction
   * where the dialect has transactional DDL, statement by statement with progress in the ledger
   * where it has not (a partly applied migration is finished from where it stopped).
   */
  up(options?: RunOptions): Promise<UpResult>;
  /**
   * Reverts the newest applied migrations (one unless `steps` says more). With `expect` (the ids
   * `planDown` returned, as a person confirmed them), it reverts nothing unless exactly those are
   * what it would revert once it holds the lock.
   */
  down(options?: RunOptions & DownOptions): Promise<DownResult>;
  /**
   * What `down` with these options would revert, newest first, and the data each would drop (tables
   * with rows, columns with non-null values), without changing anything.
   */
  planDown(options?: { steps?: number }): Promise<DownPlanEntry[]>;
  /** Each migration: applied, pending, partly applied, changed since applied, or unknown to this code. */
  status(): Promise<MigrationStatus[]>;
  /**
   * The live database against the model, object by object: missing or different (errors), extra
   * columns and indexes in managed tables (warnings), and with `all` the tables the model does not
   * manage. Changes nothing.
   */
  check(options?: { all?: boolean }): Promise<CheckReport>;
  /**
   * For a database whose tables were made by hand: records each pending migration whose tables and
   * columns exist and match the model as applied (bringing indexes, triggers, views and routines to
   * the model), and applies nothing else. Refuses, changing nothing, when a table differs in what
   * holds data. `up` does the same before it applies the rest.
   */
  baseline(options?: RunOptions): Promise<BaselineResult>;
  /** The SQL of every migration as files, one per migration and one per down, each recording itself in the ledger. */
  sqlFiles(): SqlFile[];
  /** The DDL of every migration, as text, without touching a database. */
  sql(options?: SqlOptions): string;
  /** Deletes expired and inactive sessions; returns how many. */
  cleanupExpiredSessions(): Promise<number>;
  /** The migrations this migrator knows, in order. */
  readonly migrations: readonly Migration[];
  /** Closes connections the migrator opened itself; a pool or Kysely instance passed in is left open. */
  close(): Promise<void>;
}

/** What every adapter's `createMigrator` takes besides where to connect. */
export interface MigratorOptions {
  /** Tables and columns to add, from `defineExtension`; each becomes one more migration. */
  extensions?: readonly Extension[];
  /** How long `up`/`down` wait for another run's lock. Default 60 000 ms. */
  lockTimeoutMs?: number;
  /**
   * Triggers, rules and policies of the application's own on the schema's tables (`"users.audit_email"`)
   * and routines of its own (`"audit_email"`): `check` and adoption accept them. Any other one is an
   * error, since code that runs on every change to a table can copy what it holds. Extensions can
   * list theirs too (`defineExtension({ ownObjects })`).
   */
  ownObjects?: readonly string[];
}

export interface RunnerOptions {
  /** How long to wait for another run's lock before giving up. Default 60 s. */
  lockTimeoutMs?: number;
  /** See {@link MigratorOptions.ownObjects}. */
  ownObjects?: readonly string[];
  /** Called when `close()` is called, to end connections the adapter opened. */
  onClose?: () => Promise<void>;
}

/**
 * Renders one migration in one direction to the statements that perform it (what `sql()` prints).
 * `before` is the model it starts from: by default, what the core migrations before it build.
 */
export function renderMigration(renderer: Dialect["renderer"], migration: Migration, direction: Direction, before?: SchemaModel): string[] {
  const start = before ?? modelsBefore([...coreMigrations.filter((m) => m.id !== migration.id), migration]).get(migration.id)!;
  const { up, undo } = renderBothWays(renderer, migration, start);
  return direction === "up" ? up.flat() : [...undo].reverse().flat();
}

type AnyDatabase = Kysely<any>;

/** Pause between attempts of a call that found the database busy. */
const BUSY_RETRY_MS = 50;

/**
 * Whether a finding is about what a pending migration will make: something it creates, missing; a
 * column whose type it changes, different. Pending, not drift.
 */
function madeBy(pending: readonly Migration[], finding: Finding): boolean {
  return pending.some((m) =>
    m.up.some((op) => {
      if (op.kind !== "alterColumn" && finding.problem !== "missing") return false;
      switch (op.kind) {
        case "createTable":
          return op.table.name === finding.object && finding.kind === "table";
        case "addColumn": {
          // The column, and the unique key, foreign key or check that come with it.
          const names = [op.column.name, op.constraints.unique?.name, op.constraints.foreignKey?.name, op.constraints.check?.name];
          return op.table === finding.object && names.includes(finding.name);
        }
        case "alterColumn":
          return op.table === finding.object && finding.kind === "column" && op.to.name === finding.name;
        case "createIndex":
          return op.table === finding.object && finding.kind === "index" && op.index.name === finding.name;
        case "createView":
          return op.view.name === finding.object;
        case "createRoutine":
          return op.routine.name === finding.object;
        default:
          return false;
      }
    }),
  );
}

/**
 * The runner shared by every dialect. Adapters build one with their {@link Dialect} and a Kysely
 * instance; this is where ordering, the ledger, checksums and locking live. Planning (what to run)
 * is in `plan.ts`, applying (transactions or per-statement progress) in `apply.ts`, reporting in
 * `progress.ts`.
 */
export function createRunner(dialect: Dialect, givenDb: Kysely<unknown>, schema: ResolvedSchema, options: RunnerOptions = {}): Migrator {
  // The ledger is read and written by column name: plugins of a caller's instance (CamelCasePlugin)
  // would rename them.
  const db = givenDb.withoutPlugins();
  const { renderer, session, introspector } = dialect;
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  if (!Number.isFinite(lockTimeoutMs) || lockTimeoutMs < 0) {
    throw new InvalidOptionsError(`lockTimeoutMs must be a number of milliseconds, not ${String(options.lockTimeoutMs)}.`);
  }
  let ownList: readonly string[];
  try {
    ownList = options.ownObjects === undefined ? [] : checkedOwnObjects("ownObjects", options.ownObjects);
  } catch (error) {
    throw new InvalidOptionsError((error as Error).message);
  }
  const ownObjects: ReadonlySet<string> = new Set([...schema.ownObjects, ...ownList]);
  const { migrations } = schema;
  const plan = new Plan(migrations, new Map(migrations.map((m) => [m.id, migrationChecksum(m)])));
  const ledger = new Ledger(session, renderer);
  const modelBefore = modelsBefore(migrations);
  const render = (m: Migration) => renderForRun(renderer, session, m, plan.checksumOf(m.id), modelBefore.get(m.id)!);

  /**
   * Creates or grows the ledger; called under the lock once nothing can refuse the run any more.
   * Where the lock lives in each transaction, in a transaction of its own that takes it.
   */
  const prepareLedger = ({ conn, lock }: RunContext) =>
    session.applyMode === "transactional" && lock
      ? session.atomically(conn, (trx) => ledger.prepare(trx, (statements) => executeStatements(session, trx, statements)), lock)
      : ledger.prepare(conn, (statements) => executeStatements(session, conn, statements));

  /**
   * Runs `work` holding the migration lock: for the whole run where the session holds it so, or
   * (per-transaction locks) with what each transaction needs to take it. Progress held back is
   * reported after the release.
   */
  async function withLock<T>(onProgress: RunOptions["onProgress"], work: (context: RunContext, progress: Progress) => Promise<T>): Promise<T> {
    const progress = reportProgress(onProgress, session.commitsWhenLockReleased);
    const onWait = (wait: LockWait) => progress.waiting({ type: "waiting", ...wait });
    const perTransaction = session.applyMode === "transactional" && session.lockScope === "transaction";
    const result = await db.connection().execute(async (conn) => {
      if (perTransaction) return work({ conn, lock: { timeoutMs: lockTimeoutMs, onWait } }, progress);
      await session.acquireLock(conn, lockTimeoutMs, onWait);
      let outcome: T;
      try {
        outcome = await work({ conn, lock: undefined }, progress);
      } catch (error) {
        // The first error is the one to report. If the connection broke, releasing fails too, and
        // the server releases the lock with the session anyway.
        await session.releaseLock(conn).catch(() => undefined);
        throw error;
      }
      await session.releaseLock(conn);
      return outcome;
    });
    progress.released();
    return result;
  }

  /** What reverting these migrations would drop that holds data (only the steps in effect of a partly applied one). */
  const dataLossOf = (conn: Kysely<unknown>, toRevert: readonly Migration[], byId: ReadonlyMap<string, LedgerEntry>) =>
    countDataLoss(conn, session.schema, introspector, toRevert.flatMap((m) => dropsOf(m, byId.get(m.id)?.stepsApplied ?? undefined)));

  /** Refuses, before any SQL runs, NOT NULL columns without a default on tables that already hold rows. */
  async function refuseUnsafeColumns(conn: Kysely<unknown>, pending: readonly RenderedMigration[], entries: readonly LedgerEntry[]): Promise<void> {
    const createdNow = new Set(pending.flatMap((r) => r.migration.up.flatMap((op) => (op.kind === "createTable" ? [op.table.name] : []))));
    const inEffect = new Map(entries.map((e) => [e.id, e.stepsApplied ?? Infinity]));
    for (const { migration } of pending) {
      for (const [index, op] of migration.up.entries()) {
        if (index < (inEffect.get(migration.id) ?? 0)) continue;
        if (op.kind !== "addColumn" || op.column.nullable || op.column.default || createdNow.has(op.table)) continue;
        const table = session.schema ? (conn as AnyDatabase).withSchema(session.schema) : (conn as AnyDatabase);
        const anyRow = await table.selectFrom(op.table).select(sql.lit(1).as("one")).limit(1).executeTakeFirst();
        if (anyRow) throw new UnsafeColumnError(migration.id, op.table, op.column.name);
      }
    }
  }

  /**
   * Reads the live schema in full only when some pending migration could already exist there: on a
   * new database (or one where only new migrations are pending) a list of columns settles it.
   */
  async function planAdoptions(conn: Kysely<unknown>, fresh: readonly Migration[]): Promise<Adoption[]> {
    if (fresh.length === 0) return [];
    const columns = await introspector.columns(conn);
    if (fresh.every((m) => anyDataObjectExists(m, columns) === false)) return fresh.map((migration) => ({ kind: "apply", migration }));
    return planAdoption(renderer, migrations, fresh, await introspector.introspect(conn));
  }

  /** Records an adopted migration, after the statements that bring what holds no data to the model. */
  async function adopt(context: RunContext, adoption: Adoption & { kind: "adopt" }, progress: Progress): Promise<MigrationRun | undefined> {
    const { id, name } = adoption.migration;
    const started = performance.now();
    const row = { id, name, checksum: plan.checksumOf(id), stepsApplied: null, baselined: true };
    // Where statements commit one by one, each is safe to run again: a run that stops before the
    // ledger row is written plans the same adoption from what the database then holds.
    const ran = await executeAndRecord(session, context, id, adoption.statements, (target) => ledger.insert(target, { ...row, durationMs: Math.round(performance.now() - started) }), {
      atomic: true,
      stillNeeded: async (target) => !(await ledger.has(target, id)),
      beginning: () => progress.start({ type: "start", direction: "up", id, name }),
    });
    if (!ran) return undefined;
    const durationMs = Math.round(performance.now() - started);
    progress.done({ type: "done", direction: "up", id, name, durationMs, baselined: true });
    return { id, name, durationMs };
  }

  /** One migration in one direction; undefined when another run did it meanwhile. */
  async function run(context: RunContext, rendered: RenderedMigration, direction: Direction, entry: LedgerEntry | undefined, progress: Progress): Promise<MigrationRun | undefined> {
    const { id, name } = rendered.migration;
    const durationMs = await applyMigration(session, ledger, context, rendered, direction, entry, () => progress.start({ type: "start", direction, id, name }));
    if (durationMs === undefined) return undefined;
    progress.done({ type: "done", direction, id, name, durationMs });
    return { id, name, durationMs };
  }

  /**
   * Runs one migration's work; an error from it names the migration and what the call applied
   * before it (typed first, so that a driver error becomes a MigrateError that can carry both).
   */
  async function inMigration(id: string, before: readonly MigrationRun[], work: () => Promise<MigrationRun | undefined>): Promise<MigrationRun | undefined> {
    try {
      return await work();
    } catch (error) {
      const typed = error instanceof MigrateError ? error : (session.translateError(error) ?? new MigrationFailedError(id, error));
      typed.migrationId ??= id;
      typed.applied = before;
      throw typed;
    }
  }

  /**
   * Driver errors that mean "cannot use this database" become typed errors at every entry point.
   * A call that failed only because another connection was writing (SQLite) is tried again until
   * the lock timeout: nothing of it took effect.
   */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + lockTimeoutMs;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (session.isBusy?.(error)) {
          if (Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
            continue;
          }
          throw new LockTimeoutError(lockTimeoutMs, "another connection kept writing");
        }
        throw error instanceof MigrateError ? error : (session.translateError(error) ?? error);
      }
    }
  }

  return {
    migrations,

    up: (options = {}) => guarded(async () => {
      await session.refuseReadOnly?.(db);
      // Fast path without the lock: reading committed ledger rows is safe, and when nothing is
      // pending (the usual case at every deploy) this is two round trips.
      if (plan.pending(await ledger.read(db)).length === 0) return { applied: [], baselined: [] };
      return withLock(options.onProgress, async (context, progress) => {
        const { conn } = context;
        // Read again under the lock: another runner may have applied everything meanwhile. (Where
        // the lock is per transaction, each migration's transaction checks again.)
        const entries = await ledger.read(conn);
        const byId = new Map(entries.map((e) => [e.id, e]));
        const pending = plan.pending(entries);
        const adoptions = await planAdoptions(conn, pending.filter((m) => !byId.has(m.id)));
        const toRun = pending.filter((m) => !adoptions.some((a) => a.kind === "adopt" && a.migration.id === m.id)).map(render);
        await refuseUnsafeColumns(conn, toRun, entries);
        await prepareLedger(context);
        const baselined: MigrationRun[] = [];
        const applied: MigrationRun[] = [];
        const step = async (into: MigrationRun[], id: string, work: () => Promise<MigrationRun | undefined>) => {
          const done = await inMigration(id, [...baselined, ...applied], work);
          if (done) into.push(done);
        };
        for (const adoption of adoptions) if (adoption.kind === "adopt") await step(baselined, adoption.migration.id, () => adopt(context, adoption, progress));
        for (const rendered of toRun) await step(applied, rendered.migration.id, () => run(context, rendered, "up", byId.get(rendered.migration.id), progress));
        return { applied, baselined };
      });
    }),

    baseline: (options = {}) => guarded(async () => {
      await session.refuseReadOnly?.(db);
      return withLock(options.onProgress, async (context, progress) => {
        const { conn } = context;
        const entries = await ledger.read(conn);
        const recorded = new Set(entries.map((e) => e.id));
        const fresh = plan.pending(entries).filter((m) => !recorded.has(m.id));
        const adoptions = await planAdoptions(conn, fresh);
        if (fresh.length > 0 && !adoptions.some((a) => a.kind === "adopt")) {
          throw new MigrateError("NOTHING_TO_BASELINE", "The database has none of the tables of the pending migrations: there is nothing to baseline.", {
            hint: "Check that the URL names the database you meant; on a new database, run up instead.",
          });
        }
        await prepareLedger(context);
        const baselined: MigrationRun[] = [];
        for (const adoption of adoptions) {
          if (adoption.kind !== "adopt") continue;
          const done = await adopt(context, adoption, progress);
          if (done) baselined.push(done);
        }
        return { baselined, pending: adoptions.filter((a) => a.kind === "apply").map((a) => a.migration.id) };
      });
    }),

    check: (options = {}) => guarded(async () => {
      const entries = await ledger.read(db, "read");
      const applied = new Set(entries.filter((e) => e.stepsApplied === null).map((e) => e.id));
      const pending = migrations.filter((m) => !applied.has(m.id));
      const live = await introspector.introspect(db);
      // What a pending migration of which nothing exists yet will create is pending, not missing; a
      // pending migration whose tables exist in part (a hand-made database) is judged in full.
      const willRun = pending.filter((m) => nothingOfItExists(m, live));
      const findings = compareSchemas(renderer.describe(schema), live, { ignore: new Set([ledgerTable.name, ...(session.ownTables ?? [])]), ownObjects, ...(options.all ? { all: true } : {}) })
        .filter((f) => !madeBy(willRun, f));
      const defined = new Set(migrations.map((m) => m.id));
      const unknown = entries.filter((e) => !defined.has(e.id)).map((e) => e.id);
      return { pending: pending.map((m) => m.id), unknown, findings, clean: !findings.some((f) => f.severity === "error") };
    }),

    down: (options = {}) => guarded(async () => {
      const steps = validSteps(options.steps);
      if (options.allowDataLoss !== undefined && typeof options.allowDataLoss !== "boolean") {
        throw new InvalidOptionsError(`allowDataLoss must be true or false, not ${String(options.allowDataLoss)}.`);
      }
      await session.refuseReadOnly?.(db);
      if ((await session.ledgerColumns(db)) === undefined) return { reverted: [] };
      return withLock(options.onProgress, async (context, progress) => {
        const { conn } = context;
        await prepareLedger(context);
        const entries = await ledger.readExisting(conn);
        const toRevert = plan.revertOrder(entries, steps);
        if (options.expect && toRevert.map((m) => m.id).join(",") !== options.expect.join(",")) {
          throw new PlanChangedError(options.expect, toRevert.map((m) => m.id));
        }
        plan.refuseChanged(entries, new Set(toRevert.map((m) => m.id)));
        const byId = new Map(entries.map((e) => [e.id, e]));
        if (options.allowDataLoss !== true) {
          const losses = await dataLossOf(conn, toRevert, byId);
          if (losses.length > 0) throw new DataLossError(losses);
        }
        const rendered = toRevert.map(render);
        const reverted: MigrationRun[] = [];
        for (const r of rendered) {
          const done = await inMigration(r.migration.id, [], () => run(context, r, "down", byId.get(r.migration.id), progress));
          if (done) reverted.push(done);
        }
        return { reverted };
      });
    }),

    planDown: (options = {}) => guarded(async () => {
      const steps = validSteps(options.steps);
      const entries = await ledger.read(db, "read");
      const byId = new Map(entries.map((e) => [e.id, e]));
      const toRevert = plan.revertOrder(entries, steps);
      const losses = await dataLossOf(db, toRevert, byId);
      return toRevert.map((m) => ({ id: m.id, name: m.name, dataLoss: losses.filter((l) => l.migrationId === m.id) }));
    }),

    status: () => guarded(async () => {
      const entries = await ledger.read(db, "read");
      const byId = new Map(entries.map((e) => [e.id, e]));
      const known: MigrationStatus[] = migrations.map((m) => {
        const entry = byId.get(m.id);
        const checksum = plan.checksumOf(m.id);
        const state = !entry ? "pending" : entry.checksum !== checksum ? "changed" : entry.stepsApplied !== null ? "partial" : "applied";
        return {
          id: m.id,
          name: m.name,
          state,
          appliedAt: entry?.appliedAt ?? null,
          durationMs: entry?.durationMs ?? null,
          checksum,
          appliedChecksum: entry?.checksum ?? null,
          progress: entry && entry.stepsApplied !== null ? { stepsApplied: entry.stepsApplied, steps: m.up.length } : null,
          baselined: entry?.baselined ?? false,
        };
      });
      const unknown: MigrationStatus[] = entries
        .filter((e) => !migrations.some((m) => m.id === e.id))
        .map((e) => ({
          id: e.id, name: e.name, state: "unknown", appliedAt: e.appliedAt, durationMs: e.durationMs, checksum: null, appliedChecksum: e.checksum, progress: null, baselined: e.baselined,
        }));
      return [...known, ...unknown];
    }),

    sql(options = {}) {
      const direction = options.direction ?? "up";
      // The down files come newest first already: the order they revert in.
      return sqlFiles(renderer, session, migrations, plan)
        .filter((f) => f.direction === direction)
        .map((f) => f.sql)
        .join("\n");
    },

    sqlFiles: () => sqlFiles(renderer, session, migrations, plan),

    cleanupExpiredSessions: () => guarded(async () => {
      await session.refuseReadOnly?.(db);
      return dialect.cleanupExpiredSessions(db);
    }),

    async close() {
      await options.onClose?.();
    },
  };
}
