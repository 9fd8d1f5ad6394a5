import type {
  CheckSnapshot, ColumnSnapshot, ForeignKeySnapshot, HookSnapshot, IndexSnapshot, KeySnapshot, RoutineSnapshot, SchemaIntrospector, SchemaSnapshot, TableSnapshot,
  ViewSnapshot,
} from "@better-auth/migrate-core";
import { type Kysely, type RawBuilder, sql } from "kysely";
import { quoteIdentifier } from "./mysql-quote.js";
import {
  isAutoUpdate, jsonValidatedColumn, normalizeColumnType, normalizeDefault, normalizeReferentialAction, normalizeSqlText,
} from "./mysql-normal-form.js";

type Row = Record<string, unknown>;

/** A value of an information_schema row, whatever case the server gave the column's name (MySQL 8 upper-cases `*`). */
/** The collation every text column of the model has (see mysql-renderer.ts). */
const MODEL_COLLATION = "utf8mb4_bin";

function field(row: Row, name: string): unknown {
  if (name in row) return row[name];
  const key = Object.keys(row).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : row[key];
}

const text = (row: Row, name: string): string => String(field(row, name) ?? "");
const optionalText = (row: Row, name: string): string | null => {
  const value = field(row, name);
  return value === null || value === undefined ? null : String(value);
};

/** Groups rows by a key, keeping their order. */
function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    groups.set(k, [...(groups.get(k) ?? []), row]);
  }
  return groups;
}

interface Catalog {
  readonly database: string;
  readonly isMariadb: boolean;
  readonly tables: Row[];
  readonly columns: Row[];
  readonly statistics: Row[];
  readonly foreignKeys: Row[];
  readonly checkOwners: Row[];
  readonly checks: Row[];
  readonly views: Row[];
  readonly routines: Row[];
  readonly triggers: Row[];
}

/**
 * Reads the current database (DATABASE()) from information_schema into the neutral snapshot, in
 * the normal form of `mysql-normal-form.ts`. Works on MariaDB 10.11 and MySQL 8, which spell
 * defaults, JSON columns, checks and view text differently; the normal form makes them one.
 *
 * Keys: MySQL cannot tell a UNIQUE constraint from a unique index (both are a unique index and
 * both appear in table_constraints), so every unique index is listed in `uniques`, none in
 * `indexes`. Foreign keys keep the index InnoDB made for them in `indexes` (the renderer's
 * `describe` predicts it the same way). Collation and character set are not part of the snapshot:
 * the neutral model has no such fact. Every trigger of a table is in its `hooks`: the managed schema
 * has none on MySQL (ON UPDATE, not a trigger, keeps updated_at), so each one is someone else's code.
 * information_schema.triggers lists the triggers of tables the account has the TRIGGER privilege on.
 */
