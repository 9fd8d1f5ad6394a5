import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { AdapterHarness } from "./harness.js";

const CORE = ["0001_core_tables", "0002_organization_tables"];
export const LOAD_RUNNERS = 20;
export const LOAD_ROUNDS = 5;

/**
 * Issue 13, load: many replicas starting at once, again and again. Each round, on a fresh database,
 * 20 runners call `up` together: every migration is applied exactly once, and no runner sees any
 * error (waiting for the lock is the only thing they may do).
 */
export function loadSuite(harness: AdapterHarness): void {
  describe(`load on ${harness.name}`, () => {
    it(`${LOAD_RUNNERS} concurrent runners × ${LOAD_ROUNDS} rounds apply each migration exactly once, without errors`, async () => {
      for (let round = 0; round < LOAD_ROUNDS; round++) {
        const db = await harness.createDatabase();
        const migrators = Array.from({ length: LOAD_RUNNERS }, () => db.createMigrator({ lockTimeoutMs: 60_000 }));
        try {
          const outcomes = await Promise.allSettled(migrators.map((m) => m.up()));
          const failures = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
          expect(failures, `round ${round}`).toEqual([]);
          const applied = outcomes.flatMap((o) => (o.status === "fulfilled" ? o.value.applied.map((m) => m.id) : []));
          expect(applied.sort(), `round ${round}`).toEqual(CORE);
          const ledger = await db.kysely
            .selectFrom("better_auth_migrations")
            .select(["id", sql<number>`count(*)`.as("n")])
            .groupBy("id")
            .orderBy("id")
            .execute();
          expect(ledger.map((r) => [r.id, Number(r.n)]), `round ${round}`).toEqual(CORE.map((id) => [id, 1]));
        } finally {
          await Promise.all(migrators.map((m) => m.close()));
          await db.drop();
        }
      }
    });
  });
}
