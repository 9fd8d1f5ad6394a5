/**
 * Issue 15: PostgreSQL where users outgrow one server. Runners through PgBouncer in transaction
 * mode (what managed hosts' pooled ports are) and session mode, and a hot standby: a base backup
 * of the primary (pg_backup_start/stop with a slot, as pg_basebackup -R does; see
 * tooling/test-databases) streaming from it. Each on PostgreSQL 15 only, with servers of their own: the pooler's and the
 * standby's setups are not a property of the version.
 */
import { BETTER_AUTH_PLUGINS, betterAuthCompat, defineExtension, type UpResult } from "@better-auth/migrate-core";
import {
  closeAdminPools, createTestDatabase, type PgBouncer, type PoolMode, type PostgresServer, type PostgresStandby, startPgBouncer, startPostgres, startStandby,
  type TestDatabase, waitForReplay,
} from "@better-auth/test-databases";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp } from "./helpers.js";

const RUNNERS = 20;
const ROUNDS = 3;
const extensions = betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] });
const ALL = ["0001_core_tables", "0002_organization_tables", ...extensions.map((e) => e.id)];

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres(15);
}, 120_000);
afterAll(async () => {
  await closeAdminPools();
  await server?.stop();
});

/** The advisory locks anybody holds on the server, whatever the database: none once runs are over. */
async function advisoryLocks(db: TestDatabase): Promise<number> {
  const { rows } = await db.admin("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
  return rows[0].n as number;
}

/**
 * `RUNNERS` runners at once through `url`, each closing its connections when done, as a process
 * that exits would (in session mode, a client keeps its server connection until it disconnects).
 */
async function runTogether(url: string): Promise<PromiseSettledResult<UpResult>[]> {
  return Promise.allSettled(
    Array.from({ length: RUNNERS }, async () => {
      const migrator = createMigrator({ url, extensions });
      try {
        return await migrator.up();
      } finally {
        await migrator.close();
      }
    }),
  );
}

for (const poolMode of ["transaction", "session"] satisfies PoolMode[]) {
  describe(`through PgBouncer in ${poolMode} mode`, () => {
    let bouncer: PgBouncer;
    beforeAll(async () => {
      bouncer = await startPgBouncer({ server, poolMode, poolSize: 5 });
    }, 60_000);
    afterAll(async () => {
      await bouncer?.stop();
    });

    it(`${RUNNERS} runners at once × ${ROUNDS} rounds apply each migration exactly once, without errors, and leave no lock held`, async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const db = await createTestDatabase(server.adminUrl);
        try {
          const results = await runTogether(bouncer.urlFor(db.url));
          const errors = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
          expect(errors, `round ${round}`).toEqual([]);
          const applied = results.flatMap((r) => (r.status === "fulfilled" ? r.value.applied.map((m) => m.id) : []));
          expect([...applied].sort(), `round ${round}: each migration applied by exactly one runner`).toEqual([...ALL].sort());
          const { rows } = await db.admin("SELECT id FROM better_auth_migrations ORDER BY id");
          expect(rows.map((r) => r.id)).toEqual([...ALL].sort());
          // The pooler still holds its server connections: a session-level lock taken through one
          // would still be there.
          expect((await bouncer.admin("SHOW SERVERS")).some((s) => s.database === db.name), "the pooler keeps server connections open").toBe(true);
          expect(await advisoryLocks(db), `round ${round}: advisory locks left`).toBe(0);
        } finally {
          await bouncer.disconnect(db.name);
          await db.drop();
        }
      }
    }, 180_000);

    it("status, check, down and cleanup work through it", async () => {
      const db = await createTestDatabase(server.adminUrl);
      const migrator = createMigrator({ url: bouncer.urlFor(db.url), extensions });
      try {
        await migrator.up();
        expect((await migrator.status()).every((s) => s.state === "applied")).toBe(true);
        expect((await migrator.check()).clean).toBe(true);
        expect((await migrator.down({ steps: 2 })).reverted.map((m) => m.id)).toEqual(ALL.slice(-2).reverse());
        expect((await migrator.up()).applied.map((m) => m.id)).toEqual(ALL.slice(-2));
        expect(await migrator.cleanupExpiredSessions()).toBe(0);
        expect(await advisoryLocks(db)).toBe(0);
      } finally {
        await migrator.close();
        await bouncer.disconnect(db.name);
        await db.drop();
      }
    }, 60_000);

    it("refuses a concurrent index build, which needs a session of its own, with one line naming the fix, and builds it with the direct URL", async () => {
      const db = await createTestDatabase(server.adminUrl);
      const byName = defineExtension({ id: "0100_users_by_name", name: "users by name", indexes: { users: [["name"]] }, buildIndexesConcurrently: true });
      await migrateUp(db.url);
      const pooled = createMigrator({ url: bouncer.urlFor(db.url), extensions: [byName] });
      const direct = createMigrator({ url: db.url, extensions: [byName] });
      try {
        const error = await pooled.up().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "NEEDS_DIRECT_CONNECTION", message: expect.stringMatching(/through a pooler/), hint: expect.stringMatching(/direct URL/) });
        expect((await pooled.status()).at(-1)!.state).toBe("pending");
        expect(await advisoryLocks(db)).toBe(0);
        expect((await direct.up()).applied.map((m) => m.id)).toEqual(["0100_users_by_name"]);
      } finally {
        await pooled.close();
        await direct.close();
        await bouncer.disconnect(db.name);
        await db.drop();
      }
    }, 60_000);
  });
}

