#!/usr/bin/env node
// Every benchmark of SPEC §7 / issue 16, each a ratio of the tool against its floor, printed as it
// goes and written to bench/RESULTS.md. See bench/README.md.
//
//   node bench/run.mjs                 every row; writes bench/RESULTS.md
//   node bench/run.mjs ROW…            only those rows (pg-up pg-noop pg-warm sqlite-up mysql-up help
//                                      cleanup extensions); writes RESULTS.md only with BENCH_OUT=FILE
//
// BENCH_RUNS (default 20) timed runs per contender, BENCH_WARMUP (default 1) untimed rounds first,
// BENCH_SESSIONS (default 1000000) sessions for the cleanup row, BENCH_OUT the report's path.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gitState, load, machine, versionOf } from "./lib/machine.mjs";
import { alternate, compare, median, ms, timeCall, timeProcess, x } from "./lib/measure.mjs";
import { BENCH, CLI, ROOT, importFrom, packageVersion, requireFrom, testDatabases } from "./lib/workspace.mjs";

const ROWS = ["pg-up", "pg-noop", "pg-warm", "sqlite-up", "mysql-up", "help", "cleanup", "extensions"];
const positive = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${raw}"`);
  return n;
};
const RUNS = Math.max(1, positive("BENCH_RUNS", 20));
const WARMUP = positive("BENCH_WARMUP", 1);
const SESSIONS = Math.max(4, positive("BENCH_SESSIONS", 1_000_000));
const selected = process.argv.length > 2 ? process.argv.slice(2) : ROWS;
for (const row of selected) if (!ROWS.includes(row)) throw new Error(`unknown row "${row}"; rows: ${ROWS.join(" ")}`);
const everything = ROWS.every((row) => selected.includes(row));
const OUT = process.env.BENCH_OUT || (everything ? join(BENCH, "RESULTS.md") : undefined);
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm install && pnpm build first`);

const NODE = process.execPath;
const floor = (name) => join(BENCH, "floors", `${name}.mjs`);
const work = mkdtempSync(join(tmpdir(), "ba-bench-"));
const results = []; // table rows
const notes = []; // lines under the table
const versions = {};
const started = Date.now();
const loadBefore = load();

/** stdout of a command that must succeed (untimed set-up). */
function output(command, args) {
  return execFileSync(command, args, { encoding: "utf8", cwd: work, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}
const cli = (...args) => output(NODE, [CLI, ...args]);

// ---------------------------------------------------------------------------------------------
// Servers, started when a row needs them.
let td;
let pgServer;
let mariadb;
const pg = requireFrom("tooling/test-databases")("pg");

async function postgres() {
  td ??= await testDatabases();
  if (!pgServer) {
    pgServer = await td.startPostgres(15);
    const admin = new pg.Client({ connectionString: pgServer.adminUrl });
    await admin.connect();
    versions.postgres = (await admin.query("SELECT version()")).rows[0].version.split(" on ")[0];
    await admin.end();
    versions.psql = versionOf(psql()).replace(/^psql \(PostgreSQL\) /, "");
  }
  return pgServer;
}
const psql = () => join(td.postgresBinDir(15), "psql");

/** Runs SQL as the superuser, outside any database of the benchmark. */
async function pgAdmin(text) {
  const client = new pg.Client({ connectionString: pgServer.adminUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function maria() {
  td ??= await testDatabases();
  if (!mariadb) {
    mariadb = await td.startMariadb();
    versions.mariadb = mariadb.version;
    versions.mariadbClient = versionOf("mariadb").replace(/\s+/g, " ").replace(/, for .*$/, "");
  }
  return mariadb;
}

/** A fresh, empty PostgreSQL database owned by a non-superuser (createTestDatabase) per run. */
const freshPg = {
  prepare: async () => td.createTestDatabase((await postgres()).adminUrl),
  finish: (db) => db.drop(),
};

/** A copy of a template database per run (CREATE DATABASE … TEMPLATE), dropped after. */
let copies = 0;
function copyOfPg(template) {
  return {
    async prepare() {
      const name = `bench_copy_${++copies}`;
      await pgAdmin(`CREATE DATABASE ${name} OWNER ${td.OWNER_ROLE} TEMPLATE ${template.name} STRATEGY FILE_COPY`);
      const url = new URL(template.url);
      url.pathname = `/${name}`;
      return { name, url: url.toString() };
    },
    finish: (db) => pgAdmin(`DROP DATABASE ${db.name} WITH (FORCE)`),
  };
}

/** A new SQLite file per run, removed after. */
let files = 0;
const freshFile = {
  prepare: () => join(work, `fresh-${++files}.db`),
  finish: (path) => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
  },
};
function copyOfFile(template) {
  return { ...freshFile, prepare: () => (copyFileSync(template, freshFile.prepare()), join(work, `fresh-${files}.db`)) };
}

// ---------------------------------------------------------------------------------------------
// Reporting.

/**
 * Measures `contenders` alternately and records table rows: the first contender against each floor
 * listed in `against` ({ index, floor, target }), target null for a floor only reported.
 */
async function row(work, contenders, against, { verify } = {}) {
  const t0 = Date.now();
  process.stdout.write(`\n${work}\n`);
  const named = contenders.map((c) => c.name);
  const withVerify = contenders.map((c) => ({
    ...c,
    // Checked once, in the first untimed round (or the first timed one without warm-up).
    run: async (p) => {
      const result = await c.run(p);
      if (c.verify && !c.verified) {
        await c.verify(p);
        c.verified = true;
      }
      return result;
    },
  }));
  const times = await alternate(withVerify, {
    runs: RUNS,
    warmup: WARMUP,
    onRound: (round) => process.stdout.write(round + 1 === RUNS ? `  ${RUNS} rounds\n` : "."),
  });
  for (const [i, name] of named.entries()) {
    const sorted = [...times[i]].sort((a, b) => a - b);
    console.log(`  ${name}: median ${ms(median(sorted))} (min ${ms(sorted[0])}, max ${ms(sorted.at(-1))})`);
  }
  for (const { tool = 0, index, floor, target, work: label } of against) {
    const c = compare(times[tool], times[index]);
    const met = target == null ? "—" : c.ratio <= target ? "yes" : "no";
    results.push({ work: label ?? work, floor: floor ?? named[index], ...c, target, met });
    console.log(
      `  → ${tool === 0 ? "" : `${named[tool]}: `}${x(c.ratio)} of ${floor ?? named[index]} (pairs ${x(c.pairMin)}–${x(c.pairMax)})` +
        (target == null ? "" : `, target ≤ ${target}x: ${met === "yes" ? "met" : "MISSED"}`),
    );
  }
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return times;
}

// ---------------------------------------------------------------------------------------------
// The rows.

const rows = {
  // 1. `up` on an empty PostgreSQL database: Node + pg with the same DDL; psql -1 -f reported.
  async "pg-up"() {
    const server = await postgres();
    const probe = await td.createTestDatabase(server.adminUrl);
    const ddl = join(work, "pg-up.sql");
    writeFileSync(ddl, cli("sql", "--url", probe.url));
    await probe.drop();
    const migrations = readFileSync(ddl, "utf8").match(/^-- better-auth-migrate: /gm).length;
    const applied = async (db) => {
      const { rows } = await db.admin("SELECT count(*)::int AS n FROM better_auth_migrations");
      if (rows[0].n !== migrations) throw new Error(`expected ${migrations} ledger rows, found ${rows[0].n}`);
    };
    await row(
      "`up` on an empty PostgreSQL database",
      [
        { name: "better-auth-migrate up", ...freshPg, run: (db) => timeProcess(NODE, [CLI, "up", "--url", db.url], { cwd: work }), verify: applied },
        { name: "Node + pg, same DDL, one connection", ...freshPg, run: (db) => timeProcess(NODE, [floor("pg"), db.url, ddl]), verify: applied },
        {
          name: "psql -1 -f, same DDL",
          ...freshPg,
          run: (db) => timeProcess(psql(), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", ddl, db.url]),
          verify: applied,
        },
      ],
      [
        { index: 1, target: 1.1 },
        { index: 2, target: null, floor: "`psql -1 -f`, same DDL" },
        { tool: 1, index: 2, target: null, work: "(the Node + pg floor itself)", floor: "`psql -1 -f`, same DDL" },
      ],
    );
  },

  // 2. `up` with nothing pending: Node + pg connecting and running `select 1`.
  async "pg-noop"() {
    await postgres();
    const select1 = join(work, "select1.sql");
    writeFileSync(select1, "select 1");
    const upToDate = {
      async prepare() {
        const db = await freshPg.prepare();
        execFileSync(NODE, [CLI, "up", "--url", db.url], { cwd: work, stdio: "ignore" });
        return db;
      },
      finish: freshPg.finish,
    };
    await row(
      "`up` with nothing pending (PostgreSQL)",
      [
        { name: "better-auth-migrate up (nothing pending)", ...upToDate, run: (db) => timeProcess(NODE, [CLI, "up", "--url", db.url], { cwd: work }) },
        { name: "Node + pg: connect, select 1", ...upToDate, run: (db) => timeProcess(NODE, [floor("pg"), db.url, select1]) },
      ],
      [{ index: 1, target: 1.3 }],
    );
  },

  // 3. Programmatic up() in a warm process (this one): createMigrator({ url }).up() against the same
  // DDL over one already-open pg client. Also: the DDL over a client connected in the timed part, and
  // createMigrator({ pool }) given an open pool.
  async "pg-warm"() {
    const server = await postgres();
    const { createMigrator } = await importFrom("packages/cli", "@better-auth/migrate-pg");
    const probe = await td.createTestDatabase(server.adminUrl);
    const ddl = cli("sql", "--url", probe.url);
    await probe.drop();
    const openClient = {
      async prepare() {
        const db = await freshPg.prepare();
        db.client = new pg.Client({ connectionString: db.url });
        await db.client.connect();
        return db;
      },
      async finish(db) {
        await db.client.end();
        await freshPg.finish(db);
      },
    };
    const openPool = {
      async prepare() {
        const db = await freshPg.prepare();
        db.pool = new pg.Pool({ connectionString: db.url, max: 2 });
        const client = await db.pool.connect(); // one connection open and idle
        client.release();
        return db;
      },
      async finish(db) {
        await db.migrator?.close();
        await db.pool.end();
        await freshPg.finish(db);
      },
    };
    await row(
      "programmatic `up()` in a warm process (PostgreSQL)",
      [
        {
          name: "createMigrator({ url }).up()",
          ...freshPg,
          run: (db) =>
            timeCall(async () => {
              db.migrator = createMigrator({ url: db.url });
              await db.migrator.up();
            }),
          finish: async (db) => {
            await db.migrator?.close();
            await freshPg.finish(db);
          },
        },
        { name: "same DDL over one open pg client", ...openClient, run: (db) => timeCall(() => db.client.query(ddl)) },
        {
          name: "same DDL, connecting a pg client first",
          ...freshPg,
          run: (db) =>
            timeCall(async () => {
              const client = new pg.Client({ connectionString: db.url });
              await client.connect();
              await client.query(ddl);
              await client.end();
            }),
        },
        {
          name: "createMigrator({ pool }).up(), pool open",
          ...openPool,
          run: (db) =>
            timeCall(async () => {
              db.migrator = createMigrator({ pool: db.pool });
              await db.migrator.up();
            }),
        },
      ],
      [
        { index: 1, target: 1.2 },
        { index: 2, target: null },
        { tool: 3, index: 1, target: null, work: "programmatic `up()` given an open pool", floor: "same DDL over one open pg client" },
      ],
    );
  },

  // 4. `up` on a new SQLite file: Node + better-sqlite3 with the same DDL; sqlite3 reported.
  async "sqlite-up"() {
    const ddl = join(work, "sqlite-up.sql");
    writeFileSync(ddl, cli("sql", "--url", `sqlite:${join(work, "probe.db")}`));
    const Database = requireFrom("packages/sqlite")("better-sqlite3");
    const memory = new Database(":memory:");
    versions.sqlite = `${memory.prepare("select sqlite_version() as v").get().v} (better-sqlite3 ${packageVersion("packages/sqlite", "better-sqlite3")})`;
    memory.close();
    versions.sqlite3 = versionOf("sqlite3").split(" ").slice(0, 1).join(" ");
    const applied = (path) => {
      const db = new Database(path, { readonly: true });
      const n = db.prepare("select count(*) as n from better_auth_migrations").get().n;
      db.close();
      if (n < 1) throw new Error("no migration recorded");
    };
    await row(
      "`up` on a new SQLite file",
      [
        { name: "better-auth-migrate up", ...freshFile, run: (f) => timeProcess(NODE, [CLI, "up", "--url", `sqlite:${f}`], { cwd: work }), verify: applied },
        { name: "Node + better-sqlite3, same DDL", ...freshFile, run: (f) => timeProcess(NODE, [floor("sqlite"), f, ddl]), verify: applied },
        { name: "sqlite3 FILE < ddl.sql", ...freshFile, run: (f) => timeProcess("sqlite3", [f], { stdin: ddl }), verify: applied },
      ],
      [
        { index: 1, target: 1.2 },
        { index: 2, target: null, floor: "`sqlite3 FILE < ddl.sql`" },
        { tool: 1, index: 2, target: null, work: "(the Node + better-sqlite3 floor itself)", floor: "`sqlite3 FILE < ddl.sql`" },
      ],
    );
  },

  // 5. `up` on an empty MariaDB database: Node + mysql2 with the same DDL; the mariadb client reported.
  async "mysql-up"() {
    const server = await maria();
    const fresh = { prepare: () => td.createMysqlTestDatabase(server.adminUrl), finish: (db) => db.drop() };
    const probe = await fresh.prepare();
    const ddl = join(work, "mysql-up.sql");
    writeFileSync(ddl, cli("sql", "--url", probe.url));
    await probe.drop();
    const client = (db) => {
      const url = new URL(db.url);
      return [
        "--no-defaults", "-h", url.hostname, "-P", url.port,
        "-u", decodeURIComponent(url.username), `-p${decodeURIComponent(url.password)}`, db.name,
      ];
    };
    const applied = async (db) => {
      const [row] = await db.admin("SELECT count(*) AS n FROM better_auth_migrations");
      if (Number(row.n) < 1) throw new Error("no migration recorded");
    };
    await row(
      "`up` on an empty MariaDB database",
      [
        { name: "better-auth-migrate up", ...fresh, run: (db) => timeProcess(NODE, [CLI, "up", "--url", db.url], { cwd: work }), verify: applied },
        { name: "Node + mysql2, same DDL, one connection", ...fresh, run: (db) => timeProcess(NODE, [floor("mysql"), db.url, ddl]), verify: applied },
        { name: "mariadb client < ddl.sql", ...fresh, run: (db) => timeProcess("mariadb", client(db), { stdin: ddl }), verify: applied },
      ],
      [
        { index: 1, target: 1.2 },
        { index: 2, target: null, floor: "the `mariadb` client, same DDL" },
        { tool: 1, index: 2, target: null, work: "(the Node + mysql2 floor itself)", floor: "the `mariadb` client, same DDL" },
      ],
    );
  },

  // 6. --help against an empty Node process.
  async help() {
    await row(
      "`better-auth-migrate --help`",
      [
        { name: "better-auth-migrate --help", run: () => timeProcess(NODE, [CLI, "--help"], { cwd: work }) },
        { name: "node -e 0", run: () => timeProcess(NODE, ["-e", "0"]) },
      ],
      [{ index: 1, target: 1.3, floor: "`node -e 0`" }],
    );
  },

  // 7. cleanup at BENCH_SESSIONS sessions, half expired or inactive, against the plain DELETE; each run
  // on a copy of a template database. And the plan of the token lookup through active_sessions.
  async cleanup() {
    const server = await postgres();
    const template = await td.createTestDatabase(server.adminUrl);
    const t0 = Date.now();
    cli("up", "--url", template.url);
    const users = Math.max(1, Math.floor(SESSIONS / 100));
    let plan;
    await withClient(template.url, async (client) => {
      await client.query(`INSERT INTO users (id, email, name)
        SELECT 'u' || g, 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, ${users}) g`);
      // A quarter expired, a quarter inactive (not expired): half of them go.
      await client.query(`INSERT INTO sessions (id, user_id, token, expires_at, created_at, ip_address, user_agent, active)
        SELECT 's' || g, 'u' || (1 + g % ${users}), md5('token-' || g),
               CASE WHEN g % 4 = 0 THEN now() - interval '1 day' ELSE now() + interval '30 days' END,
               now() - interval '2 days', '203.0.113.7', 'Mozilla/5.0 (bench)', g % 4 <> 1
        FROM generate_series(1, ${SESSIONS}) g`);
      await client.query("VACUUM (FREEZE, ANALYZE)");
      const explained = await client.query("EXPLAIN SELECT * FROM active_sessions WHERE token = md5('token-42')");
      plan = explained.rows.map((r) => r["QUERY PLAN"]);
    });
    const size = (await pgAdmin(`SELECT pg_size_pretty(pg_database_size('${template.name}')) AS s`)).rows[0].s;
    console.log(`\n(template: ${SESSIONS} sessions, ${users} users, ${size}, prepared in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const lookup = plan.find((l) => /sessions/.test(l) && /Scan/.test(l)) ?? plan.join(" / ");
    const indexScan = /Index (Only )?Scan/.test(lookup);
    console.log(`token lookup through active_sessions: ${lookup.trim()} (${indexScan ? "an index scan" : "NOT an index scan"})`);
    results.push({
      work: `token lookup through \`active_sessions\` at ${SESSIONS.toLocaleString("en")} sessions`,
      floor: "—",
      plan: lookup.trim(),
      target: "an index scan",
      met: indexScan ? "yes" : "no",
    });
    notes.push(`Plan of \`EXPLAIN SELECT * FROM active_sessions WHERE token = …\` at ${SESSIONS.toLocaleString("en")} sessions:`, "", "```", ...plan, "```", "");

    const deleteSql = join(work, "delete.sql");
    writeFileSync(deleteSql, `DELETE FROM "public"."sessions" WHERE "expires_at" <= now() OR NOT "active"`);
    const copy = copyOfPg(template);
    const halfGone = async (db) =>
      withClient(db.url, async (client) => {
        const n = (await client.query("SELECT count(*)::int AS n FROM sessions")).rows[0].n;
        if (n !== SESSIONS - Math.floor(SESSIONS / 4) - Math.floor((SESSIONS + 3) / 4)) throw new Error(`${n} sessions left`);
      });
    try {
      await row(
        `\`cleanup\` at ${SESSIONS.toLocaleString("en")} sessions, half expired or inactive`,
        [
          { name: "better-auth-migrate cleanup", ...copy, run: (db) => timeProcess(NODE, [CLI, "cleanup", "--url", db.url], { cwd: work }), verify: halfGone },
          { name: "Node + pg, the plain DELETE", ...copy, run: (db) => timeProcess(NODE, [floor("pg"), db.url, deleteSql]), verify: halfGone },
          { name: "psql -f, the plain DELETE", ...copy, run: (db) => timeProcess(psql(), ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", deleteSql, db.url]), verify: halfGone },
        ],
        [
          { index: 1, target: 1.2, floor: "Node + pg, the plain `DELETE`" },
          { index: 2, target: null, floor: "`psql -f`, the plain `DELETE`" },
        ],
      );
    } finally {
      await template.drop();
    }
    notes.push(
      "`cleanup` is the CLI (`better-auth-migrate cleanup --url …`, a whole process), which calls the SQL function " +
        "`cleanup_expired_sessions()`; the floor sends `DELETE FROM sessions WHERE expires_at <= now() OR NOT active` " +
        "from a minimal Node script over one `pg` connection. Each run on a copy of a template database " +
        "(`CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY`, untimed), vacuumed, frozen and analysed once.",
      "",
    );
  },

  // 8. `up` and `check` with 100 extension tables against the same with 10 (SQLite and PostgreSQL).
  async extensions() {
    const core = pathToFileURL(requireFrom("packages/cli").resolve("@better-auth/migrate-core")).href;
    const module = (n) => {
      const file = join(work, `extensions-${n}.mjs`);
      const ids = Array.from({ length: n }, (_, i) => String(i + 1).padStart(3, "0"));
      writeFileSync(
        file,
        `import { defineExtension, defineTable, value } from ${JSON.stringify(core)};\n` +
          "export default [\n" +
          ids
            .map(
              (id) => `  defineExtension({ id: "1000_bench_${id}", name: "bench table ${id}", tables: [defineTable({
    name: "bench_${id}",
    comment: "Benchmark table ${id}.",
    columns: {
      id: { type: "id", primaryKey: true },
      user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
      label: { type: "string" },
      payload: { type: "json", nullable: true },
      flag: { type: "boolean", default: value(false) },
    },
    indexes: [["user_id"]],
  })] }),\n`,
            )
            .join("") +
          "];\n",
      );
      return file;
    };
    const many = module(100);
    const few = module(10);
    const perTable = (times) => (median(times[0]) - median(times[1])) / 90;

    // SQLite: new files for up; copies of a migrated file for check.
    const migrated = (ext, n) => {
      const path = join(work, `template-${n}.db`);
      cli("up", "--url", `sqlite:${path}`, "--extensions", ext);
      return path;
    };
    const sqliteTemplates = { 100: migrated(many, 100), 10: migrated(few, 10) };
    const up = (url, ext) => timeProcess(NODE, [CLI, "up", "--url", url, "--extensions", ext], { cwd: work });
    const check = (url, ext) => timeProcess(NODE, [CLI, "check", "--url", url, "--extensions", ext], { cwd: work });
    let times = await row(
      "`up` with 100 extension tables (SQLite)",
      [
        { name: "up, 100 extension tables", ...freshFile, run: (f) => up(`sqlite:${f}`, many) },
        { name: "up, 10 extension tables", ...freshFile, run: (f) => up(`sqlite:${f}`, few) },
      ],
      [{ index: 1, target: 10, floor: "the same with 10" }],
    );
    notes.push(`- SQLite \`up\`: ${ms(perTable(times))} per extension table beyond the tenth.`);
    times = await row(
      "`check` with 100 extension tables (SQLite)",
      [
        { name: "check, 100 extension tables", ...copyOfFile(sqliteTemplates[100]), run: (f) => check(`sqlite:${f}`, many) },
        { name: "check, 10 extension tables", ...copyOfFile(sqliteTemplates[10]), run: (f) => check(`sqlite:${f}`, few) },
      ],
      [{ index: 1, target: 10, floor: "the same with 10" }],
    );
    notes.push(`- SQLite \`check\`: ${ms(perTable(times))} per extension table beyond the tenth.`);

    // PostgreSQL: fresh databases for up; copies of a migrated template for check.
    const server = await postgres();
    const pgTemplates = {};
    for (const [n, ext] of [[100, many], [10, few]]) {
      pgTemplates[n] = await td.createTestDatabase(server.adminUrl);
      cli("up", "--url", pgTemplates[n].url, "--extensions", ext);
    }
    try {
      times = await row(
        "`up` with 100 extension tables (PostgreSQL)",
        [
          { name: "up, 100 extension tables", ...freshPg, run: (db) => up(db.url, many) },
          { name: "up, 10 extension tables", ...freshPg, run: (db) => up(db.url, few) },
        ],
        [{ index: 1, target: 10, floor: "the same with 10" }],
      );
      notes.push(`- PostgreSQL \`up\`: ${ms(perTable(times))} per extension table beyond the tenth.`);
      times = await row(
        "`check` with 100 extension tables (PostgreSQL)",
        [
          { name: "check, 100 extension tables", ...copyOfPg(pgTemplates[100]), run: (db) => check(db.url, many) },
          { name: "check, 10 extension tables", ...copyOfPg(pgTemplates[10]), run: (db) => check(db.url, few) },
        ],
        [{ index: 1, target: 10, floor: "the same with 10" }],
      );
      notes.push(`- PostgreSQL \`check\`: ${ms(perTable(times))} per extension table beyond the tenth.`);
    } finally {
      for (const t of Object.values(pgTemplates)) await t.drop();
    }
    notes.push(
      "",
      "Extension tables: one `defineExtension` per table (so 100 migrations against 10), each table with a " +
        "foreign key to `users`, an index, and string, json and boolean columns; on top of the six core tables.",
      "",
    );
  },
};

// ---------------------------------------------------------------------------------------------

function report() {
  const m = machine();
  const fmt = (r) =>
    r.failed ? ["—", "—", `failed: ${r.failed.replaceAll("|", "\\|")}`] : r.plan ? ["—", "—", `\`${r.plan}\``] : [ms(r.toolMedian), ms(r.floorMedian), `${x(r.ratio)} (${x(r.pairMin)}–${x(r.pairMax)})`];
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`node bench/run.mjs\` (${selected.length === ROWS.length ? "every row" : `rows: ${selected.join(" ")}`}); see`,
    "bench/README.md for what each row measures. Ratios are tool ÷ floor: the ratio of the medians, and in",
    "brackets the lowest and highest ratio of one run of each taken in the same round. Whole processes",
    "unless said; contenders alternate run by run; every run on a fresh database.",
    "",
    `- Date: ${new Date(started).toISOString().replace(/\.\d+Z$/, "Z")}; ${RUNS} timed runs per contender after ${WARMUP} untimed round(s); took ${((Date.now() - started) / 60000).toFixed(1)} min`,
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory} memory; load average ${loadBefore} before, ${load()} after`,
    `- OS: ${m.os}`,
    `- Node.js ${process.versions.node}, pnpm ${versionOf("pnpm").replace(/^v/, "")}; checkout ${gitState(ROOT)}`,
    `- PostgreSQL: ${versions.postgres ?? "not run"} (psql: ${versions.psql ?? "not run"}); pg ${packageVersion("packages/pg", "pg")}`,
    `- MariaDB: ${versions.mariadb ?? "not run"} (client: ${versions.mariadbClient ?? "not run"}); mysql2 ${packageVersion("packages/mysql", "mysql2")}`,
    `- SQLite: ${versions.sqlite ?? "not run"}; sqlite3 shell ${versions.sqlite3 ?? "not run"}`,
    "",
    "| work | floor | tool median | floor median | ratio (min–max) | target | met? |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...results.map((r) => {
      const [tool, fl, ratio] = fmt(r);
      const target = r.failed ? "—" : r.target == null ? "(reported)" : typeof r.target === "number" ? `≤ ${r.target}x` : r.target;
      return `| ${r.work} | ${r.floor} | ${tool} | ${fl} | ${ratio} | ${target} | ${r.met} |`;
    }),
    "",
  ];
  const missed = results.filter((r) => r.met === "no");
  if (missed.length > 0) {
    lines.push("## Missed targets", "");
    for (const r of missed) lines.push(`- ${r.work} (${r.plan ? r.target : `${x(r.ratio)} of ${r.floor}, target ≤ ${r.target}x`}): where the time goes: _to be filled_`);
    lines.push("");
  }
  lines.push("## Notes", "", ...notes.flatMap((n) => (n === "" ? [""] : [`${n}`])));
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

let stopping;
/** Stops the servers and removes the work folder, once however often it is called. */
function stopServers() {
  stopping ??= stop();
  return stopping;
}
async function stop() {
  try {
    if (td) {
      await td.closeAdminPools();
      await td.closeMysqlAdminPools();
    }
  } finally {
    await Promise.allSettled([pgServer?.stop(), mariadb?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the servers`);
    void stopServers().finally(() => process.exit(130));
  });
}

