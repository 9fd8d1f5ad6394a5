/**
 * Issue 15: a MariaDB Galera cluster of three nodes on 127.0.0.1. GET_LOCK is local to a node, so
 * runners connected to different nodes would not wait for each other; the adapter takes a lease in a
 * replicated table there instead. Runners on every node at once apply each migration exactly once,
 * the ledger is the same on every node, and a node that leaves mid-run leaves a migration the next
 * run finishes.
 */
import { BETTER_AUTH_PLUGINS, betterAuthCompat, type UpResult } from "@better-auth/migrate-core";
import { type GaleraCluster, type GaleraClusterDatabase, startGaleraCluster } from "@better-auth/test-databases";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { CLUSTER_LOCK_TABLE } from "../src/mysql-cluster-lock.js";

const RUNNERS_PER_NODE = 3;
const ROUNDS = 3;
const extensions = betterAuthCompat({ plugins: [...BETTER_AUTH_PLUGINS] });
const ALL = ["0001_core_tables", "0002_organization_tables", ...extensions.map((e) => e.id)];
/** Short, so that the test of a node that leaves waits seconds, not the default 30. */
const LEASE_MS = 3000;

let cluster: GaleraCluster;
beforeAll(async () => {
  cluster = await startGaleraCluster({ nodes: 3 });
}, 240_000);
afterAll(async () => {
  await cluster?.stop();
});

/** Rows of one query on one node, read once the node has applied what the cluster committed. */
async function rowsOn(url: string, text: string): Promise<Record<string, unknown>[]> {
  const connection = await mysql.createConnection({ uri: url });
  try {
    await connection.query("SET SESSION wsrep_sync_wait = 1");
    const [rows] = await connection.query(text);
    return rows as Record<string, unknown>[];
  } finally {
    await connection.end();
  }
}

const ledgerOn = (url: string) => rowsOn(url, "SELECT id, checksum, steps_applied FROM better_auth_migrations ORDER BY id");

describe("on a three-node MariaDB Galera cluster", () => {
  it(`${RUNNERS_PER_NODE} runners on each node at once × ${ROUNDS} rounds apply each migration exactly once; every node has the same ledger; no lease is left`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const db = await cluster.createDatabase();
      try {
        const results = await Promise.allSettled(
          db.urls.flatMap((url) =>
            Array.from({ length: RUNNERS_PER_NODE }, async (): Promise<UpResult> => {
              const migrator = createMigrator({ url, extensions, lockLeaseMs: LEASE_MS });
              try {
                return await migrator.up();
              } finally {
                await migrator.close();
              }
            }),
          ),
        );
        const errors = results.flatMap((r) => (r.status === "rejected" ? [String((r.reason as Error).message)] : []));
        expect(errors, `round ${round}`).toEqual([]);
        const applied = results.flatMap((r) => (r.status === "fulfilled" ? r.value.applied.map((m) => m.id) : []));
        expect([...applied].sort(), `round ${round}: each migration applied by exactly one runner`).toEqual([...ALL].sort());
        const ledgers = await Promise.all(db.urls.map(ledgerOn));
        expect(ledgers[0]!.map((r) => [r.id, r.steps_applied])).toEqual([...ALL].sort().map((id) => [id, null]));
        for (const ledger of ledgers.slice(1)) expect(ledger).toEqual(ledgers[0]);
        expect(await rowsOn(db.urls[2]!, `SELECT * FROM ${CLUSTER_LOCK_TABLE}`), "leases left").toEqual([]);
      } finally {
        await db.drop();
      }
    }
  }, 240_000);

  it("a node that leaves the cluster mid-run: the next run, on another node, waits out the lease and finishes the migration", async () => {
    const db: GaleraClusterDatabase = await cluster.createDatabase();
    const leaving = cluster.nodes[1]!;
    try {
      const runner = createMigrator({ url: db.urls[1]!, extensions, lockLeaseMs: LEASE_MS });
      const run = runner.up().then(
        () => "finished",
        (error: unknown) => (error as { code?: string }).code ?? String(error),
      );
      // Kill the node once the run is part way: some migration recorded, not all.
      for (let i = 0; i < 2000; i++) {
        const rows = await rowsOn(db.urls[0]!, "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'better_auth_migrations'");
        if (Number(rows[0]!.n) > 0 && (await ledgerOn(db.urls[0]!)).length >= 3) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await leaving.kill();
      expect(await run).not.toBe("finished");
      await runner.close().catch(() => undefined);
      const partial = await ledgerOn(db.urls[0]!);
      expect(partial.length).toBeLessThan(ALL.length);

      const next = createMigrator({ url: db.urls[0]!, extensions, lockLeaseMs: LEASE_MS, lockTimeoutMs: 60_000 });
      try {
        const waits: number[] = [];
        const { applied } = await next.up({ onProgress: (e) => void (e.type === "waiting" && waits.push(e.waitedMs)) });
        expect(applied.length).toBeGreaterThan(0);
        expect((await next.status()).every((s) => s.state === "applied")).toBe(true);
        expect((await next.check()).findings.filter((f) => f.severity === "error")).toEqual([]);
      } finally {
        await next.close();
      }
      const ledgers = await Promise.all([db.urls[0]!, db.urls[2]!].map(ledgerOn));
      expect(ledgers[0]!.map((r) => [r.id, r.steps_applied])).toEqual([...ALL].sort().map((id) => [id, null]));
      expect(ledgers[1]).toEqual(ledgers[0]);
    } finally {
      await leaving.restart();
      await db.drop();
    }
  }, 240_000);
});
