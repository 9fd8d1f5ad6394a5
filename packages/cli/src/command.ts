/**
 * What `better-auth-migrate` runs once cli.ts has enabled the compile cache and checked the Node.js
 * version: driver warnings as one line each, then the command.
 */
import { run } from "./main.js";
import { forPeople } from "./output.js";

// Warnings from drivers (pg's about sslmode, say) as one line each, like errors, instead of Node's
// block of text: the first line, control characters escaped, credentials masked; each once.
const warned = new Set<string>();
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  const line = forPeople(String(warning.message).split("\n")[0]!.trim());
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`warning: ${line}\n`);
});

process.exitCode = await run(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
