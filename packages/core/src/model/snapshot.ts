import type { ReferentialAction } from "./types.js";

/**
 * What a database holds, as facts every dialect can state in its own normal form. An adapter's
 * introspector reads them from the live database; its renderer describes the model in the same
 * form (`DialectRenderer.describe`); the comparison, written once in core, then needs no dialect
 * knowledge: `varchar(255)` against `character varying(255)` is the introspector's to normalise.
 */
export interface SchemaSnapshot {
  readonly tables: readonly TableSnapshot[];
  readonly views: readonly ViewSnapshot[];
  /** Stored routines (PostgreSQL's functions); empty where the dialect renders none. */
  readonly routines: readonly RoutineSnapshot[];
}

export interface TableSnapshot {
  readonly name: string;
  readonly columns: readonly ColumnSnapshot[];
  readonly primaryKey: KeySnapshot | undefined;
  readonly uniques: readonly KeySnapshot[];
  readonly foreignKeys: readonly ForeignKeySnapshot[];
  readonly checks: readonly CheckSnapshot[];
  /** Indexes that are not a key's own (a unique key's or primary key's index is the key). */
  readonly indexes: readonly IndexSnapshot[];
  /**
   * Code the database runs when the table is touched (triggers, rules, policies), other than the
   * managed updated_at trigger that the introspector already states as a column's `autoUpdate`.
   * The model has none: every one is reported unless the application marks it as its own.
   */
  readonly hooks?: readonly HookSnapshot[];
  /**
   * Table-level facts in the dialect's normal spelling that change what the table keeps or shows
   * (PostgreSQL: `unlogged`, `row level security`, `row level security forced`), compared as a set
   * with what `describe` states; undefined means none.
   */
  readonly attributes?: readonly string[];
}

/** Code the database runs when a table is touched: a trigger, a rule (PostgreSQL), a row-level security policy (PostgreSQL). */
export interface HookSnapshot {
  readonly kind: "trigger" | "rule" | "policy";
  readonly name: string;
  /** What it does, in the dialect's own words (the CREATE text the server gives back): shown to people, not compared. */
  readonly definition: string;
}

export interface ColumnSnapshot {
  readonly name: string;
  /** The type in the dialect's normal spelling (lower case, no optional words), e.g. `varchar(255)`. */
  readonly type: string;
  /**
   * Other live types that hold the same values just as well (on the described side only): a hand-made
   * PostgreSQL `varchar(255)` id where the model renders `text`. Not drift.
   */
  readonly alsoAccepted?: readonly string[];
  readonly nullable: boolean;
  /** The default in the dialect's normal spelling, or null. */
  readonly default: string | null;
  /** Set to the current time on every update, by whatever means the dialect has (trigger, ON UPDATE). */
  readonly autoUpdate: boolean;
}

export interface KeySnapshot {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ForeignKeySnapshot {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: { readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: ReferentialAction;
  /** False when the database does not enforce it on existing rows (PostgreSQL's NOT VALID); undefined means valid. */
  readonly valid?: boolean;
}

export interface CheckSnapshot {
  readonly name: string;
  /** The check's condition in the dialect's normal spelling. */
  readonly expression: string;
  /** False when existing rows were never checked against it (PostgreSQL's NOT VALID); undefined means valid. */
  readonly valid?: boolean;
}

export interface IndexSnapshot {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** The access method where the dialect has several (`btree`, `gin`); `btree` otherwise. */
  readonly method: string;
  /** False for an index a failed build left behind (PostgreSQL's INVALID index): it serves no query. */
  readonly valid?: boolean;
}

export interface ViewSnapshot {
  readonly name: string;
  readonly columns: readonly string[];
  /** The query in the dialect's normal form: what the introspector makes of the server's text. */
  readonly definition: string;
}

export interface RoutineSnapshot {
  readonly name: string;
  /** The body in the dialect's normal form. */
  readonly definition: string;
  /** The routine fixes its own search_path (PostgreSQL), so objects elsewhere cannot stand in for ours. */
  readonly pinnedSearchPath: boolean;
  /**
   * Facts in the dialect's normal spelling that change how it runs (PostgreSQL: `security definer`,
   * `search_path=pg_catalog, pg_temp`), compared as a set with what `describe` states; undefined means none.
   */
  readonly attributes?: readonly string[];
}
