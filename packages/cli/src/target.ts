import { accessSync, constants, statSync } from "node:fs";
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
/** `//host/…`: a URL whose scheme was left out (`//user:password@host:5432/db`), not a file. */
const NETWORK_PATH = /^\/\//;
/**
 * `user:password@host`: a `:` somewhere before an `@` (after a drive letter's). A connection string
 * without its scheme, whatever follows; a file path almost never has both.
 */
const CREDENTIALS = /:[^]*@/;
const withoutDrive = (text: string) => text.replace(/^[A-Za-z]:[\\/]/, "");

/**
 * An SQLite path given without a scheme is taken only when it cannot be anything else:
 * `:memory:`, or a path that starts with `./`, `../`, `/` (or a drive, `C:\`), or ends in
 * `.db`, `.sqlite`, `.sqlite3` or `.db3`; and it holds no `key=value` pair (a connection string)
 * and no control character.
 */
export function isUnambiguousSqlitePath(text: string): boolean {
  if (hasControlCharacters(text) || KEY_VALUE.test(text) || looksLikeServerUrl(text)) return false;
  return text === ":memory:" || EXPLICIT_PATH.test(text) || SQLITE_EXTENSION.test(text);
}

/** `//host/db` or `user:password@host/db`: a server's connection string without its scheme. */
function looksLikeServerUrl(path: string): boolean {
  return NETWORK_PATH.test(path) || CREDENTIALS.test(withoutDrive(path));
}

const NOT_A_PATH_HINT =
  "A server URL needs its scheme: postgres://user:password@host:5432/db or mysql://… (the password percent-encoded). An SQLite file path holds no user:password@ and does not start with //.";

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
    if (looksLikeServerUrl(url)) {
      throw badUrl(`${source} looks like a database server's URL without its scheme (//host or user:password@host), not an SQLite file path.`, NOT_A_PATH_HINT);
    }
    if (KEY_VALUE.test(url)) {
      throw badUrl(`${source} is a key=value connection string (host=… dbname=…); better-auth-migrate reads URLs only.`, `Write it as a URL: postgres://user@host:5432/dbname, with a password as user:password@ (percent-encoded). Accepted: ${ACCEPTED_FORMS}.`);
    }
    if (!isUnambiguousSqlitePath(url)) {
      throw badUrl(`${source} is neither a database URL nor an SQLite file path.`, `Give one of: ${ACCEPTED_FORMS}. For a file without such a name, write ./NAME.`);
    }
    checkSqliteFile(url, source);
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
  const queryAt = rest.indexOf("?");
  let path = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  if (KEY_VALUE.test(path)) {
    throw badUrl(`${source} names an SQLite file by key=value pairs (a connection string?), not a path.`, `Give one of: ${ACCEPTED_FORMS}.`);
  }
  // file://host/path names a file on another machine (RFC 8089); file:///path and
  // file://localhost/path are local. sqlite://rel/path stays relative, as the adapter reads it.
  if (path.startsWith("//")) {
    const authority = path.slice(2).split("/")[0]!;
    if (CREDENTIALS.test(authority) || authority.includes("@")) throw badUrl(`The ${scheme}: URL holds a user name or password; SQLite files have none.`, NOT_A_PATH_HINT);
    if (scheme === "file" && authority !== "" && authority.toLowerCase() !== "localhost") {
      throw badUrl(`The file: URL names a host (file://HOST/…); SQLite opens files on this machine only.`, "Write file:///absolute/path (three slashes), file:./relative/path or sqlite:PATH.");
    }
    // What the adapter opens: file://localhost/abs and file:///abs are /abs; sqlite://rel is rel.
    path = scheme === "file" ? path.slice(2 + authority.length) : path.slice(2);
  }
  if (looksLikeServerUrl(path)) throw badUrl(`${source} looks like a database server's URL (user:password@host) behind ${scheme}:, not an SQLite file path.`, NOT_A_PATH_HINT);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw badUrl(`The ${scheme}: URL has a malformed %-escape.`, "A % must start an escape of two hex digits (%20); write a % sign itself as %25.");
  }
  // %00 would end the path where the C library reads it (sqlite:./a%00b.db opened ./a).
  if (hasControlCharacters(decoded)) throw badUrl(`The ${scheme}: URL's path holds control characters once decoded (%00, %0A…).`, "Name the file without them.");
  if (decoded !== "" && decoded !== ":memory:") checkSqliteFile(decoded, source);
  return { dialect: "sqlite", adapterPackage: PACKAGES.sqlite, url, display: sqliteDisplay(url, queryAt >= 0 ? scheme.length + 1 + queryAt : -1), embedded: false };
}

/**
 * What may be shown of an SQLite URL: its path, and of its parameters only their names and `mode`'s
 * value. The adapter refuses parameters it does not know; their values may be anything (a key).
 */
function sqliteDisplay(url: string, queryAt: number): string {
  if (queryAt < 0) return url;
  const params = new URLSearchParams(url.slice(queryAt + 1));
  const shown = [...params].map(([key, value]) => `${key}=${key === "mode" && /^[a-z]{1,4}$/.test(value) ? value : "***"}`);
  return `${url.slice(0, queryAt)}?${shown.join("&")}`;
}

/**
 * An existing path must be a file (or lead to one): a device (/dev/null), a FIFO or a folder is no
 * database, and opening one fails with a raw I/O error or waits for a writer.
 */
function checkSqliteFile(path: string, source: string): void {
  if (path === ":memory:") return;
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return; // absent (up creates it) or unreadable: the adapter says which
  }
  if (stats.isFile()) return;
  const kind = stats.isDirectory() ? "a folder" : stats.isFIFO() ? "a FIFO (named pipe)" : stats.isCharacterDevice() || stats.isBlockDevice() ? "a device" : stats.isSocket() ? "a socket" : "not a regular file";
  throw badUrl(`${source} names ${kind}, not an SQLite database file.`, "Name a database file, or a path where up may create one.");
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
  checkNamedFiles(parsed.searchParams, scheme);
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

/** URL parameters that name a file the driver reads while connecting (libpq's TLS files). */
const FILE_PARAMETERS = ["sslrootcert", "sslcert", "sslkey"];

/** A file the URL names must be readable: the driver would fail later with a raw ENOENT. */
function checkNamedFiles(params: URLSearchParams, scheme: string): void {
  for (const key of FILE_PARAMETERS) {
    const file = params.get(key);
    if (file === null) continue;
    try {
      accessSync(file, constants.R_OK);
      if (!statSync(file).isFile()) throw Object.assign(new Error(), { code: "EISDIR" });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "not a file" : "cannot be read";
      throw badUrl(`The ${scheme}:// URL's ${key} names ${hasControlCharacters(file) ? "a file" : file}: ${why}.`, `Give the path of a readable PEM file in ${key}=, or leave ${key} out.`);
    }
  }
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
