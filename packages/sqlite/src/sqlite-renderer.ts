import {
  autoUpdateTriggerName, type Column, type ColumnConstraints, type ColumnDefault, type ForeignKey, MigrateError, type Operation, type CleanupExpiredSessionsRoutine, type Table, type View,
} from "@better-auth/migrate-core";
import { quoteIdentifier as q, quoteLiteral } from "./sqlite-quote.js";

/**
 * Timestamps are ISO-8601 text in UTC with milliseconds (`2100-01-01T12:34:56.789Z`, what
 * `Date.prototype.toISOString()` gives). One fixed-width format compares correctly as text, so the
 * view and the cleanup can compare with `now` directly; a CHECK refuses any other spelling.
 */
export const SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
const ISO_TIMESTAMP_GLOB = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'";
/** IPv6 text is at most 45 characters (with an embedded IPv4 address). */
const IP_ADDRESS_MAX_LENGTH = 45;

/** Renders neutral operations to SQLite DDL. Deterministic: the same input gives the same text. */
export class SqliteRenderer {
  render(op: Operation): string[] {
    switch (op.kind) {
      case "createTable":
        return this.createTable(op.table);
      case "dropTable":
        return [`DROP TABLE ${q(op.table.name)}`];
      case "addColumn":
        return this.addColumn(op.table, op.column, op.constraints);
      case "dropColumn":
        return [
          ...(op.column.autoUpdate ? [`DROP TRIGGER ${q(autoUpdateTriggerName(op.table, op.column.name))}`] : []),
          ...(op.constraints.unique ? [`DROP INDEX ${q(op.constraints.unique.name)}`] : []),
          `ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column.name)}`,
        ];
      case "createIndex":
        return [this.createIndex(op.table, op.index.name, op.index.columns)];
      case "dropIndex":
        return [`DROP INDEX ${q(op.index.name)}`];
      case "createView":
        return [this.createView(op.view)];
      case "dropView":
        return [`DROP VIEW ${q(op.view.name)}`];
      case "createRoutine":
      case "dropRoutine":
        // SQLite has no stored functions: updated_at is kept by a trigger per table (created with
        // the table) and the session cleanup is a DELETE sent by the adapter.
        return [];
    }
  }

  /** The DELETE behind `cleanupExpiredSessions()`. */
  cleanupStatement(routine: CleanupExpiredSessionsRoutine): string {
    return `DELETE FROM ${q(routine.table)} WHERE ${q(routine.expiresAt)} <= ${SQL_NOW} OR ${q(routine.active)} = 0`;
  }

  private createTable(table: Table): string[] {
    const lines = [
      ...table.columns.map((c) => this.columnDefinition(c)),
      `CONSTRAINT ${q(table.primaryKey.name)} PRIMARY KEY (${columnList(table.primaryKey.columns)})`,
      ...table.uniques.map((u) => `CONSTRAINT ${q(u.name)} UNIQUE (${columnList(u.columns)})`),
      ...table.foreignKeys.map((fk) => this.foreignKey(fk)),
      ...table.checks.map((c) => `CONSTRAINT ${q(c.name)} CHECK (${q(c.column)} IN (${c.values.map(quoteLiteral).join(", ")}))`),
    ];
    // SQLite keeps the CREATE TABLE text, comment included, in sqlite_schema: the comment stays
    // readable there. STRICT makes the declared types binding.
    return [
      `CREATE TABLE ${q(table.name)} (\n  -- ${table.comment.replaceAll("\n", " ")}\n  ${lines.join(",\n  ")}\n) STRICT`,
      ...table.indexes.map((i) => this.createIndex(table.name, i.name, i.columns)),
      ...table.columns.filter((c) => c.autoUpdate).map((c) => this.autoUpdateTrigger(table.name, c.name)),
    ];
  }

