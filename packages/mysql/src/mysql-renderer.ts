import {
  hasMatchingIndex, type CheckSnapshot, type CleanupExpiredSessionsRoutine, type Column, type ColumnConstraints, type ColumnDefault, type ColumnSnapshot, type ColumnType,
  type DialectRenderer, type ForeignKey, type ForeignKeySnapshot, type IndexSnapshot, type KeyConstraint, MigrateError, type Operation, type ReferentialAction,
  type SchemaModel, type SchemaSnapshot, type Table, type TableSnapshot, type View, type ViewSnapshot,
} from "@better-auth/migrate-core";
import {
  normalizeColumnType, normalizeDefaultExpression, normalizeReferentialAction, normalizeSqlText,
} from "./mysql-normal-form.js";
import { quoteIdentifier as q, quoteLiteral } from "./mysql-quote.js";

/** The assignments of {@link SESSION_SETUP_SQL}, for statements that set more. */
export const SESSION_SETTINGS =
  "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";

/**
 * What every connection the adapter opens runs first. Strict mode, so that a NOT NULL column is
 * never filled with '' or a zero date in silence; UTC, because DATETIME keeps no time zone and
 * `CURRENT_TIMESTAMP` (defaults, ON UPDATE) follows the session's. Run the same on the connections
 * of an application that writes to these tables.
 */
export const SESSION_SETUP_SQL = `SET SESSION ${SESSION_SETTINGS}`;

/** The current instant in UTC with milliseconds, whatever the session's time zone (view, cleanup). */
export const SQL_UTC_NOW = "UTC_TIMESTAMP(3)";
/** IPv6 text is at most 45 characters (with an embedded IPv4 address). */
const IP_ADDRESS_MAX_LENGTH = 45;
/** Short strings and ids: 255 characters of utf8mb4 are 1,020 bytes, within InnoDB's 3,072-byte key limit. */
const STRING_LENGTH = 255;
const BYTES_PER_CHARACTER = 4;
/** InnoDB's limit on the bytes of one index key (DYNAMIC and COMPRESSED row formats, the default). */
const MAX_KEY_BYTES = 3072;
/**
 * Every table: InnoDB, utf8mb4, and a binary collation, so that equality and unique keys mean what
 * they mean on PostgreSQL and SQLite: `Token` and `token` are different values.
 */
const TABLE_OPTIONS = "ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin";
/** MySQL names every primary key PRIMARY, whatever the DDL said. */
const PRIMARY_KEY_NAME = "PRIMARY";

/**
 * Live column types (in normal form) that hold a logical type's values as well as the one we render,
 * so a hand-made database that uses them is not in drift:
 * - long text: MEDIUMTEXT and LONGTEXT hold more than TEXT;
 * - booleans: a bare TINYINT holds 0 and 1 (BOOLEAN is TINYINT(1));
 * - IP addresses: VARCHAR(255) and TEXT hold any IPv6 text.
 * Not accepted: DATETIME without fraction or TIMESTAMP for instants (milliseconds lost; 2038), or
 * DATETIME(6), because adoption restores a missing ON UPDATE with the model's column definition,
 * which would narrow it; LONGTEXT without a json_valid check for JSON (no longer checked).
 */
const ALSO_ACCEPTED: Partial<Record<ColumnType, readonly string[]>> = {
  text: ["mediumtext", "longtext"],
  boolean: ["tinyint"],
  ipAddress: ["varchar(255)", "text"],
};

/**
 * Renders neutral operations to MySQL 8 / MariaDB 10.11 DDL. Each operation becomes at most one
 * statement (indexes, keys and checks inline), because MySQL commits every DDL statement on its
 * own: the runner records progress per statement and must be able to tell whether one took effect.
 * Only syntax both servers accept is rendered. Deterministic: the same input gives the same text.
 */
export class MysqlRenderer implements DialectRenderer {
  /** MySQL alters every column in place and keeps views as text: it needs nothing of the model before. */
  render(op: Operation, _before: SchemaModel): string[] {
    switch (op.kind) {
      case "createTable":
        return [this.createTable(op.table, "CREATE TABLE")];
      case "dropTable":
        return [`DROP TABLE ${q(op.table.name)}`];
      case "addColumn":
        return [this.addColumn(op.table, op.column, op.constraints)];
      case "dropColumn":
        return [this.dropColumn(op.table, op.column, op.constraints)];
      case "alterColumn":
        // MySQL keeps a view as text and reads the column anew: its views need nothing.
        return [`ALTER TABLE ${q(op.table)} MODIFY COLUMN ${columnDefinition(op.to)}`];
      case "createIndex":
        return [createIndex(op.table, op.index)];
      case "dropIndex":
        return [`DROP INDEX ${q(op.index.name)} ON ${q(op.table)}`];
      case "createView":
        return [createView(op.view, "CREATE")];
      case "dropView":
        return [`DROP VIEW ${q(op.view.name)}`];
      case "createRoutine":
      case "dropRoutine":
        // updated_at is kept by ON UPDATE, and the session cleanup is a DELETE sent by the adapter.
        return [];
    }
  }

