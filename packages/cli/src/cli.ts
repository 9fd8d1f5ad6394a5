#!/usr/bin/env node
import module from "node:module";

// Cache compiled code between runs: most of a short command's time is Node loading modules.
module.enableCompileCache?.();

// Older Node.js lines are out of support, and better-sqlite3 crashes on Node 20: say so instead.
const nodeMajor = Number(process.versions.node.split(".")[0]);
if (nodeMajor < 22) {
  process.stderr.write(`error: better-auth-migrate needs Node.js 22 or newer; this is ${process.version}.\nhint: Install Node.js 22 or 24.\n`);
  process.exit(2);
}

// The command itself is a second file, so that Node compiles it from the cache enabled above (the
// file that enables the cache cannot be served from it).
await import("./command.js");
