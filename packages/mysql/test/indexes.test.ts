/**
 * SPEC §3 on MySQL: every query path is served by an index, proven with EXPLAIN at realistic size,
 * and InnoDB added no index of its own (it would for a foreign key without one).
 */
import { closeMysqlAdminPools, type MysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migratedDatabase } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");

/**
 * Realistic data, one statement per table, from MariaDB's sequence tables (seq_1_to_N): 20,000
 * users, 100,000 sessions (1% expired, 2% inactive), 20,000 accounts across four providers, 2,000
 * organizations with 10 members and 10 invitations each.
 */
const SEED = [
  `INSERT INTO users (id, email, name, email_verified)
   SELECT CONCAT('user-', seq), CONCAT('user', seq, '@example.com'), CONCAT('User ', seq), seq % 3 = 0 FROM seq_1_to_20000`,
  `INSERT INTO sessions (id, user_id, token, expires_at, ip_address, user_agent, active)
   SELECT CONCAT('session-', seq), CONCAT('user-', 1 + seq % 20000), MD5(CONCAT('token-', seq)),
          IF(seq % 100 = 0, UTC_TIMESTAMP(3) - INTERVAL (seq % 700) HOUR, UTC_TIMESTAMP(3) + INTERVAL (seq % 720) + 1 HOUR),
          CONCAT('10.', (seq DIV 65536) % 256, '.', (seq DIV 256) % 256, '.', seq % 256), 'Mozilla/5.0', seq % 50 <> 0
     FROM seq_1_to_100000`,
  `INSERT INTO accounts (id, user_id, provider, provider_account_id, access_token, token_type, scope)
   SELECT CONCAT('account-', seq), CONCAT('user-', seq), ELT(1 + seq % 4, 'google', 'github', 'discord', 'apple'), 1000000 + seq,
          MD5(CONCAT('access-', seq)), 'Bearer', 'openid email profile'
     FROM seq_1_to_20000`,
  `INSERT INTO organization (id, name, slug) SELECT CONCAT('org-', seq), CONCAT('Organization ', seq), CONCAT('organization-', seq) FROM seq_1_to_2000`,
  `INSERT INTO member (id, organization_id, user_id, role)
   SELECT CONCAT('member-', seq), CONCAT('org-', 1 + seq % 2000), CONCAT('user-', seq), ELT(1 + seq % 4, 'owner', 'admin', 'member', 'member')
     FROM seq_1_to_20000`,
  `INSERT INTO invitation (id, organization_id, email, inviter_id, expires_at, status)
   SELECT CONCAT('invitation-', seq), CONCAT('org-', 1 + seq % 2000), CONCAT('invitee', seq, '@example.org'), CONCAT('user-', 1 + (seq * 7) % 20000),
          UTC_TIMESTAMP(3) + INTERVAL 7 DAY, ELT(1 + seq % 4, 'pending', 'accepted', 'rejected', 'canceled')
     FROM seq_1_to_20000`,
  `ANALYZE TABLE users, sessions, accounts, organization, member, invitation`,
];

/** SPEC §3 query paths, each with the table it reads and the index that must serve it. */
const QUERY_PATHS: Array<{ path: string; query: string; table: string; index: string }> = [
  { path: "user by email", query: `SELECT * FROM users WHERE email = 'user12345@example.com'`, table: "users", index: "users_email_key" },
  { path: "session by token", query: `SELECT * FROM sessions WHERE token = MD5('token-4242')`, table: "sessions", index: "sessions_token_key" },
  { path: "sessions of a user", query: `SELECT * FROM sessions WHERE user_id = 'user-777'`, table: "sessions", index: "sessions_user_id_idx" },
  { path: "expired sessions (for cleanup)", query: `SELECT id FROM sessions WHERE expires_at < UTC_TIMESTAMP(3)`, table: "sessions", index: "sessions_expires_at_idx" },
  { path: "accounts of a user", query: `SELECT * FROM accounts WHERE user_id = 'user-777'`, table: "accounts", index: "accounts_user_id_idx" },
  {
    path: "account by (provider, provider_account_id)",
    query: `SELECT * FROM accounts WHERE provider = 'github' AND provider_account_id = '1000001'`,
    table: "accounts",
    index: "accounts_provider_provider_account_id_key",
  },
  { path: "organization by slug", query: `SELECT * FROM organization WHERE slug = 'organization-42'`, table: "organization", index: "organization_slug_key" },
  { path: "members of an organization", query: `SELECT * FROM member WHERE organization_id = 'org-42'`, table: "member", index: "member_organization_id_user_id_key" },
  { path: "memberships of a user", query: `SELECT * FROM member WHERE user_id = 'user-777'`, table: "member", index: "member_user_id_idx" },
  { path: "invitations of an organization", query: `SELECT * FROM invitation WHERE organization_id = 'org-42'`, table: "invitation", index: "invitation_organization_id_idx" },
  { path: "invitations by email", query: `SELECT * FROM invitation WHERE email = 'invitee4242@example.org'`, table: "invitation", index: "invitation_email_idx" },
  { path: "one active session by token through active_sessions", query: `SELECT * FROM active_sessions WHERE token = MD5('token-4242')`, table: "s", index: "sessions_token_key" },
];