  /** SQL files run in a client's session: utf8mb4 for the text, and the adapter's own settings. */
  filePreamble(): string[] {
    return ["SET NAMES utf8mb4", SESSION_SETUP_SQL];
  }

  /** The DELETE behind `cleanupExpiredSessions()`, all at once (for a client's own use; the adapter deletes in batches). */
  cleanupStatement(routine: CleanupExpiredSessionsRoutine): string {
    return `DELETE FROM ${q(routine.table)} WHERE ${cleanupCondition(routine)}`;
  }

  /**
   * The batched cleanup, step one: the keys of the next `size` sessions to delete, in key order,
   * after the key bound to `?` (the first batch binds nothing). A plain SELECT: a consistent read
   * that locks nothing.
   */
  cleanupBatchKeys(routine: CleanupExpiredSessionsRoutine, key: string, size: number, after: boolean): string {
    const from = after ? `${q(key)} > ? AND ` : "";
    return `SELECT ${q(key)} FROM ${q(routine.table)} WHERE ${from}(${cleanupCondition(routine)}) ORDER BY ${q(key)} LIMIT ${size}`;
  }

  /**
   * Step two: deletes `count` sessions by key (bound to the `?`), those still expired or inactive
   * (one may have been renewed since step one). Lookups by primary key lock those rows only, not the
   * gaps between them: sign-ins insert meanwhile.
   */
  cleanupBatchDelete(routine: CleanupExpiredSessionsRoutine, key: string, count: number): string {
    return `DELETE FROM ${q(routine.table)} WHERE ${q(key)} IN (${Array.from({ length: count }, () => "?").join(", ")}) AND (${cleanupCondition(routine)})`;
  }

  /**
   * The model as MySQL builds it, in the normal form {@link MysqlIntrospector} reports: the
   * rendered types, defaults, check conditions and view query passed through the same
   * normalisation as what the server reports. Foreign keys that no index of the table serves get
   * the index InnoDB creates for them, named after the key.
   */
  describe(model: SchemaModel): SchemaSnapshot {
    return { tables: model.tables.map(describeTable), views: model.views.map(describeView), routines: [] };
  }

  /**
   * For an operation whose tables or columns exist already (a database made by hand, being adopted):
   * the statements that bring what holds no data to the model, each safe to run again.
   * - createTable: CREATE INDEX for each of its indexes the live table lacks (matched by columns,
   *   as the comparison does); MODIFY COLUMN with the model's definition for an autoUpdate column
   *   without ON UPDATE whose type, nullability and default already match (otherwise the column
   *   differs in what it holds and adoption stops on it); the table's comment.
   * - addColumn: the same ON UPDATE repair for the column.
   * - createIndex: the index, if the live table lacks one on its columns.
   * - createView: CREATE OR REPLACE of the view.
   * - createRoutine and every drop: nothing (MySQL renders no routines; adoption only creates).
   */
  reconcile(op: Operation, live: SchemaSnapshot): string[] {
    switch (op.kind) {
      case "createTable": {
        const table = live.tables.find((t) => t.name === op.table.name);
        if (!table) return [];
        return [
          ...op.table.indexes.filter((index) => !hasIndex(table, index.columns)).map((index) => createIndex(op.table.name, index)),
          ...op.table.columns.flatMap((column) => this.restoreOnUpdate(op.table.name, column, table)),
          `ALTER TABLE ${q(op.table.name)} COMMENT = ${quoteLiteral(op.table.comment)}`,
        ];
      }
      case "addColumn": {
        const table = live.tables.find((t) => t.name === op.table);
        return table ? this.restoreOnUpdate(op.table, op.column, table) : [];
      }
      case "createIndex": {
        const table = live.tables.find((t) => t.name === op.table);
        return table && !hasIndex(table, op.index.columns) ? [createIndex(op.table, op.index)] : [];
      }
      case "createView":
        return [createView(op.view, "CREATE OR REPLACE")];
      default:
        return [];
    }
  }

  createTableIfMissing(table: Table): string[] {
    return [this.createTable(table, "CREATE TABLE IF NOT EXISTS")];
  }

  tableName(name: string): string {
    return q(name);
  }

