import { betterAuth, type BetterAuthOptions } from "better-auth";
import { organization, twoFactor } from "better-auth/plugins";
import { betterAuthOptions, betterAuthPluginSchema } from "@better-auth/migrate-core";

/** A fixed secret: cookies and encrypted TOTP secrets are reproducible across runs. */
export const SECRET = "better-auth-client-tests-0123456789abcdefghijklmnopqrstuvwxyz";
export const BASE_URL = "http://localhost:3000";

/** One line Better Auth logged. */
export interface LogEntry {
  readonly level: string;
  readonly message: string;
}

/** What `sendResetPassword` was handed, by e-mail address: the test's mailbox. */
export type ResetMailbox = Map<string, { readonly token: string; readonly url: string }>;

/**
 * Better Auth as an application configures it on our schema: our tables through `betterAuthOptions`,
 * the organization and two-factor plugins through `betterAuthPluginSchema`, its runtime schema check
 * left at its default (on), no HTTP server: the flows call `auth.api.*`.
 */
export function createTestAuth(database: BetterAuthOptions["database"], options: { ids?: "uuid" } = {}) {
  const mailbox: ResetMailbox = new Map();
  const logs: LogEntry[] = [];
  const auth = betterAuth({
    database,
    secret: SECRET,
    baseURL: BASE_URL,
    trustedOrigins: [BASE_URL],
    telemetry: { enabled: false },
    // Kept for the tests to read (the planner's findings are warnings), not printed.
    logger: { level: "warn", log: (level, message) => void logs.push({ level, message }) },
    ...betterAuthOptions(options),
    emailAndPassword: {
      enabled: true,
      sendResetPassword: async ({ user, url, token }) => {
        mailbox.set(user.email, { token, url });
      },
    },
    plugins: [organization({ schema: betterAuthPluginSchema("organization") }), twoFactor({ schema: betterAuthPluginSchema("twoFactor") })],
  });
  return { auth, mailbox, logs };
}

export type TestAuth = ReturnType<typeof createTestAuth>["auth"];
