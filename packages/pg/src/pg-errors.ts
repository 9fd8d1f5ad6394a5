import { DatabaseAccessError } from "@better-auth/migrate-core";

/** Where a connection goes, as error messages may say it: never the password. */
export interface PostgresTarget {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

/** Reads host, port, database and user (never the password) from a connection URL. */
export function describeUrl(url: string): PostgresTarget {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname || "localhost",
      port: parsed.port ? Number(parsed.port) : 5432,
      database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
      user: decodeURIComponent(parsed.username) || undefined,
    };
  } catch {
    return {};
  }
}

const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "ECONNRESET"]);

/**
 * Turns the driver errors that mean "this database cannot be used as asked" into typed errors.
 * pg's own messages never carry the password; the target adds host, port, database and user only.
 */
export function translatePostgresError(error: unknown, target: PostgresTarget): DatabaseAccessError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  const { host, port, database, user } = target;
  const server = host ? `PostgreSQL at ${host}:${port}` : "PostgreSQL";
  if ((code && UNREACHABLE_CODES.has(code)) || /timeout.*connect|connection timeout/i.test(error.message)) {
    return new DatabaseAccessError("UNREACHABLE", `Cannot reach ${server} (${code ?? "connection timed out"}).`, {
      hint: "Check the host and port, and that the server is running and accepts TCP connections.",
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
