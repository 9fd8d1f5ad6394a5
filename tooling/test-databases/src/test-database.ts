import { randomBytes } from "node:crypto";
import pg from "pg";

/** The login that every migration under test runs as: owns its database, is not a superuser. */
export const OWNER_ROLE = "better_auth_owner";
export const OWNER_PASSWORD = "owner-secret";

export interface TestDatabase {
  /** Connection URL as the non-superuser owner of the database. */
  readonly url: string;
  readonly name: string;
  /** Runs SQL as the superuser inside this database (for set-up and inspection only). */
  admin(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

const adminPools = new Map<string, pg.Pool>();

function adminPool(adminUrl: string): pg.Pool {
  let pool = adminPools.get(adminUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: adminUrl, max: 2 });
    // A test that restarts a server cuts these sessions; the pool reconnects, nothing to report.
    pool.on("error", () => undefined);
    adminPools.set(adminUrl, pool);
  }
  return pool;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Creates an empty database owned by a non-superuser role, so that every test starts from nothing
 * and runs with the privileges an application would have.
 */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const admin = adminPool(adminUrl);
  await admin.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${OWNER_ROLE}') THEN
        CREATE ROLE ${OWNER_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${OWNER_PASSWORD}';
      END IF;
    END $$`).catch((error: { code?: string }) => {
    // Two files creating the role at once: the loser sees a duplicate; the role exists either way.
    if (error.code !== "23505" && error.code !== "42710") throw error;
  });
  const name = `t_${randomBytes(6).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE} TEMPLATE template0`);
  const dbAdmin = new pg.Pool({ connectionString: withDatabase(adminUrl, name), max: 1 });
  dbAdmin.on("error", () => undefined);
  const ownerUrl = new URL(withDatabase(adminUrl, name));
  ownerUrl.username = OWNER_ROLE;
  ownerUrl.password = OWNER_PASSWORD;
  return {
    url: ownerUrl.toString(),
    name,
    admin: (text, values) => dbAdmin.query(text, values),
    async drop() {
      await dbAdmin.end();
      // pg's pool.end() resolves before its sockets close. Forcing the drop at once would kill
      // backends that are still saying goodbye, and the client would see a FATAL error nobody
      // listens for; so wait for sessions to leave, and force only those that linger.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name}${attempt >= 50 ? " WITH (FORCE)" : ""}`);
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    },
  };
}

/** Closes the superuser pools; call from afterAll. */
export async function closeAdminPools(): Promise<void> {
  const pools = [...adminPools.values()];
  adminPools.clear();
  await Promise.all(pools.map((p) => p.end()));
}
