import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Manifest, REPO_ROOT, workspacePackages } from "./workspace.js";

const run = promisify(execFile);

/** The changesets CLI this package depends on (the root's version, from the catalog). */
const CHANGESETS_CLI = fileURLToPath(new URL("../node_modules/@changesets/cli", import.meta.url));

export type Bump = "patch" | "minor" | "major";

/**
 * A copy of the workspace as changesets and pnpm see it, in a temporary folder: the root
 * package.json, pnpm-workspace.yaml (with the catalogs), `.changeset/config.json` (not the pending
 * changesets) and every package's package.json. No sources, no install, no network.
 */
export class ReleaseCopy {
  readonly root = realpathSync(mkdtempSync(join(tmpdir(), "ba-release-")));

  constructor() {
    for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) this.copy(file);
    for (const { dir } of workspacePackages()) this.copy(join(dir, "package.json"));
    // The changelog generator named in config.json is resolved from the copy, as from the repository.
    this.link(join(this.root, "node_modules", "@changesets", "cli"), realpathSync(CHANGESETS_CLI));
  }

  private copy(file: string): void {
    mkdirSync(dirname(join(this.root, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(this.root, file));
  }

  private link(path: string, target: string): void {
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    symlinkSync(relative(dirname(path), target), path);
  }

  /** Writes a changeset, as `pnpm changeset` would. */
  addChangeset(id: string, bumps: Record<string, Bump>, summary: string): void {
    const header = Object.entries(bumps).map(([name, bump]) => `"${name}": ${bump}`);
    writeFileSync(join(this.root, ".changeset", `${id}.md`), `---\n${header.join("\n")}\n---\n\n${summary}\n`);
  }

  /** `changeset version`: bumps versions, writes changelogs, consumes the changesets. */
  async version(): Promise<string> {
    const { stdout, stderr } = await run(process.execPath, [join(CHANGESETS_CLI, "bin.js"), "version"], { cwd: this.root, env: { ...process.env, CI: "true" } });
    return stdout + stderr;
  }

  manifest(dir: string): Manifest {
    return JSON.parse(readFileSync(join(this.root, dir, "package.json"), "utf8")) as Manifest;
  }

  /** A package's CHANGELOG.md after `version`, or null when none was written. */
  changelog(dir: string): string | null {
    try {
      return readFileSync(join(this.root, dir, "CHANGELOG.md"), "utf8");
    } catch {
      return null;
    }
  }

  /**
   * The package.json that `pnpm publish` would publish for the package in `dir`: packed with
   * `pnpm pack`, which turns `workspace:^` into a range on the version the dependency has now, and
   * `catalog:` into the catalog's entry. Its workspace dependencies are linked into its
   * node_modules first, as `pnpm install` would, since that is where pnpm reads their versions.
   */
  async packedManifest(dir: string): Promise<Manifest> {
    const folders = new Map(workspacePackages(this.root).map((p) => [p.manifest.name, p.dir]));
    const own = this.manifest(dir);
    for (const deps of [own.dependencies, own.peerDependencies, own.devDependencies]) {
      for (const [name, range] of Object.entries(deps ?? {})) {
        const folder = folders.get(name);
        if (range.startsWith("workspace:") && folder) this.link(join(this.root, dir, "node_modules", name), join(this.root, folder));
      }
    }
    const destination = mkdtempSync(join(this.root, "packed-"));
    await run("pnpm", ["pack", "--pack-destination", destination], { cwd: join(this.root, dir), env: process.env });
    const { stdout } = await run("sh", ["-c", 'tar -xOzf "$1"/*.tgz package/package.json', "sh", destination]);
    return JSON.parse(stdout) as Manifest;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
