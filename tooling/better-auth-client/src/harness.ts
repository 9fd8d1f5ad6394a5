import type { Extension, UpResult } from "@better-auth/migrate-core";
import type { BetterAuthOptions } from "better-auth";
import type { Kysely } from "kysely";

/**
 * What a dialect gives the shared Better Auth flows: empty databases, our migrator on them, and the
 * database handle Better Auth is documented to take. Differences between dialects are declared
 * here, never forked into copies of a test.
 */
export interface ClientHarness {
  /** For test names, e.g. "PostgreSQL 17". */
  readonly name: string;
  /** The migrator takes `ids: "uuid"` (PostgreSQL): the native-UUID flows run too. */
  readonly uuidIds: boolean;
  readonly traits: {
    /** How the driver takes an instant to write: ISO-8601 text (pg, better-sqlite3) or a Date (mysql2, which sends it as UTC). */
    readonly timestampsAs: "isoText" | "date";
    /** How the driver takes a boolean to write: true/false (pg, mysql2) or 1/0 (better-sqlite3 binds no booleans). */
    readonly booleansAs: "boolean" | "integer";
    /**
     * Warnings Better Auth's planner (`getMigrations`) gives on this dialect for differences our
     * schema has on purpose, each explained where the harness lists it; any other warning fails.
     */
    readonly knownPlannerWarnings: readonly RegExp[];
  };
  createDatabase(): Promise<ClientDatabase>;
}

export interface MigrateOptions {
  readonly extensions?: readonly Extension[];
  /** Only where {@link ClientHarness.uuidIds}: the migrator's `ids: "uuid"`. */
  readonly ids?: "uuid";
}

export interface ClientDatabase {
  /** `createMigrator({ url, ...options }).up()` with a migrator of its own, closed afterwards. */
  migrate(options?: MigrateOptions): Promise<UpResult>;
  /**
   * What Better Auth gets as its `database` option, opened as Better Auth documents it (a pg Pool,
   * a mysql2 pool, a better-sqlite3 Database) with the session settings our README asks for.
   * The same handle every time; closed by {@link drop}.
   */
  readonly betterAuthDatabase: BetterAuthOptions["database"];
  /** Another connection, for seeding rows and reading what Better Auth wrote. */
  readonly kysely: Kysely<any>;
  drop(): Promise<void>;
}