  // Properties, not methods: core passes them around unbound (`const column = renderer.quoteIdentifier`).
  readonly quoteIdentifier = q;
  readonly quoteLiteral = quoteLiteral;

  /**
   * `MODIFY COLUMN` with the model's whole definition, for an autoUpdate column whose ON UPDATE is
   * missing: MySQL has no way to add ON UPDATE alone. Only when type, nullability and default
   * already match, so that the statement changes nothing the column holds.
   */
  private restoreOnUpdate(table: string, column: Column, live: TableSnapshot): string[] {
    if (!column.autoUpdate) return [];
    const actual = live.columns.find((c) => c.name === column.name);
    const expected = describeColumn(column);
    if (!actual || actual.autoUpdate || actual.type !== expected.type || actual.nullable !== expected.nullable || actual.default !== expected.default) return [];
    return [`ALTER TABLE ${q(table)} MODIFY COLUMN ${columnDefinition(column)}`];
  }

  private createTable(table: Table, create: "CREATE TABLE" | "CREATE TABLE IF NOT EXISTS"): string {
    const columnOf = (name: string) => table.columns.find((c) => c.name === name)!;
    for (const key of [table.primaryKey, ...table.uniques, ...table.indexes]) assertIndexable(table.name, key, key.columns.map(columnOf));
    const lines = [
      ...table.columns.map(columnDefinition),
      `CONSTRAINT ${q(table.primaryKey.name)} PRIMARY KEY (${columnList(table.primaryKey.columns)})`,
      ...table.uniques.map((u) => `CONSTRAINT ${q(u.name)} UNIQUE KEY (${columnList(u.columns)})`),
      ...table.indexes.map((i) => `INDEX ${q(i.name)} (${columnList(i.columns)})`),
      ...table.foreignKeys.map((fk) => `CONSTRAINT ${q(fk.name)} ${references(fk)}`),
      ...table.checks.map((c) => `CONSTRAINT ${q(c.name)} CHECK (${allowedValues(c.column, c.values)})`),
    ];
    return `${create} ${q(table.name)} (\n  ${lines.join(",\n  ")}\n) ${TABLE_OPTIONS} COMMENT = ${quoteLiteral(table.comment)}`;
  }

  private addColumn(table: string, column: Column, constraints: ColumnConstraints): string {
    const parts = [`ADD COLUMN ${columnDefinition(column)}`];
    if (constraints.unique) {
      assertIndexable(table, constraints.unique, [column]);
      parts.push(`ADD CONSTRAINT ${q(constraints.unique.name)} UNIQUE KEY (${columnList(constraints.unique.columns)})`);
    }
    if (constraints.foreignKey) parts.push(`ADD CONSTRAINT ${q(constraints.foreignKey.name)} ${references(constraints.foreignKey)}`);
    if (constraints.check) parts.push(`ADD CONSTRAINT ${q(constraints.check.name)} CHECK (${allowedValues(constraints.check.column, constraints.check.values)})`);
    return `ALTER TABLE ${q(table)}\n  ${parts.join(",\n  ")}`;
  }

  /**
   * MySQL refuses to drop a column that a check or a foreign key names, so they go in the same
   * statement; the column's unique key and the index InnoDB made for its foreign key go with it.
   */
  private dropColumn(table: string, column: Column, constraints: ColumnConstraints): string {
    const parts = [
      ...(constraints.check ? [`DROP CONSTRAINT ${q(constraints.check.name)}`] : []),
      ...(constraints.foreignKey ? [`DROP FOREIGN KEY ${q(constraints.foreignKey.name)}`] : []),
      `DROP COLUMN ${q(column.name)}`,
    ];
    return `ALTER TABLE ${q(table)}\n  ${parts.join(",\n  ")}`;
  }

}

/** A session the cleanup deletes: expired (compared in UTC, whatever the session's zone) or inactive. */
function cleanupCondition(routine: CleanupExpiredSessionsRoutine): string {
  return `${q(routine.expiresAt)} <= ${SQL_UTC_NOW} OR NOT ${q(routine.active)}`;
}

function columnDefinition(column: Column): string {
  const type = columnType(column);
  const notNull = column.nullable ? " NULL" : " NOT NULL";
  const defaultValue = column.default ? ` DEFAULT ${renderDefault(column.default, column)}` : "";
  const onUpdate = column.autoUpdate ? " ON UPDATE CURRENT_TIMESTAMP(3)" : "";
  return `${q(column.name)} ${type}${notNull}${defaultValue}${onUpdate}`;
}

function createIndex(table: string, index: KeyConstraint): string {
  return `CREATE INDEX ${q(index.name)} ON ${q(table)} (${columnList(index.columns)})`;
}

