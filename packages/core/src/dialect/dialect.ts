import type { Kysely } from "kysely";
import type { SchemaIntrospector } from "./introspector.js";
import type { DialectRenderer } from "./renderer.js";
import type { MigrationSession } from "./session.js";

/**
 * What a dialect package gives the shared runner, by role: a pure renderer, a migration session,
 * an introspector, and the application helper behind `cleanupExpiredSessions()`. All SQL text comes
 * from here.
 */
export interface Dialect {
  readonly renderer: DialectRenderer;
  readonly session: MigrationSession;
  readonly introspector: SchemaIntrospector;
  /** Deletes expired and inactive sessions and returns how many were deleted. */
  cleanupExpiredSessions(db: Kysely<unknown>): Promise<number>;
}
