/**
 * Issue 20, items 4 and 5 on PostgreSQL: what `check` used to call clean. A hand-made database
 * adopted with triggers copying e-mails and session tokens and a rule on sessions (item 4); and
 * databases the tool made, then changed where the comparison did not look (item 5): functions made
 * SECURITY DEFINER with a search_path of someone else's, the view's expiry cast to a date, the
 * sessions foreign key pointing at another schema's users, an UNLOGGED table, NOT VALID constraints
 * over rows that break them, and forced row-level security hiding every session.
 */
import type { Finding } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator, type PostgresMigratorOptions } from "../src/index.js";
import { postgresFixtures as fixtures } from "./hand-made.js";
import { migrateUp, query } from "./helpers.js";

afterAll(closeAdminPools);

const server = inject("postgresServers")[0]!;

async function withMigrator<T>(url: string, work: (m: ReturnType<typeof createMigrator>) => Promise<T>, options: Omit<PostgresMigratorOptions, "url" | "pool" | "db"> = {}): Promise<T> {
  const migrator = createMigrator({ url, ...options });
  try {
    return await work(migrator);
  } finally {
    await migrator.close();
  }
}

const errors = (findings: readonly Finding[]) => findings.filter((f) => f.severity === "error").map((f) => `${f.kind} ${f.object}.${f.name}: ${f.message}`);

