import { type Kysely, sql } from "kysely";
import type { DialectRenderer, SchemaModel } from "../dialect/renderer.js";
import type { MigrationSession, PerStatementSession } from "../dialect/session.js";
import { MigrateError, MigrationFailedError } from "../errors.js";
import { inverseOperation, type Migration } from "../migrations/operations.js";
import type { Ledger, LedgerEntry } from "./ledger.js";
import type { LockRequest } from "./poll-lock.js";
import { renderBothWays } from "../migrations/replay.js";
import { type Direction, type Step, toSteps } from "./plan.js";

export interface MigrationRun {
  id: string;
  name: string;
  durationMs: number;
}

/** A migration rendered for one run: its steps and, aligned with them, the steps that undo each. */
export interface RenderedMigration {
  readonly migration: Migration;
  readonly checksum: string;
  readonly up: readonly Step[];
  readonly undo: readonly Step[];
}

/** Renders a migration both ways before anything runs, so that a rendering error changes nothing. */
export function renderForRun(renderer: DialectRenderer, session: MigrationSession, migration: Migration, checksum: string, before: SchemaModel): RenderedMigration {
  const { up, undo } = renderBothWays(renderer, migration, before);
  return {
    migration,
    checksum,
    up: toSteps(session.applyMode, migration.up, up),
    undo: toSteps(session.applyMode, migration.up.map(inverseOperation), undo),
  };
}

/** Sends statements on one connection: as one query where the dialect takes several at once. */
export async function executeStatements(session: MigrationSession, conn: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  if (statements.length === 0) return;
  if (session.supportsMultipleStatements && !session.executeStatement) {
    await sql.raw(statements.join(";\n")).execute(conn);
    return;
  }
  for (const statement of statements) {
    try {
      if (session.executeStatement) await session.executeStatement(conn, statement);
      else await sql.raw(statement).execute(conn);
    } catch (error) {
      throw Object.assign(error as object, { statement });
    }
  }
}

const failedStatement = (error: unknown) => (error as { statement?: string }).statement;

/**
 * Where a migration runs: the connection of the run, and, where the session holds its lock per
 * transaction, the lock each transaction takes.
 */
export interface RunContext {
  readonly conn: Kysely<unknown>;
  /** Set where the session's lock is taken per transaction (`lockScope: "transaction"`). */
  readonly lock: LockRequest | undefined;
}

/**
 * Applies or reverts one migration, as the session's apply mode allows, and keeps the ledger in
 * step. `beginning` is called once it is certain to run. Returns how long it took, or undefined when
 * another run did it meanwhile (found under the lock of its transaction).
 */
export async function applyMigration(
  session: MigrationSession,
  ledger: Ledger,
  context: RunContext,
  rendered: RenderedMigration,
  direction: Direction,
  entry: LedgerEntry | undefined,
  beginning: () => void,
): Promise<number | undefined> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { conn } = context;
  if (session.applyMode === "transactional") {
    const id = rendered.migration.id;
    const ran = await executeAndRecord(session, context, id, wholeStatements(rendered, direction), (target) => recordWhole(ledger, target, rendered, direction, elapsed), {
      // Indexes built concurrently cannot be built in a transaction, nor share a query string
      // (PostgreSQL runs several statements of one query as one transaction): each statement runs
      // on its own, and the ledger row is written once all are done. The renderer drops a leftover
      // of a failed build (an INVALID index) before building, so running the migration again is safe.
      atomic: !(rendered.migration.buildsIndexesConcurrently && session.concurrentIndexes),
      // Another run may have applied (or reverted) it since this run read the ledger.
      stillNeeded: async (target) => (await ledger.has(target, id)) === (direction === "down"),
      beginning,
    });
    return ran ? elapsed() : undefined;
  }
  beginning();
  if (direction === "up") await new StepRunner(session, ledger, conn, rendered).up(entry, elapsed);
  else await new StepRunner(session, ledger, conn, rendered).down(entry!);
  return elapsed();
}

/** Every statement of a migration in one direction, in the order they run. */
function wholeStatements(rendered: RenderedMigration, direction: Direction): string[] {
  return (direction === "up" ? rendered.up : [...rendered.undo].reverse()).flatMap((s) => s.statements);
}

/** The ledger after a whole migration: its row written (up) or removed (down). */
async function recordWhole(ledger: Ledger, conn: Kysely<unknown>, rendered: RenderedMigration, direction: Direction, elapsed: () => number): Promise<void> {
  const { migration } = rendered;
  if (direction === "up") {
    await ledger.insert(conn, { id: migration.id, name: migration.name, checksum: rendered.checksum, durationMs: elapsed(), stepsApplied: null });
  } else {
    await ledger.remove(conn, migration.id);
  }
}

export interface ExecuteOptions {
  /** In one transaction (where the session has them); otherwise statement by statement, each on its own. */
  readonly atomic: boolean;
  /** Asked under the lock, before anything runs: false when another run has done the work meanwhile. */
  readonly stillNeeded?: (conn: Kysely<unknown>) => Promise<boolean>;
  /** Called once the work is certain to run (under the lock, after `stillNeeded`). */
  readonly beginning?: () => void;
}

/**
 * Runs a migration's statements, then `record` (its ledger write): in one transaction where `atomic`
 * and the session has them, otherwise one after the other on the connection. Where the session's
 * lock lives in each transaction, the transaction takes it; work that cannot be in a transaction
 * takes the session's lock around it instead. A failure comes out typed and naming the migration.
 * Returns false when `stillNeeded` said the work was done already.
 */
