import { join } from "node:path";
import { describe, expect, inject, test } from "vitest";
import { nodeBinary } from "../src/node-binary.js";
import { runIn } from "../src/run-node.js";

// Node.js 22.12+ and 24 load an ES module with require() when it has no top-level await.
describe.each([24, 22])("require() from CommonJS on Node.js %i", (major) => {
  test("loads every published package", { timeout: 180_000 }, async () => {
    const { dir, packages } = inject("consumerProject");
    const node = await nodeBinary(major);
    const run = await runIn(dir, "node", ["require-all.cjs", JSON.stringify(packages.map((p) => p.name))], { node });
    expect(run.code, run.stderr).toBe(0);
    const { node: version, loaded } = JSON.parse(run.stdout) as { node: string; loaded: Record<string, Record<string, unknown>> };
    expect(version.split(".")[0]).toBe(String(major));
    expect(loaded).toEqual({
      "@better-auth/migrate-core": { createMigrator: "undefined", defineExtension: "function" },
      "@better-auth/migrate-pg": { createMigrator: "function", defineExtension: "undefined" },
      "@better-auth/migrate-mysql": { createMigrator: "function", defineExtension: "undefined" },
      "@better-auth/migrate-sqlite": { createMigrator: "function", defineExtension: "undefined" },
      "@better-auth/migrate-cli": { bin: ["better-auth-migrate"] },
    });
  });

  test("runs the better-auth-migrate bin", async () => {
    const { dir } = inject("consumerProject");
    const run = await runIn(dir, join(dir, "node_modules", ".bin", "better-auth-migrate"), ["--help"], { node: await nodeBinary(major) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("better-auth-migrate");
  });
});
