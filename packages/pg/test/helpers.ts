import { createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { createMigrator, type PostgresMigratorOptions } from "../src/index.js";

/** The rows of one query on an open connection. */
export async function rows<R extends pg.QueryResultRow>(client: pg.Client, text: string, values: unknown[] = []): Promise<R[]> {
  return (await client.query<R>(text, values)).rows;
}

/** Runs one query as the database owner on a short-lived connection. */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Everything a migration can create in a schema, as comparable data: columns, constraints,
 * indexes, triggers, functions, views and comments.
 */
export type CatalogSnapshot = Record<"columns" | "constraints" | "indexes" | "triggers" | "functions" | "views" | "comments", pg.QueryResultRow[]>;

export async function catalogSnapshot(url: string, schema = "public"): Promise<CatalogSnapshot> {
  const q = (text: string) => query(url, text, [schema]);
  return {
    columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = $1 ORDER BY table_name, ordinal_position`),
    constraints: await q(`SELECT c.conrelid::regclass::text AS table_name, c.conname, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 ORDER BY 1, 2`),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2`),
    triggers: await q(`SELECT t.tgrelid::regclass::text AS table_name, t.tgname, pg_get_triggerdef(t.oid) AS definition
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1, 2`),
    functions: await q(`SELECT p.proname, pg_get_functiondef(p.oid) AS definition, obj_description(p.oid, 'pg_proc') AS comment
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY 1`),
    views: await q(`SELECT viewname, definition FROM pg_views WHERE schemaname = $1 ORDER BY 1`),
    comments: await q(`SELECT c.relname, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'v') ORDER BY 1`),
  };
}

/** Applies every migration to the database at `url` with a migrator of its own. */
export async function migrateUp(url: string, options: Omit<PostgresMigratorOptions, "url" | "pool" | "db"> = {}): Promise<void> {
  const migrator = createMigrator({ url, ...options });
  try {
    await migrator.up();
  } finally {
    await migrator.close();
  }
}

/** A fresh database with the schema applied, and an open connection to it as the owner role. */
export async function migratedDatabase(
  adminUrl: string,
  options: Omit<PostgresMigratorOptions, "url" | "pool" | "db"> = {},
): Promise<{ db: TestDatabase; client: pg.Client }> {
  const db = await createTestDatabase(adminUrl);
  await migrateUp(db.url, options);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return { db, client };
}
