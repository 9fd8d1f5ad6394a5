/** Issue 20, item 9: `sql --out DIR` writes exactly the export, through no link, over nothing it did not write. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runInProcess } from "../test/run-cli.js";

describe("sql --out DIR", () => {
  let root: string;
  let out: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "ba-cli-out-"));
    out = join(root, "exported");
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const exportTo = (dir: string, ...flags: string[]) => runInProcess(["sql", "--dialect", "sqlite", "--out", dir, ...flags]);
  const listing = (dir: string) => readdirSync(dir).sort();

  it("a re-export with fewer or other plugins leaves exactly its own files: a database built from up/ is up to date", async () => {
    expect((await exportTo(out, "--better-auth", "organization,two-factor,passkey")).code).toBe(0);
    expect(listing(join(out, "up"))).toHaveLength(6);
    const again = await exportTo(out, "--better-auth", "api-key");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^Wrote 8 files to .*exported \(removed 9 files of an earlier export that this one does not have\): /m);
    const up = listing(join(out, "up"));
    expect(up).toEqual(["001_0001_core_tables.sql", "002_0002_organization_tables.sql", "003_better_auth_0001_core.sql", "004_better_auth_0006_api_key.sql"]);
    // No number twice, and a database built from the folder is what the same flags call up to date.
    const file = join(root, "built.db");
    const db = new Database(file);
    for (const name of up) db.exec(readFileSync(join(out, "up", name), "utf8"));
    db.close();
    const status = await runInProcess(["status", "--check", "--url", file, "--better-auth", "api-key"]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    const json = JSON.parse((await exportTo(out, "--json")).stdout);
    expect(json.removed).toContain("up/004_better_auth_0006_api_key.sql");
    expect(listing(join(out, "up")).map((name) => `up/${name}`)).toEqual(json.files.filter((name: string) => name.startsWith("up/")));
  });

  it("never writes through a symbolic link: a planted link, up/ as a link, DIR as a link are refused and their targets untouched", async () => {
    const victim = join(root, "victim.txt");
    writeFileSync(victim, "precious");
    const elsewhere = join(root, "elsewhere");
    mkdirSync(elsewhere);
    const cases: [string, () => string, RegExp][] = [
      ["a link named like an export file", () => (mkdirSync(join(out, "up"), { recursive: true }), symlinkSync(victim, join(out, "up", "001_0001_core_tables.sql")), out), /\nerror: --out .*: up\/001_0001_core_tables\.sql is a symbolic link that sql --out did not write\.\nhint: /],
      ["up/ a link to another folder", () => (mkdirSync(out), symlinkSync(elsewhere, join(out, "up")), out), /\nerror: --out .*: up is a symbolic link, not a folder\.\nhint: /],
      ["DIR a link", () => (symlinkSync(elsewhere, out), out), /\nerror: --out .*exported: is a symbolic link, not a folder\.\nhint: Name the folder itself/],
    ];
    for (const [name, plant, expected] of cases) {
      rmSync(out, { recursive: true, force: true });
      const result = await exportTo(plant());
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toMatch(expected);
      expect(readFileSync(victim, "utf8"), name).toBe("precious");
      expect(readdirSync(elsewhere), name).toEqual([]);
    }
  });

  it("refuses a folder holding files it did not write, a file as DIR (exit 2), and writes nothing then", async () => {
    mkdirSync(join(out, "up"), { recursive: true });
    writeFileSync(join(out, "up", "notes.txt"), "mine");
    const foreign = await exportTo(out);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/\nerror: --out .*: up\/notes\.txt is a file that sql --out did not write\.\nhint: sql --out writes into DIR\/up and DIR\/down/);
    expect(listing(join(out, "up"))).toEqual(["notes.txt"]);
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    const notFolder = await exportTo(file);
    expect(notFolder.code).toBe(2);
    expect(notFolder.stderr).toMatch(/\nerror: --out .*a-file: is a file, not a folder\.\nhint: /);
    expect(readFileSync(file, "utf8")).toBe("x");
    // Files at DIR's top level are not the export's business: left alone.
    rmSync(out, { recursive: true });
    mkdirSync(out);
    writeFileSync(join(out, "README.md"), "mine");
    expect((await exportTo(out)).code).toBe(0);
    expect(listing(out)).toEqual(["README.md", "down", "up"]);
  });
});
