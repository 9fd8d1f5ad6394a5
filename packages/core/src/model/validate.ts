import type { AllowedValuesCheck, Column, ColumnDefault, ColumnType, ForeignKey, JsonValue, KeyConstraint, ReferentialAction, Table } from "./types.js";

/**
 * Run-time checks of everything a caller hands the model. The TypeScript types say what is meant;
 * these make sure of it whatever arrives (plain JavaScript, `as never` casts, objects read from a
 * file), before anything is rendered: every value that reaches SQL is one of a known set, a finite
 * number of the column's kind, or text that each dialect's quoting holds as one literal, and prose
 * (comments, migration names) stays on one line. Each failure is a TypeError that names the object
 * and the field, and shows the offending value escaped, so that the message itself stays one line.
 */

export const COLUMN_TYPES: readonly ColumnType[] = ["id", "string", "text", "boolean", "timestamp", "json", "ipAddress", "integer"];
export const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = ["cascade", "restrict", "set null", "set default", "no action"];

/** PostgreSQL's limit (63 bytes; our names are ASCII). MySQL allows 64. */
export const MAX_IDENTIFIER_LENGTH = 63;
/** A `string` column holds at most 255 characters where the dialect needs a length (MySQL VARCHAR(255)). */
export const MAX_STRING_LENGTH = 255;
/**
 * Characters of a `text` default, and of a JSON default written as JSON. Defaults are small
 * constants copied into every row and into the catalog; anything larger belongs in the application.
 */
export const MAX_DEFAULT_LENGTH = 1024;
/** Nesting of a JSON default: deep enough for any settings object, and a cycle is caught by it. */
export const MAX_JSON_DEPTH = 32;
/** Characters of a table comment (MySQL allows 2048 for a table, 1024 for a column or an index). */
export const MAX_COMMENT_LENGTH = 1024;
/** Characters of a migration name (the ledger's `name`, the header of an SQL file). */
export const MAX_NAME_LENGTH = 255;
/** Values of one `oneOf` list. */
export const MAX_ALLOWED_VALUES = 100;
/** PostgreSQL `integer` and MySQL `INT` are 32-bit. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** SQLite refuses objects whose names start with `sqlite_`; indexes and triggers take the table's name as prefix. */
const RESERVED_OBJECT_PREFIX = "sqlite_";
/**
 * Column names a dialect gives a meaning of its own: PostgreSQL's system columns (a table cannot
 * have a column of that name), SQLite's names of the rowid (a column of that name hides it, and the
 * updated_at trigger finds its row by rowid).
 */
const RESERVED_COLUMNS = new Set(["tableoid", "xmin", "cmin", "xmax", "cmax", "ctid", "oid", "rowid", "_rowid_"]);

/**
 * What prose may not hold: control characters (C0 including NUL and line breaks, DEL, C1), the
 * Unicode line and paragraph separators, and the bidirectional embedding, override and isolate
 * controls that make text read differently from what it is ("Trojan Source"). A lone surrogate is
 * refused separately: it cannot be encoded as UTF-8, so the database would store something else.
 */
const UNSAFE_IN_PROSE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Cs}/u;

/** A value shown in a message: escaped and cut short, so that it cannot break the message's line or forge another. */
export function shown(value: unknown): string {
  switch (typeof value) {
    case "string": {
      const text = value.length > 60 ? `${value.slice(0, 60)}…` : value;
      return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    }
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    default:
      return value === null ? "null" : Array.isArray(value) ? "an array" : "an object";
  }
}

function fail(where: string, what: string): never {
  throw new TypeError(`${where}: ${what}`);
}

/** Characters as the databases count them (code points), not UTF-16 units. */
const characters = (text: string) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A plain object with no keys but `allowed` (a misspelt option is an error, not ignored). */
export function assertSpecObject(where: string, field: string, value: unknown, allowed: readonly string[]): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) fail(where, `${field} must be a plain object, not ${shown(value)}.`);
  if (Object.getOwnPropertySymbols(value).length > 0) fail(where, `${field} has symbol keys.`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(where, `${field} has unknown key ${shown(key)} (allowed: ${allowed.join(", ")}).`);
  }
}

