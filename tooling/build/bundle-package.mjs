#!/usr/bin/env node
// Bundles the package in the current directory (run by its `build` script after `tsc`, which writes
// only declarations). Loading one file instead of dozens is most of what a short command costs: Node's
// ESM loader resolves, reads and links every module on its own (bench/README.md).
//
//   dist/index.js       the package's own code in one file; every dependency stays an import, so an
//                       application shares one Kysely and one core with it.
//   dist/standalone.js  (adapters) the adapter with core and Kysely inlined, drivers external: for a
//                       process that uses nothing else of them, the CLI.
//   dist/cli.js         (CLI) a few lines that enable Node's compile cache, then import
//   dist/command.js     the command in one file, compiled from that cache (the adapters stay
//                       imports, loaded when a URL names their dialect), or for `--help` alone
//   dist/help.js        the help text.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const common = { bundle: true, platform: "node", format: "esm", target: "node22", logLevel: "warning", legalComments: "none" };
/** The database drivers: loaded from the application's node_modules, never inlined (native code, their own versions). */
const DRIVERS = ["pg", "pg-native", "mysql2", "better-sqlite3"];

if (pkg.bin) {
  // Two files, not chunks: every extra module costs the loader about a millisecond, and the entry
  // cannot come from the compile cache it enables.
  await build({ ...common, entryPoints: ["src/cli.ts"], outfile: "dist/cli.js", external: ["./command.js", "./help.js"] });
  await build({ ...common, entryPoints: ["src/command.ts"], outfile: "dist/command.js", packages: "external" });
  await build({ ...common, entryPoints: ["src/help.ts"], outfile: "dist/help.js", packages: "external" });
} else {
  await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js", packages: "external" });
  if (pkg.exports?.["./standalone"]) {
    await build({ ...common, entryPoints: ["src/standalone.ts"], outfile: "dist/standalone.js", external: DRIVERS });
  }
}
