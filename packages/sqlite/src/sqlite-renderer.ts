import {
  hasMatchingIndex, type AllowedValuesCheck, autoUpdateTriggerName, type CleanupExpiredSessionsRoutine, type Column, type ColumnConstraints, type ColumnDefault, type ColumnSnapshot,
  type ColumnType, type DialectRenderer, type ForeignKey, type IndexSnapshot, MigrateError, type Operation, type ReferentialAction, type SchemaModel, type SchemaSnapshot, type Table,
  type TableSnapshot, type View, type ViewSnapshot, applyOperation,
} from "@better-auth/migrate-core";
import { foldedType, isLogicalType, normalDefault, normalExpression, normalType, viewDefinition } from "./sqlite-normal-form.js";
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

/**
 * Other declared types a hand-made database uses that hold the same values as ours, so that it can
 * be adopted (see `describe`). SQLite ignores lengths, and a column keeps what it is given unless its
 * type affinity converts it: TEXT-affinity types (`varchar(n)`) store text exactly as TEXT does;
 * NUMERIC-affinity types (`datetime`, `timestamp`, `boolean`, `json`) convert only text that reads as
 * a number, which an ISO-8601 instant or a JSON object never does, and store 0 and 1 as INTEGER does.
 * A hand-made column without our type CHECK (plain `text` for a timestamp) holds the same values but
 * would not refuse a wrongly spelled one: drift compares definitions, not data, and adoption never
 * rebuilds a table to add the check, so it is accepted.
 */
const ALSO_ACCEPTED: Readonly<Record<ColumnType, readonly string[]>> = {
  id: ["varchar(255)", "varchar(36)", "char(36)"],
  string: ["varchar(255)"],
  text: ["varchar(255)"],
  boolean: ["integer", "boolean"],
  timestamp: ["text", "datetime", "timestamp"],
  json: ["text", "json"],
  ipAddress: ["text", "varchar(45)"],
  integer: ["int", "bigint"],
};

interface DdlOptions {
  /** IF NOT EXISTS on every CREATE: for the ledger in SQL files, and for objects adoption creates. */
  readonly ifNotExists?: boolean;
}

/** Renders neutral operations to SQLite DDL. Deterministic: the same input gives the same text. */
export class SqliteRenderer implements DialectRenderer {
  render(op: Operation, before: SchemaModel): string[] {
    switch (op.kind) {
      case "createTable":
        return this.createTable(op.table);
      case "dropTable":
        // The session runs migrations with foreign keys off, so the DROP neither deletes nor changes
        // the rows of other tables that reference this one: it is refused if any are left pointing at it.
        return [
          ...refuseUnless(foreignKeysOffWhileReferenced(op.table.name), `foreign keys are enforced on this connection and other tables reference ${op.table.name}: run PRAGMA foreign_keys = OFF before this file`),
          `DROP TABLE ${q(op.table.name)}`,
          ...refuseUnless(danglingReferences(op.table.name), `other tables have rows that reference ${op.table.name}; drop refused`),
        ];
      case "addColumn":
        // SQLite adds a column whose default is not a constant only to an empty table: the table is rebuilt.
        return op.column.default?.kind === "now" ? this.rebuild(op.table, before, applyOperation(before, op)) : this.addColumn(op.table, op.column, op.constraints);
      case "alterColumn":
        // SQLite cannot change a column's type or its CHECK in place.
        return this.rebuild(op.table, before, applyOperation(before, op));
      case "dropColumn":
        return [
          ...(op.column.autoUpdate ? [`DROP TRIGGER ${q(autoUpdateTriggerName(op.table, op.column.name))}`] : []),
          ...(op.constraints.unique ? [`DROP INDEX ${q(op.constraints.unique.name)}`] : []),
          `ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column.name)}`,
        ];
      case "createIndex":
        return [createIndex(op.table, op.index.name, op.index.columns)];
      case "dropIndex":
        return [`DROP INDEX ${q(op.index.name)}`];
      case "createView":
        return [createView(op.view)];
      case "dropView":
        return [`DROP VIEW ${q(op.view.name)}`];
      case "createRoutine":
      case "dropRoutine":
        // SQLite has no stored functions: updated_at is kept by a trigger per table (created with
        // the table) and the session cleanup is a DELETE sent by the adapter.
        return [];
    }
  }

