import { spawn } from "node:child_process";

/** How a script run in its own process ended, and what it wrote. */
export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an ES module, given as text, in a separate Node process with only PATH and `env` in its
 * environment, as a replica, a deploy step or an application would run the built packages. `cwd`
 * decides where its imports resolve; `onStderr` hears its error output so far, each time more comes.
 */
export function runScript(script: string, options: { cwd: string; env?: Record<string, string>; onStderr?: (soFar: string) => void }): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH ?? "", ...options.env },
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** What the application of {@link catchingApplication} caught from `up`, or null when `up` succeeded. */
export interface Caught {
  name: string;
  code: string | null;
  message: string;
}

/**
 * An application that runs `up` of the adapter built at `built` (with an extension adding a column to
 * users) inside try/catch and reports what it caught: `exited` resolves with its exit code (0 when it
 * caught the error and lived on, 1 when `up` succeeded, anything else when it crashed), and `waiting`
 * the moment it starts waiting for another run's lock.
 */
export function catchingApplication(built: string, url: string, cwd: string): { exited: Promise<{ code: number | null; caught: Caught | null; stderr: string }>; waiting: Promise<void> } {
  const script = `
    import { createMigrator } from ${JSON.stringify(built)};
    import { defineExtension } from "@better-auth/migrate-core";
    const extension = defineExtension({ id: "0100_nickname", name: "nickname", columns: { users: { nickname: { type: "string", nullable: true } } } });
    const migrator = createMigrator({ url: process.env.URL, extensions: [extension], lockTimeoutMs: 30000 });
    try {
      await migrator.up({ onProgress: (event) => { if (event.type === "waiting") process.stderr.write("WAITING\\n"); } });
      process.stdout.write(JSON.stringify({ caught: null }));
      process.exitCode = 1;
    } catch (error) {
      process.stdout.write(JSON.stringify({ caught: { name: error.name, code: error.code ?? null, message: error.message } }));
    } finally {
      await migrator.close().catch(() => undefined);
    }
    // Still alive after the error: a timer that fires proves the process was not torn down.
    await new Promise((resolve) => setTimeout(resolve, 200));`;
  let markWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (markWaiting = resolve));
  const exited = runScript(script, { cwd, env: { URL: url }, onStderr: (soFar) => soFar.includes("WAITING") && markWaiting() }).then((run) => ({
    code: run.code,
    caught: run.stdout ? (JSON.parse(run.stdout) as { caught: Caught | null }).caught : null,
    stderr: run.stderr,
  }));
  return { exited, waiting };
}
