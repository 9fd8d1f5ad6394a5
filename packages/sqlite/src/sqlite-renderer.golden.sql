CREATE TABLE "users" (
  -- People who can sign in. Managed by Better Auth.
  "id" TEXT NOT NULL,
  "email" TEXT,
  "name" TEXT,
  "image" TEXT,
  "email_verified" INTEGER NOT NULL DEFAULT 0 CHECK ("email_verified" IN (0, 1)),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("updated_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "metadata" TEXT NOT NULL DEFAULT '{}' CHECK (json_valid("metadata")),
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_email_key" UNIQUE ("email")
) STRICT;
CREATE TRIGGER "users_set_updated_at" AFTER UPDATE ON "users" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
BEGIN
  UPDATE "users" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid AND "updated_at" IS NOT strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
END;
CREATE TABLE "sessions" (
  -- Sign-in sessions, looked up by token on every request. Managed by Better Auth.
  "id" TEXT NOT NULL,
  "user_id" TEXT NOT NULL,
  "token" TEXT NOT NULL,
  "expires_at" TEXT NOT NULL CHECK ("expires_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "ip_address" TEXT CHECK (length("ip_address") <= 45),
  "user_agent" TEXT,
  "active" INTEGER NOT NULL DEFAULT 1 CHECK ("active" IN (0, 1)),
  CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "sessions_token_key" UNIQUE ("token"),
  CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
) STRICT;
CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id");
CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at");
CREATE TABLE "accounts" (
  -- OAuth accounts linked to a user. Managed by Better Auth.
  "id" TEXT NOT NULL,
  "user_id" TEXT NOT NULL,
  "provider" TEXT NOT NULL,
  "provider_account_id" TEXT NOT NULL,
  "access_token" TEXT,
  "refresh_token" TEXT,
  "expires_at" TEXT CHECK ("expires_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "token_type" TEXT,
  "scope" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  CONSTRAINT "accounts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "accounts_provider_provider_account_id_key" UNIQUE ("provider", "provider_account_id"),
  CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
) STRICT;
CREATE INDEX "accounts_user_id_idx" ON "accounts" ("user_id");
CREATE VIEW "active_sessions" AS
-- Active, unexpired sessions with their user's email and name. Managed by Better Auth.
SELECT "s"."id", "s"."user_id", "s"."token", "s"."expires_at", "s"."created_at", "s"."ip_address", "s"."user_agent", "u"."email", "u"."name"
FROM "sessions" AS "s"
JOIN "users" AS "u" ON "u"."id" = "s"."user_id"
WHERE "s"."active" = 1 AND "s"."expires_at" > strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
CREATE TABLE "organization" (
  -- Organizations (teams) that users belong to. Managed by Better Auth.
  "id" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "slug" TEXT NOT NULL,
  "logo" TEXT,
  "metadata" TEXT NOT NULL DEFAULT '{}' CHECK (json_valid("metadata")),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("updated_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  CONSTRAINT "organization_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "organization_slug_key" UNIQUE ("slug")
) STRICT;
CREATE TRIGGER "organization_set_updated_at" AFTER UPDATE ON "organization" FOR EACH ROW WHEN NEW."updated_at" IS OLD."updated_at"
BEGIN
  UPDATE "organization" SET "updated_at" = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE rowid = NEW.rowid AND "updated_at" IS NOT strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
END;
CREATE TABLE "member" (
  -- Membership of a user in an organization, with a role. Managed by Better Auth.
  "id" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "user_id" TEXT NOT NULL,
  "role" TEXT NOT NULL DEFAULT 'member',
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  CONSTRAINT "member_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "member_organization_id_user_id_key" UNIQUE ("organization_id", "user_id"),
  CONSTRAINT "member_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
  CONSTRAINT "member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
) STRICT;
CREATE INDEX "member_user_id_idx" ON "member" ("user_id");
CREATE TABLE "invitation" (
  -- Invitations to join an organization. Managed by Better Auth.
  "id" TEXT NOT NULL,
  "organization_id" TEXT NOT NULL,
  "email" TEXT NOT NULL,
  "role" TEXT NOT NULL DEFAULT 'member',
  "status" TEXT NOT NULL DEFAULT 'pending',
  "inviter_id" TEXT NOT NULL,
  "expires_at" TEXT NOT NULL CHECK ("expires_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) CHECK ("created_at" GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'),
  CONSTRAINT "invitation_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "invitation_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization" ("id") ON DELETE CASCADE,
  CONSTRAINT "invitation_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "users" ("id") ON DELETE CASCADE,
  CONSTRAINT "invitation_status_check" CHECK ("status" IN ('pending', 'accepted', 'rejected', 'canceled'))
) STRICT;
CREATE INDEX "invitation_organization_id_idx" ON "invitation" ("organization_id");
CREATE INDEX "invitation_email_idx" ON "invitation" ("email");
CREATE INDEX "invitation_inviter_id_idx" ON "invitation" ("inviter_id");
