import {
  autoUpdateTriggerName, type CheckSnapshot, type ColumnSnapshot, type ForeignKeySnapshot, type HookSnapshot, type IndexSnapshot, type KeySnapshot, type ReferentialAction,
  type SchemaIntrospector, type SchemaSnapshot, type TableSnapshot, type ViewSnapshot,
} from "@better-auth/migrate-core";
import { type Kysely, sql } from "kysely";
import { foldedType, LOGICAL_TYPES, normalDefault, normalExpression, normalSql, normalType, viewDefinition } from "./sqlite-normal-form.js";
import { autoUpdateTrigger, typeCheckCondition } from "./sqlite-renderer.js";
import { type DeclaredConstraint, declaredConstraints, indexedTerms } from "./sqlite-schema-sql.js";

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

interface ColumnRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  /** The column's position in the primary key, from 1; 0 when it is not part of it. */
  pk: number;
}

interface IndexRow {
  name: string;
  unique: number;
  /** `pk`: the primary key's; `u`: a UNIQUE constraint's; `c`: made by CREATE INDEX. */
  origin: "pk" | "u" | "c";
  partial: number;
}

interface IndexTermRow {
  seqno: number;
  /** -1 for the rowid, -2 for an expression. */
  cid: number;
  name: string | null;
}

interface ForeignKeyRow {
  id: number;
  table: string;
  from: string;
  /** Null where the reference names no columns: it then means the referenced table's primary key. */
  to: string | null;
  on_delete: string;
}

/** Everything sqlite_schema holds, read once: the CREATE text of tables, indexes, triggers and views. */
class SchemaText {
  constructor(readonly rows: readonly SchemaRow[]) {}

  of(type: string, name: string): string {
    return this.rows.find((r) => r.type === type && r.name === name)?.sql ?? "";
  }

  triggersOn(table: string): SchemaRow[] {
    return this.rows.filter((r) => r.type === "trigger" && r.tbl_name.toLowerCase() === table.toLowerCase());
  }
}

const sameColumns = (a: readonly string[], b: readonly string[]) => a.join(",").toLowerCase() === b.join(",").toLowerCase();

/** The declared constraints of one kind, each handed out once: names are found by the columns they cover. */
class DeclaredNames {
  readonly #pool: DeclaredConstraint[];

  constructor(declared: readonly DeclaredConstraint[]) {
    this.#pool = [...declared];
  }

  take(kind: DeclaredConstraint["kind"], columns: readonly string[]): string | undefined {
    const at = this.#pool.findIndex((d) => d.kind === kind && d.name !== undefined && sameColumns(d.columns, columns));
    return at < 0 ? undefined : this.#pool.splice(at, 1)[0]!.name;
  }
}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = { cascade: "cascade", restrict: "restrict", "set null": "set null", "no action": "no action" };

function referentialAction(pragmaAction: string): ReferentialAction {
  const action = pragmaAction.toLowerCase();
  // SET DEFAULT is not an action the model can have: it is passed on under its own name, which
  // then differs from every expected action (core's ReferentialAction does not list it).
  return ACTIONS[action] ?? (action as ReferentialAction);
}

/**
 * Reads an SQLite database into the neutral snapshot through the pragmas, and the CREATE text in
 * sqlite_schema for what no pragma reports (CHECK constraints, constraint names, our triggers, view
 * queries). Read-only. SQLite's internal tables (sqlite_*) are skipped, and so are virtual tables,
 * which hold no keys or checks and whose module may not be loaded on this connection.
 */
export class SqliteIntrospector implements SchemaIntrospector {
  readonly #fileMissing: () => boolean;

  /** `fileMissing`: the migrator's file does not exist, and opening it to read would create it. */
  constructor(options: { fileMissing?: () => boolean } = {}) {
    this.#fileMissing = options.fileMissing ?? (() => false);
  }

