/**
 * Issue 20, items 3 and 13: a table named like the ledger that this tool did not make. A role
 * with CREATE on public makes it first, with the right columns and an AFTER INSERT trigger that
 * makes it a superuser; a superuser's `up` must not write to it (the trigger would run as the
 * superuser), and `status` and `check` must not call it up to date. The same for a trigger, rule or
 * policy added to a ledger of the right owner, for a view of that name, and for a ledger row that
 * says "partly applied", which no PostgreSQL run ever writes.
 */
import { closeAdminPools, createTestDatabase, OWNER_ROLE, type TestDatabase } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator, type PostgresMigratorOptions } from "../src/index.js";
import { migrateUp, query } from "./helpers.js";

afterAll(closeAdminPools);

const server = inject("postgresServers")[0]!;
const SQUATTER = `squatter_${process.pid}`;

const LEDGER_COLUMNS = `id varchar(255) PRIMARY KEY, name text NOT NULL, checksum varchar(255) NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer NOT NULL, steps_applied integer, baselined boolean`;

/** What the trigger does when it fires: counts (a sequence, which no rollback undoes) and escalates. */
const TRAP = `
  CREATE SEQUENCE public.fired;
  GRANT USAGE ON SEQUENCE public.fired TO PUBLIC;
  CREATE FUNCTION public.trap() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_catalog.nextval('public.fired');
    BEGIN EXECUTE 'ALTER ROLE ${SQUATTER} SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
    RETURN NULL;
  END $$`;

async function outcome(options: PostgresMigratorOptions, work: (m: ReturnType<typeof createMigrator>) => Promise<unknown>): Promise<unknown> {
  const migrator = createMigrator(options);
  try {
    return await work(migrator).catch((error: unknown) => error);
  } finally {
    await migrator.close();
  }
}

