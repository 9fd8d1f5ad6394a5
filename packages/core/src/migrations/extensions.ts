import { assertNoDuplicateIndexes, autoUpdateTriggerName, columnFromSpec, type ColumnSpecs, constraintName, type TableDefinition } from "../model/define-table.js";
import {
  assertBooleanOption, assertColumnName, assertObjectName, assertProse, assertSpecObject, assertValidCheck, assertValidColumn, assertValidForeignKey, assertValidTable, isPlainObject, MAX_NAME_LENGTH, shown,
} from "../model/validate.js";
import { ledgerTable } from "../runner/ledger.js";
import type { SchemaModel } from "../dialect/renderer.js";
import type { Column, Routine, Table, View } from "../model/types.js";
import { InvalidExtensionError } from "../errors.js";
import { coreMigrations } from "./core-migrations.js";
import { columnMeaning } from "./checksum.js";
import type { ColumnConstraints, Migration, Operation } from "./operations.js";

/** What an extension adds: new tables, and new columns on tables that exist before it. */
export interface ExtensionSpec<
  Tables extends readonly TableDefinition[] = readonly TableDefinition[],
  Columns extends Readonly<Record<string, ColumnSpecs>> = Readonly<Record<string, ColumnSpecs>>,
> {
  /**
   * The id of the migration this extension becomes, recorded in the ledger. Lower-case snake_case,
   * unique, never changed once applied; a later change to the extension is a new extension with a new id.
   */
  readonly id: string;
  /** What it adds, for people (e.g. "two-factor tables"). */
  readonly name: string;
  readonly tables?: Tables;
  /** Columns to add, by table name, e.g. `{ users: { two_factor_enabled: { type: "boolean", default: value(false) } } }`. */
  readonly columns?: Columns;
  /** Indexes to add to tables that exist before it, by table name: `{ users: [["name"]] }`. */
  readonly indexes?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /**
   * Build the indexes without blocking writes (PostgreSQL: CREATE INDEX CONCURRENTLY, outside a
   * transaction, not subject to ddlLockTimeoutMs), for large tables in use. Such an extension may
   * add only indexes. A build that fails leaves an INVALID index, which `check` reports and the next
   * `up` rebuilds.
   */
  readonly buildIndexesConcurrently?: boolean;
  /**
   * Triggers, rules and policies of the application's own on the schema's tables (`"users.audit_email"`)
   * and routines of its own in the schema (`"audit_email"`): `check` and adoption accept them where they
   * stand. Any other one is reported as an error, since code that runs on every change to a table can
   * copy what it holds. Not part of the migration or its checksum.
   */
  readonly ownObjects?: readonly string[];
}

export interface Extension<
  Tables extends readonly TableDefinition[] = readonly TableDefinition[],
  Columns extends Readonly<Record<string, ColumnSpecs>> = Readonly<Record<string, ColumnSpecs>>,
> {
  readonly id: string;
  readonly name: string;
  readonly migration: Migration;
  /** See {@link ExtensionSpec.ownObjects}. */
  readonly ownObjects?: readonly string[];
  /** Type-only, for {@link DatabaseWith}. */
  readonly "~types"?: { tables: Tables; columns: Columns };
}

const MIGRATION_ID = /^[0-9a-z][0-9a-z_]*$/;
const MAX_MIGRATION_ID_LENGTH = 255;

/** The id as it can be shown in a message: itself when valid, escaped otherwise. */
const shownId = (id: unknown) => (typeof id === "string" && MIGRATION_ID.test(id) && id.length <= MAX_MIGRATION_ID_LENGTH ? id : shown(id));

function assertMigrationId(id: unknown): asserts id is string {
  if (typeof id !== "string" || !MIGRATION_ID.test(id) || id.length > MAX_MIGRATION_ID_LENGTH) {
    throw new InvalidExtensionError(shownId(id), `its id must be lower-case letters, digits and underscores, at most ${MAX_MIGRATION_ID_LENGTH} characters (e.g. "0100_two_factor").`);
  }
}

/** The migration's name is prose for people, shown in `status`, stored in the ledger and written in SQL files' headers: one line. */
function assertMigrationName(id: string, name: unknown): asserts name is string {
  try {
    assertProse(`Extension ${id}`, "name", name, { maxLength: MAX_NAME_LENGTH, nonEmpty: true });
  } catch (error) {
    throw new InvalidExtensionError(id, `its ${(error as Error).message.replace(`Extension ${id}: `, "")}`);
  }
}

