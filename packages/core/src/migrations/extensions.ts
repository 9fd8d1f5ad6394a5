import { assertIdentifier, assertNoDuplicateIndexes, columnFromSpec, type ColumnSpecs, type TableDefinition } from "../model/define-table.js";
import type { SchemaModel } from "../dialect/renderer.js";
import type { Routine, Table, View } from "../model/types.js";
import { InvalidExtensionError } from "../errors.js";
import { coreMigrations } from "./core-migrations.js";
import type { Migration, Operation } from "./operations.js";

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
}

export interface Extension<
  Tables extends readonly TableDefinition[] = readonly TableDefinition[],
  Columns extends Readonly<Record<string, ColumnSpecs>> = Readonly<Record<string, ColumnSpecs>>,
> {
  readonly id: string;
  readonly name: string;
  readonly migration: Migration;
  /** Type-only, for {@link DatabaseWith}. */
  readonly "~types"?: { tables: Tables; columns: Columns };
}

const MIGRATION_ID = /^[0-9a-z][0-9a-z_]*$/;

/**
 * Declares tables and columns to add to the Better Auth schema, as Better Auth plugins do. Pass the
 * result to an adapter's `createMigrator({ extensions })`: it becomes one more migration, rendered by
 * every dialect, and `DatabaseWith<[typeof ext]>` gives the Kysely types that include it.
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
  if (!MIGRATION_ID.test(spec.id) || spec.id.length > 255) {
    throw new InvalidExtensionError(spec.id, `its id must be lower-case letters, digits and underscores (e.g. "0100_two_factor").`);
  }
  if (!spec.name.trim()) throw new InvalidExtensionError(spec.id, "it needs a name.");
  const up: Operation[] = [];
  for (const table of spec.tables ?? []) up.push({ kind: "createTable", table });
  for (const [tableName, columns] of Object.entries(spec.columns ?? {})) {
    assertIdentifier("table", tableName);
    for (const [columnName, columnSpec] of Object.entries(columns)) {
      if (columnSpec.primaryKey) {
        throw new InvalidExtensionError(spec.id, `${tableName}.${columnName}: an added column cannot be the primary key.`);
      }
      const { column, unique, foreignKey, check } = columnFromSpec(tableName, columnName, columnSpec);
      up.push({
        kind: "addColumn",
        table: tableName,
        column,
        constraints: { ...(unique ? { unique } : {}), ...(foreignKey ? { foreignKey } : {}), ...(check ? { check } : {}) },
      });
    }
  }
  if (up.length === 0) throw new InvalidExtensionError(spec.id, "it adds no tables and no columns.");
  return { id: spec.id, name: spec.name, migration: { id: spec.id, name: spec.name, up } };
}

/** The whole schema a migrator works with: the core migrations, then each extension's, in order. */
export interface ResolvedSchema extends SchemaModel {
  readonly migrations: readonly Migration[];
}

/**
 * Combines the core migrations with extensions and checks that they fit together: ids unique, new
 * tables new, added columns new and on tables that exist by then, foreign keys pointing at real columns.
 */
export function resolveSchema(extensions: readonly Extension[] = []): ResolvedSchema {
  const migrations = [...coreMigrations, ...extensions.map((e) => e.migration)];
  const ids = new Set<string>();
  const tables = new Map<string, Table>();
  const views = new Map<string, View>();
  const routines = new Map<string, Routine>();
  for (const migration of migrations) {
    if (ids.has(migration.id)) throw new InvalidExtensionError(migration.id, "another migration already has this id.");
    ids.add(migration.id);
    for (const op of migration.up) {
      applyToTables(tables, op, migration.id);
      if (op.kind === "createView") views.set(op.view.name, op.view);
      if (op.kind === "dropView") views.delete(op.view.name);
      if (op.kind === "createRoutine") routines.set(op.routine.name, op.routine);
      if (op.kind === "dropRoutine") routines.delete(op.routine.name);
    }
  }
  return { migrations, tables: [...tables.values()], views: [...views.values()], routines: [...routines.values()] };
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
    case "createIndex": {
      const table = tables.get(op.table) ?? fail(`it indexes table "${op.table}", which does not exist.`);
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