describe(`a ledger someone else made, on PostgreSQL ${server.version}`, () => {
  let db: TestDatabase;
  let superUrl: string;
  const su = (text: string) => query(superUrl, text);

  beforeAll(async () => {
    await query(server.adminUrl, `CREATE ROLE ${SQUATTER} NOLOGIN NOSUPERUSER`);
  });
  afterAll(async () => {
    await query(server.adminUrl, `DROP ROLE ${SQUATTER}`);
  });
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
    const url = new URL(server.adminUrl);
    url.pathname = `/${db.name}`;
    superUrl = url.toString();
  });
  afterEach(async () => {
    await db.drop();
  });

  type Work = (m: ReturnType<typeof createMigrator>) => Promise<unknown>;
  const readers: Work[] = [(m) => m.status(), (m) => m.check(), (m) => m.planDown()];

  /**
   * up, status and check each refuse with FOREIGN_LEDGER and a message matching `why` (`whenReading`
   * for the calls that only read it: who owns the table does not matter to them); nothing is created.
   */
  async function refusedEverywhere(options: PostgresMigratorOptions, why: RegExp, whenReading: RegExp = why): Promise<void> {
    expect(await outcome(options, (m) => m.up())).toMatchObject({ code: "FOREIGN_LEDGER", message: expect.stringMatching(why) });
    for (const work of readers) {
      expect(await outcome(options, work)).toMatchObject({ code: "FOREIGN_LEDGER", message: expect.stringMatching(whenReading) });
    }
  }

  it("refuses a ledger another role made, with a trigger, and never writes to it", async () => {
    await su(`GRANT CREATE ON SCHEMA public TO ${SQUATTER}`);
    await su(`BEGIN; SET LOCAL ROLE ${SQUATTER}; ${TRAP};
      CREATE TABLE public.better_auth_migrations (${LEDGER_COLUMNS});
      CREATE TRIGGER escalate AFTER INSERT ON public.better_auth_migrations FOR EACH ROW EXECUTE FUNCTION public.trap();
      COMMIT`);
    await refusedEverywhere({ url: superUrl }, new RegExp(`belongs to role ${SQUATTER}, which cannot act as postgres; it has trigger escalate`), /: it has trigger escalate\./);
    expect(await outcome({ url: superUrl }, (m) => m.baseline())).toMatchObject({ code: "FOREIGN_LEDGER" });
    expect(await outcome({ url: superUrl }, (m) => m.down())).toMatchObject({ code: "FOREIGN_LEDGER" });
    expect(await su("SELECT (SELECT count(*) FROM better_auth_migrations)::int AS rows, (SELECT last_value FROM fired)::int AS fired, (SELECT is_called FROM fired) AS called, to_regclass('users') AS users"))
      .toEqual([{ rows: 0, fired: 1, called: false, users: null }]);
    expect(await su(`SELECT rolsuper FROM pg_roles WHERE rolname = '${SQUATTER}'`)).toEqual([{ rolsuper: false }]);
  });

  it("refuses a ledger owned by a role the current user is a member of, and accepts one a superuser made", async () => {
    await su(`GRANT CREATE ON SCHEMA public TO ${SQUATTER}; GRANT ${SQUATTER} TO ${OWNER_ROLE}`);
    try {
      await su(`BEGIN; SET LOCAL ROLE ${SQUATTER}; CREATE TABLE public.better_auth_migrations (${LEDGER_COLUMNS}); COMMIT`);
      expect(await outcome({ url: db.url }, (m) => m.up())).toMatchObject({ code: "FOREIGN_LEDGER", message: expect.stringMatching(new RegExp(`belongs to role ${SQUATTER}, which cannot act as ${OWNER_ROLE}`)) });
      // Reading it runs nothing of its owner's: a read-only role may gate a deploy on status.
      expect(await outcome({ url: db.url }, (m) => m.status())).toEqual(expect.arrayContaining([expect.objectContaining({ id: "0001_core_tables", state: "pending" })]));
      expect(await outcome({ url: db.url }, (m) => m.check())).toMatchObject({ pending: ["0001_core_tables", "0002_organization_tables"] });
    } finally {
      await su(`REVOKE ${SQUATTER} FROM ${OWNER_ROLE}`);
    }
    // Made by a superuser, used by the owner: the superuser could act as the owner anyway.
    await su(`DROP TABLE better_auth_migrations; CREATE TABLE public.better_auth_migrations (${LEDGER_COLUMNS});
      GRANT ALL ON better_auth_migrations TO ${OWNER_ROLE}`);
    expect(await outcome({ url: db.url }, (m) => m.up())).toMatchObject({ applied: expect.arrayContaining([expect.objectContaining({ id: "0001_core_tables" })]) });
  });

  it.each([
    ["a trigger", `CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
      CREATE TRIGGER copy_rows AFTER INSERT ON better_auth_migrations FOR EACH ROW EXECUTE FUNCTION public.noop()`, /it has trigger copy_rows/],
    ["a rule", "CREATE RULE keep_quiet AS ON DELETE TO better_auth_migrations DO INSTEAD NOTHING", /it has rule keep_quiet/],
    ["a policy", "CREATE POLICY hide ON better_auth_migrations USING (false); ALTER TABLE better_auth_migrations ENABLE ROW LEVEL SECURITY", /it has policy hide; row level security is enabled on it/],
  ])("refuses the tool's own ledger once %s is added to it", async (_, statement, why) => {
    await migrateUp(db.url);
    await query(db.url, statement);
    await refusedEverywhere({ url: db.url }, why);
  });

  it("refuses a view named like the ledger, saying so", async () => {
    await query(db.url, "CREATE VIEW better_auth_migrations AS SELECT 'x'::text AS id, 'x'::text AS name, 'x'::text AS checksum, now() AS applied_at");
    await refusedEverywhere({ url: db.url }, /public\.better_auth_migrations is a view, not a better-auth-migrate ledger table/);
  });

  it("refuses a ledger row that says a migration is partly applied, with the way out", async () => {
    await migrateUp(db.url);
    await query(db.url, "UPDATE better_auth_migrations SET steps_applied = 1 WHERE id = '0002_organization_tables'");
    await refusedEverywhere({ url: db.url }, /migration 0002_organization_tables is partly applied \(steps_applied = 1\), which this database's runs never record/);
    expect(await outcome({ url: db.url }, (m) => m.down())).toMatchObject({ code: "FOREIGN_LEDGER" });
    // The way out the hint gives: the migration is in effect, so its row is completed.
    await query(db.url, "UPDATE better_auth_migrations SET steps_applied = NULL WHERE id = '0002_organization_tables'");
    expect(await outcome({ url: db.url }, (m) => m.check())).toMatchObject({ clean: true, pending: [] });
  });
});
