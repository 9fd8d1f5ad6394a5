import { lstatSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Where Node may keep its compile cache for this process, or undefined for no cache:
 * `$TMPDIR/node-compile-cache` (Node's own default) only when it is a folder (not a link) that the
 * running user owns and no one else may write, in a temporary folder others cannot rename it out of
 * (not writable by others, or sticky like /tmp). Created as such (mode 0700) when missing. A folder
 * another local user made (mode 0777, say) would let them plant compiled code that this process,
 * perhaps root, then runs. On Windows (no uid) the per-user temporary folder is taken as it is.
 */
export function ownCompileCacheDir(base: string = tmpdir(), uid: number | undefined = process.getuid?.()): string | undefined {
  const dir = join(base, "node-compile-cache");
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EEXIST") return undefined;
  }
  try {
    const parent = lstatSync(base);
    const stats = lstatSync(dir);
    if (!stats.isDirectory()) return undefined;
    if (uid === undefined) return dir;
    const othersMayReplace = (parent.mode & 0o002) !== 0 && (parent.mode & 0o1000) === 0;
    return stats.uid === uid && (stats.mode & 0o022) === 0 && !othersMayReplace ? dir : undefined;
  } catch {
    return undefined;
  }
}
