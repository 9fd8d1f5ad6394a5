import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, runCli, tablesIn } from "./run-cli.js";

const SIX_TABLES = ["accounts", "invitation", "member", "organization", "sessions", "users"];

describe("better-auth-migrate on SQLite", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-"));
  });
  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it("--help lists every command and the exit codes, for the tool and for each command", async () => {
    const general = await runCli(["--help"], { cwd });
    expect(general.code).toBe(0);
    for (const command of ["up", "down", "status", "check", "baseline", "sql", "cleanup", "db create", "db drop"]) expect(general.stdout).toContain(`  ${command} `);
    expect(general.stdout).toMatch(/Exit status:\n  0  success\n  1 .*\n(       .*\n)+  2 .*\n(       .*\n)+  3 .*\n       NOT_MIGRATED\n  4 .*\n(       .*\n)+  5 .*\n(       .*\n)+  6  check: the database differs from the model.*\n       ADOPTION_REFUSED\n/);
    for (const command of ["up", "down", "status", "check", "baseline", "sql", "cleanup", "db create", "db drop"]) {
      const help = await runCli([...command.split(" "), "--help"], { cwd });
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: better-auth-migrate ${command}`);
      expect(help.stdout, command).toContain("Exit status:");
    }
  });

  it("--help loads no database driver and no query builder", async () => {
    const trace = join(cwd, "imports.txt");
    const hook = fileURLToPath(new URL("./trace-imports.mjs", import.meta.url));
    const result = await runCli(["--help"], { cwd, nodeArgs: ["--import", hook], env: { TRACE_IMPORTS_FILE: trace } });
    expect(result.code).toBe(0);
    const loaded = readFileSync(trace, "utf8").trim().split("\n");
    // The trace works: the help text (dist/help.js, all that --help alone loads) was loaded.
    expect(loaded.some((url) => url.endsWith("/dist/help.js"))).toBe(true);
    // Workspace packages resolve through their symlinks to packages/<name>/; installed ones to node_modules.
    const heavy = /\/(pg|pg-protocol|pg-pool|better-sqlite3|mysql2|kysely)\/|\/migrate-(pg|sqlite|mysql|core)\/|\/packages\/(core|pg|sqlite|mysql)\//;
    expect(loaded.filter((url) => heavy.test(url))).toEqual([]);
  });

  it("with no URL, up creates ./better-auth.db with the six tables and says so on its first line", async () => {
    const result = await runCli(["up"], { cwd });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("Using the embedded SQLite database ./better-auth.db (no --url or DATABASE_URL set).");
    expect(lines.slice(1, 3)).toEqual([expect.stringMatching(/^  applied 0001_core_tables  \(\d+ ms\)$/), expect.stringMatching(/^  applied 0002_organization_tables  \(\d+ ms\)$/)]);
    expect(lines[3]).toMatch(/^2 migrations applied in \d+ ms\.$/);
    expect(tablesIn(join(cwd, "better-auth.db"))).toEqual(SIX_TABLES);

    const again = await runCli(["up"], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing to apply: all 2 migrations are applied.");
  });

  it("takes the database from DATABASE_URL, and --url over it", async () => {
    const fromEnv = await runCli(["up"], { cwd, env: { DATABASE_URL: "sqlite:./env.db" } });
    expect(fromEnv.stdout.split("\n")[0]).toBe("Database: sqlite:./env.db");
    const fromFlag = await runCli(["up", "--url", "./flag.db"], { cwd, env: { DATABASE_URL: "sqlite:./env.db" } });
    expect(fromFlag.code).toBe(0);
    expect(tablesIn(join(cwd, "env.db"))).toEqual(SIX_TABLES);
    expect(tablesIn(join(cwd, "flag.db"))).toEqual(SIX_TABLES);
  });

  it("status --check gates a deploy: 3 while anything is pending, 0 once up to date", async () => {
    const before = await runCli(["status", "--check"], { cwd });
    expect(before.code).toBe(3);
    expect(before.stdout).toContain("  pending  0001_core_tables");
    // Reading the status of a database that does not exist yet creates nothing.
    expect(existsSync(join(cwd, "better-auth.db"))).toBe(false);
    expect((await runCli(["status"], { cwd })).code).toBe(0);
    await runCli(["up"], { cwd });
    const after = await runCli(["status", "--check", "--json"], { cwd });
    expect(after.code).toBe(0);
    const report = JSON.parse(after.stdout);
    expect(report.upToDate).toBe(true);
    expect(report.migrations.map((m: { state: string }) => m.state)).toEqual(["applied", "applied"]);
  });

  it("--json prints one JSON document", async () => {
    const result = await runCli(["up", "--json"], { cwd });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ database: "./better-auth.db", dialect: "sqlite" });
    expect(report.applied.map((m: { id: string }) => m.id)).toEqual(["0001_core_tables", "0002_organization_tables"]);
  });

  it("sql prints DDL on stdout only, without creating the database", async () => {
    const result = await runCli(["sql"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("-- better-auth-migrate: 0001_core_tables (up)")).toBe(true);
    expect(result.stdout).toContain('CREATE TABLE "users"');
    expect(result.stderr).toContain("Using the embedded SQLite database");
    const down = await runCli(["sql", "--down"], { cwd });
    expect(down.stdout.startsWith("-- better-auth-migrate: 0002_organization_tables (down)")).toBe(true);
    expect(tablesIn.bind(null, join(cwd, "better-auth.db"))).toThrow();
  });

  it("sql for a PostgreSQL URL renders PostgreSQL DDL without connecting, whatever the password", async () => {
    const result = await runCli(["sql", "--url", "postgres://nobody:secret@127.0.0.1:1/nowhere"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE TABLE "public"."users"');
    expect(result.stderr).toBe("Database: postgres://nobody:***@127.0.0.1:1/nowhere\n");
    expect(result.stdout + result.stderr).not.toContain("secret");
    // A password that is also a word of the DDL does not blank that word out.
    const common = await runCli(["sql", "--url", "postgres://postgres:a@127.0.0.1:1/postgres"], { cwd });
    expect(common.stdout).toBe(result.stdout);
  });

  it("sql | sqlite3 leaves a database that status and check find up to date", async () => {
    const sql = await runCli(["sql", "--url", "sqlite:./piped.db"], { cwd });
    const database = new Database(join(cwd, "piped.db"));
    database.exec(sql.stdout);
    database.close();
    const status = await runCli(["status", "--check", "--url", "sqlite:./piped.db"], { cwd });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const check = await runCli(["check", "--url", "sqlite:./piped.db"], { cwd });
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it("sql --dialect renders without a database; --out writes the files in apply order", async () => {
    for (const [dialect, marker] of [["pg", 'CREATE TABLE "public"."users"'], ["mysql", "CREATE TABLE `users`"], ["sqlite", 'CREATE TABLE "users"']] as const) {
      const result = await runCli(["sql", "--dialect", dialect], { cwd });
      expect(result.code, dialect).toBe(0);
      expect(result.stdout, dialect).toContain(marker);
      expect(result.stdout, dialect).toMatch(/INSERT INTO \S*better_auth_migrations\S* /);
    }
    const written = await runCli(["sql", "--dialect", "mysql", "--out", "exported", "--json"], { cwd });
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout).files).toEqual([
      "up/001_0001_core_tables.sql", "up/002_0002_organization_tables.sql", "down/001_0002_organization_tables.sql", "down/002_0001_core_tables.sql",
    ]);
    expect(readFileSync(join(cwd, "exported/up/001_0001_core_tables.sql"), "utf8")).toContain("CREATE TABLE `users`");
    expect(existsSync(join(cwd, "better-auth.db"))).toBe(false);
    const bad: [string[], RegExp][] = [
      [["sql", "--dialect", "oracle"], /^error: Unknown dialect "oracle"\./],
      [["sql", "--dialect", "pg", "--url", "./x.db"], /^error: --dialect is for rendering without a database/],
      [["up", "--out", "x"], /^error: --out belongs to the sql command\./],
    ];
    for (const [args, expected] of bad) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(expected);
    }
  });

  it("check: 3 while migrations are pending, 0 when the database matches, 6 with drift, grouped by table", async () => {
    expect((await runCli(["check"], { cwd })).code).toBe(3);
    await runCli(["up"], { cwd });
    const clean = await runCli(["check"], { cwd });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("The database matches the model.");
    const database = new Database(join(cwd, "better-auth.db"));
    database.exec("DROP TRIGGER users_set_updated_at; CREATE INDEX users_name_idx ON users (name)");
    database.close();
    const drifted = await runCli(["check"], { cwd });
    expect(drifted.code).toBe(6);
    expect(drifted.stdout).toMatch(/\n  users\n    error    column users\.updated_at: not set to the current time on update\n    warning  index users\.users_name_idx: \(name\) is not in the model; kept\n/);
    expect(drifted.stdout).toContain("The database differs from the model: 1 error, 1 warning.");
    const json = JSON.parse((await runCli(["check", "--json"], { cwd })).stdout);
    expect(json).toMatchObject({ clean: false, pending: [] });
    expect(json.findings).toHaveLength(2);
  });

  it("baseline: on a database without the tables it says so and exits 1", async () => {
    const result = await runCli(["baseline", "--url", "sqlite:./empty.db"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: The database has none of the tables of the pending migrations: there is nothing to baseline\.\nhint: /);
  });

  it("masks a password given as a URL parameter, and accepts a Unix-socket URL", async () => {
    const result = await runCli(["sql", "--json", "--url", "postgresql:///app?host=/var/run/postgresql&user=app&password=hunter2secret"], { cwd });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).dialect).toBe("postgres");
    const text = await runCli(["sql", "--url", "postgresql:///app?host=/var/run/postgresql&user=app&password=hunter2secret"], { cwd });
    expect(text.stderr).toBe("Database: postgresql:///app?host=%2Fvar%2Frun%2Fpostgresql&user=app&password=***\n");
    expect(result.stdout + text.stdout + text.stderr).not.toContain("hunter2secret");
  });

  it("down asks for confirmation: without a terminal it needs --yes", async () => {
    await runCli(["up"], { cwd });
    const refused = await runCli(["down"], { cwd });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain("hint: Pass --yes");
    expect(tablesIn(join(cwd, "better-auth.db"))).toEqual(SIX_TABLES);
    const done = await runCli(["down", "--yes", "--steps", "2"], { cwd });
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("  reverted 0002_organization_tables");
    expect(done.stdout).toContain("  reverted 0001_core_tables");
    expect(tablesIn(join(cwd, "better-auth.db"))).toEqual([]);
  });

  it("down asks in a terminal: no changes nothing, yes reverts", async () => {
    await runCli(["up"], { cwd });
    // script(1) gives the CLI a pseudo-terminal and types the answer into it.
    const inTerminal = (answer: string) =>
      new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} down`, "/dev/null"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d: Buffer) => (output += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
        child.stdin.end(`${answer}\n`);
      });
    const declined = await inTerminal("n");
    expect(declined.output).toContain("Revert 0002_organization_tables on ./better-auth.db? It drops no table with rows and no column with values. [y/N]");
    expect(declined.code).toBe(5);
    expect(tablesIn(join(cwd, "better-auth.db"))).toEqual(SIX_TABLES);
    const accepted = await inTerminal("y");
    expect(accepted.code).toBe(0);
    expect(accepted.output).toContain("reverted 0002_organization_tables");
    expect(tablesIn(join(cwd, "better-auth.db"))).toEqual(["accounts", "sessions", "users"]);
  });

  it("down in a terminal: Ctrl+D (end of input) or Ctrl+C at the prompt is a no, exit status 5", async () => {
    await runCli(["up"], { cwd });
    // Waits for the question, then presses the keys in the pseudo-terminal that script(1) gives the CLI.
    const pressAtPrompt = (keys: string) =>
      new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} down`, "/dev/null"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
        let output = "";
        let pressed = false;
        child.stdout.on("data", (d: Buffer) => {
          output += d.toString();
          if (!pressed && output.includes("[y/N]")) {
            pressed = true;
            child.stdin.end(keys);
          }
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
      });
    for (const [name, keys] of [["Ctrl+D", "\x04"], ["Ctrl+C", "\x03"]] as const) {
      const result = await pressAtPrompt(keys);
      expect(result.code, `${name}: ${result.output}`).toBe(5);
      expect(result.output, name).toContain("error: down cancelled; nothing was changed.");
      expect(tablesIn(join(cwd, "better-auth.db")), name).toEqual(SIX_TABLES);
    }
  });

  it("status shows ids and names from the ledger with control characters escaped: no forged lines, no terminal escapes", async () => {
    await runCli(["up"], { cwd });
    const db = new Database(join(cwd, "better-auth.db"));
    const forged = "0003_x\n  applied  0004_forged  (1 ms)\r\x1b[2K\x1b[31mUp to date.\u202e";
    db.prepare("INSERT INTO better_auth_migrations (id, name, checksum, applied_at, duration_ms) VALUES (?, ?, 'c', '2024-01-01T00:00:00.000Z', 1)").run(forged, "name\x1b]0;title\x07");
    db.exec(`CREATE INDEX "users_x\x1b[2J\n    error    forged" ON users (name)`);
    db.close();
    const status = await runCli(["status"], { cwd });
    expect(status.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e]/);
    expect(status.stdout).toContain("  unknown  0003_x\\n  applied  0004_forged  (1 ms)\\r\\x1b[2K\\x1b[31mUp to date.\\u202e");
    expect(status.stdout.split("\n").filter((line) => /^\s*applied\s+0004_forged/.test(line))).toEqual([]);
    // --json carries the id exactly, escaped as JSON escapes it.
    const json = JSON.parse((await runCli(["status", "--json"], { cwd })).stdout);
    expect(json.migrations.map((m: { id: string }) => m.id)).toContain(forged);
    const check = await runCli(["check"], { cwd });
    expect(check.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(check.stdout).toContain("users_x\\x1b[2J\\n    error    forged");
  });

  it("cleanup deletes expired and inactive sessions and prints the count", async () => {
    await runCli(["up"], { cwd });
    const db = new Database(join(cwd, "better-auth.db"));
    db.exec(`INSERT INTO users (id) VALUES ('u1');
      INSERT INTO sessions (id, user_id, token, expires_at, active) VALUES
        ('old', 'u1', 'a', '2000-01-01T00:00:00.000Z', 1),
        ('off', 'u1', 'b', '2999-01-01T00:00:00.000Z', 0),
        ('ok', 'u1', 'c', '2999-01-01T00:00:00.000Z', 1)`);
    db.close();
    const result = await runCli(["cleanup"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Deleted 2 expired or inactive sessions.");
    expect(JSON.parse((await runCli(["cleanup", "--json"], { cwd })).stdout)).toMatchObject({ deleted: 0 });
  });

  it("db create makes the file, db drop removes it (with --yes)", async () => {
    const created = await runCli(["db", "create", "--url", "sqlite:./made.db"], { cwd });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("Created database ./made.db.");
    expect((await runCli(["db", "create", "--url", "sqlite:./made.db"], { cwd })).stdout).toContain("already exists");
    expect((await runCli(["db", "drop", "--url", "sqlite:./made.db"], { cwd })).code).toBe(5);
    const dropped = await runCli(["db", "drop", "--yes", "--url", "sqlite:./made.db"], { cwd });
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain("Dropped database ./made.db.");
    writeFileSync(join(cwd, "notes.txt"), "not a database");
    const refused = await runCli(["db", "drop", "--yes", "--url", "./notes.txt"], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: \.\/notes\.txt is not an SQLite database; it was left alone\./);
    expect(readFileSync(join(cwd, "notes.txt"), "utf8")).toBe("not a database");
  });

  it("reports bad usage in one line with a hint and exit status 2", async () => {
    const cases: [string[], RegExp][] = [
      [["frobnicate"], /^error: Unknown command "frobnicate"\.\nhint: /],
      [["up", "--bogus"], /^error: Unknown option '--bogus'/],
      [["down", "--steps", "0", "--yes"], /^error: --steps needs a positive whole number, not "0"\.\n$/],
      [["up", "--url", "http://example.com/db"], /^error: Unknown database URL scheme "http:"\.\nhint: Use postgres:\/\//],
      [["up", "--url", "postgres://user:p4ss@[bad/db"], /^error: The postgres:\/\/ URL is not a valid URL\.\nhint: /],
      [["up", "postgres://user:p4ss@127.0.0.1/db"], /^error: Unexpected argument "\(a URL\)"\.\nhint: .*after --url/],
      [["postgres://user:p4ss@127.0.0.1/db", "up"], /^error: Unknown command "\(a URL\) up"\.\nhint: /],
      [["up", "--url", "postgres://user@127.0.0.1:1/db?password=p4ss", "--bogus"], /^error: Unknown option '--bogus'/],
    ];
    for (const [args, expected] of cases) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(expected);
      expect(result.stdout + result.stderr, args.join(" ")).not.toContain("p4ss");
    }
  });

  it("refuses a libpq connection string, or anything that is neither a URL nor an unambiguous SQLite path: exit 2, the accepted forms, no password, no file", async () => {
    const libpq = "host=localhost port=5432 user=app password=Hunter2Pw dbname=app";
    const runs: [string, string[], Record<string, string>][] = [
      ["--url", ["up", "--url", libpq], {}],
      ["DATABASE_URL", ["up"], { DATABASE_URL: libpq }],
      ["--json", ["status", "--json", "--url", libpq], {}],
      ["sql", ["sql", "--url", libpq], {}],
      ["quoted", ["up", "--url", "host='db.internal' password='Hunter2Pw x' dbname=app"], {}],
      ["sqlite: scheme", ["up", "--url", "sqlite:host=db password=Hunter2Pw"], {}],
    ];
    for (const [name, args, env] of runs) {
      const result = await runCli(args, { cwd, env });
      expect(result.code, name).toBe(2);
      const output = result.stdout + result.stderr;
      expect(output, name).not.toContain("Hunter2Pw");
      expect(output, name).toMatch(/key=value/);
      expect(output, name).toMatch(/postgres:\/\/user@host:5432\/.*user:password@.*sqlite:PATH.*\.db/);
    }
    expect((await runCli(["up"], { cwd, env: { DATABASE_URL: libpq } })).stderr).toMatch(/^error: DATABASE_URL is a key=value connection string .*\nhint: /);
    for (const ambiguous of ["mydatabase", "prod db", "auth.db.bak"]) {
      const result = await runCli(["up", "--url", ambiguous], { cwd });
      expect(result.code, ambiguous).toBe(2);
      expect(result.stderr, ambiguous).toMatch(/^error: The --url value is neither a database URL nor an SQLite file path\.\nhint: Give one of: postgres:\/\//);
    }
    expect(readdirSync(cwd)).toEqual([]);
    // What stays accepted: an explicit path, a known extension, :memory:.
    for (const path of ["auth.db", "./data", "store.sqlite3", ":memory:", `${cwd}/abs`]) {
      const result = await runCli(["up", "--url", path], { cwd });
      expect(result.code, `${path}: ${result.stderr}`).toBe(0);
    }
    expect(readdirSync(cwd).sort()).toEqual(["abs", "auth.db", "data", "store.sqlite3"]);
  });

  it("never prints a password, however it is written: unencoded / ? # @, as a positional argument, in --json, in errors", async () => {
    const secret = "S3cretPw";
    // Refused (exit 2): the URL parser would take the user name for the host and the password for the path.
    const refused = [
      `postgres://u:2024/${secret}@127.0.0.1:1/db`,
      `postgres://u:8080?${secret}@127.0.0.1:1/db`,
      `postgres://u:443#${secret}@127.0.0.1:1/db`,
      `postgresql://u:a/b?c#${secret}@127.0.0.1:1/db`,
      `mysql://u:2024/${secret}@127.0.0.1:1/db`,
      `mariadb://u:1#${secret}@127.0.0.1:1/db`,
    ];
    for (const url of refused) {
      for (const args of [["sql", "--url", url], ["status", "--url", url], ["status", "--json", "--url", url], ["up", url], ["db", "create", url], [url]]) {
        const result = await runCli(args, { cwd, env: { DATABASE_URL: url } });
        expect(result.code, `${args.join(" ")}`).toBe(2);
        expect(result.stdout + result.stderr, args.join(" ")).not.toContain(secret);
      }
      expect((await runCli(["status", "--url", url], { cwd })).stderr).toMatch(/^error: The (postgres|postgresql|mysql|mariadb):\/\/ URL has (an @ after its host|a #.*): does the password hold an unencoded \/, \? or #\?\nhint: Percent-encode/);
    }
    // Accepted (the parser finds the password), and masked wherever the URL is shown.
    const accepted = [`postgres://u:${secret}@127.0.0.1:1/db`, `postgres://u:p@ss:${secret}@127.0.0.1:1/db`, `postgres://u:[${secret}] x@127.0.0.1:1/db`, `postgres://u@127.0.0.1:1/db?password=${secret}`, `postgres://127.0.0.1:1/db?user=me@example.com&sslpassword=${secret}`];
    for (const url of accepted) {
      const sql = await runCli(["sql", "--url", url], { cwd });
      expect(sql.code, url).toBe(0);
      expect(sql.stderr, url).toMatch(/^Database: postgres:\/\/.*\*\*\*/);
      expect(sql.stdout + sql.stderr, url).not.toContain(secret);
      const json = await runCli(["sql", "--json", "--url", url], { cwd });
      expect(json.stdout + json.stderr, url).not.toContain(secret);
    }
    // Arguments that are not plain words are not echoed.
    for (const args of [["up", `host=h password=${secret}`], ["up", "--steps", `password=${secret}`], ["db", `u:${secret}@h`]]) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout + result.stderr, args.join(" ")).not.toContain(secret);
    }
  });

  it("a malformed URL is bad usage: exit 2 with a hint, not an unexpected error", async () => {
    for (const url of ["sqlite:%zz", "file:./a%2.db", "postgres://%zz@127.0.0.1:1/db", "postgres://u:%zz@127.0.0.1:1/db", "mysql://u@127.0.0.1:1/%zz", "postgres:127.0.0.1/db"]) {
      for (const command of ["status", "sql"]) {
        const result = await runCli([command, "--url", url], { cwd });
        expect(result.code, `${command} ${url}: ${result.stdout}${result.stderr}`).toBe(2);
        expect(result.stderr, url).toMatch(/^(Database: .*\n)?error: .*\nhint: .+\n$/);
      }
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("refuses timeouts beyond their documented maximum instead of overflowing Node's timer", async () => {
    for (const [option, value, max] of [["--connect-timeout", "99999999999", "3600000"], ["--lock-timeout", "99999999999", "86400000"], ["--connect-timeout", "3600001", "3600000"]]) {
      const result = await runCli(["status", "--url", "./x.db", option!, value!], { cwd });
      expect(result.code, option).toBe(2);
      expect(result.stderr, option).toMatch(new RegExp(`^error: ${option} is at most ${max} \\(ms\\), not ${value}\\.\\nhint: `));
    }
    expect((await runCli(["status", "--url", "./x.db", "--connect-timeout", "3600000", "--lock-timeout", "86400000"], { cwd })).code).toBe(0);
    expect((await runCli(["status", "--url", "./x.db", "--lock-timeout", "0x10"], { cwd })).code).toBe(2);
    const help = await runCli(["--help"], { cwd });
    expect(help.stdout).toMatch(/--connect-timeout MS[^]*?at most\s+3600000\b/);
    expect(help.stdout).toMatch(/--lock-timeout MS[^]*?at most\s+86400000\b/);
  });

  it("refuses to run on Node.js older than 22, in one line", async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", `Object.defineProperty(process.versions, "node", { value: "20.1.0" }); await import(${JSON.stringify(CLI)});`], { cwd });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: better-auth-migrate needs Node.js 22 or newer/);
  });

  it("reports a read-only or missing SQLite database with exit status 4", async () => {
    await runCli(["up"], { cwd });
    const readOnly = await runCli(["cleanup", "--url", "sqlite:./better-auth.db?mode=ro"], { cwd });
    expect(readOnly.code).toBe(4);
    expect(readOnly.stderr).toMatch(/^error: The SQLite database \.\/better-auth\.db is read-only/);
    const noFile = await runCli(["cleanup", "--url", "./absent.db"], { cwd });
    expect(noFile.code).toBe(4);
    expect(noFile.stderr).toMatch(/^error: There is no SQLite database at \.\/absent\.db\./);
    expect(existsSync(join(cwd, "absent.db"))).toBe(false);
    const missing = await runCli(["up", "--url", "./no/such/folder/auth.db"], { cwd });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^error: Cannot open the SQLite database/);
    expect(missing.stderr.trim().split("\n")).toHaveLength(2);
  });
});
