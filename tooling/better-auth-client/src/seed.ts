import { createHmac } from "node:crypto";
import { schema } from "@better-auth/migrate-core";
import type { Kysely } from "kysely";
import type { ClientHarness } from "./harness.js";

/**
 * Rows an application wrote into the six core tables before it adopted Better Auth: a user, two
 * sessions (IPv4 and IPv6 addresses), an OAuth account, an organization with JSON metadata and its
 * owner. Values are written as the driver takes them ({@link ClientHarness.traits}).
 */
export const SEED = {
  user: {
    id: "seed-user-1",
    email: "legacy.owner@example.com",
    name: "Legacy Owner",
    image: "https://example.com/avatars/legacy.png",
    email_verified: true,
    created_at: "2019-05-06T07:08:09.123Z",
    updated_at: "2020-01-02T03:04:05.678Z",
    metadata: '{"source":"legacy","tier":2}',
  },
  sessions: [
    {
      id: "seed-session-v4",
      user_id: "seed-user-1",
      token: "seed-session-token-v4",
      expires_at: "2099-12-31T23:59:59.999Z",
      created_at: "2021-03-04T05:06:07.891Z",
      ip_address: "203.0.113.7",
      user_agent: "LegacyApp/1.0 (X11; Linux x86_64)",
      active: true,
    },
    {
      id: "seed-session-v6",
      user_id: "seed-user-1",
      token: "seed-session-token-v6",
      expires_at: "2098-06-15T12:00:00.000Z",
      created_at: "2021-03-05T05:06:07.001Z",
      ip_address: "2001:db8::7",
      user_agent: null,
      active: false,
    },
  ],
  account: {
    id: "seed-account-1",
    user_id: "seed-user-1",
    provider: "github",
    provider_account_id: "583231",
    access_token: "gho_legacyAccessToken",
    refresh_token: null,
    expires_at: "2030-01-01T00:00:00.000Z",
    token_type: "bearer",
    scope: "read:user,user:email",
    created_at: "2019-05-06T07:08:09.456Z",
  },
  organization: {
    id: "seed-org-1",
    name: "Legacy Org",
    slug: "legacy-org",
    logo: null,
    metadata: '{"plan":"pro"}',
    created_at: "2020-02-03T04:05:06.789Z",
    updated_at: "2020-02-03T04:05:06.789Z",
  },
  member: {
    id: "seed-member-1",
    organization_id: "seed-org-1",
    user_id: "seed-user-1",
    role: "owner",
    created_at: "2020-02-03T04:05:06.790Z",
  },
} as const;

type Row = Record<string, unknown>;

/** A seed row with instants and booleans as this driver takes them. */
function forDriver(row: Row, traits: ClientHarness["traits"]): Row {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => {
      if (typeof value === "string" && /^\d{4}-\d\d-\d\dT.*Z$/.test(value) && traits.timestampsAs === "date") return [column, new Date(value)];
      if (typeof value === "boolean" && traits.booleansAs === "integer") return [column, value ? 1 : 0];
      return [column, value];
    }),
  );
}

export async function writeSeed(db: Kysely<any>, traits: ClientHarness["traits"]): Promise<void> {
  await db.insertInto("users").values(forDriver(SEED.user, traits)).execute();
  for (const session of SEED.sessions) await db.insertInto("sessions").values(forDriver(session, traits)).execute();
  await db.insertInto("accounts").values(forDriver(SEED.account, traits)).execute();
  await db.insertInto("organization").values(forDriver(SEED.organization, traits)).execute();
  await db.insertInto("member").values(forDriver(SEED.member, traits)).execute();
}

const seededTables = ["users", "sessions", "accounts", "organization", "member"] as const;

/**
 * Every core column (SPEC §3) of every seeded row, as this driver reads it: the same reader before
 * and after the extensions, so any change to a stored value shows.
 */
export async function readSeed(db: Kysely<any>): Promise<Record<(typeof seededTables)[number], Row[]>> {
  const read = async (table: (typeof seededTables)[number]) => {
    const columns = schema[table].columns.map((c) => c.name);
    return db.selectFrom(table).select(columns).where("id", "like", "seed-%").orderBy("id").execute();
  };
  return {
    users: await read("users"),
    sessions: await read("sessions"),
    accounts: await read("accounts"),
    organization: await read("organization"),
    member: await read("member"),
  };
}

/**
 * The session cookie Better Auth would have set for a session token: `name` (its
 * `authCookies.sessionToken.name`) = `token.signature`, the signature being HMAC-SHA256 of the token
 * with the secret, in base64 (better-call's signed cookies). Lets a test act as the owner of a
 * session another application created.
 */
export function signedSessionCookie(name: string, token: string, secret: string): string {
  const signature = createHmac("sha256", secret).update(token).digest("base64");
  return `${name}=${encodeURIComponent(`${token}.${signature}`)}`;
}
