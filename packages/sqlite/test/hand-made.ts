import type { HandMadeFixtures } from "@better-auth/adapter-suite";

/**
 * SQLite databases as people make them by hand, from a README's `sqlite3 auth.db < schema.sql` or an
 * sqlx migration: not STRICT, TEXT ids, ISO-8601 text timestamps with the same strftime default as
 * ours (so the defaults match), INTEGER booleans, their own updated_at trigger under another name,
 * their own active_sessions view, an extra index repeating a unique key's columns, no index on
 * accounts.user_id (adoption adds ours), and sqlx's ledger with a row. SQLite has no comments on
 * objects or stored functions: a person's `--` comment stays in the CREATE text, and their cleanup
 * is a DELETE in the application.
 */

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

const usersTable = (columns = {
  image: "image TEXT,\n",
}) => `CREATE TABLE users (
  -- Everyone who can log in.
  id TEXT NOT NULL PRIMARY KEY,
  email TEXT UNIQUE,
  name TEXT,
  ${columns.image}  email_verified INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  updated_at TEXT NOT NULL DEFAULT ${NOW},
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata))
)`;

const sessionsTable = (token = "TEXT NOT NULL UNIQUE") => `CREATE TABLE sessions (
  id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token ${token},
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  ip_address TEXT,
  user_agent TEXT,
  active INTEGER NOT NULL DEFAULT 1
)`;

const accountsTable = (userId = "TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE") => `CREATE TABLE accounts (
  id TEXT NOT NULL PRIMARY KEY,
  user_id ${userId},
  provider TEXT NOT NULL,       -- google, github, ...
  provider_account_id TEXT NOT NULL,
  access_token TEXT,
  refresh_token TEXT,
  expires_at TEXT,
  token_type TEXT,
  scope TEXT,
  created_at TEXT NOT NULL DEFAULT ${NOW},
  UNIQUE (provider, provider_account_id)
)`;

const sessionIndexes = [
  "CREATE INDEX idx_sessions_user ON sessions(user_id)",
  "CREATE INDEX idx_sessions_expires ON sessions(expires_at)",
  // Repeats the columns of the token's unique key.
  "CREATE INDEX idx_sessions_token ON sessions(token)",
];

const activeSessionsView = `CREATE VIEW active_sessions AS
  SELECT s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name
  FROM sessions s
  JOIN users u ON u.id = s.user_id
  WHERE s.active = 1 AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

const core = [
  usersTable(),
  sessionsTable(),
  accountsTable(),
  ...sessionIndexes,
  `CREATE TRIGGER users_updated_at AFTER UPDATE ON users
FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at
BEGIN
  UPDATE users SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END`,
  activeSessionsView,
  `CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)`,
  "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (20240101000000, 'initial', 1, X'9f86d081884c7d65', 4213)",
];

const organization = [
  `CREATE TABLE organization (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  slug VARCHAR(255) NOT NULL UNIQUE,
  logo TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL DEFAULT ${NOW},
  updated_at TEXT NOT NULL DEFAULT ${NOW}
)`,
  `CREATE TABLE member (
  id TEXT NOT NULL PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT 'member',
  created_at TEXT NOT NULL DEFAULT ${NOW},
  UNIQUE (organization_id, user_id)
)`,
  `CREATE TABLE invitation (
  id TEXT NOT NULL PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'canceled')),
  inviter_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at DATETIME NOT NULL,
  created_at TEXT NOT NULL DEFAULT ${NOW}
)`,
  "CREATE INDEX member_user ON member(user_id)",
  "CREATE INDEX invitation_org ON invitation(organization_id)",
  "CREATE INDEX invitation_email ON invitation(email)",
  "CREATE INDEX invitation_inviter ON invitation(inviter_id)",
  `CREATE TRIGGER organization_updated_at AFTER UPDATE ON organization
FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at
BEGIN
  UPDATE organization SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = NEW.id;
