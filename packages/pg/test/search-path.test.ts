/**
 * Issue 13, item 6: a session whose search_path puts another schema first (`?options=-c
 * search_path=evil,pg_catalog,public`) must not bind the view, the column defaults or the checks to
 * that schema's functions and operators: everything the migrations create depends on pg_catalog only.
 */
import { closeAdminPools, createTestDatabase, OWNER_ROLE, type TestDatabase } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { migrateUp } from "./helpers.js";

afterAll(closeAdminPools);

/** What an attacker with CREATE on some schema of the search_path plants there. */
const EVIL = [
  "CREATE SCHEMA evil",
  "CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2000-01-01'::timestamptz $$",
  `CREATE FUNCTION evil.gt(timestamptz, timestamptz) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$`,
  "CREATE OPERATOR evil.> (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.gt)",
  `CREATE FUNCTION evil.eq(text, text) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$`,
  "CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.eq)",
  `GRANT USAGE ON SCHEMA evil TO ${OWNER_ROLE}`,
];

describe.each(inject("postgresServers"))("search_path on PostgreSQL $version", (server) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
    for (const statement of EVIL) await db.admin(statement);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("nothing the migrations create depends on a schema the session put before pg_catalog", async () => {
    const url = new URL(db.url);
    url.searchParams.set("options", "-c search_path=evil,pg_catalog,public");
    await migrateUp(url.toString());
    const { rows } = await db.admin(`
      SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS dependent, pg_describe_object(d.refclassid, d.refobjid, 0) AS uses
      FROM pg_depend d
      WHERE (d.refclassid = 'pg_proc'::regclass AND d.refobjid IN (SELECT p.oid FROM pg_proc p WHERE p.pronamespace = 'evil'::regnamespace))
         OR (d.refclassid = 'pg_operator'::regclass AND d.refobjid IN (SELECT o.oid FROM pg_operator o WHERE o.oprnamespace = 'evil'::regnamespace))`);
    // Only evil's own operators depend on evil's functions.
    expect(rows.filter((r) => !String(r.dependent).startsWith("operator evil."))).toEqual([]);
    // And the defaults really are the current time.
    const { rows: inserted } = await db.admin("INSERT INTO public.users (id) VALUES ('u1') RETURNING created_at > '2020-01-01'::timestamptz AS recent");
    expect(inserted).toEqual([{ recent: true }]);
  });
});
