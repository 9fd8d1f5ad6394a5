import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  sideEffects?: boolean;
  engines?: { node?: string };
  repository?: { type?: string; url?: string; directory?: string };
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A workspace package: its folder relative to the root (`packages/pg`) and its manifest. */
export interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

/** Every package the workspace lists (packages/* and tooling/*), read from `root`. */
export function workspacePackages(root = REPO_ROOT): WorkspacePackage[] {
  return ["packages", "tooling"].flatMap((group) =>
    readdirSync(join(root, group))
      .map((entry) => `${group}/${entry}`)
      .filter((dir) => existsSync(join(root, dir, "package.json")))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as Manifest })),
  );
}

/** The packages that are published: those that are not private. */
export function publishedPackages(root = REPO_ROOT): WorkspacePackage[] {
  return workspacePackages(root).filter((p) => !p.manifest.private);
}
