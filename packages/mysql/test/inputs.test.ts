import {
  type ColumnSpec, createRunner, defineExtension, defineTable, type Extension, InvalidExtensionError, json, type JsonValue, MigrateError, type Migrator,
  resolveSchema, value,
} from "@better-auth/migrate-core";
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type mysql from "mysql2";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator, mysqlDialect } from "../src/index.js";
import { applicationKysely, applySqlFileWithClient, catalogSnapshot, migrateUp, openConnection } from "./helpers.js";

/**
 * Every value a caller hands the model reaches MySQL validated or quoted (issue 13, items 4 and 5,
 * and "Inputs"): injections through the programmatic API are refused before anything runs, and
 * generated identifiers, defaults, comments and migration names are applied through the real
 * adapter and read back intact from information_schema. A backslash in a string literal is read
 * according to sql_mode, so the quoting refuses it: such inputs must be refused with a clear error
 * before anything runs, never crash or half-apply.
 */

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

/** Runs per property: each run is one migration applied and read back. */
const RUNS = 25;
const INJECTION = "cascade); DROP TABLE users; CREATE TABLE pwned (x int";

/** `mariadb DB < SQL` as the owner login, as a user applies an exported file. */
async function applyWithClient(url: string, sql: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ba-inputs-"));
  const file = join(dir, "migration.sql");
  writeFileSync(file, sql);
  try {
    await applySqlFileWithClient(url, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Catalog = Record<string, unknown>;
type Row = Record<string, unknown>;

/** information_schema's column names come back upper case from some servers, lower case from others. */
const field = (row: Row, name: string) => row[name] ?? row[name.toUpperCase()];

/** The catalog without what concerns `table`: equal before and after a migration that only creates `table`. */
function without(catalog: Catalog, table: string): Catalog {
  return Object.fromEntries(Object.entries(catalog).map(([kind, rows]) => [kind, (rows as Row[]).filter((r) => field(r, "table_name") !== table)]));
}

const rowsOf = (catalog: Catalog, kind: string, table: string) => (catalog[kind] as Row[]).filter((r) => field(r, "table_name") === table);

async function withMigrator<T>(url: string, extensions: readonly Extension[], work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const migrator = createMigrator({ url, extensions });
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

/** A database with the core schema applied, and one open connection with the adapter's session settings. */
interface TestDatabase {
  db: MysqlTestDatabase;
  connection: mysql.Connection;
  rows: (sql: string) => Promise<Row[]>;
  tableNames: () => Promise<string[]>;
  ledgerIds: () => Promise<string[]>;
  drop: () => Promise<void>;
}

async function testDatabase(): Promise<TestDatabase> {
  const db = await createMysqlTestDatabase(server.adminUrl);
  await migrateUp(db.url);
  const connection = await openConnection(db.url);
  const rows = async (sql: string) => (await connection.promise().query(sql))[0] as Row[];
  return {
    db,
    connection,
    rows,
    tableNames: async () => (await rows("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1")).map((r) => String(field(r, "name"))),
    ledgerIds: async () => (await rows("SELECT id FROM better_auth_migrations ORDER BY id")).map((r) => String(r.id)),
    drop: async () => {
      await connection.promise().end();
      await db.drop();
    },
  };
}

const migrationId = (n: number) => `p${String(n).padStart(4, "0")}_inputs`;

/**
 * What MySQL's quoting refuses on purpose (see mysql-quote.ts): backslashes, whose meaning depends
 * on sql_mode, and characters beyond U+FFFF, which its utf8mb3 catalog cannot hold.
 */
const refusedByMysqlQuoting = (text: string) => text.includes("\\") || /[\u{10000}-\u{10ffff}]/u.test(text);
const QUOTING_REFUSED = /^MySQL (reads backslashes in string literals according to sql_mode|keeps comments, defaults and allowed values in utf8mb3)/;

// --- Arbitraries (the same in each adapter's inputs.test.ts) -------------------------------------

/** Text that tries to leave a literal, a quoted name or a comment, among ordinary and exotic characters. */
const TRICKY = ["'", "''", "\\", "\\'", '"', "`", ";", "--", "/*", "*/", "$function$", "$$", "$1", "%s", "?", "😀", "👨‍👩‍👧", "é", "日本語", "\u00a0", "\u200b", "\u00ad"];
const BREAKS = ["\n", "\r\n", "\t"];
const textUnit = (extra: readonly string[]) => fc.oneof(fc.constantFrom(...TRICKY, ...extra), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }));
const UNSAFE_PROSE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\p{Cs}]/u;
const characters = (s: string) => [...s].length;

/** A string stored as data: anything but NUL, line breaks included. */
const storedText = (maxLength: number) =>
  fc.string({ unit: textUnit(BREAKS), maxLength: 24 }).filter((s) => !s.includes("\0") && !/\p{Cs}/u.test(s) && characters(s) <= maxLength);
/** One line of prose (a comment, a migration name). */
const prose = fc.string({ unit: textUnit([]), maxLength: 24 }).filter((s) => !UNSAFE_PROSE.test(s));

/** JSON with negative, fractional and huge numbers, unicode keys, quotes and backslashes. */
const jsonDefault: fc.Arbitrary<JsonValue> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.dictionary(storedText(20), fc.oneof(storedText(20), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 }),
  )
  .filter((v) => {
    const text = JSON.stringify(v);
    return !text.includes("\\u0000") && !/\\ud[89a-f]/i.test(text) && text.length <= 1024;
  });