export function assertBooleanOption(where: string, field: string, value: unknown): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") fail(where, `${field} must be true or false, not ${shown(value)}.`);
}

/**
 * Lower-case snake_case only: names then mean the same in every dialect, quoted or not, and fit
 * PostgreSQL's 63-byte limit (MySQL allows 64).
 */
export function assertIdentifier(kind: string, name: unknown): asserts name is string {
  if (typeof name !== "string" || !IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new TypeError(`Invalid ${kind} name ${shown(name)}: use lower-case snake_case (a-z, 0-9, _; not starting with a digit), at most ${MAX_IDENTIFIER_LENGTH} characters.`);
  }
}

/** A table, index or key name: an identifier that no dialect reserves. */
export function assertObjectName(kind: string, name: unknown): asserts name is string {
  assertIdentifier(kind, name);
  if (name.startsWith(RESERVED_OBJECT_PREFIX)) throw new TypeError(`Invalid ${kind} name ${shown(name)}: names starting with "${RESERVED_OBJECT_PREFIX}" are reserved by SQLite.`);
}

export function assertColumnName(name: unknown): asserts name is string {
  assertIdentifier("column", name);
  if (RESERVED_COLUMNS.has(name)) {
    throw new TypeError(`Invalid column name ${shown(name)}: it is a system column of PostgreSQL or a name of SQLite's rowid (reserved: ${[...RESERVED_COLUMNS].join(", ")}).`);
  }
}

/**
 * One line of prose for people: a table comment or a migration name. It is rendered inside a
 * string literal (PostgreSQL, MySQL), a `--` comment (SQLite) or an SQL file's header, so it may
 * hold quotes, backslashes, the end of a block comment, `$function$` and any printable Unicode, but
 * no line break or other control character.
 */
export function assertProse(where: string, field: string, value: unknown, options: { maxLength: number; nonEmpty?: boolean }): asserts value is string {
  if (typeof value !== "string") fail(where, `${field} must be a string, not ${shown(value)}.`);
  if (options.nonEmpty && value.trim() === "") fail(where, `${field} must not be empty.`);
  if (UNSAFE_IN_PROSE.test(value)) fail(where, `${field} ${shown(value)} holds a line break or another control character; write it on one line of printable text.`);
  if (LONE_SURROGATE.test(value)) fail(where, `${field} ${shown(value)} holds a lone UTF-16 surrogate, which is not text.`);
  if (characters(value) > options.maxLength) fail(where, `${field} is longer than ${options.maxLength} characters.`);
}

/**
 * A string stored as data (a default, an allowed value): any Unicode text but NUL, which
 * PostgreSQL cannot store and which ends a C string in SQLite.
 */
function assertStoredText(where: string, field: string, value: unknown, maxLength: number): asserts value is string {
  if (typeof value !== "string") fail(where, `${field} must be a string, not ${shown(value)}.`);
  if (value.includes("\0")) fail(where, `${field} ${shown(value)} holds a NUL character, which PostgreSQL cannot store.`);
  if (LONE_SURROGATE.test(value)) fail(where, `${field} ${shown(value)} holds a lone UTF-16 surrogate, which is not text.`);
  if (characters(value) > maxLength) fail(where, `${field} is longer than ${maxLength} characters.`);
}

export function assertColumnType(where: string, type: unknown): asserts type is ColumnType {
  if (typeof type !== "string" || !COLUMN_TYPES.includes(type as ColumnType)) fail(where, `type ${shown(type)} is not a column type (one of ${COLUMN_TYPES.join(", ")}).`);
}

export function assertReferentialAction(where: string, action: unknown): asserts action is ReferentialAction {
  if (typeof action !== "string" || !REFERENTIAL_ACTIONS.includes(action as ReferentialAction)) {
    fail(where, `onDelete ${shown(action)} is not one of ${REFERENTIAL_ACTIONS.map((a) => `"${a}"`).join(", ")}.`);
  }
}

/** What `value()` takes, whatever the column: the column's own kind is checked by {@link columnDefault}. */
export function assertConstant(value: unknown): asserts value is string | number | boolean {
  if (typeof value === "number" ? !Number.isFinite(value) : typeof value !== "string" && typeof value !== "boolean") {
    throw new TypeError(`value() takes a string, a finite number or a boolean, not ${shown(value)}.`);
  }
}

