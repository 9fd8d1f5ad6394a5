import { DatabaseAccessError } from "@better-auth/migrate-core";

/** Where a connection goes, as error messages may say it: never the password. */
export interface PostgresTarget {
  /** A host name or address, or the directory of a Unix socket (starts with /). */
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** The URL's sslmode parameter, when it has one. */
  sslmode?: string;
}

/**
 * Reads host, port, database, user and sslmode (never the password) from a connection URL. As the
 * driver does, `?host=` and `?port=` override the URL's host and port (`?host=/var/run/postgresql`
 * names a socket directory).
 */
export function describeUrl(url: string): PostgresTarget {
  try {
    const parsed = new URL(url);
    const { searchParams } = parsed;
    const port = searchParams.get("port") || parsed.port;
    const sslmode = searchParams.get("sslmode");
    return {
      host: searchParams.get("host") || parsed.hostname || "localhost",
      port: port ? Number(port) : 5432,
      database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
      user: decodeURIComponent(parsed.username) || searchParams.get("user") || undefined,
      ...(sslmode ? { sslmode } : {}),
    };
  } catch {
    return {};
  }
}

/** How messages name the server: host:port, or the socket file in a socket directory. */
function describeServer({ host, port }: PostgresTarget): string {
  if (!host) return "PostgreSQL";
  return host.startsWith("/") ? `PostgreSQL at ${host.replace(/\/$/, "")}/.s.PGSQL.${port}` : `PostgreSQL at ${host}:${port}`;
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET"]);

/**
 * Turns the driver errors that mean "this database cannot be used as asked" into typed errors.
 * pg's own messages never carry the password; the target adds host, port, database and user only.
 */
export function translatePostgresError(error: unknown, target: PostgresTarget): DatabaseAccessError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  const { database, user, sslmode } = target;
  const server = describeServer(target);
  // A Unix socket that is not there: connect ENOENT /dir/.s.PGSQL.5432.
  if (code === "ENOENT" && (error as { syscall?: string }).syscall === "connect") {
    return new DatabaseAccessError("UNREACHABLE", `Cannot reach ${server} (no such socket).`, {
      hint: "Check the socket directory given by ?host= (the server's unix_socket_directories) and the port, and that the server is running.",
      cause: error,
    });
  }
  // sslmode=require (or verify-*) and a server that answers the TLS request with no.
  if (/server does not support SSL/i.test(error.message)) {
    return new DatabaseAccessError("UNREACHABLE", `${server} does not accept TLS connections, and the URL requires TLS (${sslmode ? `sslmode=${sslmode}` : "ssl"}).`, {
      hint: "Turn on TLS on the server (ssl = on, with a certificate); or, on a network you trust, drop sslmode=require from the URL (sslmode=prefer uses TLS when offered).",
      cause: error,
    });
  }
  // The server asks for a password and the URL gives none: pg's SASL (or md5) step throws this
  // before anything is sent.
  if (/client password must be a (non-empty )?string|^Password must be a string$/.test(error.message)) {
    return new DatabaseAccessError("AUTHENTICATION_FAILED", `${server} asks for a password${user ? ` for user "${user}"` : ""}, and the URL gives none.`, {
      hint: "Add it to the URL as user:password@ (percent-encoded), or allow this login without one (trust or peer in pg_hba.conf).",
      cause: error,
    });
  }
  // Something else answers on that port (MySQL or MariaDB, HTTP…): pg reads its greeting as stray messages.
  if (/^Received unexpected \w+ message from backend/.test(error.message)) {
    return new DatabaseAccessError("UNREACHABLE", `${server} does not speak the PostgreSQL protocol (${error.message.replace(/\.$/, "")}): is it another server's port (MySQL/MariaDB)?`, {
      hint: "Check the port in the URL: PostgreSQL listens on 5432 by default; a mysql:// URL is for MySQL and MariaDB.",
      cause: error,
    });
  }
  // pg.Pool says "timeout exceeded when trying to connect", pg.Client "timeout expired".
  if ((code && UNREACHABLE_CODES.has(code)) || /timeout.*connect|connection timeout|^timeout expired$/i.test(error.message)) {
    return new DatabaseAccessError("UNREACHABLE", `Cannot reach ${server} (${code ?? "connection timed out"}).`, {
      hint: "Check the host and port, and that the server is running and accepts TCP connections.",
      cause: error,
    });
  }
  // The session was terminated (pg_terminate_backend), or the server shut down or crashed under it.
  if (code === "57P01" || code === "57P02" || code === "57P03" || /Connection terminated|terminating connection|connection has been discarded|not queryable/i.test(error.message)) {
    return new DatabaseAccessError("CONNECTION_LOST", `The connection to ${server} was lost during the run (${error.message}).`, {
      hint: "What was in progress was rolled back. Run the command again once the server accepts connections.",
      cause: error,
    });
  }
  switch (code) {
    case "28P01":
    case "28000":
      return new DatabaseAccessError("AUTHENTICATION_FAILED", `${server} refused the login${user ? ` of user "${user}"` : ""}.`, {
        hint: "Check the user name and password in the URL (special characters in the password must be percent-encoded).",
        cause: error,
      });
    case "3D000":
      return new DatabaseAccessError("DATABASE_NOT_FOUND", `${server} has no database${database ? ` "${database}"` : " of that name"}.`, {
        hint: "Create it first: better-auth-migrate db create, or CREATE DATABASE.",
        cause: error,
      });
    case "25006":
      return new DatabaseAccessError("READ_ONLY", `${server} accepts only reads here: ${error.message}.`, {
        hint: "Point the URL at the primary server, or a database that is not read-only.",
        cause: error,
      });
    case "42501":
      return new DatabaseAccessError("PERMISSION_DENIED", `${server}: ${error.message}.`, {
        hint: "Run migrations as the role that owns the database (or its schema).",
        cause: error,
      });
    default:
      return undefined;
  }
}
