/**
 * SQLite rebuilds a table for what ALTER TABLE cannot do (a current-time default on a table with
 * rows, a column's type): the rebuild copies the columns the model knows, so it refuses a live table
 * with others rather than lose them (issue 14).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { betterAuthCompat } from "@better-auth/migrate-core";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";

describe("table rebuilds on SQLite", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "ba-sqlite-rebuild-"));
    file = join(dir, "auth.db");
    const core = createMigrator({ url: file });
    await core.up();
    await core.close();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const schemaText = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name").all();
    } finally {
      db.close();
    }
  };

  it("refuses to rebuild a table that has a column the model does not know, and changes nothing", async () => {
    const db = new Database(file);
    db.exec(`ALTER TABLE sessions ADD COLUMN device TEXT; INSERT INTO users (id) VALUES ('u1');
      INSERT INTO sessions (id, user_id, token, expires_at, device) VALUES ('s1', 'u1', 't1', '2100-01-01T00:00:00.000Z', 'phone')`);
    db.close();
    const before = schemaText();
    const compat = createMigrator({ url: file, extensions: betterAuthCompat() });
    try {
      await expect(compat.up()).rejects.toThrow(/better_auth_0001_core failed: CHECK constraint failed: sessions has columns the model does not know; rebuild refused/);
      expect(schemaText()).toEqual(before);
      expect((await compat.status()).find((s) => s.id === "better_auth_0001_core")!.state).toBe("pending");
    } finally {
      await compat.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT device FROM sessions").all()).toEqual([{ device: "phone" }]);
    after.close();
  });
});
