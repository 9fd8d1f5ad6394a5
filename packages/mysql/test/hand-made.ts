import type { HandMadeFixtures } from "@better-auth/adapter-suite";

/**
 * MySQL/MariaDB databases as a person builds them from a README's `mysql app < 001_initial.sql`:
 * plain DDL with their own names for keys and indexes, BOOLEAN, DATETIME(3) and JSON, their own
 * BEFORE UPDATE trigger for updated_at instead of ON UPDATE on users, their own cleanup procedure
 * and active_sessions view, an index that repeats a unique key, comments in their words, and
 * sqlx's ledger with a row.
 *
 * The tables take the database's character set and collation (utf8mb4, as `CREATE DATABASE app
 * CHARACTER SET utf8mb4 …` in a README sets it): a table in another collation cannot be referenced
 * by the foreign keys of the tables `up` adds (MySQL requires the same collation on both sides).
 */

const users = `CREATE TABLE users (
  id VARCHAR(255) NOT NULL,
  email VARCHAR(255) NULL,
  name VARCHAR(255) NULL,
  image TEXT NULL,
  email_verified BOOLEAN NOT NULL DEFAULT FALSE,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  metadata JSON NOT NULL DEFAULT ('{}'),
  PRIMARY KEY (id),
  UNIQUE KEY uq_users_email (email)
) ENGINE=InnoDB COMMENT='Application users'`;

// ip_address as VARCHAR(255): wider than the model's VARCHAR(45), and accepted as such.
const sessions = `CREATE TABLE sessions (
  id VARCHAR(255) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  token VARCHAR(255) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ip_address VARCHAR(255) NULL,
  user_agent TEXT NULL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sessions_token (token),
  KEY idx_sessions_user (user_id),
  KEY idx_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB COMMENT='Login sessions'`;

// No index of their own on user_id: InnoDB creates one for the unnamed foreign key (accounts_ibfk_1).
// access_token as LONGTEXT: OAuth tokens can be long, and LONGTEXT holds what TEXT holds.
const accounts = `CREATE TABLE accounts (
  id VARCHAR(255) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  provider VARCHAR(255) NOT NULL,
  provider_account_id VARCHAR(255) NOT NULL,
  access_token LONGTEXT NULL,
  refresh_token TEXT NULL,
  expires_at DATETIME(3) NULL,
  token_type VARCHAR(255) NULL,
  scope TEXT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_accounts_provider (provider, provider_account_id),
  FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB COMMENT='OAuth provider accounts'`;

const core: readonly string[] = [
  users,
  // Repeats the unique key's column: a second index the model does not want (kept, reported).
  "CREATE INDEX idx_users_email ON users (email)",
  // Their own way of keeping updated_at current, under their own name.
  "CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON users FOR EACH ROW SET NEW.updated_at = CURRENT_TIMESTAMP(3)",
  sessions,
  accounts,
  "CREATE INDEX idx_accounts_provider ON accounts (provider, provider_account_id)",
  "CREATE PROCEDURE cleanup_expired_sessions() DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP(3) OR active = FALSE",
  `CREATE VIEW active_sessions AS
  SELECT s.id, s.user_id, s.token, s.expires_at, u.email
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.active = 1 AND s.expires_at > NOW()`,
  `CREATE TABLE _sqlx_migrations (
  version BIGINT PRIMARY KEY,
  description TEXT NOT NULL,
  installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  success BOOLEAN NOT NULL,
  checksum BLOB NOT NULL,
  execution_time BIGINT NOT NULL
)`,
  "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (20240101000000, 'initial', TRUE, UNHEX('A1B2C3D4'), 1234567)",
];

// This one keeps updated_at with ON UPDATE, as the MySQL manual shows; users above does not.
const organization: readonly string[] = [
  `CREATE TABLE organization (
  id VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  slug VARCHAR(255) NOT NULL,
  logo TEXT NULL,
  metadata JSON NOT NULL DEFAULT ('{}'),
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_organization_slug (slug)
) ENGINE=InnoDB COMMENT='Teams'`,
  `CREATE TABLE member (
  id VARCHAR(255) NOT NULL,
  organization_id VARCHAR(255) NOT NULL,
  user_id VARCHAR(255) NOT NULL,
  role VARCHAR(255) NOT NULL DEFAULT 'member',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uq_member (organization_id, user_id),
  KEY idx_member_user (user_id),
  CONSTRAINT fk_member_org FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE CASCADE,
  CONSTRAINT fk_member_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB COMMENT='Team membership'`,
  // The check written on the column, as people do: MariaDB names it after the column.
  `CREATE TABLE invitation (
  id VARCHAR(255) NOT NULL,
  organization_id VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL,
  role VARCHAR(255) NOT NULL DEFAULT 'member',
  status VARCHAR(255) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'canceled')),
  inviter_id VARCHAR(255) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_invitation_org (organization_id),
  KEY idx_invitation_email (email),
  KEY idx_invitation_inviter (inviter_id),
  CONSTRAINT fk_invitation_org FOREIGN KEY (organization_id) REFERENCES organization (id) ON DELETE CASCADE,
  CONSTRAINT fk_invitation_inviter FOREIGN KEY (inviter_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB COMMENT='Pending invitations'`,
];

