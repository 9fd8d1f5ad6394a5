import { describe, expect, it } from "vitest";
import { defineTable, now } from "./define-table.js";

describe("defineTable", () => {
  it("derives key, constraint and index names the way PostgreSQL names them", () => {
    const table = defineTable({
      name: "api_key",
      comment: "API keys.",
      columns: {
        id: { type: "id", primaryKey: true },
        user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        key: { type: "string", unique: true },
        kind: { type: "string", oneOf: ["read", "write"] },
        created_at: { type: "timestamp", default: now() },
      },
      indexes: [["user_id"]],
    });
    expect(table.primaryKey).toEqual({ name: "api_key_pkey", columns: ["id"] });
    expect(table.uniques).toEqual([{ name: "api_key_key_key", columns: ["key"] }]);
    expect(table.foreignKeys).toEqual([
      { name: "api_key_user_id_fkey", columns: ["user_id"], references: { table: "users", columns: ["id"] }, onDelete: "cascade" },
    ]);
    expect(table.checks).toEqual([{ name: "api_key_kind_check", column: "kind", values: ["read", "write"] }]);
    expect(table.indexes).toEqual([{ name: "api_key_user_id_idx", columns: ["user_id"] }]);
    expect(table.columns.map((c) => [c.name, c.nullable])).toEqual([
      ["id", false], ["user_id", false], ["key", false], ["kind", false], ["created_at", false],
    ]);
  });

  it("refuses an index that repeats a unique key's columns", () => {
    expect(() =>
      defineTable({
        name: "t",
        comment: "",
        columns: { id: { type: "id", primaryKey: true }, email: { type: "string", unique: true } },
        indexes: [["email"]],
      }),
    ).toThrow(/t_email_idx covers the same columns as t_email_key/);
  });

  it("refuses bad names, a missing primary key and unknown index columns", () => {
    expect(() => defineTable({ name: "Users", comment: "", columns: { id: { type: "id", primaryKey: true } } })).toThrow(/Invalid table name "Users"/);
    expect(() => defineTable({ name: "t", comment: "", columns: { "my col": { type: "id", primaryKey: true } } })).toThrow(/Invalid column name/);
    expect(() => defineTable({ name: "t", comment: "", columns: { id: { type: "id" } } })).toThrow(/no primary key/);
    expect(() =>
      defineTable({ name: "t", comment: "", columns: { id: { type: "id", primaryKey: true } }, indexes: [["nope" as "id"]] }),
    ).toThrow(/unknown column "nope"/);
    expect(() =>
      defineTable({ name: "t", comment: "", columns: { id: { type: "id", primaryKey: true }, n: { type: "string", autoUpdate: true } } }),
    ).toThrow(/autoUpdate needs a timestamp/);
  });
});