let failed = false;
try {
  console.log(`bench: ${selected.join(" ")}; ${RUNS} runs per contender, ${WARMUP} warm-up round(s); load average ${loadBefore}`);
  // The CLI once untimed, so that a compile cache, if it keeps one, exists before any row.
  execFileSync(NODE, [CLI, "--help"], { stdio: "ignore" });
  for (const name of ROWS.filter((r) => selected.includes(r))) {
    if (interrupted) break;
    try {
      await rows[name]();
    } catch (error) {
      if (interrupted) break;
      // One row failing (a server not installed, a command that exits non-zero) does not stop the others.
      failed = true;
      const message = String(error.message ?? error).split("\n").slice(0, 3).join(" ");
      console.error(`\nrow ${name} failed: ${error.stack ?? error}`);
      results.push({ work: `row \`${name}\``, floor: "—", failed: message, target: null, met: "failed" });
    }
  }
} catch (error) {
  failed = true;
  if (!interrupted) console.error(`\nbench failed: ${error.stack ?? error}`);
} finally {
  await stopServers();
}
if (interrupted) {
  // The signal handler stops the servers and exits; an interrupted run writes no report.
} else if (OUT && results.length > 0) {
  writeFileSync(OUT, report());
  console.log(`\nwrote ${OUT} (${((Date.now() - started) / 60000).toFixed(1)} min)${failed ? "; some rows failed" : ""}`);
} else if (results.length > 0) {
  console.log(`\n${report()}`);
}
process.exit(interrupted ? 130 : failed ? 1 : 0);
