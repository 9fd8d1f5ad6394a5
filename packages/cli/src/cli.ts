#!/usr/bin/env node
import module from "node:module";
import { ownCompileCacheDir } from "./compile-cache.js";

// Cache compiled code between runs: most of a short command's time is Node loading modules. Only in
// a folder of the running user's own (see ownCompileCacheDir); without one, no cache.
const cacheDir = ownCompileCacheDir();
if (cacheDir !== undefined) module.enableCompileCache?.(cacheDir);

// Older Node.js lines are out of support, and better-sqlite3 crashes on Node 20: say so instead.
const nodeMajor = Number(process.versions.node.split(".")[0]);
if (nodeMajor < 22) {
  process.stderr.write(`error: better-auth-migrate needs Node.js 22 or newer; this is ${process.version}.\nhint: Install Node.js 22 or 24.\n`);
  process.exit(2);
}

// `--help` alone is the one call people time by hand: it loads only the help text. Anything else
// goes to the command, a second file, so that Node compiles it from the cache enabled above (the
// file that enables the cache cannot be served from it).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
  const { generalHelp } = await import("./help.js");
  process.stdout.write(generalHelp());
} else {
  await import("./command.js");
}
