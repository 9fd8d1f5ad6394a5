import { defineTable, now, value } from "../model/define-table.js";

export const member = defineTable({
  name: "member",
  comment: "Membership of a user in an organization, with a role. Managed by Better Auth.",
  columns: {
    id: { type: "id", primaryKey: true },
    organization_id: { type: "id", references: { table: "organization", onDelete: "cascade" } },
    user_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
    // owner, admin, member or a custom role: not constrained.
    role: { type: "string", default: value("member") },
    created_at: { type: "timestamp", default: now() },
  },
  // The unique key leads with organization_id and so serves the members of an organization.
  unique: [["organization_id", "user_id"]],
  indexes: [["user_id"]],
});
