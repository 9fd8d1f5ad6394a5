import { type Kysely, sql } from "kysely";
import type { DialectRenderer, SchemaModel } from "../dialect/renderer.js";
import type { MigrationSession, PerStatementSession, TransactionalSession } from "../dialect/session.js";
import { MigrationFailedError } from "../errors.js";
import { inverseOperation, type Migration } from "../migrations/operations.js";
import type { Ledger, LedgerEntry } from "./ledger.js";
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
  if (session.supportsMultipleStatements) {
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

const failedStatement = (error: unknown) => (error as { statement?: string }).statement;

/**
 * Applies or reverts one migration on the connection that holds the lock, as the session's apply
 * mode allows, and keeps the ledger in step. Returns how long it took.
 */
export async function applyMigration(
  session: MigrationSession,
  ledger: Ledger,
  conn: Kysely<unknown>,
  rendered: RenderedMigration,
  direction: Direction,
  entry: LedgerEntry | undefined,
): Promise<number> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (session.applyMode === "transactional" && rendered.migration.buildsIndexesConcurrently && session.concurrentIndexes) {
    await applyOutsideTransaction(session, ledger, conn, rendered, direction, elapsed);
  } else if (session.applyMode === "transactional") {
    await applyInTransaction(session, ledger, conn, rendered, direction, elapsed);
  } else if (direction === "up") {
    await new StepRunner(session, ledger, conn, rendered).up(entry, elapsed);
  } else {
    await new StepRunner(session, ledger, conn, rendered).down(entry!);
  }
  return elapsed();
}

/** The whole migration and its ledger row in one transaction: applied whole or not at all. */
function applyInTransaction(
  session: TransactionalSession,
  ledger: Ledger,
  conn: Kysely<unknown>,
  rendered: RenderedMigration,
  direction: Direction,
  elapsed: () => number,
): Promise<void> {
  return executeAndRecord(session, conn, rendered.migration.id, wholeStatements(rendered, direction), (target) => recordWhole(ledger, target, rendered, direction, elapsed), { atomic: true });
}

/**
 * Indexes built concurrently cannot be built in a transaction, nor share a query string (PostgreSQL
 * runs several statements of one query as one transaction): each statement runs on its own, and the
 * ledger row is written once all are done. The renderer drops a leftover of a failed build (an
 * INVALID index) before building, so running the migration again is safe.
 */
function applyOutsideTransaction(
  session: TransactionalSession,
  ledger: Ledger,
  conn: Kysely<unknown>,
  rendered: RenderedMigration,
  direction: Direction,
  elapsed: () => number,
): Promise<void> {
  return executeAndRecord(session, conn, rendered.migration.id, wholeStatements(rendered, direction), (target) => recordWhole(ledger, target, rendered, direction, elapsed), {
    atomic: false,
    oneByOne: true,
  });
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

/**
 * Runs a migration's statements, then `record` (its ledger write): in one transaction where `atomic`
 * and the session has them, otherwise one after the other on the connection. A failure comes out
 * typed and naming the migration.
 */
export async function executeAndRecord(
  session: MigrationSession,
  conn: Kysely<unknown>,
  migrationId: string,
  statements: readonly string[],
  record: (conn: Kysely<unknown>) => Promise<void>,
  options: { atomic: boolean; oneByOne?: boolean },
): Promise<void> {
  const work = async (target: Kysely<unknown>) => {
    if (options.oneByOne) for (const statement of statements) await executeStatements(session, target, [statement]);
    else await executeStatements(session, target, statements);
    await record(target);
  };
  try {
    if (options.atomic && session.applyMode === "transactional") await session.atomically(conn, work);
    else await work(conn);
  } catch (error) {
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
