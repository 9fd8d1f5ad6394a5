import { randomUUID } from "node:crypto";
import { betterAuthCompat } from "@better-auth/migrate-core";
import type { BetterAuthOptions } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestAuth, type LogEntry, SECRET, type ResetMailbox, type TestAuth } from "./auth.js";
import { CookieJar } from "./cookies.js";
import type { ClientDatabase, ClientHarness } from "./harness.js";
import { readSeed, SEED, signedSessionCookie, writeSeed } from "./seed.js";
import { totp, totpParameters } from "./totp.js";

/** The plugins the flows use, and so the extensions the databases get. */
const EXTENSIONS = betterAuthCompat({ plugins: ["organization", "twoFactor"] });

const PASSWORD = "correct horse battery staple";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The planner's warnings on every dialect for what SPEC §3 decides: users.email and users.name are
 * nullable in our schema (an application may hold users without them); Better Auth declares both required.
 */
const NULLABLE_BY_SPEC = /^Column "(email|name)" on table "users" stays nullable while the schema declares the field required/;

/**
 * Better Auth's own planner on our database: nothing to create, add or index, no problem, and no
 * warning beyond those the dialect declares.
 */
async function expectNothingToPlan(options: BetterAuthOptions, logs: LogEntry[], known: readonly RegExp[]): Promise<void> {
  logs.length = 0;
  const plan = await getMigrations(options);
  expect(plan.toBeCreated.map((t) => t.table)).toEqual([]);
  expect(plan.toBeAdded.map((t) => `${t.table}: ${Object.keys(t.fields).join(", ")}`)).toEqual([]);
  expect(plan.toBeAddedIndexes.map((i) => `${i.table}: ${i.name}`)).toEqual([]);
  expect(plan.schemaProblems).toEqual([]);
  expect(plan.unsafeChanges).toEqual([]);
  const unexpected = logs.filter((entry) => ![NULLABLE_BY_SPEC, ...known].some((pattern) => pattern.test(entry.message)));
  expect(unexpected).toEqual([]);
}

/** 1 and true, 0 and false: what boolean columns read back as on each driver. */
const truth = (value: unknown) => value === true || value === 1;

let emails = 0;
/** An address no other test of the run uses. */
const newEmail = (who: string) => `${who}.${++emails}.${randomUUID().slice(0, 8)}@example.com`;

interface SignedIn {
  readonly email: string;
  readonly userId: string;
  readonly jar: CookieJar;
}

async function signUp(auth: TestAuth, who: string): Promise<SignedIn> {
  const email = newEmail(who);
  const { headers, response } = await auth.api.signUpEmail({ body: { email, password: PASSWORD, name: `User ${who}` }, returnHeaders: true });
  return { email, userId: response.user.id, jar: new CookieJar().update(headers) };
}

async function signIn(auth: TestAuth, email: string, password = PASSWORD, requestHeaders?: Record<string, string>) {
  const { headers, response } = await auth.api.signInEmail({ body: { email, password }, headers: requestHeaders ? new Headers(requestHeaders) : undefined, returnHeaders: true });
  return { response, jar: new CookieJar().update(headers) };
}

async function sessionOf(auth: TestAuth, jar: CookieJar) {
  return auth.api.getSession({ headers: jar.headers() });
}

/** The two-factor flows need a TOTP code for "now": computed here, from the URI Better Auth issued. */
const codeNow = (totpURI: string) => totp(totpParameters(totpURI), Date.now());

/**
 * The real `better-auth` client on databases our migrator made: sign-up and sign-in, sessions,
 * profile updates, sign-out, password reset, organizations and invitations, two-factor with TOTP,
 * and Better Auth's own migration planner finding nothing to do. Each runs on an empty database
 * and on one that held rows in the six core tables before the compatibility extensions were added.
 */
