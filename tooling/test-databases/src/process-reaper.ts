import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { userInfo } from "node:os";
import { outputOf } from "./child-output.js";

/** An OS account that server processes run as when this process is root. */
export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * PostgreSQL, PgBouncer and MariaDB refuse to run as root, so as root their processes run as the
 * OS user their Debian package creates (`postgres`, `mysql`); as anyone else, as that user.
 */
export function serverUser(name: "postgres" | "mysql", installHint: string): OsUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`Running as root, but there is no OS user '${name}' to run the server as: ${installHint}`);
  const [, , uid, gid] = line.split(":");
  return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * Run by a detached shell: it keeps the last line read (the process groups of the servers) and, when
 * the pipe from this process reaches end-of-file, kills those groups and removes the folder. rm is
 * retried: a process killed a moment ago may still finish one write.
 */
const REAPER_SCRIPT = `
pids=""
while read -r line; do pids="$line"; done
for pid in $pids; do kill -KILL "-$pid" 2>/dev/null; done
for attempt in 1 2 3 4 5 6 7 8 9 10; do rm -rf -- "$1" 2>/dev/null && break; sleep 0.2; done
`;

export interface SpawnOptions {
  /** Runs the process as this user (spawn's uid/gid); omitted, as the current one. */
  user?: OsUser | undefined;
  env?: NodeJS.ProcessEnv;
}

/**
 * Makes sure the servers of one test topology and their folder go with this process, however it
 * ends: crash, process.exit, or SIGKILL (which vitest sends to workers), where no "exit" handler
 * would run. The kernel closes the reaper's pipe when this process dies. Every process is started in
 * its own process group, so that killing the group also kills what it started (backends, SST scripts,
 * rsync daemons).
 *
 * Used by every server the tests start here (MariaDB, Galera nodes, PgBouncer, standbys); processes may
 * run as another OS user.
 */
export class ProcessReaper {
  private readonly children = new Set<ChildProcess>();
  private readonly watchdog: ChildProcess;

  constructor(private readonly root: string) {
    this.watchdog = spawn("/bin/sh", ["-c", REAPER_SCRIPT, "test-database-reaper", root], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    // The reaper must not keep this process alive, nor crash it if it is gone.
    this.watchdog.unref();
    const pipe = this.watchdog.stdin;
    if (pipe instanceof Socket) pipe.unref();
    pipe?.on("error", () => {});
  }

  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, LC_ALL: "C", LANG: "C", ...options.env },
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    this.children.add(child);
    child.once("exit", () => {
      this.children.delete(child);
      this.report();
    });
    // A spawn failure (ENOENT, EACCES) emits "error" and no "exit".
    child.once("error", () => {
      this.children.delete(child);
      this.report();
    });
    this.report();
    return child;
  }

  /** Runs a command to completion; resolves with its output, rejects with it on a non-zero exit. */
  run(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
    return outputOf(this.spawn(command, args, options), `${command} ${args.join(" ")}`);
  }

  /** Only live processes: a group id may be reused once its processes are gone. */
  private report(): void {
    const pids = [...this.children].map((c) => c.pid).filter((pid) => pid !== undefined);
    this.watchdog.stdin?.write(`${pids.join(" ")}\n`);
  }

  /** Kills every process group still running, removes the folder and dismisses the watchdog. */
  async dismiss(): Promise<void> {
    const waits = [...this.children].map((child) => {
      const gone = exitOf(child);
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      return gone;
    });
    await Promise.all(waits);
    rmSync(this.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    this.watchdog.kill("SIGKILL");
  }
}

/** Sends a signal to a process group; a group already gone is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once the child has exited (at once if it already has, or never started). */
export function exitOf(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
}

/**
 * Sends `signal` (the server's own clean or fast shutdown) to the process and waits; one that does not
 * end within `timeoutMs` is killed with its whole process group.
 */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const gone = exitOf(child);
  child.kill(signal);
  const timedOut = await Promise.race([
    gone.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, true).unref()),
  ]);
  if (timedOut) {
    killGroup(child.pid, "SIGKILL");
    await gone;
  }
}

/** The last `limit` characters a child wrote to stdout and stderr, for error messages. */
export function tailOutput(child: ChildProcess, limit = 16_000): () => string {
  let text = "";
  const keep = (d: Buffer) => {
    text = (text + d.toString()).slice(-limit);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => text;
}

export function readLog(file: string, limit = 16_000): string {
  return existsSync(file) ? readFileSync(file, "utf8").slice(-limit) : `(no log at ${file})`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