interface DefaultCase {
  type: ColumnSpec["type"];
  value: string | number | boolean | JsonValue;
  /** For strings, sometimes: the column accepts only these (a CHECK), the default first. */
  oneOf?: [string, string];
}

/** A string default, and sometimes a oneOf list that holds it and one other value. */
const stringCase = (type: "string" | "text", maxLength: number) =>
  fc.tuple(storedText(maxLength), fc.boolean()).map(([v, checked]): DefaultCase => ({ type, value: v, ...(checked && v !== "" ? { oneOf: [v, `${v} (other)`] } : {}) }));

const defaultCase: fc.Arbitrary<DefaultCase> = fc.oneof(
  stringCase("string", 240),
  stringCase("text", 1024),
  fc.integer({ min: -2147483648, max: 2147483647 }).map((v): DefaultCase => ({ type: "integer", value: v })),
  fc.boolean().map((v): DefaultCase => ({ type: "boolean", value: v })),
  jsonDefault.map((v): DefaultCase => ({ type: "json", value: v })),
);

const specDefault = (c: DefaultCase) => (c.type === "json" ? json(c.value as JsonValue) : value(c.value as string | number | boolean));

/** The allowed identifiers: lower-case snake_case, short enough for the names derived from them. */
const RESERVED_COLUMNS = ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid", "rowid", "_rowid_"];
const tableIdentifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,39}$/).filter((s) => !s.startsWith("sqlite_"));
const columnIdentifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,17}$/).filter((s) => s !== "id" && !RESERVED_COLUMNS.includes(s));

/** Names that are not allowed identifiers: other characters, upper case, a leading digit, too long. */
const notIdentifier = fc.oneof(
  fc.string({ unit: "binary", maxLength: 20 }).filter((s) => !/^[a-z_][a-z0-9_]*$/.test(s)),
  fc.constantFrom('users"; DROP TABLE users; --', "Users", "1abc", "a b", "a-b", "é", "x".repeat(64), "", "users\0"),
);
/** Refused as table names: those, and names SQLite keeps for itself. */
const refusedTableName = fc.oneof(notIdentifier, fc.constantFrom("sqlite_master", "sqlite_sequence"));
/** Refused as column names: those, and PostgreSQL's system columns and SQLite's names of the rowid. */
const refusedColumnName = fc.oneof(notIdentifier, fc.constantFrom(...RESERVED_COLUMNS));
/** Prose with at least one character that could end a comment's line or disguise it. */
const refusedProse = fc
  .tuple(prose, fc.constantFrom("\n", "\r", "\0", "\u2028", "\u2029", "\u0085", "\u001b[2K", "\u202e", "\ud800", "\t", "\u007f"), prose)
  .map(([a, bad, b]) => `${a}${bad}${b}`);

