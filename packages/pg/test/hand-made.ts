import type { HandMadeFixtures } from "@better-auth/adapter-suite";

/**
 * PostgreSQL databases as people make them by hand: a README's `psql $DATABASE_URL -f
 * migrations/001_initial.sql`, an sqlx migration. Written as such a person would, not with our
 * renderer: varchar(255) ids, inet addresses, jsonb metadata, an updated_at trigger under their own
 * function, a cleanup function without a pinned search_path that returns void, an active_sessions
 * view of their own, indexes of their own (one repeating a unique key, a GIN index on metadata),
 * pgcrypto, comments in their own words and sqlx's ledger. The session index on expires_at and
 * invitation's inviter_id index are missing, as adoption must create them.
 */
const core = [
  // Trusted since PostgreSQL 13: the database owner may create it.
  `CREATE EXTENSION IF NOT EXISTS pgcrypto`,

  `CREATE TABLE _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
  )`,
  `INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
   VALUES (20240115093000, 'initial', true, '\\x8f3a9c0b', 18234511)`,

  `CREATE TABLE users (
    id VARCHAR(255) PRIMARY KEY,
    email VARCHAR(255) UNIQUE,
    name VARCHAR(255),
    image TEXT,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB NOT NULL DEFAULT '{}'
  )`,
  `COMMENT ON TABLE users IS 'Application users'`,
  `CREATE INDEX idx_users_email ON users (email)`,
  `CREATE INDEX idx_users_metadata ON users USING GIN (metadata)`,

  `CREATE OR REPLACE FUNCTION update_updated_at_column()
   RETURNS TRIGGER AS $$
   BEGIN
     NEW.updated_at = NOW();
     RETURN NEW;
   END;
   $$ LANGUAGE plpgsql`,
  `CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users
   FOR EACH ROW EXECUTE PROCEDURE update_updated_at_column()`,

  `CREATE TABLE sessions (
    id VARCHAR(255) PRIMARY KEY,
    user_id VARCHAR(255) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token VARCHAR(255) NOT NULL UNIQUE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    ip_address INET,
    user_agent TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE
  )`,
  `COMMENT ON TABLE sessions IS 'Login sessions'`,
  `CREATE INDEX idx_sessions_user_id ON sessions (user_id)`,
  `CREATE INDEX idx_sessions_token ON sessions (token)`,

  `CREATE TABLE accounts (
    id VARCHAR(255) PRIMARY KEY,
    user_id VARCHAR(255) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider VARCHAR(255) NOT NULL,
    provider_account_id VARCHAR(255) NOT NULL,
    access_token TEXT,
    refresh_token TEXT,
    expires_at TIMESTAMPTZ,
    token_type VARCHAR(255),
    scope TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (provider, provider_account_id)
  )`,
  `COMMENT ON TABLE accounts IS 'OAuth provider accounts'`,
  `CREATE INDEX idx_accounts_user_id ON accounts (user_id)`,

  `CREATE OR REPLACE FUNCTION cleanup_expired_sessions()
   RETURNS void AS $$
   BEGIN
     DELETE FROM sessions WHERE expires_at < NOW() OR active = false;
   END;
   $$ LANGUAGE plpgsql`,

  // Without the token: they did not want it in a view.
  `CREATE VIEW active_sessions AS
   SELECT s.id, s.user_id, s.expires_at, s.ip_address, u.email
   FROM sessions s
   JOIN users u ON u.id = s.user_id
   WHERE s.active = true AND s.expires_at > NOW()`,
];

