import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateSuite } from "../src/migrate-suite.js";

migrateSuite("@better-auth/migrate-sqlite", "SQLite", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ba-consumer-sqlite-"));
  return { url: `sqlite:${join(dir, "auth.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
});
