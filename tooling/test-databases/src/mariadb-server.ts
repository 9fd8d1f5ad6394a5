import type { ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql, { type RowDataPacket } from "mysql2/promise";
import { freePort } from "./postgres-server.js";
import { type OsUser, ProcessReaper, serverUser } from "./process-reaper.js";

/** A throw-away MariaDB server on 127.0.0.1, owned by the test run that started it. */
export interface MariadbServer {
  /** Full version string, from `SELECT VERSION()`, e.g. "10.11.18-MariaDB-0+deb12u1". */
  readonly version: string;
  /** `mysql://root:PASSWORD@127.0.0.1:PORT/`; tests create their databases and users through it. */
  readonly adminUrl: string;
  readonly port: number;
  /** Unix socket; root@localhost logs in over it without a password. */
  readonly socket: string;
  stop(): Promise<void>;
}

export interface StartMariadbOptions {
  /**
   * The server's time zone: an offset such as "+02:00" (default "-07:00") or a named zone such as
   * "America/Los_Angeles". Deliberately not UTC, so that code which relies on it storing UTC fails.
   */
  timeZone?: string;
}

const MARIADBD = "/usr/sbin/mariadbd";
const INSTALL_DB = "/usr/bin/mariadb-install-db";
const TZINFO_TO_SQL = "/usr/bin/mariadb-tzinfo-to-sql";
const ROOT_PASSWORD = "test-root-secret";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

function assertBinariesInstalled(): void {
  for (const bin of [MARIADBD, INSTALL_DB]) {
    if (!existsSync(bin)) throw new Error(`MariaDB binaries not found (${bin}). Install them: apt-get install -y mariadb-server`);
  }
}

/** Offsets ("-07:00") and SYSTEM need no time zone tables; named zones do. */
export function isNamedTimeZone(timeZone: string): boolean {
  return !/^(SYSTEM|[+-]\d{1,2}:\d{2})$/i.test(timeZone);
}

/** SQL that fills mysql.time_zone*, for mariadb-install-db --extra-file; install-db leaves them empty. */
async function timeZoneTablesFile(reaper: ProcessReaper, root: string): Promise<string> {
  const file = join(root, "time-zones.sql");
  const sql = await reaper.run(TZINFO_TO_SQL, ["/usr/share/zoneinfo"]);
  writeFileSync(file, `USE mysql;\n${sql}`);
  return file;
}

async function installDataDir(
  reaper: ProcessReaper,
  root: string,
  datadir: string,
  owner: OsUser | undefined,
  timeZone: string,
): Promise<void> {
  const args = [
    "--no-defaults", // must come first: /etc/mysql's configuration is not ours
    `--datadir=${datadir}`,
    "--auth-root-authentication-method=normal",
    // The test database script is what creates anonymous accounts; the server drops any left anyway.
    "--skip-test-db",
    "--skip-name-resolve",
  ];
  if (owner) args.push(`--user=${owner.name}`);
  if (isNamedTimeZone(timeZone)) args.push(`--extra-file=${await timeZoneTablesFile(reaper, root)}`);
  await reaper.run(INSTALL_DB, args);
}

function spawnServer(
  reaper: ProcessReaper,
  args: string[],
): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = reaper.spawn(MARIADBD, args);
  // It logs to --log-error: whatever reaches stdout is drained, never read.
  child.stdout?.resume();
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => resolve(code));
    // A spawn failure (ENOENT, EACCES) never emits "exit".
    child.on("error", () => resolve(null));
  });
  return { child, exited, stderr: () => stderr };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Polls the socket until root can log in; fails early if the server process has died. */
