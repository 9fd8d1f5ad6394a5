import { DatabaseAccessError } from "@better-auth/migrate-core";

/** Where a connection goes, as error messages may say it: never the password. */
export interface MysqlTarget {
  host?: string;
  port?: number;
  /** The Unix socket the URL names (`?socket=`), which the driver uses instead of host and port. */
  socket?: string;
  database?: string;
  user?: string;
}

/** Reads host, port, socket, database and user (never the password) from a mysql:// or mariadb:// URL. */
export function describeUrl(url: string): MysqlTarget {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get("socket") ?? parsed.searchParams.get("socketPath");
    return {
      host: parsed.hostname || "localhost",
      port: parsed.port ? Number(parsed.port) : 3306,
      ...(socket ? { socket } : {}),
      database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
      user: decodeURIComponent(parsed.username) || undefined,
    };
  } catch {
    return {};
  }
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);
/**
 * The connection broke during the run: killed (KILL, ER_CONNECTION_KILLED 1927), the server shut down
 * (1053) or went away (2006, 2013), or mysql2 noticed the socket closed.
 */
const CONNECTION_LOST_CODES = new Set(["PROTOCOL_CONNECTION_LOST", "ECONNRESET", "EPIPE", "ER_CONNECTION_KILLED", "ER_SERVER_SHUTDOWN"]);
const CONNECTION_LOST_ERRNOS = new Set([1053, 1927, 2006, 2013]);
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
  const { host, port, socket, database, user } = target;
  const server = socket ? `MySQL at ${socket}` : host ? `MySQL at ${host}:${port}` : "MySQL";
  // A Unix socket that is not there: connect ENOENT /run/mysqld/mysqld.sock.
  if (code === "ENOENT" && (error as { syscall?: string }).syscall === "connect") {
    return new DatabaseAccessError("UNREACHABLE", `Cannot reach ${server} (no such socket).`, {
      hint: "Check the socket path given by ?socket= (the server's socket setting), and that the server is running.",
      cause: error,
    });
  }
  // ssl=true or ssl-mode=REQUIRED, and a server that offers no TLS.
  if (code === "HANDSHAKE_NO_SSL_SUPPORT" || /does not support secure connection/i.test(error.message)) {
    return new DatabaseAccessError("UNREACHABLE", `${server} does not accept TLS connections, and the URL requires TLS.`, {
      hint: "Turn on TLS on the server (ssl_cert and ssl_key); or, on a network you trust, drop ssl=true / ssl-mode=REQUIRED from the URL.",
      cause: error,
    });
  }
  if ((code && CONNECTION_LOST_CODES.has(code)) || (errno !== undefined && CONNECTION_LOST_ERRNOS.has(errno)) || /closed state|connection.*(lost|killed)/i.test(error.message)) {
    return new DatabaseAccessError("CONNECTION_LOST", `The connection to ${server} was lost during the run (${error.message}).`, {
      hint: "A migration in progress is recorded as partly applied; run up again once the server accepts connections to finish it.",
      cause: error,
    });
  }
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
