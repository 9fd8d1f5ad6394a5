import { randomBytes } from "node:crypto";
import mysql, { type Pool } from "mysql2/promise";

/** The login that every migration under test runs as: all privileges on its database, none beyond. */
export const MYSQL_OWNER_USER = "better_auth_owner";
export const MYSQL_OWNER_PASSWORD = "owner-secret";

export interface MysqlTestDatabase {
  /** `mysql://better_auth_owner:...@127.0.0.1:PORT/NAME`: the non-admin owner, not root. */
  readonly url: string;
  readonly name: string;
  /** Runs one SQL statement as root inside this database (for set-up and inspection only); returns its rows. */
  admin(sql: string, values?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

const adminPools = new Map<string, Pool>();

function adminPool(adminUrl: string): Pool {
  let pool = adminPools.get(adminUrl);
  if (!pool) {
    pool = mysql.createPool({
      uri: adminUrl,
      connectionLimit: 2,
      multipleStatements: false,
      // Dates cross the wire as UTC and come back as Date objects, whatever the server's time zone.
      timezone: "Z",
      dateStrings: false,
    });
    adminPools.set(adminUrl, pool);
  }
  return pool;
}

/**
 * Both hosts: '%' is what TCP logins from 127.0.0.1 match, 'localhost' covers socket logins.
 * IF NOT EXISTS makes this safe when several test files create it at once.
 */
async function ensureOwnerUser(pool: Pool): Promise<void> {
  for (const host of ["%", "localhost"]) {
    await pool.query("CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?", [MYSQL_OWNER_USER, host, MYSQL_OWNER_PASSWORD]);
  }
}

function withCredentials(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = MYSQL_OWNER_USER;
  url.password = MYSQL_OWNER_PASSWORD;
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates an empty database (utf8mb4, binary collation) whose owner user has every privilege on it
 * and none elsewhere, so that every test starts from nothing with an application's privileges.
 */
export async function createMysqlTestDatabase(adminUrl: string): Promise<MysqlTestDatabase> {
  const pool = adminPool(adminUrl);
  await ensureOwnerUser(pool);
  const name = `t_${randomBytes(6).toString("hex")}`;
  const database = mysql.escapeId(name);
  await pool.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  for (const host of ["%", "localhost"]) {
    await pool.query(`GRANT ALL PRIVILEGES ON ${database}.* TO ?@?`, [MYSQL_OWNER_USER, host]);
  }
  return {
    url: withCredentials(adminUrl, name),
    name,
    async admin(sql, values) {
      // The pool is shared by every database: pin a connection to this one for the statement.
      const connection = await pool.getConnection();
      try {
        await connection.query(`USE ${database}`);
        const [rows] = await connection.query(sql, values);
        return rows;
      } finally {
        connection.release();
      }
    },
    async drop() {
      await pool.query(`DROP DATABASE IF EXISTS ${database}`);
    },
  };
}

/** Closes the root pools; call from afterAll. */
export async function closeMysqlAdminPools(): Promise<void> {
  const pools = [...adminPools.values()];
  adminPools.clear();
  await Promise.all(pools.map((p) => p.end()));
}
