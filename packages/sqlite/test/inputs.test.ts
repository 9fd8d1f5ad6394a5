import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ColumnSpec, createRunner, defineExtension, defineTable, type Extension, InvalidExtensionError, json, type JsonValue, type MigrateError, type Migrator,
  resolveSchema, value,
} from "@better-auth/migrate-core";
import Database from "better-sqlite3";
import fc from "fast-check";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigrator, sqliteDialect } from "../src/index.js";

/**
 * Every value a caller hands the model reaches SQLite validated or quoted (issue 13, items 4 and 5,
 * and "Inputs"): injections through the programmatic API are refused before anything runs, and
 * generated identifiers, defaults, comments and migration names are applied through the real
 * adapter and read back intact from sqlite_schema and the tables themselves.
 */

/** Runs per property: each run is one migration applied and read back. */
const RUNS = 25;
const INJECTION = "cascade); DROP TABLE users; CREATE TABLE pwned (x int";

/** `sqlite3 -bail FILE < SQL`, as a user applies an exported file. */
function applyWithClient(database: string, sql: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ba-inputs-"));
  const file = join(dir, "migration.sql");
  writeFileSync(file, sql);
  return new Promise<void>((resolve, reject) => {
    execFile("sqlite3", ["-bail", database, `.read ${file}`], (error, _stdout, stderr) => (error ? reject(new Error(`sqlite3: ${stderr || error.message}`)) : resolve()));
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

type CatalogRow = { type: string; name: string; tbl_name: string; sql: string | null };

/** A database file with the core schema applied, and one open connection that reads it. */
interface TestFile {
  file: string;
  connection: Database.Database;
  catalog: () => CatalogRow[];
  tableNames: () => string[];
  drop: () => void;
}

async function testFile(): Promise<TestFile> {
  const dir = mkdtempSync(join(tmpdir(), "ba-inputs-"));
  const file = join(dir, "auth.db");
  await withMigrator(file, [], (migrator) => migrator.up());
  const connection = new Database(file);
  const catalog = () => connection.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all() as CatalogRow[];
  return {
    file,
    connection,
    catalog,
    tableNames: () => catalog().filter((r) => r.type === "table").map((r) => r.name),
    drop: () => {
      connection.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The catalog without what concerns `table`: equal before and after a migration that only creates `table`. */
const without = (catalog: readonly CatalogRow[], table: string) => catalog.filter((r) => r.tbl_name !== table);

async function withMigrator<T>(file: string, extensions: readonly Extension[], work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const migrator = createMigrator({ url: `sqlite:${file}`, extensions });
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

const migrationId = (n: number) => `p${String(n).padStart(4, "0")}_inputs`;

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

describe("SQLite: inputs", () => {
  let db: TestFile;
  beforeAll(async () => {
    db = await testFile();
  });
  afterAll(() => db?.drop());

  it("refuses an onDelete injection through the programmatic API; users stays and nothing else is created (item 4)", async () => {
    const before = db.catalog();
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
        await withMigrator(db.file, [attempt()], (migrator) => migrator.up());
      })().catch((e: unknown) => e);
      expect(error instanceof InvalidExtensionError || error instanceof TypeError).toBe(true);
      expect((error as Error).message).toMatch(/onDelete "cascade\); DROP TABLE users; CREATE TABLE pwned \(x int" is not one of/);
    }
    expect(db.catalog()).toEqual(before);
  });

  it("keeps an extension name with a newline out of live SQL in sql() output (item 5)", async () => {
    const evil = "notes\nDROP TABLE users; CREATE TABLE pwned (x int);\n--";
    const table = defineTable(tableSpec("note", "Notes.", "body", { type: "text", nullable: true }));
    expect(() => defineExtension({ id: "0100_notes", name: evil, tables: [table] })).toThrow(/^Extension 0100_notes: its name "notes\\nDROP TABLE users/);
    expect(() => createMigrator({ url: `sqlite:${db.file}`, extensions: [handMadeExtension("0100_notes", evil, table)] })).toThrow(InvalidExtensionError);

    // Below the checks, an SQL file's header keeps whatever name reaches it on one line.
    const connection = new Database(db.file);
    const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database: connection }) });
    try {
      const core = resolveSchema();
      const unchecked = { ...core, migrations: [...core.migrations, handMadeExtension("0100_notes", evil, table).migration], tables: [...core.tables, table] };
      const runner = createRunner(sqliteDialect(db.file), kysely, unchecked);
      const file = runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "up")!;
      expect(file.sql.split("\n")[0]).toBe("-- better-auth-migrate: 0100_notes (up): notes DROP TABLE users; CREATE TABLE pwned (x int); --");
      await applyWithClient(db.file, file.sql);
      expect(db.tableNames()).toEqual(expect.arrayContaining(["users", "note"]));
      expect(db.tableNames()).not.toContain("pwned");
      expect(db.connection.prepare("SELECT name FROM better_auth_migrations WHERE id = '0100_notes'").get()).toEqual({ name: evil });
      await applyWithClient(db.file, runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "down")!.sql);
    } finally {
      await kysely.destroy();
    }
  });
});

