import { InvalidOptionsError } from "@better-auth/migrate-core";

export interface SqliteLocation {
  /** A file path, or `:memory:`. */
  filename: string;
  readonly: boolean;
}

/**
 * Reads the file an SQLite URL names: `sqlite:./auth.db`, `sqlite:///var/lib/auth.db`,
 * `file:auth.db`, or a plain path. `?mode=ro` opens it read-only.
 */
export function parseSqliteUrl(url: string): SqliteLocation {
  let rest = url.trim();
  const scheme = /^(sqlite3?|file):/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) throw new InvalidOptionsError(`"${rest.split(":")[0]}:" is not an SQLite URL.`);
  const queryStart = rest.indexOf("?");
  const query = new URLSearchParams(queryStart >= 0 ? rest.slice(queryStart + 1) : "");
  let path = queryStart >= 0 ? rest.slice(0, queryStart) : rest;
  // sqlite:///abs/path is absolute; sqlite://rel/path is relative (there is no host).
  if (path.startsWith("//")) path = path.slice(2);
  if (scheme) path = decodeURIComponent(path);
  if (!path) throw new InvalidOptionsError(`The SQLite URL "${url}" names no file.`, "Use sqlite:./better-auth.db or a path.");
  let readonly = false;
  for (const [key, value] of query) {
    if (key === "mode" && (value === "ro" || value === "rw" || value === "rwc")) readonly = value === "ro";
    else throw new InvalidOptionsError(`Unknown SQLite URL parameter "${key}=${value}".`, "Only mode=ro, mode=rw and mode=rwc are understood.");
  }
  return { filename: path, readonly };
}