/**
 * A copy of a JSON default made of plain data only: null, booleans, finite numbers, strings
 * without NUL (PostgreSQL's jsonb refuses `\u0000`), dense arrays and plain objects, at most
 * {@link MAX_JSON_DEPTH} deep and {@link MAX_DEFAULT_LENGTH} characters as JSON. Anything that
 * `JSON.stringify` would drop or change silently (undefined, functions, symbols, `toJSON`, a Date,
 * holes, NaN) is refused instead, and the path to it named.
 */
export function jsonCopy(where: string, value: unknown): JsonValue {
  let nodes = 0;
  const copy = (v: unknown, path: string, depth: number): JsonValue => {
    if (++nodes > MAX_DEFAULT_LENGTH) fail(where, `the JSON default is longer than ${MAX_DEFAULT_LENGTH} characters.`);
    if (v === null || typeof v === "boolean") return v;
    if (typeof v === "string") {
      assertStoredText(where, `the JSON default at ${path}`, v, MAX_DEFAULT_LENGTH);
      return v;
    }
    if (typeof v === "number") {
      if (!Number.isFinite(v)) fail(where, `the JSON default at ${path} is ${shown(v)}; JSON has only finite numbers.`);
      // JSON has no negative zero: it would come back as 0.
      return v === 0 ? 0 : v;
    }
    if (typeof v !== "object") fail(where, `the JSON default at ${path} is ${shown(v)}; JSON holds only null, booleans, numbers, strings, arrays and objects.`);
    if (depth >= MAX_JSON_DEPTH) fail(where, `the JSON default is nested deeper than ${MAX_JSON_DEPTH} levels (or refers to itself).`);
    if (Array.isArray(v)) {
      const items: JsonValue[] = [];
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) fail(where, `the JSON default at ${path}[${i}] is a hole in the array.`);
        items.push(copy(v[i], `${path}[${i}]`, depth + 1));
      }
      return items;
    }
    if (!isPlainObject(v)) fail(where, `the JSON default at ${path} is ${shown(v)} that is not a plain object (a Date, a Map, a class instance).`);
    if (Object.getOwnPropertySymbols(v).length > 0) fail(where, `the JSON default at ${path} has symbol keys, which JSON drops.`);
    const entries: [string, JsonValue][] = [];
    for (const key of Object.getOwnPropertyNames(v)) {
      assertStoredText(where, `a key of the JSON default at ${path}`, key, MAX_DEFAULT_LENGTH);
      if (!Object.prototype.propertyIsEnumerable.call(v, key)) fail(where, `the JSON default at ${path} has a non-enumerable key ${shown(key)}, which JSON drops.`);
      entries.push([key, copy(v[key], `${path}.${key}`, depth + 1)]);
    }
    // fromEntries defines own properties: a key "__proto__" stays a key.
    return Object.fromEntries(entries);
  };
  const result = copy(value, "$", 0);
  if (JSON.stringify(result).length > MAX_DEFAULT_LENGTH) fail(where, `the JSON default is longer than ${MAX_DEFAULT_LENGTH} characters as JSON.`);
  return result;
}

/**
 * A copy of a column's default after checking it fits the column: `now()` for timestamps, `json()`
 * for JSON, `value()` of the column's own kind otherwise (a string of at most 255 characters for a
 * `string` column, 1024 for `text`; a 32-bit integer; a boolean). Ids and IP addresses take no
 * default: ids come from the application (or the database, for uuid primary keys), and an address
 * has no sensible constant.
 */
