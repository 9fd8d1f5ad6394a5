import type { ChildProcess } from "node:child_process";

/** Resolves with a child's stdout and stderr once it exits with 0; rejects with both otherwise. */
export function outputOf(child: ChildProcess, description: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${description} exited with ${code}:\n${output}`));
    });
  });
}