const organization = [
  `CREATE TABLE organization (
    id VARCHAR(255) PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(255) NOT NULL UNIQUE,
    logo TEXT,
    metadata JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  `COMMENT ON TABLE organization IS 'Teams'`,
  `CREATE TRIGGER update_organization_updated_at BEFORE UPDATE ON organization
   FOR EACH ROW EXECUTE PROCEDURE update_updated_at_column()`,

  `CREATE TABLE member (
    id VARCHAR(255) PRIMARY KEY,
    organization_id VARCHAR(255) NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    user_id VARCHAR(255) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role VARCHAR(255) NOT NULL DEFAULT 'member',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE (organization_id, user_id)
  )`,
  `CREATE INDEX idx_member_user_id ON member (user_id)`,

  `CREATE TABLE invitation (
    id VARCHAR(255) PRIMARY KEY,
    organization_id VARCHAR(255) NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    email VARCHAR(255) NOT NULL,
    role VARCHAR(255) NOT NULL DEFAULT 'member',
    status VARCHAR(255) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'canceled')),
    inviter_id VARCHAR(255) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
  )`,
  `COMMENT ON TABLE invitation IS 'Pending invites'`,
  `CREATE INDEX idx_invitation_organization_id ON invitation (organization_id)`,
  `CREATE INDEX idx_invitation_email ON invitation (email)`,
];

const coreRows = [
  `INSERT INTO users (id, email, name, email_verified, created_at, updated_at, metadata) VALUES
    ('usr_01HQ3K9Z', 'ada@example.com', 'Ada Lovelace', true, '2024-01-15 09:30:00.123+00', '2024-02-01 12:00:00.456+00', '{"plan": "pro", "tags": ["beta"]}'),
    ('usr_01HQ3KA2', 'alan@example.com', 'Alan Turing', false, '2024-01-16 10:00:00+00', '2024-01-16 10:00:00+00', '{}')`,
  `INSERT INTO sessions (id, user_id, token, expires_at, created_at, ip_address, user_agent, active) VALUES
    ('ses_1', 'usr_01HQ3K9Z', 'tok_live_ada', '2099-01-01 00:00:00+00', '2024-02-01 12:00:00+00', '192.168.1.10', 'Mozilla/5.0', true),
    ('ses_2', 'usr_01HQ3KA2', 'tok_old_alan', '2024-01-17 10:00:00+00', '2024-01-16 10:00:00+00', '2001:db8::1', 'curl/8.4.0', true),
    ('ses_3', 'usr_01HQ3KA2', 'tok_off_alan', '2099-01-01 00:00:00+00', '2024-01-16 11:00:00+00', NULL, NULL, false)`,
  `INSERT INTO accounts (id, user_id, provider, provider_account_id, access_token, expires_at, token_type, scope) VALUES
    ('acc_1', 'usr_01HQ3K9Z', 'github', '583231', 'gho_16C7e42F292c6912E7710c838347Ae178B4a', '2099-01-01 00:00:00+00', 'bearer', 'read:user user:email'),
    ('acc_2', 'usr_01HQ3KA2', 'google', '110169484474386276334', NULL, NULL, NULL, NULL)`,
];

const organizationRows = [
  `INSERT INTO organization (id, name, slug, metadata) VALUES ('org_1', 'Analytical Engines', 'analytical-engines', '{"seats": 5}')`,
  `INSERT INTO member (id, organization_id, user_id, role) VALUES
    ('mem_1', 'org_1', 'usr_01HQ3K9Z', 'owner'),
    ('mem_2', 'org_1', 'usr_01HQ3KA2', 'member')`,
  `INSERT INTO invitation (id, organization_id, email, role, status, inviter_id, expires_at) VALUES
    ('inv_1', 'org_1', 'grace@example.com', 'admin', 'pending', 'usr_01HQ3K9Z', '2099-01-01 00:00:00+00')`,
];

export const postgresFixtures: HandMadeFixtures = {
  ownObjects: ["users.update_users_updated_at", "organization.update_organization_updated_at", "update_updated_at_column"],
  core,
  organization,
  coreRows,
  organizationRows,
  breakages: [
    {
      name: "users lacks the image column",
      statements: [`ALTER TABLE users DROP COLUMN image`],
      finding: { kind: "column", object: "users", name: "image" },
    },
    {
      name: "sessions.token is a varchar(64)",
      statements: [`ALTER TABLE sessions ALTER COLUMN token TYPE VARCHAR(64)`],
      finding: { kind: "column", object: "sessions", name: "token" },
    },
    {
      name: "accounts.user_id has no foreign key",
      statements: [`ALTER TABLE accounts DROP CONSTRAINT accounts_user_id_fkey`],
      finding: { kind: "foreignKey", object: "accounts", name: "accounts_user_id_fkey" },
    },
  ],
  drift: [
    {
      name: "an extra index",
      statements: [`CREATE INDEX users_name_idx ON users (name)`],
      finding: { kind: "index", object: "users", name: "users_name_idx", severity: "warning" },
    },
    {
      name: "a dropped updated_at trigger",
      statements: [`DROP TRIGGER users_set_updated_at ON users`],
      finding: { kind: "column", object: "users", name: "updated_at", severity: "error" },
    },
    {
      name: "an edited view",
      statements: [
        `CREATE OR REPLACE VIEW active_sessions AS
         SELECT s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.active`,
      ],
      finding: { kind: "view", object: "active_sessions", name: "active_sessions", severity: "error" },
    },
    {
      name: "an altered default",
      statements: [`ALTER TABLE invitation ALTER COLUMN role SET DEFAULT 'admin'`],
      finding: { kind: "column", object: "invitation", name: "role", severity: "error" },
    },
  ],
};
