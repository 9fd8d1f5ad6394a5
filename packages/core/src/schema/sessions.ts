import { defineTable, now, value } from "../model/define-table.js";

export const sessions = defineTable({
  name: "sessions",
  comment: "Sign-in sessions, looked up by token on every request. Managed by Better Auth.",
  columns: {
    id: { type: "id", primaryKey: true },
    user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
    token: { type: "string", unique: true },
    expires_at: { type: "timestamp" },
    created_at: { type: "timestamp", default: now() },
    ip_address: { type: "ipAddress", nullable: true },
    user_agent: { type: "text", nullable: true },
    active: { type: "boolean", default: value(true) },
  },
  // sessions of a user; expired sessions, for the cleanup.
  indexes: [["user_id"], ["expires_at"]],
});
