/**
 * The dialect-neutral schema model. Everything here is plain data (JSON-serialisable), so a
 * migration's checksum can be computed from it and every dialect renders the same definition.
 */

/** Logical column types; each dialect maps them to its own storage types. */
export type ColumnType =
  /** A primary or foreign key: application-generated string, or a native UUID when the adapter is asked for one. */
  | "id"
  /** A short string (an email, a slug, a token): varchar(255) where the dialect needs a length. */
  | "string"
  /** Unbounded text (tokens from OAuth providers, user agents, image URLs). */
  | "text"
  | "boolean"
  /** An instant with millisecond precision, stored as UTC, valid from 1970 to at least 2100. */
  | "timestamp"
  /** A JSON object. */
  | "json"
  /** An IPv4 or IPv6 address (PostgreSQL `inet`; text of IPv6 length elsewhere). */
  | "ipAddress"
  | "integer";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A column default the database fills in when an insert leaves the column out. */
export type ColumnDefault =
  | { readonly kind: "now" }
  | { readonly kind: "value"; readonly value: string | number | boolean }
  | { readonly kind: "json"; readonly value: JsonValue };

export type ReferentialAction = "cascade" | "restrict" | "set null" | "set default" | "no action";

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly default?: ColumnDefault;
  /** Set to the current time by the database on every update of the row. */
  readonly autoUpdate?: boolean;
}

export interface KeyConstraint {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: { readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: ReferentialAction;
}

/** A check that a column holds one of a fixed set of values (enforced by the database). */
export interface AllowedValuesCheck {
  readonly name: string;
  readonly column: string;
  readonly values: readonly string[];
}

export type Index = KeyConstraint;

export interface Table {
  readonly name: string;
  readonly comment: string;
  readonly columns: readonly Column[];
  readonly primaryKey: KeyConstraint;
  readonly uniques: readonly KeyConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly checks: readonly AllowedValuesCheck[];
  readonly indexes: readonly Index[];
}

export interface ColumnRef {
  /** The alias of a table in the view's `from` or `join`. */
  readonly table: string;
  readonly column: string;
}

export type ViewCondition =
  | { readonly kind: "isTrue"; readonly column: ColumnRef }
  | { readonly kind: "afterNow"; readonly column: ColumnRef };

/** A read-only view: one table joined to another, filtered by simple conditions. */
export interface View {
  readonly name: string;
  readonly comment: string;
  readonly from: { readonly table: string; readonly alias: string };
  readonly join: {
    readonly table: string;
    readonly alias: string;
    readonly on: { readonly left: ColumnRef; readonly right: ColumnRef };
  };
  readonly select: readonly ColumnRef[];
  readonly where: readonly ViewCondition[];
}

/**
 * Database-side routines. A dialect that has stored functions renders them (PostgreSQL); others
 * declare they do not need them and get the same behaviour another way (an SQLite trigger, MySQL's
 * `ON UPDATE`, a DELETE sent by the migrator).
 */
export type Routine = TouchUpdatedAtRoutine | CleanupExpiredSessionsRoutine;

/** Sets an `autoUpdate` column to the current time on update; its trigger names the column. */
export interface TouchUpdatedAtRoutine {
  readonly kind: "touchUpdatedAt";
  readonly name: string;
  readonly comment: string;
}

/** Deletes the sessions that are expired or inactive and returns how many it deleted. */
export interface CleanupExpiredSessionsRoutine {
  readonly kind: "cleanupExpiredSessions";
  readonly name: string;
  readonly comment: string;
  readonly table: string;
  readonly expiresAt: string;
  readonly active: string;
}