const coreRows: readonly string[] = [
  `INSERT INTO users (id, email, name, image, email_verified, created_at, updated_at, metadata) VALUES
  ('usr_ada', 'ada@example.com', 'Ada', 'https://example.com/ada.png', TRUE, '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678', '{"plan": "pro"}'),
  ('usr_bob', 'bob@example.com', 'Bob', NULL, FALSE, '2024-02-03 04:05:06.789', '2024-03-04 05:06:07.891', '{}')`,
  `INSERT INTO sessions (id, user_id, token, expires_at, created_at, ip_address, user_agent, active) VALUES
  ('ses_1', 'usr_ada', 'tok-ada-1', '2099-01-01 00:00:00.000', '2024-01-02 03:04:05.678', '203.0.113.7', 'Mozilla/5.0', TRUE),
  ('ses_2', 'usr_ada', 'tok-ada-2', '2020-01-01 00:00:00.000', '2019-12-01 00:00:00.000', '2001:db8::1', 'curl/8.5', TRUE),
  ('ses_3', 'usr_bob', 'tok-bob-1', '2099-06-01 12:00:00.250', '2024-02-03 04:05:06.789', NULL, NULL, FALSE)`,
  `INSERT INTO accounts (id, user_id, provider, provider_account_id, access_token, refresh_token, expires_at, token_type, scope, created_at) VALUES
  ('acc_1', 'usr_ada', 'github', '1001', 'gho_token', NULL, NULL, 'bearer', 'read:user', '2024-01-02 03:04:05.678'),
  ('acc_2', 'usr_bob', 'google', 'g-2002', 'ya29.token', '1//refresh', '2024-02-03 05:05:06.789', 'Bearer', 'openid email', '2024-02-03 04:05:06.789')`,
];

const organizationRows: readonly string[] = [
  "INSERT INTO organization (id, name, slug, logo, metadata, created_at, updated_at) VALUES ('org_acme', 'Acme', 'acme', NULL, '{\"seats\": 5}', '2024-03-01 00:00:00.000', '2024-03-01 00:00:00.000')",
  `INSERT INTO member (id, organization_id, user_id, role, created_at) VALUES
  ('mem_1', 'org_acme', 'usr_ada', 'owner', '2024-03-01 00:00:00.000'),
  ('mem_2', 'org_acme', 'usr_bob', 'member', '2024-03-02 00:00:00.000')`,
  "INSERT INTO invitation (id, organization_id, email, role, status, inviter_id, expires_at, created_at) VALUES ('inv_1', 'org_acme', 'cy@example.com', 'member', 'pending', 'usr_ada', '2099-01-01 00:00:00.000', '2024-03-03 00:00:00.000')",
];

export const mysqlHandMade: HandMadeFixtures = {
  ownObjects: ["users.users_touch_updated_at"],
  core,
  organization,
  coreRows,
  organizationRows,
  breakages: [
    { name: "users lacks image", statements: ["ALTER TABLE users DROP COLUMN image"], finding: { kind: "column", object: "users", name: "image" } },
    {
      name: "sessions.token is a VARCHAR(64)",
      statements: ["ALTER TABLE sessions MODIFY token VARCHAR(64) NOT NULL"],
      finding: { kind: "column", object: "sessions", name: "token" },
    },
    {
      name: "accounts.user_id has no foreign key",
      // The hand-made key has no name of its own: InnoDB called it accounts_ibfk_1.
      statements: ["ALTER TABLE accounts DROP FOREIGN KEY accounts_ibfk_1"],
      finding: { kind: "foreignKey", object: "accounts", name: "accounts_user_id_fkey" },
    },
    {
      // A case-insensitive collation: emails (and, elsewhere, tokens) would compare otherwise; a key
      // column in another collation could not even be referenced by the tables up adds.
      name: "users.email is in another collation",
      statements: ["ALTER TABLE users MODIFY email VARCHAR(255) NULL COLLATE utf8mb4_general_ci"],
      finding: { kind: "column", object: "users", name: "email" },
    },
  ],
  drift: [
    {
      name: "an extra index",
      statements: ["CREATE INDEX idx_sessions_created_at ON sessions (created_at)"],
      finding: { kind: "index", object: "sessions", name: "idx_sessions_created_at", severity: "warning" },
    },
    {
      name: "users.updated_at without ON UPDATE",
      statements: ["ALTER TABLE users MODIFY COLUMN updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"],
      finding: { kind: "column", object: "users", name: "updated_at", severity: "error" },
    },
    {
      name: "an edited view",
      statements: [
        `CREATE OR REPLACE SQL SECURITY INVOKER VIEW active_sessions AS
  SELECT s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.active = TRUE`,
      ],
      finding: { kind: "view", object: "active_sessions", name: "active_sessions", severity: "error" },
    },
    {
      name: "an altered default",
      statements: ["ALTER TABLE member ALTER COLUMN role SET DEFAULT 'viewer'"],
      finding: { kind: "column", object: "member", name: "role", severity: "error" },
    },
  ],
};