/**
 * A view that reads with the privileges of whoever queries it (SQL SECURITY INVOKER), so it does
 * not depend on the account that ran the migration still existing. Adoption replaces a hand-made
 * view of the same name (CREATE OR REPLACE), which is safe to run again.
 */
function createView(view: View, create: "CREATE" | "CREATE OR REPLACE"): string {
  return `${create} SQL SECURITY INVOKER VIEW ${q(view.name)} AS\n${viewQuery(view)}`;
}

function viewQuery(view: View): string {
  const ref = (c: { table: string; column: string }) => `${q(c.table)}.${q(c.column)}`;
  const where = view.where.map((c) => (c.kind === "isTrue" ? `${ref(c.column)} = TRUE` : `${ref(c.column)} > ${SQL_UTC_NOW}`));
  return [
    `SELECT ${view.select.map(ref).join(", ")}`,
    `FROM ${q(view.from.table)} AS ${q(view.from.alias)}`,
    `JOIN ${q(view.join.table)} AS ${q(view.join.alias)} ON ${ref(view.join.on.left)} = ${ref(view.join.on.right)}`,
    `WHERE ${where.join(" AND ")}`,
  ].join("\n");
}

// --- describe: the model in the introspector's normal form -------------------------------------

function describeTable(table: Table): TableSnapshot {
  const indexes: IndexSnapshot[] = table.indexes.map((index) => ({ name: index.name, columns: index.columns, unique: false, method: "btree" }));
  const keys = [table.primaryKey, ...table.uniques, ...indexes];
  return {
    name: table.name,
    columns: table.columns.map(describeColumn),
    primaryKey: { name: PRIMARY_KEY_NAME, columns: table.primaryKey.columns },
    uniques: table.uniques.map((key) => ({ name: key.name, columns: key.columns })),
    foreignKeys: table.foreignKeys.map(describeForeignKey),
    checks: table.checks.map((check): CheckSnapshot => ({ name: check.name, expression: normalizeSqlText(allowedValues(check.column, check.values)) })),
    indexes: [...indexes, ...table.foreignKeys.filter((fk) => !keys.some((key) => startsWith(key.columns, fk.columns))).map(foreignKeyIndex)],
  };
}

function describeColumn(column: Column): ColumnSnapshot {
  const alsoAccepted = ALSO_ACCEPTED[column.type];
  return {
    name: column.name,
    type: normalizeColumnType(columnType(column)),
    ...(alsoAccepted ? { alsoAccepted } : {}),
    nullable: column.nullable,
    default: column.default ? normalizeDefaultExpression(renderDefault(column.default, column)) : null,
    autoUpdate: column.autoUpdate === true,
  };
}

function describeForeignKey(fk: ForeignKey): ForeignKeySnapshot {
  return { name: fk.name, columns: fk.columns, references: { table: fk.references.table, columns: fk.references.columns }, onDelete: normalizeReferentialAction(fk.onDelete) };
}

/** InnoDB needs an index whose leading columns are a foreign key's; without one it creates one, named after the key. */
function foreignKeyIndex(fk: ForeignKey): IndexSnapshot {
  return { name: fk.name, columns: fk.columns, unique: false, method: "btree" };
}

function startsWith(columns: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= columns.length && prefix.every((c, i) => columns[i] === c);
}

function describeView(view: View): ViewSnapshot {
  return { name: view.name, columns: view.select.map((c) => c.column), definition: normalizeSqlText(viewQuery(view)) };
}

/** A plain index on these columns, as the drift comparison matches them. */
function hasIndex(table: TableSnapshot, columns: readonly string[]): boolean {
  return hasMatchingIndex(table, { columns, unique: false, method: "btree" });
}

/** The column's MySQL type, as CREATE TABLE and MODIFY COLUMN write it. */
export function columnType(column: Column): string {
  switch (column.type) {
    case "id":
    case "string":
      return `VARCHAR(${STRING_LENGTH})`;
    case "text":
      return "TEXT";
    case "boolean":
      return "BOOLEAN";
    case "timestamp":
      // DATETIME, not TIMESTAMP: TIMESTAMP ends in 2038. DATETIME keeps no time zone, so every
      // connection the adapter opens uses UTC, and the view and cleanup compare with UTC_TIMESTAMP.
      return "DATETIME(3)";
    case "json":
      // MySQL 8: a native JSON type; MariaDB: LONGTEXT with a json_valid check, added by the server.
      return "JSON";
    case "ipAddress":
      return `VARCHAR(${IP_ADDRESS_MAX_LENGTH})`;
    case "integer":
      return "INT";
    default:
      return unknownInModel("column type", column.type);
  }
}