/** Runs `build`, turning the TypeError of a field that does not pass into the extension's error. */
function asExtensionError<T>(id: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    // Checks that name the extension already say "Extension <id>: ": said once.
    if (error instanceof TypeError) throw new InvalidExtensionError(id, error.message.replace(`Extension ${id}: `, ""));
    throw error;
  }
}

/**
 * Declares tables and columns to add to the Better Auth schema, as Better Auth plugins do. Pass the
 * result to an adapter's `createMigrator({ extensions })`: it becomes one more migration, rendered by
 * every dialect, and `DatabaseWith<[typeof ext]>` gives the Kysely types that include it.
 *
 * Every field is checked at run time, whatever the types said (see `model/validate.ts`); a field that
 * does not pass throws an {@link InvalidExtensionError} naming it, and nothing is rendered.
 *
 * @example
 * const twoFactor = defineExtension({
 *   id: "0100_two_factor",
 *   name: "two-factor secrets",
 *   tables: [defineTable({ name: "two_factor", comment: "TOTP secrets.", columns: {
 *     id: { type: "id", primaryKey: true },
 *     user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
 *     secret: { type: "text" },
 *   }, indexes: [["user_id"]] })],
 *   columns: { users: { two_factor_enabled: { type: "boolean", default: value(false) } } },
 * });
 */
export function defineExtension<
  const Tables extends readonly TableDefinition[] = readonly [],
  const Columns extends Readonly<Record<string, ColumnSpecs>> = {},
>(spec: ExtensionSpec<Tables, Columns>): Extension<Tables, Columns> {
  const given = spec as unknown;
  if (!isPlainObject(given)) throw new InvalidExtensionError("?", `defineExtension takes a plain object, not ${shown(given)}.`);
  const { id, name, tables = [], columns = {}, indexes = {}, buildIndexesConcurrently, ownObjects } = given;
  assertMigrationId(id);
  asExtensionError(id, () => assertSpecObject(`Extension ${id}`, "the spec", given, ["id", "name", "tables", "columns", "indexes", "buildIndexesConcurrently", "ownObjects"]));
  const own = asExtensionError(id, () => (ownObjects === undefined ? undefined : checkedOwnObjects(`Extension ${id}: ownObjects`, ownObjects)));
  asExtensionError(id, () => assertBooleanOption(`Extension ${id}`, "buildIndexesConcurrently", buildIndexesConcurrently));
  if (!isPlainObject(indexes)) throw new InvalidExtensionError(id, `indexes must be a plain object of column lists by table name, not ${shown(indexes)}.`);
  assertMigrationName(id, name);
  if (!Array.isArray(tables)) throw new InvalidExtensionError(id, `tables must be a list of defineTable results, not ${shown(tables)}.`);
  if (!isPlainObject(columns)) throw new InvalidExtensionError(id, `columns must be a plain object of column specs by table name, not ${shown(columns)}.`);
  const up: Operation[] = [];
  for (const table of tables as unknown[]) {
    asExtensionError(id, () => assertValidTable(table));
    up.push({ kind: "createTable", table: table as Table });
  }
  for (const [tableName, tableColumns] of Object.entries(columns)) {
    asExtensionError(id, () => assertObjectName("table", tableName));
    if (!isPlainObject(tableColumns)) throw new InvalidExtensionError(id, `columns.${tableName} must be a plain object of column specs, not ${shown(tableColumns)}.`);
    for (const [columnName, columnSpec] of Object.entries(tableColumns)) {
      const { column, primaryKey, unique, foreignKey, check } = asExtensionError(id, () => columnFromSpec(tableName, columnName, columnSpec as ColumnSpecs[string]));
      if (primaryKey) throw new InvalidExtensionError(id, `${tableName}.${columnName}: an added column cannot be the primary key.`);
      up.push({
        kind: "addColumn",
        table: tableName,
        column,
        constraints: { ...(unique ? { unique } : {}), ...(foreignKey ? { foreignKey } : {}), ...(check ? { check } : {}) },
      });
    }
  }
  for (const [tableName, lists] of Object.entries(indexes)) {
    asExtensionError(id, () => assertObjectName("table", tableName));
    if (!Array.isArray(lists)) throw new InvalidExtensionError(id, `indexes.${tableName} must be a list of column lists, not ${shown(lists)}.`);
    for (const columnList of lists as unknown[]) {
      if (!Array.isArray(columnList) || columnList.length === 0) throw new InvalidExtensionError(id, `indexes.${tableName}: each index is a non-empty list of column names, not ${shown(columnList)}.`);
      for (const column of columnList as unknown[]) asExtensionError(id, () => assertColumnName(column));
      const indexColumns = [...(columnList as string[])];
      const index = asExtensionError(id, () => ({ name: constraintName(tableName, indexColumns, "idx"), columns: indexColumns }));
      asExtensionError(id, () => assertObjectName("index", index.name));
      up.push({ kind: "createIndex", table: tableName, index, ...(buildIndexesConcurrently ? { concurrently: true } : {}) });
    }
  }
  if (up.length === 0) throw new InvalidExtensionError(id, "it adds no tables, no columns and no indexes.");
  if (buildIndexesConcurrently && up.some((op) => op.kind !== "createIndex")) {
    throw new InvalidExtensionError(id, "buildIndexesConcurrently: an extension that builds indexes concurrently may add only indexes; put its tables and columns in another extension.");
  }
  return { id, name, migration: { id, name, up, ...(buildIndexesConcurrently ? { buildsIndexesConcurrently: true } : {}) }, ...(own ? { ownObjects: own } : {}) };
}

