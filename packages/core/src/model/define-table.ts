import type { ColumnDefault, Column, ColumnType, ForeignKey, JsonValue, ReferentialAction, Table } from "./types.js";

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
/** A constant default. */
export const value = (v: string | number | boolean): ColumnDefault => ({ kind: "value", value: v });
/** A JSON default, e.g. `json({})`. */
export const json = (v: JsonValue): ColumnDefault => ({ kind: "json", value: v });

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function assertIdentifier(kind: string, name: string): void {
  // Lower-case snake_case only: names then mean the same in every dialect, quoted or not, and
  // fit the 63-byte limit of PostgreSQL (MySQL allows 64).
  if (!IDENTIFIER.test(name) || name.length > 63) {
    throw new TypeError(`Invalid ${kind} name "${name}": use lower-case snake_case, at most 63 characters.`);
  }
}

/** Turns a column spec into the neutral column and the constraints it implies on its table. */
export function columnFromSpec(table: string, name: string, spec: ColumnSpec) {
  assertIdentifier("column", name);
  const column: Column = {
    name,
    type: spec.type,
    nullable: spec.nullable === true,
    ...(spec.default ? { default: spec.default } : {}),
    ...(spec.autoUpdate ? { autoUpdate: true } : {}),
  };
  if (spec.autoUpdate && spec.type !== "timestamp") {
    throw new TypeError(`Column ${table}.${name}: autoUpdate needs a timestamp column.`);
  }
  if (spec.primaryKey && spec.nullable) throw new TypeError(`Column ${table}.${name}: a primary key cannot be nullable.`);
  const foreignKey: ForeignKey | undefined = spec.references
    ? {
        name: constraintName(table, [name], "fkey"),
        columns: [name],
        references: { table: spec.references.table, columns: [spec.references.column ?? "id"] },
        onDelete: spec.references.onDelete ?? "no action",
      }
    : undefined;
  const check = spec.oneOf
    ? { name: constraintName(table, [name], "check"), column: name, values: [...spec.oneOf] }
    : undefined;
  const unique = spec.unique ? { name: constraintName(table, [name], "key"), columns: [name] } : undefined;
  return { column, foreignKey, check, unique };
}

/** Constraint and index names follow PostgreSQL's own conventions (`users_email_key`), so hand-made databases match. */
export function constraintName(table: string, columns: readonly string[], suffix: "pkey" | "key" | "fkey" | "check" | "idx"): string {
  const name = suffix === "pkey" ? `${table}_pkey` : `${table}_${columns.join("_")}_${suffix}`;
  if (name.length > 63) throw new TypeError(`Constraint name "${name}" is longer than 63 characters; shorten the table or column names.`);
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
  assertIdentifier("table", spec.name);
  const entries = Object.entries(spec.columns);
  if (entries.length === 0) throw new TypeError(`Table ${spec.name} has no columns.`);
  const parts = entries.map(([name, columnSpec]) => columnFromSpec(spec.name, name, columnSpec));
  const primary = entries.filter(([, c]) => c.primaryKey).map(([name]) => name);
  if (primary.length === 0) throw new TypeError(`Table ${spec.name} has no primary key.`);
  const known = new Set(entries.map(([name]) => name));
  const checkColumns = (what: string, columns: readonly string[]) => {
    for (const c of columns) if (!known.has(c)) throw new TypeError(`Table ${spec.name}: ${what} names unknown column "${c}".`);
  };
  const uniques = [
    ...parts.flatMap((p) => (p.unique ? [p.unique] : [])),
    ...(spec.unique ?? []).map((columns) => {
      checkColumns("unique key", columns);
      return { name: constraintName(spec.name, columns, "key"), columns: [...columns] };
    }),
  ];
  const indexes = (spec.indexes ?? []).map((columns) => {
    checkColumns("index", columns);
    return { name: constraintName(spec.name, columns, "idx"), columns: [...columns] };
  });
  const table: Table = {
    name: spec.name,
    comment: spec.comment,
    columns: parts.map((p) => p.column),
    primaryKey: { name: constraintName(spec.name, primary, "pkey"), columns: primary },
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
