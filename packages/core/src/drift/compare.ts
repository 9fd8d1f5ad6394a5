import type { ColumnSnapshot, ForeignKeySnapshot, HookSnapshot, IndexSnapshot, KeySnapshot, SchemaSnapshot, TableSnapshot } from "../model/snapshot.js";

export type DriftKind = "table" | "column" | "primaryKey" | "unique" | "foreignKey" | "check" | "index" | "view" | "routine" | HookSnapshot["kind"];

/** One way the live database differs from the model. */
export interface Finding {
  /**
   * `error`: something the model has is missing or different. `warning`: something a managed table
   * (or the schema) has that the model lacks; kept, never dropped.
   */
  readonly severity: "error" | "warning";
  /** The table, view or routine the finding belongs to. */
  readonly object: string;
  readonly kind: DriftKind;
  /** The column, key, index or check; the object's own name for table, view and routine findings. */
  readonly name: string;
  readonly problem: "missing" | "different" | "extra" | "unmanaged";
  /**
   * The object holds data (a table, column, key or check): it cannot be brought to the model by
   * replacing it, so adoption stops on it. Indexes, triggers, views and routines can be rebuilt.
   */
  readonly holdsData: boolean;
  readonly expected?: string;
  readonly actual?: string;
  /** One line for people, e.g. `column users.email: type varchar(100), expected varchar(255)`. */
  readonly message: string;
}

export interface CompareOptions {
  /** Also report tables and views the model does not manage (the application's own, another tool's ledger). */
  all?: boolean;
  /** Names never reported, e.g. the ledger. */
  ignore?: ReadonlySet<string>;
  /**
   * Triggers, rules and policies (`table.name`) and routines (`name`) the application marked as its
   * own: accepted where they stand. Any other one is an error.
   */
  ownObjects?: ReadonlySet<string>;
}

/** The longest piece of a hook's own text quoted in a finding. */
const QUOTED_DEFINITION_LENGTH = 160;

/** A definition as one short line: whitespace collapsed, cut with an ellipsis. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > QUOTED_DEFINITION_LENGTH ? `${line.slice(0, QUOTED_DEFINITION_LENGTH - 1)}…` : line;
}

const HOOK_WORDS: Record<HookSnapshot["kind"], string> = { trigger: "trigger", rule: "rule", policy: "row-level security policy" };

/** The attributes one side has and the other lacks, in a stable order. */
function attributeDifferences(expected: readonly string[] | undefined, actual: readonly string[] | undefined): { missing: string[]; extra: string[] } {
  const want = new Set(expected ?? []);
  const have = new Set(actual ?? []);
  return { missing: [...want].filter((a) => !have.has(a)).sort(), extra: [...have].filter((a) => !want.has(a)).sort() };
}

function describeAttributes({ missing, extra }: { missing: string[]; extra: string[] }): string {
  return [...extra.map((a) => `has ${a}, which the model does not`), ...missing.map((a) => `lacks ${a}`)].join("; ");
}

const columnsOf = (key: { columns: readonly string[] }) => key.columns.join(", ");
const sameColumns = (a: { columns: readonly string[] }, b: { columns: readonly string[] }) => columnsOf(a) === columnsOf(b);

/** A live index stands for a model index when it covers the same columns the same way; names do not matter. */
const coversAs = (live: IndexSnapshot, wanted: Pick<IndexSnapshot, "columns" | "unique" | "method">) =>
  sameColumns(live, wanted) && live.unique === wanted.unique && live.method === wanted.method;

/**
 * Whether the live table has a usable index that stands for `wanted`, as the comparison matches
 * them: so that reconciling creates exactly the indexes `check` would report missing.
 */
export function hasMatchingIndex(live: TableSnapshot | undefined, wanted: Pick<IndexSnapshot, "columns" | "unique" | "method">): boolean {
  return live !== undefined && live.indexes.some((index) => index.valid !== false && coversAs(index, wanted));
}

function describeColumn(c: ColumnSnapshot): string {
  return `${c.type}${c.nullable ? "" : " not null"}${c.default === null ? "" : ` default ${c.default}`}`;
}

function describeForeignKey(fk: ForeignKeySnapshot): string {
  return `(${columnsOf(fk)}) references ${fk.references.table} (${columnsOf(fk.references)}) on delete ${fk.onDelete}`;
}

function describeIndex(index: IndexSnapshot): string {
  return `${index.unique ? "unique " : ""}${index.method === "btree" ? "" : `${index.method} `}(${columnsOf(index)})`;
}

