import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./consumer-project.js";

const run = promisify(execFile);

/**
 * A Node.js of the given major line: this process's own when it is that line, else the newest of
 * the line from the npm registry (package node-<platform>-<arch>), installed once into
 * .toolchain/node<major>/ of this checkout, as tooling/env.sh does for Node 24. Throws, naming what
 * it tried, when it cannot be had: the test it serves is never skipped.
 */
export async function nodeBinary(major: number): Promise<string> {
  if (Number(process.versions.node.split(".")[0]) === major) return process.execPath;
  const prefix = join(REPO_ROOT, ".toolchain", `node${major}`);
  const name = `node-${process.platform}-${process.arch}`;
  const bin = join(prefix, "node_modules", name, "bin", "node");
  if (!existsSync(bin)) {
    try {
      await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", prefix, `${name}@${major}`], { env: process.env });
    } catch (error) {
      throw new Error(
        `Node.js ${major} is needed for this test and could not be installed: npm install --prefix ${prefix} ${name}@${major} failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`,
      );
    }
    if (!existsSync(bin)) throw new Error(`npm install --prefix ${prefix} ${name}@${major} left no ${bin}.`);
  }
  return bin;
}
