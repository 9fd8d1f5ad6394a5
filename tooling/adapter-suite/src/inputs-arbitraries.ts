import { type ColumnSpec, type Extension, json, type JsonValue, value } from "@better-auth/migrate-core";
import fc from "fast-check";

/** An onDelete that tries to close the foreign key and run statements of its own. */
export const INJECTION = "cascade); DROP TABLE users CASCADE; CREATE TABLE pwned (x int";

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
export const prose = fc.string({ unit: textUnit([]), maxLength: 24 }).filter((s) => !UNSAFE_PROSE.test(s));

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

export interface DefaultCase {
  type: ColumnSpec["type"];
  value: string | number | boolean | JsonValue;
  /** For strings, sometimes: the column accepts only these (a CHECK), the default first. */
  oneOf?: [string, string];
}

/** A string default, and sometimes a oneOf list that holds it and one other value. */
const stringCase = (type: "string" | "text", maxLength: number) =>
  fc.tuple(storedText(maxLength), fc.boolean()).map(([v, checked]): DefaultCase => ({ type, value: v, ...(checked && v !== "" ? { oneOf: [v, `${v} (other)`] } : {}) }));

export const defaultCase: fc.Arbitrary<DefaultCase> = fc.oneof(
  stringCase("string", 240),
  stringCase("text", 1024),
  fc.integer({ min: -2147483648, max: 2147483647 }).map((v): DefaultCase => ({ type: "integer", value: v })),
  fc.boolean().map((v): DefaultCase => ({ type: "boolean", value: v })),
  jsonDefault.map((v): DefaultCase => ({ type: "json", value: v })),
);

export const specDefault = (c: DefaultCase) => (c.type === "json" ? json(c.value as JsonValue) : value(c.value as string | number | boolean));

/** The allowed identifiers: lower-case snake_case, short enough for the names derived from them. */
const RESERVED_COLUMNS = ["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid", "rowid", "_rowid_"];
export const tableIdentifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,39}$/).filter((s) => !s.startsWith("sqlite_"));
export const columnIdentifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,17}$/).filter((s) => s !== "id" && !RESERVED_COLUMNS.includes(s));

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

export interface RefusedInput {
  table: string;
  comment: string;
  column: string;
  spec: Record<string, unknown>;
  name: string;
}

const text = { type: "text", nullable: true };
/** One input outside the allowed sets: a name, a comment, a migration name, a default, a type or an onDelete. */
export const refusedInput: fc.Arbitrary<RefusedInput> = fc.oneof(
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
export function tableSpec(name: string, comment: string, column: string, spec: ColumnSpec) {
  return { name, comment, columns: { id: { type: "id", primaryKey: true }, [column]: spec } } as const;
}

/** The same table as {@link tableSpec}, built by hand: what a caller bypassing defineTable would pass. */
export function handMadeTable(name: string, comment: string, column: string, spec: Record<string, unknown>) {
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

/** An extension built by hand around one createTable, never passing through defineExtension. */
export function handMadeExtension(id: string, name: string, table: unknown): Extension {
  return { id, name, migration: { id, name, up: [{ kind: "createTable", table }] } } as never;
}