export async function executeAndRecord(
  session: MigrationSession,
  context: RunContext,
  migrationId: string,
  statements: readonly string[],
  record: (conn: Kysely<unknown>) => Promise<void>,
  options: ExecuteOptions,
): Promise<boolean> {
  const work = async (target: Kysely<unknown>) => {
    if (options.stillNeeded && !(await options.stillNeeded(target))) return false;
    options.beginning?.();
    if (options.atomic) await executeStatements(session, target, statements);
    else for (const statement of statements) await executeStatements(session, target, [statement]);
    await record(target);
    return true;
  };
  const { conn, lock } = context;
  try {
    if (options.atomic && session.applyMode === "transactional") return await session.atomically(conn, work, lock);
    if (!lock) return await work(conn);
    await session.acquireLock(conn, lock.timeoutMs, lock.onWait);
    try {
      return await work(conn);
    } finally {
      await session.releaseLock(conn).catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof MigrateError) throw error;
    throw session.translateError(error) ?? new MigrationFailedError(migrationId, error, { statement: failedStatement(error) });
  }
}

/**
 * Where each statement commits on its own, the ledger row says how many of the migration's steps
 * are in effect, updated after every statement. A run that stops between a statement and that
 * update leaves the row one step behind; the next run asks the session whether the step at the
 * boundary took effect ({@link reconcile}) before it goes on, so no statement runs twice.
 */
class StepRunner {
  readonly #id: string;
  readonly #total: number;
  #inEffect = 0;

  constructor(
    private readonly session: PerStatementSession,
    private readonly ledger: Ledger,
    private readonly conn: Kysely<unknown>,
    private readonly rendered: RenderedMigration,
  ) {
    this.#id = rendered.migration.id;
    this.#total = rendered.up.length;
  }

  async up(entry: LedgerEntry | undefined, elapsed: () => number): Promise<void> {
    const { migration, checksum } = this.rendered;
    if (entry) {
      await this.#resumeFrom(entry);
    } else {
      // Written before the first statement, so a run killed at any point leaves a trace.
      await this.ledger.insert(this.conn, { id: migration.id, name: migration.name, checksum, durationMs: 0, stepsApplied: 0 });
    }
    try {
      while (this.#inEffect < this.#total) {
        await executeStatements(this.session, this.conn, this.rendered.up[this.#inEffect]!.statements);
        this.#inEffect++;
        await this.ledger.setStepsApplied(this.conn, this.#id, this.#inEffect);
      }
    } catch (error) {
      throw await this.#failed(error, async () => {
        // Undo what is in effect, so that a failed migration leaves the database as it found it,
        // as on dialects with transactional DDL. If that fails too, the ledger still says how far it got.
        await this.#revertTo(0);
        await this.ledger.remove(this.conn, this.#id);
      });
    }
    await this.ledger.complete(this.conn, this.#id, elapsed());
  }

  async down(entry: LedgerEntry): Promise<void> {
    if (entry.stepsApplied === null) {
      this.#inEffect = this.#total;
      await this.ledger.setStepsApplied(this.conn, this.#id, this.#total);
    } else {
      await this.#resumeFrom(entry);
    }
    try {
      await this.#revertTo(0);
    } catch (error) {
      throw await this.#failed(error);
    }
    await this.ledger.remove(this.conn, this.#id);
  }

  async #resumeFrom(entry: LedgerEntry): Promise<void> {
    const recorded = entry.stepsApplied ?? this.#total;
    this.#inEffect = await this.#reconcile(recorded);
    if (this.#inEffect !== recorded) await this.ledger.setStepsApplied(this.conn, this.#id, this.#inEffect);
  }

  /**
   * The steps in effect, from the count recorded: one more if the step after it took effect (a run
   * that applied stopped before recording it), one fewer if the step before it is gone (a run that
   * reverted stopped before recording it). Only steps that execute a statement can be in that gap.
   */
  async #reconcile(recorded: number): Promise<number> {
    const next = this.rendered.up[recorded];
    if (next && next.statements.length > 0 && (await this.session.isInEffect(this.conn, next.operation))) return recorded + 1;
    const last = this.rendered.up[recorded - 1];
    if (last && last.statements.length > 0 && !(await this.session.isInEffect(this.conn, last.operation))) return recorded - 1;
    return recorded;
  }

  async #revertTo(target: number): Promise<void> {
    while (this.#inEffect > target) {
      await executeStatements(this.session, this.conn, this.rendered.undo[this.#inEffect - 1]!.statements);
      this.#inEffect--;
      await this.ledger.setStepsApplied(this.conn, this.#id, this.#inEffect);
    }
  }

  /** The error to throw: typed access errors as they are, anything else naming the migration and what is left of it. */
  async #failed(error: unknown, cleanUp?: () => Promise<void>): Promise<Error> {
    if (cleanUp) {
      try {
        await cleanUp();
      } catch {
        // Reported below through what is still in effect.
      }
    }
    const partial = this.#inEffect > 0 ? { stepsApplied: this.#inEffect, steps: this.#total } : undefined;
    return (
      (partial ? undefined : this.session.translateError(error)) ??
      new MigrationFailedError(this.#id, error, { statement: failedStatement(error), ...(partial ? { partial } : {}) })
    );
  }
}
