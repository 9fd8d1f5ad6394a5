import type { Kysely } from "kysely";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { BetterAuthDatabase, DatabaseWith } from "../database-types.js";
import { defineTable, value } from "../model/define-table.js";
import { migrationChecksum } from "./checksum.js";
import { coreMigrations } from "./core-migrations.js";
import { InvalidExtensionError } from "../errors.js";
import { defineExtension, resolveSchema } from "./extensions.js";
import { invertOperations } from "./operations.js";

const verificationSpec = {
  id: "0100_verification",
  name: "verification values",
  tables: [
    defineTable({
      name: "verification",
      comment: "One-time values.",
      columns: {
        id: { type: "id", primaryKey: true },
        identifier: { type: "string" },
        value: { type: "text" },
        expires_at: { type: "timestamp" },
      },
      indexes: [["identifier"]],
    }),
  ],
  columns: { users: { two_factor_enabled: { type: "boolean", default: value(false) }, phone: { type: "string", nullable: true } } },
} as const;
const verification = defineExtension(verificationSpec);

describe("extensions", () => {
  it("become one migration after the core ones, and the resolved tables include them", () => {
    const schema = resolveSchema([verification]);
    expect(schema.migrations.map((m) => m.id)).toEqual(["0001_core_tables", "0002_organization_tables", "0100_verification"]);
    expect(schema.tables.map((t) => t.name)).toEqual(["users", "sessions", "accounts", "organization", "member", "invitation", "verification"]);
    expect(schema.tables[0]!.columns.map((c) => c.name).slice(-2)).toEqual(["two_factor_enabled", "phone"]);
  });

  it("are refused when they do not fit the schema", () => {
    expect(() => resolveSchema([verification, verification])).toThrow(/0100_verification: another migration already has this id/);
    const clash = defineExtension({ id: "0101_users", name: "users again", tables: [defineTable({ name: "users", comment: "", columns: { id: { type: "id", primaryKey: true } } })] });
    expect(() => resolveSchema([clash])).toThrow(/table "users" already exists/);
    const missingTable = defineExtension({ id: "0102_x", name: "x", columns: { nope: { a: { type: "text", nullable: true } } } });
    expect(() => resolveSchema([missingTable])).toThrow(/table "nope", which does not exist/);
    const existingColumn = defineExtension({ id: "0103_x", name: "x", columns: { users: { email: { type: "text", nullable: true } } } });
    expect(() => resolveSchema([existingColumn])).toThrow(/column users.email already exists/);
    const badReference = defineExtension({
      id: "0104_x",
      name: "x",
      tables: [defineTable({ name: "x", comment: "", columns: { id: { type: "id", primaryKey: true }, team_id: { type: "id", references: { table: "team" } } } })],
    });
    expect(() => resolveSchema([badReference])).toThrow(/references table "team", which does not exist/);
    const mistyped = defineExtension({
      id: "0106_x",
      name: "x",
      tables: [defineTable({ name: "passkey", comment: "", columns: { id: { type: "id", primaryKey: true }, user_id: { type: "string", references: { table: "users" } } } })],
    });
    expect(() => resolveSchema([mistyped])).toThrow(/passkey.user_id is of type "string" but references users.id of type "id"/);
    expect(() => defineExtension({ id: "Bad Id", name: "x", columns: { users: { a: { type: "text", nullable: true } } } })).toThrow(/lower-case/);
    expect(() => defineExtension({ id: "0105_empty", name: "x" })).toThrow(/adds no tables, no columns and no indexes/);
  });

  it("give Kysely types that include the added tables and columns", () => {
    type Db = DatabaseWith<[typeof verification]>;
    expectTypeOf<Db["verification"]["identifier"]>().toEqualTypeOf<string>();
    expectTypeOf<Db["verification"]["expires_at"]>().toEqualTypeOf<Date>();
    expectTypeOf<Db["users"]["phone"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Db["users"]["email"]>().toEqualTypeOf<string | null>();
    const lookup = (db: Kysely<Db>) => db.selectFrom("verification").select(["identifier", "expires_at"]).where("value", "=", "x");
    type Row = Awaited<ReturnType<ReturnType<typeof lookup>["executeTakeFirstOrThrow"]>>;
    expectTypeOf<Row>().toEqualTypeOf<{ identifier: string; expires_at: Date }>();
    expectTypeOf<DatabaseWith<[]>>().toEqualTypeOf<BetterAuthDatabase>();
  });
});

describe("extensions are checked at run time, whatever built them", () => {
  const table = (comment = "Notes.") =>
    defineTable({ name: "note", comment, columns: { id: { type: "id", primaryKey: true }, body: { type: "text", nullable: true } } });

  it("refuse a name that is not one line of printable text", () => {
    for (const name of ["notes\nDROP TABLE users; --", "notes\r\nx", "a\u2028b", "", "   ", 42]) {
      expect(() => defineExtension({ id: "0100_notes", name: name as string, tables: [table()] }), JSON.stringify(name)).toThrow(InvalidExtensionError);
    }
    expect(() => defineExtension({ id: "0100_notes", name: "notes\nDROP TABLE users; --", tables: [table()] })).toThrow(
      /^Extension 0100_notes: its name "notes\\nDROP TABLE users; --" holds a line break or another control character/,
    );
    expect(defineExtension({ id: "0100_notes", name: `it's "notes" \\ */ $function$ 😀`, tables: [table()] }).name).toBe(`it's "notes" \\ */ $function$ 😀`);
  });

  it("report a field that does not pass as an InvalidExtensionError naming it", () => {
    const added = (spec: unknown) => () => defineExtension({ id: "0100_x", name: "x", columns: { users: { c: spec as never } } });
    expect(added({ type: "id", nullable: true, references: { table: "users", onDelete: "cascade); DROP TABLE users; --" } })).toThrow(
      /^Extension 0100_x: Column users\.c: onDelete "cascade\); DROP TABLE users; --" is not one of/,
    );
    expect(added({ type: "text", nullable: true, default: { kind: "value", value: Number.NaN } })).toThrow(InvalidExtensionError);
    expect(added({ type: "blob", nullable: true })).toThrow(/Column users\.c: type "blob" is not a column type/);
    expect(() => defineExtension({ id: "0100_x\n; DROP TABLE users", name: "x" })).toThrow(/^Extension "0100_x\\n; DROP TABLE users": its id must be/);
    expect(() => defineExtension({ id: "0100_x", name: "x", tables: "note" as never })).toThrow(/tables must be a list/);
    expect(() => defineExtension({ id: "0100_x", name: "x", colums: {} } as never)).toThrow(/unknown key "colums"/);
  });

  it("name the extension once in the message of a field that does not pass", () => {
    expect(() => resolveSchema([{ id: "x_y", name: "y" } as never])).toThrow(/^Extension x_y: its migration must be a plain object/);
  });

  it("hold extensions made by hand, or changed after defineExtension, to the same rules when the schema is resolved", () => {
    const good = defineExtension({ id: "0100_notes", name: "notes", tables: [table()] });
    type CreateTable = { kind: "createTable"; table: { foreignKeys: unknown[] } };
    const op = good.migration.up[0] as unknown as CreateTable;
    const handMade = (changes: (copy: any) => void) => {
      const copy = structuredClone(good) as any;
      changes(copy);
      return () => resolveSchema([copy]);
    };
    expect(handMade((e) => e.migration.up[0].table.columns[1].type = "text); DROP TABLE users; --")).toThrow(/^Extension 0100_notes: Column note\.body: type "text\); DROP/);
    expect(handMade((e) => e.migration.up[0].table.comment = "a\nDROP TABLE users; --")).toThrow(/Table note: comment .* holds a line break/);
    expect(handMade((e) => (e.name = e.migration.name = "a\nDROP TABLE users; --"))).toThrow(/its name .* holds a line break/);
    expect(handMade((e) => e.migration.up[0].table.foreignKeys.push({ name: "note_id_fkey", columns: ["id"], references: { table: "users", columns: ["id"] }, onDelete: "cascade; --" }))).toThrow(
      /onDelete "cascade; --" is not one of/,
    );
    expect(handMade((e) => e.migration.up[0].table.columns[1].default = { kind: "value", value: Infinity })).toThrow(/Column note\.body: default must be a string, not Infinity/);
    expect(handMade((e) => e.migration.up.push({ kind: "createRoutine", routine: { kind: "cleanupExpiredSessions", name: "x" } }))).toThrow(/can only create tables, add columns, add indexes and change a column.s type, not "createRoutine"/);
    expect(handMade((e) => (e.migration.id = "0101_other"))).toThrow(/migration's id and name differ/);
    expect(() => resolveSchema([{ ...good, migration: { ...good.migration, up: [{ kind: "createTable", table: { ...good.migration.up[0]!, get name() { return () => 1; } } }] } } as never])).toThrow(
      InvalidExtensionError,
    );
    expect(() => resolveSchema("0100_notes" as never)).toThrow(/extensions must be a list/);

    // What the migrator works with is a frozen copy: changing the caller's objects later reaches nothing.
    const resolved = resolveSchema([good]).migrations.at(-1)!;
    op.table.foreignKeys.push("changed later");
    const resolvedOp = resolved.up[0] as unknown as CreateTable;
    expect(resolvedOp.table.foreignKeys).toEqual([]);
    expect(Object.isFrozen(resolvedOp.table.foreignKeys)).toBe(true);
    expect(migrationChecksum(resolved)).toBe(migrationChecksum(defineExtension({ id: "0100_notes", name: "notes", tables: [table()] }).migration));
  });

  it("refuse names that another object of the schema, or the ledger, already has", () => {
    const named = (name: string) => defineExtension({ id: "0100_x", name: "x", tables: [defineTable({ name, comment: "", columns: { id: { type: "id", primaryKey: true } } })] });
    expect(() => resolveSchema([named("better_auth_migrations")])).toThrow(/the name "better_auth_migrations" of its table is already taken by the migration ledger/);
    expect(() => resolveSchema([named("active_sessions")])).toThrow(/the name "active_sessions" of its table is already taken by the view of 0001_core_tables/);
    expect(() => resolveSchema([named("users_pkey")])).toThrow(/the name "users_pkey" of its table is already taken by the primary key of users/);
    expect(() => resolveSchema([named("users_email_key")])).toThrow(/already taken by the unique key of users/);
  });
});

describe("checksums", () => {
  it("are stable for the same definition and change with it", () => {
    const [first] = coreMigrations;
    expect(migrationChecksum(first!)).toBe(migrationChecksum(structuredClone(first!)));
    expect(migrationChecksum(first!)).toMatch(/^[0-9a-f]{64}$/);
    const changed = defineExtension({ id: "0100_verification", name: "verification values", columns: { users: { phone: { type: "text", nullable: true } } } });
    expect(migrationChecksum(changed.migration)).not.toBe(migrationChecksum(verification.migration));
  });

  it("do not depend on the order of keys in the definition", () => {
    const [first] = coreMigrations;
    const reordered = JSON.parse(JSON.stringify(first, (_key, v: unknown) =>
      v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v));
    expect(migrationChecksum(reordered)).toBe(migrationChecksum(first!));
  });
});

describe("derived downs", () => {
  it("undo each operation in reverse order", () => {
    const [first] = coreMigrations;
    expect(invertOperations(first!.up).map((op) => op.kind)).toEqual([
      "dropView", "dropRoutine", "dropTable", "dropTable", "dropTable", "dropRoutine",
    ]);
    expect(invertOperations(invertOperations(first!.up))).toEqual(first!.up);
  });
});

describe("extensions that add indexes", () => {
  it("become createIndex operations, checked against the tables they index", () => {
    const byName = defineExtension({ id: "0100_by_name", name: "users by name", indexes: { users: [["name"]] } });
    expect(byName.migration.up).toEqual([{ kind: "createIndex", table: "users", index: { name: "users_name_idx", columns: ["name"] } }]);
    expect(resolveSchema([byName]).tables.find((t) => t.name === "users")!.indexes.map((i) => i.name)).toEqual(["users_name_idx"]);
    const unknownColumn = defineExtension({ id: "0100_by_nick", name: "users by nickname", indexes: { users: [["nickname"]] } });
    expect(() => resolveSchema([unknownColumn])).toThrow(/names column users\.nickname, which does not exist/);
    const repeat = defineExtension({ id: "0100_by_email", name: "users by email", indexes: { users: [["email"]] } });
    expect(() => resolveSchema([repeat])).toThrow(/covers the same columns as users_email_key/);
  });

  it("built concurrently: marked so, and made of indexes only", () => {
    const concurrent = defineExtension({ id: "0100_by_name", name: "users by name", indexes: { users: [["name"]] }, buildIndexesConcurrently: true });
    expect(concurrent.migration).toMatchObject({ buildsIndexesConcurrently: true, up: [{ kind: "createIndex", concurrently: true }] });
    expect(() =>
      defineExtension({ id: "0100_mixed", name: "mixed", indexes: { users: [["name"]] }, columns: { users: { nick: { type: "string", nullable: true } } }, buildIndexesConcurrently: true }),
    ).toThrow(/may add only indexes/);
    // How an index is built is not what it is: the checksum does not change.
    const plain = defineExtension({ id: "0100_by_name", name: "users by name", indexes: { users: [["name"]] } });
    expect(migrationChecksum(concurrent.migration)).toBe(migrationChecksum(plain.migration));
  });

  it("list the application's own triggers and routines, checked, and outside the migration and its checksum", () => {
    const audited = defineExtension({ ...verificationSpec, ownObjects: ["users.audit_email", "audit_email"] });
    expect(audited.ownObjects).toEqual(["users.audit_email", "audit_email"]);
    expect(migrationChecksum(audited.migration)).toBe(migrationChecksum(verification.migration));
    expect(resolveSchema([audited]).ownObjects).toEqual(["users.audit_email", "audit_email"]);
    expect(resolveSchema([verification]).ownObjects).toEqual([]);
    for (const bad of [["a.b.c"], ["users. x"], [""], [3], "users.audit"]) {
      expect(() => defineExtension({ ...verificationSpec, ownObjects: bad as never })).toThrow(InvalidExtensionError);
    }
    // Extensions changed after defineExtension are held to the same rule.
    expect(() => resolveSchema([{ ...audited, ownObjects: ["x y"] }])).toThrow(/0100_verification: ownObjects: "x y" is not/);
  });
});
