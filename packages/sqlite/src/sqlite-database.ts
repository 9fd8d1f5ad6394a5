import { existsSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { SqliteAdapter } from "./sqlite-adapter.js";
import { parseSqliteUrl } from "./sqlite-url.js";

export interface DatabaseOptions {
  /** `sqlite:./auth.db`, `file:auth.db` or a path. */
  url: string;
}

/** Creates an empty SQLite file at the URL's path, unless one exists. */
export async function createDatabase(options: DatabaseOptions): Promise<{ database: string; created: boolean }> {
  const { filename } = parseSqliteUrl(options.url);
  if (filename === ":memory:" || existsSync(filename)) return { database: filename, created: false };
  try {
    // Writing the schema version makes SQLite write the file's header, so the file is a database.
    const database = new Database(filename);
    database.pragma("user_version = 0");
    database.close();
  } catch (error) {
    throw new SqliteAdapter(filename).translateError(error) ?? error;
  }
  return { database: filename, created: true };
}

/** Deletes the SQLite file at the URL's path, with its journal and WAL files, if it exists. */
export async function dropDatabase(options: DatabaseOptions): Promise<{ database: string; dropped: boolean }> {
  const { filename } = parseSqliteUrl(options.url);
  if (filename === ":memory:" || !existsSync(filename)) return { database: filename, dropped: false };
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(filename + suffix, { force: true });
  return { database: filename, dropped: true };
}
