/**
 * SPEC §3: every query path is served by an index, proven with EXPLAIN at realistic size, and no
 * two indexes on a table cover the same columns.
 */
import { closeAdminPools, type TestDatabase } from "@better-auth/test-databases";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migratedDatabase } from "./helpers.js";

afterAll(closeAdminPools);

/** One node of EXPLAIN (FORMAT JSON) output; only the fields these tests read. */
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const INDEX_SCANS = new Set(["Index Scan", "Index Only Scan", "Bitmap Index Scan"]);

/** Every index that an index scan node anywhere in the plan tree reads. */
function indexesUsed(node: PlanNode): string[] {
  const own = INDEX_SCANS.has(node["Node Type"]) && node["Index Name"] ? [node["Index Name"]] : [];
  return [...own, ...(node.Plans ?? []).flatMap(indexesUsed)];
}

/** A compact picture of the plan for failure messages: "Seq Scan(sessions) > Hash ..." */
function describePlan(node: PlanNode): string {
  const label = `${node["Node Type"]}(${node["Index Name"] ?? node["Relation Name"] ?? ""})`;
  const children = (node.Plans ?? []).map(describePlan);
  return children.length ? `${label} > [${children.join(", ")}]` : label;
}

async function plan(client: pg.Client, query: string): Promise<PlanNode> {
  const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${query}`);
  const root = rows[0]?.["QUERY PLAN"][0]?.Plan;
  if (!root) throw new Error(`EXPLAIN returned no plan for: ${query}`);
  return root;
}

/**
 * Realistic data, one statement per table: 20,000 users, 100,000 sessions (1% expired, 2% inactive),
 * 20,000 accounts across four providers, 2,000 organizations with 10 members and 10 invitations each.
 */
const SEED = [
  `INSERT INTO users (id, email, name, email_verified)
   SELECT 'user-' || g, 'user' || g || '@example.com', 'User ' || g, g % 3 = 0 FROM generate_series(1, 20000) AS g`,
  `INSERT INTO sessions (id, user_id, token, expires_at, ip_address, user_agent, active)
   SELECT 'session-' || g, 'user-' || (1 + g % 20000), md5('token-' || g),
          CASE WHEN g % 100 = 0 THEN now() - (g % 700) * interval '1 hour' ELSE now() + (g % 720) * interval '1 hour' + interval '1 hour' END,
          ('10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256)::inet, 'Mozilla/5.0', g % 50 <> 0
     FROM generate_series(1, 100000) AS g`,
  `INSERT INTO accounts (id, user_id, provider, provider_account_id, access_token, token_type, scope)
   SELECT 'account-' || g, 'user-' || g, (ARRAY['google', 'github', 'discord', 'apple'])[1 + g % 4], (1000000 + g)::text,
          md5('access-' || g), 'Bearer', 'openid email profile'
     FROM generate_series(1, 20000) AS g`,
  `INSERT INTO organization (id, name, slug)
   SELECT 'org-' || g, 'Organization ' || g, 'organization-' || g FROM generate_series(1, 2000) AS g`,
  `INSERT INTO member (id, organization_id, user_id, role)
   SELECT 'member-' || g, 'org-' || (1 + g % 2000), 'user-' || g, (ARRAY['owner', 'admin', 'member', 'member'])[1 + g % 4]
     FROM generate_series(1, 20000) AS g`,
  `INSERT INTO invitation (id, organization_id, email, inviter_id, expires_at, status)
   SELECT 'invitation-' || g, 'org-' || (1 + g % 2000), 'invitee' || g || '@example.org', 'user-' || (1 + (g * 7) % 20000),
          now() + interval '7 days', (ARRAY['pending', 'accepted', 'rejected', 'canceled'])[1 + g % 4]
     FROM generate_series(1, 20000) AS g`,
  `ANALYZE users, sessions, accounts, organization, member, invitation`,
];

/** SPEC §3 query paths, each with the index that must serve it. */
const QUERY_PATHS: Array<{ path: string; query: string; index: string }> = [
  { path: "user by email", query: `SELECT * FROM users WHERE email = 'user12345@example.com'`, index: "users_email_key" },
  { path: "session by token", query: `SELECT * FROM sessions WHERE token = md5('token-4242')`, index: "sessions_token_key" },
  { path: "sessions of a user", query: `SELECT * FROM sessions WHERE user_id = 'user-777'`, index: "sessions_user_id_idx" },
  { path: "expired sessions (for cleanup)", query: `SELECT id FROM sessions WHERE expires_at < now()`, index: "sessions_expires_at_idx" },
  { path: "accounts of a user", query: `SELECT * FROM accounts WHERE user_id = 'user-777'`, index: "accounts_user_id_idx" },
  {
    path: "account by (provider, provider_account_id)",
    query: `SELECT * FROM accounts WHERE provider = 'github' AND provider_account_id = '1000001'`,
    index: "accounts_provider_provider_account_id_key",
  },
  { path: "organization by slug", query: `SELECT * FROM organization WHERE slug = 'organization-42'`, index: "organization_slug_key" },
  { path: "members of an organization", query: `SELECT * FROM member WHERE organization_id = 'org-42'`, index: "member_organization_id_user_id_key" },
  { path: "memberships of a user", query: `SELECT * FROM member WHERE user_id = 'user-777'`, index: "member_user_id_idx" },
  { path: "invitations of an organization", query: `SELECT * FROM invitation WHERE organization_id = 'org-42'`, index: "invitation_organization_id_idx" },
  { path: "invitations by email", query: `SELECT * FROM invitation WHERE email = 'invitee4242@example.org'`, index: "invitation_email_idx" },
  {
    path: "one active session by token through active_sessions",
    query: `SELECT * FROM active_sessions WHERE token = md5('token-4242')`,
    index: "sessions_token_key",
  },
];

describe.each(inject("postgresServers"))("PostgreSQL $version", (server) => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    ({ db, client } = await migratedDatabase(server.adminUrl));
    for (const statement of SEED) await client.query(statement);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("the seed has the intended size: 20,000 users, 100,000 sessions of which 1,000 expired, 2,000 organizations", async () => {
    const { rows } = await client.query<{ users: number; sessions: number; expired: number; organizations: number; members: number; invitations: number; accounts: number }>(
      `SELECT (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM sessions) AS sessions,
              (SELECT count(*)::int FROM sessions WHERE expires_at < now()) AS expired,
              (SELECT count(*)::int FROM accounts) AS accounts,
              (SELECT count(*)::int FROM organization) AS organizations,
              (SELECT count(*)::int FROM member) AS members,
              (SELECT count(*)::int FROM invitation) AS invitations`,
    );
    expect(rows[0]).toEqual({ users: 20000, sessions: 100000, expired: 1000, accounts: 20000, organizations: 2000, members: 20000, invitations: 20000 });
  });

  it.each(QUERY_PATHS)("$path is served by an index scan on $index", async ({ query, index }) => {
    const root = await plan(client, query);
    expect(indexesUsed(root), describePlan(root)).toContain(index);
  });

  it("the six tables carry exactly the expected indexes", async () => {
    const { rows } = await client.query<{ table: string; index: string; columns: string[]; unique: boolean }>(
      `SELECT t.relname::text AS "table", c.relname::text AS index, i.indisunique AS unique,
              ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) AS columns
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace
          AND t.relname IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation')
        ORDER BY t.relname, c.relname`,
    );
    expect(rows.map((r) => `${r.table}: ${r.index}${r.unique ? " UNIQUE" : ""} (${r.columns.join(", ")})`)).toEqual([
      "accounts: accounts_pkey UNIQUE (id)",
      "accounts: accounts_provider_provider_account_id_key UNIQUE (provider, provider_account_id)",
      "accounts: accounts_user_id_idx (user_id)",
      "invitation: invitation_email_idx (email)",
      "invitation: invitation_inviter_id_idx (inviter_id)",
      "invitation: invitation_organization_id_idx (organization_id)",
      "invitation: invitation_pkey UNIQUE (id)",
      "member: member_organization_id_user_id_key UNIQUE (organization_id, user_id)",
      "member: member_pkey UNIQUE (id)",
      "member: member_user_id_idx (user_id)",
      "organization: organization_pkey UNIQUE (id)",
      "organization: organization_slug_key UNIQUE (slug)",
      "sessions: sessions_expires_at_idx (expires_at)",
      "sessions: sessions_pkey UNIQUE (id)",
      "sessions: sessions_token_key UNIQUE (token)",
      "sessions: sessions_user_id_idx (user_id)",
      "users: users_email_key UNIQUE (email)",
      "users: users_pkey UNIQUE (id)",
    ]);
  });

  it("no two indexes on any of the six tables cover the same column list", async () => {
    const { rows } = await client.query<{ table: string; columns: string; indexes: string[] }>(
      `SELECT t.relname::text AS "table", i.indkey::text AS columns, array_agg(c.relname::text ORDER BY c.relname) AS indexes
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relnamespace = 'public'::regnamespace
          AND t.relname IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation')
        GROUP BY t.relname, i.indkey::text, pg_get_expr(i.indexprs, i.indrelid), pg_get_expr(i.indpred, i.indrelid)
        HAVING count(*) > 1`,
    );
    expect(rows).toEqual([]);
    // The check is not vacuous: every one of the six tables has indexes to compare.
    const { rows: perTable } = await client.query<{ tables: number; indexes: number }>(
      `SELECT count(DISTINCT tablename)::int AS tables, count(*)::int AS indexes FROM pg_indexes
        WHERE schemaname = 'public' AND tablename IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation')`,
    );
    expect(perTable[0]).toEqual({ tables: 6, indexes: 18 });
  });
});
