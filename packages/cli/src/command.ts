/**
 * What `better-auth-migrate` runs once cli.ts has enabled the compile cache and checked the Node.js
 * version: driver warnings as one line each, then the command, then the exit.
 */
import module from "node:module";
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

/** The first failure of each output stream (a full disk, a closed pipe): reported once, at the end. */
const failed = new Map<NodeJS.WriteStream, NodeJS.ErrnoException>();
for (const stream of [process.stdout, process.stderr]) {
  // Without a listener, a write error is an "Unhandled 'error' event" and a stack trace.
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (!failed.has(stream)) failed.set(stream, error);
  });
}

/** Anything thrown outside the command (a timer of an --extensions module): one line, not a stack. */
function crash(error: unknown): never {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = "an error that cannot be shown";
  }
  process.stderr.write(`error: ${forPeople(message.split("\n")[0]!)}\n`);
  process.exit(1);
}
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

let code: number = await run(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** Resolves once what was written before has reached the stream, or the stream has failed. */
const drained = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (failed.has(stream) ? resolve() : stream.write("", () => resolve())));
await Promise.all([drained(process.stdout), drained(process.stderr)]);

const stdoutError = failed.get(process.stdout);
// A reader that stopped reading (`| head`) closed the pipe on purpose: nothing to report. Any other
// failure means the output is lost: say so in one line, and do not exit 0.
if (stdoutError && stdoutError.code !== "EPIPE") {
  const reason = stdoutError.code === "ENOSPC" ? "no space left on the device" : (stdoutError.code ?? stdoutError.message);
  process.stderr.write(`error: Cannot write to standard output (${reason}); the output is incomplete.\n`);
  await drained(process.stderr);
  if (code === 0) code = 1;
}
if (failed.has(process.stderr) && code === 0) code = 1;

// Exit now: a module given with --extensions may hold a timer or a socket that would keep Node
// running for ever.
module.flushCompileCache?.();
process.exit(code);
