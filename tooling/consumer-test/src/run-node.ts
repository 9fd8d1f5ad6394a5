import { spawn } from "node:child_process";
import { dirname } from "node:path";

/** How a process ended and what it wrote. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` in the application's folder as a deploy step would: only PATH (with `node` first
 * on it, the Node.js under test) and `env` in its environment.
 */
export function runIn(cwd: string, command: string, args: string[], options: { node?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  const node = options.node ?? process.execPath;
  return new Promise((resolve, reject) => {
    const child = spawn(command === "node" ? node : command, args, {
      cwd,
      env: { PATH: `${dirname(node)}:${process.env.PATH ?? ""}`, HOME: process.env.HOME ?? "/tmp", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
