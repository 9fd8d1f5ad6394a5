import { InvalidOptionsError } from "@better-auth/migrate-core";
import pg from "pg";
import { describeUrl, translatePostgresError } from "./pg-errors.js";
import { quoteIdentifier } from "./pg-quote.js";

export interface DatabaseOptions {
  /** The URL of the database to create or drop; the server's `postgres` database is used to do it. */
  url: string;
  /** How long to wait for a connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
}

function maintenanceUrl(url: string): { database: string; url: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionsError("The database URL is not a valid URL.");
  }
  const database = decodeURIComponent(parsed.pathname.slice(1));
  if (!database) throw new InvalidOptionsError("The database URL names no database.", "Add it after the host: postgres://user@host:5432/mydb.");
  parsed.pathname = "/postgres";
  return { database, url: parsed.toString() };
}

/** Runs `work` on a connection to the server's maintenance database, with errors typed. */
async function onServer<T>(options: DatabaseOptions, work: (client: pg.Client, database: string) => Promise<T>): Promise<T> {
  const target = maintenanceUrl(options.url);
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  // Errors after connect (the server going away) arrive as events; they reject the query instead.
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await work(client, target.database);
  } catch (error) {
    throw translatePostgresError(error, { ...describeUrl(options.url), database: "postgres" }) ?? error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function exists(client: pg.Client, database: string): Promise<boolean> {
  const { rows } = await client.query("SELECT 1 FROM pg_catalog.pg_database WHERE datname OPERATOR(pg_catalog.=) $1::pg_catalog.name", [database]);
  return rows.length > 0;
}

/** Creates the database the URL names, unless it exists. Needs the CREATEDB privilege. */
export function createDatabase(options: DatabaseOptions): Promise<{ database: string; created: boolean }> {
  return onServer(options, async (client, database) => {
    if (await exists(client, database)) return { database, created: false };
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    return { database, created: true };
  });
}

/** Drops the database the URL names, if it exists. Fails while other sessions are connected to it. */
export function dropDatabase(options: DatabaseOptions): Promise<{ database: string; dropped: boolean }> {
  return onServer(options, async (client, database) => {
    if (!(await exists(client, database))) return { database, dropped: false };
    await client.query(`DROP DATABASE ${quoteIdentifier(database)}`);
    return { database, dropped: true };
  });
}
