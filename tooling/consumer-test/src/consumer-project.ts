import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/**
 * The Kysely an application brings: a patch other than the one the workspace builds with, so that
 * a package that brings its own copy instead of using the application's shows up as TS2322
 * (`#private`) in the typed consumer.
 */
export const CONSUMER_KYSELY = "0.29.8";

/** A package as published: its name and the tarball `pnpm pack` made of it. */
export interface PackedPackage {
  name: string;
  tarball: string;
}

/** The application the tests work in, made once per run by the global setup. */
export interface ConsumerProject {
  /** The application's folder: outside the workspace, with the tarballs and drivers installed. */
  dir: string;
  /** What the run made, removed at its end: `dir`, the tarballs, the typed-drivers project. */
  root: string;
  packages: PackedPackage[];
  /** A second project (`dir/typed-drivers`) whose only dependencies are the drivers' type packages. */
  typedDriversDir: string;
}

/** The workspace's published packages: those under packages/ that are not private. */
export function publishedPackages(): { name: string; dir: string }[] {
  const packagesDir = join(REPO_ROOT, "packages");
  return readdirSync(packagesDir)
    .map((entry) => join(packagesDir, entry))
    .filter((dir) => {
      try {
        return !(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { private?: boolean }).private;
      } catch {
        return false;
      }
    })
    .map((dir) => ({ name: (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string }).name, dir }));
}

/**
 * The version of a package this workspace installed from the catalog (it is a devDependency of this
 * package), so that the application gets the same one, from the store.
 */
function catalogVersion(name: string): string {
  const manifest = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * How long one pnpm command may sit before it is stopped and run again. Not a measure of speed: a
 * pnpm add was once seen idle for minutes (no socket, no child, waiting on nothing), where it takes
 * under a minute on a busy machine; a second attempt finishes it.
 */
const PNPM_STALL_MS = 300_000;
const PNPM_ATTEMPTS = 2;

async function pnpm(args: string[], cwd: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run("pnpm", args, { cwd, env: process.env, maxBuffer: 64 * 1024 * 1024, timeout: PNPM_STALL_MS, killSignal: "SIGKILL" });
      return;
    } catch (error) {
      const { stdout, stderr, killed } = error as { stdout?: string; stderr?: string; killed?: boolean };
      if (killed && attempt < PNPM_ATTEMPTS) continue;
      throw new Error(`pnpm ${args.join(" ")} ${killed ? `stalled for ${PNPM_STALL_MS / 1000} s` : "failed"} in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
    }
  }
}

/**
 * Packs every published package (`pnpm pack` turns `workspace:` and `catalog:` into the ranges a
 * user gets), then makes an application in a temporary folder outside the workspace and adds the
 * tarballs to it with `pnpm add`, as a user would, with the drivers, Kysely and TypeScript from the
 * registry (the local store serves them when it has them).
 */
export async function createConsumerProject(): Promise<ConsumerProject> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "ba-consumer-")));
  try {
    return await installInto(root);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

async function installInto(root: string): Promise<ConsumerProject> {
  if (!relative(REPO_ROOT, root).startsWith("..")) throw new Error(`The consumer project ${root} must be outside the workspace ${REPO_ROOT}.`);
  const workspaceKysely = catalogVersion("kysely");
  if (workspaceKysely === CONSUMER_KYSELY) {
    throw new Error(`The workspace builds with kysely ${workspaceKysely}, the consumer's too: change CONSUMER_KYSELY to another patch.`);
  }

  const tarballs = join(root, "tarballs");
  mkdirSync(tarballs);
  const packages = publishedPackages();
  await pnpm(["-r", ...packages.flatMap((p) => ["--filter", p.name]), "pack", "--pack-destination", tarballs], REPO_ROOT);
  const packed = packages.map(({ name }) => {
    const file = `${name.replace(/^@/, "").replace("/", "-")}-`;
    const tarball = readdirSync(tarballs).find((f) => f.startsWith(file) && f.endsWith(".tgz"));
    if (!tarball) throw new Error(`pnpm pack made no tarball for ${name} in ${tarballs}`);
    return { name, tarball: join(tarballs, tarball) };
  });

  const dir = join(root, "app");
  cpSync(join(FIXTURES, "app"), dir, { recursive: true });
  // An application's package.json: ESM; better-sqlite3 allowed to run its install script; and since
  // the packages are not in the registry, their dependencies on each other served by the tarballs.
  const overrides = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer-app", private: true, type: "module", pnpm: { onlyBuiltDependencies: ["better-sqlite3"], overrides } }, null, 2),
  );
  await pnpm(
    [
      "add",
      "--ignore-workspace",
      "--prefer-offline",
      ...packed.map((p) => p.tarball),
      `kysely@${CONSUMER_KYSELY}`,
      `pg@${catalogVersion("pg")}`,
      `mysql2@${catalogVersion("mysql2")}`,
      `better-sqlite3@${catalogVersion("better-sqlite3")}`,
      `typescript@${catalogVersion("typescript")}`,
      // A Node.js application in TypeScript has Node's types (mysql2's declarations need them).
      `@types/node@${catalogVersion("@types/node")}`,
    ],
    dir,
  );

  // The drivers' own type packages, in a project of their own inside the application: code there
  // sees them, while the published packages' declarations (resolved from the application's
  // node_modules) do not, so that they must be complete without them.
  const typedDriversDir = join(dir, "typed-drivers");
  writeFileSync(join(typedDriversDir, "package.json"), JSON.stringify({ name: "typed-drivers", private: true, type: "module" }, null, 2));
  await pnpm(
    [
      "add",
      "--ignore-workspace",
      "--prefer-offline",
      `@types/pg@${catalogVersion("@types/pg")}`,
      `@types/better-sqlite3@${catalogVersion("@types/better-sqlite3")}`,
      `@types/node@${catalogVersion("@types/node")}`,
    ],
    typedDriversDir,
  );
  return { dir, root, packages: packed, typedDriversDir };
}
