/**
 * The live PostgreSQL catalog after `up()`, compared with SPEC §3 and §4 written out by hand:
 * columns, keys, foreign keys, the status check, comments, uuid ids and a quoted custom schema.
 */
import { closeAdminPools, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migratedDatabase, rows } from "./helpers.js";

afterAll(closeAdminPools);



/** [column name, data_type, is_nullable, column_default] as information_schema reports them. */
type ColumnRow = [name: string, type: string, nullable: "YES" | "NO", defaultValue: string | null];

async function columnsOf(client: pg.Client, schema: string, table: string): Promise<ColumnRow[]> {
  const result = await rows<{ column_name: string; data_type: string; is_nullable: "YES" | "NO"; column_default: string | null }>(
    client,
    `SELECT column_name, data_type, is_nullable, column_default
       FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2
      ORDER BY ordinal_position`,
    [schema, table],
  );
  return result.map((c) => [c.column_name, c.data_type, c.is_nullable, c.column_default]);
}

interface ConstraintRow {
  table: string;
  name: string;
  /** p primary key, u unique, f foreign key, c check */
  type: string;
  columns: string[];
  references: string | null;
  /** pg_constraint.confdeltype: c = cascade */
  onDelete: string | null;
}

async function constraintsOf(client: pg.Client, schema: string): Promise<ConstraintRow[]> {
  return rows<ConstraintRow>(
    client,
    `SELECT t.relname::text AS "table", c.conname::text AS name, c.contype::text AS type,
            ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, i)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS columns,
            CASE WHEN c.contype = 'f' THEN
              r.relname || '(' || array_to_string(ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, i)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.i), ', ') || ')'
            END AS "references",
            CASE WHEN c.contype = 'f' THEN c.confdeltype::text END AS "onDelete"
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_class r ON r.oid = c.confrelid
      WHERE n.nspname = $1 AND c.contype IN ('p', 'u', 'f', 'c')
        AND t.relname IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation')
      ORDER BY t.relname, c.conname`,
    [schema],
  );
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ---------------------------------------------------------------------------------------------
// SPEC §3, written out as information_schema reports it (string ids, the default).
// ---------------------------------------------------------------------------------------------

const TSTZ = "timestamp with time zone";

const EXPECTED_COLUMNS: Record<string, ColumnRow[]> = {
  users: [
    ["id", "text", "NO", null],
    ["email", "text", "YES", null],
    ["name", "text", "YES", null],
    ["image", "text", "YES", null],
    ["email_verified", "boolean", "NO", "false"],
    ["created_at", TSTZ, "NO", "now()"],
    ["updated_at", TSTZ, "NO", "now()"],
    ["metadata", "jsonb", "NO", "'{}'::jsonb"],
  ],
  sessions: [
    ["id", "text", "NO", null],
    ["user_id", "text", "NO", null],
    ["token", "text", "NO", null],
    ["expires_at", TSTZ, "NO", null],
    ["created_at", TSTZ, "NO", "now()"],
    ["ip_address", "inet", "YES", null],
    ["user_agent", "text", "YES", null],
    ["active", "boolean", "NO", "true"],
  ],
  accounts: [
    ["id", "text", "NO", null],
    ["user_id", "text", "NO", null],
    ["provider", "text", "NO", null],
    ["provider_account_id", "text", "NO", null],
    ["access_token", "text", "YES", null],
    ["refresh_token", "text", "YES", null],
    ["expires_at", TSTZ, "YES", null],
    ["token_type", "text", "YES", null],
    ["scope", "text", "YES", null],
    ["created_at", TSTZ, "NO", "now()"],
  ],
  organization: [
    ["id", "text", "NO", null],
    ["name", "text", "NO", null],
    ["slug", "text", "NO", null],
    ["logo", "text", "YES", null],
    ["metadata", "jsonb", "NO", "'{}'::jsonb"],
    ["created_at", TSTZ, "NO", "now()"],
    ["updated_at", TSTZ, "NO", "now()"],
  ],
  member: [
    ["id", "text", "NO", null],
    ["organization_id", "text", "NO", null],
    ["user_id", "text", "NO", null],
    ["role", "text", "NO", "'member'::text"],
    ["created_at", TSTZ, "NO", "now()"],
  ],
  invitation: [
    ["id", "text", "NO", null],
    ["organization_id", "text", "NO", null],
    ["email", "text", "NO", null],
    ["role", "text", "NO", "'member'::text"],
    ["status", "text", "NO", "'pending'::text"],
    ["inviter_id", "text", "NO", null],
    ["expires_at", TSTZ, "NO", null],
    ["created_at", TSTZ, "NO", "now()"],
  ],
};

const TABLES = Object.keys(EXPECTED_COLUMNS);

const pk = (table: string): ConstraintRow => ({ table, name: `${table}_pkey`, type: "p", columns: ["id"], references: null, onDelete: null });
const unique = (table: string, name: string, columns: string[]): ConstraintRow => ({ table, name, type: "u", columns, references: null, onDelete: null });
const cascade = (table: string, column: string, references: string): ConstraintRow => ({
  table,
  name: `${table}_${column}_fkey`,
  type: "f",
  columns: [column],
  references,
  onDelete: "c",
});

/** Sorted as the query sorts them: by table, then constraint name. */
const EXPECTED_CONSTRAINTS: ConstraintRow[] = [
  pk("accounts"),
  unique("accounts", "accounts_provider_provider_account_id_key", ["provider", "provider_account_id"]),
  cascade("accounts", "user_id", "users(id)"),
  cascade("invitation", "inviter_id", "users(id)"),
  cascade("invitation", "organization_id", "organization(id)"),
  pk("invitation"),
  { table: "invitation", name: "invitation_status_check", type: "c", columns: ["status"], references: null, onDelete: null },
  cascade("member", "organization_id", "organization(id)"),
  unique("member", "member_organization_id_user_id_key", ["organization_id", "user_id"]),
  pk("member"),
  cascade("member", "user_id", "users(id)"),
  pk("organization"),
  unique("organization", "organization_slug_key", ["slug"]),
  pk("sessions"),
  unique("sessions", "sessions_token_key", ["token"]),
  cascade("sessions", "user_id", "users(id)"),
  unique("users", "users_email_key", ["email"]),
  pk("users"),
];

describe.each(inject("postgresServers"))("PostgreSQL $version", (server) => {
  describe("catalog after up() with default options", () => {
    let db: TestDatabase;
    let client: pg.Client;
    beforeAll(async () => {
      ({ db, client } = await migratedDatabase(server.adminUrl));
    });
    afterAll(async () => {
      await client?.end();
      await db?.drop();
    });

    it.each(TABLES)("%s has exactly the SPEC §3 columns, types, nullability and defaults, in order", async (table) => {
      expect(await columnsOf(client, "public", table)).toEqual(EXPECTED_COLUMNS[table]);
    });

    it("has exactly the SPEC §3 primary keys, unique constraints, cascading foreign keys and status check", async () => {
      expect(await constraintsOf(client, "public")).toEqual(EXPECTED_CONSTRAINTS);
    });

    it("invitation.status check names exactly pending, accepted, rejected and canceled", async () => {
      const [check] = await rows<{ definition: string }>(
        client,
        `SELECT pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
          WHERE c.conrelid = 'public.invitation'::regclass AND c.contype = 'c'`,
      );
      expect(check?.definition).toMatch(/\bstatus\b/);
      for (const status of ["'pending'", "'accepted'", "'rejected'", "'canceled'"]) expect(check?.definition).toContain(status);
      const quoted = check?.definition.match(/'[^']*'/g) ?? [];
      expect(quoted).toHaveLength(4);
    });

    it("users and organization have a BEFORE UPDATE row trigger on updated_at and no other table has one", async () => {
      const triggers = await rows<{ table: string; definition: string }>(
        client,
        `SELECT c.relname::text AS "table", pg_get_triggerdef(t.oid) AS definition
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
          ORDER BY c.relname`,
      );
      expect(triggers.map((t) => t.table)).toEqual(["organization", "users"]);
      for (const { definition } of triggers) {
        expect(definition).toMatch(/ BEFORE UPDATE ON /);
        expect(definition).toMatch(/ FOR EACH ROW EXECUTE FUNCTION /);
      }
    });

    it("has comments on the six tables, the active_sessions view, cleanup_expired_sessions and the trigger function", async () => {
      const relations = await rows<{ name: string; comment: string | null }>(
        client,
        `SELECT c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace
            AND c.relname IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation', 'active_sessions')
          ORDER BY c.relname`,
      );
      expect(relations.map((r) => r.name)).toEqual(["accounts", "active_sessions", "invitation", "member", "organization", "sessions", "users"]);
      // The trigger function is whatever the users trigger calls; the cleanup function is named by SPEC §4.
      const functions = await rows<{ name: string; comment: string | null }>(
        client,
        `SELECT p.proname::text AS name, obj_description(p.oid, 'pg_proc') AS comment FROM pg_proc p
          WHERE p.oid IN (SELECT t.tgfoid FROM pg_trigger t WHERE t.tgrelid = 'public.users'::regclass AND NOT t.tgisinternal)
             OR p.oid = 'public.cleanup_expired_sessions()'::regprocedure
          ORDER BY p.proname = 'cleanup_expired_sessions'`,
      );
      expect(functions).toHaveLength(2);
      expect(functions[1]?.name).toBe("cleanup_expired_sessions");
      for (const { name, comment } of [...relations, ...functions]) {
        expect({ name, comment: comment?.trim() ?? "" }).toEqual({ name, comment: expect.stringMatching(/\w{3,}/) });
      }
    });

    it("cleanup_expired_sessions() returns integer and both functions pin search_path to pg_catalog, pg_temp", async () => {
      const functions = await rows<{ name: string; result: string; config: string[] | null }>(
        client,
        `SELECT p.proname::text AS name, pg_get_function_result(p.oid) AS result, p.proconfig::text[] AS config FROM pg_proc p
          WHERE p.pronamespace = 'public'::regnamespace ORDER BY p.proname`,
      );
      expect(functions).toHaveLength(2);
      expect(functions.find((f) => f.name === "cleanup_expired_sessions")?.result).toBe("integer");
      expect(functions.map((f) => f.result).sort()).toEqual(["integer", "trigger"]);
      for (const f of functions) expect(f.config).toEqual(["search_path=pg_catalog, pg_temp"]);
    });

    it("the active_sessions view has the SPEC §4 columns in order", async () => {
      const viewColumns = await rows<{ column_name: string }>(
        client,
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = 'active_sessions' ORDER BY ordinal_position`,
      );
      expect(viewColumns.map((c) => c.column_name)).toEqual([
        "id", "user_id", "token", "expires_at", "created_at", "ip_address", "user_agent", "email", "name",
      ]);
    });
  });

  describe('catalog after up() with { ids: "uuid" }', () => {
    let db: TestDatabase;
    let client: pg.Client;
    beforeAll(async () => {
      ({ db, client } = await migratedDatabase(server.adminUrl, { ids: "uuid" }));
    });
    afterAll(async () => {
      await client?.end();
      await db?.drop();
    });

    it("every id and every foreign-key column is uuid; primary keys default to gen_random_uuid(), foreign keys have no default", async () => {
      const idColumns = await rows<{ table: string; column: string; type: string; default: string | null }>(
        client,
        `SELECT table_name::text AS "table", column_name::text AS "column", data_type AS type, column_default AS "default"
           FROM information_schema.columns
          WHERE table_schema = 'public'
            AND table_name IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation')
            AND (column_name IN ('id', 'user_id', 'organization_id', 'inviter_id') OR data_type = 'uuid')
          ORDER BY table_name, ordinal_position`,
      );
      const gen = "gen_random_uuid()";
      expect(idColumns.map((c) => [c.table, c.column, c.type, c.default])).toEqual([
        ["accounts", "id", "uuid", gen],
        ["accounts", "user_id", "uuid", null],
        ["invitation", "id", "uuid", gen],
        ["invitation", "organization_id", "uuid", null],
        ["invitation", "inviter_id", "uuid", null],
        ["member", "id", "uuid", gen],
        ["member", "organization_id", "uuid", null],
        ["member", "user_id", "uuid", null],
        ["organization", "id", "uuid", gen],
        ["sessions", "id", "uuid", gen],
        ["sessions", "user_id", "uuid", null],
        ["users", "id", "uuid", gen],
      ]);
    });

    it("every foreign-key column has the same type as the key it references", async () => {
      const pairs = await rows<{ fk: string; column_type: string; referenced_type: string }>(
        client,
        `SELECT c.conname::text AS fk,
                format_type(a.atttypid, a.atttypmod) AS column_type,
                format_type(ra.atttypid, ra.atttypmod) AS referenced_type
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
          WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
          ORDER BY c.conname`,
      );
      expect(pairs).toHaveLength(6);
      for (const p of pairs) expect(p).toEqual({ fk: p.fk, column_type: "uuid", referenced_type: "uuid" });
    });

    it("a user and a session inserted without ids get generated uuids", async () => {
      const [user] = await rows<{ id: string }>(client, `INSERT INTO users (email, name) VALUES ('uuid@example.com', 'U') RETURNING id`);
      expect(user?.id).toMatch(UUID_PATTERN);
      const [session] = await rows<{ id: string; user_id: string }>(
        client,
        `INSERT INTO sessions (user_id, token, expires_at) VALUES ($1, 'uuid-token', now() + interval '1 day') RETURNING id, user_id`,
        [user?.id],
      );
      expect(session?.id).toMatch(UUID_PATTERN);
      expect(session?.id).not.toBe(user?.id);
      expect(session?.user_id).toBe(user?.id);
      await expect(client.query(`INSERT INTO users (id) VALUES ('not-a-uuid')`)).rejects.toMatchObject({ code: "22P02" });
    });
  });

  describe('with { schema: "Auth Schema" } (a name that needs quoting)', () => {
    const SCHEMA = "Auth Schema";
    let db: TestDatabase;
    let client: pg.Client;
    beforeAll(async () => {
      ({ db, client } = await migratedDatabase(server.adminUrl, { schema: SCHEMA }));
    });
    afterAll(async () => {
      await client?.end();
      await db?.drop();
    });

    it("creates the tables, the ledger and the view in that schema", async () => {
      const relations = await rows<{ name: string; kind: string }>(
        client,
        `SELECT c.relname::text AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'p', 'm') ORDER BY c.relname`,
        [SCHEMA],
      );
      expect(relations).toEqual([
        { name: "accounts", kind: "r" },
        { name: "active_sessions", kind: "v" },
        { name: "better_auth_migrations", kind: "r" },
        { name: "invitation", kind: "r" },
        { name: "member", kind: "r" },
        { name: "organization", kind: "r" },
        { name: "sessions", kind: "r" },
        { name: "users", kind: "r" },
      ]);
      for (const table of TABLES) {
        expect(await columnsOf(client, SCHEMA, table)).toEqual(EXPECTED_COLUMNS[table]);
      }
      expect(await constraintsOf(client, SCHEMA)).toEqual(EXPECTED_CONSTRAINTS);
    });

    it("creates both functions in that schema, and the triggers call the one in that schema", async () => {
      const functions = await rows<{ name: string; comment: string | null }>(
        client,
        `SELECT p.proname::text AS name, obj_description(p.oid, 'pg_proc') AS comment
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY p.proname = 'cleanup_expired_sessions'`,
        [SCHEMA],
      );
      expect(functions).toHaveLength(2);
      expect(functions[1]?.name).toBe("cleanup_expired_sessions");
      for (const f of functions) expect(f.comment ?? "").toMatch(/\w{3,}/);

      const triggers = await rows<{ table: string; function_schema: string; function_name: string }>(
        client,
        `SELECT c.relname::text AS "table", fn.nspname::text AS function_schema, p.proname::text AS function_name
           FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = p.pronamespace
          WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY c.relname`,
        [SCHEMA],
      );
      expect(triggers.map((t) => [t.table, t.function_schema])).toEqual([
        ["organization", SCHEMA],
        ["users", SCHEMA],
      ]);
      expect(triggers.map((t) => t.function_name)).toContain(functions[0]?.name);
    });

    it("comments exist on the six tables and the view in that schema", async () => {
      const comments = await rows<{ name: string; comment: string | null }>(
        client,
        `SELECT c.relname::text AS name, obj_description(c.oid, 'pg_class') AS comment
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation', 'active_sessions')`,
        [SCHEMA],
      );
      expect(comments).toHaveLength(7);
      for (const c of comments) expect(c.comment ?? "").toMatch(/\w{3,}/);
    });

    it("creates nothing in public", async () => {
      const inPublic = await rows<{ name: string }>(
        client,
        `SELECT relname::text AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace
         UNION ALL SELECT proname::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace
         UNION ALL SELECT typname::text FROM pg_type WHERE typnamespace = 'public'::regnamespace`,
      );
      expect(inPublic).toEqual([]);
    });

    it("the updated_at trigger works in that schema", async () => {
      await client.query(
        `INSERT INTO "Auth Schema".users (id, email, name, created_at, updated_at)
         VALUES ('schema-user', 'schema@example.com', 'Before', '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z')`,
      );
      const [updated] = await rows<{ updated_at: Date; now: Date }>(
        client,
        `UPDATE "Auth Schema".users SET name = 'After' WHERE id = 'schema-user' RETURNING updated_at, now() AS now`,
      );
      expect(updated?.updated_at.getTime()).toBe(updated?.now.getTime());
      expect(updated?.updated_at.getTime()).toBeGreaterThan(Date.parse("2000-01-01T00:00:00Z"));
    });

    it("cleanup works there: migrator.cleanupExpiredSessions() and the SQL function delete expired sessions in that schema", async () => {
      await client.query(
        `INSERT INTO "Auth Schema".users (id, email) VALUES ('cleanup-user', 'cleanup@example.com') ON CONFLICT DO NOTHING`,
      );
      const seed = () =>
        client.query(
          `INSERT INTO "Auth Schema".sessions (id, user_id, token, expires_at, active) VALUES
             ('expired', 'cleanup-user', 'expired', now() - interval '1 hour', true),
             ('inactive', 'cleanup-user', 'inactive', now() + interval '1 day', false),
             ('valid', 'cleanup-user', 'valid', now() + interval '1 day', true)`,
        );
      await seed();
      const migrator = createMigrator({ url: db.url, schema: SCHEMA });
      try {
        expect(await migrator.cleanupExpiredSessions()).toBe(2);
      } finally {
        await migrator.close();
      }
      expect((await rows<{ id: string }>(client, `SELECT id FROM "Auth Schema".sessions`)).map((r) => r.id)).toEqual(["valid"]);

      await client.query(`DELETE FROM "Auth Schema".sessions`);
      await seed();
      const [result] = await rows<{ deleted: number }>(client, `SELECT "Auth Schema".cleanup_expired_sessions() AS deleted`);
      expect(result?.deleted).toBe(2);
      const [view] = await rows<{ ids: string[] }>(client, `SELECT array_agg(id) AS ids FROM "Auth Schema".active_sessions`);
      expect(view?.ids).toEqual(["valid"]);
    });
  });
});