describe(`hooks and drift check used to miss, on PostgreSQL ${server.version}`, () => {
  let db: TestDatabase;
  const run = (statements: string) => query(db.url, statements);
  beforeEach(async () => {
    db = await createTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  describe("item 4: a hand-made database with code that copies what it holds", () => {
    const TROJANS = `
      CREATE TABLE stash (what text, value text);
      CREATE FUNCTION copy_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO stash VALUES ('email', NEW.email); RETURN NEW; END $$;
      CREATE TRIGGER users_copy_email AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION copy_email();
      CREATE FUNCTION copy_token() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO stash VALUES ('token', NEW.token); RETURN NEW; END $$;
      CREATE TRIGGER sessions_copy_token AFTER INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION copy_token();
      CREATE RULE sessions_keep_token AS ON UPDATE TO sessions DO ALSO INSERT INTO stash VALUES ('rule', NEW.token)`;
    const theirs = ["users.users_copy_email", "sessions.sessions_copy_token", "sessions.sessions_keep_token", "copy_email", "copy_token"];

    it("check reports each trigger, rule and function as an error, before and after adoption; marked as the application's own they are accepted", async () => {
      for (const statement of fixtures.core) await run(statement);
      await run(TROJANS);
      const ownObjects = [...(fixtures.ownObjects ?? [])];
      const report = await withMigrator(db.url, (m) => m.check(), { ownObjects });
      expect(errors(report.findings).filter((e) => !e.startsWith("index") && !e.startsWith("column") && !e.startsWith("view") && !/cleanup_expired_sessions|better_auth_set_updated_at/.test(e))).toEqual([
        expect.stringMatching(/^trigger users\.users_copy_email: .*AFTER INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION copy_email\(\)/),
        expect.stringMatching(/^trigger sessions\.sessions_copy_token: .*AFTER INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION copy_token\(\)/),
        expect.stringMatching(/^rule sessions\.sessions_keep_token: .*ON UPDATE TO sessions DO INSERT INTO stash/),
        expect.stringMatching(/^routine copy_email\.copy_email: /),
        expect.stringMatching(/^routine copy_token\.copy_token: /),
      ]);
      // Adoption does not stop on them (refusing would not stop them running); check keeps reporting them…
      const adopted = await withMigrator(db.url, (m) => m.up(), { ownObjects });
      expect(adopted.baselined.map((m) => m.id)).toEqual(["0001_core_tables"]);
      const unmarked = await withMigrator(db.url, (m) => m.check(), { ownObjects });
      expect(unmarked.clean).toBe(false);
      expect(unmarked.findings.filter((f) => f.severity === "error").map((f) => `${f.kind} ${f.object}.${f.name}`)).toEqual([
        "trigger users.users_copy_email", "trigger sessions.sessions_copy_token", "rule sessions.sessions_keep_token", "routine copy_email.copy_email", "routine copy_token.copy_token",
      ]);
      // …until the application says they are its own.
      expect(await withMigrator(db.url, (m) => m.check(), { ownObjects: [...ownObjects, ...theirs] })).toMatchObject({ clean: true });
    });
  });

  describe("item 5: a database the tool made, then changed", () => {
    beforeEach(async () => {
      await migrateUp(db.url);
      await run(`INSERT INTO users (id, email) VALUES ('u1', 'ada@example.com');
        INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s1', 'u1', 't1', now() + interval '1 hour')`);
      expect(await withMigrator(db.url, (m) => m.check())).toMatchObject({ clean: true });
    });

    /** check is not clean, and its errors include one matching each pattern. */
    async function reported(...patterns: RegExp[]): Promise<void> {
      const report = await withMigrator(db.url, (m) => m.check());
      expect(report.clean).toBe(false);
      for (const pattern of patterns) expect(errors(report.findings)).toContainEqual(expect.stringMatching(pattern));
    }

    it("functions made SECURITY DEFINER with a search_path of someone else's", async () => {
      await run(`CREATE SCHEMA evil;
        ALTER FUNCTION cleanup_expired_sessions() SECURITY DEFINER SET search_path = evil, pg_catalog;
        ALTER FUNCTION better_auth_set_updated_at() SET search_path = evil, pg_catalog`);
      await reported(
        /^routine cleanup_expired_sessions\.cleanup_expired_sessions: function cleanup_expired_sessions: has search_path=evil, pg_catalog, which the model does not; has security definer, which the model does not; lacks search_path=pg_catalog, pg_temp/,
        /^routine cleanup_expired_sessions\.cleanup_expired_sessions: .*search_path is not pinned/,
        /^routine better_auth_set_updated_at\.better_auth_set_updated_at: .*has search_path=evil, pg_catalog/,
      );
    });

    it("active_sessions rewritten to compare the expiry with today's date", async () => {
      await run(`CREATE OR REPLACE VIEW active_sessions AS
        SELECT s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name
        FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.active AND s.expires_at > now()::date`);
      await reported(/^view active_sessions\.active_sessions: /);
    });

    it("the sessions foreign key pointing at another schema's users", async () => {
      const [fk] = await query<{ name: string }>(db.url, "SELECT conname AS name FROM pg_constraint WHERE conrelid = 'sessions'::regclass AND contype = 'f'");
      await run(`CREATE SCHEMA evil; CREATE TABLE evil.users (id text PRIMARY KEY); INSERT INTO evil.users SELECT id FROM public.users;
        ALTER TABLE sessions DROP CONSTRAINT ${fk!.name};
        ALTER TABLE sessions ADD CONSTRAINT ${fk!.name} FOREIGN KEY (user_id) REFERENCES evil.users (id) ON DELETE CASCADE`);
      await reported(new RegExp(`^foreignKey sessions\\.${fk!.name}: .*evil\\.users`));
    });

    it("an UNLOGGED table", async () => {
      await run("ALTER TABLE sessions SET UNLOGGED");
      await reported(/^table sessions\.sessions: .*has unlogged, which the model does not/);
    });

    it("a foreign key and a check made NOT VALID, over rows that break them", async () => {
      const [fk] = await query<{ name: string }>(db.url, "SELECT conname AS name FROM pg_constraint WHERE conrelid = 'sessions'::regclass AND contype = 'f'");
      const [check] = await query<{ name: string; definition: string }>(db.url,
        "SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'invitation'::regclass AND contype = 'c'");
      await run(`ALTER TABLE sessions DROP CONSTRAINT ${fk!.name};
        INSERT INTO sessions (id, user_id, token, expires_at) VALUES ('s2', 'nobody', 't2', now());
        ALTER TABLE sessions ADD CONSTRAINT ${fk!.name} FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;
        INSERT INTO organization (id, name, slug) VALUES ('o1', 'Acme', 'acme');
        ALTER TABLE invitation DROP CONSTRAINT ${check!.name};
        INSERT INTO invitation (id, organization_id, email, role, status, inviter_id, expires_at) VALUES ('i1', 'o1', 'x@example.com', 'member', 'stolen', 'u1', now());
        ALTER TABLE invitation ADD CONSTRAINT ${check!.name} ${check!.definition} NOT VALID`);
      await reported(new RegExp(`^foreignKey sessions\\.${fk!.name}: .*not validated`), new RegExp(`^check invitation\\.${check!.name}: .*not validated`));
    });

    it("forced row-level security with a policy that hides every session", async () => {
      await run("ALTER TABLE sessions ENABLE ROW LEVEL SECURITY; ALTER TABLE sessions FORCE ROW LEVEL SECURITY; CREATE POLICY nobody ON sessions USING (false)");
      await reported(/^table sessions\.sessions: .*has row level security, which the model does not; has row level security forced/, /^policy sessions\.nobody: .*USING \(false\)/);
    });
  });
});
