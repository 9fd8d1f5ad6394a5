import {
  type CheckSnapshot, type ColumnSnapshot, type ForeignKeySnapshot, type HookSnapshot, type IndexSnapshot, type KeySnapshot, type ReferentialAction, type RoutineSnapshot,
  type SchemaIntrospector, type SchemaSnapshot, schema as model, type TableSnapshot, type ViewSnapshot,
} from "@better-auth/migrate-core";
import { type Kysely, sql } from "kysely";
import { normalCheck, normalDefault, normalIndexKey, normalType, normalViewQuery, PINNED_SEARCH_PATH, routineDefinition } from "./pg-normal-form.js";
import { quoteIdentifier } from "./pg-quote.js";

interface TableRow {
  name: string;
  /** pg_class.relpersistence: p permanent, u unlogged. */
  persistence: string;
  row_security: boolean;
  row_security_forced: boolean;
}

interface ColumnRow {
  table: string;
  name: string;
  type: string;
  not_null: boolean;
  default: string | null;
}

interface ConstraintRow {
  table: string;
  name: string;
  /** p primary key, u unique, f foreign key, c check */
  type: "p" | "u" | "f" | "c";
  columns: string[];
  ref_table: string | null;
  ref_schema: string | null;
  ref_columns: string[];
  /** pg_constraint.convalidated: false for a NOT VALID foreign key or check. */
  validated: boolean;
  /** pg_constraint.confdeltype */
  on_delete: string;
  definition: string;
}

interface IndexRow {
  table: string;
  name: string;
  unique: boolean;
  method: string;
  valid: boolean;
  keys: string[];
  predicate: string | null;
}

interface TriggerRow {
  table: string;
  name: string;
  args: Buffer;
  definition: string;
  /** The trigger keeps a column current the way ours do (see {@link PostgresIntrospector.triggers}). */
  touches: boolean;
}

interface HookRow {
  table: string;
  kind: "rule" | "policy";
  name: string;
  definition: string;
}

interface ViewRow {
  name: string;
  definition: string;
  columns: string[];
}

interface RoutineRow {
  name: string;
  source: string;
  language: string;
  returns: string;
  returns_set: boolean;
  arguments: number;
  config: string[] | null;
  security_definer: boolean;
}


/** pg_constraint.confdeltype. PostgreSQL's SET DEFAULT has no counterpart in the model; it is named as it is. */
const ON_DELETE: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };

/**
 * Reads one schema from PostgreSQL's catalog into the neutral snapshot, in the normal form of
 * `pg-normal-form.ts`. Tables are `r` and `p` relations (partitions are their parent's), views `v`
 * relations, routines the plain functions of the schema that no extension owns (pgcrypto's, when
 * it is created in the schema, are the extension's). Indexes of a primary key, unique or exclusion
 * constraint are the constraint; a unique index made with CREATE UNIQUE INDEX is an index with
 * `unique: true`.
 */
export class PostgresIntrospector implements SchemaIntrospector {
  constructor(private readonly schema: string) {}

