#!/usr/bin/env node
import module from "node:module";

// Cache compiled code between runs: most of a short command's time is Node loading modules.
module.enableCompileCache?.();

const { run } = await import("./main.js");
process.exitCode = await run(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
