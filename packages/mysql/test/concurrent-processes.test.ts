/** SPEC §1 and §5 on MySQL: replicas that start at once all run `up`; exactly one applies each migration. */
import { fileURLToPath } from "node:url";
import { closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase, runScript } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { LOCK_NAME_SQL } from "../src/mysql-adapter.js";

afterAll(closeMysqlAdminPools);

const server = inject("mariadbServer");
const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** A separate process running `up` (the built package); prints the ids it applied as JSON. */
function upProcess(url: string): Promise<{ code: number | null; applied: string[]; stderr: string }> {
  const script = `
    const { createMigrator } = await import(${JSON.stringify(BUILT)});
    const migrator = createMigrator({ url: process.env.URL, lockTimeoutMs: 30000 });
    const { applied } = await migrator.up();
    await migrator.close();
    process.stdout.write(JSON.stringify(applied.map((m) => m.id)));`;
  return runScript(script, { cwd: fileURLToPath(new URL("..", import.meta.url)), env: { URL: url } }).then((run) => ({
    code: run.code,
    applied: run.code === 0 ? (JSON.parse(run.stdout) as string[]) : [],
    stderr: run.stderr,
  }));
}

describe(`concurrent processes on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("five up processes started at once apply each migration exactly once", async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => upProcess(db.url)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(runs.flatMap((r) => r.applied).sort()).toEqual(["0001_core_tables", "0002_organization_tables"]);
    const ledger = (await db.admin("SELECT id, steps_applied FROM better_auth_migrations ORDER BY id")) as unknown[];
    expect(ledger).toEqual([
      { id: "0001_core_tables", steps_applied: null },
      { id: "0002_organization_tables", steps_applied: null },
    ]);
    // The lock is gone with the processes that held it.
    const [lock] = (await db.admin(`SELECT IS_FREE_LOCK(${LOCK_NAME_SQL}) AS free`)) as { free: number }[];
    expect(Number(lock!.free)).toBe(1);
  });
});
