/**
 * SPEC §5 on MySQL: a migration interrupted half way is detected by the next run and finished, never
 * skipped and never re-run into "already exists". A separate process runs `up` and kills itself with
 * SIGKILL at a chosen point, counted by statements (not timed): right after the Nth DDL statement
 * returned (before the ledger heard of it), or right after the Nth ledger update.
 */
import { fileURLToPath } from "node:url";
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase, runScript, type ScriptRun } from "@better-auth/test-databases";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { catalogSnapshot, migratedDatabase } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");
const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** The core migrations on MySQL: 7 DDL statements; 11 ledger updates (one per step, one per completion). */
const DDL_STATEMENTS = 7;
const LEDGER_UPDATES = 11;
/** The ledger updates that mark a migration complete: after them, nothing is partly applied. */
const COMPLETIONS = new Set([7, 11]);

type KillPoint = { after: "statement" | "ledgerUpdate"; count: number };

/**
 * Runs `up` in another process that kills itself at `point`. mysql2's query() is wrapped so that
 * the kill comes from inside the driver's callback: the server has done the work, the runner has
 * not seen the result.
 */
function killedRun(url: string, point: KillPoint): Promise<ScriptRun> {
  const script = `
    import mysql from "mysql2";
    const [kind, target] = [process.env.KILL_AFTER, Number(process.env.KILL_COUNT)];
    const counts = (sql) => kind === "statement"
      ? /^(CREATE|ALTER|DROP) /.test(sql) && !sql.includes("better_auth_migrations")
      : /^update \`better_auth_migrations\`/.test(sql);
    let seen = 0;
    const query = mysql.Connection.prototype.query;
    mysql.Connection.prototype.query = function (sql, values, callback) {
      const text = typeof sql === "string" ? sql : sql.sql;
      if (typeof callback !== "function" || !counts(text)) return query.apply(this, arguments);
      return query.call(this, sql, values, (error, ...rest) => {
        if (!error && ++seen === target) process.kill(process.pid, "SIGKILL");
        callback(error, ...rest);
      });
    };
    const { createMigrator } = await import(${JSON.stringify(BUILT)});
    const migrator = createMigrator({ url: process.env.URL });
    await migrator.up();
    await migrator.close();
    process.exit(3); // never reached when the kill point lies within the run`;
  return runScript(script, { cwd: PACKAGE_DIR, env: { URL: url, KILL_AFTER: point.after, KILL_COUNT: String(point.count) } });
}

const KILL_POINTS: KillPoint[] = [
  ...Array.from({ length: DDL_STATEMENTS }, (_, i): KillPoint => ({ after: "statement", count: i + 1 })),
  ...Array.from({ length: LEDGER_UPDATES }, (_, i): KillPoint => ({ after: "ledgerUpdate", count: i + 1 })),
];

describe(`a run killed at every statement on MariaDB ${server.version}`, () => {
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    const clean = await migratedDatabase(server.adminUrl);
    reference = await catalogSnapshot(clean);
    await clean.drop();
  });

  for (const point of KILL_POINTS) {
    it(`killed after ${point.after} ${point.count}: status names the partial migration, the next up finishes the schema`, async () => {
      const db: MysqlTestDatabase = await createMysqlTestDatabase(server.adminUrl);
      try {
        const killed = await killedRun(db.url, point);
        expect(killed.signal, killed.stderr).toBe("SIGKILL");

        const migrator = createMigrator({ url: db.url, lockTimeoutMs: 10_000 });
        try {
          const states = (await migrator.status()).map((s) => s.state);
          const complete = point.after === "ledgerUpdate" && COMPLETIONS.has(point.count);
          expect(states.filter((s) => s === "partial"), states.join(",")).toHaveLength(complete ? 0 : 1);
          expect(states.every((s) => ["applied", "partial", "pending"].includes(s))).toBe(true);

          const { applied } = await migrator.up();
          expect(applied.length).toBe(states.filter((s) => s !== "applied").length);
          expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
          expect((await migrator.up()).applied).toEqual([]);
        } finally {
          await migrator.close();
        }
        expect(await catalogSnapshot(db)).toEqual(reference);
        const ledger = (await db.admin("SELECT id, steps_applied FROM better_auth_migrations ORDER BY id")) as unknown[];
        expect(ledger).toEqual([
          { id: "0001_core_tables", steps_applied: null },
          { id: "0002_organization_tables", steps_applied: null },
        ]);
      } finally {
        await db.drop();
      }
    });
  }

  it("down of a partly applied migration undoes exactly the part that was applied", async () => {
    const db = await createMysqlTestDatabase(server.adminUrl);
    try {
      // Statement 6 is CREATE TABLE member: organization is recorded, member exists, the ledger does not know yet.
      expect((await killedRun(db.url, { after: "statement", count: 6 })).signal).toBe("SIGKILL");
      const migrator = createMigrator({ url: db.url });
      try {
        expect((await migrator.status())[1]).toMatchObject({ state: "partial", progress: { stepsApplied: 1, steps: 3 } });
        expect((await migrator.down()).reverted.map((m) => m.id)).toEqual(["0002_organization_tables"]);
        expect((await migrator.status()).map((s) => s.state)).toEqual(["applied", "pending"]);
      } finally {
        await migrator.close();
      }
      const tables = (await db.admin("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1")) as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(["accounts", "active_sessions", "better_auth_migrations", "better_auth_migrations_lock_key", "sessions", "users"]);
    } finally {
      await db.drop();
    }
  });
});
