import type { Extension, Migrator, ResolvedSchema } from "@better-auth/migrate-core";
import type { Kysely, RawBuilder } from "kysely";

/**
 * What a dialect gives the shared suites: fresh databases and a few capabilities the suites
 * cannot express through Kysely. Differences between dialects are declared here, never forked
 * into copies of a test.
 */
export interface AdapterHarness {
  /** For test names, e.g. "PostgreSQL 17". */
  readonly name: string;
  createDatabase(): Promise<HarnessDatabase>;
  /** SPEC §1's hand-made databases and drift, written in this dialect's SQL (see {@link HandMadeFixtures}). */
  readonly fixtures: HandMadeFixtures;
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
    /** How the driver reads a boolean column back: true/false (PostgreSQL) or 1/0 (MySQL's TINYINT(1), SQLite). */
    readonly booleansAs: "boolean" | "integer";
    /**
     * An expression that reads a json column as its JSON text, to compare what is stored rather
     * than what the driver makes of it (mysql2 parses MariaDB's JSON, reviving big numbers as text):
     * `col::text`, `CAST(col AS CHAR)`, SQLite's column itself.
     */
    jsonText(column: string): RawBuilder<string>;
    /** What the driver's error says when a row breaks a CHECK constraint. */
    readonly checkViolation: RegExp;
    /** The name the catalog gives a table's primary key index: `<table>_pkey`, MySQL's PRIMARY, SQLite's own `sqlite_autoindex_<table>_1`. */
    primaryKeyIndexName(table: string): string;
    /**
     * Text this dialect's quoting refuses on purpose in comments, defaults and names written as
     * literals, with an UNSUPPORTED_BY_DIALECT error matching `message` before anything runs (MySQL:
     * backslashes, read according to sql_mode, and characters beyond U+FFFF, which its utf8mb3
     * catalog cannot hold). Absent where any such text can be written as a literal.
     */
    readonly refusedInLiterals?: { readonly test: (text: string) => boolean; readonly message: RegExp };
  };
}

export interface MigratorOptions {
  extensions?: readonly Extension[];
  lockTimeoutMs?: number;
  ownObjects?: readonly string[];
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
  /**
   * `catalog` without what concerns `table` (its columns, indexes, constraints, triggers, comment):
   * equal to the catalog before a migration that only creates `table`.
   */
  withoutTable(catalog: unknown, table: string): unknown;
  /** The names of the indexes (the primary key's included) and triggers the catalog holds on `table`. */
  objectNames(table: string): Promise<string[]>;
  /**
   * The comment on `table` as the database keeps it, "" when there is none: PostgreSQL's
   * obj_description (which stores an empty comment as none), MySQL's table_comment, on SQLite the
   * `-- comment` line written as the second line of the CREATE TABLE text in sqlite_schema.
   */
  tableComment(table: string): Promise<string>;
  /** A runner over {@link kysely} for `schema` as given, without the checks createMigrator makes on extensions. */
  createRunner(schema: ResolvedSchema): Migrator;
  /** Runs each statement, in order, as the login the migrations run as. */
  execute(statements: readonly string[]): Promise<void>;
  /**
   * Applies an SQL file with the dialect's own command-line client, as a user would:
   * `psql -v ON_ERROR_STOP=1 -f FILE`, `mariadb DB < FILE`, `sqlite3 DB < FILE`. Rejects when the client fails.
   */
  applySqlFile(path: string): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Databases made by hand, as a README's `psql -f 001_initial.sql` or an sqlx migration would make
 * them, in this dialect's SQL. Every list is run in order, one statement at a time, as the login
 * the migrations run as ({@link HarnessDatabase.execute}).
 */
export interface HandMadeFixtures {
  /**
   * users, sessions and accounts as hand-made scripts write them: the columns of SPEC §3 with types
   * the model accepts, plus the quirks of issue 12 the dialect can have (their own updated_at trigger
   * under another name, their own cleanup function and active_sessions view, extra indexes, one
   * repeating a unique key's columns, comments worded differently, another tool's ledger table).
   */
  readonly core: readonly string[];
  /** organization, member and invitation, hand-made the same way. */
  readonly organization: readonly string[];
  /** Rows for the core tables: at least two users with accounts, and three sessions (one live, one expired, one inactive). */
  readonly coreRows: readonly string[];
  /** Rows for the organization tables. */
  readonly organizationRows: readonly string[];
  /**
   * The triggers (`table.name`) and routines (`name`) of theirs that `core` and `organization`
   * create, as an application adopting such a database marks them (`ownObjects`): without that,
   * `check` reports each one.
   */
  readonly ownObjects: readonly string[];
  /**
   * Each, run after `core`, makes one data-holding object differ from the model: users lacks a
   * column; a column has another type; a foreign key is missing. `finding` is what `check` reports.
   */
  readonly breakages: readonly { readonly name: string; readonly statements: readonly string[]; readonly finding: { kind: string; object: string; name?: string } }[];
  /**
   * Each, run on a freshly migrated database, is one drift `check` must report: an extra index, a
   * dropped updated_at trigger (on MySQL: the ON UPDATE removed), an edited view, an altered default.
   */
  readonly drift: readonly { readonly name: string; readonly statements: readonly string[]; readonly finding: { kind: string; object: string; name?: string; severity: "error" | "warning" } }[];
}