export class MysqlIntrospector implements SchemaIntrospector {
  async columns(db: Kysely<unknown>): Promise<ReadonlyMap<string, readonly string[]>> {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT c.table_name AS table_name, c.column_name AS column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = DATABASE() ORDER BY c.table_name, c.ordinal_position`.execute(db.withoutPlugins());
    return byTable(rows);
  }

  async introspect(db: Kysely<unknown>): Promise<SchemaSnapshot> {
    const catalog = await readCatalog(db);
    const tableNames = catalog.tables.filter((t) => text(t, "type") === "BASE TABLE").map((t) => text(t, "name"));
    const columnsOf = groupBy(catalog.columns, (r) => text(r, "table_name"));
    const statisticsOf = groupBy(catalog.statistics, (r) => text(r, "table_name"));
    const foreignKeysOf = groupBy(catalog.foreignKeys, (r) => text(r, "table_name"));
    const checksOf = checksByTable(catalog);
    const triggersOf = groupBy(catalog.triggers, (r) => text(r, "table_name"));
    const tables = tableNames.map((name) => {
      const table = tableSnapshot(name, columnsOf.get(name) ?? [], statisticsOf.get(name) ?? [], foreignKeysOf.get(name) ?? [], checksOf.get(name) ?? [], catalog.isMariadb);
      const hooks = (triggersOf.get(name) ?? []).map(triggerSnapshot);
      return hooks.length === 0 ? table : { ...table, hooks };
    });
    const views = catalog.views.map((v): ViewSnapshot => ({
      name: text(v, "name"),
      columns: (columnsOf.get(text(v, "name")) ?? []).map((c) => text(c, "name")),
      definition: normalizeSqlText(text(v, "definition"), { database: catalog.database }),
    }));
    const routines = catalog.routines.map((r): RoutineSnapshot => ({
      name: text(r, "name"),
      definition: normalizeSqlText(text(r, "definition"), { database: catalog.database }),
      // A stored routine resolves unqualified names in its own database, whoever calls it.
      pinnedSearchPath: true,
    }));
    return { tables, views, routines };
  }
}

async function readCatalog(db: Kysely<unknown>): Promise<Catalog> {
  const rows = async (query: RawBuilder<unknown>) => (await query.execute(db)).rows as Row[];
  const [server] = await rows(sql`SELECT DATABASE() AS name, VERSION() AS version`);
  return {
    database: text(server ?? {}, "name"),
    isMariadb: /mariadb/i.test(text(server ?? {}, "version")),
    tables: await rows(sql`SELECT table_name AS name, table_type AS type FROM information_schema.tables
      WHERE table_schema = DATABASE() ORDER BY table_name`),
    columns: await rows(sql`SELECT table_name AS table_name, column_name AS name, column_type AS type, is_nullable AS nullable,
        column_default AS column_default, extra AS extra, collation_name AS collation
      FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position`),
    statistics: await rows(sql`SELECT table_name AS table_name, index_name AS index_name, non_unique AS non_unique,
        column_name AS column_name, sub_part AS sub_part, index_type AS index_type
      FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index`),
    foreignKeys: await rows(sql`SELECT k.table_name AS table_name, k.constraint_name AS name, k.column_name AS column_name,
        k.referenced_table_name AS referenced_table, k.referenced_column_name AS referenced_column, r.delete_rule AS delete_rule
      FROM information_schema.key_column_usage k
      JOIN information_schema.referential_constraints r
        ON r.constraint_schema = k.constraint_schema AND r.table_name = k.table_name AND r.constraint_name = k.constraint_name
      WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
      ORDER BY k.table_name, k.constraint_name, k.ordinal_position`),
    checkOwners: await rows(sql`SELECT table_name AS table_name, constraint_name AS name FROM information_schema.table_constraints
      WHERE constraint_schema = DATABASE() AND constraint_type = 'CHECK'`),
    // MariaDB has check_constraints.table_name (check names are per table there); MySQL 8 does not
    // (they are per database), so the rows are read whole and their table found either way.
    checks: await rows(sql`SELECT * FROM information_schema.check_constraints WHERE constraint_schema = DATABASE() ORDER BY constraint_name`),
    views: await rows(sql`SELECT table_name AS name, view_definition AS definition FROM information_schema.views
      WHERE table_schema = DATABASE() ORDER BY table_name`),
    routines: await rows(sql`SELECT routine_name AS name, routine_definition AS definition FROM information_schema.routines
      WHERE routine_schema = DATABASE() ORDER BY routine_name`),
    triggers: await rows(sql`SELECT event_object_table AS table_name, trigger_name AS name, action_timing AS timing,
        event_manipulation AS event, action_statement AS statement
      FROM information_schema.triggers WHERE event_object_schema = DATABASE() ORDER BY event_object_table, trigger_name`),
  };
}

/** A trigger, described as CREATE TRIGGER states it (after the name): shown to people, not compared. */
function triggerSnapshot(row: Row): HookSnapshot {
  return {
    kind: "trigger",
    name: text(row, "name"),
    definition: `${text(row, "timing")} ${text(row, "event")} ON ${quoteIdentifier(text(row, "table_name"))} FOR EACH ROW ${text(row, "statement")}`,
  };
}

interface CheckRow {
  readonly name: string;
  readonly clause: string;
}

function checksByTable(catalog: Catalog): Map<string, CheckRow[]> {
  const owners = new Map(catalog.checkOwners.map((r) => [text(r, "name"), text(r, "table_name")]));
  const byTable = new Map<string, CheckRow[]>();
  for (const row of catalog.checks) {
    const name = text(row, "constraint_name");
    const table = optionalText(row, "table_name") ?? owners.get(name);
    if (table === undefined) continue;
    byTable.set(table, [...(byTable.get(table) ?? []), { name, clause: text(row, "check_clause") }]);
  }
  return byTable;
}

function tableSnapshot(name: string, columnRows: Row[], statistics: Row[], foreignKeyRows: Row[], checkRows: CheckRow[], isMariadb: boolean): TableSnapshot {
  // MariaDB's JSON is LONGTEXT with a json_valid check: the check is the type, not a constraint.
  const longtext = new Set(columnRows.filter((c) => text(c, "type").toLowerCase() === "longtext").map((c) => text(c, "name")));
  const jsonColumns = new Set<string>();
  const checks: CheckSnapshot[] = [];
  for (const check of checkRows) {
    const column = jsonValidatedColumn(check.clause);
    if (column !== undefined && longtext.has(column)) jsonColumns.add(column);
    else checks.push({ name: check.name, expression: normalizeSqlText(check.clause) });
  }
  const keys = indexesOf(statistics);
  const primaryKey = keys.find((k) => k.name === "PRIMARY");
  return {
    name,
    columns: columnRows.map((c) => columnSnapshot(c, jsonColumns.has(text(c, "name")), isMariadb)),
    primaryKey: primaryKey && { name: primaryKey.name, columns: primaryKey.columns },
    uniques: keys.filter((k) => k.name !== "PRIMARY" && k.unique).map((k): KeySnapshot => ({ name: k.name, columns: k.columns })),
    foreignKeys: foreignKeysOf(foreignKeyRows),
    checks,
    indexes: keys.filter((k) => !k.unique),
  };
}

/**
 * Text columns of another collation than the model's utf8mb4_bin compare differently (and a foreign
 * key between columns of two collations cannot be made), so the collation is part of the type then.
 */
function withCollation(type: string, collation: string | undefined): string {
  return collation === undefined || collation === MODEL_COLLATION || type === "json" ? type : `${type} collate ${collation}`;
}

function columnSnapshot(row: Row, validatedAsJson: boolean, isMariadb: boolean): ColumnSnapshot {
  const baseType = normalizeColumnType(text(row, "type"), { validatedAsJson });
  const type = withCollation(baseType, optionalText(row, "collation")?.toLowerCase());
  const extra = text(row, "extra");
  return {
    name: text(row, "name"),
    type,
    nullable: text(row, "nullable") === "YES",
    default: normalizeDefault({ columnDefault: optionalText(row, "column_default"), type: baseType, extra, spelling: isMariadb ? "sql" : "value" }),
    autoUpdate: isAutoUpdate(extra),
  };
}

/** Every index of a table, from its statistics rows (one per column, in key order). */
function indexesOf(statistics: Row[]): IndexSnapshot[] {
  return [...groupBy(statistics, (r) => text(r, "index_name"))].map(([name, rows]) => ({
    name,
    // A prefix index (`email(100)`) is not an index on the whole column: its length is part of the name.
    // MySQL 8's functional indexes have no column name.
    columns: rows.map((r) => {
      const column = optionalText(r, "column_name") ?? "(expression)";
      const prefix = optionalText(r, "sub_part");
      return prefix === null ? column : `${column}(${prefix})`;
    }),
    unique: Number(field(rows[0]!, "non_unique")) === 0,
    method: text(rows[0]!, "index_type").toLowerCase(),
  }));
}

function foreignKeysOf(rows: Row[]): ForeignKeySnapshot[] {
  return [...groupBy(rows, (r) => text(r, "name"))].map(([name, keyRows]) => ({
    name,
    columns: keyRows.map((r) => text(r, "column_name")),
    references: { table: text(keyRows[0]!, "referenced_table"), columns: keyRows.map((r) => text(r, "referenced_column")) },
    onDelete: normalizeReferentialAction(text(keyRows[0]!, "delete_rule")),
  }));
}

/** Rows of (table, column) into a map of each table's column names, in order. */
function byTable(rows: readonly { table_name: string; column_name: string }[]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}