END`,
];

const coreRows = [
  `INSERT INTO users (id, email, name, image, email_verified, created_at, updated_at, metadata) VALUES
  ('u1', 'ada@example.com', 'Ada', 'https://example.com/ada.png', 1, '2024-01-02T03:04:05.678Z', '2024-01-02T03:04:05.678Z', '{"plan":"pro"}'),
  ('u2', 'grace@example.com', 'Grace', NULL, 0, '2024-02-03T04:05:06.789Z', '2024-02-03T04:05:06.789Z', '{}')`,
  `INSERT INTO sessions (id, user_id, token, expires_at, created_at, ip_address, user_agent, active) VALUES
  ('s1', 'u1', 'token-1', '2099-01-01T00:00:00.000Z', '2024-01-02T03:04:05.678Z', '2001:db8::1', 'Firefox', 1),
  ('s2', 'u2', 'token-2', '2020-01-01T00:00:00.000Z', '2019-12-01T00:00:00.000Z', '192.0.2.7', NULL, 1),
  ('s3', 'u2', 'token-3', '2099-01-01T00:00:00.000Z', '2024-02-03T04:05:06.789Z', NULL, 'curl', 0)`,
  `INSERT INTO accounts (id, user_id, provider, provider_account_id, access_token, refresh_token, expires_at, token_type, scope, created_at) VALUES
  ('a1', 'u1', 'github', 'gh-1', 'gho_abc', NULL, NULL, 'bearer', 'read:user', '2024-01-02T03:04:05.678Z'),
  ('a2', 'u2', 'google', 'g-2', 'ya29.x', '1//refresh', '2024-02-03T05:05:06.789Z', 'Bearer', 'openid email', '2024-02-03T04:05:06.789Z')`,
];

const organizationRows = [
  `INSERT INTO organization (id, name, slug, logo, metadata, created_at, updated_at) VALUES
  ('o1', 'Analytical Engines', 'analytical-engines', NULL, '{"seats":5}', '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z')`,
  `INSERT INTO member (id, organization_id, user_id, role, created_at) VALUES
  ('m1', 'o1', 'u1', 'owner', '2024-03-01T00:00:00.000Z'),
  ('m2', 'o1', 'u2', 'member', '2024-03-02T00:00:00.000Z')`,
  `INSERT INTO invitation (id, organization_id, email, role, status, inviter_id, expires_at, created_at) VALUES
  ('i1', 'o1', 'linus@example.com', 'admin', 'pending', 'u1', '2099-03-08T00:00:00.000Z', '2024-03-01T00:00:00.000Z')`,
];

/** SQLite cannot change a column or drop a foreign key in place: a person rebuilds the table. */
const rebuild = (table: string, create: string, after: readonly string[] = []) => [
  `CREATE TABLE ${table}_new AS SELECT * FROM ${table}`,
  `DROP TABLE ${table}`,
  create,
  `INSERT INTO ${table} SELECT * FROM ${table}_new`,
  `DROP TABLE ${table}_new`,
  ...after,
];

const breakages: HandMadeFixtures["breakages"] = [
  {
    name: "users lacks the image column",
    statements: ["ALTER TABLE users DROP COLUMN image"],
    finding: { kind: "column", object: "users", name: "image" },
  },
  {
    name: "sessions.token is an INTEGER column",
    statements: ["DROP VIEW active_sessions", ...rebuild("sessions", sessionsTable("INTEGER NOT NULL UNIQUE"), [...sessionIndexes, activeSessionsView])],
    finding: { kind: "column", object: "sessions", name: "token" },
  },
  {
    name: "accounts.user_id has no foreign key",
    statements: rebuild("accounts", accountsTable("TEXT NOT NULL")),
    finding: { kind: "foreignKey", object: "accounts", name: "accounts_user_id_fkey" },
  },
];

/** Run on a freshly migrated database (our STRICT tables). */
const drift: HandMadeFixtures["drift"] = [
  {
    name: "an extra index",
    statements: ["CREATE INDEX users_name_idx ON users (name)"],
    finding: { kind: "index", object: "users", name: "users_name_idx", severity: "warning" },
  },
  {
    name: "a dropped updated_at trigger",
    statements: ["DROP TRIGGER users_set_updated_at"],
    finding: { kind: "column", object: "users", name: "updated_at", severity: "error" },
  },
  {
    name: "an edited view",
    statements: [
      "DROP VIEW active_sessions",
      `CREATE VIEW active_sessions AS
  SELECT s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name
  FROM sessions AS s JOIN users AS u ON u.id = s.user_id
  WHERE s.active = 1`,
    ],
    finding: { kind: "view", object: "active_sessions", name: "active_sessions", severity: "error" },
  },
  {
    // SQLite cannot alter a default: the table is rebuilt by hand, with the habitual CURRENT_TIMESTAMP,
    // which writes `2024-01-02 03:04:05`, not the ISO text every other timestamp holds.
    name: "an altered default (CURRENT_TIMESTAMP on member.created_at)",
    statements: rebuild(
      "member",
      `CREATE TABLE member (
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member',
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT member_pkey PRIMARY KEY (id),
  CONSTRAINT member_organization_id_user_id_key UNIQUE (organization_id, user_id),
  CONSTRAINT member_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE CASCADE,
  CONSTRAINT member_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) STRICT`,
      ["CREATE INDEX member_user_id_idx ON member (user_id)"],
    ),
    finding: { kind: "column", object: "member", name: "created_at", severity: "error" },
  },
];

export const sqliteFixtures: HandMadeFixtures = { core, organization, coreRows, organizationRows, ownObjects: ["users.users_updated_at", "organization.organization_updated_at"], breakages, drift };