async function waitUntilReady(socket: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`mariadbd exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const connection = await mysql.createConnection({ socketPath: socket, user: "root", connectTimeout: 2_000 });
      await connection.end();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`mariadbd did not accept connections within ${START_TIMEOUT_MS / 1000} s: ${String(lastError)}`);
}

/**
 * install-db (auth method "normal") leaves root@localhost, root@127.0.0.1, root@::1 and
 * root@<hostname> without a password. root@localhost stays as it is: it is reachable only over the
 * socket, in a folder (mode 0700) only the server's OS user and root can enter. The TCP login gets a
 * password, and the other password-less accounts go, with any anonymous ones (they would shadow
 * 'u'@'%' for logins from 127.0.0.1).
 */
async function secureAccounts(socket: string): Promise<string> {
  const connection = await mysql.createConnection({ socketPath: socket, user: "root" });
  try {
    const [accounts] = await connection.query<RowDataPacket[]>(
      "SELECT User, Host FROM mysql.user WHERE User = '' OR (User = 'root' AND Host <> 'localhost')",
    );
    for (const { User, Host } of accounts) {
      await connection.query("DROP USER ?@?", [User, Host]);
    }
    await connection.query("CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY ?", [ROOT_PASSWORD]);
    await connection.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
    await connection.query("FLUSH PRIVILEGES");
    const [[row]] = await connection.query<RowDataPacket[]>("SELECT VERSION() AS version");
    return String(row?.version);
  } finally {
    await connection.end();
  }
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8") : "(no error log)";
}

/** SIGTERM makes mariadbd shut down cleanly; one that hangs is killed. */
async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (hasExited(child)) return;
  child.kill("SIGTERM");
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, true).unref()),
  ]);
  if (timedOut) {
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Starts a new MariaDB server with its data, socket and logs in a temporary folder, listening on
 * 127.0.0.1 only. stop() shuts it down and removes the folder; should this process end without
 * stop(), the server is killed and the folder removed all the same.
 */
export async function startMariadb(options: StartMariadbOptions = {}): Promise<MariadbServer> {
  assertBinariesInstalled();
  const owner = serverUser("mysql", "apt-get install -y mariadb-server");
  const timeZone = options.timeZone ?? "-07:00";
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), "ba-mariadb-"));
  // Kills the server and removes its folder however this process ends (see ProcessReaper).
  const reaper = new ProcessReaper(root);
  if (owner) chownSync(root, owner.uid, owner.gid);
  chmodSync(root, 0o700);
  const datadir = join(root, "data");
  const socket = join(root, "mariadbd.sock");
  const errorLog = join(root, "error.log");
  let server: ReturnType<typeof spawnServer> | undefined;
  let version: string;
  try {
    await installDataDir(reaper, root, datadir, owner, timeZone);
    server = spawnServer(reaper, [
      "--no-defaults",
      ...(owner ? [`--user=${owner.name}`] : []),
      `--datadir=${datadir}`,
      // Its own folder for temporary tables: servers of concurrent runs must not share /tmp files.
      `--tmpdir=${root}`,
      `--socket=${socket}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--pid-file=${join(root, "mariadbd.pid")}`,
      `--log-error=${errorLog}`,
      "--skip-name-resolve",
      // A test server: durability is not what is being tested, speed is welcome.
      "--innodb-buffer-pool-size=128M",
      "--innodb-flush-log-at-trx-commit=0",
      "--skip-log-bin",
      "--max-connections=300",
      `--default-time-zone=${timeZone}`,
    ]);
    await waitUntilReady(socket, server.child);
    version = await secureAccounts(socket);
  } catch (error) {
    const log = readLog(errorLog) + (server?.stderr() ?? "");
    if (server) await stopProcess(server.child, server.exited);
    await reaper.dismiss();
    throw new Error(`MariaDB did not start: ${(error as Error).message}\n${log}`);
  }

  const running = server;
  let stopping: Promise<void> | undefined;
  return {
    version,
    adminUrl: `mysql://root:${ROOT_PASSWORD}@127.0.0.1:${port}/`,
    port,
    socket,
    stop() {
      stopping ??= (async () => {
        try {
          await stopProcess(running.child, running.exited);
        } finally {
          await reaper.dismiss();
        }
      })();
      return stopping;
    },
  };
}
