import type { Extension, Migrator } from "@better-auth/migrate-core";
import type { Kysely } from "kysely";

/**
 * What a dialect gives the shared suites: fresh databases and a few capabilities the suites
 * cannot express through Kysely. Differences between dialects are declared here, never forked
 * into copies of a test.
 */
export interface AdapterHarness {
  /** For test names, e.g. "PostgreSQL 17". */
  readonly name: string;
  createDatabase(): Promise<HarnessDatabase>;
  readonly traits: {
    /**
     * An UPDATE that sets updated_at explicitly keeps that value (SQLite's trigger, MySQL's ON
     * UPDATE) rather than having it replaced by the current time (PostgreSQL's trigger).
     */
    readonly explicitUpdatedAtWins: boolean;
    /**
     * How the driver takes an instant to write: ISO-8601 text (PostgreSQL, SQLite, whose column
     * checks that spelling) or a Date (mysql2, which sends it as UTC; MySQL refuses the "Z" suffix).
     */
    readonly timestampsAs: "isoText" | "date";
  };
}

export interface MigratorOptions {
  extensions?: readonly Extension[];
  lockTimeoutMs?: number;
  /** Use this Kysely instance (on the same database) instead of opening a connection by URL. */
  db?: Kysely<any>;
}

export interface HarnessDatabase {
  createMigrator(options?: MigratorOptions): Migrator;
  /** A connection for test data and inspection (foreign keys enforced). */
  readonly kysely: Kysely<any>;
  /**
   * Takes the migration lock from another connection, as a concurrent run would; resolves to the
   * function that releases it.
   */
  holdMigrationLock(): Promise<() => Promise<void>>;
  /** Everything the migrations create, as comparable data (tables, columns, indexes, triggers, views…). */
  catalog(): Promise<unknown>;
  drop(): Promise<void>;
}
