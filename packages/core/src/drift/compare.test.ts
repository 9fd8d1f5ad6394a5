import { describe, expect, it } from "vitest";
import type { ColumnSnapshot, SchemaSnapshot, TableSnapshot } from "../model/snapshot.js";
import { compareSchemas } from "./compare.js";

const column = (name: string, type: string, extra: Partial<ColumnSnapshot> = {}): ColumnSnapshot => ({ name, type, nullable: false, default: null, autoUpdate: false, ...extra });

const users: TableSnapshot = {
  name: "users",
  columns: [column("id", "text", { alsoAccepted: ["varchar(255)"] }), column("email", "text", { nullable: true }), column("updated_at", "timestamptz", { default: "now()", autoUpdate: true })],
  primaryKey: { name: "users_pkey", columns: ["id"] },
  uniques: [{ name: "users_email_key", columns: ["email"] }],
  foreignKeys: [],
  checks: [],
  indexes: [],
};
const sessions: TableSnapshot = {
  name: "sessions",
  columns: [column("id", "text"), column("user_id", "text"), column("status", "text")],
  primaryKey: { name: "sessions_pkey", columns: ["id"] },
  uniques: [],
  foreignKeys: [{ name: "sessions_user_id_fkey", columns: ["user_id"], references: { table: "users", columns: ["id"] }, onDelete: "cascade" }],
  checks: [{ name: "sessions_status_check", expression: "status in ('a','b')" }],
  indexes: [{ name: "sessions_user_id_idx", columns: ["user_id"], unique: false, method: "btree" }],
};
const model: SchemaSnapshot = {
  tables: [users, sessions],
  views: [{ name: "active_sessions", columns: ["id"], definition: "select s.id from sessions s" }],
  routines: [{ name: "cleanup", definition: "delete", pinnedSearchPath: true }],
};

const messages = (live: SchemaSnapshot, options = {}) => compareSchemas(model, live, options).map((f) => `${f.severity} ${f.message}`);

describe("compareSchemas", () => {
  it("finds nothing when the live database is the model, and accepts the types the model allows", () => {
    expect(compareSchemas(model, model)).toEqual([]);
    const handMade = { ...model, tables: [{ ...users, columns: users.columns.map((c) => (c.name === "id" ? { ...c, type: "varchar(255)", alsoAccepted: undefined } : c)) }, sessions] };
    expect(compareSchemas(model, handMade)).toEqual([]);
  });

  it("reports missing and different columns as errors, extra ones as warnings", () => {
    const live: SchemaSnapshot = {
      ...model,
      tables: [
        {
          ...users,
          columns: [column("id", "integer"), column("updated_at", "timestamptz", { default: null, nullable: true }), column("nickname", "text")],
        },
        sessions,
      ],
    };
    expect(messages(live)).toEqual([
      "error column users.id: type integer, expected text",
      "error column users.email: missing (expected text)",
      "error column users.updated_at: nullable, expected not null; default none, expected now()",
      "error column users.updated_at: not set to the current time on update",
      "warning column users.nickname: not in the model (text not null); kept",
    ]);
    const [updatedAt, trigger] = compareSchemas(model, live).filter((f) => f.name === "updated_at");
    expect([updatedAt!.holdsData, trigger!.holdsData]).toEqual([true, false]);
  });

  it("matches keys, foreign keys and indexes by what they cover, whatever their names", () => {
    const renamed: TableSnapshot = {
      ...sessions,
      foreignKeys: [{ ...sessions.foreignKeys[0]!, name: "fk_1" }],
      indexes: [
        { name: "idx_sessions_user", columns: ["user_id"], unique: false, method: "btree" },
        { name: "sessions_id_idx", columns: ["id"], unique: false, method: "btree" },
        { name: "sessions_status_gin", columns: ["status"], unique: false, method: "gin" },
      ],
    };
    expect(messages({ ...model, tables: [users, renamed] })).toEqual([
      "warning index sessions.sessions_id_idx: (id) is not in the model; it repeats the columns of sessions_pkey; kept",
      "warning index sessions.sessions_status_gin: gin (status) is not in the model; kept",
    ]);
  });

  it("reports a missing or different foreign key, check, primary key and index", () => {
    const broken: TableSnapshot = {
      ...sessions,
      primaryKey: undefined,
      foreignKeys: [{ ...sessions.foreignKeys[0]!, onDelete: "no action" }],
      checks: [{ name: "sessions_status_check", expression: "status in ('a')" }],
      indexes: [],
    };
    expect(messages({ ...model, tables: [users, broken] })).toEqual([
      "error primary key of sessions: missing (expected (id))",
      "error foreign key sessions_user_id_fkey: (user_id) references users (id) on delete no action, expected (user_id) references users (id) on delete cascade",
      "error check sessions_status_check: status in ('a'), expected status in ('a','b')",
      "error index sessions_user_id_idx: missing: (user_id) on sessions",
    ]);
    expect(messages({ ...model, tables: [users, { ...sessions, foreignKeys: [], checks: [] }] })).toEqual([
      "error foreign key sessions_user_id_fkey: missing: (user_id) references users (id) on delete cascade",
      "error check sessions_status_check: missing: status in ('a','b')",
    ]);
  });

  it("reports missing tables, edited views, and routines whose body or search_path differ", () => {
    const live: SchemaSnapshot = {
      tables: [users],
      views: [{ name: "active_sessions", columns: ["id"], definition: "select s.id from sessions s where true" }],
      routines: [{ name: "cleanup", definition: "delete", pinnedSearchPath: false }],
    };
    expect(messages(live)).toEqual([
      "error table sessions: missing",
      "error view active_sessions: its query differs from the model's",
      "error function cleanup: its search_path is not pinned, so objects in another schema can stand in for the ones it uses",
    ]);
  });

  it("lists what the model does not manage only with all, never what it is told to ignore", () => {
    const live: SchemaSnapshot = { ...model, tables: [...model.tables, { ...sessions, name: "_sqlx_migrations" }, { ...sessions, name: "better_auth_migrations" }] };
    expect(messages(live)).toEqual([]);
    expect(messages(live, { all: true, ignore: new Set(["better_auth_migrations"]) })).toEqual(["warning table _sqlx_migrations: not managed by better-auth-migrate"]);
  });
});