export function columnDefault(where: string, type: ColumnType, value: unknown): ColumnDefault {
  assertSpecObject(where, "default", value, ["kind", "value"]);
  const kind = value.kind;
  const v = value.value;
  switch (kind) {
    case "now":
      if ("value" in value) fail(where, "default now() takes no value.");
      if (type !== "timestamp") fail(where, `default now() needs a timestamp column, not ${type}.`);
      return { kind: "now" };
    case "json":
      if (type !== "json") fail(where, `a json() default needs a json column, not ${type}; use value() for a ${type} column.`);
      return { kind: "json", value: jsonCopy(where, v) };
    case "value":
      switch (type) {
        case "string":
        case "text":
          assertStoredText(where, "default", v, type === "string" ? MAX_STRING_LENGTH : MAX_DEFAULT_LENGTH);
          break;
        case "boolean":
          if (typeof v !== "boolean") fail(where, `the default of a boolean column must be true or false, not ${shown(v)}.`);
          break;
        case "integer":
          if (typeof v !== "number" || !Number.isInteger(v) || v < INT_MIN || v > INT_MAX) {
            fail(where, `the default of an integer column must be a whole number from ${INT_MIN} to ${INT_MAX}, not ${shown(v)}.`);
          }
          break;
        case "json":
          fail(where, "a json column takes a json() default, e.g. json({}).");
          break;
        case "timestamp":
          fail(where, "a timestamp column takes now() as its default, or none.");
          break;
        case "id":
        case "ipAddress":
          fail(where, `a column of type ${type} takes no default.`);
      }
      return { kind: "value", value: v as string | number | boolean };
    default:
      return fail(where, `default kind ${shown(kind)} is not one of "now", "value", "json"; build defaults with now(), value() or json().`);
  }
}

/** A copy of a `oneOf` list: 1 to 100 distinct non-empty strings, on a string or text column. */
export function allowedValues(where: string, type: ColumnType, values: unknown): string[] {
  if (type !== "string" && type !== "text") fail(where, `oneOf needs a string or text column, not ${type}.`);
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_ALLOWED_VALUES) {
    fail(where, `oneOf must be a list of 1 to ${MAX_ALLOWED_VALUES} strings, not ${shown(values)}.`);
  }
  const copy: string[] = [];
  for (let i = 0; i < (values as unknown[]).length; i++) {
    const v: unknown = (values as unknown[])[i];
    assertStoredText(where, `oneOf[${i}]`, v, type === "string" ? MAX_STRING_LENGTH : MAX_DEFAULT_LENGTH);
    if (v === "") fail(where, `oneOf[${i}] is empty.`);
    if (copy.includes(v)) fail(where, `oneOf lists ${shown(v)} twice.`);
    copy.push(v);
  }
  return copy;
}

/** Checks that go across a column's fields. */
export function assertColumnCoherent(where: string, column: Column, options: { primaryKey: boolean; onDelete?: ReferentialAction; allowed?: readonly string[] }): void {
  if (column.autoUpdate && column.type !== "timestamp") fail(where, "autoUpdate needs a timestamp column.");
  if (options.primaryKey && column.nullable) fail(where, "a primary key cannot be nullable.");
  if (options.onDelete === "set null" && !column.nullable) fail(where, `onDelete "set null" needs a nullable column.`);
  if (options.onDelete === "set default" && !column.nullable && !column.default) fail(where, `onDelete "set default" needs a default or a nullable column.`);
  const d = column.default;
  if (options.allowed && d?.kind === "value" && !options.allowed.includes(d.value as string)) {
    fail(where, `the default ${shown(d.value)} is not one of its oneOf values, so every insert without it would fail.`);
  }
}

/** A key or index over columns of `known`, each named once. */
function assertColumnList(where: string, field: string, columns: unknown, known: ReadonlySet<string>): asserts columns is string[] {
  if (!Array.isArray(columns) || columns.length === 0) fail(where, `${field} must be a non-empty list of column names, not ${shown(columns)}.`);
  const seen = new Set<string>();
  for (const c of columns as unknown[]) {
    if (typeof c !== "string" || !known.has(c)) fail(where, `${field} names unknown column ${shown(c)}.`);
    if (seen.has(c as string)) fail(where, `${field} names column ${shown(c)} twice.`);
    seen.add(c as string);
  }
}

/** A column of the model (not a spec): as {@link columnFromSpec} builds them. */
export function assertValidColumn(table: string, column: unknown): asserts column is Column {
  const where = `Column ${table}.${isPlainObject(column) && typeof column.name === "string" && IDENTIFIER.test(column.name) ? column.name : "?"}`;
  assertSpecObject(where, "the column", column, ["name", "type", "nullable", "default", "autoUpdate"]);
  assertColumnName(column.name);
  assertColumnType(where, column.type);
  if (typeof column.nullable !== "boolean") fail(where, `nullable must be true or false, not ${shown(column.nullable)}.`);
  assertBooleanOption(where, "autoUpdate", column.autoUpdate);
  if (column.default !== undefined) columnDefault(where, column.type, column.default);
  assertColumnCoherent(where, column as unknown as Column, { primaryKey: false });
}

