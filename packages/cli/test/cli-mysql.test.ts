import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeMysqlAdminPools, createMysqlTestDatabase, freePort, type MysqlTestDatabase, withUrl } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { runCli } from "./run-cli.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

describe(`better-auth-migrate on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  let cwd: string;
  beforeEach(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-mysql-"));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  for (const scheme of ["mysql", "mariadb"]) {
    it(`up with a ${scheme}:// URL applies the schema, without printing the password; status --check then passes`, async () => {
      const url = withUrl(db.url, (u) => (u.protocol = `${scheme}:`));
      const result = await runCli(["up"], { cwd, env: { DATABASE_URL: url } });
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split("\n");
      expect(lines[0]).toBe(`Database: ${withUrl(url, (u) => (u.password = "***"))}`);
      expect(lines[1]).toMatch(/^  applied 0001_core_tables  \(\d+ ms\)$/);
      expect(result.stdout + result.stderr).not.toContain(new URL(url).password);
      const tables = (await db.admin("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")) as { n: number }[];
      // Six of the schema, the ledger and the migration lock's key.
      expect(Number(tables[0]!.n)).toBe(8);
      const status = await runCli(["status", "--check", "--url", url, "--json"], { cwd });
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ dialect: "mysql", upToDate: true });
      const cleanup = await runCli(["cleanup", "--url", url], { cwd });
      expect(cleanup.stdout).toContain("Deleted 0 expired or inactive sessions.");
    });
  }

  it("status names a partly applied migration and --check exits 3", async () => {
    await runCli(["up", "--url", db.url], { cwd });
    // What a run killed in the middle of 0002 leaves: one of its three tables, and the ledger saying so.
    await db.admin("DROP TABLE invitation");
    await db.admin("DROP TABLE member");
    await db.admin("UPDATE better_auth_migrations SET steps_applied = 1 WHERE id = '0002_organization_tables'");
    const status = await runCli(["status", "--check", "--url", db.url], { cwd });
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/partial  0002_organization_tables  partly applied: 1 of 3 steps; up finishes it, down undoes it/);
    const up = await runCli(["up", "--url", db.url], { cwd });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/applied 0002_organization_tables/);
    expect((await runCli(["status", "--check", "--url", db.url], { cwd })).code).toBe(0);
  });

  it("db create and db drop a database", async () => {
    // The owner may not create databases; root may.
    const url = withUrl(server.adminUrl, (u) => (u.pathname = `/${db.name}_made`));
    const created = await runCli(["db", "create", "--url", url], { cwd });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Created database ${db.name}_made.`);
    expect((await runCli(["db", "create", "--url", url], { cwd })).stdout).toContain("already exists");
    expect((await runCli(["up", "--url", url], { cwd })).code).toBe(0);
    const dropped = await runCli(["db", "drop", "--yes", "--url", url, "--json"], { cwd });
    expect(dropped.code).toBe(0);
    expect(JSON.parse(dropped.stdout)).toEqual({ database: `${db.name}_made`, dropped: true });
    expect((await runCli(["db", "drop", "--yes", "--url", url], { cwd })).stdout).toContain("does not exist");
    expect(dropped.stdout + created.stdout).not.toContain(new URL(server.adminUrl).password);
  });

  describe("errors: one line, a hint, exit status 4, and never the password", () => {
    const secret = "Sup3r-Secret-Pw";
    const cases: [string, (url: string) => Promise<string>, RegExp][] = [
      ["wrong password", async (url) => withUrl(url, (u) => (u.password = secret)), /^error: MySQL at 127\.0\.0\.1:\d+ refused the login of user "better_auth_owner"\.\nhint: /],
      ["missing database", async (url) => withUrl(url, (u) => (u.pathname = "/no_such_db")), /^error: MySQL at 127\.0\.0\.1:\d+ refused user "better_auth_owner" access to database "no_such_db": it does not exist, or the user has no privileges on it\.\nhint: /],
      ["connection refused", async (url) => { const port = await freePort(); return withUrl(url, (u) => { u.port = String(port); u.password = secret; }); }, /^error: Cannot reach MySQL at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.\nhint: /],
    ];
    for (const [name, makeUrl, expected] of cases) {
      for (const json of [false, true]) {
        it(`${name}${json ? " (--json)" : ""}`, async () => {
          const url = await makeUrl(db.url);
          const result = await runCli(["up", "--url", url, ...(json ? ["--json"] : [])], { cwd });
          expect(result.code).toBe(4);
          expect(result.stdout + result.stderr).not.toContain(new URL(url).password);
          if (json) expect(JSON.parse(result.stdout).error.code).toMatch(/^(AUTHENTICATION_FAILED|DATABASE_NOT_FOUND|PERMISSION_DENIED|UNREACHABLE)$/);
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
        expect(result.stderr).toMatch(/^error: Cannot reach MySQL at 127\.0\.0\.1:\d+ \(.*\)\.\nhint: /);
        expect(result.stdout + result.stderr).not.toContain(secret);
      } finally {
        silent.close();
      }
    });

    // Issue 13, item 9, as on PostgreSQL: each of these must be a typed access error, not exit 1.
    describe("a connection that cannot be made: exit status 4, one line and a hint, for the migrator and for db create", () => {
      const expectAccessError = (result: { code: number | null; stdout: string; stderr: string }, what: string, message: RegExp) => {
        expect(result.code, `${what}: ${result.stdout}${result.stderr}`).toBe(4);
        expect(result.stderr, what).toMatch(message);
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
            expectAccessError(result, args[0]!, /^error: .*MySQL at 127\.0\.0\.1:\d+/);
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
          expectAccessError(result, "db create", /^error: Cannot reach MySQL at 127\.0\.0\.1:\d+ \(.*\)\.\n/);
        } finally {
          silent.close();
        }
      });

      it("?socket= naming a Unix socket that does not exist", async () => {
        const missing = join(cwd, "no-such-dir", "mysqld.sock");
        const url = withUrl(db.url, (u) => { u.password = secret; u.searchParams.set("socket", missing); });
        for (const args of commands(url)) {
          const result = await runCli(args, { cwd });
          expectAccessError(result, args[0]!, new RegExp(`^error: Cannot reach MySQL at ${missing.replaceAll("/", "\\/").replaceAll(".", "\\.")} \\(no such socket\\)\\.\\nhint: .*socket`));
        }
      });

      it("TLS required against a server without TLS", async () => {
        const url = withUrl(db.url, (u) => { u.password = secret; u.searchParams.set("ssl-mode", "REQUIRED"); });
        for (const args of commands(url)) {
          const result = await runCli(args, { cwd });
          expectAccessError(result, args[0]!, /^error: MySQL at 127\.0\.0\.1:\d+ does not accept TLS connections, and the URL requires TLS\.\nhint: /);
        }
      });
    });

    it("read-only server", async () => {
      await db.admin("SET GLOBAL read_only = ON");
      try {
        const result = await runCli(["up", "--url", db.url], { cwd });
        expect(result.code).toBe(4);
        expect(result.stderr).toMatch(/^error: MySQL at 127\.0\.0\.1:\d+ accepts only reads: .*read-only.*\nhint: Point the URL at the primary/);
        expect(result.stdout + result.stderr).not.toContain(new URL(db.url).password);
      } finally {
        await db.admin("SET GLOBAL read_only = OFF");
      }
      const tables = (await db.admin("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()")) as { n: number }[];
      expect(Number(tables[0]!.n)).toBe(0);
    });
  });
});