  /**
   * The columns of every table. One query outside any transaction, so under the connection's own
   * search_path, which the database's owner may have set (ALTER DATABASE … SET search_path): every
   * operator and type in it is qualified.
   */
  async columns(given: Kysely<unknown>): Promise<ReadonlyMap<string, readonly string[]>> {
    // pg_class and pg_attribute only: no lock on the tables themselves.
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      SELECT c.relname AS table_name, a.attname AS column_name
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
      JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
      WHERE n.nspname OPERATOR(pg_catalog.=) ${this.schema}::pg_catalog.name AND c.relkind::pg_catalog.text OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'p']::pg_catalog.text[])
      ORDER BY c.relname, a.attnum`.execute(given.withoutPlugins());
    return byTable(rows);
  }

  /**
   * Reads in one transaction with the search_path set to the schema alone (pg_catalog is then
   * searched first), so that `pg_get_viewdef` and `pg_get_expr` print the schema's own objects
   * unqualified, whatever the connection's search_path. Inside a caller's transaction the
   * setting is put back afterwards. The functions of the queries are qualified, and their operators
   * take argument types that pg_catalog has exactly: a look-alike in the schema with more exact
   * argument types than pg_catalog's (unnest(int2[]) against unnest(anyarray)) would win otherwise.
   */
  async introspect(given: Kysely<unknown>): Promise<SchemaSnapshot> {
    // Rows are read by column name: a caller's plugins (CamelCasePlugin) must not rename them.
    const db = given.withoutPlugins();
    if (!db.isTransaction) return db.transaction().execute((trx) => this.introspect(trx));
    const { rows } = await sql<{ previous: string; strings: string }>`
      SELECT pg_catalog.current_setting('search_path') AS previous, pg_catalog.current_setting('standard_conforming_strings') AS strings`.execute(db);
    const restore = () =>
      sql`SELECT pg_catalog.set_config('search_path', ${rows[0]?.previous ?? ""}, true), pg_catalog.set_config('standard_conforming_strings', ${rows[0]?.strings ?? "on"}, true)`.execute(db);
    // Defaults and checks are printed as literals; with standard_conforming_strings off a backslash
    // in them would print differently from the model's spelling.
    await sql`SELECT pg_catalog.set_config('search_path', ${quoteIdentifier(this.schema)}, true), pg_catalog.set_config('standard_conforming_strings', 'on', true)`.execute(db);
    let snapshot: SchemaSnapshot;
    try {
      snapshot = await this.read(db);
    } catch (error) {
      // After an SQL error the transaction is aborted and takes the setting with it.
      await restore().catch(() => undefined);
      throw error;
    }
    await restore();
    return snapshot;
  }

  private async read(db: Kysely<unknown>): Promise<SchemaSnapshot> {
    // One after another: a transaction is one connection.
    const tables = await this.tables(db);
    const columns = await this.columnRows(db);
    const constraints = await this.constraints(db);
    const indexes = await this.indexes(db);
    const triggers = await this.triggers(db);
    const others = await this.rulesAndPolicies(db);
    const views = await this.views(db);
    const routines = await this.routines(db);
    const autoUpdated = (table: string, column: string) => triggers.some((t) => t.touches && t.table === table && touchedColumn(t) === column);
    // Every trigger but the managed ones (counted as the column's autoUpdate), every rule and policy.
    const hooks = (table: string): HookSnapshot[] => [
      ...triggers.filter((t) => t.table === table && !t.touches).map((t): HookSnapshot => ({ kind: "trigger", name: t.name, definition: t.definition })),
      ...others.filter((h) => h.table === table).map((h): HookSnapshot => ({ kind: h.kind, name: h.name, definition: h.definition })),
    ];
    return {
      tables: tables.map((table) => {
        const snapshot = tableSnapshot(
          table.name,
          columns.filter((c) => c.table === table.name).map((c) => columnSnapshot(c, autoUpdated(table.name, c.name))),
          constraints.filter((c) => c.table === table.name),
          indexes.filter((i) => i.table === table.name).map(indexSnapshot),
          this.schema,
        );
        const attributes = tableAttributes(table);
        const found = hooks(table.name);
        return { ...snapshot, ...(found.length > 0 ? { hooks: found } : {}), ...(attributes.length > 0 ? { attributes } : {}) };
      }),
      views: views.map(viewSnapshot),
      routines: routineSnapshots(routines),
    };
  }

  private async tables(db: Kysely<unknown>): Promise<TableRow[]> {
    const { rows } = await sql<TableRow>`
      SELECT c.relname AS name, c.relpersistence::text AS persistence, c.relrowsecurity AS row_security, c.relforcerowsecurity AS row_security_forced
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${this.schema} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`.execute(db);
    return rows;
  }

  private async columnRows(db: Kysely<unknown>): Promise<ColumnRow[]> {
    const { rows } = await sql<ColumnRow>`
      SELECT c.relname AS "table", a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
             a.attnotnull AS not_null, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS "default"
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE n.nspname = ${this.schema} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname, a.attnum`.execute(db);
    return rows;
  }

  private async constraints(db: Kysely<unknown>): Promise<ConstraintRow[]> {
    const { rows } = await sql<ConstraintRow>`
      SELECT t.relname AS "table", c.conname AS name, c.contype::text AS type,
             ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(c.conkey) WITH ORDINALITY AS k(attnum, i)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS columns,
             r.relname AS ref_table, rn.nspname AS ref_schema, c.convalidated AS validated,
             ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(c.confkey) WITH ORDINALITY AS k(attnum, i)
                   JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS ref_columns,
             c.confdeltype::text AS on_delete, pg_catalog.pg_get_constraintdef(c.oid, true) AS definition
      FROM pg_catalog.pg_constraint c
      JOIN pg_catalog.pg_class t ON t.oid = c.conrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
      LEFT JOIN pg_catalog.pg_class r ON r.oid = c.confrelid
      LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
      WHERE n.nspname = ${this.schema} AND c.contype IN ('p', 'u', 'f', 'c')
      ORDER BY t.relname, c.conname`.execute(db);
    return rows;
  }

  private async indexes(db: Kysely<unknown>): Promise<IndexRow[]> {
    // The key columns only (not INCLUDE ones), each as pg_get_indexdef prints it: a column name or an expression.
    const { rows } = await sql<IndexRow>`
      SELECT t.relname AS "table", ic.relname AS name, i.indisunique AS "unique", am.amname AS method, i.indisvalid AS valid,
             ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM pg_catalog.generate_series(1, i.indnkeyatts::int) AS k ORDER BY k) AS keys,
             pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate
      FROM pg_catalog.pg_index i
      JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
      JOIN pg_catalog.pg_am am ON am.oid = ic.relam
      WHERE n.nspname = ${this.schema} AND t.relkind IN ('r', 'p')
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                        WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
      ORDER BY t.relname, ic.relname`.execute(db);
    return rows;
  }

  /**
   * Every trigger on the schema's tables (not the internal ones of foreign keys), each with whether
   * it keeps a column current the way ours do: enabled, BEFORE UPDATE, FOR EACH ROW, on every update
   * (no column list, no WHEN), executing the touch function of this schema. Those count as the
   * column's autoUpdate; every other trigger is a hook. A trigger of theirs under another function
   * does the same job but is not the managed definition; adoption adds ours next to it.
   */
  private async triggers(db: Kysely<unknown>): Promise<TriggerRow[]> {
    // tgtype bits: 1 row, 2 before, 16 update, 64 instead of.
    const { rows } = await sql<TriggerRow>`
      SELECT c.relname AS "table", t.tgname AS name, t.tgargs AS args, pg_catalog.pg_get_triggerdef(t.oid, true) AS definition,
             (pn.nspname = ${this.schema} AND p.proname = ${model.touchUpdatedAt.name}
              AND t.tgenabled <> 'D' AND t.tgtype::int & (1 | 2 | 16 | 64) = (1 | 2 | 16)
              AND t.tgqual IS NULL AND pg_catalog.cardinality(t.tgattr::int2[]) = 0) AS touches
      FROM pg_catalog.pg_trigger t
      JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
      JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
      WHERE n.nspname = ${this.schema} AND c.relkind IN ('r', 'p') AND NOT t.tgisinternal
      ORDER BY c.relname, t.tgname`.execute(db);
    return rows;
  }

  /** The rules (a table has no _RETURN rule; a view's is its query) and row-level security policies on the schema's tables. */
  private async rulesAndPolicies(db: Kysely<unknown>): Promise<HookRow[]> {
    const { rows } = await sql<HookRow>`
      SELECT c.relname AS "table", 'rule' AS kind, r.rulename AS name, pg_catalog.pg_get_ruledef(r.oid, true) AS definition
      FROM pg_catalog.pg_rewrite r
      JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${this.schema} AND c.relkind IN ('r', 'p')
      UNION ALL
      SELECT p.tablename, 'policy', p.policyname,
             pg_catalog.concat_ws(' ', 'POLICY', pg_catalog.quote_ident(p.policyname), 'AS', p.permissive, 'FOR', p.cmd, 'TO', pg_catalog.array_to_string(p.roles, ', '),
                                  'USING (' || p.qual || ')', 'WITH CHECK (' || p.with_check || ')')
      FROM pg_catalog.pg_policies p
      WHERE p.schemaname = ${this.schema}
      ORDER BY 1, 2, 3`.execute(db);
    return rows;
  }

  private async views(db: Kysely<unknown>): Promise<ViewRow[]> {
    const { rows } = await sql<ViewRow>`
      SELECT c.relname AS name, pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
             ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${this.schema} AND c.relkind = 'v'
      ORDER BY c.relname`.execute(db);
    return rows;
  }

  private async routines(db: Kysely<unknown>): Promise<RoutineRow[]> {
    // Plain functions only (not procedures, aggregates or window functions), and none that an
    // extension owns (deptype 'e'): pgcrypto created in this schema puts its functions here.
    const { rows } = await sql<RoutineRow>`
      SELECT p.proname AS name, p.prosrc AS source, l.lanname AS language, pg_catalog.format_type(p.prorettype, NULL) AS returns,
             p.proretset AS returns_set, p.pronargs AS arguments, p.proconfig AS config, p.prosecdef AS security_definer
      FROM pg_catalog.pg_proc p
      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_catalog.pg_language l ON l.oid = p.prolang
      WHERE n.nspname = ${this.schema} AND p.prokind = 'f'
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                        WHERE d.classid = 'pg_catalog.pg_proc'::regclass::oid AND d.objid = p.oid AND d.deptype = 'e')
      ORDER BY p.proname, p.pronargs, p.oid`.execute(db);
    return rows;
  }
}

function columnSnapshot(row: ColumnRow, autoUpdate: boolean): ColumnSnapshot {
  return { name: row.name, type: normalType(row.type), nullable: !row.not_null, default: normalDefault(row.default), autoUpdate };
}

/** Table-level facts that change what the table keeps or shows: an unlogged table loses its rows in a crash; row-level security hides them. */
function tableAttributes(row: TableRow): string[] {
  return [
    ...(row.persistence === "u" ? ["unlogged"] : []),
    ...(row.row_security ? ["row level security"] : []),
    ...(row.row_security_forced ? ["row level security forced"] : []),
  ];
}

function tableSnapshot(name: string, columns: ColumnSnapshot[], constraints: ConstraintRow[], indexes: IndexSnapshot[], schema: string): TableSnapshot {
  const key = (c: ConstraintRow): KeySnapshot => ({ name: c.name, columns: c.columns });
  const primaryKey = constraints.find((c) => c.type === "p");
  return {
    name,
    columns,
    primaryKey: primaryKey ? key(primaryKey) : undefined,
    uniques: constraints.filter((c) => c.type === "u").map(key),
    foreignKeys: constraints.filter((c) => c.type === "f").map((c) => foreignKeySnapshot(c, schema)),
    checks: constraints
      .filter((c) => c.type === "c")
      .map((c): CheckSnapshot => ({ name: c.name, expression: normalCheck(c.definition), ...(c.validated ? {} : { valid: false }) })),
    indexes,
  };
}

/** A table of another schema is named with its schema, so that it never passes for the model's table of that name. */
function foreignKeySnapshot(row: ConstraintRow, schema: string): ForeignKeySnapshot {
  const table = row.ref_schema === null || row.ref_schema === schema ? (row.ref_table ?? "") : `${row.ref_schema}.${row.ref_table}`;
  return {
    name: row.name,
    columns: row.columns,
    references: { table, columns: row.ref_columns },
    ...(row.validated ? {} : { valid: false }),
    // The comparison prints and compares actions as text; SET DEFAULT, which the model cannot ask
    // for, is reported under its own name rather than passed off as another action.
    onDelete: (ON_DELETE[row.on_delete] ?? row.on_delete) as ReferentialAction,
  };
}

/**
 * A partial index serves only the rows its predicate selects, so it must not pass for the model's
 * full index of the same columns: its predicate is reported with its method (`btree where …`).
 */
function indexSnapshot(row: IndexRow): IndexSnapshot {
  return {
    name: row.name,
    columns: row.keys.map(normalIndexKey),
    unique: row.unique,
    method: row.predicate === null ? row.method : `${row.method} where ${row.predicate}`,
    // Left by a failed CREATE INDEX CONCURRENTLY: it is kept up to date but serves no query.
    ...(row.valid ? {} : { valid: false }),
  };
}

/** The column a touch trigger sets: its first argument (tgargs holds them NUL-terminated). */
function touchedColumn(trigger: TriggerRow): string | undefined {
  return trigger.args.toString("utf8").split("\0")[0];
}

function viewSnapshot(row: ViewRow): ViewSnapshot {
  return { name: row.name, columns: row.columns, definition: normalViewQuery(row.definition) };
}

/**
 * One routine per name, as the snapshot keys them: the overload without arguments where there is
 * one (ours take none), otherwise the first.
 */
function routineSnapshots(rows: RoutineRow[]): RoutineSnapshot[] {
  const byName = new Map<string, RoutineRow>();
  for (const row of rows) if (!byName.has(row.name)) byName.set(row.name, row);
  return [...byName.values()].map((row) => ({
    name: row.name,
    definition: routineDefinition(row.returns_set ? `setof ${row.returns}` : row.returns, row.language, row.source),
    // Pinned only to exactly what ours pin: any other search_path lets another schema stand in.
    pinnedSearchPath: (row.config ?? []).includes(PINNED_SEARCH_PATH),
    ...routineAttributes(row),
  }));
}

/** What changes how a routine runs: as its owner (SECURITY DEFINER), and each setting it fixes, as proconfig spells it. */
function routineAttributes(row: RoutineRow): { attributes?: string[] } {
  const attributes = [...(row.security_definer ? ["security definer"] : []), ...(row.config ?? [])];
  return attributes.length > 0 ? { attributes } : {};
}

/** Rows of (table, column) into a map of each table's column names, in order. */
function byTable(rows: readonly { table_name: string; column_name: string }[]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}
