import type { DialectRenderer, SchemaModel } from "../dialect/renderer.js";
import type { Table } from "../model/types.js";
import { inverseOperation, type Migration, type Operation } from "./operations.js";

/** A database with nothing of the schema in it. */
export const emptyModel: SchemaModel = { tables: [], views: [], routines: [] };

function withTable(model: SchemaModel, name: string, change: (table: Table) => Table): SchemaModel {
  return { ...model, tables: model.tables.map((t) => (t.name === name ? change(t) : t)) };
}

/**
 * The model after one operation. Pure and unchecked: `resolveSchema` checks that operations fit
 * together before anything is replayed, so an operation on a table that is not there changes nothing.
 */
export function applyOperation(model: SchemaModel, op: Operation): SchemaModel {
  switch (op.kind) {
    case "createTable":
      return { ...model, tables: [...model.tables, op.table] };
    case "dropTable":
      return { ...model, tables: model.tables.filter((t) => t.name !== op.table.name) };
    case "addColumn": {
      const c = op.constraints;
      return withTable(model, op.table, (table) => ({
        ...table,
        columns: [...table.columns, op.column],
        uniques: c.unique ? [...table.uniques, c.unique] : table.uniques,
        foreignKeys: c.foreignKey ? [...table.foreignKeys, c.foreignKey] : table.foreignKeys,
        checks: c.check ? [...table.checks, c.check] : table.checks,
      }));
    }
    case "dropColumn": {
      const c = op.constraints;
      return withTable(model, op.table, (table) => ({
        ...table,
        columns: table.columns.filter((col) => col.name !== op.column.name),
        uniques: c.unique ? table.uniques.filter((k) => k.name !== c.unique!.name) : table.uniques,
        foreignKeys: c.foreignKey ? table.foreignKeys.filter((k) => k.name !== c.foreignKey!.name) : table.foreignKeys,
        checks: c.check ? table.checks.filter((k) => k.name !== c.check!.name) : table.checks,
      }));
    }
    case "alterColumn":
      return withTable(model, op.table, (table) => ({ ...table, columns: table.columns.map((col) => (col.name === op.to.name ? op.to : col)) }));
    case "createIndex":
      return withTable(model, op.table, (table) => ({ ...table, indexes: [...table.indexes, op.index] }));
    case "dropIndex":
      return withTable(model, op.table, (table) => ({ ...table, indexes: table.indexes.filter((i) => i.name !== op.index.name) }));
    case "createView":
      return { ...model, views: [...model.views, op.view] };
    case "dropView":
      return { ...model, views: model.views.filter((v) => v.name !== op.view.name) };
    case "createRoutine":
      return { ...model, routines: [...model.routines, op.routine] };
    case "dropRoutine":
      return { ...model, routines: model.routines.filter((r) => r.name !== op.routine.name) };
  }
}

export function applyOperations(model: SchemaModel, ops: readonly Operation[]): SchemaModel {
  return ops.reduce(applyOperation, model);
}

/** The model as it stands before each migration, when all are applied in definition order. */
export function modelsBefore(migrations: readonly Migration[]): Map<string, SchemaModel> {
  const before = new Map<string, SchemaModel>();
  let model = emptyModel;
  for (const migration of migrations) {
    before.set(migration.id, model);
    model = applyOperations(model, migration.up);
  }
  return before;
}

/**
 * Each operation's statements, rendered with the model as it stands just before that operation
 * (what a renderer needs to rebuild a table it cannot alter in place).
 */
export function renderInSequence(renderer: DialectRenderer, operations: readonly Operation[], before: SchemaModel): string[][] {
  let model = before;
  return operations.map((op) => {
    const statements = renderer.render(op, model);
    model = applyOperation(model, op);
    return statements;
  });
}

/**
 * A migration's statements both ways, aligned with its operations: `up[i]` performs operation i,
 * `undo[i]` reverses it. Each is rendered with the model it starts from: operation i after those
 * before it; its undo after operation i, since a down undoes the last operation first.
 */
export function renderBothWays(renderer: DialectRenderer, migration: Migration, before: SchemaModel): { up: string[][]; undo: string[][] } {
  const up: string[][] = [];
  const undo: string[][] = [];
  let model = before;
  for (const op of migration.up) {
    up.push(renderer.render(op, model));
    model = applyOperation(model, op);
    undo.push(renderer.render(inverseOperation(op), model));
  }
  return { up, undo };
}
