import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import { Kysely, MysqlDialect } from "kysely";
import mysql from "mysql2";
import { createMigrator, type MysqlMigratorOptions, SESSION_SETUP_SQL } from "../src/index.js";
import { LOCK_KEY_SETUP, LOCK_KEY_TABLE, LOCK_NAME_SQL } from "../src/mysql-adapter.js";
import { connectionOptions, setUpSession } from "../src/mysql-connection.js";

/** A Kysely instance as an application would open it: UTC sessions, strict mode (what the README asks). */
export function applicationKysely(url: string): Kysely<any> {
  const pool = mysql.createPool({ ...connectionOptions(url), connectionLimit: 3 });
  return new Kysely<any>({ dialect: new MysqlDialect({ pool, onCreateConnection: setUpSession }) });
}

/** One connection with the adapter's session settings, for tests that hold locks or inspect. */
export async function openConnection(url: string): Promise<mysql.Connection> {
  const connection = mysql.createConnection(connectionOptions(url));
  await connection.promise().query(SESSION_SETUP_SQL);
  return connection;
}

/** One connection holding the migration lock of the database at `url`, as a runner would (lock key first). */
export async function holdMigrationLock(url: string): Promise<mysql.Connection> {
  const connection = await openConnection(url);
  for (const statement of LOCK_KEY_SETUP) await connection.promise().query(statement);
  const [rows] = await connection.promise().query(`SELECT GET_LOCK(${LOCK_NAME_SQL}, 0) AS locked`);
  if (Number((rows as { locked: number }[])[0]?.locked) !== 1) throw new Error("The migration lock is held already.");
  return connection;
}

/** Applies every migration to the database at `url` with a migrator of its own. */
export async function migrateUp(url: string, options: Omit<MysqlMigratorOptions, "url" | "pool" | "db"> = {}): Promise<void> {
  const migrator = createMigrator({ url, ...options });
  try {
    await migrator.up();
  } finally {
    await migrator.close();
  }
}

/** A fresh database with the schema applied. */
export async function migratedDatabase(adminUrl: string): Promise<MysqlTestDatabase> {
  const db = await createMysqlTestDatabase(adminUrl);
  await migrateUp(db.url);
  return db;
}

/**
 * Everything a migration can create in a database, as comparable data from information_schema:
 * tables with their options, columns, indexes, constraints, foreign keys and views.
 */
export async function catalogSnapshot(db: MysqlTestDatabase): Promise<Record<string, unknown>> {
  // The lock key's table is the runner's own (made before the lock is taken, so also by a run that
  // then refuses): left out, as `check` leaves it out.
  const q = async (text: string) => ((await db.admin(text, [db.name])) as { table_name?: string; TABLE_NAME?: string }[]).filter((row) => (row.table_name ?? row.TABLE_NAME) !== LOCK_KEY_TABLE);
  return {
    tables: await q(`SELECT table_name, table_type, engine, table_collation, table_comment FROM information_schema.tables
      WHERE table_schema = ? ORDER BY table_name`),
    columns: await q(`SELECT table_name, column_name, column_type, is_nullable, column_default, extra, collation_name
      FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position`),
    indexes: await q(`SELECT table_name, index_name, non_unique, seq_in_index, column_name FROM information_schema.statistics
      WHERE table_schema = ? ORDER BY table_name, index_name, seq_in_index`),
    constraints: await q(`SELECT table_name, constraint_name, constraint_type FROM information_schema.table_constraints
      WHERE constraint_schema = ? ORDER BY table_name, constraint_name`),
    foreignKeys: await q(`SELECT r.table_name, r.constraint_name, r.referenced_table_name, r.delete_rule, r.update_rule
      FROM information_schema.referential_constraints r WHERE r.constraint_schema = ? ORDER BY 1, 2`),
    checks: await q(`SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints
      WHERE constraint_schema = ? ORDER BY 1, 2`),
    // The server writes the database's name into the view's text; left out, so databases compare.
    views: ((await q(`SELECT table_name, view_definition, security_type FROM information_schema.views WHERE table_schema = ? ORDER BY 1`)) as { view_definition: string }[]).map(
      (v) => ({ ...v, view_definition: v.view_definition.replaceAll(`\`${db.name}\`.`, "") }),
    ),
  };
}

/**
 * Runs each statement, in order, on one connection as the owner login, with the server's own
 * session settings (time zone, sql_mode), as the `mysql` client would run a hand-made script.
 */
export async function executeAsOwner(url: string, statements: readonly string[]): Promise<void> {
  const connection = mysql.createConnection(connectionOptions(url)).promise();
  try {
    for (const statement of statements) await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** `mariadb DB < FILE` as the owner login, over TCP; rejects with the client's output when it fails. */
export function applySqlFileWithClient(url: string, path: string): Promise<void> {
  const options = connectionOptions(url);
  const args = ["--protocol=TCP", `--host=${options.host}`, `--port=${options.port}`, `--user=${options.user}`, String(options.database)];
  const input = openSync(path, "r");
  return new Promise((resolve, reject) => {
    // The password through the environment, not the command line, where `ps` would show it.
    const child = spawn("mariadb", args, { stdio: [input, "ignore", "pipe"], env: { ...process.env, MYSQL_PWD: options.password ?? "" } });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      closeSync(input);
      if (code === 0) resolve();
      else reject(new Error(`mariadb < ${path} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