  /** SQLite has no session settings that change what the DDL means. */
  filePreamble(): string[] {
    return [];
  }

  /** The DELETE behind `cleanupExpiredSessions()`, all at once: for people who run it as SQL. */
  cleanupStatement(routine: CleanupExpiredSessionsRoutine): string {
    return `DELETE FROM ${q(routine.table)} WHERE ${cleanupCondition(routine)}`;
  }

  /**
   * One batch of `cleanupExpiredSessions()`: at most `limit` of the sessions to delete, picked by
   * rowid. Each runs as a transaction of its own, so SQLite's write lock is held for one batch at
   * a time, not for the whole cleanup; the cleanup repeats it until a batch deletes fewer.
   */
  cleanupBatchStatement(routine: CleanupExpiredSessionsRoutine, limit: number): string {
    const table = q(routine.table);
    return `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${cleanupCondition(routine)} LIMIT ${Math.trunc(limit)})`;
  }

  /**
   * The model as SQLite builds it, in the introspector's normal form. STRICT is not in the neutral
   * model: a hand-made table without it holds the same values in the types `alsoAccepted` lists.
   * SQLite has no routines: the model's are a trigger per table and a DELETE sent by the adapter.
   */
  describe(model: SchemaModel): SchemaSnapshot {
    return { tables: model.tables.map(describeTable), views: model.views.map(describeView), routines: [] };
  }

  /**
   * Brings what holds no data to the managed definition where the tables already exist: the
   * operation's missing indexes, our updated_at triggers, the view. Each statement is emitted only
   * while the snapshot shows the object missing or different, and survives being run twice, so a run
   * that stopped part way can simply be repeated. A hand-made trigger under another name is theirs
   * and is kept: ours is added beside it, never in its place.
   * An operation whose table is not there has nothing to reconcile: the runner applies it instead.
   */
  reconcile(op: Operation, live: SchemaSnapshot): string[] {
    switch (op.kind) {
      case "createTable": {
        const table = live.tables.find((t) => t.name === op.table.name);
        if (!table) return [];
        return [
          ...op.table.indexes.filter((i) => !hasIndex(table, i.columns)).map((i) => createIndex(op.table.name, i.name, i.columns, { ifNotExists: true })),
          ...op.table.columns.filter((c) => c.autoUpdate && needsTrigger(table, c.name)).flatMap((c) => replaceAutoUpdateTrigger(op.table.name, c.name)),
        ];
      }
      case "addColumn": {
        const table = live.tables.find((t) => t.name === op.table);
        if (!table?.columns.some((c) => c.name === op.column.name)) return [];
        const unique = op.constraints.unique;
        return [
          ...(unique && !hasUniqueKey(table, unique.columns) ? [createIndex(op.table, unique.name, unique.columns, { unique: true, ifNotExists: true })] : []),
          ...(op.column.autoUpdate && needsTrigger(table, op.column.name) ? replaceAutoUpdateTrigger(op.table, op.column.name) : []),
        ];
      }
      case "createIndex": {
        const table = live.tables.find((t) => t.name === op.table);
        return table && !hasIndex(table, op.index.columns) ? [createIndex(op.table, op.index.name, op.index.columns, { ifNotExists: true })] : [];
      }
      case "createView": {
        const actual = live.views.find((v) => v.name === op.view.name);
        const expected = describeView(op.view);
        if (actual && actual.definition === expected.definition && actual.columns.join(",") === expected.columns.join(",")) return [];
        return [`DROP VIEW IF EXISTS ${q(op.view.name)}`, createView(op.view)];
      }
      default:
        // Routines render to nothing on SQLite; drops have nothing to bring to a definition.
        return [];
    }
  }

  createTableIfMissing(table: Table): string[] {
    return this.createTable(table, { ifNotExists: true });
  }

  /** SQLite has no schemas in our sense (an attached database is not one): the quoted name. */
  tableName(name: string): string {
    return q(name);
  }

  quoteIdentifier(name: string): string {
    return q(name);
  }

  quoteLiteral(value: string): string {
    return quoteLiteral(value);
  }