describe("SQLite: generated inputs, applied and read back (fast-check)", () => {
  let db: TestFile;
  const applied: Extension[] = [];
  let n = 0;
  beforeAll(async () => {
    db = await testFile();
  });
  afterAll(() => db?.drop());

  /** Applies `extension` on top of what the database has, and returns the catalog before and after. */
  async function apply(extension: Extension) {
    const before = db.catalog();
    const result = await withMigrator(db.file, [...applied, extension], (migrator) => migrator.up());
    applied.push(extension);
    expect(result.applied.map((r) => r.id)).toEqual([extension.id]);
    return { before, after: db.catalog() };
  }

  async function clean() {
    const report = await withMigrator(db.file, applied, (migrator) => migrator.check());
    expect(report.findings).toEqual([]);
  }

  it("identifiers from the allowed set are created as given, with the names derived from them", async () => {
    await fc.assert(
      fc.asyncProperty(tableIdentifier, columnIdentifier, async (table, column) => {
        fc.pre(!db.catalog().some((r) => [table, `${table}_${column}_idx`].includes(r.name)) && !["active_sessions", "better_auth_migrations"].includes(table));
        const extension = defineExtension({
          id: migrationId(++n),
          name: `table ${table}`,
          tables: [defineTable({ ...tableSpec(table, "", column, { type: "string", nullable: true }), indexes: [[column]] } as never)],
        });
        const { before, after } = await apply(extension);
        expect(without(after, table)).toEqual(before);
        const objects = (rows: string[][]) => rows.map((r) => r.join(" ")).sort();
        expect(objects(after.filter((r) => r.tbl_name === table).map((r) => [r.type, r.name]))).toEqual(
          // The primary key's own index is named by SQLite.
          objects([["table", table], ["index", `${table}_${column}_idx`], ["index", `sqlite_autoindex_${table}_1`]]),
        );
        expect((db.connection.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name)).toEqual(["id", column]);
      }),
      { numRuns: RUNS },
    );
    await clean();
  });

  it("defaults (strings, with or without a oneOf check, with quotes, backslashes, line breaks and emoji; integers; booleans; JSON) read back equal", async () => {
    await fc.assert(
      fc.asyncProperty(defaultCase, async (c) => {
        const table = `default_${++n}`;
        const extension = defineExtension({ id: migrationId(n), name: `default ${n}`, tables: [defineTable(tableSpec(table, "", "v", { type: c.type, default: specDefault(c), ...(c.oneOf ? { oneOf: c.oneOf } : {}) }))] });
        const { before, after } = await apply(extension);
        expect(without(after, table)).toEqual(before);
        db.connection.prepare(`INSERT INTO "${table}" (id) VALUES ('1')`).run();
        const { v } = db.connection.prepare(`SELECT v FROM "${table}"`).get() as { v: unknown };
        // SQLite stores booleans as 0 and 1, and JSON as its text.
        const expected = c.type === "boolean" ? (c.value ? 1 : 0) : c.value;
        expect(c.type === "json" ? JSON.parse(v as string) : v).toEqual(c.type === "json" ? JSON.parse(JSON.stringify(c.value)) : expected);
        if (c.oneOf) {
          // The check holds exactly the values given: the other one passes, anything else is refused.
          db.connection.prepare(`INSERT INTO "${table}" (id, v) VALUES ('2', ?)`).run(c.oneOf[1]);
          expect(() => db.connection.prepare(`INSERT INTO "${table}" (id, v) VALUES ('3', ?)`).run(`${c.oneOf![0]}?`)).toThrow(/CHECK constraint failed/);
        }
      }),
      { numRuns: RUNS },
    );
    // The defaults as sqlite_schema states them equal the model's, in the introspector's normal form.
    await clean();
  });

  it("table comments stay on their line of the CREATE TABLE text in sqlite_schema", async () => {
    await fc.assert(
      fc.asyncProperty(prose, async (comment) => {
        const table = `comment_${++n}`;
        const extension = defineExtension({ id: migrationId(n), name: `comment ${n}`, tables: [defineTable(tableSpec(table, comment, "v", { type: "text", nullable: true }))] });
        const { before, after } = await apply(extension);
        expect(without(after, table)).toEqual(before);
        const created = after.find((r) => r.type === "table" && r.name === table)!.sql!;
        expect(created.split("\n")[1]).toBe(`  -- ${comment}`);
        expect((db.connection.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name)).toEqual(["id", "v"]);
      }),
      { numRuns: RUNS },
    );
    // The introspector still reads every such table as the model describes it.
    await clean();
  });

  it("migration names reach the ledger intact through an SQL file run by sqlite3, and the file's header stays one line", async () => {
    await fc.assert(
      fc.asyncProperty(prose.filter((s) => s.trim() !== ""), async (name) => {
        const table = `named_${++n}`;
        const extension = defineExtension({ id: migrationId(n), name, tables: [defineTable(tableSpec(table, "", "v", { type: "text", nullable: true }))] });
        const before = db.catalog();
        await withMigrator(db.file, [...applied, extension], async (migrator) => {
          const file = migrator.sqlFiles().find((f) => f.migrationId === extension.id && f.direction === "up")!;
          expect(file.sql.split("\n")[0]).toBe(`-- better-auth-migrate: ${extension.id} (up): ${name}`);
          await applyWithClient(db.file, file.sql);
          applied.push(extension);
          const status = (await migrator.status()).find((s) => s.id === extension.id)!;
          expect({ state: status.state, name: status.name }).toEqual({ state: "applied", name });
        });
        expect(without(db.catalog(), table)).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it("refuses every input outside the allowed sets before anything runs: names, comments, migration names, defaults, types, onDelete", async () => {
    const before = db.catalog();
    await fc.assert(
      fc.asyncProperty(refusedInput, async (input) => {
        const id = migrationId(++n);
        expect(() => defineExtension({ id, name: input.name, tables: [defineTable(tableSpec(input.table, input.comment, input.column, input.spec as never))] })).toThrow(
          /Invalid|Extension|Table|Column|value\(\)/,
        );
        const handMade = handMadeExtension(id, input.name, handMadeTable(input.table, input.comment, input.column, input.spec));
        const error = await withMigrator(db.file, [...applied, handMade], (migrator) => migrator.up()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidExtensionError);
        expect((error as MigrateError).message).not.toMatch(/[\n\r\u2028\u2029\u001b]/);
      }),
      { numRuns: RUNS },
    );
    expect(db.catalog()).toEqual(before);
  });
});