/** `table.name` (a trigger, rule or policy on a table) or `name` (a routine): names as the catalog spells them. */
const OWN_OBJECT = /^[^.\s\0]{1,128}(\.[^.\s\0]{1,128})?$/;

/**
 * A list of objects the application calls its own, checked and copied: each `table.name` or `name`.
 * Throws a TypeError naming `where` and the entry that does not pass.
 */
export function checkedOwnObjects(where: string, list: unknown): readonly string[] {
  if (!Array.isArray(list)) throw new TypeError(`${where} must be a list of names ("users.audit_email" for a trigger, rule or policy; "audit_email" for a routine), not ${shown(list)}.`);
  return Object.freeze(
    list.map((entry: unknown) => {
      if (typeof entry !== "string" || !OWN_OBJECT.test(entry)) {
        throw new TypeError(`${where}: ${shown(entry)} is not "table.name" (a trigger, rule or policy on a table) or "name" (a routine).`);
      }
      return entry;
    }),
  );
}

/**
 * An extension as the migrator takes it: a copy of plain data (getters read once, nothing shared
 * with the caller), checked as {@link defineExtension} checks its spec, and frozen. Extensions made
 * by hand, or changed after defineExtension, are held to the same rules; they can hold only what
 * defineExtension makes (new tables and added columns).
 */
function checkedExtension(extension: unknown): { migration: Migration; ownObjects: readonly string[] } {
  let copy: unknown;
  try {
    copy = structuredClone(extension);
  } catch {
    throw new InvalidExtensionError(isPlainObject(extension) ? shownId(extension.id) : "?", "it is not plain data (it holds functions or other objects that cannot be copied); build it with defineExtension.");
  }
  if (!isPlainObject(copy)) throw new InvalidExtensionError("?", `an extension must be the result of defineExtension, not ${shown(copy)}.`);
  const { id, name, migration, ownObjects } = copy;
  assertMigrationId(id);
  assertMigrationName(id, name);
  asExtensionError(id, () => {
    assertSpecObject(`Extension ${id}`, "the extension", copy, ["id", "name", "migration", "ownObjects", "~types"]);
    assertSpecObject(`Extension ${id}`, "its migration", migration, ["id", "name", "up", "buildsIndexesConcurrently"]);
  });
  const m = migration as Record<string, unknown>;
  if (m.id !== id || m.name !== name) throw new InvalidExtensionError(id, "its migration's id and name differ from its own; build it with defineExtension.");
  if (!Array.isArray(m.up) || m.up.length === 0) throw new InvalidExtensionError(id, "it adds no tables, no columns and no indexes.");
  for (const op of m.up as unknown[]) asExtensionError(id, () => assertExtensionOperation(op));
  asExtensionError(id, () => assertBooleanOption(`Extension ${id}`, "buildsIndexesConcurrently", m.buildsIndexesConcurrently));
  if (m.buildsIndexesConcurrently && (m.up as { kind: string }[]).some((op) => op.kind !== "createIndex")) {
    throw new InvalidExtensionError(id, "an extension that builds indexes concurrently may add only indexes.");
  }
  const own = ownObjects === undefined ? [] : asExtensionError(id, () => checkedOwnObjects(`Extension ${id}: ownObjects`, ownObjects));
  return { migration: deepFreeze(migration as unknown as Migration), ownObjects: own };
}

