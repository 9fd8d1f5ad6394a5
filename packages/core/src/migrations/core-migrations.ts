import { accounts, activeSessions, cleanupExpiredSessions, invitation, member, organization, sessions, touchUpdatedAt, users } from "../schema/index.js";
import type { Migration } from "./operations.js";

/**
 * The migrations that build the Better Auth schema. Released migrations are never edited: a change
 * to the schema is a new migration appended here.
 */
export const coreMigrations: readonly Migration[] = [
  {
    id: "0001_core_tables",
    name: "users, sessions and accounts, with the updated_at trigger, session cleanup and active_sessions view",
    up: [
      { kind: "createRoutine", routine: touchUpdatedAt },
      { kind: "createTable", table: users },
      { kind: "createTable", table: sessions },
      { kind: "createTable", table: accounts },
      { kind: "createRoutine", routine: cleanupExpiredSessions },
      { kind: "createView", view: activeSessions },
    ],
  },
  {
    id: "0002_organization_tables",
    name: "organization, member and invitation",
    up: [
      { kind: "createTable", table: organization },
      { kind: "createTable", table: member },
      { kind: "createTable", table: invitation },
    ],
  },
];
