import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ColumnSpec, createRunner, defineExtension, defineTable, type Extension, InvalidExtensionError, json, type JsonValue, MigrateError, type Migrator,
  resolveSchema, value,
} from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import fc from "fast-check";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator, postgresDialect } from "../src/index.js";
import { type CatalogSnapshot, catalogSnapshot, migrateUp, query } from "./helpers.js";

/**
 * Every value a caller hands the model reaches PostgreSQL validated or quoted (issue 13, items 4
 * and 5, and "Inputs"): injections through the programmatic API are refused before anything runs,
 * and generated identifiers, defaults, comments and migration names are applied through the real
 * adapter and read back intact from the live catalog.
 */

afterAll(closeAdminPools);

/** Runs per property per server: each run is one migration applied and read back. */
const RUNS = 25;
const INJECTION = "cascade); DROP TABLE users CASCADE; CREATE TABLE pwned (x int";

function applyWithPsql(url: string, sql: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ba-inputs-"));
  const file = join(dir, "migration.sql");
  writeFileSync(file, sql);
  return new Promise<void>((resolve, reject) => {
    execFile("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file], (error, _stdout, stderr) =>
      error ? reject(new Error(`psql: ${stderr || error.message}`)) : resolve(),
    );
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function tableNames(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return rows.map((r) => r.name);
}

async function tableComment(url: string, table: string): Promise<string | null> {
  const [row] = await query<{ comment: string | null }>(
    url,
    "SELECT obj_description(c.oid, 'pg_class') AS comment FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = $1",
    [table],
  );
  return row!.comment;
}

/** The catalog without what concerns `table`: equal before and after a migration that only creates `table`. */
function without(catalog: CatalogSnapshot, table: string): CatalogSnapshot {
  const unquoted = (name: unknown) => String(name).replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
  const other = (row: pg.QueryResultRow) => ![row.table_name, row.tablename, row.relname].some((name) => name !== undefined && unquoted(name) === table);
  return Object.fromEntries(Object.entries(catalog).map(([kind, rows]) => [kind, rows.filter(other)])) as CatalogSnapshot;
}

async function withMigrator<T>(url: string, extensions: readonly Extension[], work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const migrator = createMigrator({ url, extensions });
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

/**
 * A database with the core schema applied, the extensions applied to it since (in order), and one
 * open connection that reads the catalog (the queries of `catalogSnapshot` in helpers.ts).
 */
interface PropertyDatabase {
  db: TestDatabase;
  client: pg.Client;
  applied: Extension[];
  next: () => number;
  rows: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<R[]>;
  catalog: () => Promise<CatalogSnapshot>;
}

async function propertyDatabase(adminUrl: string): Promise<PropertyDatabase> {
  const db = await createTestDatabase(adminUrl);
  await migrateUp(db.url);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let n = 0;
  const rows = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => (await client.query<R>(text, values)).rows;
  const q = (text: string) => rows(text, ["public"]);
  return {
    db,
    client,
    applied: [],
    next: () => ++n,
    rows,
    catalog: async () => ({
      columns: await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = $1 ORDER BY table_name, ordinal_position`),
      constraints: await q(`SELECT c.conrelid::regclass::text AS table_name, c.conname, pg_get_constraintdef(c.oid) AS definition
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 ORDER BY 1, 2`),
      indexes: await q("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2"),
      triggers: await q(`SELECT t.tgrelid::regclass::text AS table_name, t.tgname, pg_get_triggerdef(t.oid) AS definition
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1, 2`),
      functions: await q(`SELECT p.proname, pg_get_functiondef(p.oid) AS definition, obj_description(p.oid, 'pg_proc') AS comment
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY 1`),
      views: await q("SELECT viewname, definition FROM pg_views WHERE schemaname = $1 ORDER BY 1"),
      comments: await q(`SELECT c.relname, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'v') ORDER BY 1`),
    }),
  };
}

const migrationId = (n: number) => `p${String(n).padStart(4, "0")}_inputs`;

// --- Arbitraries ----------------------------------------------------------------------------------

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
const RESERVED_COLUMNS = new Set(["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid", "rowid", "_rowid_"]);
const tableIdentifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,39}$/).filter((s) => !s.startsWith("sqlite_"));
const columnIdentifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,17}$/).filter((s) => s !== "id" && !RESERVED_COLUMNS.has(s));

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

for (const server of inject("postgresServers")) {
  describe(`PostgreSQL ${server.version}: inputs`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(server.adminUrl);
      await migrateUp(db.url);
    });
    afterAll(() => db?.drop());

    it("refuses an onDelete injection through the programmatic API; users stays and nothing else is created (item 4)", async () => {
      const before = await catalogSnapshot(db.url);
      const attempts: (() => Extension)[] = [
        // As the issue reported it: the types bypassed with a cast, through defineTable.
        () =>
          defineExtension({
            id: "0100_injected",
            name: "injected",
            tables: [defineTable(tableSpec("note", "Notes.", "user_id", { type: "id", references: { table: "users", onDelete: INJECTION as never } }))],
          }),
        // The same table built by hand, never passing through defineTable.
        () => handMadeExtension("0100_injected", "injected", handMadeTable("note", "Notes.", "user_id", { type: "id", references: { onDelete: INJECTION } })),
      ];
      for (const attempt of attempts) {
        const error = await (async () => {
          const extension = attempt();
          await withMigrator(db.url, [extension], (migrator) => migrator.up());
        })().catch((e: unknown) => e);
        // defineTable reports a TypeError, the migrator an InvalidExtensionError: both before anything runs.
        expect(error instanceof InvalidExtensionError || error instanceof TypeError).toBe(true);
        expect((error as Error).message).toMatch(/onDelete "cascade\); DROP TABLE users CASCADE; CREATE TABLE pwned \(x in…" is not one of "cascade", "restrict", "set null", "set default", "no action"/);
      }
      expect(await tableNames(db.url)).toContain("users");
      expect(await catalogSnapshot(db.url)).toEqual(before);
    });

    it("refuses NaN and unknown types before rendering, instead of DEFAULT NaN or a type of undefined (item 4)", () => {
      const rendered = (score: () => Record<string, unknown>) => () =>
        createMigrator({ url: db.url, extensions: [defineExtension({ id: "0100_bad", name: "bad", columns: { users: { score: score() as never } } })] }).sql();
      expect(rendered(() => ({ type: "integer", nullable: true, default: value(Number.NaN) }))).toThrow(/value\(\) takes a string, a finite number or a boolean, not NaN/);
      expect(rendered(() => ({ type: "integer", nullable: true, default: { kind: "value", value: Number.NaN } }))).toThrow(
        /Extension 0100_bad: Column users\.score: the default of an integer column must be a whole number .* not NaN/,
      );
      expect(rendered(() => ({ type: "float", nullable: true }))).toThrow(/Extension 0100_bad: Column users\.score: type "float" is not a column type/);
      expect(rendered(() => ({ type: "json", nullable: true, default: json({ a: undefined } as never) }))).toThrow(/the JSON default at \$\.a is undefined/);
    });

    it("keeps an extension name with a newline out of live SQL in sql() output (item 5)", async () => {
      const evil = "notes\nDROP TABLE users CASCADE; CREATE TABLE pwned (x int);\n--";
      const table = defineTable(tableSpec("note", "Notes.", "body", { type: "text", nullable: true }));
      // defineExtension and createMigrator refuse such a name, naming the field.
      expect(() => defineExtension({ id: "0100_notes", name: evil, tables: [table] })).toThrow(/^Extension 0100_notes: its name "notes\\nDROP TABLE users/);
      expect(() => createMigrator({ url: db.url, extensions: [handMadeExtension("0100_notes", evil, table)] })).toThrow(InvalidExtensionError);

      // Below the checks, an SQL file's header keeps whatever name reaches it on one line: a runner
      // built on an unchecked schema renders it, and psql runs the file without running the name.
      const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 1 }) }) });
      try {
        const core = resolveSchema();
        const unchecked = { ...core, migrations: [...core.migrations, handMadeExtension("0100_notes", evil, table).migration], tables: [...core.tables, table] };
        const runner = createRunner(postgresDialect({ schema: "public", ids: "string" }), kysely, unchecked);
        const file = runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "up")!;
        expect(file.sql.split("\n")[0]).toBe("-- better-auth-migrate: 0100_notes (up): notes DROP TABLE users CASCADE; CREATE TABLE pwned (x int); --");
        await applyWithPsql(db.url, file.sql);
        expect(await tableNames(db.url)).toEqual(expect.arrayContaining(["users", "note"]));
        expect(await tableNames(db.url)).not.toContain("pwned");
        const [row] = await query<{ name: string }>(db.url, "SELECT name FROM better_auth_migrations WHERE id = '0100_notes'");
        expect(row!.name).toBe(evil);
        await applyWithPsql(db.url, runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "down")!.sql);
      } finally {
        await kysely.destroy();
      }
    });

    it("writes literals that mean the same when standard_conforming_strings is off (a backslash cannot end a comment's literal)", async () => {
      const comment = "x\\'; DROP TABLE users CASCADE; --";
      const commented = defineExtension({
        id: "0100_scs_comment",
        name: "scs \\'; DROP TABLE users; --",
        tables: [defineTable(tableSpec("scs_note", comment, "body", { type: "text", nullable: true }))],
      });
      const defaulted = defineExtension({
        id: "0101_scs_default",
        name: "scs default",
        tables: [defineTable(tableSpec("scs_default", "", "body", { type: "text", default: value("a\\'b") }))],
      });
      const url = new URL(db.url);
      url.searchParams.set("options", "-c standard_conforming_strings=off");
      await withMigrator(url.toString(), [commented], (migrator) => migrator.up());
      expect(await tableNames(db.url)).toEqual(expect.arrayContaining(["users", "scs_note"]));
      expect(await tableComment(db.url, "scs_note")).toBe(comment);
      await withMigrator(url.toString(), [commented, defaulted], (migrator) => migrator.up());
      await query(db.url, "INSERT INTO scs_default (id) VALUES ('1')");
      expect(await query(db.url, "SELECT body FROM scs_default")).toEqual([{ body: "a\\'b" }]);
      // The renderer's E'' spelling and the catalog's plain one are the same default for check.
      expect((await withMigrator(db.url, [commented, defaulted], (migrator) => migrator.check())).findings).toEqual([]);
      await withMigrator(db.url, [commented, defaulted], (migrator) => migrator.down({ steps: 2 }));
    });
  });

  describe(`PostgreSQL ${server.version}: generated inputs, applied and read back (fast-check)`, () => {
    let target: PropertyDatabase;
    beforeAll(async () => {
      target = await propertyDatabase(server.adminUrl);
    });
    afterAll(async () => {
      await target?.client.end();
      await target?.db.drop();
    });

    /** Applies `extension` on top of what the database has, and returns the catalog before and after. */
    async function apply(extension: Extension) {
      const before = await target.catalog();
      const result = await withMigrator(target.db.url, [...target.applied, extension], (migrator) => migrator.up());
      target.applied.push(extension);
      expect(result.applied.map((r) => r.id)).toEqual([extension.id]);
      return { before, after: await target.catalog() };
    }

    async function clean() {
      const report = await withMigrator(target.db.url, target.applied, (migrator) => migrator.check());
      expect(report.findings).toEqual([]);
    }

    it("identifiers from the allowed set are created as given, with the names derived from them", async () => {
      const taken = () => new Set(resolveSchema(target.applied).tables.flatMap((t) => [t.name, t.primaryKey.name, ...t.indexes.map((i) => i.name), ...t.uniques.map((u) => u.name)]));
      await fc.assert(
        fc.asyncProperty(tableIdentifier, columnIdentifier, async (table, column) => {
          const names = taken();
          fc.pre(![table, `${table}_pkey`, `${table}_${column}_idx`, "active_sessions", "better_auth_migrations"].some((n) => names.has(n)));
          const extension = defineExtension({
            id: migrationId(target.next()),
            name: `table ${table}`,
            tables: [defineTable({ ...tableSpec(table, "", column, { type: "string", nullable: true }), indexes: [[column]] } as never)],
          });
          const { before, after } = await apply(extension);
          expect(without(after, table)).toEqual(before);
          expect(after.columns.filter((c) => c.table_name === table).map((c) => c.column_name)).toEqual(["id", column]);
          expect(after.indexes.filter((i) => i.tablename === table).map((i) => i.indexname).sort()).toEqual([`${table}_${column}_idx`, `${table}_pkey`].sort());
        }),
        { numRuns: RUNS },
      );
      await clean();
    });

    it("defaults (strings, with or without a oneOf check, with quotes, backslashes, line breaks and emoji; integers; booleans; JSON) read back equal", async () => {
      await fc.assert(
        fc.asyncProperty(defaultCase, async (c) => {
          const n = target.next();
          const table = `default_${n}`;
          const extension = defineExtension({
            id: migrationId(n),
            name: `default ${n}`,
            tables: [defineTable(tableSpec(table, "", "v", { type: c.type, default: specDefault(c), ...(c.oneOf ? { oneOf: c.oneOf } : {}) }))],
          });
          const { before, after } = await apply(extension);
          expect(without(after, table)).toEqual(before);
          await target.rows(`INSERT INTO "${table}" (id) VALUES ('1')`);
          const [row] = await target.rows<{ v: unknown }>(`SELECT v FROM "${table}"`);
          expect(row!.v).toEqual(c.type === "json" ? JSON.parse(JSON.stringify(c.value)) : c.value);
          if (c.oneOf) {
            // The check holds exactly the values given: the other one passes, anything else is refused.
            await target.rows(`INSERT INTO "${table}" (id, v) VALUES ('2', $1)`, [c.oneOf[1]]);
            await expect(target.rows(`INSERT INTO "${table}" (id, v) VALUES ('3', $1)`, [`${c.oneOf[0]}?`])).rejects.toThrow(/violates check constraint/);
          }
        }),
        { numRuns: RUNS },
      );
      // The defaults as the catalog states them equal the model's, in the introspector's normal form.
      await clean();
    });

    it("table comments read back equal from the catalog", async () => {
      await fc.assert(
        fc.asyncProperty(prose, async (comment) => {
          const n = target.next();
          const table = `comment_${n}`;
          const extension = defineExtension({ id: migrationId(n), name: `comment ${n}`, tables: [defineTable(tableSpec(table, comment, "v", { type: "text", nullable: true }))] });
          const { before, after } = await apply(extension);
          expect(without(after, table)).toEqual(before);
          // PostgreSQL stores an empty comment as no comment.
          expect(after.comments.find((c) => c.relname === table)?.comment).toBe(comment === "" ? null : comment);
        }),
        { numRuns: RUNS },
      );
    });

    it("migration names reach the ledger intact through an SQL file run by psql, and the file's header stays one line", async () => {
      await fc.assert(
        fc.asyncProperty(prose.filter((s) => s.trim() !== ""), async (name) => {
          const n = target.next();
          const table = `named_${n}`;
          const extension = defineExtension({ id: migrationId(n), name, tables: [defineTable(tableSpec(table, "", "v", { type: "text", nullable: true }))] });
          const before = await target.catalog();
          await withMigrator(target.db.url, [...target.applied, extension], async (migrator) => {
            const file = migrator.sqlFiles().find((f) => f.migrationId === extension.id && f.direction === "up")!;
            expect(file.sql.split("\n")[0]).toBe(`-- better-auth-migrate: ${extension.id} (up): ${name}`);
            await applyWithPsql(target.db.url, file.sql);
            target.applied.push(extension);
            const status = (await migrator.status()).find((s) => s.id === extension.id)!;
            expect({ state: status.state, name: status.name }).toEqual({ state: "applied", name });
          });
          expect(without(await target.catalog(), table)).toEqual(before);
        }),
        { numRuns: RUNS },
      );
    });

    it("refuses every input outside the allowed sets before anything runs: names, comments, migration names, defaults, types, onDelete", async () => {
      const refused = fc.oneof(
        refusedTableName.map((name) => ({ table: name, comment: "", column: "v", spec: { type: "text", nullable: true } as Record<string, unknown>, name: "x" })),
        refusedColumnName.map((column) => ({ table: "t", comment: "", column, spec: { type: "text", nullable: true } as Record<string, unknown>, name: "x" })),
        refusedProse.map((comment) => ({ table: "t", comment, column: "v", spec: { type: "text", nullable: true } as Record<string, unknown>, name: "x" })),
        refusedProse.map((name) => ({ table: "t", comment: "", column: "v", spec: { type: "text", nullable: true } as Record<string, unknown>, name })),
        fc
          .oneof(fc.constantFrom(Number.NaN, Infinity, -Infinity, 1.5, 2 ** 31, -(2 ** 31) - 1, "1", true, null), fc.double().filter((d) => !Number.isInteger(d)))
          .map((v) => ({ table: "t", comment: "", column: "v", spec: { type: "integer", default: { kind: "value", value: v } } as Record<string, unknown>, name: "x" })),
        fc
          .string()
          .filter((s) => !["id", "string", "text", "boolean", "timestamp", "json", "ipAddress", "integer"].includes(s))
          .map((type) => ({ table: "t", comment: "", column: "v", spec: { type, nullable: true } as Record<string, unknown>, name: "x" })),
        fc
          .oneof(fc.string(), fc.constant(INJECTION), fc.constantFrom("CASCADE", "set_null", "cascade ", "no action; --"))
          .filter((s) => !["cascade", "restrict", "set null", "set default", "no action"].includes(s))
          .map((onDelete) => ({ table: "t", comment: "", column: "user_id", spec: { type: "id", nullable: true, references: { table: "users", onDelete } } as Record<string, unknown>, name: "x" })),
      );
      const before = await target.catalog();
      await fc.assert(
        fc.asyncProperty(refused, async (input) => {
          const id = migrationId(target.next());
          expect(() => defineExtension({ id, name: input.name, tables: [defineTable(tableSpec(input.table, input.comment, input.column, input.spec as never))] })).toThrow(
            /Invalid|Extension|Table|Column|value\(\)/,
          );
          const handMade = handMadeExtension(id, input.name, handMadeTable(input.table, input.comment, input.column, input.spec));
          const error = await withMigrator(target.db.url, [...target.applied, handMade], (migrator) => migrator.up()).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidExtensionError);
          // One line, whatever the input held.
          expect((error as MigrateError).message).not.toMatch(/[\n\r\u2028\u2029\u001b]/);
        }),
        { numRuns: RUNS },
      );
      expect(await target.catalog()).toEqual(before);
    });
  });
}
