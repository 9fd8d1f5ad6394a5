import { join } from "node:path";
import { inject } from "vitest";
import { runIn } from "./run-node.js";

/** tsc of the application (its TypeScript, from the registry) on one of its tsconfig files; prints nothing when it passes. */
export async function typecheck(cwd: string, project: string): Promise<{ code: number | null; output: string }> {
  const run = await runIn(cwd, "node", [join(inject("consumerProject").dir, "node_modules", "typescript", "bin", "tsc"), "-p", project]);
  return { code: run.code, output: run.stdout + run.stderr };
}
