/**
 * Issue 20, item 2: the database's owner is an unprivileged application role, and a superuser runs
 * the tool. The owner sets the database's search_path to a schema of its own before pg_catalog and
 * plants there functions and operators named like every one the tool calls (and, in the schema the
 * tool migrates, look-alikes with more exact argument types than pg_catalog's polymorphic ones).
 * Each records the call (a sequence, which no rollback undoes) and tries to make the owner a
 * superuser. Every command the tool has must run none of them.
 */
import { defineExtension } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator, type PostgresMigratorOptions } from "../src/index.js";
import { query } from "./helpers.js";

afterAll(closeAdminPools);

/** An index built concurrently: the path that holds a session-level lock outside a transaction. */
const byName = defineExtension({ id: "0100_users_by_name", name: "users by name", indexes: { users: [["name"]] }, buildIndexesConcurrently: true });

/** [name, argument types, return type, the real function to forward to]: what a careful attacker plants. */
const FUNCTIONS: [string, string, string, string][] = [
  ["set_config", "text, text, boolean", "text", "pg_catalog.set_config($1, $2, $3)"],
  ["current_setting", "text", "text", "pg_catalog.current_setting($1)"],
  ["current_setting", "text, boolean", "text", "pg_catalog.current_setting($1, $2)"],
  ["now", "", "timestamptz", "pg_catalog.now()"],
  ["current_database", "", "name", "pg_catalog.current_database()"],
  ["pg_is_in_recovery", "", "boolean", "pg_catalog.pg_is_in_recovery()"],
  ["inet_server_port", "", "integer", "pg_catalog.inet_server_port()"],
  ["pg_try_advisory_xact_lock", "integer, integer", "boolean", "pg_catalog.pg_try_advisory_xact_lock($1, $2)"],
  ["pg_advisory_xact_lock", "integer, integer", "void", "pg_catalog.pg_advisory_xact_lock($1, $2)"],
  ["pg_try_advisory_lock", "integer, integer", "boolean", "pg_catalog.pg_try_advisory_lock($1, $2)"],
  ["pg_advisory_unlock", "integer, integer", "boolean", "pg_catalog.pg_advisory_unlock($1, $2)"],
  ["format_type", "oid, integer", "text", "pg_catalog.format_type($1, $2)"],
  ["pg_get_expr", "pg_node_tree, oid", "text", "pg_catalog.pg_get_expr($1, $2)"],
  ["pg_get_expr", "pg_node_tree, oid, boolean", "text", "pg_catalog.pg_get_expr($1, $2, $3)"],
  ["pg_get_constraintdef", "oid, boolean", "text", "pg_catalog.pg_get_constraintdef($1, $2)"],
  ["pg_get_indexdef", "oid, integer, boolean", "text", "pg_catalog.pg_get_indexdef($1, $2, $3)"],
  ["pg_get_viewdef", "oid, boolean", "text", "pg_catalog.pg_get_viewdef($1, $2)"],
  ["pg_get_triggerdef", "oid, boolean", "text", "pg_catalog.pg_get_triggerdef($1, $2)"],
  ["pg_get_ruledef", "oid, boolean", "text", "pg_catalog.pg_get_ruledef($1, $2)"],
  ["pg_get_userbyid", "oid", "name", "pg_catalog.pg_get_userbyid($1)"],
  ["pg_has_role", "name, oid, text", "boolean", "pg_catalog.pg_has_role($1, $2, $3)"],
  ["pg_has_role", "oid, text", "boolean", "pg_catalog.pg_has_role($1, $2)"],
  ["cardinality", "smallint[]", "integer", "pg_catalog.cardinality($1)"],
  ["array_to_string", "text[], text", "text", "pg_catalog.array_to_string($1, $2)"],
  ["host", "inet", "text", "pg_catalog.host($1)"],
  ["floor", "double precision", "double precision", "pg_catalog.floor($1)"],
  ["format", "text, text", "text", "pg_catalog.format($1, $2)"],
  ["quote_ident", "text", "text", "pg_catalog.quote_ident($1)"],
  ["to_regclass", "text", "regclass", "pg_catalog.to_regclass($1)"],
];

/** Set-returning look-alikes, with argument types more exact than pg_catalog's (anyarray; int, int). */
const SET_FUNCTIONS: [string, string, string, string][] = [
  ["unnest", "smallint[]", "smallint", "pg_catalog.unnest($1)"],
  ["unnest", "oid[]", "oid", "pg_catalog.unnest($1)"],
  ["generate_series", "integer, smallint", "integer", "pg_catalog.generate_series($1, $2::integer)"],
];

/** Operators for the argument types of the catalog's columns, which the tool compares. */
const OPERATORS: [string, string, string, string][] = [
  ["=", "name", "name", "pg_catalog.nameeq"],
  ["=", "\"char\"", "\"char\"", "pg_catalog.chareq"],
  ["=", "oid", "oid", "pg_catalog.oideq"],
  ["=", "text", "text", "pg_catalog.texteq"],
  ["=", "oid", "regclass", "pg_catalog.oideq"],
  [">", "smallint", "integer", "pg_catalog.int24gt"],
  ["<>", "\"char\"", "\"char\"", "pg_catalog.charne"],
  ["=", "smallint", "smallint", "pg_catalog.int2eq"],
  ["=", "character varying", "character varying", "pg_catalog.texteq"],
];

