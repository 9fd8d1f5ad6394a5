/** Issue 20, item 14: the compile cache only in a folder the running user owns and no one else may write. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ownCompileCacheDir } from "./compile-cache.js";

// Linux (the supported platform, SPEC §2) always has user ids: no condition to skip on.
describe("ownCompileCacheDir", () => {
  const uid = process.getuid!();
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "ba-cli-cache-"));
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it("creates the folder as the user's own (0700) and uses it, also when it exists so", () => {
    expect(ownCompileCacheDir(base, uid)).toBe(join(base, "node-compile-cache"));
    expect(statSync(join(base, "node-compile-cache")).mode & 0o777).toBe(0o700);
    chmodSync(join(base, "node-compile-cache"), 0o755);
    expect(ownCompileCacheDir(base, uid)).toBe(join(base, "node-compile-cache"));
  });

  it("no cache in a folder others may write, another user's folder, a link, or a temporary folder others may rename it out of", () => {
    mkdirSync(join(base, "node-compile-cache"));
    chmodSync(join(base, "node-compile-cache"), 0o777);
    expect(ownCompileCacheDir(base, uid)).toBeUndefined();
    chmodSync(join(base, "node-compile-cache"), 0o700);
    // Owned by someone else: the same folder seen by another user id.
    expect(ownCompileCacheDir(base, uid + 1)).toBeUndefined();
    rmSync(join(base, "node-compile-cache"), { recursive: true });
    mkdirSync(join(base, "elsewhere"), { mode: 0o700 });
    symlinkSync(join(base, "elsewhere"), join(base, "node-compile-cache"));
    expect(ownCompileCacheDir(base, uid)).toBeUndefined();
    rmSync(join(base, "node-compile-cache"));
    chmodSync(base, 0o777);
    expect(ownCompileCacheDir(base, uid)).toBeUndefined();
    chmodSync(base, 0o1777);
    expect(ownCompileCacheDir(base, uid)).toBe(join(base, "node-compile-cache"));
  });
});
