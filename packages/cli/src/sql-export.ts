import { randomBytes } from "node:crypto";
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, renameSync, type Stats, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./cli-error.js";
import { hasControlCharacters } from "./safe-text.js";

/** One file of `sql --out`: `up/001_<id>.sql` or `down/001_<id>.sql`, and its text. */
export interface ExportFile {
  name: string;
  sql: string;
}

/** The two folders `sql --out DIR` owns inside DIR. */
const FOLDERS = ["up", "down"] as const;
/** The files it writes there: a number of three or more digits, the migration id, `.sql`. */
const OWN_FILE = /^\d{3,}_[a-z0-9_]+\.sql$/;
/** Its temporary files, left behind only by a run that was killed between writing and renaming. */
const OWN_TEMP = /^\.\d{3,}_[a-z0-9_]+\.sql\.\d+\.[0-9a-f]{12}\.tmp$/;

/** O_NOFOLLOW where the platform has it (not on Windows, where links need privileges to make). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

const shownPath = (path: string) => (hasControlCharacters(path) ? "(a path with control characters)" : path);

function refuse(dir: string, message: string, hint?: string): CliError {
  return new CliError("BAD_OPTION", `--out ${shownPath(dir)}: ${message}`, hint === undefined ? {} : { hint });
}

const NOT_OURS_HINT =
  "sql --out writes into DIR/up and DIR/down, which must hold only what it wrote there before (NNN_<id>.sql files): export to a new or empty folder, or remove the rest.";

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
}

/** What an existing entry is, for a message: "a symbolic link", "a file"… */
function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isDirectory()) return "a folder";
  if (stats.isFile()) return "a file";
  return "not a file";
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const known: Record<string, string> = { EACCES: "permission denied", EPERM: "operation not permitted", ENOSPC: "no space left on the device", EROFS: "read-only file system", ENOTDIR: "a part of the path is a file", ELOOP: "a symbolic link", EEXIST: "already exists" };
  return typeof code === "string" ? (known[code] ?? code) : "cannot be written";
}

/**
 * Writes `sql --out DIR` so that DIR/up and DIR/down hold exactly this export. Nothing is followed:
 * DIR, DIR/up and DIR/down must be real folders (or absent: they are created), each file is written
 * to a new temporary file (O_CREAT | O_EXCL | O_NOFOLLOW) and renamed over its name, which replaces
 * a directory entry and never writes through a link. Files of an earlier export (NNN_<id>.sql) that
 * this one does not have are removed, so that a database built from the folder gets exactly these
 * migrations. Anything else in DIR/up or DIR/down (another file, a link, a folder) is not ours: the
 * export is refused before anything is written. The rest of DIR is left alone.
 */
export function writeExport(dir: string, files: readonly ExportFile[]): { written: string[]; removed: string[] } {
  const byFolder = new Map<string, string[]>(FOLDERS.map((folder) => [folder, []]));
  for (const file of files) {
    const [folder, base, ...rest] = file.name.split("/");
    if (rest.length > 0 || !byFolder.has(folder!) || !OWN_FILE.test(base ?? "")) throw new Error(`sql --out: unexpected file name ${file.name}`);
    byFolder.get(folder!)!.push(base!);
  }

  // 1. Check everything before writing anything.
  const top = lstatOrUndefined(dir);
  if (top && !top.isDirectory()) {
    throw refuse(dir, `is ${kindOf(top)}, not a folder.`, top.isSymbolicLink() ? "Name the folder itself: sql --out never follows symbolic links." : "Name a folder (it is created if missing).");
  }
  const stale: string[] = [];
  for (const folder of FOLDERS) {
    const path = join(dir, folder);
    const stats = top ? lstatOrUndefined(path) : undefined;
    if (!stats) continue;
    if (!stats.isDirectory()) throw refuse(dir, `${folder} is ${kindOf(stats)}, not a folder.`, NOT_OURS_HINT);
    const wanted = new Set(byFolder.get(folder));
    for (const name of readdirSync(path).sort()) {
      const entry = lstatSync(join(path, name));
      const ours = entry.isFile() && (OWN_FILE.test(name) || OWN_TEMP.test(name));
      if (!ours) throw refuse(dir, `${folder}/${shownPath(name)} is ${kindOf(entry)} that sql --out did not write.`, NOT_OURS_HINT);
      if (!wanted.has(name)) stale.push(`${folder}/${name}`);
    }
  }

  // 2. Write each file through a temporary file and a rename; then remove what is stale.
  const written: string[] = [];
  try {
    for (const folder of FOLDERS) mkdirSync(join(dir, folder), { recursive: true });
    for (const file of files) {
      const [folder, base] = file.name.split("/") as [string, string];
      const temp = join(dir, folder, `.${base}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
      const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o644);
      try {
        writeSync(fd, file.sql);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, join(dir, file.name));
      written.push(file.name);
    }
    for (const name of stale) unlinkSync(join(dir, name));
  } catch (error) {
    throw refuse(dir, `cannot write the export (${describeFsError(error)}).`);
  }
  return { written, removed: stale.filter((name) => !OWN_TEMP.test(name.split("/")[1]!)) };
}
