import type {
  Column, ColumnSnapshot, IndexSnapshot, Routine, RoutineSnapshot, SchemaModel, SchemaSnapshot, Table, TableSnapshot, View, ViewSnapshot,
} from "@better-auth/migrate-core";
import { allowedValuesExpression, catalogLiteral, normalDefault, normalType, normalViewQuery, PINNED_SEARCH_PATH, routineDefinition } from "./pg-normal-form.js";
import { columnDefault, columnType, type IdKind, routineSource, type TableNamer, viewQuery } from "./pg-fragments.js";
import { quoteIdentifier } from "./pg-quote.js";

/**
 * The model as the PostgreSQL renderer builds it, in the normal form of `pg-normal-form.ts`: what
 * the introspector reads back from a database the migrations made.
 */
export function describeModel(model: SchemaModel, ids: IdKind, qualified: TableNamer): SchemaSnapshot {
  return {
    tables: model.tables.map((table) => describeTable(table, ids)),
    views: model.views.map(describeView),
    routines: model.routines.map((routine) => describeRoutine(routine, qualified)),
  };
}

/**
 * Live types that hold what the model's columns hold just as well. A hand-made `varchar(255)` or
 * `varchar` id or short string is text by another name (ids and strings are at most 255 characters
 * in every dialect); unbounded text accepts only unbounded `varchar`, since a limit could refuse a
 * long token. A timestamptz of precision 3 or more keeps milliseconds, as the model promises.
 * Not accepted: `timestamp` without time zone (it would lose the zone), `json` for `jsonb` (no
 * equality, containment or GIN indexing, and duplicate keys kept), text for `inet` (no validation).
 */
function alsoAccepted(column: Column, ids: IdKind): readonly string[] {
  switch (column.type) {
    case "id":
      return ids === "uuid" ? [] : ["varchar", "varchar(255)"];
    case "string":
      return ["varchar", "varchar(255)"];
    case "text":
      return ["varchar"];
    case "timestamp":
      return ["timestamptz(3)", "timestamptz(4)", "timestamptz(5)", "timestamptz(6)"];
    default:
      return [];
  }
}

function describeColumn(column: Column, table: Table, ids: IdKind): ColumnSnapshot {
  const isSinglePrimaryKey = table.primaryKey.columns.length === 1 && table.primaryKey.columns[0] === column.name;
  const accepted = alsoAccepted(column, ids);
  return {
    name: column.name,
    type: normalType(columnType(column, ids)),
    ...(accepted.length > 0 ? { alsoAccepted: accepted } : {}),
    nullable: column.nullable,
    default: normalDefault(columnDefault(column, isSinglePrimaryKey, ids)),
    autoUpdate: column.autoUpdate === true,
  };
}

/** A model index as the introspector reports one: the renderer builds plain btree indexes. */
export function describeIndex(index: { name: string; columns: readonly string[] }): IndexSnapshot {
  return { name: index.name, columns: [...index.columns], unique: false, method: "btree" };
}

export function describeTable(table: Table, ids: IdKind): TableSnapshot {
  return {
    name: table.name,
    columns: table.columns.map((c) => describeColumn(c, table, ids)),
    primaryKey: { name: table.primaryKey.name, columns: [...table.primaryKey.columns] },
    uniques: table.uniques.map((u) => ({ name: u.name, columns: [...u.columns] })),
    foreignKeys: table.foreignKeys.map((fk) => ({
      name: fk.name,
      columns: [...fk.columns],
      references: { table: fk.references.table, columns: [...fk.references.columns] },
      onDelete: fk.onDelete,
    })),
    checks: table.checks.map((c) => ({ name: c.name, expression: allowedValuesExpression(c.column, c.values.map(catalogLiteral)) })),
    indexes: table.indexes.map(describeIndex),
  };
}

/** The view's query, with bare table names: the introspector reads it with the search_path on the schema. */
export function describeView(view: View): ViewSnapshot {
  return {
    name: view.name,
    columns: view.select.map((c) => c.column),
    definition: normalViewQuery(viewQuery(view, quoteIdentifier)),
  };
}

/** Bodies keep their schema-qualified names (`prosrc` is the text as written), and every routine pins its search_path. */
export function describeRoutine(routine: Routine, qualified: TableNamer): RoutineSnapshot {
  const source = routineSource(routine, qualified);
  return { name: routine.name, definition: routineDefinition(source.returns, source.language, source.body), pinnedSearchPath: true, attributes: [PINNED_SEARCH_PATH] };
}