export function betterAuthClientSuite(harness: ClientHarness): void {
  describe(`better-auth on ${harness.name}`, () => {
    describe.each(["fresh", "populated"] as const)("%s database", (start) => {
      let db: ClientDatabase;
      let auth: TestAuth;
      let mailbox: ResetMailbox;
      let logs: LogEntry[];
      let seedBefore: Awaited<ReturnType<typeof readSeed>> | undefined;
      let seedAfter: Awaited<ReturnType<typeof readSeed>> | undefined;

      beforeAll(async () => {
        if (process.env.NODE_ENV !== "production") throw new Error(`The flows run Better Auth as in production; NODE_ENV is ${process.env.NODE_ENV} (see vitest.config.ts).`);
        db = await harness.createDatabase();
        if (start === "populated") {
          // The six tables alone, rows in them, and only then what Better Auth needs.
          await db.migrate();
          await writeSeed(db.kysely, harness.traits);
          seedBefore = await readSeed(db.kysely);
        }
        const { applied } = await db.migrate({ extensions: EXTENSIONS });
        const extensionIds = EXTENSIONS.map((e) => e.id);
        // On the populated database, the second `up` applies the extensions and nothing else.
        if (start === "populated") expect(applied.map((m) => m.id)).toEqual(extensionIds);
        else expect(applied.map((m) => m.id)).toEqual(expect.arrayContaining(extensionIds));
        if (start === "populated") seedAfter = await readSeed(db.kysely);
        ({ auth, mailbox, logs } = createTestAuth(db.betterAuthDatabase));
      });
      afterAll(async () => {
        await db?.drop();
      });

      if (start === "populated") {
        test("the rows written before the extensions keep every value", () => {
          expect(seedBefore!.users).toHaveLength(1);
          expect(seedBefore!.sessions.map((s) => s.ip_address)).toEqual(["203.0.113.7", "2001:db8::7"]);
          expect(seedAfter).toEqual(seedBefore);
        });

        test("Better Auth reads the sessions, accounts and organization written before it", async () => {
          const context = await auth.$context;
          const found = await context.internalAdapter.findSession(SEED.sessions[0].token);
          expect(found?.user).toMatchObject({ id: SEED.user.id, email: SEED.user.email, name: SEED.user.name, emailVerified: true });
          expect(found?.session).toMatchObject({ userId: SEED.user.id, ipAddress: "203.0.113.7", userAgent: SEED.sessions[0].user_agent });
          expect(found?.session.expiresAt).toEqual(new Date(SEED.sessions[0].expires_at));

          const accounts = await context.internalAdapter.findAccounts(SEED.user.id);
          expect(accounts).toEqual([expect.objectContaining({ providerId: "github", accountId: "583231", accessToken: "gho_legacyAccessToken" })]);

          // As the legacy session's owner, through the API: the organization and its member.
          const headers = new Headers({ cookie: signedSessionCookie(context.authCookies.sessionToken.name, SEED.sessions[0].token, SECRET) });
          const session = await auth.api.getSession({ headers });
          expect(session?.user.id).toBe(SEED.user.id);
          const { members } = await auth.api.listMembers({ query: { organizationId: SEED.organization.id }, headers });
          expect(members).toEqual([expect.objectContaining({ userId: SEED.user.id, role: "owner" })]);
          const full = await auth.api.getFullOrganization({ query: { organizationSlug: SEED.organization.slug }, headers });
          expect(full).toMatchObject({ id: SEED.organization.id, name: SEED.organization.name });
        });
      }

      test("Better Auth's own migration planner finds nothing to do", async () => {
        await expectNothingToPlan(auth.options, logs, harness.traits.knownPlannerWarnings);
      });

      test("sign-up writes the user, its credential account and a session", async () => {
        const { email, userId, jar } = await signUp(auth, "signup");
        const user = await db.kysely.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
        expect(user).toMatchObject({ email, name: "User signup" });
        expect(truth(user.email_verified)).toBe(false);
        const account = await db.kysely.selectFrom("accounts").selectAll().where("user_id", "=", userId).executeTakeFirstOrThrow();
        expect(account).toMatchObject({ provider: "credential", provider_account_id: userId });
        expect(account.password).toEqual(expect.stringMatching(/.{32,}/));
        expect(account.password).not.toContain(PASSWORD);
        const session = await sessionOf(auth, jar);
        expect(session?.user).toMatchObject({ id: userId, email });
      });

      test("sign-in creates a session the returned cookie opens", async () => {
        const { email, userId } = await signUp(auth, "signin");
        await expect(auth.api.signInEmail({ body: { email, password: "wrong password" } })).rejects.toThrow(/invalid email or password/i);
        const { response, jar } = await signIn(auth, email, PASSWORD, { "user-agent": "vitest-better-auth-client", "x-forwarded-for": "198.51.100.23" });
        expect(response).toMatchObject({ user: { id: userId, email } });
        const session = await sessionOf(auth, jar);
        expect(session?.user.id).toBe(userId);
        const row = await db.kysely.selectFrom("sessions").selectAll().where("token", "=", session!.session.token).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ user_id: userId, user_agent: "vitest-better-auth-client" });
        expect(row.ip_address).toBe("198.51.100.23");

        // A server-side call without request headers: Better Auth writes '' for the address and the
        // agent, the value PostgreSQL's inet refuses, and why the extension makes the column text.
        const { jar: direct } = await signIn(auth, email);
        const directToken = (await sessionOf(auth, direct))!.session.token;
        const directRow = await db.kysely.selectFrom("sessions").select(["ip_address", "user_agent"]).where("token", "=", directToken).executeTakeFirstOrThrow();
        expect(directRow).toEqual({ ip_address: "", user_agent: "" });
      });

      test("updating the user changes the row and the session's user", async () => {
        const { userId, jar } = await signUp(auth, "update");
        await auth.api.updateUser({ body: { name: "Renamed User", image: "https://example.com/new.png" }, headers: jar.headers() });
        const session = await sessionOf(auth, jar);
        expect(session?.user).toMatchObject({ name: "Renamed User", image: "https://example.com/new.png" });
        const user = await db.kysely.selectFrom("users").select(["name", "image"]).where("id", "=", userId).executeTakeFirstOrThrow();
        expect(user).toEqual({ name: "Renamed User", image: "https://example.com/new.png" });
      });

      test("sign-out deletes the session", async () => {
        const { userId, jar } = await signUp(auth, "signout");
        const session = await sessionOf(auth, jar);
        expect(session?.user.id).toBe(userId);
        await auth.api.signOut({ headers: jar.headers() });
        expect(await sessionOf(auth, jar)).toBeNull();
        const left = await db.kysely.selectFrom("sessions").select("id").where("token", "=", session!.session.token).execute();
        expect(left).toEqual([]);
      });

      test("a password reset sends a token that sets a new password", async () => {
        const { email } = await signUp(auth, "reset");
        await auth.api.requestPasswordReset({ body: { email, redirectTo: "/reset-password" } });
        const mail = mailbox.get(email);
        expect(mail?.token).toEqual(expect.any(String));
        expect(mail?.url).toContain(mail!.token);
        await auth.api.resetPassword({ body: { newPassword: "a brand new passphrase", token: mail!.token } });
        await expect(auth.api.signInEmail({ body: { email, password: PASSWORD } })).rejects.toThrow(/invalid email or password/i);
        const { jar } = await signIn(auth, email, "a brand new passphrase");
        expect((await sessionOf(auth, jar))?.user.email).toBe(email);
        // The token is spent.
        await expect(auth.api.resetPassword({ body: { newPassword: "yet another passphrase", token: mail!.token } })).rejects.toThrow();
      });

      test("organizations: create, set active, invite, accept, reject, cancel, list members", async () => {
        const owner = await signUp(auth, "owner");
        const slug = `org-${randomUUID().slice(0, 8)}`;
        const created = await auth.api.createOrganization({ body: { name: "Acme", slug, metadata: { plan: "team" } }, headers: owner.jar.headers() });
        expect(created).toMatchObject({ name: "Acme", slug });
        const organizationId = created!.id;
        // Better Auth writes the metadata as JSON text; our column is JSON (jsonb on PostgreSQL, which reads back parsed).
        const { metadata } = await db.kysely.selectFrom("organization").select("metadata").where("id", "=", organizationId).executeTakeFirstOrThrow();
        expect(typeof metadata === "string" ? JSON.parse(metadata) : metadata).toEqual({ plan: "team" });
        expect(await db.kysely.selectFrom("member").select(["user_id", "role"]).where("organization_id", "=", organizationId).execute()).toEqual([
          { user_id: owner.userId, role: "owner" },
        ]);

        const { headers: activeHeaders } = await auth.api.setActiveOrganization({ body: { organizationId }, headers: owner.jar.headers(), returnHeaders: true });
        owner.jar.update(activeHeaders);
        const ownerSession = await sessionOf(auth, owner.jar);
        expect(ownerSession?.session.activeOrganizationId).toBe(organizationId);
        const sessionRow = await db.kysely.selectFrom("sessions").select("active_organization_id").where("token", "=", ownerSession!.session.token).executeTakeFirstOrThrow();
        expect(sessionRow.active_organization_id).toBe(organizationId);

        const invite = async (email: string) =>
          (await auth.api.createInvitation({ body: { email, role: "member", organizationId }, headers: owner.jar.headers() }))!.id;
        const status = async (id: string) => (await db.kysely.selectFrom("invitation").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

        const invitee = await signUp(auth, "invitee");
        const accepted = await invite(invitee.email);
        expect(await status(accepted)).toBe("pending");
        await auth.api.acceptInvitation({ body: { invitationId: accepted }, headers: invitee.jar.headers() });
        expect(await status(accepted)).toBe("accepted");

        const refuser = await signUp(auth, "refuser");
        const rejected = await invite(refuser.email);
        await auth.api.rejectInvitation({ body: { invitationId: rejected }, headers: refuser.jar.headers() });
        expect(await status(rejected)).toBe("rejected");

        const canceled = await invite(newEmail("never-joins"));
        await auth.api.cancelInvitation({ body: { invitationId: canceled }, headers: owner.jar.headers() });
        expect(await status(canceled)).toBe("canceled");

        const { members } = await auth.api.listMembers({ query: { organizationId }, headers: owner.jar.headers() });
        expect(members.map((m) => ({ userId: m.userId, role: m.role })).sort((a, b) => a.role.localeCompare(b.role))).toEqual([
          { userId: invitee.userId, role: "member" },
          { userId: owner.userId, role: "owner" },
        ]);
        // Members may not see invitations; the owner sees all three, none pending.
        const full = await auth.api.getFullOrganization({ query: { organizationId }, headers: owner.jar.headers() });
        expect(full?.invitations.map((i) => i.status).sort()).toEqual(["accepted", "canceled", "rejected"]);
        expect(full?.members.map((m) => m.user.email).sort()).toEqual([invitee.email, owner.email].sort());
        // Better Auth hands the metadata back as the driver reads it: JSON text on SQLite, parsed by pg
        // (jsonb) and mysql2 (MariaDB's JSON). Either way it is what was written.
        const readBack: unknown = full?.metadata;
        expect(typeof readBack === "string" ? JSON.parse(readBack) : readBack).toEqual({ plan: "team" });
      });

      test("two-factor: enable with the password, verify a TOTP code, then sign-in needs the code", async () => {
        const { email, userId, jar } = await signUp(auth, "twofactor");
        await expect(auth.api.enableTwoFactor({ body: { password: "not the password" }, headers: jar.headers() })).rejects.toThrow(/invalid password/i);
        const enabled = await auth.api.enableTwoFactor({ body: { password: PASSWORD, method: "totp" }, headers: jar.headers() });
        if (enabled.method !== "totp") throw new Error(`enableTwoFactor answered ${JSON.stringify(enabled)}`);
        expect(enabled.totpURI).toMatch(/^otpauth:\/\/totp\//);
        expect(enabled.backupCodes.length).toBeGreaterThan(0);
        const secretRow = await db.kysely.selectFrom("two_factor").selectAll().where("user_id", "=", userId).executeTakeFirstOrThrow();
        expect(truth(secretRow.verified)).toBe(false);
        expect(secretRow.secret).not.toContain(new URL(enabled.totpURI).searchParams.get("secret"));

        const { headers: verifiedHeaders } = await auth.api.verifyTOTP({ body: { code: codeNow(enabled.totpURI) }, headers: jar.headers(), returnHeaders: true });
        jar.update(verifiedHeaders);
        expect((await sessionOf(auth, jar))?.user).toMatchObject({ id: userId, twoFactorEnabled: true });
        const user = await db.kysely.selectFrom("users").select("two_factor_enabled").where("id", "=", userId).executeTakeFirstOrThrow();
        expect(truth(user.two_factor_enabled)).toBe(true);
        const verified = await db.kysely.selectFrom("two_factor").select("verified").where("user_id", "=", userId).executeTakeFirstOrThrow();
        expect(truth(verified.verified)).toBe(true);

        // Signing in again stops at the second factor: no session until the code is given.
        const { response, jar: pending } = await signIn(auth, email);
        expect(response).toMatchObject({ twoFactorRedirect: true });
        expect(await sessionOf(auth, pending)).toBeNull();
        const code = codeNow(enabled.totpURI);
        const wrong = `${code.slice(0, -1)}${(Number(code.at(-1)) + 5) % 10}`;
        await expect(auth.api.verifyTOTP({ body: { code: wrong }, headers: pending.headers() })).rejects.toThrow(/invalid/i);
        const { headers: signedInHeaders } = await auth.api.verifyTOTP({ body: { code: codeNow(enabled.totpURI) }, headers: pending.headers(), returnHeaders: true });
        pending.update(signedInHeaders);
        expect((await sessionOf(auth, pending))?.user.id).toBe(userId);
      });
    });

    // The flows above pass with the check on; this shows it is on, and what it would have said.
    test("Better Auth's schema check refuses a database without the two-factor extension", async () => {
      const db = await harness.createDatabase();
      try {
        await db.migrate({ extensions: betterAuthCompat({ plugins: ["organization"] }) });
        const { auth } = createTestAuth(db.betterAuthDatabase);
        await expect(signUp(auth, "unchecked")).rejects.toThrow(expect.objectContaining({
          name: "BetterAuthError",
          message: expect.stringMatching(/^Database schema mismatch[\s\S]*Missing tables\s+two_factor[\s\S]*users\.two_factor_enabled/),
        }));
        expect(await db.kysely.selectFrom("users").select("id").execute()).toEqual([]);
      } finally {
        await db.drop();
      }
    });

    if (harness.uuidIds) {
      describe("native UUID ids", () => {
        let db: ClientDatabase;
        let auth: TestAuth;
        let logs: LogEntry[];

        beforeAll(async () => {
          db = await harness.createDatabase();
          await db.migrate({ ids: "uuid", extensions: EXTENSIONS });
          ({ auth, logs } = createTestAuth(db.betterAuthDatabase, { ids: "uuid" }));
        });
        afterAll(async () => {
          await db?.drop();
        });

        test("Better Auth's own migration planner finds nothing to do", async () => {
          await expectNothingToPlan(auth.options, logs, harness.traits.knownPlannerWarnings);
        });

        test("sign-up and sign-in work, and every id is a UUID", async () => {
          const { email, userId, jar } = await signUp(auth, "uuid");
          expect(userId).toMatch(UUID);
          expect((await sessionOf(auth, jar))?.user.id).toBe(userId);
          const { jar: again } = await signIn(auth, email);
          const session = await sessionOf(auth, again);
          expect(session?.session.id).toMatch(UUID);
          expect(session?.session.userId).toBe(userId);
          const account = await db.kysely.selectFrom("accounts").select(["id", "user_id"]).where("user_id", "=", userId).executeTakeFirstOrThrow();
          expect(account.id).toMatch(UUID);

          const created = await auth.api.createOrganization({ body: { name: "Uuid Org", slug: `uuid-${randomUUID().slice(0, 8)}` }, headers: again.headers() });
          expect(created?.id).toMatch(UUID);
          await auth.api.setActiveOrganization({ body: { organizationId: created!.id }, headers: again.headers() });
          const row = await db.kysely.selectFrom("sessions").select("active_organization_id").where("id", "=", session!.session.id).executeTakeFirstOrThrow();
          expect(row.active_organization_id).toBe(created!.id);
        });
      });
    }
  });
}
