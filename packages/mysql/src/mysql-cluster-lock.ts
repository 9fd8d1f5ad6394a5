import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { type LockHolder, type LockWait, pollForLock } from "@better-auth/migrate-core";
import { type Kysely, sql } from "kysely";
import { quoteIdentifier as q } from "./mysql-quote.js";

/** The table that holds the lease on a Galera cluster; the session keeps it for itself (check never reports it). */
export const CLUSTER_LOCK_TABLE = "better_auth_migrations_lock";

/** How long a lease lasts without being renewed: how long a run that died keeps others waiting. */
export const DEFAULT_LEASE_MS = 30_000;

const POLL_MS = 100;
const ROW = "migrations";
/** Galera reports a write that lost certification to another node's as a deadlock. */
const ER_LOCK_DEADLOCK = 1213;

/**
 * Whether the server is a Galera cluster node with replication on. GET_LOCK is local to a node, so
 * on a cluster runners connected to different nodes would not wait for each other.
 */
export async function isGaleraNode(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ Value: string }>`SHOW VARIABLES LIKE 'wsrep_on'`.execute(db);
  return String(rows[0]?.Value ?? "").toUpperCase() === "ON";
}

/**
 * A lock that holds across the nodes of a Galera cluster: a row in a table, which Galera replicates
 * synchronously. Taking it is an insert (or the takeover of an expired lease) that certification
 * lets only one node win; the winner renews the lease from another connection while it runs, and
 * deletes the row when it is done. A run that dies keeps the others waiting until its lease ends
 * (`leaseMs`); the next run then finishes what it left, as after any crash.
 */
export class ClusterLock {
  /** Each run's lease, by the connection that holds it: who it is, and its heartbeat. */
  readonly #held = new WeakMap<Kysely<unknown>, { holder: string; heartbeat?: { stop: () => void; done: Promise<void> } }>();

  constructor(
    private readonly connections: Kysely<unknown> | undefined,
    private readonly leaseMs: number = DEFAULT_LEASE_MS,
  ) {}

  async acquire(db: Kysely<unknown>, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<void> {
    // Reads on this connection wait until the node has applied what other nodes committed: the
    // lease row, and then the ledger, are read as the cluster has them.
    await sql.raw("SET SESSION wsrep_sync_wait = 1").execute(db);
    await sql.raw(
      `CREATE TABLE IF NOT EXISTS ${q(CLUSTER_LOCK_TABLE)} (\n` +
        "  `name` VARCHAR(64) NOT NULL PRIMARY KEY,\n  `holder` VARCHAR(255) NOT NULL,\n" +
        "  `acquired_at` DATETIME(3) NOT NULL,\n  `expires_at` DATETIME(3) NOT NULL\n" +
        ") ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'The migration lock of better-auth-migrate on a Galera cluster.'",
    ).execute(db);
    const holder = `${hostname()} pid ${process.pid} run ${randomUUID().slice(0, 8)}`;
    await pollForLock(() => this.#tryTake(db, holder), { timeoutMs, pollMs: POLL_MS, describeHolder: () => this.#currentHolder(db), ...(onWait ? { onWait } : {}) });
    this.#held.set(db, { holder, ...this.#startHeartbeat(holder) });
  }

  async #tryTake(db: Kysely<unknown>, holder: string): Promise<boolean> {
    const leaseSeconds = this.leaseMs / 1000;
    try {
      // Assignments run left to right: each IF still sees the old expires_at until the last one.
      await sql`
        INSERT INTO ${sql.table(CLUSTER_LOCK_TABLE)} (name, holder, acquired_at, expires_at)
        VALUES (${ROW}, ${holder}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND)
        ON DUPLICATE KEY UPDATE
          holder = IF(expires_at < UTC_TIMESTAMP(3), VALUES(holder), holder),
          acquired_at = IF(expires_at < UTC_TIMESTAMP(3), VALUES(acquired_at), acquired_at),
          expires_at = IF(expires_at < UTC_TIMESTAMP(3), VALUES(expires_at), expires_at)`.execute(db);
    } catch (error) {
      if ((error as { errno?: number }).errno === ER_LOCK_DEADLOCK) return false;
      throw error;
    }
    const { rows } = await sql<{ holder: string }>`SELECT holder FROM ${sql.table(CLUSTER_LOCK_TABLE)} WHERE name = ${ROW}`.execute(db);
    return rows[0]?.holder === holder;
  }

  async #currentHolder(db: Kysely<unknown>): Promise<LockHolder | undefined> {
    const { rows } = await sql<{ holder: string; held_s: number; left_s: number }>`
      SELECT holder, TIMESTAMPDIFF(SECOND, acquired_at, UTC_TIMESTAMP(3)) AS held_s, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(3), expires_at) AS left_s
      FROM ${sql.table(CLUSTER_LOCK_TABLE)} WHERE name = ${ROW}`.execute(db);
    const row = rows[0];
    if (!row) return undefined;
    return {
      description: `${row.holder} (cluster lease, held ${Number(row.held_s)} s, ends in ${Math.max(0, Number(row.left_s))} s unless renewed)`,
      session: row.holder,
      heldMs: Number(row.held_s) * 1000,
    };
  }

  /**
   * Renews the lease every third of it, on a connection of its own, so that a long statement on the
   * run's connection does not let it run out. Without a second connection (a pool of one), the lease
   * is not renewed: a run longer than the lease could then be joined by another.
   */
  #startHeartbeat(holder: string): { heartbeat?: { stop: () => void; done: Promise<void> } } {
    if (!this.connections) return {};
    let stopped = false;
    let wake: () => void = () => undefined;
    const done = this.connections
      .connection()
      .execute(async (conn) => {
        while (!stopped) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, this.leaseMs / 3).unref();
          });
          if (stopped) break;
          await sql`
            UPDATE ${sql.table(CLUSTER_LOCK_TABLE)} SET expires_at = UTC_TIMESTAMP(3) + INTERVAL ${this.leaseMs / 1000} SECOND
            WHERE name = ${ROW} AND holder = ${holder}`.execute(conn);
        }
      })
      // A node that left takes the heartbeat with it; the run's own connection reports that.
      .catch(() => undefined);
    return { heartbeat: { stop: () => ((stopped = true), wake()), done } };
  }

  async release(db: Kysely<unknown>): Promise<void> {
    const held = this.#held.get(db);
    if (!held) return;
    this.#held.delete(db);
    held.heartbeat?.stop();
    await held.heartbeat?.done;
    await sql`DELETE FROM ${sql.table(CLUSTER_LOCK_TABLE)} WHERE name = ${ROW} AND holder = ${held.holder}`.execute(db);
  }
}
