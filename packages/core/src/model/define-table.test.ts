import { describe, expect, it } from "vitest";
import { defineTable, json, now, value } from "./define-table.js";

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

/** A table with one column besides the key, for the checks below. */
const withColumn = (spec: Record<string, unknown>, comment = "") =>
  defineTable({ name: "t", comment, columns: { id: { type: "id", primaryKey: true }, c: spec as never } });

describe("defineTable checks every field at run time, whatever the types said", () => {
  it("refuses a type or an onDelete outside the allowed sets, instead of rendering them", () => {
    expect(() => withColumn({ type: "varchar(10)" })).toThrow(/Column t\.c: type "varchar\(10\)" is not a column type \(one of id, string,/);
    expect(() => withColumn({ type: undefined })).toThrow(/type undefined is not a column type/);
    const injection = "cascade); DROP TABLE users CASCADE; CREATE TABLE pwned (x int";
    expect(() => withColumn({ type: "id", references: { table: "users", onDelete: injection } })).toThrow(
      /Column t\.c: onDelete "cascade\); DROP TABLE users CASCADE; CREATE TABLE pwned \(x in…" is not one of "cascade", "restrict", "set null", "set default", "no action"/,
    );
    expect(() => withColumn({ type: "id", references: { table: "users", onDelete: "CASCADE" } })).toThrow(/onDelete "CASCADE" is not one of/);
    expect(() => withColumn({ type: "id", references: { table: 'users" (id); --' } })).toThrow(/Invalid referenced table name/);
    expect(() => withColumn({ type: "id", references: { table: "users", column: "id) --" } })).toThrow(/Invalid column name/);
  });

  it("refuses constants that are no value of any column: NaN, the infinities, undefined, objects", () => {
    for (const v of [Number.NaN, Infinity, -Infinity, undefined, null, {}, [], 1n, () => 1]) {
      expect(() => value(v as never)).toThrow(/value\(\) takes a string, a finite number or a boolean/);
    }
    // And the same when the default is built by hand.
    expect(() => withColumn({ type: "integer", default: { kind: "value", value: Number.NaN } })).toThrow(/integer column must be a whole number .* not NaN/);
    expect(() => withColumn({ type: "text", default: { kind: "sql", value: "now()" } })).toThrow(/default kind "sql" is not one of/);
    expect(() => withColumn({ type: "text", default: "x" })).toThrow(/default must be a plain object/);
  });

  it("takes only defaults of the column's own kind", () => {
    expect(() => withColumn({ type: "text", default: now() })).toThrow(/default now\(\) needs a timestamp column, not text/);
    expect(() => withColumn({ type: "integer", default: value("1") })).toThrow(/integer column must be a whole number/);
    expect(() => withColumn({ type: "integer", default: value(1.5) })).toThrow(/whole number from -2147483648 to 2147483647, not 1.5/);
    expect(() => withColumn({ type: "integer", default: value(2 ** 31) })).toThrow(/not 2147483648/);
    expect(() => withColumn({ type: "boolean", default: value(0) })).toThrow(/boolean column must be true or false, not 0/);
    expect(() => withColumn({ type: "string", default: value(true) })).toThrow(/default must be a string, not true/);
    expect(() => withColumn({ type: "string", default: value("x".repeat(256)) })).toThrow(/default is longer than 255 characters/);
    expect(() => withColumn({ type: "text", default: value("a\0b") })).toThrow(/NUL/);
    expect(() => withColumn({ type: "text", default: json({}) })).toThrow(/json\(\) default needs a json column, not text/);
    expect(() => withColumn({ type: "json", default: value("{}") })).toThrow(/json column takes a json\(\) default/);
    expect(() => withColumn({ type: "timestamp", default: value("2024-01-01") })).toThrow(/timestamp column takes now\(\)/);
    expect(() => withColumn({ type: "id", default: value("x") })).toThrow(/type id takes no default/);
    expect(() => withColumn({ type: "ipAddress", default: value("127.0.0.1") })).toThrow(/type ipAddress takes no default/);
    // What is allowed: quotes, backslashes, line breaks and any Unicode in a string stored as data.
    const stored = withColumn({ type: "text", default: value(`it's a \\ "quote"\nline 😀 ${"$function$"} */`) });
    expect(stored.columns[1]!.default).toEqual({ kind: "value", value: `it's a \\ "quote"\nline 😀 ${"$function$"} */` });
    expect(withColumn({ type: "string", default: value("😀".repeat(255)) }).columns[1]!.default).toBeDefined();
    expect(withColumn({ type: "integer", default: value(-2147483648) }).columns[1]!.default).toEqual({ kind: "value", value: -2147483648 });
  });

  it("takes JSON defaults of plain data only, and keeps a copy of them", () => {
    const refusals: [unknown, RegExp][] = [
      [{ a: undefined }, /at \$\.a is undefined/],
      [{ a: () => 1 }, /at \$\.a is a function/],
      [[1, Number.NaN], /at \$\[1\] is NaN; JSON has only finite numbers/],
      [{ when: new Date(0) }, /at \$\.when is an object that is not a plain object/],
      [new Map(), /not a plain object/],
      [[1, , 3], /\$\[1\] is a hole/],
      [{ s: "a\0b" }, /NUL/],
      [{ big: 1n }, /at \$\.big is 1n/],
      [{ [Symbol("k")]: 1 }, /symbol keys/],
      [{ text: "x".repeat(1100) }, /longer than 1024 characters/],
    ];
    for (const [v, message] of refusals) expect(() => json(v as never), String(message)).toThrow(message);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => json(cyclic as never)).toThrow(/nested deeper than 32 levels \(or refers to itself\)/);
    const given = { theme: "dark", tags: ["a"], "__proto__": 1 } as Record<string, unknown>;
    Object.defineProperty(given, "__proto__", { value: { polluted: true }, enumerable: true });
    const table = withColumn({ type: "json", default: json(given as never) });
    (given.tags as string[]).push("b");
    const stored = table.columns[1]!.default as { value: Record<string, unknown> };
    expect(stored.value.tags).toEqual(["a"]);
    expect(Object.getPrototypeOf(stored.value)).toBe(Object.prototype);
    expect(Object.hasOwn(stored.value, "__proto__")).toBe(true);
    expect(json(-0)).toEqual({ kind: "json", value: 0 });
  });

  it("takes a oneOf list of distinct non-empty strings on a string column, holding its default", () => {
    expect(() => withColumn({ type: "string", oneOf: [] })).toThrow(/oneOf must be a list of 1 to 100 strings/);
    expect(() => withColumn({ type: "string", oneOf: "abc" })).toThrow(/oneOf must be a list/);
    expect(() => withColumn({ type: "string", oneOf: ["a", 1] })).toThrow(/oneOf\[1\] must be a string, not 1/);
    expect(() => withColumn({ type: "string", oneOf: ["a", ""] })).toThrow(/oneOf\[1\] is empty/);
    expect(() => withColumn({ type: "string", oneOf: ["a", "a"] })).toThrow(/oneOf lists "a" twice/);
    expect(() => withColumn({ type: "integer", oneOf: ["1"] })).toThrow(/oneOf needs a string or text column, not integer/);
    expect(() => withColumn({ type: "string", oneOf: ["a", "b"], default: value("c") })).toThrow(/default "c" is not one of its oneOf values/);
    expect(withColumn({ type: "string", oneOf: ["it's", "a\\b"], default: value("it's") }).checks[0]!.values).toEqual(["it's", "a\\b"]);
  });

  it("keeps comments on one line of printable text: quotes, backslashes, */ and $function$ pass; line breaks and control characters do not", () => {
    const allowed = `it's "quoted" \\ back */ /* $function$ $$ -- not a comment 😀 日本語`;
    expect(withColumn({ type: "text" }, allowed).comment).toBe(allowed);
    for (const bad of ["a\nDROP TABLE users; --", "a\rb", "a\0b", "a\u2028b", "a\u2029b", "a\u0085b", "a\u001b[31mred", "a\u202eb", "a\ud800b"]) {
      expect(() => withColumn({ type: "text" }, bad), JSON.stringify(bad)).toThrow(/Table t: comment .*(line break or another control character|lone UTF-16 surrogate)/);
    }
    expect(() => withColumn({ type: "text" }, "x".repeat(1025))).toThrow(/comment is longer than 1024 characters/);
    expect(() => defineTable({ name: "t", comment: undefined as never, columns: { id: { type: "id", primaryKey: true } } })).toThrow(/comment must be a string, not undefined/);
  });

  it("refuses names that are not strings, reserved by a dialect, or too long once derived", () => {
    expect(() => defineTable({ name: ["users"] as never, comment: "", columns: { id: { type: "id", primaryKey: true } } })).toThrow(/Invalid table name an array/);
    expect(() => defineTable({ name: "sqlite_stat9", comment: "", columns: { id: { type: "id", primaryKey: true } } })).toThrow(/reserved by SQLite/);
    expect(() => defineTable({ name: "t", comment: "", columns: { id: { type: "id", primaryKey: true }, xmin: { type: "text" } } })).toThrow(
      /Invalid column name "xmin": it is a system column of PostgreSQL/,
    );
    expect(() => defineTable({ name: "t", comment: "", columns: { id: { type: "id", primaryKey: true }, rowid: { type: "text" } } })).toThrow(/name of SQLite's rowid/);
    const long = "a".repeat(55);
    expect(() => defineTable({ name: long, comment: "", columns: { id: { type: "id", primaryKey: true }, updated_at: { type: "timestamp", autoUpdate: true } } })).toThrow(
      /Invalid trigger name/,
    );
    // The message escapes what it shows: an evil name cannot add lines to a log or a terminal.
    try {
      defineTable({ name: "x\n\u001b[2Kstatus: applied", comment: "", columns: { id: { type: "id", primaryKey: true } } });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^Invalid table name "x\\n\\u001b\[2Kstatus: applied"/);
      expect((error as Error).message).not.toMatch(/[\n\u001b]/);
    }
  });

  it("refuses unknown keys, so a misspelt option is not silently ignored, and flags that are not booleans", () => {
    expect(() => withColumn({ type: "text", defualt: value("x") })).toThrow(/the column spec has unknown key "defualt"/);
    expect(() => withColumn({ type: "text", nullable: "yes" })).toThrow(/nullable must be true or false, not "yes"/);
    expect(() => withColumn({ type: "id", references: { table: "users", on_delete: "cascade" } })).toThrow(/references has unknown key "on_delete"/);
    expect(() => defineTable({ name: "t", comment: "", columns: { id: { type: "id", primaryKey: true } }, index: [["id"]] } as never)).toThrow(/unknown key "index"/);
    expect(() => defineTable({ name: "t", comment: "", columns: { id: { type: "id", primaryKey: true } }, indexes: "id" } as never)).toThrow(/indexes must be a list/);
    expect(() => withColumn({ type: "id", nullable: false, references: { table: "users", onDelete: "set null" } })).toThrow(/"set null" needs a nullable column/);
  });
});
