import { CliError } from "./cli-error.js";

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

/** Picks the database from --url, then DATABASE_URL, then the embedded SQLite file. */
export function resolveTarget(urlOption: string | undefined, env: NodeJS.ProcessEnv): Target {
  const given = urlOption ?? (env.DATABASE_URL ? env.DATABASE_URL : undefined);
  if (given === undefined) {
    return { dialect: "sqlite", adapterPackage: PACKAGES.sqlite, url: EMBEDDED_URL, display: EMBEDDED_FILE, embedded: true };
  }
  const url = given.trim();
  if (!url) throw new CliError("BAD_URL", "The database URL is empty.", { hint: "Pass --url or set DATABASE_URL." });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  // No scheme (or a one-letter one, a Windows drive) means a file path: SQLite.
  if (!scheme || scheme.length === 1) {
    return { dialect: "sqlite", adapterPackage: PACKAGES.sqlite, url, display: url, embedded: false };
  }
  const dialect = SCHEMES[scheme];
  if (!dialect) {
    throw new CliError("UNKNOWN_SCHEME", `Unknown database URL scheme "${scheme}:".`, {
      hint: "Use postgres://, postgresql://, mysql://, mariadb://, sqlite: or file:, or a file path.",
    });
  }
  if (dialect === "sqlite") return { dialect, adapterPackage: PACKAGES.sqlite, url, display: url, embedded: false };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError("BAD_URL", `The ${scheme}:// URL is not a valid URL.`, {
      hint: "Give scheme, user name, password, host, port and database (postgres://…@host:5432/database), with special characters percent-encoded.",
    });
  }
  // No host is fine: the driver's default, or a Unix socket named by ?host=/var/run/postgresql.
  if (parsed.password) parsed.password = "***";
  for (const key of ["password", "sslpassword"]) if (parsed.searchParams.has(key)) parsed.searchParams.set(key, "***");
  return { dialect, adapterPackage: PACKAGES[dialect], url, display: parsed.toString(), embedded: false };
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
