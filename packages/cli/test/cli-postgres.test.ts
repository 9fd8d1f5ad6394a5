import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAdminPools, createTestDatabase, freePort, type TestDatabase, withUrl } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { runCli } from "./run-cli.js";

afterAll(closeAdminPools);

// Only the first server: the CLI's behaviour does not depend on the PostgreSQL version, and the
// adapter's suites already run on every version.
const server = inject("postgresServers")[0]!;

describe(`better-auth-migrate on PostgreSQL ${server.version}`, () => {
  let db: TestDatabase;
  let cwd: string;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-pg-"));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("up applies the schema, names the database without its password, and reports progress", async () => {
    const result = await runCli(["up"], { cwd, env: { DATABASE_URL: db.url } });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe(`Database: ${withUrl(db.url, (u) => (u.password = "***"))}`);
    expect(lines[1]).toMatch(/^  applied 0001_core_tables  \(\d+ ms\)$/);
    expect(result.stdout + result.stderr).not.toContain(new URL(db.url).password);
    const tables = await db.admin("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'better_auth_migrations'");
    expect(tables.rows).toEqual([{ n: 6 }]);
    const status = await runCli(["status", "--check", "--url", db.url, "--json"], { cwd });
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain(new URL(db.url).password);
  });

  it("db create and db drop a database", async () => {
    await db.admin("SELECT 1");
    // The owner role may not create databases; the superuser may.
    const url = withUrl(server.adminUrl, (u) => (u.pathname = `/${db.name}_made`));
    const created = await runCli(["db", "create", "--url", url], { cwd });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Created database ${db.name}_made.`);
    expect((await runCli(["db", "create", "--url", url], { cwd })).stdout).toContain("already exists");
    const up = await runCli(["up", "--url", url], { cwd });
    expect(up.code).toBe(0);
    const dropped = await runCli(["db", "drop", "--yes", "--url", url, "--json"], { cwd });
    expect(dropped.code).toBe(0);
    expect(JSON.parse(dropped.stdout)).toEqual({ database: `${db.name}_made`, dropped: true });
    expect((await runCli(["db", "drop", "--yes", "--url", url], { cwd })).stdout).toContain("does not exist");
    expect(dropped.stdout + created.stdout).not.toContain(new URL(server.adminUrl).password);
  });

  describe("errors: one line, a hint, exit status 4, and never the password", () => {
    const secret = "Sup3r-Secret-Pw";
    const cases: [string, (url: string) => Promise<string>, RegExp][] = [
      ["wrong password", async (url) => withUrl(url, (u) => (u.password = secret)), /^error: PostgreSQL at 127\.0\.0\.1:\d+ refused the login of user "better_auth_owner"\.\nhint: /],
      ["missing database", async (url) => withUrl(url, (u) => (u.pathname = "/no_such_db")), /^error: PostgreSQL at 127\.0\.0\.1:\d+ has no database "no_such_db"\.\nhint: /],
      ["connection refused", async (url) => { const port = await freePort(); return withUrl(url, (u) => { u.port = String(port); u.password = secret; }); }, /^error: Cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.\nhint: /],
    ];
    for (const [name, makeUrl, expected] of cases) {
      for (const json of [false, true]) {
        it(`${name}${json ? " (--json)" : ""}`, async () => {
          const url = await makeUrl(db.url);
          const result = await runCli(["up", "--url", url, ...(json ? ["--json"] : [])], { cwd });
          expect(result.code).toBe(4);
          expect(result.stdout + result.stderr).not.toContain(new URL(url).password);
          if (json) expect(JSON.parse(result.stdout).error.code).toMatch(/^(AUTHENTICATION_FAILED|DATABASE_NOT_FOUND|UNREACHABLE)$/);
          else expect(result.stderr).toMatch(expected);
        });
      }
    }

    it("unreachable host: gives up after --connect-timeout", async () => {
      // Accepts TCP connections and never answers, like a host behind a black hole.
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const { port } = silent.address() as { port: number };
      try {
        const url = withUrl(db.url, (u) => { u.port = String(port); u.password = secret; });
        const result = await runCli(["status", "--url", url, "--connect-timeout", "500"], { cwd, timeoutMs: 15_000 });
        expect(result.code).toBe(4);
        expect(result.stderr).toMatch(/^error: Cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(connection timed out\)\.\nhint: /);
        expect(result.stdout + result.stderr).not.toContain(secret);
      } finally {
        silent.close();
      }
    });

    it("read-only target", async () => {
      await db.admin(`ALTER DATABASE ${db.name} SET default_transaction_read_only = on`);
      const result = await runCli(["up", "--url", db.url], { cwd });
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^error: PostgreSQL at 127\.0\.0\.1:\d+ accepts only reads here: .*read-only transaction.*\nhint: Point the URL at the primary/);
      expect(result.stdout + result.stderr).not.toContain(new URL(db.url).password);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query("SELECT to_regclass('users') AS t")).rows).toEqual([{ t: null }]);
      await client.end();
    });
  });
});
