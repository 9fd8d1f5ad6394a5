import { accessErrorOf } from "@better-auth/adapter-suite";
import { closeAdminPools, createTestDatabase, freePort, type TestDatabase, withUrl } from "@better-auth/test-databases";
import { Kysely, PostgresDialect } from "kysely";
import { createServer, type Server } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";

afterAll(closeAdminPools);

const accessError = (url: string, options: { connectTimeoutMs?: number } = {}) => accessErrorOf(createMigrator({ url, ...options }));

describe.each(inject("postgresServers"))("connections on PostgreSQL $version", (server) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("accepts an existing pool and leaves it open", async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    const migrator = createMigrator({ pool });
    await migrator.up();
    await migrator.close();
    expect((await pool.query("SELECT count(*)::int AS n FROM better_auth_migrations")).rows).toEqual([{ n: 2 }]);
    await pool.end();
  });

  it("accepts an existing Kysely instance and leaves it open", async () => {
    const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url }) }) });
    const migrator = createMigrator({ db: kysely });
    expect((await migrator.up()).applied).toHaveLength(2);
    await migrator.close();
    expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
    await kysely.destroy();
  });

  it("survives the server closing its idle connections, and reconnects", async () => {
    const migrator = createMigrator({ url: db.url });
    try {
      await migrator.up();
      const { rows } = await db.admin(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = 'better_auth_owner'",
      );
      expect(rows[0].n).toBeGreaterThan(0);
      // The pool hears of the closed connection a moment later; without a listener that would
      // crash the process (and fail this run as an unhandled error).
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
    } finally {
      await migrator.close();
    }
  });

  it("needs exactly one of url, pool or db", () => {
    expect(() => createMigrator({} as never)).toThrow(/exactly one of url, pool or db/);
    expect(() => createMigrator({ url: db.url, ids: "serial" as never })).toThrow(/ids must be "string" or "uuid"/);
  });

  it("reports a refused login without the password", async () => {
    const url = withUrl(db.url, (u) => (u.password = "wrong-secret"));
    const error = await accessError(url);
    expect(error.code).toBe("AUTHENTICATION_FAILED");
    expect(error.message).toContain('user "better_auth_owner"');
    expect(`${error.message} ${error.hint}`).not.toContain("wrong-secret");
  });

  it("reports a missing database", async () => {
    const error = await accessError(withUrl(db.url, (u) => (u.pathname = "/no_such_database")));
    expect(error.code).toBe("DATABASE_NOT_FOUND");
    expect(error.message).toContain('"no_such_database"');
  });

  it("reports a server that refuses connections", async () => {
    const port = await freePort();
    const error = await accessError(withUrl(db.url, (u) => (u.port = String(port))));
    expect(error.code).toBe("UNREACHABLE");
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it("gives up on a server that never answers after connectTimeoutMs", async () => {
    // A listener that accepts connections and says nothing, like a host behind a black hole.
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const error = await accessError(withUrl(db.url, (u) => (u.port = String(port))), { connectTimeoutMs: 500 });
      expect(error.code).toBe("UNREACHABLE");
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      silent.close();
    }
  });

  it("reports a read-only database", async () => {
    await db.admin(`ALTER DATABASE ${db.name} SET default_transaction_read_only = on`);
    const error = await accessError(db.url);
    expect(error.code).toBe("READ_ONLY");
  });
});
