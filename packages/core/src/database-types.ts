import type { ColumnType as KyselyColumnType, Generated } from "kysely";
import type { ColumnSpec, ColumnSpecs, TableDefinition } from "./model/define-table.js";
import type { Extension } from "./migrations/extensions.js";
import type { accounts, invitation, member, organization, sessions, users } from "./schema/index.js";

export type JsonObject = { [key: string]: unknown };

type BaseValue<S extends ColumnSpec> = S["type"] extends "boolean"
  ? boolean
  : S["type"] extends "timestamp"
    ? Date
    : S["type"] extends "json"
      ? JsonObject
      : S["type"] extends "integer"
        ? number
        : string;

type Value<S extends ColumnSpec> = S["nullable"] extends true ? BaseValue<S> | null : BaseValue<S>;

/** The Kysely type of one column: columns the database fills in are optional on insert. */
export type ColumnValue<S extends ColumnSpec> = S extends { default: object }
  ? Generated<Value<S>>
  : S["type"] extends "json"
    ? KyselyColumnType<Value<S>, Value<S>, Value<S>>
    : Value<S>;

/** The Kysely row type of a table built with `defineTable`. */
export type RowOf<Columns extends ColumnSpecs> = { -readonly [K in keyof Columns]: ColumnValue<Columns[K]> };

export type TableRow<T> = T extends TableDefinition<string, infer Columns> ? RowOf<Columns> : never;

export type UsersTable = TableRow<typeof users>;
export type SessionsTable = TableRow<typeof sessions>;
export type AccountsTable = TableRow<typeof accounts>;
export type OrganizationTable = TableRow<typeof organization>;
export type MemberTable = TableRow<typeof member>;
export type InvitationTable = TableRow<typeof invitation>;

/** The `active_sessions` view (read-only). */
export interface ActiveSessionsView {
  id: string;
  user_id: string;
  token: string;
  expires_at: Date;
  created_at: Date;
  ip_address: string | null;
  user_agent: string | null;
  email: string | null;
  name: string | null;
}

/**
 * The Better Auth schema as Kysely sees it: `new Kysely<BetterAuthDatabase>(…)`.
 *
 * @example
 * const session = await db.selectFrom("active_sessions").selectAll().where("token", "=", token).executeTakeFirst();
 */
export interface BetterAuthDatabase {
  users: UsersTable;
  sessions: SessionsTable;
  accounts: AccountsTable;
  organization: OrganizationTable;
  member: MemberTable;
  invitation: InvitationTable;
  active_sessions: ActiveSessionsView;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

type ExtensionDatabase<E> =
  E extends Extension<infer Tables, infer Columns>
    ? { [T in Tables[number] as T["name"]]: TableRow<T> } & { [Table in keyof Columns]: RowOf<Columns[Table]> }
    : never;

/**
 * The schema with extensions applied, for Kysely: `Kysely<DatabaseWith<[typeof twoFactor]>>`.
 * Added tables appear as tables; added columns join their table's row type.
 */
export type DatabaseWith<Extensions extends readonly Extension[]> = Extensions extends readonly []
  ? BetterAuthDatabase
  : BetterAuthDatabase & UnionToIntersection<ExtensionDatabase<Extensions[number]>>;
