/**
 * Issue 20, items 8 and 12, in this process against the test servers: connection strings that are not
 * URLs refused with nothing shown, and failures said in one line with the exit status that fits.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAdminPools, closeMysqlAdminPools, createMysqlTestDatabase, createTestDatabase, withUrl } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { runInProcess } from "./run-cli.js";

afterAll(async () => {
  await closeAdminPools();
  await closeMysqlAdminPools();
});

const postgres = inject("postgresServers")[0]!;
const mariadb = inject("mariadbServer");
const SECRET = "S3cretPw";

/**
 * A TCP relay to the server at `port` that tells which side hung up first on its one connection:
 * "client" when the CLI closes its socket, "server" when the server does (PostgreSQL gives up on an
 * unfinished login only after authentication_timeout, 60 s).
 */
async function relay(port: number): Promise<{ port: number; firstToHangUp: Promise<"client" | "server">; server: Server }> {
  let report: (side: "client" | "server") => void = () => undefined;
  const firstToHangUp = new Promise<"client" | "server">((resolve) => (report = resolve));
  const server = createServer((client: Socket) => {
    const upstream = connect(port, "127.0.0.1");
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
    client.once("end", () => report("client"));
    upstream.once("end", () => report("server"));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the relay has no port");
  return { port: address.port, firstToHangUp, server };
}

describe("connection strings that are not URLs (issue 20, item 8)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ba-cli-safety-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("user:password@host/… and //user:password@host/… are no SQLite paths, even when such a folder exists: exit 2, nothing migrated, the password never shown", async () => {
    const folder = join(dir, `app_user:${SECRET}@host`);
    mkdirSync(folder);
    const urls = [`${folder}/auth.db`, `app_user:${SECRET}@host/auth.db`, `//postgres:${SECRET}@host:5432/db`, `sqlite:${folder}/auth.db`, `sqlite://app_user:${SECRET}@host/auth.db`];
    for (const url of urls) {
      for (const [args, env] of [[["up", "--url", url], {}], [["up", "--json"], { DATABASE_URL: url }]] as const) {
        const result = await runInProcess([...args], { env });
        expect(result.code, url).toBe(2);
        expect(result.stdout + result.stderr, url).not.toContain(SECRET);
        expect(result.stdout + result.stderr, url).toMatch(/BAD_URL|error: /);
      }
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  it("sqlite:…%00… and file://HOST/… open nothing; an unknown parameter is named without its value", async () => {
    for (const url of [`sqlite:${dir}/a%00b.db`, `file://otherhost${dir}/x.db`]) {
      const result = await runInProcess(["up", "--url", url]);
      expect(result.code, url).toBe(2);
      expect(result.stderr, url).toMatch(/^error: The (sqlite|file): URL/);
    }
    const parameter = await runInProcess(["up", "--url", `sqlite:${dir}/x.db?password=${SECRET}`]);
    expect(parameter.code).toBe(2);
    expect(parameter.stdout).toBe(`Database: sqlite:${dir}/x.db?password=***\n`);
    expect(parameter.stderr).toMatch(/^error: Unknown SQLite URL parameter "password"\.\n/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a postgres:// URL without a password to a server that asks for one: AUTHENTICATION_FAILED, exit 4, and the CLI hangs up at once", async () => {
    const db = await createTestDatabase(postgres.adminUrl);
    const { port, firstToHangUp, server } = await relay(Number(new URL(postgres.adminUrl).port));
    try {
      const url = withUrl(db.url, (u) => {
        u.password = "";
        u.port = String(port);
      });
      const result = await runInProcess(["status", "--url", url]);
      expect(result.code).toBe(4);
      expect(result.stderr).toBe(
        `error: PostgreSQL at 127.0.0.1:${port} asks for a password for user "better_auth_owner", and the URL gives none.\n` +
          "hint: Add it to the URL as user:password@ (percent-encoded), or allow this login without one (trust or peer in pg_hba.conf).\n",
      );
      // Before, the failed login's socket stayed open until the server gave up on it, 60 s later.
      expect(await firstToHangUp).toBe("client");
    } finally {
      server.close();
      await db.drop();
    }
  });
});

describe("failures in one line, with the exit status that fits (issue 20, item 12)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ba-cli-safety-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("a PostgreSQL URL at MariaDB's port: UNREACHABLE, exit 4, saying it is not PostgreSQL", async () => {
    const port = new URL(mariadb.adminUrl).port;
    const result = await runInProcess(["status", "--url", `postgres://app:${SECRET}@127.0.0.1:${port}/app`]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`^error: PostgreSQL at 127\\.0\\.0\\.1:${port} does not speak the PostgreSQL protocol \\(.*\\): is it another server's port \\(MySQL/MariaDB\\)\\?\\nhint: Check the port`));
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it("a missing or unreadable sslrootcert: BAD_URL, exit 2, naming the parameter and the file", async () => {
    const folder = join(dir, "certs");
    mkdirSync(folder);
    for (const [file, why] of [[join(dir, "absent.crt"), "no such file"], [folder, "not a file"]] as const) {
      const url = withUrl(postgres.adminUrl, (u) => (u.search = `?sslmode=verify-full&sslrootcert=${file}`));
      const result = await runInProcess(["status", "--url", url]);
      expect(result.code, file).toBe(2);
      expect(result.stderr, file).toBe(`error: The postgres:// URL's sslrootcert names ${file}: ${why}.\nhint: Give the path of a readable PEM file in sslrootcert=, or leave sslrootcert out.\n`);
    }
  });

  it("SQLite on /dev/null, a FIFO or a folder: BAD_URL, exit 2, one line", async () => {
    const fifo = join(dir, "pipe.db");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    for (const [path, kind] of [["/dev/null", "a device"], [fifo, "a FIFO (named pipe)"], [dir, "a folder"], [`sqlite:${fifo}`, "a FIFO (named pipe)"]] as const) {
      const result = await runInProcess(["up", "--url", path]);
      expect(result.code, path).toBe(2);
      expect(result.stderr, path).toBe(`error: The --url value names ${kind}, not an SQLite database file.\nhint: Name a database file, or a path where up may create one.\n`);
    }
  });

  it("cleanup before up: NOT_MIGRATED, exit 3, on PostgreSQL, MariaDB and SQLite", async () => {
    const pg = await createTestDatabase(postgres.adminUrl);
    const mysql = await createMysqlTestDatabase(mariadb.adminUrl);
    const sqlite = join(dir, "empty.db");
    writeFileSync(sqlite, "");
    try {
      for (const url of [pg.url, mysql.url, sqlite]) {
        const result = await runInProcess(["cleanup", "--url", url]);
        expect(result.code, url).toBe(3);
        expect(result.stderr, url).toBe("error: cleanup needs the sessions table, and no migration is applied to this database yet.\nhint: Run better-auth-migrate up first (or baseline, for tables made by hand).\n");
        const json = JSON.parse((await runInProcess(["cleanup", "--json", "--url", url])).stdout);
        expect(json.error.code, url).toBe("NOT_MIGRATED");
      }
      // Once migrated, cleanup runs.
      expect((await runInProcess(["up", "--url", pg.url])).code).toBe(0);
      expect((await runInProcess(["cleanup", "--url", pg.url])).stdout).toMatch(/Deleted 0 expired or inactive sessions\.\n$/);
    } finally {
      await pg.drop();
      await mysql.drop();
    }
  });
});
