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

// Warnings from drivers (pg's about sslmode, say) as one line each, like errors, instead of Node's
// block of text: the first line, control characters escaped, credentials masked; each once.
const { forPeople } = await import("./output.js");
const warned = new Set<string>();
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  const line = forPeople(String(warning.message).split("\n")[0]!.trim());
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`warning: ${line}\n`);
});

const { run } = await import("./main.js");
process.exitCode = await run(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
