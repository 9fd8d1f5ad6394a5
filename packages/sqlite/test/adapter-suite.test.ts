import { execFile } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AdapterHarness, adoptionSuite, behaviourSuite, compatSuite, inputsSuite, runnerSuite } from "@better-auth/adapter-suite";
import { createRunner } from "@better-auth/migrate-core";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { createMigrator, sqliteDialect } from "../src/index.js";
import { sqliteFixtures } from "./hand-made.js";

/** `sqlite3 DB < FILE`, as a user applies an exported file; rejects with the client's message. */
function applyWithClient(database: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = execFile("sqlite3", ["-bail", database], (error, _stdout, stderr) => (error ? reject(new Error(`sqlite3 ${file}: ${stderr || error.message}`)) : resolve()));
    createReadStream(file).pipe(client.stdin!);
  });
}

const sqliteHarness: AdapterHarness = {
  name: "SQLite",
  traits: {
    explicitUpdatedAtWins: true,
    timestampsAs: "isoText",
    booleansAs: "integer",
    // SQLite keeps JSON as its text.
    jsonText: (column) => sql<string>`${sql.ref(column)}`,
    checkViolation: /CHECK constraint failed/,
    // The primary key's own index is named by SQLite.
    primaryKeyIndexName: (table) => `sqlite_autoindex_${table}_1`,
  },
  fixtures: sqliteFixtures,
  async createDatabase() {
    const dir = mkdtempSync(join(tmpdir(), "ba-sqlite-"));
    const file = join(dir, "auth.db");
    const connection = new Database(file);
    connection.pragma("foreign_keys = ON");
    const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: connection }) });
    return {
      kysely,
      createMigrator: ({ db, ...options } = {}) => (db ? createMigrator({ db, ...options }) : createMigrator({ url: `sqlite:${file}`, ...options })),
      async holdMigrationLock() {
        const other = new Database(file);
        other.exec("BEGIN IMMEDIATE");
        return async () => {
          other.exec("ROLLBACK");
          other.close();
        };
      },
      async catalog() {
        return connection.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all();
      },
      withoutTable: (catalog, table) => (catalog as { tbl_name: string }[]).filter((row) => row.tbl_name !== table),
      async objectNames(table) {
        return (connection.prepare("SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') AND tbl_name = ?").all(table) as { name: string }[]).map((r) => r.name);
      },
      // SQLite keeps no comments: the renderer writes the table's as the second line of its CREATE TABLE text.
      async tableComment(table) {
        const { sql: created } = connection.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string };
        const line = created.split("\n")[1] ?? "";
        if (!line.startsWith("  -- ")) throw new Error(`The CREATE TABLE text of ${table} has no comment line: ${JSON.stringify(line)}`);
        return line.slice("  -- ".length);
      },
      createRunner: (schema) => createRunner(sqliteDialect(file), kysely, schema),
      // The file has one login: whoever may write it. Statements go one at a time, as the fixtures list them.
      async execute(statements) {
        for (const statement of statements) await sql.raw(statement).execute(kysely);
      },
      applySqlFile: (path) => applyWithClient(file, path),
      async drop() {
        await kysely.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

runnerSuite(sqliteHarness);
behaviourSuite(sqliteHarness);
adoptionSuite(sqliteHarness);
compatSuite(sqliteHarness);
inputsSuite(sqliteHarness);
