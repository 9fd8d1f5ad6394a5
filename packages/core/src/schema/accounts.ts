import { defineTable, now } from "../model/define-table.js";

export const accounts = defineTable({
  name: "accounts",
  comment: "OAuth accounts linked to a user. Managed by Better Auth.",
  columns: {
    id: { type: "id", primaryKey: true },
    user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
    provider: { type: "string" },
    provider_account_id: { type: "string" },
    access_token: { type: "text", nullable: true },
    refresh_token: { type: "text", nullable: true },
    expires_at: { type: "timestamp", nullable: true },
    token_type: { type: "string", nullable: true },
    scope: { type: "text", nullable: true },
    created_at: { type: "timestamp", default: now() },
  },
  // The unique key serves sign-in through a provider.
  unique: [["provider", "provider_account_id"]],
  indexes: [["user_id"]],
});