  private createTable(table: Table, options: DdlOptions = {}): string[] {
    const lines = [
      ...table.columns.map((c) => this.columnDefinition(c)),
      `CONSTRAINT ${q(table.primaryKey.name)} PRIMARY KEY (${columnList(table.primaryKey.columns)})`,
      ...table.uniques.map((u) => `CONSTRAINT ${q(u.name)} UNIQUE (${columnList(u.columns)})`),
      ...table.foreignKeys.map((fk) => this.foreignKey(fk)),
      ...table.checks.map((c) => `CONSTRAINT ${q(c.name)} CHECK (${allowedValuesCondition(c)})`),
    ];
    // SQLite keeps the CREATE TABLE text, comment included, in sqlite_schema: the comment stays
    // readable there. STRICT makes the declared types binding.
    return [
      `CREATE TABLE ${ifNotExists(options)}${q(table.name)} (\n  -- ${commentLine(table.comment)}\n  ${lines.join(",\n  ")}\n) STRICT`,
      ...table.indexes.map((i) => createIndex(table.name, i.name, i.columns, options)),
      ...table.columns.filter((c) => c.autoUpdate).map((c) => autoUpdateTrigger(table.name, c.name, options)),
    ];
  }

  /**
   * SQLite's way to change what ALTER TABLE cannot (sqlite.org/lang_altertable.html, "other kinds of
   * table schema changes"): a new table with the definition `after` gives it, the rows copied by
   * column name (a column it adds takes its default), the old table dropped and the new one renamed,
   * then its indexes, triggers and the views over it made again. All of it in the migration's
   * transaction, and it keeps every row of every table:
   * - the copy names the columns the model knows; a live table with others (added by hand) would
   *   lose them, so a check refuses the rebuild first, before anything changes;
   * - the DROP must not act on the rows of tables that reference this one (ON DELETE CASCADE or SET
   *   NULL, the application's tables included): the session runs migrations with foreign keys off,
   *   and a connection that enforces them (a SQL file's client) is refused before anything changes
   *   where another table references this one; `PRAGMA foreign_key_check` on the table and on those
   *   that reference it must find nothing before the migration goes on;
   * - the application's own indexes and triggers on the table go with the DROP: their text is kept
   *   in a temporary table first, the session makes them again from it (see the session's
   *   `executeStatement`), and a check refuses the migration unless every one is back, which is
   *   where a SQL file stops, since it cannot run text read from the database;
   * - views and triggers elsewhere that name the table are left as they are and name the new one:
   *   the rename runs with `legacy_alter_table` on, which neither rewrites nor re-checks them.
   */
  private rebuild(tableName: string, before: SchemaModel, after: SchemaModel): string[] {
    const old = before.tables.find((t) => t.name === tableName);
    const next = after.tables.find((t) => t.name === tableName);
    if (!old || !next) {
      throw new MigrateError("UNSUPPORTED_BY_DIALECT", `SQLite rebuilds table ${tableName} to change it, and needs its definition: render the migration with the model before it.`);
    }
    const views = before.views.filter((v) => v.from.table === tableName || v.join.table === tableName);
    const building = `${tableName}__rebuild`;
    const [createNew] = this.createTable({ ...next, name: building });
    const kept = old.columns.map((c) => q(c.name)).join(", ");
    // What the rebuild makes again itself: ours, by name, as the table was and as it will be.
    const ours = [old, next].flatMap((t) => [...t.indexes.map((i) => i.name), ...t.uniques.map((u) => u.name), ...t.columns.filter((c) => c.autoUpdate).map((c) => autoUpdateTriggerName(t.name, c.name))]);
    const table = quoteLiteral(tableName);
    const saved = `temp.${q(REBUILD_DEPENDENTS)}`;
    return [
      ...refuseUnless(
        `SELECT count(*) FROM pragma_table_info(${table}) WHERE name NOT IN (${old.columns.map((c) => quoteLiteral(c.name)).join(", ")})`,
        `${tableName} has columns the model does not know; rebuild refused`,
      ),
      ...refuseUnless(foreignKeysOffWhileReferenced(tableName), `foreign keys are enforced on this connection and other tables reference ${tableName}: run PRAGMA foreign_keys = OFF before this file; rebuild refused`),
      `DROP TABLE IF EXISTS ${saved}`,
      `CREATE TEMP TABLE ${q(REBUILD_DEPENDENTS)} AS SELECT type, name, sql FROM main.sqlite_schema WHERE type IN ('index', 'trigger') AND tbl_name = ${table} COLLATE NOCASE AND sql IS NOT NULL` +
        ` AND name NOT IN (${[...new Set(ours)].map(quoteLiteral).join(", ")}) ORDER BY type, rowid`,
      ...views.map((v) => `DROP VIEW ${q(v.name)}`),
      createNew!,
      `INSERT INTO ${q(building)} (${kept}) SELECT ${kept} FROM ${q(tableName)}`,
      `DROP TABLE ${q(tableName)}`,
      "PRAGMA legacy_alter_table = ON",
      `ALTER TABLE ${q(building)} RENAME TO ${q(tableName)}`,
      "PRAGMA legacy_alter_table = OFF",
      ...this.createTable(next).slice(1),
      ...views.map(createView),
      ...refuseUnless(
        `SELECT count(*) FROM ${saved} WHERE name NOT IN (SELECT name FROM main.sqlite_schema)`,
        `${tableName} had indexes or triggers of its own (listed in ${REBUILD_DEPENDENTS}) that a SQL file cannot make again: apply this migration with up, or drop them first and create them after; rebuild refused`,
      ),
      `DROP TABLE ${saved}`,
      ...refuseUnless(
        `SELECT (SELECT count(*) FROM pragma_foreign_key_check(${table})) + (${danglingReferences(tableName)})`,
        `PRAGMA foreign_key_check finds rows of ${tableName} or of tables that reference it without their parent row; rebuild refused`,
      ),
    ];
  }

