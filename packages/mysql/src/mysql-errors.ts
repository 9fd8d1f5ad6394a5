import { DatabaseAccessError } from "@better-auth/migrate-core";

/** Where a connection goes, as error messages may say it: never the password. */
export interface MysqlTarget {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

/** Reads host, port, database and user (never the password) from a mysql:// or mariadb:// URL. */
export function describeUrl(url: string): MysqlTarget {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname || "localhost",
      port: parsed.port ? Number(parsed.port) : 3306,
      database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
      user: decodeURIComponent(parsed.username) || undefined,
    };
  } catch {
    return {};
  }
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET", "PROTOCOL_CONNECTION_LOST"]);
/** Server error numbers for a login that works but lacks a privilege. */
const PRIVILEGE_ERRORS = new Set([
  1142, // ER_TABLEACCESS_DENIED_ERROR
  1143, // ER_COLUMNACCESS_DENIED_ERROR
  1227, // ER_SPECIFIC_ACCESS_DENIED_ERROR
  1370, // ER_PROCACCESS_DENIED_ERROR
]);
const ACCESS_DENIED = 1045;
/** ER_DBACCESS_DENIED_ERROR: MySQL says the same for a database that does not exist and one the user may not use. */
const DATABASE_ACCESS_DENIED = 1044;
const BAD_DATABASE = 1049;
/** ER_OPTION_PREVENTS_STATEMENT: read_only or super_read_only (and other options) refused the statement. */
const OPTION_PREVENTS_STATEMENT = 1290;
/** MariaDB's ER_READ_ONLY_MODE, and innodb_read_only's ER_INNODB_READ_ONLY. */
const READ_ONLY_ERRORS = new Set([1836, 1874]);

/**
 * Turns the mysql2 errors that mean "this database cannot be used as asked" into typed errors.
 * Server messages name the user and host, never the password; the target adds host, port and
 * database only.
 */
export function translateMysqlError(error: unknown, target: MysqlTarget): DatabaseAccessError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, errno } = error as { code?: string; errno?: number };
  const { host, port, database, user } = target;
  const server = host ? `MySQL at ${host}:${port}` : "MySQL";
  if ((code && UNREACHABLE_CODES.has(code)) || /connect ETIMEDOUT|timeout/i.test(error.message)) {
    return new DatabaseAccessError("UNREACHABLE", `Cannot reach ${server} (${code ?? "connection timed out"}).`, {
      hint: "Check the host and port, and that the server is running and accepts TCP connections.",
      cause: error,
    });
  }
  if (errno === ACCESS_DENIED) {
    return new DatabaseAccessError("AUTHENTICATION_FAILED", `${server} refused the login${user ? ` of user "${user}"` : ""}.`, {
      hint: "Check the user name and password in the URL (special characters in the password must be percent-encoded), and the host the account may log in from.",
      cause: error,
    });
  }
  if (errno === BAD_DATABASE) {
    return new DatabaseAccessError("DATABASE_NOT_FOUND", `${server} has no database${database ? ` "${database}"` : " of that name"}.`, {
      hint: "Create it first: better-auth-migrate db create, or CREATE DATABASE.",
      cause: error,
    });
  }
  if (errno === DATABASE_ACCESS_DENIED) {
    const name = /database '([^']*)'/.exec(error.message)?.[1] ?? database;
    return new DatabaseAccessError("PERMISSION_DENIED", `${server} refused${user ? ` user "${user}"` : ""} access to database${name ? ` "${name}"` : ""}: it does not exist, or the user has no privileges on it.`, {
      hint: "Check the database name in the URL; create it (better-auth-migrate db create) or GRANT ALL PRIVILEGES ON that database to the user.",
      cause: error,
    });
  }
  if ((errno === OPTION_PREVENTS_STATEMENT && /read.only/i.test(error.message)) || (errno !== undefined && READ_ONLY_ERRORS.has(errno))) {
    return new DatabaseAccessError("READ_ONLY", `${server} accepts only reads: ${error.message}.`, {
      hint: "Point the URL at the primary server, or turn off read_only / super_read_only.",
      cause: error,
    });
  }
  if (errno !== undefined && PRIVILEGE_ERRORS.has(errno)) {
    return new DatabaseAccessError("PERMISSION_DENIED", `${server}: ${error.message}.`, {
      hint: "Grant the account ALL PRIVILEGES on the database (CREATE, ALTER, DROP, INDEX, REFERENCES, CREATE VIEW, and data access).",
      cause: error,
    });
  }
  return undefined;
}
