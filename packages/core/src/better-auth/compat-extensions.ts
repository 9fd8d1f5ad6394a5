import { defineTable, now, value } from "../model/define-table.js";
import { defineExtension, type Extension } from "../migrations/extensions.js";
import { sessions } from "../schema/index.js";
import { InvalidOptionsError } from "../errors.js";
import { shown } from "../model/validate.js";

/**
 * What the `better-auth` package needs on top of the six tables, as versioned extensions. The
 * columns follow Better Auth's own schema definitions (`getAuthTables` of better-auth 1.7.25,
 * @better-auth/passkey 1.7.6, @better-auth/api-key 1.7.5): a field Better Auth requires is NOT NULL
 * here, an optional one nullable, its defaults are ours; strings it indexes are `string`, others `text`.
 * Every added column is nullable or has a default, so each extension applies to tables with rows.
 *
 * Released extensions are never edited: what a later Better Auth needs is a new one, with a new id.
 */

/** Better Auth writes `ip_address = ''` when it has no trusted client IP, which `inet` refuses: a string column takes it. */
const ipAddressFrom = sessions.columns.find((c) => c.name === "ip_address")!;

const base = defineExtension({
  id: "better_auth_0001_core",
  name: "Better Auth 1.7: the verification table, account passwords and tokens, updated_at on sessions and accounts, ip_address as text",
  tables: [
    defineTable({
      name: "verification",
      comment: "Short-lived values (password reset and e-mail verification tokens) Better Auth looks up by identifier.",
      columns: {
        id: { type: "id", primaryKey: true },
        identifier: { type: "string" },
        value: { type: "text" },
        expires_at: { type: "timestamp" },
        created_at: { type: "timestamp", default: now() },
        updated_at: { type: "timestamp", default: now(), autoUpdate: true },
      },
      indexes: [["identifier"]],
    }),
  ],
  columns: {
    accounts: {
      password: { type: "text", nullable: true },
      id_token: { type: "text", nullable: true },
      refresh_token_expires_at: { type: "timestamp", nullable: true },
      updated_at: { type: "timestamp", default: now(), autoUpdate: true },
    },
    sessions: {
      updated_at: { type: "timestamp", default: now(), autoUpdate: true },
    },
  },
});

const betterAuthCore: typeof base = {
  ...base,
  migration: {
    ...base.migration,
    up: [...base.migration.up, { kind: "alterColumn", table: "sessions", from: ipAddressFrom, to: { ...ipAddressFrom, type: "string" } }],
  },
};

const organization = defineExtension({
  id: "better_auth_0002_organization",
  name: "Better Auth 1.7 organization plugin: the active organization of a session",
  columns: {
    sessions: { active_organization_id: { type: "id", nullable: true, references: { table: "organization", onDelete: "set null" } } },
  },
});

const teams = defineExtension({
  id: "better_auth_0003_teams",
  name: "Better Auth 1.7 organization teams: team and team_member, the active team of a session, the teams of an invitation",
  tables: [
    defineTable({
      name: "team",
      comment: "Teams within an organization (Better Auth organization plugin, teams enabled).",
      columns: {
        id: { type: "id", primaryKey: true },
        name: { type: "string" },
        organization_id: { type: "id", references: { table: "organization", onDelete: "cascade" } },
        member_count: { type: "integer", default: value(0) },
        created_at: { type: "timestamp", default: now() },
        updated_at: { type: "timestamp", nullable: true },
      },
      indexes: [["organization_id"]],
    }),
    defineTable({
      name: "team_member",
      comment: "Members of a team.",
      columns: {
        id: { type: "id", primaryKey: true },
        team_id: { type: "id", references: { table: "team", onDelete: "cascade" } },
        user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        membership_key: { type: "string", nullable: true, unique: true },
        created_at: { type: "timestamp", nullable: true, default: now() },
      },
      indexes: [["team_id"], ["user_id"]],
    }),
  ],
  columns: {
    sessions: { active_team_id: { type: "id", nullable: true, references: { table: "team", onDelete: "set null" } } },
    // Better Auth writes one team id or several joined by commas: text, no foreign key.
    invitation: { team_id: { type: "text", nullable: true } },
  },
});

const twoFactor = defineExtension({
  id: "better_auth_0004_two_factor",
  name: "Better Auth 1.7 two-factor plugin: TOTP secrets and backup codes",
  tables: [
    defineTable({
      name: "two_factor",
      comment: "TOTP secrets and backup codes (Better Auth two-factor plugin), encrypted by Better Auth.",
      columns: {
        id: { type: "id", primaryKey: true },
        secret: { type: "string" },
        backup_codes: { type: "text" },
        user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        verified: { type: "boolean", nullable: true, default: value(true) },
        failed_verification_count: { type: "integer", nullable: true, default: value(0) },
        locked_until: { type: "timestamp", nullable: true },
      },
      indexes: [["secret"], ["user_id"]],
    }),
  ],
  columns: { users: { two_factor_enabled: { type: "boolean", nullable: true, default: value(false) } } },
});

const passkey = defineExtension({
  id: "better_auth_0005_passkey",
  name: "Better Auth 1.7 passkey plugin: WebAuthn credentials",
  tables: [
    defineTable({
      name: "passkey",
      comment: "WebAuthn credentials (Better Auth passkey plugin).",
      columns: {
        id: { type: "id", primaryKey: true },
        name: { type: "text", nullable: true },
        public_key: { type: "text" },
        user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
        credential_id: { type: "string" },
        counter: { type: "integer" },
        device_type: { type: "string" },
        backed_up: { type: "boolean" },
        transports: { type: "text", nullable: true },
        created_at: { type: "timestamp", nullable: true, default: now() },
        aaguid: { type: "string", nullable: true },
      },
      indexes: [["user_id"], ["credential_id"]],
    }),
  ],
});

