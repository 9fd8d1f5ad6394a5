import { InvalidOptionsError } from "../errors.js";
import { shown } from "../model/validate.js";

/**
 * Better Auth's `modelName`/`fields` options for our tables, as plain data, so that an application
 * does not map its fields by hand. Field names are Better Auth 1.7's (pinned in
 * `compat-extensions.ts`); a column is the field in snake_case unless listed otherwise. No import of
 * `better-auth`: these are the shapes its options take.
 */

/** One Better Auth model on one of our tables: `{ modelName: "users", fields: { emailVerified: "email_verified" } }`. */
export interface BetterAuthModelOptions {
  readonly modelName?: string;
  readonly fields: Readonly<Record<string, string>>;
}

const snakeCase = (field: string) => field.replace(/[A-Z]+/g, (upper) => `_${upper.toLowerCase()}`);

function model(modelName: string | undefined, fields: readonly string[], columns: Readonly<Record<string, string>> = {}): BetterAuthModelOptions {
  return {
    ...(modelName === undefined ? {} : { modelName }),
    fields: Object.fromEntries(fields.map((field) => [field, columns[field] ?? snakeCase(field)])),
  };
}

export interface BetterAuthOptionsInput {
  /** The migrator's `ids` option (PostgreSQL): with "uuid", Better Auth leaves ids to the database. */
  readonly ids?: "string" | "uuid";
}

/** Top-level Better Auth options for the core tables, to spread into `betterAuth({ … })`. */
export interface BetterAuthTableOptions {
  readonly user: BetterAuthModelOptions;
  readonly session: BetterAuthModelOptions;
  readonly account: BetterAuthModelOptions;
  readonly verification: BetterAuthModelOptions;
  readonly advanced?: { readonly database: { readonly generateId: "uuid" } };
}

/**
 * The options that point Better Auth at our tables: spread them into `betterAuth({ database, ...betterAuthOptions(), … })`.
 * Better Auth's `accountId`, `providerId` and `accessTokenExpiresAt` are our `provider_account_id`,
 * `provider` and `expires_at`. With `ids: "uuid"` it also sets `advanced.database.generateId: "uuid"`
 * (merge it with your own `advanced` options if you have some).
 */
export function betterAuthOptions(options: BetterAuthOptionsInput = {}): BetterAuthTableOptions {
  if (options === null || typeof options !== "object") throw new InvalidOptionsError(`betterAuthOptions takes an options object, not ${shown(options)}.`);
  const ids = options.ids ?? "string";
  if (ids !== "string" && ids !== "uuid") throw new InvalidOptionsError(`betterAuthOptions: ids must be "string" or "uuid", not ${shown(ids)}.`);
  return {
    user: model("users", ["name", "email", "emailVerified", "image", "createdAt", "updatedAt"]),
    session: model("sessions", ["expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"]),
    account: model(
      "accounts",
      ["accountId", "providerId", "userId", "accessToken", "refreshToken", "idToken", "accessTokenExpiresAt", "refreshTokenExpiresAt", "scope", "password", "createdAt", "updatedAt"],
      { accountId: "provider_account_id", providerId: "provider", accessTokenExpiresAt: "expires_at" },
    ),
    verification: model("verification", ["identifier", "value", "expiresAt", "createdAt", "updatedAt"]),
    ...(ids === "uuid" ? { advanced: { database: { generateId: "uuid" as const } } } : {}),
  };
}

/** The plugins whose `schema` option {@link betterAuthPluginSchema} gives. */
export type BetterAuthSchemaPlugin = "organization" | "twoFactor" | "passkey" | "apiKey" | "username" | "admin";

export type BetterAuthPluginSchema = Readonly<Record<string, BetterAuthModelOptions>>;

const organizationModels = (teams: boolean): BetterAuthPluginSchema => ({
  organization: model("organization", ["name", "slug", "logo", "createdAt", "metadata"]),
  member: model("member", ["organizationId", "userId", "role", "createdAt"]),
  invitation: model("invitation", ["organizationId", "email", "role", "status", "expiresAt", "createdAt", "inviterId", ...(teams ? ["teamId"] : [])]),
  session: model(undefined, ["activeOrganizationId", ...(teams ? ["activeTeamId"] : [])]),
  ...(teams
    ? {
        team: model("team", ["name", "organizationId", "memberCount", "createdAt", "updatedAt"]),
        teamMember: model("team_member", ["teamId", "userId", "membershipKey", "createdAt"]),
      }
    : {}),
});

const pluginSchemas: Readonly<Record<Exclude<BetterAuthSchemaPlugin, "organization">, BetterAuthPluginSchema>> = {
  twoFactor: {
    twoFactor: model("two_factor", ["secret", "backupCodes", "userId", "verified", "failedVerificationCount", "lockedUntil"]),
    user: model(undefined, ["twoFactorEnabled"]),
  },
  passkey: {
    passkey: model("passkey", ["name", "publicKey", "userId", "credentialID", "counter", "deviceType", "backedUp", "transports", "createdAt", "aaguid"]),
  },
  apiKey: {
    apikey: model("api_key", [
      "configId", "name", "start", "referenceId", "prefix", "key", "refillInterval", "refillAmount", "lastRefillAt", "enabled", "rateLimitEnabled",
      "rateLimitTimeWindow", "rateLimitMax", "requestCount", "remaining", "lastRequest", "expiresAt", "createdAt", "updatedAt", "permissions", "metadata",
    ]),
  },
  username: { user: model(undefined, ["username", "displayUsername"]) },
  admin: {
    user: model(undefined, ["role", "banned", "banReason", "banExpires"]),
    session: model(undefined, ["impersonatedBy"]),
  },
};

/**
 * A plugin's `schema` option for our tables: `organization({ schema: betterAuthPluginSchema("organization") })`.
 * For the organization plugin with teams enabled, pass `{ teams: true }`.
 */
export function betterAuthPluginSchema(plugin: BetterAuthSchemaPlugin, options: { readonly teams?: boolean } = {}): BetterAuthPluginSchema {
  if (options === null || typeof options !== "object") throw new InvalidOptionsError(`betterAuthPluginSchema takes an options object, not ${shown(options)}.`);
  if (options.teams !== undefined && typeof options.teams !== "boolean") throw new InvalidOptionsError(`betterAuthPluginSchema: teams must be true or false, not ${shown(options.teams)}.`);
  if (plugin === "organization") return organizationModels(options.teams === true);
  if (options.teams) throw new InvalidOptionsError(`betterAuthPluginSchema: teams belongs to the organization plugin, not ${shown(plugin)}.`);
  if (typeof plugin !== "string" || !Object.hasOwn(pluginSchemas, plugin)) {
    throw new InvalidOptionsError(`betterAuthPluginSchema: unknown plugin ${shown(plugin)}; known: organization, ${Object.keys(pluginSchemas).join(", ")}.`);
  }
  return pluginSchemas[plugin];
}