interface RefusedInput {
  table: string;
  comment: string;
  column: string;
  spec: Record<string, unknown>;
  name: string;
}

const text = { type: "text", nullable: true };
const refusedInput: fc.Arbitrary<RefusedInput> = fc.oneof(
  refusedTableName.map((table) => ({ table, comment: "", column: "v", spec: text, name: "x" })),
  refusedColumnName.map((column) => ({ table: "t", comment: "", column, spec: text, name: "x" })),
  refusedProse.map((comment) => ({ table: "t", comment, column: "v", spec: text, name: "x" })),
  refusedProse.map((name) => ({ table: "t", comment: "", column: "v", spec: text, name })),
  fc
    .oneof(fc.constantFrom(Number.NaN, Infinity, -Infinity, 1.5, 2 ** 31, -(2 ** 31) - 1, "1", true, null), fc.double().filter((d) => !Number.isInteger(d)))
    .map((v) => ({ table: "t", comment: "", column: "v", spec: { type: "integer", default: { kind: "value", value: v } }, name: "x" })),
  fc
    .string()
    .filter((s) => !["id", "string", "text", "boolean", "timestamp", "json", "ipAddress", "integer"].includes(s))
    .map((type) => ({ table: "t", comment: "", column: "v", spec: { type, nullable: true }, name: "x" })),
  fc
    .oneof(fc.string(), fc.constant(INJECTION), fc.constantFrom("CASCADE", "set_null", "cascade ", "no action; --"))
    .filter((s) => !["cascade", "restrict", "set null", "set default", "no action"].includes(s))
    .map((onDelete) => ({ table: "t", comment: "", column: "user_id", spec: { type: "id", nullable: true, references: { table: "users", onDelete } }, name: "x" })),
);

/** A table spec with an id and one more column, for defineTable. */
function tableSpec(name: string, comment: string, column: string, spec: ColumnSpec) {
  return { name, comment, columns: { id: { type: "id", primaryKey: true }, [column]: spec } } as const;
}

/** The same table as {@link tableSpec}, built by hand: what a caller bypassing defineTable would pass. */
function handMadeTable(name: string, comment: string, column: string, spec: Record<string, unknown>) {
  return {
    name,
    comment,
    columns: [
      { name: "id", type: "id", nullable: false },
      { name: column, type: spec.type, nullable: spec.nullable === true, ...(spec.default === undefined ? {} : { default: spec.default }) },
    ],
    primaryKey: { name: `${name}_pkey`, columns: ["id"] },
    uniques: [],
    foreignKeys: spec.references
      ? [{ name: `${name}_${column}_fkey`, columns: [column], references: { table: "users", columns: ["id"] }, onDelete: (spec.references as { onDelete: unknown }).onDelete }]
      : [],
    checks: [],
    indexes: [],
  };
}

function handMadeExtension(id: string, name: string, table: unknown): Extension {
  return { id, name, migration: { id, name, up: [{ kind: "createTable", table }] } } as never;
}

