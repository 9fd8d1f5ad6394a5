import { InvalidOptionsError } from "@better-auth/migrate-core";
import { CompiledQuery, type DatabaseConnection, Kysely, MysqlDialect } from "kysely";
import mysql from "mysql2";
import { SESSION_SETTINGS } from "./mysql-renderer.js";

/** Parses a mysql:// or mariadb:// URL into mysql2 options; the database may be left out (db create/drop). */
export function connectionOptions(url: string, options: { connectTimeoutMs?: number; database?: string | null } = {}): mysql.PoolOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidOptionsError("The database URL is not a valid URL.", "Use mysql://user:password@host:3306/database, with special characters percent-encoded.");
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    throw new InvalidOptionsError(`The MySQL adapter takes mysql:// or mariadb:// URLs, not ${parsed.protocol}//.`);
  }
  const database = options.database === undefined ? decodeURIComponent(parsed.pathname.slice(1)) : options.database;
  return {
    host: parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname || "localhost",
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    ...(database ? { database } : {}),
    ...socketAndTls(parsed.searchParams),
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    // DATETIME values are UTC (the session's time zone is set to UTC): read and write them as such.
    timezone: "Z",
    charset: "UTF8MB4_UNICODE_CI",
    supportBigNumbers: true,
    // How the migrator's sessions appear in performance_schema.session_connect_attrs.
    connectAttributes: { program_name: "better-auth-migrate" },
  };
}

/** `?socket=/run/mysqld/mysqld.sock` and `?ssl=true` (or `ssl-mode=REQUIRED`) from the URL. */
function socketAndTls(params: URLSearchParams): mysql.PoolOptions {
  const socket = params.get("socket") ?? params.get("socketPath");
  const sslMode = (params.get("ssl-mode") ?? params.get("sslmode") ?? "").toUpperCase();
  const ssl = params.get("ssl") === "true" || ["REQUIRED", "REQUIRE", "VERIFY_CA", "VERIFY_IDENTITY"].includes(sslMode);
  return {
    ...(socket ? { socketPath: socket } : {}),
    ...(ssl ? { ssl: { rejectUnauthorized: sslMode === "VERIFY_CA" || sslMode === "VERIFY_IDENTITY" || params.get("ssl") === "true" } } : {}),
  };
}

/**
 * Kysely's hook for each new connection: the session settings every adapter connection runs, and
 * autocommit on (a server whose global autocommit is off would otherwise leave every write of the
 * migrator in a transaction that is never committed).
 */
export async function setUpSession(connection: DatabaseConnection): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw(`SET SESSION autocommit = 1, ${SESSION_SETTINGS}`));
}

/**
 * The adapter's own pool on a URL, as Kysely: two connections (one holds the migration lock, the
 * other serves reads made meanwhile), each set up by {@link setUpSession} when it opens.
 */
export function openDatabase(url: string, options: { connectTimeoutMs?: number } = {}): Kysely<unknown> {
  const connection = connectionOptions(url, options);
  if (!connection.database) throw new InvalidOptionsError("The database URL names no database.", "Add it after the host: mysql://user@host:3306/mydb.");
  const pool = mysql.createPool({ ...connection, connectionLimit: 2, maxIdle: 2 });
  return new Kysely<unknown>({ dialect: new MysqlDialect({ pool, onCreateConnection: setUpSession }) });
}
