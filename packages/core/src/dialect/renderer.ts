import type { Operation } from "../migrations/operations.js";
import type { SchemaSnapshot } from "../model/snapshot.js";
import type { Routine, Table, View } from "../model/types.js";

/** The model as a whole: what every migration together builds. */
export interface SchemaModel {
  readonly tables: readonly Table[];
  readonly views: readonly View[];
  readonly routines: readonly Routine[];
}

/**
 * Turns neutral operations into one dialect's SQL. Pure: no connection, no state that depends on a
 * database, the same text for the same input. `up`, `down`, `sql()` and SQL export all render
 * through it, so what a file holds is what the runner executes.
 */
export interface DialectRenderer {
  /**
   * The SQL statements of one operation, without trailing semicolons. May be empty when the dialect
   * needs nothing for it (MySQL and SQLite have no stored routines). Throws a {@link MigrateError}
   * when the dialect cannot express the operation; the runner renders every pending migration before
   * it executes anything, so such an error changes nothing.
   *
   * `before` is the model as it stands just before the operation (every earlier operation applied):
   * what a dialect needs to rebuild a table it cannot alter in place, or the views over a column
   * whose type changes.
   */
  render(operation: Operation, before: SchemaModel): string[];
  /**
   * The model as this dialect builds it, in the normal form its introspector reports, so that core
   * can compare the two without knowing the dialect.
   */
  describe(model: SchemaModel): SchemaSnapshot;
  /**
   * For an operation whose data-holding objects already exist (a database made by hand, adopted by
   * `baseline` or `up`): the statements that bring what holds no data to the managed definition,
   * given what the database holds: missing indexes, the updated_at triggers, views, routines and
   * comments. Never drops or changes a table, column or key.
   */
  reconcile(operation: Operation, live: SchemaSnapshot): string[];
  /**
   * What each SQL file sets first for its session (inside its transaction, where there is one), so
   * that a client's own settings cannot change what the file means: the search_path on PostgreSQL,
   * the character set, sql_mode and time zone on MySQL.
   */
  filePreamble(): string[];
  /** `CREATE TABLE IF NOT EXISTS` for the ledger in SQL files (and its schema, where there is one). */
  createTableIfMissing(table: Table): string[];
  /** A table's name as it appears in SQL: quoted, and qualified with the schema where there is one. */
  tableName(name: string): string;
  quoteIdentifier(name: string): string;
  quoteLiteral(value: string): string;
}