describe("on a hot standby (a base backup of the primary, streaming from it)", () => {
  let standby: PostgresStandby;
  let db: TestDatabase;
  const readOnly = { code: "READ_ONLY", message: "The server is a read-only standby (in recovery): migrations and cleanup run on the primary." };
  beforeAll(async () => {
    db = await createTestDatabase(server.adminUrl);
    // The primary has the core migrations; an extension stays pending there.
    await migrateUp(db.url);
    standby = await startStandby(server);
    await waitForReplay(server, standby);
  }, 120_000);
  afterAll(async () => {
    await standby?.stop();
    await db?.drop();
  });

  it("up, down, baseline and cleanup refuse with one line and change nothing; status and check report what the primary applied", async () => {
    const onStandby = createMigrator({ url: standby.urlFor(db.url), extensions });
    const onPrimary = createMigrator({ url: db.url, extensions });
    try {
      const before = await onPrimary.status();
      await expect(onStandby.up()).rejects.toMatchObject(readOnly);
      await expect(onStandby.down()).rejects.toMatchObject(readOnly);
      await expect(onStandby.baseline()).rejects.toMatchObject(readOnly);
      await expect(onStandby.cleanupExpiredSessions()).rejects.toMatchObject(readOnly);
      // Even with nothing pending: a run pointed at a replica says so.
      const coreOnly = createMigrator({ url: standby.urlFor(db.url) });
      await expect(coreOnly.up()).rejects.toMatchObject(readOnly);
      await coreOnly.close();

      expect(await onPrimary.status()).toEqual(before);
      const status = await onStandby.status();
      expect(status.map((s) => [s.id, s.state])).toEqual(ALL.map((id, i) => [id, i < 2 ? "applied" : "pending"]));
      const check = await onStandby.check();
      expect(check.pending).toEqual(ALL.slice(2));
      expect(check.findings.filter((f) => f.severity === "error")).toEqual([]);

      // What the primary applies next, the standby reports once it has replayed it.
      await onPrimary.up();
      await waitForReplay(server, standby);
      expect((await onStandby.status()).every((s) => s.state === "applied")).toBe(true);
      expect((await onStandby.check()).clean).toBe(true);
    } finally {
      await onStandby.close();
      await onPrimary.close();
    }
  }, 60_000);
});