function assertKey(where: string, field: string, key: unknown, known: ReadonlySet<string>): asserts key is KeyConstraint {
  assertSpecObject(where, field, key, ["name", "columns"]);
  assertObjectName(`${field}`, key.name);
  assertColumnList(where, `${field} ${key.name}`, key.columns, known);
}

export function assertValidForeignKey(where: string, fk: unknown, known: ReadonlySet<string>): asserts fk is ForeignKey {
  assertSpecObject(where, "foreign key", fk, ["name", "columns", "references", "onDelete"]);
  assertIdentifier("foreign key", fk.name);
  assertColumnList(where, `foreign key ${fk.name}`, fk.columns, known);
  assertSpecObject(where, `foreign key ${fk.name} references`, fk.references, ["table", "columns"]);
  assertObjectName("referenced table", fk.references.table);
  const referenced = fk.references.columns;
  if (!Array.isArray(referenced) || referenced.length !== (fk.columns as string[]).length) fail(where, `foreign key ${fk.name} must reference as many columns as it has.`);
  for (const c of referenced as unknown[]) assertColumnName(c);
  assertReferentialAction(where, fk.onDelete);
}

export function assertValidCheck(where: string, check: unknown, columns: readonly Column[]): asserts check is AllowedValuesCheck {
  assertSpecObject(where, "check", check, ["name", "column", "values"]);
  assertIdentifier("check", check.name);
  const column = columns.find((c) => c.name === check.column) ?? fail(where, `check ${check.name} names unknown column ${shown(check.column)}.`);
  const values = allowedValues(`${where}, check ${check.name}`, column.type, check.values);
  assertColumnCoherent(`Column ${column.name}`, column, { primaryKey: false, allowed: values });
}

/**
 * A table of the model, checked field by field: what {@link defineTable} builds. Used on
 * extensions whatever built them, so that a table made by hand (or changed after defineTable)
 * is held to the same rules.
 */
export function assertValidTable(table: unknown): asserts table is Table {
  const where = `Table ${isPlainObject(table) && typeof table.name === "string" && IDENTIFIER.test(table.name) ? table.name : "?"}`;
  assertSpecObject(where, "the table", table, ["name", "comment", "columns", "primaryKey", "uniques", "foreignKeys", "checks", "indexes"]);
  assertObjectName("table", table.name);
  assertProse(where, "comment", table.comment, { maxLength: MAX_COMMENT_LENGTH });
  if (!Array.isArray(table.columns) || table.columns.length === 0) fail(where, "it has no columns.");
  const columns = table.columns as unknown[];
  const known = new Set<string>();
  for (const column of columns) {
    assertValidColumn(table.name, column);
    if (known.has(column.name)) fail(where, `column ${column.name} is defined twice.`);
    known.add(column.name);
    if (column.autoUpdate) assertIdentifier("trigger", `${table.name}_set_${column.name}`);
  }
  assertKey(where, "primary key", table.primaryKey, known);
  for (const c of table.primaryKey.columns as string[]) {
    if ((columns as Column[]).find((col) => col.name === c)!.nullable) fail(where, `primary key column ${c} cannot be nullable.`);
  }
  for (const field of ["uniques", "indexes", "foreignKeys", "checks"] as const) {
    if (!Array.isArray(table[field])) fail(where, `${field} must be a list, not ${shown(table[field])}.`);
  }
  for (const key of table.uniques as unknown[]) assertKey(where, "unique key", key, known);
  for (const index of table.indexes as unknown[]) assertKey(where, "index", index, known);
  for (const fk of table.foreignKeys as unknown[]) {
    assertValidForeignKey(where, fk, known);
    for (const c of fk.columns) {
      const column = (columns as Column[]).find((col) => col.name === c)!;
      assertColumnCoherent(`Column ${table.name}.${c}`, column, { primaryKey: false, onDelete: fk.onDelete });
    }
  }
  for (const check of table.checks as unknown[]) assertValidCheck(where, check, columns as Column[]);
}
