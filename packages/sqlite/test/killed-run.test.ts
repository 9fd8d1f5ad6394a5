/**
 * Issue 13, faults on SQLite: the runner killed with SIGKILL right after each query of a fresh `up`
 * (counted, not timed). The migrations and their ledger rows commit together when the run's write
 * lock is released, so after each kill every migration is whole or absent, and the next run completes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runScript, type ScriptRun } from "@better-auth/test-databases/node-script";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMigrator } from "../src/index.js";

const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const MAX_KILL_POINTS = 60;

/** Runs `up` in another process that kills itself right after its Nth statement returned. */
function killedAfterStatement(file: string, count: number): Promise<ScriptRun> {
  const script = `
    import Database from "better-sqlite3";
    const target = Number(process.env.KILL_COUNT);
    let seen = 0;
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (...args) {
      const statement = prepare.apply(this, args);
      for (const method of ["run", "all", "get"]) {
        const original = statement[method].bind(statement);
        statement[method] = (...params) => {
          const result = original(...params);
          if (++seen === target) process.kill(process.pid, "SIGKILL");
          return result;
        };
      }
      return statement;
    };
    const { createMigrator } = await import(${JSON.stringify(BUILT)});
    const migrator = createMigrator({ url: process.env.FILE });
    await migrator.up();
    await migrator.close();`;
  return runScript(script, { cwd: fileURLToPath(new URL("..", import.meta.url)), env: { FILE: file, KILL_COUNT: String(count) } });
}

function schemaOf(file: string): unknown {
  const database = new Database(file, { readonly: true });
  try {
    return database.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all();
  } finally {
    database.close();
  }
}

describe("a run killed after every statement on SQLite", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ba-sqlite-killed-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves each migration whole or absent, and the next run completes the schema", async () => {
    const reference = join(dir, "reference.db");
    const clean = createMigrator({ url: reference });
    await clean.up();
    await clean.close();
    const expected = schemaOf(reference);
    let killed = 0;
    for (let count = 1; count <= MAX_KILL_POINTS; count++) {
      const file = join(dir, `killed-${count}.db`);
      const run = await killedAfterStatement(file, count);
      if (run.signal !== "SIGKILL") {
        expect(run.stderr).toBe("");
        break;
      }
      killed++;
      const next = createMigrator({ url: file, lockTimeoutMs: 5_000 });
      try {
        const states = (await next.status()).map((s) => s.state);
        expect(states.every((s) => s === "applied" || s === "pending"), states.join(",")).toBe(true);
        await next.up();
        expect((await next.status()).map((s) => s.state)).toEqual(["applied", "applied"]);
      } finally {
        await next.close();
      }
      expect(schemaOf(file), `killed after statement ${count}`).toEqual(expected);
    }
    if (process.env.BETTER_AUTH_TEST_REPORT) console.info(`killed-run: ${killed} kill points on SQLite`);
    expect(killed).toBeGreaterThan(10);
  });
});