  async columns(db: Kysely<unknown>): Promise<ReadonlyMap<string, readonly string[]>> {
    if (this.#fileMissing()) return new Map();
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT t.name AS table_name, c.name AS column_name FROM pragma_table_list AS t JOIN pragma_table_info(t.name) AS c
      WHERE t.schema = 'main' AND t.type = 'table' AND lower(substr(t.name, 1, 7)) <> 'sqlite_'
      ORDER BY t.name, c.cid`.execute(db.withoutPlugins());
    return byTable(rows);
  }

  async introspect(db: Kysely<unknown>): Promise<SchemaSnapshot> {
    if (this.#fileMissing()) return { tables: [], views: [], routines: [] };
    // pragma_table_list (SQLite 3.37, like STRICT tables) tells shadow and virtual tables apart.
    const { rows: objects } = await sql<{ name: string; type: "table" | "view" }>`
      SELECT name, type FROM pragma_table_list
      WHERE schema = 'main' AND type IN ('table', 'view') AND lower(substr(name, 1, 7)) <> 'sqlite_'
      ORDER BY name`.execute(db);
    const text = new SchemaText((await sql<SchemaRow>`SELECT type, name, tbl_name, sql FROM sqlite_schema`.execute(db)).rows);
    const tableNames = objects.filter((o) => o.type === "table").map((o) => o.name);
    const tables: TableSnapshot[] = [];
    const views: ViewSnapshot[] = [];
    for (const object of objects) {
      if (object.type === "table") tables.push(await readTable(db, object.name, text, tableNames));
      else views.push(await readView(db, object.name, text));
    }
    return { tables, views, routines: [] };
  }
}

async function readTable(db: Kysely<unknown>, table: string, text: SchemaText, tableNames: readonly string[]): Promise<TableSnapshot> {
  const { rows } = await sql<ColumnRow>`SELECT * FROM pragma_table_info(${table})`.execute(db);
  const declared = declaredConstraints(text.of("table", table));
  const names = new DeclaredNames(declared);
  const checks = declared.filter((d) => d.kind === "check");
  const columns = rows.map((row) => readColumn(table, row, checks, text));
  const primary = rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk).map((r) => r.name);
  const { uniques, indexes } = await readIndexes(db, table, text, names);
  return {
    name: table,
    columns,
    primaryKey: primary.length === 0 ? undefined : { name: names.take("primaryKey", primary) ?? `${table}_pkey`, columns: primary },
    uniques,
    foreignKeys: await readForeignKeys(db, table, tableNames, names),
    // What is left once the type checks are folded into their columns.
    checks: nameChecks(table, checks),
    indexes,
    hooks: readHooks(table, columns, text),
  };
}

/**
 * Every trigger on the table, whoever made it, except our updated_at trigger where it is exactly
 * ours (the column is then `autoUpdate`): a trigger of our name with other text is reported too.
 * Triggers are code that runs with every write, and can copy what is written anywhere.
 */
function readHooks(table: string, columns: readonly ColumnSnapshot[], text: SchemaText): HookSnapshot[] {
  const ours = new Set(columns.filter((c) => c.autoUpdate).map((c) => autoUpdateTriggerName(table, c.name).toLowerCase()));
  return text
    .triggersOn(table)
    .filter((t) => !ours.has(t.name.toLowerCase()))
    .map((t): HookSnapshot => ({ kind: "trigger", name: t.name, definition: t.sql ?? "" }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * One column in normal form. A CHECK that pins it to a logical type, exactly as our renderer writes
 * it (`"at" GLOB '…'`), is taken out of `checks` and folded into the type (`text:timestamp`).
 */
function readColumn(table: string, row: ColumnRow, checks: DeclaredConstraint[], text: SchemaText): ColumnSnapshot {
  let type = normalType(row.type);
  for (const logical of LOGICAL_TYPES) {
    const condition = normalExpression(typeCheckCondition(row.name, logical)!);
    const at = checks.findIndex((c) => c.expression === condition);
    if (at >= 0) {
      checks.splice(at, 1);
      type = foldedType(row.type, logical);
      break;
    }
  }
  // Kept current only by our own trigger with our own text: a hand-made one is not relied on.
  const triggerName = autoUpdateTriggerName(table, row.name).toLowerCase();
  const trigger = text.triggersOn(table).find((t) => t.name.toLowerCase() === triggerName);
  return {
    name: row.name,
    type,
    nullable: row.notnull === 0,
    default: normalDefault(row.dflt_value),
    autoUpdate: trigger?.sql != null && normalSql(trigger.sql) === normalSql(autoUpdateTrigger(table, row.name)),
  };
}

/**
 * Unique keys and indexes. A UNIQUE constraint's index is the key. A unique index made by CREATE
 * UNIQUE INDEX on plain columns is a key too: SQLite enforces both alike, and it is the only way to
 * add a unique key to an existing table (our renderer adds a unique column that way). A partial or
 * expression unique index constrains only part of the rows: it is listed as an index.
 */
async function readIndexes(db: Kysely<unknown>, table: string, text: SchemaText, names: DeclaredNames): Promise<{ uniques: KeySnapshot[]; indexes: IndexSnapshot[] }> {
  const uniques: KeySnapshot[] = [];
  const indexes: IndexSnapshot[] = [];
  const { rows } = await sql<IndexRow>`SELECT name, "unique", origin, partial FROM pragma_index_list(${table}) ORDER BY name`.execute(db);
  for (const index of rows) {
    if (index.origin === "pk") continue;
    const { rows: terms } = await sql<IndexTermRow>`SELECT seqno, cid, name FROM pragma_index_xinfo(${index.name}) WHERE key = 1 ORDER BY seqno`.execute(db);
    const plain = terms.every((t) => t.name !== null);
    const written = plain ? [] : indexedTerms(text.of("index", index.name));
    const columns = terms.map((t) => t.name ?? (t.cid === -1 ? "rowid" : (written[t.seqno] ?? "(expression)")));
    if (index.origin === "u") {
      uniques.push({ name: names.take("unique", columns) ?? `${table}_${columns.join("_")}_key`, columns });
    } else if (index.unique === 1 && index.partial === 0 && plain) {
      uniques.push({ name: index.name, columns });
    } else {
      indexes.push({ name: index.name, columns, unique: index.unique === 1, method: "btree" });
    }
  }
  return { uniques, indexes };
}

async function readForeignKeys(db: Kysely<unknown>, table: string, tableNames: readonly string[], names: DeclaredNames): Promise<ForeignKeySnapshot[]> {
  const { rows } = await sql<ForeignKeyRow>`SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(${table}) ORDER BY id, seq`.execute(db);
  const groups = new Map<number, ForeignKeyRow[]>();
  for (const row of rows) groups.set(row.id, [...(groups.get(row.id) ?? []), row]);
  const foreignKeys: ForeignKeySnapshot[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    // SQLite matches table names without regard to case: report the table as it is named.
    const referenced = tableNames.find((t) => t.toLowerCase() === first.table.toLowerCase()) ?? first.table;
    const targets = group.every((r) => r.to !== null) ? group.map((r) => r.to!) : await primaryKeyOf(db, referenced);
    const columns = group.map((r) => r.from);
    foreignKeys.push({
      name: names.take("foreignKey", columns) ?? `${table}_${columns.join("_")}_fkey`,
      columns,
      references: { table: referenced, columns: targets },
      onDelete: referentialAction(first.on_delete),
    });
  }
  return foreignKeys;
}

async function primaryKeyOf(db: Kysely<unknown>, table: string): Promise<string[]> {
  const { rows } = await sql<ColumnRow>`SELECT name, pk FROM pragma_table_info(${table}) WHERE pk > 0 ORDER BY pk`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * SQLite keeps no name for a check written without CONSTRAINT: such a check is named as PostgreSQL
 * would name it (`invitation_status_check`), which is also the model's convention, so a hand-made
 * check on the right column with another condition is reported as different rather than missing.
 */
function nameChecks(table: string, checks: readonly DeclaredConstraint[]): CheckSnapshot[] {
  const used = new Set<string>();
  return checks.map((check) => {
    const base = check.name ?? `${table}_${check.columns.length > 0 ? `${check.columns.join("_")}_` : ""}check`;
    let name = base;
    for (let n = 1; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    return { name, expression: check.expression ?? "" };
  });
}

async function readView(db: Kysely<unknown>, view: string, text: SchemaText): Promise<ViewSnapshot> {
  let columns: string[] = [];
  try {
    columns = (await sql<ColumnRow>`SELECT name FROM pragma_table_info(${view})`.execute(db)).rows.map((r) => r.name);
  } catch {
    // A view over a column that no longer exists cannot be read: it has no columns to report,
    // and its query still shows what it asks for.
  }
  return { name: view, columns, definition: viewDefinition(text.of("view", view)) };
}

/** Rows of (table, column) into a map of each table's column names, in order. */
function byTable(rows: readonly { table_name: string; column_name: string }[]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}
