import { closeAdminPools, createTestDatabase, OWNER_ROLE, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp, query } from "./helpers.js";

afterAll(closeAdminPools);

describe.each(inject("postgresServers"))("least privilege on PostgreSQL $version", (server) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("runs as a role that owns its database but is not a superuser", async () => {
    await migrateUp(db.url);
    const [role] = await query(db.url, "SELECT current_user AS name, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user");
    expect(role).toEqual({ name: OWNER_ROLE, rolsuper: false, rolcreatedb: false, rolcreaterole: false });
    const owners = await query(db.url, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'");
    expect(owners).toEqual([{ tableowner: OWNER_ROLE }]);
  });

  it("a permission error names the migration it happened in and what the call applied before it", async () => {
    // users belongs to another role: the owner may read it, not alter it; 0001 and 0002 apply, the extension cannot.
    await migrateUp(db.url);
    await db.admin("CREATE ROLE other_owner NOLOGIN");
    await db.admin("ALTER TABLE users OWNER TO other_owner");
    await db.admin(`GRANT SELECT ON users TO ${OWNER_ROLE}`);
    const { defineExtension, defineTable } = await import("@better-auth/migrate-core");
    const first = defineExtension({ id: "0100_first", name: "first", tables: [defineTable({ name: "first_table", comment: "Fine.", columns: { id: { type: "id", primaryKey: true } } })] });
    const second = defineExtension({ id: "0101_second", name: "second", columns: { users: { nickname: { type: "string", nullable: true } } } });
    const migrator = createMigrator({ url: db.url, extensions: [first, second] });
    try {
      const error = await migrator.up().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "PERMISSION_DENIED", migrationId: "0101_second", applied: [expect.objectContaining({ id: "0100_first" })] });
    } finally {
      await migrator.close();
      await db.admin("ALTER TABLE users OWNER TO " + OWNER_ROLE);
      await db.admin("DROP ROLE other_owner");
    }
  });

  it("needs no extension", async () => {
    const migrator = createMigrator({ url: db.url, ids: "uuid" });
    try {
      expect(migrator.sql()).not.toMatch(/CREATE EXTENSION/i);
      await migrator.up();
    } finally {
      await migrator.close();
    }
    expect(await query(db.url, "SELECT extname FROM pg_extension ORDER BY 1")).toEqual([{ extname: "plpgsql" }]);
  });

  it("pins the search_path of every function", async () => {
    await migrateUp(db.url);
    const functions = await query(db.url, `SELECT p.proname, p.proconfig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' ORDER BY 1`);
    expect(functions).toEqual([
      { proname: "better_auth_set_updated_at", proconfig: ["search_path=pg_catalog, pg_temp"] },
      { proname: "cleanup_expired_sessions", proconfig: ["search_path=pg_catalog, pg_temp"] },
    ]);
  });

  it("cannot be hijacked through objects in another schema on the caller's search_path", async () => {
    await migrateUp(db.url);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(`INSERT INTO users (id, email) VALUES ('u1', 'a@example.com');
        INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s1', 'u1', 't1', now() + interval '1 day')`);
      // A schema of look-alikes, searched before pg_catalog and public by this session.
      await client.query(`CREATE SCHEMA evil;
        CREATE TABLE evil.sessions (id text, expires_at timestamptz, active boolean);
        CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT timestamptz '2999-01-01' $$;
        CREATE FUNCTION evil.jsonb_build_object(text, timestamptz) RETURNS jsonb LANGUAGE sql AS $$ SELECT jsonb_build_object($1, timestamptz '1970-01-01') $$;
        SET search_path = evil, public, pg_catalog`);
      expect((await client.query("SELECT public.cleanup_expired_sessions() AS n")).rows).toEqual([{ n: 0 }]);
      await client.query("UPDATE public.users SET name = 'Ada' WHERE id = 'u1'");
      const [user] = (await client.query("SELECT updated_at > pg_catalog.now() - interval '1 minute' AS recent FROM public.users")).rows;
      expect(user).toEqual({ recent: true });
    } finally {
      await client.end();
    }
    expect(await query(db.url, "SELECT id FROM sessions")).toEqual([{ id: "s1" }]);
  });
});
