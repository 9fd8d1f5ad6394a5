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

  it("reports every trigger, rule and policy on a managed table as an error, unless the application marks it as its own", () => {
    const copyEmails = { kind: "trigger", name: "copy_email", definition: "CREATE TRIGGER copy_email AFTER INSERT ON users\n  FOR EACH ROW EXECUTE FUNCTION steal()" } as const;
    const live: SchemaSnapshot = {
      ...model,
      tables: [{ ...users, hooks: [copyEmails] }, { ...sessions, hooks: [{ kind: "rule", name: "copy_tokens", definition: "CREATE RULE copy_tokens AS ON INSERT TO sessions DO ALSO INSERT INTO loot SELECT new.token" }] }],
    };
    expect(messages(live)).toEqual([
      'error trigger users.copy_email: not made by better-auth-migrate (CREATE TRIGGER copy_email AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION steal()); drop it, or mark it as the application\'s own with ownObjects: ["users.copy_email"]',
      'error rule sessions.copy_tokens: not made by better-auth-migrate (CREATE RULE copy_tokens AS ON INSERT TO sessions DO ALSO INSERT INTO loot SELECT new.token); drop it, or mark it as the application\'s own with ownObjects: ["sessions.copy_tokens"]',
    ]);
    expect(compareSchemas(model, live).map((f) => [f.kind, f.problem, f.holdsData])).toEqual([["trigger", "unmanaged", false], ["rule", "unmanaged", false]]);
    expect(messages(live, { ownObjects: new Set(["users.copy_email", "sessions.copy_tokens"]) })).toEqual([]);
    // Marked on another table, it is still reported.
    expect(messages(live, { ownObjects: new Set(["sessions.copy_email", "users.copy_tokens"]) })).toHaveLength(2);
    const long = { ...copyEmails, definition: `CREATE TRIGGER t ${"x".repeat(500)}` };
    expect(messages({ ...model, tables: [{ ...users, hooks: [long] }, sessions] })[0]).toMatch(/\(CREATE TRIGGER t x+…\)/);
  });

  it("reports table and routine attributes that differ, and constraints not validated", () => {
    const withAttributes: SchemaSnapshot = { ...model, routines: [{ ...model.routines[0]!, attributes: ["search_path=pg_catalog, pg_temp"] }] };
    const live: SchemaSnapshot = {
      ...model,
      tables: [
        { ...users, attributes: ["unlogged", "row level security forced"] },
        { ...sessions, foreignKeys: sessions.foreignKeys.map((fk) => ({ ...fk, valid: false })), checks: sessions.checks.map((c) => ({ ...c, valid: false })) },
      ],
      routines: [{ ...model.routines[0]!, attributes: ["security definer", "search_path=evil, pg_catalog"] }],
    };
    expect(compareSchemas(withAttributes, live).map((f) => `${f.severity} ${f.message}`)).toEqual([
      "error table users: has row level security forced, which the model does not; has unlogged, which the model does not",
      "error foreign key sessions_user_id_fkey: not validated (NOT VALID): rows that break it may exist; validate it (ALTER TABLE … VALIDATE CONSTRAINT) after fixing them",
      "error check sessions_status_check: not validated (NOT VALID): rows that break it may exist; validate it (ALTER TABLE … VALIDATE CONSTRAINT) after fixing them",
      "error function cleanup: has search_path=evil, pg_catalog, which the model does not; has security definer, which the model does not; lacks search_path=pg_catalog, pg_temp",
    ]);
    expect(compareSchemas(withAttributes, withAttributes)).toEqual([]);
  });

  it("reports a routine the model lacks as an error unless the application marks it as its own", () => {
    const live: SchemaSnapshot = { ...model, routines: [...model.routines, { name: "now", definition: "select 1", pinnedSearchPath: false }] };
    expect(messages(live)).toEqual(['error function now: not made by better-auth-migrate; drop it, or mark it as the application\'s own with ownObjects: ["now"]']);
    expect(messages(live, { ownObjects: new Set(["now"]) })).toEqual([]);
  });
});
