/**
 * Issue 20, items 12 and 14: what only a process of its own shows: a full standard output, a module
 * that never finishes loading or leaves a timer, a deleted current directory, the compile cache.
 */
import { spawn } from "node:child_process";
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, type CliResult, runCli } from "./run-cli.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/extensions/", import.meta.url));

describe("better-auth-migrate as a process", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), "ba-cli-process-"));
  });
  afterEach(() => {
    chmodSync(cwd, 0o700);
    rmSync(cwd, { recursive: true, force: true });
  });

  it("standard output on a full device: one line, exit 1, no 'Unhandled error event' and no stack", async () => {
    const full = openSync("/dev/full", "w");
    try {
      const result = await runCli(["sql", "--dialect", "sqlite"], { cwd, stdoutFd: full });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("Database: (no database; sqlite SQL)\nerror: Cannot write to standard output (no space left on the device); the output is incomplete.\n");
    } finally {
      closeSync(full);
    }
  });

  it("an --extensions module whose top-level await never settles: exit 2 with one line, not 13 and a Node warning", async () => {
    const result = await runCli(["sql", "--dialect", "sqlite", "--extensions", "./never-settles.mjs"], { cwd: FIXTURES });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --extensions ./never-settles.mjs: its top-level await never settles: it waits for something nothing will do.\nhint: Remove the await at the top of the module (or make sure what it awaits finishes).\n",
    } satisfies CliResult);
  });

  it("an --extensions module that leaves a timer running: the command finishes and the process exits", async () => {
    // Without the exit, this run never ends and runCli gives up (and fails) after its timeout.
    const result = await runCli(["sql", "--dialect", "sqlite", "--extensions", "./leaves-timer.mjs"], { cwd: FIXTURES });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('CREATE TABLE "audit_log"');
  });

  it("a deleted current directory: one line and a hint, exit 2", async () => {
    const gone = join(cwd, "gone");
    mkdirSync(gone);
    // The shell enters the folder, deletes it, and becomes the CLI there.
    const result = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn("sh", ["-c", 'cd "$1" && rmdir "$1" && exec "$2" "$3" status --url ./auth.db', "sh", gone, process.execPath, CLI], { env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: The current directory no longer exists (it was deleted or moved away).\nhint: cd to an existing directory (a relative path would resolve nowhere) and run the command again.\n",
    } satisfies CliResult);
  });

  it("the compile cache: not in a node-compile-cache folder another user made (0777), as root; in one of its own", async () => {
    const cache = join(cwd, "node-compile-cache");
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    // As root, the folder belongs to nobody (uid 65534), as another local user would leave it; as any
    // other user (who cannot give a folder away), it is the user's own but writable by all: refused alike.
    if (process.getuid?.() === 0) chownSync(cache, 65534, 65534);
    const foreign = await runCli(["--version"], { cwd, env: { TMPDIR: cwd } });
    expect(foreign.code, foreign.stderr).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
    // The same run with no such folder creates its own and caches there: the check above can fail.
    rmSync(cache, { recursive: true });
    const own = await runCli(["--version"], { cwd, env: { TMPDIR: cwd } });
    expect(own.code, own.stderr).toBe(0);
    expect(readdirSync(cache).length).toBeGreaterThan(0);
  });
});