type ExplainRow = { table: string; type: string; key: string | null; rows: number };

describe(`MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  beforeAll(async () => {
    db = await migratedDatabase(server.adminUrl);
    for (const statement of SEED) await db.admin(statement);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("the seed has the intended size: 20,000 users, 100,000 sessions of which 1,000 expired, 2,000 organizations", async () => {
    const [counts] = (await db.admin(
      `SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM sessions) AS sessions,
              (SELECT COUNT(*) FROM sessions WHERE expires_at < UTC_TIMESTAMP(3)) AS expired, (SELECT COUNT(*) FROM accounts) AS accounts,
              (SELECT COUNT(*) FROM organization) AS organizations, (SELECT COUNT(*) FROM member) AS members, (SELECT COUNT(*) FROM invitation) AS invitations`,
    )) as Record<string, number>[];
    expect(Object.fromEntries(Object.entries(counts!).map(([k, v]) => [k, Number(v)]))).toEqual({
      users: 20000, sessions: 100000, expired: 1000, accounts: 20000, organizations: 2000, members: 20000, invitations: 20000,
    });
  });

  it.each(QUERY_PATHS)("$path is served by $index", async ({ query, table, index }) => {
    const plan = (await db.admin(`EXPLAIN ${query}`)) as ExplainRow[];
    const step = plan.find((r) => r.table === table);
    expect(step?.key, JSON.stringify(plan)).toBe(index);
    expect(step?.type, JSON.stringify(plan)).not.toBe("ALL");
  });

  it("the six tables carry exactly the expected indexes, none added by InnoDB and none covering another's columns", async () => {
    const indexes = (await db.admin(
      `SELECT table_name AS t, index_name AS i, MIN(non_unique) = 0 AS is_unique, GROUP_CONCAT(column_name ORDER BY seq_in_index SEPARATOR ', ') AS columns
         FROM information_schema.statistics
        WHERE table_schema = DATABASE() AND table_name IN ('users', 'sessions', 'accounts', 'organization', 'member', 'invitation')
        GROUP BY table_name, index_name ORDER BY table_name, index_name`,
    )) as { t: string; i: string; is_unique: number; columns: string }[];
    const described = indexes.map((r) => `${r.t}: ${r.i}${Number(r.is_unique) ? " UNIQUE" : ""} (${r.columns})`);
    expect(described).toEqual([
      "accounts: accounts_provider_provider_account_id_key UNIQUE (provider, provider_account_id)",
      "accounts: accounts_user_id_idx (user_id)",
      "accounts: PRIMARY UNIQUE (id)",
      "invitation: invitation_email_idx (email)",
      "invitation: invitation_inviter_id_idx (inviter_id)",
      "invitation: invitation_organization_id_idx (organization_id)",
      "invitation: PRIMARY UNIQUE (id)",
      "member: member_organization_id_user_id_key UNIQUE (organization_id, user_id)",
      "member: member_user_id_idx (user_id)",
      "member: PRIMARY UNIQUE (id)",
      "organization: organization_slug_key UNIQUE (slug)",
      "organization: PRIMARY UNIQUE (id)",
      "sessions: PRIMARY UNIQUE (id)",
      "sessions: sessions_expires_at_idx (expires_at)",
      "sessions: sessions_token_key UNIQUE (token)",
      "sessions: sessions_user_id_idx (user_id)",
      "users: PRIMARY UNIQUE (id)",
      "users: users_email_key UNIQUE (email)",
    ]);
    const columnLists = indexes.map((r) => `${r.t}(${r.columns})`);
    expect(new Set(columnLists).size).toBe(columnLists.length);
  });
});