describe(`MariaDB ${server.version}: inputs`, () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await testDatabase();
  });
  afterAll(() => target?.drop());

  it("refuses an onDelete injection through the programmatic API; users stays and nothing else is created (item 4)", async () => {
    const before = await catalogSnapshot(target.db);
    const attempts: (() => Extension)[] = [
      () =>
        defineExtension({
          id: "0100_injected",
          name: "injected",
          tables: [defineTable(tableSpec("note", "Notes.", "user_id", { type: "id", references: { table: "users", onDelete: INJECTION as never } }))],
        }),
      () => handMadeExtension("0100_injected", "injected", handMadeTable("note", "Notes.", "user_id", { type: "id", references: { onDelete: INJECTION } })),
    ];
    for (const attempt of attempts) {
      const error = await (async () => {
        await withMigrator(target.db.url, [attempt()], (migrator) => migrator.up());
      })().catch((e: unknown) => e);
      expect(error instanceof InvalidExtensionError || error instanceof TypeError).toBe(true);
      expect((error as Error).message).toMatch(/onDelete "cascade\); DROP TABLE users; CREATE TABLE pwned \(x int" is not one of/);
    }
    expect(await catalogSnapshot(target.db)).toEqual(before);
  });

  it("refuses ON DELETE SET DEFAULT, which InnoDB does not build, before anything runs", async () => {
    // MariaDB builds it; MySQL's manual: "SET DEFAULT ... is currently rejected by InnoDB". The renderer writes what both build.
    const extension = defineExtension({
      id: "0100_set_default",
      name: "set default",
      tables: [defineTable(tableSpec("note", "", "user_id", { type: "id", nullable: true, references: { table: "users", onDelete: "set default" } }))],
    });
    const before = await catalogSnapshot(target.db);
    const error = await withMigrator(target.db.url, [extension], (migrator) => migrator.up()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrateError);
    expect(error).toMatchObject({ code: "UNSUPPORTED_BY_DIALECT", message: "MySQL's InnoDB rejects ON DELETE SET DEFAULT (note_user_id_fkey)." });
    expect(await catalogSnapshot(target.db)).toEqual(before);
    expect(await target.ledgerIds()).not.toContain("0100_set_default");
  });

  it("stores a migration name with backslashes intact through up(), which binds it; an SQL file, which would quote it, refuses it", async () => {
    const name = "C:\\notes\\'; DROP TABLE users; --";
    const extension = defineExtension({ id: "0100_backslash", name, tables: [defineTable(tableSpec("backslash_note", "", "body", { type: "text", nullable: true }))] });
    await withMigrator(target.db.url, [extension], async (migrator) => {
      expect(() => migrator.sql()).toThrow(QUOTING_REFUSED);
      await migrator.up();
      expect(await target.rows("SELECT name FROM better_auth_migrations WHERE id = '0100_backslash'")).toEqual([{ name }]);
      await migrator.down();
    });
    expect(await target.tableNames()).toContain("users");
  });

  it("keeps an extension name with a newline out of live SQL in sql() output (item 5)", async () => {
    const evil = "notes\nDROP TABLE users; CREATE TABLE pwned (x int);\n--";
    const table = defineTable(tableSpec("note", "Notes.", "body", { type: "text", nullable: true }));
    expect(() => defineExtension({ id: "0100_notes", name: evil, tables: [table] })).toThrow(/^Extension 0100_notes: its name "notes\\nDROP TABLE users/);
    expect(() => createMigrator({ url: target.db.url, extensions: [handMadeExtension("0100_notes", evil, table)] })).toThrow(InvalidExtensionError);

    // Below the checks, an SQL file's header keeps whatever name reaches it on one line.
    const kysely = applicationKysely(target.db.url);
    try {
      const core = resolveSchema();
      const unchecked = { ...core, migrations: [...core.migrations, handMadeExtension("0100_notes", evil, table).migration], tables: [...core.tables, table] };
      const runner = createRunner(mysqlDialect(), kysely, unchecked);
      const file = runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "up")!;
      expect(file.sql.split("\n")[0]).toBe("-- better-auth-migrate: 0100_notes (up): notes DROP TABLE users; CREATE TABLE pwned (x int); --");
      await applyWithClient(target.db.url, file.sql);
      expect(await target.tableNames()).toEqual(expect.arrayContaining(["users", "note"]));
      expect(await target.tableNames()).not.toContain("pwned");
      expect(await target.rows("SELECT name FROM better_auth_migrations WHERE id = '0100_notes'")).toEqual([{ name: evil }]);
      await applyWithClient(target.db.url, runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "down")!.sql);
    } finally {
      await kysely.destroy();
    }
  });
});