/** Compares one table the model has with the live table of the same name. */
function compareTable(expected: TableSnapshot, live: TableSnapshot, ownObjects: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const table = expected.name;
  const add = (f: Omit<Finding, "object" | "message"> & { what: string; detail: string }) => {
    const { what, detail, ...rest } = f;
    findings.push({ object: table, ...rest, message: `${what}: ${detail}` });
  };

  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  for (const column of expected.columns) {
    const what = `column ${table}.${column.name}`;
    const actual = liveColumns.get(column.name);
    if (!actual) {
      add({ severity: "error", kind: "column", name: column.name, problem: "missing", holdsData: true, expected: describeColumn(column), what, detail: `missing (expected ${describeColumn(column)})` });
      continue;
    }
    const typeMatches = actual.type === column.type || (column.alsoAccepted ?? []).includes(actual.type);
    const differences = [
      ...(typeMatches ? [] : [`type ${actual.type}, expected ${column.type}`]),
      ...(actual.nullable === column.nullable ? [] : [actual.nullable ? "nullable, expected not null" : "not null, expected nullable"]),
      ...(actual.default === column.default ? [] : [`default ${actual.default ?? "none"}, expected ${column.default ?? "none"}`]),
    ];
    if (differences.length > 0) {
      add({ severity: "error", kind: "column", name: column.name, problem: "different", holdsData: true, expected: describeColumn(column), actual: describeColumn(actual), what, detail: differences.join("; ") });
    }
    if (actual.autoUpdate !== column.autoUpdate) {
      // Kept current by a trigger (rebuilt on adoption) or by the column's ON UPDATE (part of the column).
      add({
        severity: "error", kind: "column", name: column.name, problem: "different", holdsData: false,
        expected: column.autoUpdate ? "set to the current time on update" : "left alone on update",
        actual: actual.autoUpdate ? "set to the current time on update" : "left alone on update",
        what, detail: column.autoUpdate ? "not set to the current time on update" : "set to the current time on update, which the model does not do",
      });
    }
  }
  const expectedColumns = new Set(expected.columns.map((c) => c.name));
  for (const column of live.columns) {
    if (!expectedColumns.has(column.name)) {
      add({ severity: "warning", kind: "column", name: column.name, problem: "extra", holdsData: true, actual: describeColumn(column), what: `column ${table}.${column.name}`, detail: `not in the model (${describeColumn(column)}); kept` });
    }
  }

  if (expected.primaryKey && (!live.primaryKey || !sameColumns(expected.primaryKey, live.primaryKey))) {
    add({
      severity: "error", kind: "primaryKey", name: expected.primaryKey.name, problem: live.primaryKey ? "different" : "missing", holdsData: true,
      expected: `(${columnsOf(expected.primaryKey)})`, ...(live.primaryKey ? { actual: `(${columnsOf(live.primaryKey)})` } : {}),
      what: `primary key of ${table}`, detail: live.primaryKey ? `(${columnsOf(live.primaryKey)}), expected (${columnsOf(expected.primaryKey)})` : `missing (expected (${columnsOf(expected.primaryKey)}))`,
    });
  }

  // Keys, foreign keys and indexes are matched by what they cover, not by name: hand-made databases
  // name them as they please.
  matchByColumns(expected.uniques, live.uniques, (key) => add({ severity: "error", kind: "unique", name: key.name, problem: "missing", holdsData: true, expected: `(${columnsOf(key)})`, what: `unique key ${key.name}`, detail: `missing on (${columnsOf(key)})` }), (key) =>
    add({ severity: "warning", kind: "unique", name: key.name, problem: "extra", holdsData: true, actual: `(${columnsOf(key)})`, what: `unique key ${table}.${key.name}`, detail: `on (${columnsOf(key)}) is not in the model; kept` }),
  );

  const liveForeignKeys = [...live.foreignKeys];
  for (const fk of expected.foreignKeys) {
    const index = liveForeignKeys.findIndex((l) => sameColumns(l, fk));
    const actual = index >= 0 ? liveForeignKeys.splice(index, 1)[0] : undefined;
    if (!actual) {
      add({ severity: "error", kind: "foreignKey", name: fk.name, problem: "missing", holdsData: true, expected: describeForeignKey(fk), what: `foreign key ${fk.name}`, detail: `missing: ${describeForeignKey(fk)}` });
    } else if (describeForeignKey(actual) !== describeForeignKey(fk)) {
      add({ severity: "error", kind: "foreignKey", name: fk.name, problem: "different", holdsData: true, expected: describeForeignKey(fk), actual: describeForeignKey(actual), what: `foreign key ${fk.name}`, detail: `${describeForeignKey(actual)}, expected ${describeForeignKey(fk)}` });
    } else if (actual.valid === false) {
      add({
        severity: "error", kind: "foreignKey", name: fk.name, problem: "different", holdsData: true, expected: describeForeignKey(fk), actual: `${describeForeignKey(actual)}, not valid`,
        what: `foreign key ${fk.name}`, detail: "not validated (NOT VALID): rows that break it may exist; validate it (ALTER TABLE … VALIDATE CONSTRAINT) after fixing them",
      });
    }
  }
  for (const fk of liveForeignKeys) {
    add({ severity: "warning", kind: "foreignKey", name: fk.name, problem: "extra", holdsData: true, actual: describeForeignKey(fk), what: `foreign key ${table}.${fk.name}`, detail: `${describeForeignKey(fk)} is not in the model; kept` });
  }

  const liveChecks = [...live.checks];
  for (const check of expected.checks) {
    const index = liveChecks.findIndex((l) => l.expression === check.expression);
    if (index >= 0) {
      const [actual] = liveChecks.splice(index, 1);
      if (actual?.valid === false) {
        add({
          severity: "error", kind: "check", name: check.name, problem: "different", holdsData: true, expected: check.expression, actual: `${actual.expression}, not valid`,
          what: `check ${check.name}`, detail: "not validated (NOT VALID): rows that break it may exist; validate it (ALTER TABLE … VALIDATE CONSTRAINT) after fixing them",
        });
      }
      continue;
    }
    const named = liveChecks.findIndex((l) => l.name === check.name);
    const actual = named >= 0 ? liveChecks.splice(named, 1)[0] : undefined;
    add({
      severity: "error", kind: "check", name: check.name, problem: actual ? "different" : "missing", holdsData: true, expected: check.expression, ...(actual ? { actual: actual.expression } : {}),
      what: `check ${check.name}`, detail: actual ? `${actual.expression}, expected ${check.expression}` : `missing: ${check.expression}`,
    });
  }
  for (const check of liveChecks) {
    add({ severity: "warning", kind: "check", name: check.name, problem: "extra", holdsData: true, actual: check.expression, what: `check ${table}.${check.name}`, detail: `${check.expression} is not in the model; kept` });
  }

  // An invalid index (a failed concurrent build) serves no query: it never stands for the model's,
  // and is an error of its own.
  for (const index of live.indexes.filter((i) => i.valid === false)) {
    add({
      severity: "error", kind: "index", name: index.name, problem: "different", holdsData: false, actual: `${describeIndex(index)}, invalid`,
      what: `index ${table}.${index.name}`, detail: "invalid: left by a failed concurrent build, it serves no query; up builds it again (or DROP INDEX it)",
    });
  }
  const liveIndexes = live.indexes.filter((i) => i.valid !== false);
  for (const index of expected.indexes) {
    const at = liveIndexes.findIndex((l) => coversAs(l, index));
    if (at >= 0) {
      liveIndexes.splice(at, 1);
      continue;
    }
    add({ severity: "error", kind: "index", name: index.name, problem: "missing", holdsData: false, expected: describeIndex(index), what: `index ${index.name}`, detail: `missing: ${describeIndex(index)} on ${table}` });
  }
  for (const index of liveIndexes) {
    const repeats = [...expected.uniques, ...(expected.primaryKey ? [expected.primaryKey] : []), ...expected.indexes].find((k) => sameColumns(k, index));
    add({
      severity: "warning", kind: "index", name: index.name, problem: "extra", holdsData: false, actual: describeIndex(index),
      what: `index ${table}.${index.name}`, detail: `${describeIndex(index)} is not in the model${repeats ? `; it repeats the columns of ${repeats.name}` : ""}; kept`,
    });
  }

  const attributes = attributeDifferences(expected.attributes, live.attributes);
  if (attributes.missing.length + attributes.extra.length > 0) {
    add({
      severity: "error", kind: "table", name: table, problem: "different", holdsData: false,
      expected: [...(expected.attributes ?? [])].sort().join(", ") || "none", actual: [...(live.attributes ?? [])].sort().join(", ") || "none",
      what: `table ${table}`, detail: describeAttributes(attributes),
    });
  }

  // Code that runs on every change to a managed table can copy or change what it holds, as whoever
  // makes the change: never called clean unless the application says it is its own.
  for (const hook of live.hooks ?? []) {
    const qualified = `${table}.${hook.name}`;
    if (ownObjects.has(qualified)) continue;
    add({
      severity: "error", kind: hook.kind, name: hook.name, problem: "unmanaged", holdsData: false, actual: hook.definition,
      what: `${HOOK_WORDS[hook.kind]} ${qualified}`,
      detail: `not made by better-auth-migrate (${oneLine(hook.definition)}); drop it, or mark it as the application's own with ownObjects: ["${qualified}"]`,
    });
  }
  return findings;
}

