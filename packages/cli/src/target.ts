import { CliError } from "./cli-error.js";
import { hasControlCharacters } from "./safe-text.js";

export type Dialect = "postgres" | "mysql" | "sqlite";

/** The database a command works on, and how to talk about it without leaking the password. */
export interface Target {
  dialect: Dialect;
  /** The npm package that handles this dialect. */
  adapterPackage: string;
  url: string;
  /** The URL with its password (and any password parameter) replaced by ***. */
  display: string;
  /** No URL was given: the embedded SQLite file. */
  embedded: boolean;
}

export const EMBEDDED_URL = "sqlite:./better-auth.db";
const EMBEDDED_FILE = "./better-auth.db";

const SCHEMES: Record<string, Dialect> = {
  postgres: "postgres",
  postgresql: "postgres",
  mysql: "mysql",
  mariadb: "mysql",
  sqlite: "sqlite",
  sqlite3: "sqlite",
  file: "sqlite",
};

const PACKAGES: Record<Dialect, string> = {
  postgres: "@better-auth/migrate-pg",
  mysql: "@better-auth/migrate-mysql",
  sqlite: "@better-auth/migrate-sqlite",
};

/** What --url and DATABASE_URL accept; error hints and --help say it the same way. */
export const ACCEPTED_FORMS =
  "postgres://user@host:5432/database or postgresql://…, mysql://user@host:3306/database or mariadb://… " +
  "(a password goes in as user:password@, percent-encoded), sqlite:PATH or file:PATH, " +
  "or an SQLite file path that starts with ./, ../ or / (or C:\\) or ends in .db, .sqlite, .sqlite3 or .db3, or :memory:";

/** A `key=value` pair at the start or after white space: a libpq (or ODBC-like) connection string, not a path. */
const KEY_VALUE = /(?:^|\s)[A-Za-z_][A-Za-z0-9_]*\s*=/;
const SQLITE_EXTENSION = /\.(?:db|sqlite|sqlite3|db3)$/i;
/** ./x, ../x, /x, .\x, ..\x, \x, C:\x, C:/x */
const EXPLICIT_PATH = /^(?:\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])/;

/**
 * An SQLite path given without a scheme is taken only when it cannot be anything else:
 * `:memory:`, or a path that starts with `./`, `../`, `/` (or a drive, `C:\`), or ends in
 * `.db`, `.sqlite`, `.sqlite3` or `.db3`; and it holds no `key=value` pair (a connection string)
 * and no control character.
 */
export function isUnambiguousSqlitePath(text: string): boolean {
  if (hasControlCharacters(text) || KEY_VALUE.test(text)) return false;
  return text === ":memory:" || EXPLICIT_PATH.test(text) || SQLITE_EXTENSION.test(text);
}

function badUrl(message: string, hint: string): CliError {
  return new CliError("BAD_URL", message, { hint });
}

/** Picks the database from --url, then DATABASE_URL, then the embedded SQLite file. */
export function resolveTarget(urlOption: string | undefined, env: NodeJS.ProcessEnv): Target {
  const given = urlOption ?? (env.DATABASE_URL ? env.DATABASE_URL : undefined);
  if (given === undefined) {
    return { dialect: "sqlite", adapterPackage: PACKAGES.sqlite, url: EMBEDDED_URL, display: EMBEDDED_FILE, embedded: true };
  }
  // Named in messages instead of the value, which may hold a password in a form no mask foresees.
  const source = urlOption !== undefined ? "The --url value" : "DATABASE_URL";
  const url = given.trim();
  if (!url) throw badUrl("The database URL is empty.", "Pass --url or set DATABASE_URL.");
  if (hasControlCharacters(url)) throw badUrl(`${source} holds control characters (a line break, an escape).`, `Give one of: ${ACCEPTED_FORMS}.`);
  // A one-letter scheme is a Windows drive: a file path.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) {
    if (KEY_VALUE.test(url)) {
      throw badUrl(`${source} is a key=value connection string (host=… dbname=…); better-auth-migrate reads URLs only.`, `Write it as a URL: postgres://user@host:5432/dbname, with a password as user:password@ (percent-encoded). Accepted: ${ACCEPTED_FORMS}.`);
    }
    if (!isUnambiguousSqlitePath(url)) {
      throw badUrl(`${source} is neither a database URL nor an SQLite file path.`, `Give one of: ${ACCEPTED_FORMS}. For a file without such a name, write ./NAME.`);
    }
    return { dialect: "sqlite", adapterPackage: PACKAGES.sqlite, url, display: url, embedded: false };
  }
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new CliError("UNKNOWN_SCHEME", `Unknown database URL scheme "${scheme}:".`, {
      hint: "Use postgres://, postgresql://, mysql://, mariadb://, sqlite: or file:, or a file path.",
    });
  }
  if (dialect === "sqlite") return sqliteTarget(url, scheme, source);
  return serverTarget(url, scheme, dialect, source);
}

