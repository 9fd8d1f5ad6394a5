import type { DialectRenderer } from "../dialect/renderer.js";
import type { MigrationSession } from "../dialect/session.js";
import type { Migration } from "../migrations/operations.js";
import { modelsBefore, renderBothWays } from "../migrations/replay.js";
import { describeDrop, dropsOf } from "./data-loss.js";
import { ledgerTable } from "./ledger.js";
import type { Direction, Plan } from "./plan.js";

/** One migration in one direction as a file of SQL that applies on its own and records itself in the ledger. */
export interface SqlFile {
  /**
   * `up/001_0001_core_tables.sql`, `down/001_0002_organization_tables.sql`: within each folder the
   * files sort in the order they apply (downs newest first), whatever the migration ids are.
   */
  readonly name: string;
  readonly migrationId: string;
  readonly direction: Direction;
  readonly sql: string;
}

/** Prose in a `--` comment must stay on its line: a newline would turn the rest into live SQL. */
const oneLine = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, " ");

/**
 * The files of SQL export: the same statements the runner executes, and the same ledger rows and
 * checksums it writes, so that a database built from the files is up to date for `status` and
 * clean for `check`. Where DDL is transactional each file is one transaction; where it is not
 * (MySQL) the file records its progress after each statement exactly as the runner does, so a run
 * of the file that stops part way is finished by `up`.
 */
export function sqlFiles(renderer: DialectRenderer, session: MigrationSession, migrations: readonly Migration[], plan: Plan): SqlFile[] {
  const before = modelsBefore(migrations);
  const rendered = new Map(migrations.map((m) => [m.id, renderBothWays(renderer, m, before.get(m.id)!)]));
  const { applyMode } = session;
  const concurrentIndexes = session.applyMode === "transactional" && session.concurrentIndexes === true;
  const ledger = renderer.tableName(ledgerTable.name);
  const column = renderer.quoteIdentifier;
  const text = (value: string) => renderer.quoteLiteral(value);
  const whereId = (id: string) => `WHERE ${column("id")} = ${text(id)}`;
  const setSteps = (id: string, steps: number | null) => `UPDATE ${ledger} SET ${column("steps_applied")} = ${steps ?? "NULL"} ${whereId(id)}`;
  const transactional = applyMode === "transactional";
  const width = String(migrations.length).length < 3 ? 3 : String(migrations.length).length;
  const number = (n: number) => String(n).padStart(width, "0");

  function file(direction: Direction, position: number, migration: Migration, body: readonly string[]): SqlFile {
    const drops = direction === "down" ? dropsOf(migration) : [];
    const header = [
      `-- better-auth-migrate: ${migration.id} (${direction}): ${oneLine(migration.name)}`,
      `-- checksum ${plan.checksumOf(migration.id)}; records itself in ${ledgerTable.name}.`,
      ...(drops.length > 0 ? [`-- DATA LOSS: drops ${drops.map(describeDrop).join(", ")}: what they hold is lost. Back it up first.`] : []),
    ];
    // Indexes built concurrently cannot be in a transaction block; they use no function or operator
    // the session's search_path could stand in for, so they need no preamble either.
    const statements = migration.buildsIndexesConcurrently && concurrentIndexes
      ? body
      : transactional
        ? ["BEGIN", ...renderer.filePreamble(), ...body, "COMMIT"]
        : [...renderer.filePreamble(), ...body];
    return {
      name: `${direction}/${number(position)}_${migration.id}.sql`,
      migrationId: migration.id,
      direction,
      sql: `${header.join("\n")}\n${statements.map((s) => `${s};\n`).join("")}`,
    };
  }

  const ups = migrations.map((migration, i) => {
    const steps = rendered.get(migration.id)!.up;
    const columns = ["id", "name", "checksum", "duration_ms", ...(transactional ? [] : ["steps_applied"])];
    const values = [text(migration.id), text(migration.name), text(plan.checksumOf(migration.id)), "0", ...(transactional ? [] : ["0"])];
    const record = `INSERT INTO ${ledger} (${columns.map(column).join(", ")}) VALUES (${values.join(", ")})`;
    const body = transactional
      ? [...steps.flat(), record]
      : [record, ...steps.flatMap((statements, step) => [...statements, setSteps(migration.id, step + 1)]), setSteps(migration.id, null)];
    return file("up", i + 1, migration, [...renderer.createTableIfMissing(ledgerTable), ...body]);
  });

  const downs = [...migrations].reverse().map((migration, i) => {
    const undo = rendered.get(migration.id)!.undo;
    const forget = `DELETE FROM ${ledger} ${whereId(migration.id)}`;
    const body = transactional
      ? [...[...undo].reverse().flat(), forget]
      : [setSteps(migration.id, undo.length), ...[...undo.keys()].reverse().flatMap((step) => [...undo[step]!, setSteps(migration.id, step)]), forget];
    return file("down", i + 1, migration, body);
  });
  return [...ups, ...downs];
}
