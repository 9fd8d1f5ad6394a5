import { defineTable, json, now } from "../model/define-table.js";

export const organization = defineTable({
  name: "organization",
  comment: "Organizations (teams) that users belong to. Managed by Better Auth.",
  columns: {
    id: { type: "id", primaryKey: true },
    name: { type: "string" },
    slug: { type: "string", unique: true },
    logo: { type: "text", nullable: true },
    metadata: { type: "json", default: json({}) },
    created_at: { type: "timestamp", default: now() },
    updated_at: { type: "timestamp", default: now(), autoUpdate: true },
  },
});
