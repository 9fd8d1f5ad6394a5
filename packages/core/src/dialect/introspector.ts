import type { Kysely } from "kysely";
import type { SchemaSnapshot } from "../model/snapshot.js";

/**
 * Reads what the database holds into the neutral {@link SchemaSnapshot}: every table, view and
 * routine of the schema the migrator works in, in the same normal form as the renderer's
 * `describe`. Read-only: it never changes the database.
 */
export interface SchemaIntrospector {
  introspect(db: Kysely<unknown>): Promise<SchemaSnapshot>;
  /**
   * The tables of the schema with their column names, and nothing else: one cheap catalog query
   * that takes no lock on the tables, so that `up` on a database without hand-made tables (the
   * usual case) needs no full introspection.
   */
  columns(db: Kysely<unknown>): Promise<ReadonlyMap<string, readonly string[]>>;
}
