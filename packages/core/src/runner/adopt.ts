import type { DialectRenderer, SchemaModel } from "../dialect/renderer.js";
import { compareSchemas, type Finding } from "../drift/compare.js";
import { MigrateError } from "../errors.js";
import type { Migration, Operation } from "../migrations/operations.js";
import { applyOperation, applyOperations, emptyModel, modelsBefore } from "../migrations/replay.js";
import type { SchemaSnapshot } from "../model/snapshot.js";
import type { Table } from "../model/types.js";

/** What adoption does with one pending migration of a database made by hand. */
export type Adoption =
  /** None of its objects exist: it runs as usual. */
  | { readonly kind: "apply"; readonly migration: Migration }
  /** Its data-holding objects exist and match: it is recorded as applied, after these statements bring the rest to the model. */
  | { readonly kind: "adopt"; readonly migration: Migration; readonly statements: readonly string[] };

/** A hand-made database whose tables differ from the model in what holds data: nothing was changed. */
export class AdoptionRefusedError extends MigrateError {
  readonly findings: readonly Finding[];
  constructor(findings: readonly Finding[]) {
    super(
      "ADOPTION_REFUSED",
      `The database has tables of the schema that differ from the model: ${findings.map((f) => f.message).join("; ")}. Nothing was changed.`,
      {
        hint:
          "Make each listed object match the model (add the column, change the type, add the foreign key) and run again; " +
          "or move the data to new tables and let up create them; better-auth-migrate check lists every difference.",
      },
    );
    this.findings = findings;
  }
}

/** The tables as they stand after each migration, so that a migration is judged by its own definition. */
function tablesAfter(migrations: readonly Migration[]): Map<string, Map<string, Table>> {
  const after = new Map<string, Map<string, Table>>();
  let model = emptyModel;
  for (const migration of migrations) {
    model = applyOperations(model, migration.up);
    after.set(migration.id, new Map(model.tables.map((t) => [t.name, t])));
  }
  return after;
}

/** The data-holding objects an operation creates: a table, or a column of one. */
function dataObject(op: Operation): { table: string; column?: string } | undefined {
  if (op.kind === "createTable") return { table: op.table.name };
  if (op.kind === "addColumn") return { table: op.table, column: op.column.name };
  return undefined;
}

/**
 * The tables a migration leaves, with each column that a later migration alters given the shape the
 * last such change leaves it in: a database this tool built and then upgraded has that shape, and
 * the earlier migration must still be recognised in it (sessions.ip_address, inet in 0001 and a
 * string after the Better Auth compatibility extension).
 */
function withLaterShapes(tables: readonly Table[], later: readonly Migration[]): Table[] | undefined {
  const alters = later.flatMap((m) => m.up.flatMap((op) => (op.kind === "alterColumn" ? [op] : [])));
  if (!alters.some((a) => tables.some((t) => t.name === a.table))) return undefined;
  return tables.map((table) => ({
    ...table,
    columns: table.columns.map((column) => alters.filter((a) => a.table === table.name && a.from.name === column.name).reduce((_, a) => a.to, column)),
  }));
}

const findingKey = (f: Finding) => `${f.kind}\0${f.object}\0${f.name}\0${f.problem}`;

function exists(live: SchemaSnapshot, object: { table: string; column?: string }): boolean {
  const table = live.tables.find((t) => t.name === object.table);
  return table !== undefined && (object.column === undefined || table.columns.some((c) => c.name === object.column));
}

/** Whether a migration without data-holding operations (a view, a routine, an index) already exists. */
function otherObjectsExist(migration: Migration, live: SchemaSnapshot): boolean {
  return migration.up.some(
    (op) =>
      (op.kind === "createView" && live.views.some((v) => v.name === op.view.name)) ||
      (op.kind === "createRoutine" && live.routines.some((r) => r.name === op.routine.name)) ||
      // An invalid index (a failed concurrent build) does not count: the migration runs and rebuilds it.
      (op.kind === "createIndex" && live.tables.some((t) => t.name === op.table && t.indexes.some((i) => i.name === op.index.name && i.valid !== false))),
  );
}

/**
 * Whether any table or column a migration creates exists, from the cheap list of columns; a
 * migration that creates none (a view, a routine, an index) cannot be judged this way: undefined.
 */
