/**
 * Issue 13, item 1 on MySQL: a connection killed under the migrator (KILL, a server restart) must
 * never crash the process: the promise rejects with one typed error, the application goes on, and
 * the next run finishes what was left.
 */
import { fileURLToPath } from "node:url";
import { catchingApplication, closeMysqlAdminPools, createMysqlTestDatabase, type MysqlTestDatabase } from "@better-auth/test-databases";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { holdMigrationLock, migrateUp, openConnection } from "./helpers.js";

afterAll(closeMysqlAdminPools);

const BUILT = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const server = inject("mariadbServer");

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const application = (url: string) => catchingApplication(BUILT, url, PACKAGE_DIR);

async function waitFor(db: MysqlTestDatabase, condition: string, what: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const rows = (await db.admin(`SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND ${condition}`)) as { id: number }[];
    if (rows[0]) return Number(rows[0].id);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never saw ${what}`);
}

describe(`a dropped connection on MariaDB ${server.version}`, () => {
  let db: MysqlTestDatabase;
  beforeEach(async () => {
    db = await createMysqlTestDatabase(server.adminUrl);
    await migrateUp(db.url);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("killing the migrating connection rejects up() with a typed error; the next run applies the migration", async () => {
    const blocker = await openConnection(db.url);
    await blocker.promise().query("LOCK TABLES users WRITE");
    let result: Awaited<ReturnType<typeof application>["exited"]>;
    try {
      const app = application(db.url);
      const id = await waitFor(db, "info LIKE 'ALTER TABLE%nickname%'", "the migration waiting for users");
      await db.admin(`KILL CONNECTION ${id}`);
      result = await app.exited;
    } finally {
      await blocker.promise().end();
    }
    expect(result.code, result.stderr).toBe(0);
    expect(result.caught, JSON.stringify(result.caught)).toMatchObject({ code: "CONNECTION_LOST" });
    const next = createMigrator({ url: db.url });
    try {
      const { defineExtension } = await import("@better-auth/migrate-core");
      const extension = defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } });
      const again = createMigrator({ url: db.url, extensions: [extension] });
      expect((await again.up()).applied.map((m) => m.id)).toEqual(["0100_nickname"]);
      await again.close();
    } finally {
      await next.close();
    }
  });

  it("killing a runner that waits for the lock rejects up() with a typed error", async () => {
    const holder = await holdMigrationLock(db.url);
    try {
      const app = application(db.url);
      await app.waiting;
      // Between attempts the polling connection is idle, so it is found by whose it is, not by its query.
      const [own] = (await holder.promise().query("SELECT CONNECTION_ID() AS id")) as unknown as [{ id: number }[]];
      const ids = (await db.admin(`SELECT id FROM information_schema.processlist WHERE user = 'better_auth_owner' AND id <> ${Number(own[0]!.id)}`)) as { id: number }[];
      expect(ids.length).toBeGreaterThan(0);
      for (const { id } of ids) await db.admin(`KILL CONNECTION ${Number(id)}`);
      const result = await app.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.caught, JSON.stringify(result.caught)).toMatchObject({ code: "CONNECTION_LOST" });
    } finally {
      await holder.promise().end();
    }
  });
});
