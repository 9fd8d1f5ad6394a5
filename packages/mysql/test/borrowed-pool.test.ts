/**
 * A caller's mysql2 pool (createMigrator({ pool })) whose connections are set up the caller's way:
 * autocommit off, ANSI_QUOTES or ORACLE in sql_mode, DATETIME read in a local time zone. The
 * migrator's work commits, reads the catalog right and reports instants as they are.
 */
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import mysql from "mysql2";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

/** A pool whose every new connection first runs `setting`, as an application's `connection` handler would. */
function callerPool(url: string, setting?: string, options: mysql.PoolOptions = {}): mysql.Pool {
  const pool = mysql.createPool({ uri: url, connectionLimit: 2, ...options });
  if (setting) pool.on("connection", (connection) => connection.query(setting));
  return pool;
}

describe(`a caller's mysql2 pool on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  let pool: mysql.Pool | undefined;
  beforeEach(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
    await migrateUp(db.url);
  });
  afterEach(async () => {
    await new Promise((resolve) => (pool ? pool.end(resolve) : resolve(undefined)));
    pool = undefined;
    await db.drop();
  });

  it("autocommit=0: the sessions cleanupExpiredSessions() counts are gone for every other connection", async () => {
    await db.admin("INSERT INTO users (id, email, name) VALUES ('u1', 'a@example.com', 'A')");
    await db.admin(
      `INSERT INTO sessions (id, user_id, token, expires_at) VALUES
       ('s_old', 'u1', 't1', UTC_TIMESTAMP(3) - INTERVAL 1 HOUR), ('s_new', 'u1', 't2', UTC_TIMESTAMP(3) + INTERVAL 1 HOUR)`,
    );
    pool = callerPool(db.url, "SET SESSION autocommit = 0");
    const migrator = createMigrator({ pool });
    expect(await migrator.cleanupExpiredSessions()).toBe(1);
    expect(await db.admin("SELECT id FROM sessions ORDER BY id")).toEqual([{ id: "s_new" }]);
  });

  it("autocommit=0: after down, every other connection sees the ledger down() left", async () => {
    pool = callerPool(db.url, "SET SESSION autocommit = 0");
    const migrator = createMigrator({ pool });
    const { reverted } = await migrator.down({ steps: 2 });
    expect(reverted).toHaveLength(2);
    expect(await db.admin("SELECT id, steps_applied FROM better_auth_migrations")).toEqual([]);
    // And the caller's connections have autocommit off again.
    const [rows] = await pool.promise().query("SELECT @@SESSION.autocommit AS autocommit");
    expect(rows).toEqual([{ autocommit: 0 }]);
  });

  it.each(["ANSI_QUOTES", "ORACLE"])("sql_mode %s: check finds a correct database clean", async (mode) => {
    pool = callerPool(db.url, `SET SESSION sql_mode = '${mode}'`);
    const migrator = createMigrator({ pool });
    const report = await migrator.check();
    expect(report.findings).toEqual([]);
    expect(report.clean).toBe(true);
  });

  it("timezone '+07:00' in the pool options: status reports when migrations were applied as the instant it was", async () => {
    pool = callerPool(db.url, undefined, { timezone: "+07:00" });
    const migrator = createMigrator({ pool });
    const [stored] = (await db.admin("SELECT CAST(applied_at AS CHAR) AS at FROM better_auth_migrations ORDER BY id LIMIT 1")) as { at: string }[];
    const status = await migrator.status();
    expect(status[0]!.appliedAt?.toISOString()).toBe(`${stored!.at.replace(" ", "T")}Z`);
  });
});
