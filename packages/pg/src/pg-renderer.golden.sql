CREATE FUNCTION "public"."better_auth_set_updated_at"() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
  NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], now()));
  RETURN NEW;
END
$function$;
COMMENT ON FUNCTION "public"."better_auth_set_updated_at"() IS 'Sets the column named by the trigger''s argument to now(). Managed by Better Auth.';
CREATE TABLE "public"."users" (
  "id" text NOT NULL,
  "email" text,
  "name" text,
  "image" text,
  "email_verified" boolean NOT NULL DEFAULT false,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_email_key" UNIQUE ("email")
);
COMMENT ON TABLE "public"."users" IS 'People who can sign in. Managed by Better Auth.';
CREATE TRIGGER "users_set_updated_at" BEFORE UPDATE ON "public"."users" FOR EACH ROW EXECUTE FUNCTION "public"."better_auth_set_updated_at"('updated_at');
CREATE TABLE "public"."sessions" (
  "id" text NOT NULL,
  "user_id" text NOT NULL,
  "token" text NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "ip_address" inet,
  "user_agent" text,
  "active" boolean NOT NULL DEFAULT true,
  CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "sessions_token_key" UNIQUE ("token"),
  CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE
);
CREATE INDEX "sessions_user_id_idx" ON "public"."sessions" ("user_id");
CREATE INDEX "sessions_expires_at_idx" ON "public"."sessions" ("expires_at");
COMMENT ON TABLE "public"."sessions" IS 'Sign-in sessions, looked up by token on every request. Managed by Better Auth.';
CREATE TABLE "public"."accounts" (
  "id" text NOT NULL,
  "user_id" text NOT NULL,
  "provider" text NOT NULL,
  "provider_account_id" text NOT NULL,
  "access_token" text,
  "refresh_token" text,
  "expires_at" timestamptz,
  "token_type" text,
  "scope" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "accounts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "accounts_provider_provider_account_id_key" UNIQUE ("provider", "provider_account_id"),
  CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE
);
CREATE INDEX "accounts_user_id_idx" ON "public"."accounts" ("user_id");
COMMENT ON TABLE "public"."accounts" IS 'OAuth accounts linked to a user. Managed by Better Auth.';
CREATE FUNCTION "public"."cleanup_expired_sessions"() RETURNS integer
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $function$
WITH deleted AS (
  DELETE FROM "public"."sessions"
  WHERE "expires_at" <= now() OR NOT "active"
  RETURNING 1
)
SELECT count(*)::integer FROM deleted
$function$;
COMMENT ON FUNCTION "public"."cleanup_expired_sessions"() IS 'Deletes expired and inactive sessions; returns how many. Managed by Better Auth.';
CREATE VIEW "public"."active_sessions" AS
SELECT "s"."id", "s"."user_id", "s"."token", "s"."expires_at", "s"."created_at", "s"."ip_address", "s"."user_agent", "u"."email", "u"."name"
FROM "public"."sessions" AS "s"
JOIN "public"."users" AS "u" ON "u"."id" = "s"."user_id"
WHERE "s"."active" AND "s"."expires_at" > now();
COMMENT ON VIEW "public"."active_sessions" IS 'Active, unexpired sessions with their user''s email and name. Managed by Better Auth.';
CREATE TABLE "public"."organization" (
  "id" text NOT NULL,
  "name" text NOT NULL,
  "slug" text NOT NULL,
  "logo" text,
  "metadata" jsonb NOT NULL DEFAULT '{}'::jsonb,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  "updated_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "organization_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "organization_slug_key" UNIQUE ("slug")
);
COMMENT ON TABLE "public"."organization" IS 'Organizations (teams) that users belong to. Managed by Better Auth.';
CREATE TRIGGER "organization_set_updated_at" BEFORE UPDATE ON "public"."organization" FOR EACH ROW EXECUTE FUNCTION "public"."better_auth_set_updated_at"('updated_at');
CREATE TABLE "public"."member" (
  "id" text NOT NULL,
  "organization_id" text NOT NULL,
  "user_id" text NOT NULL,
  "role" text NOT NULL DEFAULT 'member',
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "member_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "member_organization_id_user_id_key" UNIQUE ("organization_id", "user_id"),
  CONSTRAINT "member_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organization" ("id") ON DELETE CASCADE,
  CONSTRAINT "member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE
);
CREATE INDEX "member_user_id_idx" ON "public"."member" ("user_id");
COMMENT ON TABLE "public"."member" IS 'Membership of a user in an organization, with a role. Managed by Better Auth.';
CREATE TABLE "public"."invitation" (
  "id" text NOT NULL,
  "organization_id" text NOT NULL,
  "email" text NOT NULL,
  "role" text NOT NULL DEFAULT 'member',
  "status" text NOT NULL DEFAULT 'pending',
  "inviter_id" text NOT NULL,
  "expires_at" timestamptz NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "invitation_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "invitation_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organization" ("id") ON DELETE CASCADE,
  CONSTRAINT "invitation_inviter_id_fkey" FOREIGN KEY ("inviter_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE,
  CONSTRAINT "invitation_status_check" CHECK ("status" IN ('pending', 'accepted', 'rejected', 'canceled'))
);
CREATE INDEX "invitation_organization_id_idx" ON "public"."invitation" ("organization_id");
CREATE INDEX "invitation_email_idx" ON "public"."invitation" ("email");
CREATE INDEX "invitation_inviter_id_idx" ON "public"."invitation" ("inviter_id");
COMMENT ON TABLE "public"."invitation" IS 'Invitations to join an organization. Managed by Better Auth.';