export function anyDataObjectExists(migration: Migration, columns: ReadonlyMap<string, readonly string[]>): boolean | undefined {
  const objects = migration.up.flatMap((op) => dataObject(op) ?? []);
  if (objects.length === 0) return undefined;
  return objects.some((o) => columns.has(o.table) && (o.column === undefined || columns.get(o.table)!.includes(o.column)));
}

/**
 * A pending migration of which nothing exists yet: it will simply run, so `check` reports what it
 * creates as pending rather than missing.
 */
export function nothingOfItExists(migration: Migration, live: SchemaSnapshot): boolean {
  const objects = migration.up.flatMap((op) => dataObject(op) ?? []);
  return objects.length === 0 ? !otherObjectsExist(migration, live) : !objects.some((o) => exists(live, o));
}

/**
 * Decides, for each pending migration with no ledger row, whether it runs or is adopted: a
 * migration whose tables and columns all exist and match the model in everything that holds data
 * is recorded as applied, and what holds no data (indexes, triggers, views, routines, comments) is
 * brought to the model; one whose objects are all missing runs. Anything between (some tables there,
 * some not; a column missing or of another type; a key missing) refuses the whole plan before any
 * change, listing every difference.
 *
 * `all` is every migration the code defines, in order; `pending` those without a ledger row.
 */
/**
 * What adopting a migration runs: each operation's reconcile statements, and a column type change
 * itself where the live column still has the old type (it keeps every row, as when it is applied).
 */
function adoptionStatements(renderer: DialectRenderer, migration: Migration, before: SchemaModel, live: SchemaSnapshot): string[] {
  const statements: string[] = [];
  let model = before;
  for (const op of migration.up) {
    if (op.kind === "alterColumn") {
      const table = model.tables.find((t) => t.name === op.table);
      const expected = table && renderer.describe({ tables: [{ ...table, columns: [op.to] }], views: [], routines: [] }).tables[0]!.columns[0]!;
      const actual = live.tables.find((t) => t.name === op.table)?.columns.find((c) => c.name === op.to.name);
      const changed = expected && actual && (actual.type === expected.type || (expected.alsoAccepted ?? []).includes(actual.type));
      if (!changed) statements.push(...renderer.render(op, model));
    } else {
      statements.push(...renderer.reconcile(op, live));
    }
    model = applyOperation(model, op);
  }
  return statements;
}

export function planAdoption(renderer: DialectRenderer, all: readonly Migration[], pending: readonly Migration[], live: SchemaSnapshot): Adoption[] {
  const after = tablesAfter(all);
  const before = modelsBefore(all);
  const refusals: Finding[] = [];
  const plan: Adoption[] = [];
  for (const migration of pending) {
    if (nothingOfItExists(migration, live)) {
      plan.push({ kind: "apply", migration });
      continue;
    }
    const objects = migration.up.flatMap((op) => dataObject(op) ?? []);
    const tables = after.get(migration.id)!;
    const own = [...new Set(objects.map((o) => o.table))].map((name) => tables.get(name)!).filter(Boolean);
    const expected = renderer.describe({ tables: own, views: [], routines: [] });
    // A difference the shape of a later migration accounts for is no difference.
    const later = withLaterShapes(own, all.slice(all.indexOf(migration) + 1));
    const stillDifferent = later && new Set(compareSchemas(renderer.describe({ tables: later, views: [], routines: [] }), live).map(findingKey));
    const added = new Set(objects.filter((o) => o.column).map((o) => `${o.table}.${o.column}`));
    const created = new Set(objects.filter((o) => !o.column).map((o) => o.table));
    // Triggers, rules and policies of theirs do not stop adoption (refusing would not stop them
    // running); `check` reports each one until it is dropped or marked as the application's own.
    const differences = compareSchemas(expected, live).filter(
      (f) =>
        f.severity === "error" &&
        f.holdsData &&
        (stillDifferent?.has(findingKey(f)) ?? true) &&
        // Tables this migration creates are judged whole; for tables it adds columns to, only those columns.
        (created.has(f.object) || (f.kind === "column" && added.has(`${f.object}.${f.name}`)) || (f.kind === "table" && objects.some((o) => o.table === f.object))),
    );
    if (differences.length > 0) {
      refusals.push(...differences);
      continue;
    }
    plan.push({ kind: "adopt", migration, statements: adoptionStatements(renderer, migration, before.get(migration.id)!, live) });
  }
  if (refusals.length > 0) throw new AdoptionRefusedError(refusals);
  return plan;
}