function sqliteTarget(url: string, scheme: string, source: string): Target {
  const rest = url.slice(scheme.length + 1);
  const path = rest.split("?")[0]!;
  if (KEY_VALUE.test(path)) {
    throw badUrl(`${source} names an SQLite file by key=value pairs (a connection string?), not a path.`, `Give one of: ${ACCEPTED_FORMS}.`);
  }
  try {
    decodeURIComponent(path);
  } catch {
    throw badUrl(`The ${scheme}: URL has a malformed %-escape.`, "A % must start an escape of two hex digits (%20); write a % sign itself as %25.");
  }
  return { dialect: "sqlite", adapterPackage: PACKAGES.sqlite, url, display: url, embedded: false };
}

const ENCODE_HINT =
  "Percent-encode special characters in the user name and password: / as %2F, ? as %3F, # as %23, @ as %40, % as %25 (encodeURIComponent does it).";

/**
 * A postgres:// or mysql:// URL. Refused when its parts cannot be what the user meant: an `@` after
 * the host (the password held an unencoded `/`, `?` or `#`, and the URL parser would take the user
 * name for the host and the password for the path), a fragment, or a malformed %-escape.
 */
function serverTarget(url: string, scheme: string, dialect: Dialect, source: string): Target {
  if (!url.slice(scheme.length + 1).startsWith("//")) {
    throw badUrl(`The ${scheme}: URL needs // after the scheme.`, `Write ${scheme}://user@host/database (with a password: user:password@).`);
  }
  const afterSlashes = url.slice(scheme.length + 3);
  const authorityEnd = afterSlashes.search(/[/?#]/);
  const rest = authorityEnd < 0 ? "" : afterSlashes.slice(authorityEnd);
  const hashAt = rest.indexOf("#");
  const queryAt = rest.indexOf("?");
  const path = rest.slice(0, queryAt >= 0 ? queryAt : hashAt >= 0 ? hashAt : rest.length);
  const query = queryAt >= 0 ? rest.slice(queryAt + 1, hashAt > queryAt ? hashAt : rest.length) : "";
  // `@` in a parameter's value (?user=me@example) is fine; before its `=`, it ends a password.
  const strayAt = path.includes("@") || query.split("&").some((pair) => pair.split("=")[0]!.includes("@"));
  if (strayAt || hashAt >= 0) {
    throw badUrl(
      `The ${scheme}:// URL has ${hashAt >= 0 ? "a # (a fragment, which database URLs do not use)" : "an @ after its host"}: does the password hold an unencoded /, ? or #?`,
      ENCODE_HINT,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
    for (const part of [parsed.username, parsed.password, parsed.pathname]) decodeURIComponent(part);
    for (const pair of query.split("&")) decodeURIComponent(pair.replaceAll("+", " "));
  } catch {
    throw badUrl(`${source === "DATABASE_URL" ? "DATABASE_URL" : `The ${scheme}:// URL`} is not a valid URL.`, `Give scheme, user name, password, host, port and database: ${scheme}://user@host:port/database, with a password as user:password@. ${ENCODE_HINT}`);
  }
  // No host is fine: the driver's default, or a Unix socket named by ?host=/var/run/postgresql.
  const shown = new URL(parsed.href);
  if (shown.password) shown.password = "***";
  const params = shown.searchParams;
  let changed = false;
  for (const key of [...params.keys()]) {
    if (/^(ssl)?password$/i.test(key)) {
      params.set(key, "***");
      changed = true;
    }
  }
  // Re-encoded, an @ in a parameter's value cannot look like the end of a password to the masks.
  if (changed || shown.search.includes("@")) shown.search = params.toString();
  return { dialect, adapterPackage: PACKAGES[dialect], url, display: shown.toString(), embedded: false };
}

const DIALECT_NAMES: Record<string, Dialect> = { pg: "postgres", postgres: "postgres", postgresql: "postgres", mysql: "mysql", mariadb: "mysql", sqlite: "sqlite" };

/**
 * `sql --dialect pg|mysql|sqlite` without a database: the adapter only renders, so it gets a URL
 * it never connects to.
 */
export function renderOnlyTarget(name: string): Target {
  const dialect = DIALECT_NAMES[name.toLowerCase()];
  if (!dialect) throw new CliError("BAD_OPTION", `Unknown dialect "${name}".`, { hint: "Use --dialect pg, mysql or sqlite." });
  const url = { postgres: "postgres://localhost/better_auth", mysql: "mysql://localhost/better_auth", sqlite: ":memory:" }[dialect];
  return { dialect, adapterPackage: PACKAGES[dialect], url, display: `(no database; ${dialect} SQL)`, embedded: false };
}