describe(`MariaDB ${server.version}: generated inputs, applied and read back (fast-check)`, () => {
  let target: TestDatabase;
  const applied: Extension[] = [];
  let n = 0;
  beforeAll(async () => {
    target = await testDatabase();
  });
  afterAll(() => target?.drop());

  /** Applies `extension` on top of what the database has, and returns the catalog before and after. */
  async function apply(extension: Extension) {
    const before = await catalogSnapshot(target.db);
    const result = await withMigrator(target.db.url, [...applied, extension], (migrator) => migrator.up());
    applied.push(extension);
    expect(result.applied.map((r) => r.id)).toEqual([extension.id]);
    return { before, after: await catalogSnapshot(target.db) };
  }

  /** MySQL's quoting refuses the extension: a clear error from up(), and nothing of it in the database or the ledger. */
  async function refused(extension: Extension, message: RegExp) {
    const before = await catalogSnapshot(target.db);
    const ledger = await target.ledgerIds();
    const error = await withMigrator(target.db.url, [...applied, extension], (migrator) => migrator.up()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrateError);
    expect(error).toMatchObject({ code: "UNSUPPORTED_BY_DIALECT", message: expect.stringMatching(message) });
    expect(await catalogSnapshot(target.db)).toEqual(before);
    expect(await target.ledgerIds()).toEqual(ledger);
  }

  async function clean() {
    const report = await withMigrator(target.db.url, applied, (migrator) => migrator.check());
    expect(report.findings).toEqual([]);
  }

  it("identifiers from the allowed set are created as given, with the names derived from them", async () => {
    await fc.assert(
      fc.asyncProperty(tableIdentifier, columnIdentifier, async (table, column) => {
        const taken = new Set(resolveSchema(applied).tables.map((t) => t.name));
        fc.pre(!taken.has(table) && !["active_sessions", "better_auth_migrations"].includes(table));
        const extension = defineExtension({
          id: migrationId(++n),
          name: `table ${table}`,
          tables: [defineTable({ ...tableSpec(table, "", column, { type: "string", nullable: true }), indexes: [[column]] } as never)],
        });
        const { before, after } = await apply(extension);
        expect(without(after, table)).toEqual(before);
        expect(rowsOf(after, "columns", table).map((c) => field(c, "column_name"))).toEqual(["id", column]);
        expect([...new Set(rowsOf(after, "indexes", table).map((i) => field(i, "index_name")))].sort()).toEqual(["PRIMARY", `${table}_${column}_idx`].sort());
      }),
      { numRuns: RUNS },
    );
    await clean();
  });

  it("defaults (strings, with or without a oneOf check, with quotes, line breaks and unicode; integers; booleans; JSON) read back equal; backslashes and emoji are refused before anything runs", async () => {
    await fc.assert(
      fc.asyncProperty(defaultCase, async (c) => {
        const table = `default_${++n}`;
        const extension = defineExtension({ id: migrationId(n), name: `default ${n}`, tables: [defineTable(tableSpec(table, "", "v", { type: c.type, default: specDefault(c), ...(c.oneOf ? { oneOf: c.oneOf } : {}) }))] });
        const literal = c.type === "json" ? JSON.stringify(c.value) : typeof c.value === "string" ? c.value : "";
        if (refusedByMysqlQuoting(literal)) return refused(extension, QUOTING_REFUSED);
        const { before, after } = await apply(extension);
        expect(without(after, table)).toEqual(before);
        await target.rows(`INSERT INTO \`${table}\` (id) VALUES ('1')`);
        // JSON as its text (the driver would parse it, and a JSON string would then look like text); BOOLEAN is TINYINT(1).
        const [row] = await target.rows(`SELECT ${c.type === "json" ? "CAST(v AS CHAR)" : "v"} AS v FROM \`${table}\``);
        const v = row!.v;
        if (c.type === "json") expect(JSON.parse(v as string)).toEqual(JSON.parse(JSON.stringify(c.value)));
        else expect(v).toEqual(c.type === "boolean" ? (c.value ? 1 : 0) : c.value);
        if (c.oneOf) {
          // The check holds exactly the values given: the other one passes, anything else is refused.
          const insert = (id: string, v: string) => target.connection.promise().query(`INSERT INTO \`${table}\` (id, v) VALUES (?, ?)`, [id, v]);
          await insert("2", c.oneOf[1]);
          await expect(insert("3", `${c.oneOf[0]}?`)).rejects.toThrow(/CONSTRAINT .* failed/);
        }
      }),
      { numRuns: RUNS },
    );
    // The defaults as information_schema states them equal the model's, in the introspector's normal form.
    await clean();
  });

  it("table comments read back equal from information_schema; backslashes and emoji are refused before anything runs", async () => {
    await fc.assert(
      fc.asyncProperty(prose, async (comment) => {
        const table = `comment_${++n}`;
        const extension = defineExtension({ id: migrationId(n), name: `comment ${n}`, tables: [defineTable(tableSpec(table, comment, "v", { type: "text", nullable: true }))] });
        if (refusedByMysqlQuoting(comment)) return refused(extension, QUOTING_REFUSED);
        const { before, after } = await apply(extension);
        expect(without(after, table)).toEqual(before);
        expect(field(rowsOf(after, "tables", table)[0]!, "table_comment")).toBe(comment);
      }),
      { numRuns: RUNS },
    );
  });

  it("migration names reach the ledger intact through an SQL file run by the mariadb client (or through up() where a literal cannot hold them)", async () => {
    await fc.assert(
      fc.asyncProperty(prose.filter((s) => s.trim() !== ""), async (name) => {
        const table = `named_${++n}`;
        const extension = defineExtension({ id: migrationId(n), name, tables: [defineTable(tableSpec(table, "", "v", { type: "text", nullable: true }))] });
        const before = await catalogSnapshot(target.db);
        await withMigrator(target.db.url, [...applied, extension], async (migrator) => {
          if (refusedByMysqlQuoting(name)) {
            // The file would write the name as a literal; up() binds it as a parameter (the fixed test above).
            expect(() => migrator.sqlFiles()).toThrow(QUOTING_REFUSED);
            return;
          }
          const file = migrator.sqlFiles().find((f) => f.migrationId === extension.id && f.direction === "up")!;
          expect(file.sql.split("\n")[0]).toBe(`-- better-auth-migrate: ${extension.id} (up): ${name}`);
          await applyWithClient(target.db.url, file.sql);
          applied.push(extension);
          const status = (await migrator.status()).find((s) => s.id === extension.id)!;
          expect({ state: status.state, name: status.name }).toEqual({ state: "applied", name });
        });
        expect(without(await catalogSnapshot(target.db), table)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it("refuses every input outside the allowed sets before anything runs: names, comments, migration names, defaults, types, onDelete", async () => {
    const before = await catalogSnapshot(target.db);
    await fc.assert(
      fc.asyncProperty(refusedInput, async (input) => {
        const id = migrationId(++n);
        expect(() => defineExtension({ id, name: input.name, tables: [defineTable(tableSpec(input.table, input.comment, input.column, input.spec as never))] })).toThrow(
          /Invalid|Extension|Table|Column|value\(\)/,
        );
        const handMade = handMadeExtension(id, input.name, handMadeTable(input.table, input.comment, input.column, input.spec));
        const error = await withMigrator(target.db.url, [...applied, handMade], (migrator) => migrator.up()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidExtensionError);
        expect((error as MigrateError).message).not.toMatch(/[\n\r\u2028\u2029\u001b]/);
      }),
      { numRuns: RUNS },
    );
    expect(await catalogSnapshot(target.db)).toEqual(before);
  });
});
