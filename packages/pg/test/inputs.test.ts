import { tableSpec } from "@better-auth/adapter-suite";
import { defineExtension, defineTable, value } from "@better-auth/migrate-core";
import { closeAdminPools, createTestDatabase, type TestDatabase } from "@better-auth/test-databases";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMigrator } from "../src/index.js";
import { migrateUp, query } from "./helpers.js";

/**
 * The inputs only PostgreSQL has a setting for; the rest, the same on every dialect, is the shared
 * inputsSuite (tooling/adapter-suite, run once per server from adapter-suite.test.ts).
 */

afterAll(closeAdminPools);

for (const server of inject("postgresServers")) {
  describe(`PostgreSQL ${server.version}: inputs under PostgreSQL's own settings`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(server.adminUrl);
      await migrateUp(db.url);
    });
    afterAll(() => db?.drop());

    it("writes literals that mean the same when standard_conforming_strings is off (a backslash cannot end a comment's literal)", async () => {
      const comment = "x\\'; DROP TABLE users CASCADE; --";
      const commented = defineExtension({
        id: "0100_scs_comment",
        name: "scs \\'; DROP TABLE users; --",
        tables: [defineTable(tableSpec("scs_note", comment, "body", { type: "text", nullable: true }))],
      });
      const defaulted = defineExtension({
        id: "0101_scs_default",
        name: "scs default",
        tables: [defineTable(tableSpec("scs_default", "", "body", { type: "text", default: value("a\\'b") }))],
      });
      const url = new URL(db.url);
      url.searchParams.set("options", "-c standard_conforming_strings=off");
      await migrateUp(url.toString(), { extensions: [commented] });
      const tables = await query<{ name: string }>(db.url, "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["users", "scs_note"]));
      const [row] = await query<{ comment: string | null }>(db.url, "SELECT obj_description('public.scs_note'::regclass, 'pg_class') AS comment");
      expect(row!.comment).toBe(comment);
      await migrateUp(url.toString(), { extensions: [commented, defaulted] });
      await query(db.url, "INSERT INTO scs_default (id) VALUES ('1')");
      expect(await query(db.url, "SELECT body FROM scs_default")).toEqual([{ body: "a\\'b" }]);
      const migrator = createMigrator({ url: db.url, extensions: [commented, defaulted] });
      try {
        // The renderer's E'' spelling and the catalog's plain one are the same default for check.
        expect((await migrator.check()).findings).toEqual([]);
        await migrator.down({ steps: 2, allowDataLoss: true });
      } finally {
        await migrator.close();
      }
    });
  });
}