const apiKey = defineExtension({
  id: "better_auth_0006_api_key",
  name: "Better Auth 1.7 API key plugin: hashed keys with their limits",
  tables: [
    defineTable({
      name: "api_key",
      comment: "API keys (Better Auth API key plugin); the key itself is stored hashed.",
      columns: {
        id: { type: "id", primaryKey: true },
        config_id: { type: "string", default: value("default") },
        name: { type: "text", nullable: true },
        start: { type: "string", nullable: true },
        reference_id: { type: "string" },
        prefix: { type: "string", nullable: true },
        key: { type: "string" },
        refill_interval: { type: "integer", nullable: true },
        refill_amount: { type: "integer", nullable: true },
        last_refill_at: { type: "timestamp", nullable: true },
        enabled: { type: "boolean", nullable: true, default: value(true) },
        rate_limit_enabled: { type: "boolean", nullable: true, default: value(true) },
        rate_limit_time_window: { type: "integer", nullable: true, default: value(86_400_000) },
        rate_limit_max: { type: "integer", nullable: true, default: value(10) },
        request_count: { type: "integer", nullable: true, default: value(0) },
        remaining: { type: "integer", nullable: true },
        last_request: { type: "timestamp", nullable: true },
        expires_at: { type: "timestamp", nullable: true },
        created_at: { type: "timestamp", default: now() },
        updated_at: { type: "timestamp", default: now(), autoUpdate: true },
        permissions: { type: "text", nullable: true },
        metadata: { type: "text", nullable: true },
      },
      indexes: [["config_id"], ["reference_id"], ["key"]],
    }),
  ],
});

const username = defineExtension({
  id: "better_auth_0007_username",
  name: "Better Auth 1.7 username plugin: unique user names",
  columns: {
    users: {
      username: { type: "string", nullable: true, unique: true },
      display_username: { type: "text", nullable: true },
    },
  },
});

const admin = defineExtension({
  id: "better_auth_0008_admin",
  name: "Better Auth 1.7 admin plugin: roles, bans and impersonation",
  columns: {
    users: {
      role: { type: "text", nullable: true },
      banned: { type: "boolean", nullable: true, default: value(false) },
      ban_reason: { type: "text", nullable: true },
      ban_expires: { type: "timestamp", nullable: true },
    },
    sessions: { impersonated_by: { type: "id", nullable: true, references: { table: "users", onDelete: "set null" } } },
  },
});

/** The Better Auth plugins whose tables and columns the compatibility extensions add. `teams` is the organization plugin with teams enabled. */
export const BETTER_AUTH_PLUGINS = ["organization", "teams", "twoFactor", "passkey", "apiKey", "username", "admin"] as const;
export type BetterAuthPlugin = (typeof BETTER_AUTH_PLUGINS)[number];

/** Each extension by name, in the one order they apply (a plugin's extension after those it builds on). */
export const betterAuthExtensions = { core: betterAuthCore, organization, teams, twoFactor, passkey, apiKey, username, admin } as const;

export interface BetterAuthCompatOptions {
  /** The Better Auth plugins the application uses, e.g. `["organization", "twoFactor"]`. `teams` needs `organization`. */
  readonly plugins?: readonly BetterAuthPlugin[];
}

/** The given plugin list, checked at run time: known names, no repeats, teams only with organization. */
export function checkedPlugins(plugins: unknown, where: string): BetterAuthPlugin[] {
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins)) throw new InvalidOptionsError(`${where}: plugins must be a list of plugin names, not ${shown(plugins)}.`);
  const seen = new Set<BetterAuthPlugin>();
  for (const plugin of plugins as unknown[]) {
    if (typeof plugin !== "string" || !(BETTER_AUTH_PLUGINS as readonly string[]).includes(plugin)) {
      throw new InvalidOptionsError(`${where}: unknown Better Auth plugin ${shown(plugin)}; known: ${BETTER_AUTH_PLUGINS.join(", ")}.`);
    }
    if (seen.has(plugin as BetterAuthPlugin)) throw new InvalidOptionsError(`${where}: plugin "${plugin}" is listed twice.`);
    seen.add(plugin as BetterAuthPlugin);
  }
  if (seen.has("teams") && !seen.has("organization")) throw new InvalidOptionsError(`${where}: "teams" is part of the organization plugin; list "organization" too.`);
  return BETTER_AUTH_PLUGINS.filter((p) => seen.has(p));
}

/**
 * The extensions that make the schema work with the `better-auth` package (1.7): always its core
 * needs (the verification table, account passwords, updated_at on sessions and accounts, ip_address
 * as text), and for each plugin listed, that plugin's tables and columns. Pass them to
 * `createMigrator({ extensions })`; the order is fixed, whatever the order of `plugins`.
 *
 * @example
 * const migrator = createMigrator({ url, extensions: betterAuthCompat({ plugins: ["organization", "twoFactor"] }) });
 */
export function betterAuthCompat(options: BetterAuthCompatOptions = {}): Extension[] {
  if (options === null || typeof options !== "object") throw new InvalidOptionsError(`betterAuthCompat takes an options object, not ${shown(options)}.`);
  const plugins = checkedPlugins(options.plugins, "betterAuthCompat");
  return [betterAuthCore, ...plugins.map((plugin) => betterAuthExtensions[plugin] as Extension)];
}
