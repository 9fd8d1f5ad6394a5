import { closeSync, existsSync, openSync, readSync, rmSync } from "node:fs";
import { MigrateError } from "@better-auth/migrate-core";
import Database from "better-sqlite3";
import { sqliteDialect } from "./sqlite-adapter.js";
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
    throw sqliteDialect(filename).session.translateError(error) ?? error;
  }
  return { database: filename, created: true };
}

/** Deletes the SQLite file at the URL's path, with its journal and WAL files, if it exists. */
export async function dropDatabase(options: DatabaseOptions): Promise<{ database: string; dropped: boolean }> {
  const { filename } = parseSqliteUrl(options.url);
  if (filename === ":memory:" || !existsSync(filename)) return { database: filename, dropped: false };
  if (!isSqliteFile(filename)) {
    throw new MigrateError("NOT_A_DATABASE", `${filename} is not an SQLite database; it was left alone.`, {
      hint: "Check the URL: db drop deletes only SQLite files (or empty ones).",
    });
  }
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(filename + suffix, { force: true });
  return { database: filename, dropped: true };
}

/** An empty file, or one that starts with SQLite's header: the only files db drop may delete. */
function isSqliteFile(filename: string): boolean {
  const header = Buffer.alloc(16);
  const fd = openSync(filename, "r");
  try {
    const read = readSync(fd, header, 0, 16, 0);
    return read === 0 || header.toString("latin1") === "SQLite format 3\0";
  } finally {
    closeSync(fd);
  }
}
