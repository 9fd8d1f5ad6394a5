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

    // Issue 13, item 9: each of these exited 1 without a hint.
    describe("a connection that cannot be made: exit status 4, one line and a hint, for the migrator and for db create", () => {
      const expectAccessError = (result: { code: number | null; stdout: string; stderr: string }, what: string, message: RegExp) => {
        expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(4);
        expect(result.stderr, what).toMatch(message);
        // Driver warnings (pg's about sslmode) come first, one line each.
        expect(result.stderr, what).toMatch(/^(warning: [^\n]+\n)*error: [^\n]+\nhint: [^\n]+\n$/);
        expect(result.stdout + result.stderr, what).not.toContain(secret);
      };
      const commands = (url: string) => [["status", "--url", url], ["db", "create", "--url", url]];

      it("a server that accepts the TCP connection, then closes it", async () => {
        const closing: Server = createServer((socket) => socket.end());
        await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
        const { port } = closing.address() as { port: number };
        try {
          const url = withUrl(db.url, (u) => { u.port = String(port); u.password = secret; });
          for (const args of commands(url)) {
            const result = await runCli(args, { cwd, timeoutMs: 15_000 });
            expectAccessError(result, args[0]!, /^error: .*PostgreSQL at 127\.0\.0\.1:\d+/);
          }
        } finally {
          closing.close();
        }
      });

      it("db create against a server that never answers gives up after --connect-timeout", async () => {
        const silent: Server = createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const { port } = silent.address() as { port: number };
        try {
          const url = withUrl(db.url, (u) => { u.port = String(port); u.password = secret; });
          const result = await runCli(["db", "create", "--url", url, "--connect-timeout", "500"], { cwd, timeoutMs: 15_000 });
          expectAccessError(result, "db create", /^error: Cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(connection timed out\)\.\n/);
        } finally {
          silent.close();
        }
      });

      it("?host= naming a Unix socket directory that does not exist", async () => {
        const missing = join(cwd, "no-such-socket-dir");
        const url = `postgresql://better_auth_owner:${secret}@localhost/${db.name}?host=${encodeURIComponent(missing)}`;
        for (const args of commands(url)) {
          const result = await runCli(args, { cwd });
          expectAccessError(result, args[0]!, new RegExp(`^error: Cannot reach PostgreSQL at ${missing.replaceAll("/", "\\/")}/\\.s\\.PGSQL\\.5432 \\(no such socket\\)\\.\\nhint: .*socket`));
        }
      });

      it("sslmode=require against a server without TLS", async () => {
        const url = withUrl(db.url, (u) => { u.password = secret; u.searchParams.set("sslmode", "require"); });
        for (const args of commands(url)) {
          const result = await runCli(args, { cwd });
          expectAccessError(result, args[0]!, /^(warning: [^\n]+\n)*error: PostgreSQL at 127\.0\.0\.1:\d+ does not accept TLS connections, and the URL requires TLS \(sslmode=require\)\.\nhint: /);
        }
      });
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
