import { defineTable, now, value } from "../model/define-table.js";

export const INVITATION_STATUSES = ["pending", "accepted", "rejected", "canceled"] as const;

export const invitation = defineTable({
  name: "invitation",
  comment: "Invitations to join an organization. Managed by Better Auth.",
  columns: {
    id: { type: "id", primaryKey: true },
    organization_id: { type: "id", references: { table: "organization", onDelete: "cascade" } },
    email: { type: "string" },
    role: { type: "string", default: value("member") },
    status: { type: "string", default: value("pending"), oneOf: INVITATION_STATUSES },
    inviter_id: { type: "id", references: { table: "users", onDelete: "cascade" } },
    expires_at: { type: "timestamp" },
    created_at: { type: "timestamp", default: now() },
  },
  // invitations of an organization; invitations by email; and inviter_id, so that deleting a
  // user finds the invitations to cascade to without reading the whole table.
  indexes: [["organization_id"], ["email"], ["inviter_id"]],
});
