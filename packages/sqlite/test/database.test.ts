/** db create / db drop on SQLite files (issue 13, item 12: drop deletes only what belongs to the database). */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase } from "../src/index.js";

describe("dropDatabase on SQLite", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ba-sqlite-drop-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves files beside the database that only share its name", async () => {
    const file = join(dir, "notes");
    await createDatabase({ url: file });
    writeFileSync(`${file}-journal`, "my journal, not SQLite's");
    writeFileSync(`${file}-wal`, "a text file too");
    expect(await dropDatabase({ url: file })).toEqual({ database: file, dropped: true });
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}-journal`, "utf8")).toBe("my journal, not SQLite's");
    expect(readFileSync(`${file}-wal`, "utf8")).toBe("a text file too");
  });

  it("deletes the WAL and shared-memory files of a database in WAL mode", async () => {
    const file = join(dir, "auth.db");
    const open = new Database(file);
    open.pragma("journal_mode = WAL");
    open.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
    try {
      expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
      await dropDatabase({ url: file });
      expect([file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f))).toEqual([]);
    } finally {
      open.close();
    }
  });
});
