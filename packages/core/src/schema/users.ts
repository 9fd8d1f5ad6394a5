import { defineTable, json, now, value } from "../model/define-table.js";

export const users = defineTable({
  name: "users",
  comment: "People who can sign in. Managed by Better Auth.",
  columns: {
    id: { type: "id", primaryKey: true },
    // The unique key's index serves sign-in by email.
    email: { type: "string", nullable: true, unique: true },
    name: { type: "string", nullable: true },
    image: { type: "text", nullable: true },
    email_verified: { type: "boolean", default: value(false) },
    created_at: { type: "timestamp", default: now() },
    updated_at: { type: "timestamp", default: now(), autoUpdate: true },
    metadata: { type: "json", default: json({}) },
  },
});
