import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { accessErrorOf } from "@better-auth/adapter-suite";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";

describe("SQLite connections", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ba-sqlite-conn-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const accessError = (url: string) => accessErrorOf(createMigrator({ url }));

  it("creates the file on first up", async () => {
    const migrator = createMigrator({ url: `sqlite:${join(dir, "new.db")}` });
    expect((await migrator.up()).applied).toHaveLength(2);
    await migrator.close();
  });

  it("reports a folder that does not exist", async () => {
    expect((await accessError(`sqlite:${join(dir, "missing", "auth.db")}`)).code).toBe("DATABASE_NOT_FOUND");
  });

  it("reports a file that is not an SQLite database", async () => {
    writeFileSync(join(dir, "notes.txt"), "x".repeat(4096));
    expect((await accessError(join(dir, "notes.txt"))).code).toBe("DATABASE_NOT_FOUND");
  });

  it("reports a read-only database, and changes nothing", async () => {
    const file = join(dir, "ro.db");
    new Database(file).close();
    expect((await accessError(`sqlite:${file}?mode=ro`)).code).toBe("READ_ONLY");
    const check = new Database(file);
    expect(check.prepare("SELECT name FROM sqlite_schema").all()).toEqual([]);
    check.close();
  });

  it("honours lockTimeoutMs while another connection holds the database exclusively, and says LOCK_TIMEOUT", async () => {
    const file = join(dir, "busy.db");
    const first = createMigrator({ url: `sqlite:${file}` });
    await first.up();
    await first.close();
    const other = new Database(file);
    other.exec("BEGIN EXCLUSIVE");
    const migrator = createMigrator({ url: `sqlite:${file}`, lockTimeoutMs: 300 });
    try {
      for (const call of [() => migrator.status(), () => migrator.up(), () => migrator.cleanupExpiredSessions()]) {
        await expect(call()).rejects.toMatchObject({ code: "LOCK_TIMEOUT", message: expect.stringContaining("300 ms") });
      }
      other.exec("ROLLBACK");
      expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
    } finally {
      await migrator.close();
      other.close();
    }
  });

  it("accepts an open better-sqlite3 database and leaves it open", async () => {
    const database = new Database(join(dir, "open.db"));
    const migrator = createMigrator({ database });
    await migrator.up();
    await migrator.close();
    expect(database.prepare("SELECT count(*) AS n FROM better_auth_migrations").get()).toEqual({ n: 2 });
    expect(database.pragma("foreign_keys", { simple: true })).toBe(1);
    database.close();
  });
});

describe("SQLite updated_at trigger", () => {
  it("terminates with recursive_triggers on, and moves updated_at", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ba-sqlite-trigger-"));
    try {
      const database = new Database(join(dir, "t.db"));
      const migrator = createMigrator({ database });
      await migrator.up();
      await migrator.close();
      database.pragma("recursive_triggers = ON");
      database.exec(`INSERT INTO users (id, updated_at) VALUES ('u1', '2001-01-01T00:00:00.000Z')`);
      for (let i = 0; i < 3; i++) database.exec(`UPDATE users SET name = 'n${i}' WHERE id = 'u1'`);
      const row = database.prepare("SELECT name, updated_at FROM users").get() as { name: string; updated_at: string };
      expect(row.name).toBe("n2");
      expect(Date.parse(row.updated_at)).toBeGreaterThan(Date.parse("2001-01-01T00:00:00.000Z"));
      database.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SQLite commit", () => {
  it("reports nothing as applied when the final commit cannot happen, and says the lock timed out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ba-sqlite-commit-"));
    const file = join(dir, "t.db");
    try {
      // A reader in the middle of a read transaction keeps a writer from committing (rollback journal).
      const reader = new Database(file);
      reader.exec("CREATE TABLE keep (x INTEGER); INSERT INTO keep VALUES (1)");
      reader.exec("BEGIN");
      reader.prepare("SELECT * FROM keep").all();
      const migrator = createMigrator({ url: `sqlite:${file}`, lockTimeoutMs: 200 });
      const done: string[] = [];
      const error = await migrator.up({ onProgress: (e) => e.type === "done" && done.push(e.id) }).catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe("LOCK_TIMEOUT");
      expect(done).toEqual([]);
      reader.exec("COMMIT");
      expect((await migrator.status()).map((s) => s.state)).toEqual(["pending", "pending"]);
      expect((await migrator.up()).applied).toHaveLength(2);
      await migrator.close();
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("A ledger better-auth-migrate did not make", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ba-sqlite-ledger-"));
    file = join(dir, "auth.db");
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("is refused with FOREIGN_LEDGER, naming its trigger, and never written to", async () => {
    const db = new Database(file);
    // The right columns, and a trigger that runs with every row a migration records.
    db.exec(`CREATE TABLE better_auth_migrations (id TEXT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        duration_ms INTEGER NOT NULL, steps_applied INTEGER, baselined INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE loot (id TEXT);
      CREATE TRIGGER planted AFTER INSERT ON better_auth_migrations BEGIN INSERT INTO loot VALUES (NEW.id); END;`);
    db.close();
    const migrator = createMigrator({ url: file });
    try {
      await expect(migrator.up()).rejects.toMatchObject({ code: "FOREIGN_LEDGER", message: expect.stringMatching(/better_auth_migrations was not made by better-auth-migrate: it has trigger planted/) });
      await expect(migrator.status()).rejects.toMatchObject({ code: "FOREIGN_LEDGER" });
    } finally {
      await migrator.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT (SELECT count(*) FROM better_auth_migrations) AS ledger, (SELECT count(*) FROM loot) AS loot").get()).toEqual({ ledger: 0, loot: 0 });
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'users'").get()).toEqual({ n: 0 });
    after.close();
  });

  it("is refused when it is a view", async () => {
    const db = new Database(file);
    db.exec(`CREATE TABLE real_ledger (id TEXT, name TEXT, checksum TEXT, applied_at TEXT, duration_ms INTEGER, steps_applied INTEGER, baselined INTEGER);
      CREATE VIEW better_auth_migrations AS SELECT * FROM real_ledger;`);
    db.close();
    const migrator = createMigrator({ url: file });
    try {
      await expect(migrator.up()).rejects.toMatchObject({ code: "FOREIGN_LEDGER", message: expect.stringMatching(/it is a view/) });
    } finally {
      await migrator.close();
    }
  });
});
