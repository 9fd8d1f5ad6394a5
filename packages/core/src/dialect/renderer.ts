import type { Operation } from "../migrations/operations.js";

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
   */
  render(operation: Operation): string[];
}