  private addColumn(table: string, column: Column, constraints: ColumnConstraints): string[] {
    // ALTER TABLE … ADD COLUMN takes a foreign key and a check inline, but not UNIQUE: that becomes a unique index.
    const fk = constraints.foreignKey ? ` ${this.inlineReference(constraints.foreignKey)}` : "";
    const check = constraints.check ? ` CONSTRAINT ${q(constraints.check.name)} CHECK (${allowedValuesCondition(constraints.check)})` : "";
    return [
      `ALTER TABLE ${q(table)} ADD COLUMN ${this.columnDefinition(column)}${fk}${check}`,
      ...(constraints.unique ? [createIndex(table, constraints.unique.name, constraints.unique.columns, { unique: true })] : []),
      ...(column.autoUpdate ? [autoUpdateTrigger(table, column.name)] : []),
    ];
  }

  private columnDefinition(column: Column): string {
    const name = q(column.name);
    const notNull = column.nullable ? "" : " NOT NULL";
    const defaultValue = column.default ? ` DEFAULT ${renderDefault(column.default)}` : "";
    const typeCheck = typeCheckCondition(column.name, column.type);
    return `${name} ${storageType(column.type)}${notNull}${defaultValue}${typeCheck === undefined ? "" : ` CHECK (${typeCheck})`}`;
  }

  private foreignKey(fk: ForeignKey): string {
    return `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) ${this.inlineReference(fk)}`;
  }

  private inlineReference(fk: ForeignKey): string {
    return `REFERENCES ${q(fk.references.table)} (${columnList(fk.references.columns)}) ON DELETE ${referentialAction(fk.onDelete)}`;
  }
}

function cleanupCondition(routine: CleanupExpiredSessionsRoutine): string {
  return `${q(routine.expiresAt)} <= ${SQL_NOW} OR ${q(routine.active)} = 0`;
}

/** Where a rebuild keeps the application's own indexes and triggers on the table while it is rebuilt. */
export const REBUILD_DEPENDENTS = "better_auth_rebuild_dependents";
const GUARD = q("better_auth_rebuild_guard");

/**
 * The statement of a rebuild that checks the application's indexes and triggers are back: the
 * session makes them again (from their saved text) just before it.
 */
export function isDependentsCheck(statement: string): boolean {
  return statement.startsWith(`INSERT INTO temp.${GUARD} SELECT count(*) FROM temp.${q(REBUILD_DEPENDENTS)} `);
}

/**
 * Statements that fail, with `message` as the error ("CHECK constraint failed: …"), when `count`
 * (a query giving one number) is not 0; they change nothing. SQL has no other way to stop a script.
 */