/**
 * A value the model's checks (core's `validate.ts`) let through only in its known set: reaching
 * here means the model was built around them, and nothing is rendered from it.
 */
function unknownInModel(what: string, value: never): never {
  throw new TypeError(`The model holds an unknown ${what} ${JSON.stringify(String(value))}; build tables with defineTable and extensions with defineExtension.`);
}

/**
 * MySQL's parser takes SET DEFAULT but InnoDB rejects the table (MariaDB builds it): refused here,
 * before anything runs, since only what both servers build is rendered.
 */
const REFERENTIAL_ACTIONS: Readonly<Record<ReferentialAction, string | undefined>> = {
  cascade: "CASCADE",
  restrict: "RESTRICT",
  "set null": "SET NULL",
  "set default": undefined,
  "no action": "NO ACTION",
};

function referentialAction(fk: ForeignKey): string {
  if (!Object.hasOwn(REFERENTIAL_ACTIONS, fk.onDelete)) return unknownInModel("onDelete action", fk.onDelete as never);
  return (
    REFERENTIAL_ACTIONS[fk.onDelete] ??
    unsupported(`MySQL's InnoDB rejects ON DELETE SET DEFAULT (${fk.name}).`, `Use "set null" on a nullable column, or "cascade", "restrict" or "no action".`)
  );
}

function unsupported(message: string, hint: string): never {
  throw new MigrateError("UNSUPPORTED_BY_DIALECT", message, { hint });
}

/** Bytes a column takes in an index key; undefined for types that cannot be indexed whole. */
function keyBytes(column: Column): number | undefined {
  switch (column.type) {
    case "id":
    case "string":
      return STRING_LENGTH * BYTES_PER_CHARACTER;
    case "ipAddress":
      return IP_ADDRESS_MAX_LENGTH * BYTES_PER_CHARACTER;
    case "boolean":
      return 1;
    case "integer":
      return 4;
    case "timestamp":
      return 7;
    case "text":
    case "json":
      return undefined;
  }
}

/** Keys MySQL cannot build are refused when rendering, before anything runs. */
function assertIndexable(table: string, key: KeyConstraint, columns: readonly Column[]): void {
  let total = 0;
  for (const column of columns) {
    const bytes = keyBytes(column);
    if (bytes === undefined) {
      throw new MigrateError("UNSUPPORTED_BY_DIALECT", `MySQL cannot index the ${column.type} column ${table}.${column.name} (${key.name}).`, {
        hint: `Give ${column.name} the type "string" (up to ${STRING_LENGTH} characters) to put it in a key or an index.`,
      });
    }
    total += bytes;
  }
  if (total > MAX_KEY_BYTES) {
    throw new MigrateError("UNSUPPORTED_BY_DIALECT", `${key.name} on ${table} would need ${total} bytes per key; InnoDB allows ${MAX_KEY_BYTES}.`, {
      hint: "Put fewer string columns in the key.",
    });
  }
}

function references(fk: ForeignKey): string {
  return `FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${q(fk.references.table)} (${columnList(fk.references.columns)}) ON DELETE ${referentialAction(fk)}`;
}

/** The condition of a check that the column holds one of `values` (enforced by MariaDB and MySQL 8.0.16+). */
function allowedValues(column: string, values: readonly string[]): string {
  return `${q(column)} IN (${values.map(quoteLiteral).join(", ")})`;
}

function columnList(columns: readonly string[]): string {
  return columns.map(q).join(", ");
}

/**
 * MySQL 8 takes a default for TEXT and JSON columns only as an expression in parentheses (8.0.13+);
 * MariaDB accepts that form too, so it is used for those types on both.
 */
function renderDefault(value: ColumnDefault, column: Column): string {
  const asExpression = column.type === "text" || column.type === "json";
  switch (value.kind) {
    case "now":
      return "CURRENT_TIMESTAMP(3)";
    case "json":
      return `(${quoteLiteral(JSON.stringify(value.value))})`;
    case "value": {
      const v: unknown = value.value;
      const literal =
        typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : typeof v === "number" ? finiteNumber(v) : typeof v === "string" ? quoteLiteral(v) : unknownInModel("default value", v as never);
      return asExpression ? `(${literal})` : literal;
    }
    default:
      return unknownInModel("default kind", (value as { kind: never }).kind);
  }
}

function finiteNumber(n: number): string {
  if (!Number.isFinite(n)) throw new MigrateError("INVALID_DEFAULT", `A default of ${n} cannot be stored.`, { hint: "Use a finite number." });
  return String(n);
}