/** The operations defineExtension makes, checked field by field. */
function assertExtensionOperation(op: unknown): void {
  if (!isPlainObject(op) || (op.kind !== "createTable" && op.kind !== "addColumn" && op.kind !== "createIndex" && op.kind !== "alterColumn")) {
    throw new TypeError(`an extension can only create tables, add columns, add indexes and change a column's type, not ${shown(isPlainObject(op) ? op.kind : op)}.`);
  }
  if (op.kind === "alterColumn") {
    assertSpecObject("alterColumn", "the operation", op, ["kind", "table", "from", "to"]);
    assertObjectName("table", op.table);
    assertValidColumn(op.table, op.from);
    assertValidColumn(op.table, op.to);
    return;
  }
  if (op.kind === "createIndex") {
    assertSpecObject("createIndex", "the operation", op, ["kind", "table", "index", "concurrently"]);
    assertObjectName("table", op.table);
    assertSpecObject(`Index on ${op.table}`, "index", op.index, ["name", "columns"]);
    assertObjectName("index", op.index.name);
    if (!Array.isArray(op.index.columns) || op.index.columns.length === 0) throw new TypeError(`Index ${op.index.name}: columns must be a non-empty list.`);
    for (const column of op.index.columns as unknown[]) assertColumnName(column);
    assertBooleanOption(`Index ${op.index.name}`, "concurrently", op.concurrently);
    return;
  }
  if (op.kind === "createTable") {
    assertSpecObject("createTable", "the operation", op, ["kind", "table"]);
    assertValidTable(op.table);
    return;
  }
  assertSpecObject("addColumn", "the operation", op, ["kind", "table", "column", "constraints"]);
  assertObjectName("table", op.table);
  const table = op.table;
  assertValidColumn(table, op.column);
  const column = op.column;
  const where = `Column ${table}.${column.name}`;
  if (column.autoUpdate) assertObjectName("trigger", autoUpdateTriggerName(table, column.name));
  assertSpecObject(where, "constraints", op.constraints, ["unique", "foreignKey", "check"]);
  const { unique, foreignKey, check } = op.constraints;
  const own = new Set([column.name]);
  if (unique !== undefined) {
    assertSpecObject(where, "unique key", unique, ["name", "columns"]);
    assertObjectName("unique key", unique.name);
    if (!Array.isArray(unique.columns) || unique.columns.length !== 1 || unique.columns[0] !== column.name) throw new TypeError(`${where}: its unique key must be on the column alone.`);
  }
  if (foreignKey !== undefined) assertValidForeignKey(where, foreignKey, own);
  if (check !== undefined) assertValidCheck(where, check, [column]);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The whole schema a migrator works with: the core migrations, then each extension's, in order. */
export interface ResolvedSchema extends SchemaModel {
  readonly migrations: readonly Migration[];
  /** What the extensions mark as the application's own (see {@link ExtensionSpec.ownObjects}). */
  readonly ownObjects: readonly string[];
}

/**
 * Combines the core migrations with extensions and checks that they fit together: ids unique, new
 * tables new, added columns new and on tables that exist by then, foreign keys pointing at real
 * columns, and every object name free. Extensions are checked field by field and copied first (see
 * {@link checkedExtension}), so nothing reaches a renderer that the checks did not see.
 */
export function resolveSchema(extensions: readonly Extension[] = []): ResolvedSchema {
  if (!Array.isArray(extensions)) throw new TypeError(`extensions must be a list of defineExtension results, not ${shown(extensions)}.`);
  const checked = extensions.map(checkedExtension);
  const migrations = [...coreMigrations, ...checked.map((c) => c.migration)];
  const ids = new Set<string>();
  const tables = new Map<string, Table>();
  const views = new Map<string, View>();
  const routines = new Map<string, Routine>();
  const names = new Map<string, string>([[ledgerTable.name, "the migration ledger"]]);
  for (const migration of migrations) {
    if (ids.has(migration.id)) throw new InvalidExtensionError(migration.id, "another migration already has this id.");
    ids.add(migration.id);
    for (const op of migration.up) {
      applyToTables(tables, op, migration.id);
      claimNames(names, op, migration.id);
      if (op.kind === "createView") views.set(op.view.name, op.view);
      if (op.kind === "dropView") views.delete(op.view.name);
      if (op.kind === "createRoutine") routines.set(op.routine.name, op.routine);
      if (op.kind === "dropRoutine") routines.delete(op.routine.name);
    }
  }
  const ownObjects = [...new Set(checked.flatMap((c) => c.ownObjects))];
  return { migrations, ownObjects, tables: [...tables.values()], views: [...views.values()], routines: [...routines.values()] };
}

/**
 * The names an operation gives to objects, and what they are. Every dialect has one namespace for
 * some of them: PostgreSQL for tables, views and indexes (a key's index takes the key's name),
 * SQLite for tables, views, indexes and triggers, MySQL for tables and views, and for foreign key
 * and check names. Keeping all of them distinct across the schema satisfies every dialect.
 */
function namesOf(op: Operation): [name: string, what: string][] {
  const tableNames = (table: Table): [string, string][] => [
    [table.name, "table"],
    [table.primaryKey.name, `primary key of ${table.name}`],
    ...table.uniques.map((k): [string, string] => [k.name, `unique key of ${table.name}`]),
    ...table.indexes.map((k): [string, string] => [k.name, `index of ${table.name}`]),
    ...table.foreignKeys.map((k): [string, string] => [k.name, `foreign key of ${table.name}`]),
    ...table.checks.map((k): [string, string] => [k.name, `check of ${table.name}`]),
    ...table.columns.filter((c) => c.autoUpdate).map((c): [string, string] => [autoUpdateTriggerName(table.name, c.name), `trigger of ${table.name}`]),
  ];
  const columnNames = (table: string, column: Column, c: ColumnConstraints): [string, string][] => [
    ...(c.unique ? [[c.unique.name, `unique key of ${table}`] as [string, string]] : []),
    ...(c.foreignKey ? [[c.foreignKey.name, `foreign key of ${table}`] as [string, string]] : []),
    ...(c.check ? [[c.check.name, `check of ${table}`] as [string, string]] : []),
    ...(column.autoUpdate ? [[autoUpdateTriggerName(table, column.name), `trigger of ${table}`] as [string, string]] : []),
  ];
  switch (op.kind) {
    case "createTable":
    case "dropTable":
      return tableNames(op.table);
    case "addColumn":
    case "dropColumn":
      return columnNames(op.table, op.column, op.constraints);
    case "createIndex":
    case "dropIndex":
      return [[op.index.name, `index of ${op.table}`]];
    case "alterColumn":
      return [];
    case "createView":
    case "dropView":
      return [[op.view.name, "view"]];
    case "createRoutine":
    case "dropRoutine":
      // PostgreSQL keeps functions apart from relations; the other dialects render none.
      return [];
  }
}

function claimNames(names: Map<string, string>, op: Operation, migrationId: string): void {
  const given = namesOf(op);
  if (op.kind.startsWith("drop")) {
    for (const [name] of given) names.delete(name);
    return;
  }
  for (const [name, what] of given) {
    const holder = names.get(name);
    if (holder) throw new InvalidExtensionError(migrationId, `the name "${name}" of its ${what} is already taken by ${holder}.`);
    names.set(name, `the ${what} of ${migrationId}`);
  }
}

function applyToTables(tables: Map<string, Table>, op: Operation, migrationId: string): void {
  const fail = (why: string): never => {
    throw new InvalidExtensionError(migrationId, why);
  };
  const checkReferences = (table: Table) => {
    for (const fk of table.foreignKeys) {
      const target = fk.references.table === table.name ? table : tables.get(fk.references.table);
      if (!target) fail(`${table.name}.${fk.columns.join(",")} references table "${fk.references.table}", which does not exist.`);
      fk.references.columns.forEach((c, i) => {
        const referenced = target!.columns.find((col) => col.name === c) ?? fail(`${table.name} references ${fk.references.table}.${c}, which does not exist.`);
        const column = table.columns.find((col) => col.name === fk.columns[i]);
        // A key and its reference must have one type in every dialect (uuid ids included): "id" refers to "id".
        if (column && column.type !== referenced.type) {
          fail(`${table.name}.${column.name} is of type "${column.type}" but references ${fk.references.table}.${c} of type "${referenced.type}"; give it type "${referenced.type}".`);
        }
      });
    }
  };
  switch (op.kind) {
    case "createTable": {
      if (tables.has(op.table.name)) fail(`table "${op.table.name}" already exists.`);
      checkReferences(op.table);
      tables.set(op.table.name, op.table);
      return;
    }
    case "addColumn": {
      const table = tables.get(op.table) ?? fail(`it adds a column to table "${op.table}", which does not exist.`);
      if (table.columns.some((c) => c.name === op.column.name)) fail(`column ${op.table}.${op.column.name} already exists.`);
      const c = op.constraints;
      const next: Table = {
        ...table,
        columns: [...table.columns, op.column],
        uniques: c.unique ? [...table.uniques, c.unique] : table.uniques,
        foreignKeys: c.foreignKey ? [...table.foreignKeys, c.foreignKey] : table.foreignKeys,
        checks: c.check ? [...table.checks, c.check] : table.checks,
      };
      if (c.foreignKey) checkReferences({ ...next, foreignKeys: [c.foreignKey] });
      assertNoDuplicateIndexes(next);
      tables.set(op.table, next);
      return;
    }
    case "alterColumn": {
      const table = tables.get(op.table) ?? fail(`it changes a column of table "${op.table}", which does not exist.`);
      const where = `${op.table}.${op.from.name}`;
      const current = table.columns.find((c) => c.name === op.from.name) ?? fail(`it changes column ${where}, which does not exist.`);
      if (JSON.stringify(columnMeaning(current)) !== JSON.stringify(columnMeaning(op.from))) fail(`it changes column ${where} from a definition other than the one it has.`);
      const { type: _fromType, ...fromRest } = columnMeaning(op.from) as { type: string };
      const { type: _toType, ...toRest } = columnMeaning(op.to) as { type: string };
      if (JSON.stringify(fromRest) !== JSON.stringify(toRest) || op.from.type === op.to.type) fail(`a column change must change the type of ${where} and nothing else.`);
      // A key's or an index's column keeps its type: every dialect would have to rebuild them, and foreign keys must keep one type.
      const inKey = [table.primaryKey, ...table.uniques, ...table.indexes, ...table.foreignKeys].some((k) => k.columns.includes(op.from.name)) ||
        [...tables.values()].some((t) => t.foreignKeys.some((fk) => fk.references.table === op.table && fk.references.columns.includes(op.from.name)));
      if (inKey) fail(`${where} is part of a key or an index; its type cannot be changed by an extension.`);
      if (table.checks.some((c) => c.column === op.from.name)) fail(`${where} has a check; its type cannot be changed by an extension.`);
      tables.set(op.table, { ...table, columns: table.columns.map((c) => (c.name === op.from.name ? op.to : c)) });
      return;
    }
    case "createIndex": {
      const table = tables.get(op.table) ?? fail(`it indexes table "${op.table}", which does not exist.`);
      for (const column of op.index.columns) {
        if (!table.columns.some((c) => c.name === column)) fail(`index ${op.index.name} names column ${op.table}.${column}, which does not exist.`);
      }
      const next = { ...table, indexes: [...table.indexes, op.index] };
      assertNoDuplicateIndexes(next);
      tables.set(op.table, next);
      return;
    }
    case "dropTable":
      tables.delete(op.table.name);
      return;
    case "dropColumn": {
      const table = tables.get(op.table) ?? fail(`it drops a column of table "${op.table}", which does not exist.`);
      tables.set(op.table, { ...table, columns: table.columns.filter((col) => col.name !== op.column.name) });
      return;
    }
    case "dropIndex": {
      const table = tables.get(op.table) ?? fail(`it drops an index of table "${op.table}", which does not exist.`);
      tables.set(op.table, { ...table, indexes: table.indexes.filter((i) => i.name !== op.index.name) });
      return;
    }
    case "createView":
    case "dropView":
    case "createRoutine":
    case "dropRoutine":
      return;
  }
}
