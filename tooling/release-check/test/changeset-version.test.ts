import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ReleaseCopy } from "../src/release-copy.js";
import { bumped, caretAccepts } from "../src/semver.js";
import { publishedPackages, REPO_ROOT, workspacePackages } from "../src/workspace.js";

const CORE = "@better-auth/migrate-core";
const core = publishedPackages().find((p) => p.manifest.name === CORE)!;
/** The published packages that depend on core (the adapters and the CLI). */
const dependents = publishedPackages().filter((p) => p.manifest.dependencies?.[CORE] !== undefined);
/** What the peer catalog gives kysely: the range every package that exposes Kysely types publishes. */
const peerKysely = /^catalogs:\n {2}peer:\n(?: {4}.*\n)*? {4}kysely: (\S+)$/m.exec(readFileSync(join(REPO_ROOT, "pnpm-workspace.yaml"), "utf8"))?.[1];

let copy: ReleaseCopy;
beforeEach(() => {
  copy = new ReleaseCopy();
});
afterEach(() => copy.remove());

describe("changeset version, on a copy of the workspace's manifests and changeset config", () => {
  test("the packages depend on core as the test expects", () => {
    expect(dependents.map((p) => p.manifest.name).sort()).toEqual([
      "@better-auth/migrate-cli",
      "@better-auth/migrate-mysql",
      "@better-auth/migrate-pg",
      "@better-auth/migrate-sqlite",
    ]);
    expect(peerKysely).toMatch(/^\^/);
  });

  test("a minor change to core: core's minor goes up, and every package that depends on it is released with the new range and a changelog", async () => {
    copy.addChangeset("core-feature", { [CORE]: "minor" }, "A new option in core.");
    await copy.version();

    const coreVersion = bumped(core.manifest.version, "minor");
    expect(copy.manifest(core.dir).version).toBe(coreVersion);
    expect(copy.changelog(core.dir)).toContain(`## ${coreVersion}\n\n### Minor Changes\n\n- A new option in core.`);
    // 0.x: ^0.1.0 does not accept 0.2.0, so what the dependents published before would not take the new core.
    expect(caretAccepts(core.manifest.version, coreVersion)).toBe(false);
    const packed = new Map(await Promise.all([core, ...dependents].map(async (p) => [p.manifest.name, await copy.packedManifest(p.dir)] as const)));
    for (const { dir, manifest } of dependents) {
      const version = bumped(manifest.version, "patch");
      expect(copy.manifest(dir).version, manifest.name).toBe(version);
      expect(copy.changelog(dir), manifest.name).toContain(`## ${version}\n\n### Patch Changes\n\n- Updated dependencies\n  - ${CORE}@${coreVersion}`);
      expect(packed.get(manifest.name)?.version).toBe(version);
      expect(packed.get(manifest.name)?.dependencies?.[CORE], manifest.name).toBe(`^${coreVersion}`);
    }
    for (const [name, manifest] of packed) {
      expect(JSON.stringify(manifest), `${name} publishes a workspace: or catalog: range`).not.toMatch(/"(workspace|catalog):/);
      // Every package that exposes Kysely types takes the application's kysely, at the peer catalog's range.
      if (name !== "@better-auth/migrate-cli") expect(manifest.peerDependencies?.kysely, name).toBe(peerKysely);
    }
    expect(existsSync(join(copy.root, ".changeset", "core-feature.md"))).toBe(false);
    // Private packages (tests, tooling) are neither versioned nor given changelogs.
    for (const { dir, manifest } of workspacePackages().filter((p) => p.manifest.private)) {
      expect(copy.manifest(dir).version, manifest.name).toBe(manifest.version);
      expect(copy.changelog(dir), manifest.name).toBeNull();
    }
  });

  test("a patch to core: only core is released; the range its dependents published already accepts it", async () => {
    copy.addChangeset("core-fix", { [CORE]: "patch" }, "A fix in core.");
    await copy.version();

    const coreVersion = bumped(core.manifest.version, "patch");
    expect(copy.manifest(core.dir).version).toBe(coreVersion);
    expect(copy.changelog(core.dir)).toContain("- A fix in core.");
    expect(caretAccepts(core.manifest.version, coreVersion)).toBe(true);
    for (const { dir, manifest } of dependents) {
      expect(copy.manifest(dir).version, manifest.name).toBe(manifest.version);
      expect(copy.changelog(dir), manifest.name).toBeNull();
    }
  });

  test("versions are independent: a change to one adapter releases that adapter alone", async () => {
    copy.addChangeset("pg-fix", { "@better-auth/migrate-pg": "patch" }, "A fix in the PostgreSQL adapter.");
    await copy.version();
    for (const { dir, manifest } of publishedPackages()) {
      const expected = manifest.name === "@better-auth/migrate-pg" ? bumped(manifest.version, "patch") : manifest.version;
      expect(copy.manifest(dir).version, manifest.name).toBe(expected);
    }
  });
});
