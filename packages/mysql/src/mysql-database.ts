import { InvalidOptionsError } from "@better-auth/migrate-core";
import mysql from "mysql2/promise";
import { connectionOptions } from "./mysql-connection.js";
import { describeUrl, translateMysqlError } from "./mysql-errors.js";
import { quoteIdentifier } from "./mysql-quote.js";

export interface DatabaseOptions {
  /** The URL of the database to create or drop; the server is reached without selecting a database. */
  url: string;
  /** How long to wait for a connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
}

/** Runs `work` on a connection to the server with no database selected, with errors typed. */
async function onServer<T>(options: DatabaseOptions, work: (connection: mysql.Connection, database: string) => Promise<T>): Promise<T> {
  const database = connectionOptions(options.url).database;
  if (!database) throw new InvalidOptionsError("The database URL names no database.", "Add it after the host: mysql://user@host:3306/mydb.");
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection(connectionOptions(options.url, { database: null, ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }) }));
    // Errors after connect (the server going away) arrive as events; they reject the query instead.
    connection.on("error", () => undefined);
    return await work(connection, database);
  } catch (error) {
    throw translateMysqlError(error, describeUrl(options.url)) ?? error;
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

async function exists(connection: mysql.Connection, database: string): Promise<boolean> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?", [database]);
  return rows.length > 0;
}

/** Creates the database the URL names (utf8mb4, binary collation), unless it exists. Needs the CREATE privilege. */
export function createDatabase(options: DatabaseOptions): Promise<{ database: string; created: boolean }> {
  return onServer(options, async (connection, database) => {
    if (await exists(connection, database)) return { database, created: false };
    await connection.query(`CREATE DATABASE ${quoteIdentifier(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    return { database, created: true };
  });
}

/** Drops the database the URL names, if it exists. */
export function dropDatabase(options: DatabaseOptions): Promise<{ database: string; dropped: boolean }> {
  return onServer(options, async (connection, database) => {
    if (!(await exists(connection, database))) return { database, dropped: false };
    await connection.query(`DROP DATABASE ${quoteIdentifier(database)}`);
    return { database, dropped: true };
  });
}
