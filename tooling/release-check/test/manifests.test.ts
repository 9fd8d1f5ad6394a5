import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { publishedPackages, REPO_ROOT } from "../src/workspace.js";

const published = publishedPackages();
const repositoryUrls = new Set(published.map((p) => p.manifest.repository?.url));

/** What a user installing from npm, and the registry's page, need from every published package. */
describe.each(published.map((p) => [p.manifest.name, p] as const))("%s's package.json", (_name, { dir, manifest }) => {
  test("ESM with an exports map: types before default, built files only", () => {
    expect(manifest.type).toBe("module");
    expect(manifest.exports?.["./package.json"]).toBe("./package.json");
    const entry = manifest.exports?.["."];
    if (entry === undefined) {
      // A command: its bin is what it offers.
      expect(Object.values(manifest.bin ?? {})).toEqual([expect.stringMatching(/^\.\/dist\/.+\.js$/)]);
    } else {
      expect(typeof entry).toBe("object");
      const conditions = Object.keys(entry as Record<string, string>);
      // dev-source (our tests' sources) first, then types before default, as TypeScript reads them in order.
      expect(conditions).toEqual(["dev-source", "types", "default"]);
      expect((entry as Record<string, string>).types).toMatch(/^\.\/dist\/.+\.d\.ts$/);
      expect((entry as Record<string, string>).default).toMatch(/^\.\/dist\/.+\.js$/);
    }
    expect(manifest.files).toEqual(["dist"]);
    expect(manifest.sideEffects).toBe(false);
  });

  test("engines, license, repository with its directory, a README", () => {
    expect(manifest.engines).toEqual({ node: ">=22" });
    expect(manifest.license).toBe("MIT");
    expect(manifest.repository).toEqual({ type: "git", url: expect.stringMatching(/^git\+https:\/\/.+\.git$/), directory: dir });
    expect(repositoryUrls.size).toBe(1);
    expect(existsSync(join(REPO_ROOT, dir, "README.md"))).toBe(true);
  });

  test("kysely: the application's (a peer, from the peer catalog) wherever Kysely types are exposed; a devDependency for our tests", () => {
    if (manifest.name === "@better-auth/migrate-cli") {
      // The command exposes no types: it brings its own kysely for the adapter it bundles (SQLite).
      expect(manifest.dependencies?.kysely).toBe("catalog:");
      return;
    }
    expect(manifest.peerDependencies?.kysely).toBe("catalog:peer");
    expect(manifest.dependencies?.kysely).toBeUndefined();
    expect(manifest.devDependencies?.kysely).toBe("catalog:");
  });

  test("lint runs publint and attw (ESM-only profile)", () => {
    expect(manifest.scripts?.lint).toBe("publint && attw --pack . --profile esm-only");
  });
});