function refuseUnless(count: string, message: string): string[] {
  return [
    `CREATE TEMP TABLE ${GUARD} ("found" INTEGER CONSTRAINT ${q(message)} CHECK ("found" = 0))`,
    `INSERT INTO temp.${GUARD} ${count}`,
    `DROP TABLE temp.${GUARD}`,
  ];
}

/** The other tables whose foreign keys name `table` (SQLite compares table names case-insensitively). */
function referencingTables(table: string): string {
  const name = quoteLiteral(table);
  return (
    `SELECT DISTINCT s.name FROM main.sqlite_schema AS s JOIN pragma_foreign_key_list(s.name) AS l ` +
    `WHERE s.type = 'table' AND s.name <> ${name} COLLATE NOCASE AND l."table" = ${name} COLLATE NOCASE`
  );
}

/** 1 where this connection enforces foreign keys and another table references `table`: dropping it would act on their rows. */
function foreignKeysOffWhileReferenced(table: string): string {
  return `SELECT count(*) FROM pragma_foreign_keys AS f WHERE f.foreign_keys = 1 AND EXISTS (${referencingTables(table)})`;
}

/** How many rows of other tables reference `table` without a row there to reference. */
function danglingReferences(table: string): string {
  return `SELECT count(*) FROM (${referencingTables(table)}) AS r JOIN pragma_foreign_key_check(r.name) AS c WHERE c.parent = ${quoteLiteral(table)} COLLATE NOCASE`;
}

function describeTable(table: Table): TableSnapshot {
  return {
    name: table.name,
    columns: table.columns.map(describeColumn),
    primaryKey: table.primaryKey,
    uniques: table.uniques,
    foreignKeys: table.foreignKeys,
    checks: table.checks.map((c) => ({ name: c.name, expression: normalExpression(allowedValuesCondition(c)) })),
    indexes: table.indexes.map((i): IndexSnapshot => ({ name: i.name, columns: i.columns, unique: false, method: "btree" })),
  };
}

function describeColumn(column: Column): ColumnSnapshot {
  const storage = storageType(column.type);
  // A column whose CHECK pins a logical type is described with that type folded in (`text:timestamp`).
  return {
    name: column.name,
    type: isLogicalType(column.type) ? foldedType(storage, column.type) : normalType(storage),
    alsoAccepted: ALSO_ACCEPTED[column.type],
    nullable: column.nullable,
    default: column.default ? normalDefault(renderDefault(column.default)) : null,
    autoUpdate: column.autoUpdate === true,
  };
}

function describeView(view: View): ViewSnapshot {
  return { name: view.name, columns: view.select.map((c) => c.column), definition: viewDefinition(createView(view)) };
}

const sameColumns = (a: readonly string[], b: readonly string[]) => a.join(",") === b.join(",");

/** A plain index on these columns, as the drift comparison matches them. */
function hasIndex(table: TableSnapshot, columns: readonly string[]): boolean {
  return hasMatchingIndex(table, { columns, unique: false, method: "btree" });
}

function hasUniqueKey(table: TableSnapshot, columns: readonly string[]): boolean {
  return [...table.uniques, ...table.indexes.filter((i) => i.unique)].some((k) => sameColumns(k.columns, columns));
}

function needsTrigger(table: TableSnapshot, column: string): boolean {
  const live = table.columns.find((c) => c.name === column);
  return live !== undefined && !live.autoUpdate;
}

/** Ours, whatever a trigger of our name holds now (an older or edited text). */
function replaceAutoUpdateTrigger(table: string, column: string): string[] {
  return [`DROP TRIGGER IF EXISTS ${q(autoUpdateTriggerName(table, column))}`, autoUpdateTrigger(table, column)];
}

function ifNotExists(options: DdlOptions): string {
  return options.ifNotExists ? "IF NOT EXISTS " : "";
}

function createIndex(table: string, name: string, columns: readonly string[], options: DdlOptions & { unique?: boolean } = {}): string {
  return `CREATE ${options.unique ? "UNIQUE " : ""}INDEX ${ifNotExists(options)}${q(name)} ON ${q(table)} (${columnList(columns)})`;
}

/** The declared type of a column: STRICT tables know INTEGER and TEXT (and REAL, BLOB, ANY). */
function storageType(type: ColumnType): string {
  switch (type) {
    case "boolean":
    case "integer":
      return "INTEGER";
    case "id":
    case "string":
    case "text":
    case "timestamp":
    case "json":
    case "ipAddress":
      return "TEXT";
    default:
      return unknownInModel("column type", type);
  }
}