function hostileSchema(role: string, database: string): string {
  const statements = [
    "CREATE SCHEMA app_evil",
    "CREATE SEQUENCE app_evil.calls_seq",
    "CREATE TABLE app_evil.calls (fn text)",
    "GRANT USAGE ON SCHEMA app_evil TO PUBLIC",
    "GRANT INSERT ON app_evil.calls TO PUBLIC",
    "GRANT USAGE ON SEQUENCE app_evil.calls_seq TO PUBLIC",
    // Counted by the sequence (no rollback undoes nextval), named in the table, and then the payload.
    `CREATE FUNCTION app_evil.note(fn text) RETURNS void LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM pg_catalog.nextval('app_evil.calls_seq');
       INSERT INTO app_evil.calls (fn) VALUES (fn);
       BEGIN
         EXECUTE 'ALTER ROLE ${role} SUPERUSER';
       EXCEPTION WHEN OTHERS THEN NULL;
       END;
     END $$`,
  ];
  const body = (name: string, call: string, set: boolean) =>
    `LANGUAGE plpgsql AS $$ BEGIN PERFORM app_evil.note('${name}'); ${set ? `RETURN QUERY SELECT ${call}` : `RETURN ${call}`}; END $$`;
  for (const schema of ["app_evil", "public"]) {
    for (const [name, args, returns, call] of FUNCTIONS) {
      const type = returns === "void" ? "void" : returns;
      statements.push(
        returns === "void"
          ? `CREATE FUNCTION ${schema}.${name}(${args}) RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM app_evil.note('${name}'); PERFORM ${call}; END $$`
          : `CREATE FUNCTION ${schema}.${name}(${args}) RETURNS ${type} ${body(name, call, false)}`,
      );
    }
    for (const [name, args, returns, call] of SET_FUNCTIONS) statements.push(`CREATE FUNCTION ${schema}.${name}(${args}) RETURNS SETOF ${returns} ${body(name, call, true)}`);
    OPERATORS.forEach(([op, left, right, fn], i) => {
      statements.push(
        `CREATE FUNCTION ${schema}.op_${i}(${left}, ${right}) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM app_evil.note('operator ${op}(${left}, ${right})'); RETURN ${fn}($1, $2); END $$`,
        `CREATE OPERATOR ${schema}.${op} (LEFTARG = ${left}, RIGHTARG = ${right}, FUNCTION = ${schema}.op_${i})`,
      );
    });
  }
  statements.push(`ALTER DATABASE ${database} SET search_path = app_evil, pg_catalog, public`);
  return `BEGIN; SET LOCAL ROLE ${role}; ${statements.join(";\n")}; COMMIT`;
}

describe.each(inject("postgresServers"))("a database owned by a hostile role, on PostgreSQL $version", (server) => {
  const role = `hostile_${String(server.version).replace(/\W/g, "_")}_${process.pid}`;
  let db: TestDatabase;
  /** The superuser, in the hostile database, with the database's own settings (as an operator would connect). */
  let superUrl: string;
  /** The superuser for the test's own inspection, with a search_path of its own. */
  let inspectUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase(server.adminUrl);
    const url = new URL(server.adminUrl);
    url.pathname = `/${db.name}`;
    superUrl = url.toString();
    url.searchParams.set("options", "-c search_path=pg_catalog");
    inspectUrl = url.toString();
    await query(inspectUrl, `CREATE ROLE ${role} NOLOGIN NOSUPERUSER`);
    await query(inspectUrl, `ALTER DATABASE ${db.name} OWNER TO ${role}`);
    await query(inspectUrl, hostileSchema(role, db.name));
  });
  afterAll(async () => {
    await db.drop();
    await query(server.adminUrl, `DROP ROLE IF EXISTS ${role}`);
  });

  it("every command, run as a superuser, calls none of the owner's functions or operators", async () => {
    const options: PostgresMigratorOptions = { url: superUrl, extensions: [byName] };
    const calls: Record<string, string[]> = {};
    const seen = { count: 0, names: 0 };
    const run = async (label: string, work: (m: ReturnType<typeof createMigrator>) => Promise<unknown>) => {
      const migrator = createMigrator(options);
      try {
        await work(migrator);
      } finally {
        await migrator.close();
      }
      const [counted] = await query<{ n: string }>(inspectUrl, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM app_evil.calls_seq");
      const names = await query<{ fn: string }>(inspectUrl, "SELECT fn FROM app_evil.calls");
      const count = Number(counted!.n);
      calls[label] = [...new Set(names.slice(seen.names).map((r) => r.fn))].sort();
      if (count !== seen.count) calls[label].unshift(`${count - seen.count} calls`);
      seen.count = count;
      seen.names = names.length;
    };
    const dropLedger = () => query(inspectUrl, "DROP TABLE public.better_auth_migrations");

    await run("up", async (m) => expect((await m.up()).applied).toHaveLength(m.migrations.length));
    await run("up with nothing pending", (m) => m.up());
    await run("status", (m) => m.status());
    await run("check", (m) => m.check());
    await run("check --all", (m) => m.check({ all: true }));
    await run("cleanupExpiredSessions", (m) => m.cleanupExpiredSessions());
    await run("planDown", (m) => m.planDown());
    await run("down (an index built concurrently)", async (m) => expect((await m.down()).reverted).toHaveLength(1));
    await run("down", async (m) => expect((await m.down()).reverted).toHaveLength(1));
    await run("up again", (m) => m.up());
    await dropLedger();
    await run("baseline", async (m) => expect((await m.baseline()).baselined.length).toBeGreaterThan(0));
    await dropLedger();
    await run("up adopting", async (m) => expect((await m.up()).baselined.length).toBeGreaterThan(0));

    expect(calls).toEqual(Object.fromEntries(Object.keys(calls).map((label) => [label, []])));
    const [owner] = await query(inspectUrl, "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = $1", [role]);
    expect(owner).toEqual({ rolsuper: false });
  });
});
