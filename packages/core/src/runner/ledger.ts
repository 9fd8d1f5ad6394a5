import type { ColumnType, Kysely } from "kysely";
import { emptyModel } from "../migrations/replay.js";
import type { DialectRenderer } from "../dialect/renderer.js";
import type { LedgerAccess, MigrationSession } from "../dialect/session.js";
import { MigrateError } from "../errors.js";
import { defineTable, now } from "../model/define-table.js";

/**
 * The table in the target database that records each applied migration. Columns are only ever
 * added (nullable, so rows written by older releases stay valid): the runner adds the missing ones
 * under the lock before it writes.
 */
export const ledgerTable = defineTable({
  name: "better_auth_migrations",
  comment: "Migrations applied by better-auth-migrate. Do not edit by hand.",
  columns: {
    id: { type: "string", primaryKey: true },
    name: { type: "text" },
    checksum: { type: "string" },
    applied_at: { type: "timestamp", default: now() },
    duration_ms: { type: "integer" },
    // Null once the whole migration is in effect. While a per-statement run (MySQL) is under way,
    // or after it stopped part way, the number of the migration's operations in effect.
    steps_applied: { type: "integer", nullable: true },
    // True when `baseline` (or `up` adopting a hand-made database) recorded the migration because its
    // tables already existed, rather than running it.
    baselined: { type: "boolean", nullable: true },
  },
});

/** Columns without which a table of the ledger's name is not a ledger of ours. */
const REQUIRED_COLUMNS = ["id", "name", "checksum", "applied_at"];

const LEDGER = ledgerTable.name;

interface LedgerDatabase {
  better_auth_migrations: {
    id: string;
    name: string;
    checksum: string;
    /** Filled by the database; drivers return a Date, a string or a number depending on the dialect. */
    applied_at: ColumnType<unknown, never, never>;
    duration_ms: number;
    steps_applied: number | null;
    /** Written as 1: every driver binds a number, not every one a boolean (better-sqlite3). */
    baselined: boolean | number | null;
  };
}

/** One row of the ledger, as read back. */
export interface LedgerEntry {
  id: string;
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
  /** Null when the whole migration is applied; otherwise how many of its operations are in effect. */
  stepsApplied: number | null;
  /** Recorded by `baseline` (the tables existed already), not run. */
  baselined: boolean;
}

/** What the runner writes when it records a migration. */
export interface LedgerRow {
  id: string;
  name: string;
  checksum: string;
  durationMs: number;
  stepsApplied: number | null;
  baselined?: boolean;
}

/** A table named like the ledger but without its columns belongs to someone else: never write to it. */
function assertOurs(columns: readonly string[]): void {
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new MigrateError("FOREIGN_LEDGER", `The table ${LEDGER} exists but is not a better-auth-migrate ledger (it lacks ${missing.join(", ")}).`, {
      hint: `Rename or drop that table if it belongs to another tool; better-auth-migrate needs the name ${LEDGER}.`,
    });
  }
}

/** Reads and writes the ledger through the session's schema, by column name. */
export class Ledger {
  constructor(
    private readonly session: MigrationSession,
    private readonly renderer: DialectRenderer,
  ) {}

  private table(conn: Kysely<unknown>) {
    const typed = conn as unknown as Kysely<LedgerDatabase>;
    return this.session.schema ? typed.withSchema(this.session.schema) : typed;
  }

  /** Every row; `[]` when the ledger does not exist. Never creates anything. */
  async read(conn: Kysely<unknown>, access: LedgerAccess = "write"): Promise<LedgerEntry[]> {
    const columns = await this.session.ledgerColumns(conn, access);
    if (columns === undefined) return [];
    assertOurs(columns);
    return this.readExisting(conn);
  }

  /**
   * Every row of a ledger known to exist. All columns are selected, so that a ledger an older
   * release created (without the newest columns) can be read before it is upgraded.
   */
  async readExisting(conn: Kysely<unknown>): Promise<LedgerEntry[]> {
    const rows = (await this.table(conn).selectFrom(LEDGER).selectAll().execute()) as Array<Partial<Record<string, unknown>>>;
    const entries = rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      checksum: String(r.checksum),
      appliedAt: this.session.readTimestamp(r.applied_at),
      durationMs: Number(r.duration_ms),
      stepsApplied: r.steps_applied === null || r.steps_applied === undefined ? null : Number(r.steps_applied),
      baselined: Boolean(r.baselined),
    }));
    // Where a migration and its ledger row commit together, no run ever leaves a row partly
    // applied: such a row was written by hand, and neither "up finishes it" nor "nothing to apply"
    // would be true. Every call stops on it and says how to settle it.
    const partial = this.session.applyMode === "transactional" ? entries.find((e) => e.stepsApplied !== null) : undefined;
    if (partial) {
      throw new MigrateError("FOREIGN_LEDGER", `The ledger says migration ${partial.id} is partly applied (steps_applied = ${partial.stepsApplied}), which this database's runs never record: the row was edited by hand or by another tool.`, {
        hint: `If ${partial.id} is in effect, set steps_applied to NULL in its row of ${LEDGER}; if nothing of it exists, delete its row and run up.`,
      });
    }
    return entries;
  }

  /** Creates the ledger, or adds the columns this release has and the database's ledger lacks. Under the lock. */
  async prepare(conn: Kysely<unknown>, execute: (statements: readonly string[]) => Promise<void>): Promise<void> {
    const existing = await this.session.ledgerColumns(conn);
    if (existing === undefined) {
      await this.session.createLedger(conn);
      return;
    }
    assertOurs(existing);
    const missing = ledgerTable.columns.filter((c) => !existing.includes(c.name));
    for (const column of missing) {
      // The ledger is not part of the model: it is added to with the model of nothing.
      await execute(this.renderer.render({ kind: "addColumn", table: LEDGER, column, constraints: {} }, emptyModel));
    }
  }

  /** Whether the ledger has a row for `id` (read in the caller's transaction, where it has one). */
  async has(conn: Kysely<unknown>, id: string): Promise<boolean> {
    const row = await this.table(conn).selectFrom(LEDGER).select("id").where("id", "=", id).executeTakeFirst();
    return row !== undefined;
  }

  async insert(conn: Kysely<unknown>, row: LedgerRow): Promise<void> {
    await this.table(conn)
      .insertInto(LEDGER)
      .values({
        id: row.id, name: row.name, checksum: row.checksum, duration_ms: row.durationMs, steps_applied: row.stepsApplied,
        ...(row.baselined ? { baselined: 1 } : {}),
      })
      .execute();
  }

  async setStepsApplied(conn: Kysely<unknown>, id: string, steps: number): Promise<void> {
    await this.table(conn).updateTable(LEDGER).set({ steps_applied: steps }).where("id", "=", id).execute();
  }

  /** Marks a migration applied whole. */
  async complete(conn: Kysely<unknown>, id: string, durationMs: number): Promise<void> {
    await this.table(conn).updateTable(LEDGER).set({ steps_applied: null, duration_ms: durationMs }).where("id", "=", id).execute();
  }

  async remove(conn: Kysely<unknown>, id: string): Promise<void> {
    await this.table(conn).deleteFrom(LEDGER).where("id", "=", id).execute();
  }
}