/**
 * A value the model's checks (core's `validate.ts`) let through only in its known set: reaching
 * here means the model was built around them, and nothing is rendered from it.
 */
function unknownInModel(what: string, value: never): never {
  throw new TypeError(`The model holds an unknown ${what} ${JSON.stringify(String(value))}; build tables with defineTable and extensions with defineExtension.`);
}

const REFERENTIAL_ACTIONS: Readonly<Record<ReferentialAction, string>> = {
  cascade: "CASCADE",
  restrict: "RESTRICT",
  "set null": "SET NULL",
  "set default": "SET DEFAULT",
  "no action": "NO ACTION",
};

function referentialAction(action: ReferentialAction): string {
  return (Object.hasOwn(REFERENTIAL_ACTIONS, action) ? REFERENTIAL_ACTIONS[action] : undefined) ?? unknownInModel("onDelete action", action as never);
}

/**
 * Prose in a `--` comment, which SQLite ends at a line feed: core's checks keep comments on one
 * line, and this keeps the comment there whatever reaches the renderer.
 */
function commentLine(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, " ");
}

/**
 * SQLite has no boolean, timestamp, JSON or address types: the condition of the CHECK that keeps a
 * column of such a logical type to its values, or undefined for a type STRICT already enforces.
 * The introspector recognises these conditions to fold them into the column's type.
 */
export function typeCheckCondition(column: string, type: ColumnType): string | undefined {
  const c = q(column);
  switch (type) {
    case "boolean":
      return `${c} IN (0, 1)`;
    case "timestamp":
      return `${c} GLOB ${ISO_TIMESTAMP_GLOB}`;
    case "json":
      return `json_valid(${c})`;
    case "ipAddress":
      return `length(${c}) <= ${IP_ADDRESS_MAX_LENGTH}`;
    default:
      return undefined;
  }
}

/** The condition of a `oneOf` CHECK. */
function allowedValuesCondition(check: AllowedValuesCheck): string {
  return `${q(check.column)} IN (${check.values.map(quoteLiteral).join(", ")})`;
}

/**
 * SQLite triggers cannot change NEW, so an AFTER UPDATE trigger writes the column. It fires only
 * when the update left the column alone (an explicit value wins, as with MySQL's ON UPDATE), and its
 * own UPDATE changes the column, so it never fires itself again, even with recursive_triggers on.
 * The introspector counts a column as kept current only where this very trigger exists.
 */
export function autoUpdateTrigger(table: string, column: string, options: DdlOptions = {}): string {
  const c = q(column);
  return (
    `CREATE TRIGGER ${ifNotExists(options)}${q(autoUpdateTriggerName(table, column))} AFTER UPDATE ON ${q(table)} FOR EACH ROW WHEN NEW.${c} IS OLD.${c}\n` +
    `BEGIN\n  UPDATE ${q(table)} SET ${c} = ${SQL_NOW} WHERE rowid = NEW.rowid AND ${c} IS NOT ${SQL_NOW};\nEND`
  );
}

function createView(view: View): string {
  const ref = (c: { table: string; column: string }) => `${q(c.table)}.${q(c.column)}`;
  const where = view.where.map((c) => (c.kind === "isTrue" ? `${ref(c.column)} = 1` : `${ref(c.column)} > ${SQL_NOW}`));
  return [
    `CREATE VIEW ${q(view.name)} AS`,
    `-- ${commentLine(view.comment)}`,
    `SELECT ${view.select.map(ref).join(", ")}`,
    `FROM ${q(view.from.table)} AS ${q(view.from.alias)}`,
    `JOIN ${q(view.join.table)} AS ${q(view.join.alias)} ON ${ref(view.join.on.left)} = ${ref(view.join.on.right)}`,
    `WHERE ${where.join(" AND ")}`,
  ].join("\n");
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
    case "value": {
      const v: unknown = value.value;
      if (typeof v === "boolean") return v ? "1" : "0";
      if (typeof v === "string") return quoteLiteral(v);
      return typeof v === "number" && Number.isFinite(v) ? String(v) : unknownInModel("default value", v as never);
    }
    default:
      return unknownInModel("default kind", (value as { kind: never }).kind);
  }
}
