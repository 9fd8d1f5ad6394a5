/**
 * SQLite rebuilds a table for what ALTER TABLE cannot do (a current-time default on a table with
 * rows, a column's type): the rebuild copies the columns the model knows, so it refuses a live table
 * with others rather than lose them (issue 14).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { betterAuthCompat, defineExtension, now } from "@better-auth/migrate-core";
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

  /** The application's own tables and objects around `sessions`, on a database after `up`. */
  const addApplication = () => {
    const db = new Database(file);
    db.pragma("foreign_keys = ON");
    db.exec(`
      CREATE TABLE app_devices (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE);
      CREATE TABLE app_audit (id INTEGER PRIMARY KEY, session_id TEXT REFERENCES sessions (id) ON DELETE SET NULL);
      CREATE TABLE app_log (id INTEGER PRIMARY KEY, session_id TEXT);
      CREATE INDEX app_sessions_agent ON sessions (user_agent);
      CREATE TRIGGER app_sessions_logged AFTER INSERT ON sessions BEGIN INSERT INTO app_log (session_id) VALUES (NEW.id); END;
      CREATE VIEW app_session_devices AS SELECT s.id, d.id AS device FROM sessions AS s JOIN app_devices AS d ON d.session_id = s.id;
      INSERT INTO users (id, email) VALUES ('u1', 'a@example.com');
      INSERT INTO sessions (id, user_id, token, expires_at, user_agent) VALUES
        ('s1', 'u1', 't1', '2100-01-01T00:00:00.000Z', 'phone'), ('s2', 'u1', 't2', '2100-01-01T00:00:00.000Z', 'laptop');
      INSERT INTO app_devices (session_id) VALUES ('s1'), ('s1'), ('s2');
      INSERT INTO app_audit (session_id) VALUES ('s1'), ('s2');
    `);
    db.close();
  };

  /** What the application holds: its rows, the references, and whether its own objects are there. */
  const applicationState = () => {
    const db = new Database(file, { readonly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return {
        sessions: count("sessions"),
        devices: count("app_devices"),
        audited: db.prepare("SELECT session_id FROM app_audit ORDER BY id").all(),
        viewRows: count("app_session_devices"),
        own: db.prepare("SELECT type, name FROM sqlite_schema WHERE name LIKE 'app_sessions_%' ORDER BY name").all(),
      };
    } finally {
      db.close();
    }
  };

  it("keeps the rows of the tables that reference a rebuilt table, and the application's index, trigger and view, both ways", async () => {
    addApplication();
    const kept = {
      sessions: 2,
      devices: 3,
      audited: [{ session_id: "s1" }, { session_id: "s2" }],
      viewRows: 3,
      own: [{ type: "index", name: "app_sessions_agent" }, { type: "trigger", name: "app_sessions_logged" }],
    };
    expect(applicationState()).toEqual(kept);
    const database = new Database(file);
    const compat = createMigrator({ database, extensions: betterAuthCompat({ plugins: [] }) });
    try {
      await compat.up();
      expect(applicationState()).toEqual(kept);
      // The connection enforces foreign keys again once the run is over.
      expect(database.pragma("foreign_keys", { simple: true })).toBe(1);
      await compat.down({ steps: 1, allowDataLoss: true });
      expect(applicationState()).toEqual(kept);
      await compat.up();
    } finally {
      await compat.close();
    }
    expect(applicationState()).toEqual(kept);
    // The application's trigger fires once per new session (the copies did not fire it), its index is used.
    const db = new Database(file);
    db.exec("INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s3', 'u1', 't3', '2100-01-01T00:00:00.000Z')");
    expect(db.prepare("SELECT session_id FROM app_log ORDER BY id").all()).toEqual([{ session_id: "s1" }, { session_id: "s2" }, { session_id: "s3" }]);
    expect(JSON.stringify(db.prepare("EXPLAIN QUERY PLAN SELECT id FROM sessions WHERE user_agent = 'phone'").all())).toContain("app_sessions_agent");
    db.close();
  });

  /** The compat migration's SQL file, run by a client as `sqlite3 -bail` would: stopped at the first error, nothing committed. */
  const runFile = (direction: "up" | "down", foreignKeys: boolean) => {
    const migrator = createMigrator({ url: file, extensions: betterAuthCompat({ plugins: [] }) });
    const text = migrator.sqlFiles().find((f) => f.direction === direction && f.migrationId === "better_auth_0001_core")!.sql;
    void migrator.close();
    const db = new Database(file);
    db.pragma(`foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
    try {
      db.exec(text);
    } finally {
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
    }
  };

  it("a SQL file refuses the rebuild, changing nothing, where it cannot keep every row and the application's objects", () => {
    addApplication();
    const before = applicationState();
    // Foreign keys enforced by the file's client: the DROP would delete and change rows of app_devices and app_audit.
    expect(() => runFile("up", true)).toThrow(/CHECK constraint failed: foreign keys are enforced on this connection and other tables reference sessions/);
    expect(applicationState()).toEqual(before);
    // Foreign keys off: the application's index and trigger would be lost, and a file cannot make them again.
    expect(() => runFile("up", false)).toThrow(/CHECK constraint failed: sessions had indexes or triggers of its own/);
    expect(applicationState()).toEqual(before);
    // Without them the file applies, and keeps every row.
    const db = new Database(file);
    db.exec("DROP INDEX app_sessions_agent; DROP TRIGGER app_sessions_logged");
    db.close();
    runFile("up", false);
    expect(applicationState()).toEqual({ ...before, own: [] });
  });

  it("refuses a rebuild that foreign_key_check finds broken, and a drop that leaves rows pointing at nothing", async () => {
    addApplication();
    const db = new Database(file);
    // A row the application wrote with foreign keys off, referencing no session.
    db.pragma("foreign_keys = OFF");
    db.exec("INSERT INTO app_audit (session_id) VALUES ('gone')");
    db.close();
    const compat = createMigrator({ url: file, extensions: betterAuthCompat({ plugins: [] }) });
    try {
      await expect(compat.up()).rejects.toThrow(/PRAGMA foreign_key_check finds rows of sessions or of tables that reference it without their parent row; rebuild refused/);
      const fixed = new Database(file);
      fixed.exec("DELETE FROM app_audit WHERE session_id = 'gone'; CREATE TABLE app_codes (id INTEGER PRIMARY KEY, verification_id TEXT REFERENCES verification (id) ON DELETE CASCADE)");
      fixed.close();
      await compat.up();
      const codes = new Database(file);
      codes.exec("INSERT INTO verification (id, identifier, value, expires_at) VALUES ('v1', 'a@example.com', 'x', '2100-01-01T00:00:00.000Z'); INSERT INTO app_codes (verification_id) VALUES ('v1')");
      codes.close();
      // down drops verification: with foreign keys enforced that would delete app_codes' row.
      await expect(compat.down({ steps: 1, allowDataLoss: true })).rejects.toThrow(/other tables have rows that reference verification; drop refused/);
    } finally {
      await compat.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT count(*) AS n FROM app_codes").get()).toEqual({ n: 1 });
    after.close();
    expect(applicationState().devices).toBe(3);
  });

  it("rebuilds a table the model's own tables reference (users) and keeps their rows", async () => {
    addApplication();
    const seen = defineExtension({ id: "0100_seen", name: "users.seen_at", columns: { users: { seen_at: { type: "timestamp", default: now() } } } });
    const migrator = createMigrator({ url: file, extensions: [seen] });
    try {
      await migrator.up();
      expect(applicationState().sessions).toBe(2);
      await migrator.down({ steps: 1, allowDataLoss: true });
    } finally {
      await migrator.close();
    }
    expect(applicationState()).toMatchObject({ sessions: 2, devices: 3 });
  });
});