/** Pairs keys by column list; calls `missing` for each expected key without a partner, `extra` for each live one. */
function matchByColumns(expected: readonly KeySnapshot[], live: readonly KeySnapshot[], missing: (key: KeySnapshot) => void, extra: (key: KeySnapshot) => void): void {
  const rest = [...live];
  for (const key of expected) {
    const at = rest.findIndex((l) => sameColumns(l, key));
    if (at >= 0) rest.splice(at, 1);
    else missing(key);
  }
  for (const key of rest) extra(key);
}

/**
 * Compares the live database with the model, both in the dialect's normal form, and returns every
 * difference, grouped by object in the model's order. Tables, views and routines the model does not
 * manage are reported (as warnings) only with `all`.
 */
export function compareSchemas(expected: SchemaSnapshot, live: SchemaSnapshot, options: CompareOptions = {}): Finding[] {
  const ignore = options.ignore ?? new Set<string>();
  const ownObjects = options.ownObjects ?? new Set<string>();
  const findings: Finding[] = [];
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  for (const table of expected.tables) {
    const actual = liveTables.get(table.name);
    if (!actual) {
      findings.push({ severity: "error", object: table.name, kind: "table", name: table.name, problem: "missing", holdsData: true, message: `table ${table.name}: missing` });
    } else {
      findings.push(...compareTable(table, actual, ownObjects));
    }
  }
  const liveViews = new Map(live.views.map((v) => [v.name, v]));
  for (const view of expected.views) {
    const actual = liveViews.get(view.name);
    const base = { severity: "error", object: view.name, kind: "view", name: view.name, holdsData: false } as const;
    if (!actual) findings.push({ ...base, problem: "missing", message: `view ${view.name}: missing` });
    else if (actual.columns.join(", ") !== view.columns.join(", ")) {
      findings.push({ ...base, problem: "different", expected: view.columns.join(", "), actual: actual.columns.join(", "), message: `view ${view.name}: columns (${actual.columns.join(", ")}), expected (${view.columns.join(", ")})` });
    } else if (actual.definition !== view.definition) {
      findings.push({ ...base, problem: "different", expected: view.definition, actual: actual.definition, message: `view ${view.name}: its query differs from the model's` });
    }
  }
  const liveRoutines = new Map(live.routines.map((r) => [r.name, r]));
  for (const routine of expected.routines) {
    const actual = liveRoutines.get(routine.name);
    const base = { severity: "error", object: routine.name, kind: "routine", name: routine.name, holdsData: false } as const;
    if (!actual) {
      findings.push({ ...base, problem: "missing", message: `function ${routine.name}: missing` });
      continue;
    }
    if (actual.definition !== routine.definition) {
      findings.push({ ...base, problem: "different", expected: routine.definition, actual: actual.definition, message: `function ${routine.name}: its body differs from the model's` });
    }
    if (routine.pinnedSearchPath && !actual.pinnedSearchPath) {
      findings.push({ ...base, problem: "different", message: `function ${routine.name}: its search_path is not pinned, so objects in another schema can stand in for the ones it uses` });
    }
    const attributes = attributeDifferences(routine.attributes, actual.attributes);
    if (attributes.missing.length + attributes.extra.length > 0) {
      findings.push({
        ...base, problem: "different", expected: [...(routine.attributes ?? [])].sort().join(", ") || "none", actual: [...(actual.attributes ?? [])].sort().join(", ") || "none",
        message: `function ${routine.name}: ${describeAttributes(attributes)}`,
      });
    }
  }
  // A routine of the schema that the model lacks can stand in for one of ours or be what a hook
  // calls: an error unless the application says it is its own.
  const expectedRoutines = new Set(expected.routines.map((r) => r.name));
  for (const routine of live.routines) {
    if (expectedRoutines.has(routine.name) || ownObjects.has(routine.name) || ignore.has(routine.name)) continue;
    findings.push({
      severity: "error", object: routine.name, kind: "routine", name: routine.name, problem: "unmanaged", holdsData: false,
      message: `function ${routine.name}: not made by better-auth-migrate; drop it, or mark it as the application's own with ownObjects: ["${routine.name}"]`,
    });
  }
  if (options.all) {
    const managed = new Set([...expected.tables, ...expected.views, ...expected.routines].map((o) => o.name));
    for (const object of [...live.tables, ...live.views]) {
      if (managed.has(object.name) || ignore.has(object.name)) continue;
      const kind = "columns" in object && "foreignKeys" in object ? "table" : "view";
      findings.push({ severity: "warning", object: object.name, kind, name: object.name, problem: "unmanaged", holdsData: kind === "table", message: `${kind} ${object.name}: not managed by better-auth-migrate` });
    }
  }
  return findings;
}
