import type { ColumnDefault, Column, ColumnType, ForeignKey, JsonValue, ReferentialAction, Table } from "./types.js";
import {
  allowedValues, assertBooleanOption, assertColumnCoherent, assertColumnName, assertColumnType, assertConstant, assertIdentifier, assertObjectName,
  assertProse, assertReferentialAction, assertSpecObject, columnDefault, isPlainObject, jsonCopy, MAX_COMMENT_LENGTH, MAX_IDENTIFIER_LENGTH, shown,
} from "./validate.js";

/** How a column is written in a table definition; {@link defineTable} turns it into a {@link Column}. */
export interface ColumnSpec {
  readonly type: ColumnType;
  /** Columns are NOT NULL unless this is true. */
  readonly nullable?: boolean;
  readonly primaryKey?: boolean;
  readonly unique?: boolean;
  readonly default?: ColumnDefault;
  readonly autoUpdate?: boolean;
  readonly references?: { readonly table: string; readonly column?: string; readonly onDelete?: ReferentialAction };
  /** The values the database accepts in this column (a CHECK constraint). */
  readonly oneOf?: readonly string[];
}

export type ColumnSpecs = Readonly<Record<string, ColumnSpec>>;

export interface TableSpec<Name extends string, Columns extends ColumnSpecs> {
  readonly name: Name;
  readonly comment: string;
  readonly columns: Columns;
  /** Multi-column unique keys; single-column ones use `unique: true` on the column. */
  readonly unique?: readonly (readonly (keyof Columns & string)[])[];
  /** Non-unique indexes. A unique key's own index already serves lookups by its leading columns. */
  readonly indexes?: readonly (readonly (keyof Columns & string)[])[];
}

/** A {@link Table} that still knows its column specs at the type level, for the Kysely types. */
export interface TableDefinition<Name extends string = string, Columns extends ColumnSpecs = ColumnSpecs> extends Table {
  readonly name: Name;
  /** Type-only: never read at run time. */
  readonly "~columns"?: Columns;
}

/** The database sets the column to the current time. */
export const now = (): ColumnDefault => ({ kind: "now" });
/** A constant default: a string, a finite number or a boolean (checked against the column by {@link defineTable}). */
export const value = (v: string | number | boolean): ColumnDefault => {
  assertConstant(v);
  return { kind: "value", value: v };
};
/** A JSON default, e.g. `json({})`: plain JSON data only (finite numbers, no undefined, no functions), at most 1024 characters as JSON. */
export const json = (v: JsonValue): ColumnDefault => ({ kind: "json", value: jsonCopy("json()", v) });

export { assertIdentifier };

const COLUMN_SPEC_KEYS = ["type", "nullable", "primaryKey", "unique", "default", "autoUpdate", "references", "oneOf"] as const;
const TABLE_SPEC_KEYS = ["name", "comment", "columns", "unique", "indexes"] as const;

/**
 * Turns a column spec into the neutral column and the constraints it implies on its table. Every
 * field is checked at run time (see `validate.ts`) and read once, so what is checked is what is
 * rendered; the default and the allowed values are copies, which later changes to the spec do not reach.
 */
export function columnFromSpec(table: string, name: string, spec: ColumnSpec) {
  assertColumnName(name);
  const where = `Column ${table}.${name}`;
  assertSpecObject(where, "the column spec", spec, COLUMN_SPEC_KEYS);
  const { type, nullable, primaryKey, unique: isUnique, autoUpdate, references, oneOf } = spec as Record<string, unknown>;
  const givenDefault = (spec as Record<string, unknown>).default;
  assertColumnType(where, type);
  for (const [field, flag] of [["nullable", nullable], ["primaryKey", primaryKey], ["unique", isUnique], ["autoUpdate", autoUpdate]] as const) {
    assertBooleanOption(where, field, flag);
  }
  const column: Column = {
    name,
    type,
    nullable: nullable === true,
    ...(givenDefault !== undefined ? { default: columnDefault(where, type, givenDefault) } : {}),
    ...(autoUpdate ? { autoUpdate: true } : {}),
  };
  if (autoUpdate) assertIdentifier("trigger", autoUpdateTriggerName(table, name));
  let foreignKey: ForeignKey | undefined;
  if (references !== undefined) {
    assertSpecObject(where, "references", references, ["table", "column", "onDelete"]);
    const { table: target, column: targetColumn = "id", onDelete = "no action" } = references;
    assertObjectName("referenced table", target);
    assertColumnName(targetColumn);
    assertReferentialAction(where, onDelete);
    foreignKey = { name: constraintName(table, [name], "fkey"), columns: [name], references: { table: target, columns: [targetColumn] }, onDelete };
  }
  const values = oneOf === undefined ? undefined : allowedValues(where, type, oneOf);
  assertColumnCoherent(where, column, { primaryKey: primaryKey === true, ...(foreignKey ? { onDelete: foreignKey.onDelete } : {}), ...(values ? { allowed: values } : {}) });
  const check = values ? { name: constraintName(table, [name], "check"), column: name, values } : undefined;
  const unique = isUnique ? { name: constraintName(table, [name], "key"), columns: [name] } : undefined;
  return { column, primaryKey: primaryKey === true, foreignKey, check, unique };
}

