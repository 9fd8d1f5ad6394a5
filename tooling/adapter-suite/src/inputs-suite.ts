import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineExtension, defineTable, type Extension, InvalidExtensionError, json, MigrateError, type Migrator, resolveSchema, value } from "@better-auth/migrate-core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdapterHarness, HarnessDatabase } from "./harness.js";
import {
  columnIdentifier, defaultCase, handMadeExtension, handMadeTable, INJECTION, prose, refusedInput, specDefault, tableIdentifier, tableSpec,
} from "./inputs-arbitraries.js";

/** Runs per property: each run is one migration applied and read back. */
export const INPUT_RUNS = 25;

const migrationId = (n: number) => `p${String(n).padStart(4, "0")}_inputs`;

async function withMigrator<T>(db: HarnessDatabase, extensions: readonly Extension[], work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const migrator = db.createMigrator({ extensions });
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

/** Writes `sql` to a file and applies it with the dialect's own client, as a user applies an exported file. */
async function applySql(db: HarnessDatabase, sql: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ba-inputs-"));
  const file = join(dir, "migration.sql");
  writeFileSync(file, sql);
  try {
    await db.applySqlFile(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tableNames(db: HarnessDatabase): Promise<string[]> {
  return (await db.kysely.introspection.getTables()).filter((t) => !t.isView).map((t) => t.name);
}

async function columnNames(db: HarnessDatabase, table: string): Promise<string[] | undefined> {
  return (await db.kysely.introspection.getTables()).find((t) => t.name === table && !t.isView)?.columns.map((c) => c.name);
}

async function ledgerName(db: HarnessDatabase, id: string): Promise<unknown> {
  return (await db.kysely.selectFrom("better_auth_migrations").select("name").where("id", "=", id).executeTakeFirst())?.name;
}

/**
 * Every value a caller hands the model reaches the database validated or quoted (issue 13, items 4
 * and 5, and "Inputs"): injections through the programmatic API are refused before anything runs,
 * and generated identifiers, defaults, comments and migration names are applied through the real
 * adapter and read back intact from the live catalog. Where the dialect's quoting refuses some text
 * on purpose ({@link AdapterHarness.traits}.refusedInLiterals), such inputs must be refused with a
 * clear error before anything runs, never crash or half-apply.
 */
export function inputsSuite(harness: AdapterHarness): void {
  const { traits } = harness;

  describe(`inputs on ${harness.name}`, () => {
    let db: HarnessDatabase;
    beforeAll(async () => {
      db = await harness.createDatabase();
      await withMigrator(db, [], (migrator) => migrator.up());
    });
    afterAll(() => db?.drop());

    it("refuses an onDelete injection through the programmatic API; users stays and nothing else is created (item 4)", async () => {
      const before = await db.catalog();
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
          await withMigrator(db, [extension], (migrator) => migrator.up());
        })().catch((e: unknown) => e);
        // defineTable reports a TypeError, the migrator an InvalidExtensionError: both before anything runs.
        expect(error instanceof InvalidExtensionError || error instanceof TypeError).toBe(true);
        expect((error as Error).message).toMatch(/onDelete "cascade\); DROP TABLE users CASCADE; CREATE TABLE pwned \(x in…" is not one of "cascade", "restrict", "set null", "set default", "no action"/);
      }
      expect(await tableNames(db)).toContain("users");
      expect(await db.catalog()).toEqual(before);
    });

    it("refuses NaN and unknown types before rendering, instead of DEFAULT NaN or a type of undefined (item 4)", async () => {
      const opened: Migrator[] = [];
      const rendered = (score: () => Record<string, unknown>) => () => {
        const migrator = db.createMigrator({ extensions: [defineExtension({ id: "0100_bad", name: "bad", columns: { users: { score: score() as never } } })] });
        opened.push(migrator);
        migrator.sql();
      };
      try {
        expect(rendered(() => ({ type: "integer", nullable: true, default: value(Number.NaN) }))).toThrow(/value\(\) takes a string, a finite number or a boolean, not NaN/);
        expect(rendered(() => ({ type: "integer", nullable: true, default: { kind: "value", value: Number.NaN } }))).toThrow(
          /Extension 0100_bad: Column users\.score: the default of an integer column must be a whole number .* not NaN/,
        );
        expect(rendered(() => ({ type: "float", nullable: true }))).toThrow(/Extension 0100_bad: Column users\.score: type "float" is not a column type/);
        expect(rendered(() => ({ type: "json", nullable: true, default: json({ a: undefined } as never) }))).toThrow(/the JSON default at \$\.a is undefined/);
      } finally {
        await Promise.all(opened.map((migrator) => migrator.close()));
      }
    });

    it("keeps an extension name with a newline out of live SQL in sql() output (item 5)", async () => {
      const evil = "notes\nDROP TABLE users CASCADE; CREATE TABLE pwned (x int);\n--";
      const table = defineTable(tableSpec("note", "Notes.", "body", { type: "text", nullable: true }));
      // defineExtension and createMigrator refuse such a name, naming the field.
      expect(() => defineExtension({ id: "0100_notes", name: evil, tables: [table] })).toThrow(/^Extension 0100_notes: its name "notes\\nDROP TABLE users/);
      expect(() => db.createMigrator({ extensions: [handMadeExtension("0100_notes", evil, table)] })).toThrow(InvalidExtensionError);

      // Below the checks, an SQL file's header keeps whatever name reaches it on one line: a runner
      // built on an unchecked schema renders it, and the dialect's client runs the file without running the name.
      const core = resolveSchema();
      const runner = db.createRunner({ ...core, migrations: [...core.migrations, handMadeExtension("0100_notes", evil, table).migration], tables: [...core.tables, table] });
      const file = runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "up")!;
      expect(file.sql.split("\n")[0]).toBe("-- better-auth-migrate: 0100_notes (up): notes DROP TABLE users CASCADE; CREATE TABLE pwned (x int); --");
      await applySql(db, file.sql);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(["users", "note"]));
      expect(await tableNames(db)).not.toContain("pwned");
      expect(await ledgerName(db, "0100_notes")).toBe(evil);
      await applySql(db, runner.sqlFiles().find((f) => f.migrationId === "0100_notes" && f.direction === "down")!.sql);
      expect(await tableNames(db)).not.toContain("note");
    });
  });

  describe(`generated inputs on ${harness.name}, applied and read back (fast-check)`, () => {
    let db: HarnessDatabase;
    const applied: Extension[] = [];
    let n = 0;
    beforeAll(async () => {
      db = await harness.createDatabase();
      await withMigrator(db, [], (migrator) => migrator.up());
    });
    afterAll(() => db?.drop());

    /** Applies `extension` on top of what the database has, and returns the catalog before and after. */
    async function apply(extension: Extension) {
      const before = await db.catalog();
      const result = await withMigrator(db, [...applied, extension], (migrator) => migrator.up());
      applied.push(extension);
      expect(result.applied.map((r) => r.id)).toEqual([extension.id]);
      return { before, after: await db.catalog() };
    }

    /** Whether the dialect's quoting refuses `text` on purpose (see the trait). */
    const refusedInLiteral = (text: string) => traits.refusedInLiterals?.test(text) === true;

    /** The quoting refuses the extension: a clear error from up(), and nothing of it in the database or the ledger. */
    async function refused(extension: Extension) {
      const before = await db.catalog();
      const ledger = await db.kysely.selectFrom("better_auth_migrations").select("id").orderBy("id").execute();
      const error = await withMigrator(db, [...applied, extension], (migrator) => migrator.up()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrateError);
      expect(error).toMatchObject({ code: "UNSUPPORTED_BY_DIALECT", message: expect.stringMatching(traits.refusedInLiterals!.message) });
      expect(await db.catalog()).toEqual(before);
      expect(await db.kysely.selectFrom("better_auth_migrations").select("id").orderBy("id").execute()).toEqual(ledger);
    }

    async function clean() {
      const report = await withMigrator(db, applied, (migrator) => migrator.check());
      expect(report.findings).toEqual([]);
    }

    it("identifiers from the allowed set are created as given, with the names derived from them", async () => {
      const taken = () => new Set(resolveSchema(applied).tables.flatMap((t) => [t.name, t.primaryKey.name, ...t.indexes.map((i) => i.name), ...t.uniques.map((u) => u.name)]));
      await fc.assert(
        fc.asyncProperty(tableIdentifier, columnIdentifier, async (table, column) => {
          const names = taken();
          fc.pre(![table, `${table}_pkey`, `${table}_${column}_idx`, "active_sessions", "better_auth_migrations"].some((name) => names.has(name)));
          const extension = defineExtension({
            id: migrationId(++n),
            name: `table ${table}`,
            tables: [defineTable({ ...tableSpec(table, "", column, { type: "string", nullable: true }), indexes: [[column]] } as never)],
          });
          const { before, after } = await apply(extension);
          expect(db.withoutTable(after, table)).toEqual(before);
          expect(await columnNames(db, table)).toEqual(["id", column]);
          // Its index and its primary key's, and nothing else (no trigger).
          expect((await db.objectNames(table)).sort()).toEqual([`${table}_${column}_idx`, traits.primaryKeyIndexName(table)].sort());
        }),
        { numRuns: INPUT_RUNS },
      );
      await clean();
    });

    it("defaults (strings, with or without a oneOf check, with quotes, backslashes, line breaks and emoji; integers; booleans; JSON) read back equal, or are refused before anything runs where the quoting refuses them", async () => {
      await fc.assert(
        fc.asyncProperty(defaultCase, async (c) => {
          const table = `default_${++n}`;
          const extension = defineExtension({
            id: migrationId(n),
            name: `default ${n}`,
            tables: [defineTable(tableSpec(table, "", "v", { type: c.type, default: specDefault(c), ...(c.oneOf ? { oneOf: c.oneOf } : {}) }))],
          });
          const literal = c.type === "json" ? JSON.stringify(c.value) : typeof c.value === "string" ? c.value : "";
          if (refusedInLiteral(literal)) return refused(extension);
          const { before, after } = await apply(extension);
          expect(db.withoutTable(after, table)).toEqual(before);
          await db.kysely.insertInto(table).values({ id: "1" }).execute();
          const { v } = await db.kysely
            .selectFrom(table)
            .select(c.type === "json" ? traits.jsonText("v").as("v") : "v")
            .executeTakeFirstOrThrow();
          if (c.type === "json") expect(JSON.parse(v as string)).toEqual(JSON.parse(JSON.stringify(c.value)));
          else expect(v).toEqual(c.type === "boolean" && traits.booleansAs === "integer" ? (c.value ? 1 : 0) : c.value);
          if (c.oneOf) {
            // The check holds exactly the values given: the other one passes, anything else is refused.
            await db.kysely.insertInto(table).values({ id: "2", v: c.oneOf[1] }).execute();
            await expect(db.kysely.insertInto(table).values({ id: "3", v: `${c.oneOf[0]}?` }).execute()).rejects.toThrow(traits.checkViolation);
          }
        }),
        { numRuns: INPUT_RUNS },
      );
      // The defaults as the catalog states them equal the model's, in the introspector's normal form.
      await clean();
    });

    it("table comments read back equal from the catalog, the table's columns intact, or are refused before anything runs where the quoting refuses them", async () => {
      await fc.assert(
        fc.asyncProperty(prose, async (comment) => {
          const table = `comment_${++n}`;
          const extension = defineExtension({ id: migrationId(n), name: `comment ${n}`, tables: [defineTable(tableSpec(table, comment, "v", { type: "text", nullable: true }))] });
          if (refusedInLiteral(comment)) return refused(extension);
          const { before, after } = await apply(extension);
          expect(db.withoutTable(after, table)).toEqual(before);
          expect(await db.tableComment(table)).toBe(comment);
          expect(await columnNames(db, table)).toEqual(["id", "v"]);
        }),
        { numRuns: INPUT_RUNS },
      );
      // The introspector still reads every such table as the model describes it.
      await clean();
    });

    it("migration names reach the ledger intact through an SQL file run by the dialect's client, and the file's header stays one line (or the file refuses a name the quoting refuses)", async () => {
      await fc.assert(
        fc.asyncProperty(prose.filter((s) => s.trim() !== ""), async (name) => {
          const table = `named_${++n}`;
          const extension = defineExtension({ id: migrationId(n), name, tables: [defineTable(tableSpec(table, "", "v", { type: "text", nullable: true }))] });
          const before = await db.catalog();
          await withMigrator(db, [...applied, extension], async (migrator) => {
            if (refusedInLiteral(name)) {
              // The file would write the name as a literal; up() binds it as a parameter.
              expect(() => migrator.sqlFiles()).toThrow(traits.refusedInLiterals!.message);
              return;
            }
            const file = migrator.sqlFiles().find((f) => f.migrationId === extension.id && f.direction === "up")!;
            expect(file.sql.split("\n")[0]).toBe(`-- better-auth-migrate: ${extension.id} (up): ${name}`);
            await applySql(db, file.sql);
            applied.push(extension);
            const status = (await migrator.status()).find((s) => s.id === extension.id)!;
            expect({ state: status.state, name: status.name }).toEqual({ state: "applied", name });
          });
          expect(db.withoutTable(await db.catalog(), table)).toEqual(before);
        }),
        { numRuns: INPUT_RUNS },
      );
    });

    it("refuses every input outside the allowed sets before anything runs: names, comments, migration names, defaults, types, onDelete", async () => {
      const before = await db.catalog();
      await fc.assert(
        fc.asyncProperty(refusedInput, async (input) => {
          const id = migrationId(++n);
          expect(() => defineExtension({ id, name: input.name, tables: [defineTable(tableSpec(input.table, input.comment, input.column, input.spec as never))] })).toThrow(
            /Invalid|Extension|Table|Column|value\(\)/,
          );
          const handMade = handMadeExtension(id, input.name, handMadeTable(input.table, input.comment, input.column, input.spec));
          const error = await withMigrator(db, [...applied, handMade], (migrator) => migrator.up()).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(InvalidExtensionError);
          // One line, whatever the input held.
          expect((error as MigrateError).message).not.toMatch(/[\n\r\u2028\u2029\u001b]/);
        }),
        { numRuns: INPUT_RUNS },
      );
      expect(await db.catalog()).toEqual(before);
    });
  });
}
