import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from "node:fs";
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
  const walMode = readHeader(filename, 20)[18] === 2;
  rmSync(filename, { force: true });
  // Files beside it are deleted only when they are this database's: a rollback journal or a WAL
  // file by their own headers, the shared-memory index only beside a database in WAL mode.
  const companions: [string, (path: string) => boolean][] = [
    ["-journal", (path) => startsWith(path, JOURNAL_MAGIC)],
    ["-wal", (path) => startsWith(path, WAL_MAGIC_BE) || startsWith(path, WAL_MAGIC_LE)],
    ["-shm", () => walMode],
  ];
  for (const [suffix, belongs] of companions) {
    const path = filename + suffix;
    if (existsSync(path) && (fileIsEmpty(path) || belongs(path))) rmSync(path, { force: true });
  }
  return { database: filename, dropped: true };
}

/** The first bytes of a rollback journal, and of a WAL file (big- or little-endian checksums). */
const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);
const WAL_MAGIC_BE = Buffer.from([0x37, 0x7f, 0x06, 0x83]);
const WAL_MAGIC_LE = Buffer.from([0x37, 0x7f, 0x06, 0x82]);

function readHeader(path: string, length: number): Buffer {
  const header = Buffer.alloc(length);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, length, 0);
  } finally {
    closeSync(fd);
  }
  return header;
}

const fileIsEmpty = (path: string) => statSync(path).size === 0;
const startsWith = (path: string, magic: Buffer) => readHeader(path, magic.length).equals(magic);

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