  private addColumn(table: string, column: Column, constraints: ColumnConstraints): string[] {
    if (column.default?.kind === "now") {
      throw new MigrateError(
        "UNSUPPORTED_BY_DIALECT",
        `SQLite cannot add column ${table}.${column.name} to an existing table with the current time as its default.`,
        { hint: "Make the column nullable without a default, or give it a constant default." },
      );
    }
    // ALTER TABLE … ADD COLUMN takes a foreign key and a check inline, but not UNIQUE: that becomes a unique index.
    const fk = constraints.foreignKey ? ` ${this.inlineReference(constraints.foreignKey)}` : "";
    const check = constraints.check
      ? ` CONSTRAINT ${q(constraints.check.name)} CHECK (${q(column.name)} IN (${constraints.check.values.map(quoteLiteral).join(", ")}))`
      : "";
    return [
      `ALTER TABLE ${q(table)} ADD COLUMN ${this.columnDefinition(column)}${fk}${check}`,
      ...(constraints.unique ? [`CREATE UNIQUE INDEX ${q(constraints.unique.name)} ON ${q(table)} (${columnList(constraints.unique.columns)})`] : []),
      ...(column.autoUpdate ? [this.autoUpdateTrigger(table, column.name)] : []),
    ];
  }

  private columnDefinition(column: Column): string {
    const name = q(column.name);
    const notNull = column.nullable ? "" : " NOT NULL";
    const defaultValue = column.default ? ` DEFAULT ${renderDefault(column.default)}` : "";
    return `${name} ${this.columnType(column)}${notNull}${defaultValue}${this.typeCheck(column)}`;
  }

  private columnType(column: Column): string {
    return column.type === "boolean" || column.type === "integer" ? "INTEGER" : "TEXT";
  }

  /** SQLite has no boolean, timestamp or JSON types: a CHECK keeps each column to its logical type. */
  private typeCheck(column: Column): string {
    const c = q(column.name);
    switch (column.type) {
      case "boolean":
        return ` CHECK (${c} IN (0, 1))`;
      case "timestamp":
        return ` CHECK (${c} GLOB ${ISO_TIMESTAMP_GLOB})`;
      case "json":
        return ` CHECK (json_valid(${c}))`;
      case "ipAddress":
        return ` CHECK (length(${c}) <= ${IP_ADDRESS_MAX_LENGTH})`;
      default:
        return "";
    }
  }

  private foreignKey(fk: ForeignKey): string {
    return `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) ${this.inlineReference(fk)}`;
  }

  private inlineReference(fk: ForeignKey): string {
    return `REFERENCES ${q(fk.references.table)} (${columnList(fk.references.columns)}) ON DELETE ${fk.onDelete.toUpperCase()}`;
  }

  private createIndex(table: string, name: string, columns: readonly string[]): string {
    return `CREATE INDEX ${q(name)} ON ${q(table)} (${columnList(columns)})`;
  }

  /**
   * SQLite triggers cannot change NEW, so an AFTER UPDATE trigger writes the column. It fires only
   * when the update left the column alone (an explicit value wins, as with MySQL's ON UPDATE), and its
   * own UPDATE changes the column, so it never fires itself again, even with recursive_triggers on.
   */
  private autoUpdateTrigger(table: string, column: string): string {
    const c = q(column);
    return (
      `CREATE TRIGGER ${q(autoUpdateTriggerName(table, column))} AFTER UPDATE ON ${q(table)} FOR EACH ROW WHEN NEW.${c} IS OLD.${c}\n` +
      `BEGIN\n  UPDATE ${q(table)} SET ${c} = ${SQL_NOW} WHERE rowid = NEW.rowid AND ${c} IS NOT ${SQL_NOW};\nEND`
    );
  }

  private createView(view: View): string {
    const ref = (c: { table: string; column: string }) => `${q(c.table)}.${q(c.column)}`;
    const where = view.where.map((c) => (c.kind === "isTrue" ? `${ref(c.column)} = 1` : `${ref(c.column)} > ${SQL_NOW}`));
    return [
      `CREATE VIEW ${q(view.name)} AS`,
      `-- ${view.comment}`,
      `SELECT ${view.select.map(ref).join(", ")}`,
      `FROM ${q(view.from.table)} AS ${q(view.from.alias)}`,
      `JOIN ${q(view.join.table)} AS ${q(view.join.alias)} ON ${ref(view.join.on.left)} = ${ref(view.join.on.right)}`,
      `WHERE ${where.join(" AND ")}`,
    ].join("\n");
  }
}

function columnList(columns: readonly string[]): string {
  return columns.map(q).join(", ");
}

function renderDefault(value: ColumnDefault): string {
  switch (value.kind) {
    case "now":
      return `(${SQL_NOW})`;
    case "json":
      return quoteLiteral(JSON.stringify(value.value));
    case "value":
      if (typeof value.value === "boolean") return value.value ? "1" : "0";
      return typeof value.value === "string" ? quoteLiteral(value.value) : String(value.value);
  }
}