/** Constraint and index names follow PostgreSQL's own conventions (`users_email_key`), so hand-made databases match. */
export function constraintName(table: string, columns: readonly string[], suffix: "pkey" | "key" | "fkey" | "check" | "idx"): string {
  const name = suffix === "pkey" ? `${table}_pkey` : `${table}_${columns.join("_")}_${suffix}`;
  if (name.length > MAX_IDENTIFIER_LENGTH) throw new TypeError(`Constraint name "${name}" is longer than 63 characters; shorten the table or column names.`);
  return name;
}

/** The trigger that keeps an `autoUpdate` column current: one name in every dialect. */
export function autoUpdateTriggerName(table: string, column: string): string {
  return `${table}_set_${column}`;
}

/**
 * Defines a table of the model. Column order is the order of `columns`; constraint names are derived
 * from table and column names so that every dialect and every run produce the same names.
 *
 * @example
 * const verification = defineTable({
 *   name: "verification",
 *   comment: "One-time values for email verification and password reset.",
 *   columns: {
 *     id: { type: "id", primaryKey: true },
 *     identifier: { type: "string" },
 *     value: { type: "text" },
 *     expires_at: { type: "timestamp" },
 *   },
 *   indexes: [["identifier"]],
 * });
 */
export function defineTable<const Name extends string, const Columns extends ColumnSpecs>(
  spec: TableSpec<Name, Columns>,
): TableDefinition<Name, Columns> {
  assertSpecObject("Table", "the table spec", spec, TABLE_SPEC_KEYS);
  const { name, comment, columns, unique: uniqueSpec = [], indexes: indexSpec = [] } = spec as Record<string, unknown>;
  assertObjectName("table", name);
  const where = `Table ${name}`;
  assertProse(where, "comment", comment, { maxLength: MAX_COMMENT_LENGTH });
  if (!isPlainObject(columns)) throw new TypeError(`${where}: columns must be a plain object of column specs, not ${shown(columns)}.`);
  const entries = Object.entries(columns as ColumnSpecs);
  if (entries.length === 0) throw new TypeError(`Table ${name} has no columns.`);
  const parts = entries.map(([columnName, columnSpec]) => columnFromSpec(name, columnName, columnSpec));
  const primary = parts.filter((p) => p.primaryKey).map((p) => p.column.name);
  if (primary.length === 0) throw new TypeError(`Table ${name} has no primary key.`);
  const known = new Set(entries.map(([columnName]) => columnName));
  const keyColumns = (what: string, list: unknown): string[] => {
    if (!Array.isArray(list) || list.length === 0) throw new TypeError(`${where}: each ${what} must be a non-empty list of column names, not ${shown(list)}.`);
    for (const c of list as unknown[]) if (typeof c !== "string" || !known.has(c)) throw new TypeError(`Table ${name}: ${what} names unknown column ${shown(c)}.`);
    if (new Set(list).size !== list.length) throw new TypeError(`${where}: ${what} names a column twice.`);
    return [...(list as string[])];
  };
  const lists = (what: string, value: unknown): unknown[] => {
    if (!Array.isArray(value)) throw new TypeError(`${where}: ${what} must be a list of column lists, not ${shown(value)}.`);
    return value;
  };
  const uniques = [
    ...parts.flatMap((p) => (p.unique ? [p.unique] : [])),
    ...lists("unique", uniqueSpec).map((list) => {
      const keyed = keyColumns("unique key", list);
      return { name: constraintName(name, keyed, "key"), columns: keyed };
    }),
  ];
  const indexes = lists("indexes", indexSpec).map((list) => {
    const indexed = keyColumns("index", list);
    return { name: constraintName(name, indexed, "idx"), columns: indexed };
  });
  const table: Table = {
    name,
    comment,
    columns: parts.map((p) => p.column),
    primaryKey: { name: constraintName(name, primary, "pkey"), columns: primary },
    uniques,
    foreignKeys: parts.flatMap((p) => (p.foreignKey ? [p.foreignKey] : [])),
    checks: parts.flatMap((p) => (p.check ? [p.check] : [])),
    indexes,
  };
  assertNoDuplicateIndexes(table);
  return table as TableDefinition<Name, Columns>;
}

/**
 * Two indexes over the same columns (in the same order) cost writes and serve nothing more; a
 * unique key's own index counts. Refusing them keeps the schema free of that mistake.
 */
export function assertNoDuplicateIndexes(table: Table): void {
  const seen = new Map<string, string>();
  const keys = [table.primaryKey, ...table.uniques, ...table.indexes];
  for (const key of keys) {
    const columns = key.columns.join(",");
    const other = seen.get(columns);
    if (other) throw new TypeError(`Table ${table.name}: ${key.name} covers the same columns as ${other} (${columns}).`);
    seen.set(columns, key.name);
  }
}
