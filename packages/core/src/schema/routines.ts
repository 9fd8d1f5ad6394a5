import type { CleanupExpiredSessionsRoutine, TouchUpdatedAtRoutine } from "../model/types.js";

/** Keeps every `autoUpdate` column current; used by a BEFORE UPDATE trigger on each such table. */
export const touchUpdatedAt: TouchUpdatedAtRoutine = {
  kind: "touchUpdatedAt",
  // Prefixed: a bare set_updated_at() is a common name in hand-made schemas and must not be replaced.
  name: "better_auth_set_updated_at",
  comment: "Sets the column named by the trigger's argument to now(). Managed by Better Auth.",
};

/** Deletes sessions that are expired or inactive and returns how many it deleted. */
export const cleanupExpiredSessions: CleanupExpiredSessionsRoutine = {
  kind: "cleanupExpiredSessions",
  name: "cleanup_expired_sessions",
  comment: "Deletes expired and inactive sessions; returns how many. Managed by Better Auth.",
  table: "sessions",
  expiresAt: "expires_at",
  active: "active",
};
