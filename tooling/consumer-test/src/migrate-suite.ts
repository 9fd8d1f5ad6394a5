import { coreMigrations } from "@better-auth/migrate-core";
import { describe, expect, inject, test } from "vitest";
import { runIn } from "./run-node.js";

/** A database to migrate, new for each test. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The three ways an application hands an adapter its database (`pool` is `database` on SQLite). */
const CONNECTIONS = ["url", "pool", "db"] as const;

/**
 * The adapter, installed from its tarball, applies the schema with an extension in the
 * application's `migrate.mjs`, through a URL, the application's own driver object and the
 * application's own Kysely (another patch than ours); the application then reads and writes the
 * tables through its Kysely, and a second `up` finds nothing to do.
 */
export function migrateSuite(adapter: string, database: string, createDatabase: () => Promise<ScratchDatabase>): void {
  describe(`${adapter} on ${database}, installed from its tarball`, () => {
    for (const connection of CONNECTIONS) {
      test(`up() with { ${connection} }`, async () => {
        const { dir } = inject("consumerProject");
        const scratch = await createDatabase();
        try {
          const run = await runIn(dir, "node", ["migrate.mjs", adapter, connection], { env: { DATABASE_URL: scratch.url } });
          expect(run.code, run.stderr).toBe(0);
          expect(JSON.parse(run.stdout)).toEqual({
            applied: [...coreMigrations.map((m) => m.id), "0100_nickname"],
            states: ["applied"],
            appliedAgain: 0,
            user: { email: "ada@example.com", nickname: "ada" },
          });
        } finally {
          await scratch.drop();
        }
      });
    }
  });
}
