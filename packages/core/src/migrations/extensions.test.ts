import type { Kysely } from "kysely";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { BetterAuthDatabase, DatabaseWith } from "../database-types.js";
import { defineTable, value } from "../model/define-table.js";
import { migrationChecksum } from "./checksum.js";
import { coreMigrations } from "./core-migrations.js";
import { defineExtension, resolveSchema } from "./extensions.js";
import { invertOperations } from "./operations.js";

const verification = defineExtension({
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
});

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
    expect(() => defineExtension({ id: "0105_empty", name: "x" })).toThrow(/adds no tables and no columns/);
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
