import { InvalidOptionsError } from "@better-auth/migrate-core";

export interface SqliteLocation {
  /** A file path, or `:memory:`. */
  filename: string;
  readonly: boolean;
}

/** A name or key safe to repeat in a message: a plain word. Anything else may be a secret. */
const shown = (text: string) => (/^[\w.-]{1,40}$/.test(text) ? `"${text}"` : "(not shown)");

/**
 * Reads the file an SQLite URL names: `sqlite:./auth.db`, `sqlite:///var/lib/auth.db`,
 * `file:auth.db`, `file:///var/lib/auth.db` (or `file://localhost/…`), or a plain path. `?mode=ro`
 * opens it read-only. Refused: `file://HOST/…` (a file on another machine), a user name or password
 * (`sqlite://user:pw@host/…`, a server URL in disguise), control characters once decoded (`%00` would
 * cut the path short) and unknown parameters (named, their values never shown).
 */
export function parseSqliteUrl(url: string): SqliteLocation {
  let rest = url.trim();
  const scheme = /^(sqlite3?|file):/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) throw new InvalidOptionsError(`${shown(rest.split(":")[0]!)} is not an SQLite URL scheme.`);
  const queryStart = rest.indexOf("?");
  const query = new URLSearchParams(queryStart >= 0 ? rest.slice(queryStart + 1) : "");
  let path = queryStart >= 0 ? rest.slice(0, queryStart) : rest;
  if (path.startsWith("//")) {
    const authority = path.slice(2).split("/")[0]!;
    if (authority.includes("@")) throw new InvalidOptionsError("The SQLite URL holds a user name or password; SQLite files have none.", "Give the file's path: sqlite:./auth.db or sqlite:///var/lib/auth.db.");
    // file:///abs and file://localhost/abs are local (RFC 8089); file://host/… is another machine's.
    // sqlite:///abs/path is absolute; sqlite://rel/path is relative (there is no host).
    if (scheme && scheme[1]!.toLowerCase() === "file") {
      if (authority !== "" && authority.toLowerCase() !== "localhost") {
        throw new InvalidOptionsError("The file: URL names a host (file://HOST/…); SQLite opens files on this machine only.", "Write file:///absolute/path (three slashes).");
      }
      path = path.slice(2 + authority.length);
    } else path = path.slice(2);
  }
  if (scheme) {
    try {
      path = decodeURIComponent(path);
    } catch {
      throw new InvalidOptionsError("The SQLite URL has a malformed %-escape.", "Write a % sign itself as %25.");
    }
  }
  // C strings end at NUL: sqlite:./a%00b.db would open ./a. Other controls are no file name either.
  if (/[\u0000-\u001f\u007f]/.test(path)) throw new InvalidOptionsError("The SQLite URL's path holds control characters (%00, a line break…).", "Name the file without them.");
  if (!path) throw new InvalidOptionsError("The SQLite URL names no file.", "Use sqlite:./better-auth.db or a path.");
  let readonly = false;
  for (const [key, value] of query) {
    if (key === "mode" && (value === "ro" || value === "rw" || value === "rwc")) readonly = value === "ro";
    else throw new InvalidOptionsError(`Unknown SQLite URL parameter ${shown(key)}${key === "mode" ? " value" : ""}.`, "Only mode=ro, mode=rw and mode=rwc are understood.");
  }
  return { filename: path, readonly };
}
