/** Connections on MySQL: the session settings of SPEC issue 11 and errors typed for people. */
import { createHash } from "node:crypto";
import { accessErrorOf } from "@better-auth/adapter-suite";
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase, withUrl } from "@better-auth/test-databases";
import { Kysely, MysqlDialect, sql } from "kysely";
import mysql from "mysql2";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createDatabase, createMigrator, dropDatabase } from "../src/index.js";
import { connectionOptions, openDatabase } from "../src/mysql-connection.js";

afterAll(closeMysqlAdminPools);

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

const server = inject("mariadbServer");

describe(`connections on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("every connection the adapter opens is strict and in UTC, on a server that is neither", async () => {
    const [global] = (await db.admin("SELECT @@GLOBAL.sql_mode AS mode, @@GLOBAL.time_zone AS tz")) as { mode: string; tz: string }[];
    expect(global!.tz).toBe("-07:00");
    const kysely = openDatabase(db.url);
    try {
      const { rows } = await sql<{ mode: string; tz: string }>`SELECT @@SESSION.sql_mode AS mode, @@SESSION.time_zone AS tz`.execute(kysely);
      expect(rows[0]!.tz).toBe("+00:00");
      expect(rows[0]!.mode.split(",")).toEqual(expect.arrayContaining(["STRICT_ALL_TABLES", "NO_ZERO_DATE", "NO_ZERO_IN_DATE"]));
      // Strict: a NOT NULL column left out is an error, not ''.
      await sql`CREATE TABLE strictness (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL)`.execute(kysely);
      await expect(sql`INSERT INTO strictness (id) VALUES (1)`.execute(kysely)).rejects.toThrow(/doesn't have a default value/);
    } finally {
      await kysely.destroy();
    }
  });

  it("a caller's pool gets the settings while migrations run, and its own back afterwards", async () => {
    const pool = mysql.createPool({ uri: db.url, connectionLimit: 1 });
    const kysely = new Kysely<unknown>({ dialect: new MysqlDialect({ pool }) });
    try {
      await sql`SET SESSION sql_mode = 'ANSI_QUOTES', time_zone = '+02:00'`.execute(kysely);
      const migrator = createMigrator({ pool });
      await migrator.up();
      await migrator.close();
      const { rows } = await sql<{ mode: string; tz: string }>`SELECT @@SESSION.sql_mode AS mode, @@SESSION.time_zone AS tz`.execute(kysely);
      expect(rows[0]).toEqual({ mode: "ANSI_QUOTES", tz: "+02:00" });
      // The ledger's applied_at was written in UTC even so.
      const ledger = (await db.admin("SELECT CAST(applied_at AS CHAR) AS at FROM better_auth_migrations LIMIT 1")) as { at: string }[];
      expect(Math.abs(Date.parse(`${ledger[0]!.at.replace(" ", "T")}Z`) - Date.now())).toBeLessThan(60_000);
    } finally {
      await kysely.destroy();
    }
  });

  it("a login without the privileges a migration needs: PERMISSION_DENIED, nothing applied", async () => {
    const user = `ro_${db.name}`;
    await db.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY 'ro-secret'`);
    try {
      await db.admin(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'%'`);
      const error = await accessErrorOf(createMigrator({ url: withUrl(db.url, (u) => { u.username = user; u.password = "ro-secret"; }) }));
      expect(error.code).toBe("PERMISSION_DENIED");
      expect(error.message).not.toContain("ro-secret");
      expect(error.hint).toMatch(/GRANT|Grant/);
      const tables = (await db.admin("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()")) as { n: number }[];
      expect(Number(tables[0]!.n)).toBe(0);
    } finally {
      await db.admin(`DROP USER '${user}'@'%'`);
    }
  });

  it("an account without rights on the database cannot hold the migration lock: the name has a key only the database's users can read", async () => {
    const user = `in_${db.name}`;
    await db.admin(`CREATE USER '${user}'@'%' IDENTIFIED BY 'in-secret'`);
    const intruder = mysql.createConnection(connectionOptions(withUrl(db.url, (u) => { u.username = user; u.password = "in-secret"; }), { database: null })).promise();
    try {
      // The names a lock on this database could be guessed by: its name, as earlier releases used.
      const [held] = await intruder.query("SELECT GET_LOCK(?, 0) AS a, GET_LOCK(?, 0) AS b", [`better_auth_migrate:${db.name}`, `better_auth_migrate:${md5(db.name)}`]);
      expect(held).toEqual([{ a: 1, b: 1 }]);
      const migrator = createMigrator({ url: db.url, lockTimeoutMs: 1000 });
      try {
        expect((await migrator.up()).applied).toHaveLength(2);
      } finally {
        await migrator.close();
      }
      // The key is in a table the intruder cannot read.
      await expect(intruder.query(`SELECT lock_key FROM \`${db.name}\`.better_auth_migrations_lock_key`)).rejects.toThrow(/denied/);
    } finally {
      await intruder.end();
      await db.admin(`DROP USER '${user}'@'%'`);
    }
  });

  it("a database that does not exist, asked by a login that may see it: DATABASE_NOT_FOUND", async () => {
    const error = await accessErrorOf(createMigrator({ url: withUrl(server.adminUrl, (u) => (u.pathname = "/no_such_database")) }));
    expect(error.code).toBe("DATABASE_NOT_FOUND");
    expect(error.message).toMatch(/has no database "no_such_database"/);
    expect(error.message).not.toContain(new URL(server.adminUrl).password);
  });

  it("createDatabase and dropDatabase report what they did, and refuse a URL without a database", async () => {
    const url = withUrl(server.adminUrl, (u) => (u.pathname = `/${db.name}_made`));
    expect(await createDatabase({ url })).toEqual({ database: `${db.name}_made`, created: true });
    expect(await createDatabase({ url })).toEqual({ database: `${db.name}_made`, created: false });
    const [made] = (await db.admin("SELECT default_collation_name AS c FROM information_schema.schemata WHERE schema_name = ?", [`${db.name}_made`])) as { c: string }[];
    expect(made!.c).toBe("utf8mb4_bin");
    expect(await dropDatabase({ url })).toEqual({ database: `${db.name}_made`, dropped: true });
    expect(await dropDatabase({ url })).toEqual({ database: `${db.name}_made`, dropped: false });
    await expect(createDatabase({ url: withUrl(server.adminUrl, (u) => (u.pathname = "/")) })).rejects.toThrow(/names no database/);
    expect(() => createMigrator({ url: withUrl(server.adminUrl, (u) => (u.pathname = "/")) })).toThrow(/names no database/);
  });

  it("survives the server closing its idle connections, and reconnects", async () => {
    const migrator = createMigrator({ url: db.url });
    try {
      await migrator.up();
      const ids = (await db.admin("SELECT id FROM information_schema.processlist WHERE user = 'better_auth_owner' AND db = DATABASE()")) as { id: number }[];
      expect(ids.length).toBeGreaterThan(0);
      for (const { id } of ids) await db.admin(`KILL CONNECTION ${Number(id)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
    } finally {
      await migrator.close();
    }
  });
});
