import { createHash } from "node:crypto";
import type { AllowedValuesCheck, Column, ForeignKey, KeyConstraint, Routine, Table, View } from "../model/types.js";
import type { ColumnConstraints, Migration, Operation } from "./operations.js";

/**
 * What a migration means, as plain data: the fields that decide what it builds in a database, and
 * nothing else. Prose (comments, the migration's name) is left out, and so is every optional field
 * while it holds its default, so that a release may reword a comment or add an optional model field
 * without changing the checksum of a migration that was already applied. A field added to the model
 * later must be added here the same way: only when it differs from its default.
 */
function meaningOf(migration: Migration): unknown {
  return { id: migration.id, up: migration.up.map(operationMeaning) };
}

function operationMeaning(op: Operation): unknown {
  switch (op.kind) {
    case "createTable":
    case "dropTable":
      return { kind: op.kind, table: tableMeaning(op.table) };
    case "addColumn":
    case "dropColumn":
      return { kind: op.kind, table: op.table, column: columnMeaning(op.column), constraints: constraintsMeaning(op.constraints) };
    case "alterColumn":
      return { kind: op.kind, table: op.table, from: columnMeaning(op.from), to: columnMeaning(op.to) };
    case "createIndex":
    case "dropIndex":
      return { kind: op.kind, table: op.table, index: keyMeaning(op.index) };
    case "createView":
    case "dropView":
      return { kind: op.kind, view: viewMeaning(op.view) };
    case "createRoutine":
    case "dropRoutine":
      return { kind: op.kind, routine: routineMeaning(op.routine) };
  }
}

function tableMeaning(table: Table): unknown {
  return {
    name: table.name,
    columns: table.columns.map(columnMeaning),
    primaryKey: keyMeaning(table.primaryKey),
    uniques: table.uniques.map(keyMeaning),
    foreignKeys: table.foreignKeys.map(foreignKeyMeaning),
    checks: table.checks.map(checkMeaning),
    indexes: table.indexes.map(keyMeaning),
  };
}

/** What a column means: the checksum's view of it, also how column definitions are compared. */
export function columnMeaning(column: Column): unknown {
  return {
    name: column.name,
    type: column.type,
    nullable: column.nullable,
    ...(column.default ? { default: column.default } : {}),
    ...(column.autoUpdate ? { autoUpdate: true } : {}),
  };
}

const keyMeaning = (key: KeyConstraint) => ({ name: key.name, columns: key.columns });

const foreignKeyMeaning = (fk: ForeignKey) => ({
  name: fk.name,
  columns: fk.columns,
  references: { table: fk.references.table, columns: fk.references.columns },
  onDelete: fk.onDelete,
});

const checkMeaning = (check: AllowedValuesCheck) => ({ name: check.name, column: check.column, values: check.values });

function constraintsMeaning(c: ColumnConstraints): unknown {
  return {
    ...(c.unique ? { unique: keyMeaning(c.unique) } : {}),
    ...(c.foreignKey ? { foreignKey: foreignKeyMeaning(c.foreignKey) } : {}),
    ...(c.check ? { check: checkMeaning(c.check) } : {}),
  };
}

const viewMeaning = (view: View) => ({ name: view.name, from: view.from, join: view.join, select: view.select, where: view.where });

function routineMeaning(routine: Routine): unknown {
  switch (routine.kind) {
    case "touchUpdatedAt":
      return { kind: routine.kind, name: routine.name };
    case "cleanupExpiredSessions":
      return { kind: routine.kind, name: routine.name, table: routine.table, expiresAt: routine.expiresAt, active: routine.active };
  }
}

/** JSON with object keys sorted, so that the same meaning always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The checksum of a migration: SHA-256 of its meaning ({@link meaningOf}), not of the SQL an
 * adapter renders and not of its comments. A release that only changes how a migration renders or
 * rewords a comment therefore does not alarm databases where it was applied; a change to what the
 * migration builds (a column added, a type changed, a key renamed) does.
 */
export function migrationChecksum(migration: Migration): string {
  return createHash("sha256").update(canonicalJson(meaningOf(migration))).digest("hex");
}
