import { chmodSync, chownSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type PostgresServer, freePort } from "./postgres-server.js";
import { ProcessReaper, hasExited, readLog, serverUser, sleep, stopChild, tailOutput } from "./process-reaper.js";
import { OWNER_PASSWORD, OWNER_ROLE } from "./test-database.js";
import { withUrl } from "./urls.js";

const PGBOUNCER = "/usr/sbin/pgbouncer";
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * transaction: a server connection is lent for one transaction (what managed "pooled" endpoints do);
 * session state (SET, advisory locks, temporary tables) may land on a connection another client
 * gets next. session: a server connection per client connection, for as long as it lasts.
 */
export type PoolMode = "transaction" | "session";

export interface StartPgBouncerOptions {
  /** The PostgreSQL server to pool connections to (from startPostgres). */
  server: PostgresServer;
  poolMode: PoolMode;
  /** Server connections per database and user (`default_pool_size`); default 5. */
  poolSize?: number;
}

/** A throw-away PgBouncer on 127.0.0.1 in front of one test PostgreSQL server. */
export interface PgBouncer {
  readonly port: number;
  readonly poolMode: PoolMode;
  /** `postgres://USER:PASSWORD@127.0.0.1:PORT/DATABASE`; by default as the test databases' owner role. */
  url(database: string, user?: string, password?: string): string;
  /** The same login and database as `directUrl` (e.g. a TestDatabase's url), through the pooler. */
  urlFor(directUrl: string): string;
  /**
   * Runs one command on PgBouncer's admin console (`SHOW POOLS`, `SHOW SERVERS`, `RELOAD`) and
   * returns its rows.
   */
  admin(command: string): Promise<Record<string, unknown>[]>;
  /**
   * Closes the pooler's connections to one database (`KILL` then `RESUME`): its idle server
   * connections would otherwise keep the database busy, e.g. for DROP DATABASE.
   */
  disconnect(database: string): Promise<void>;
  stop(): Promise<void>;
}

function assertInstalled(): void {
  if (!existsSync(PGBOUNCER)) throw new Error(`PgBouncer not found (${PGBOUNCER}). Install it: apt-get install -y pgbouncer`);
}

/** One userlist.txt line: `"user" "password"`, with double quotes doubled. */
function userlistLine(user: string, password: string): string {
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  return `${quote(user)} ${quote(password)}`;
}

/**
 * Starts PgBouncer (Debian's, 1.18 on Debian 12) in front of `server`, listening on a free port of
 * 127.0.0.1, with its configuration, log and pid file in a temporary folder. Every database of the
 * server is reachable through it under its own name. Logins are checked with SCRAM against an
 * auth_file holding the server's superuser and the test databases' owner role (OWNER_ROLE), whose
 * plain-text passwords PgBouncer also uses to log in to the server.
 *
 * stop() shuts it down and removes the folder; should this process end without stop(), PgBouncer is
 * killed and the folder removed all the same.
 */
export async function startPgBouncer(options: StartPgBouncerOptions): Promise<PgBouncer> {
  assertInstalled();
  const { server, poolMode } = options;
  const owner = serverUser("postgres", "apt-get install -y postgresql pgbouncer");
  const admin = new URL(server.adminUrl);
  const superuser = decodeURIComponent(admin.username);
  const superuserPassword = decodeURIComponent(admin.password);
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), "ba-pgbouncer-"));
  const reaper = new ProcessReaper(root);
  const log = join(root, "pgbouncer.log");
  const ini = join(root, "pgbouncer.ini");
  const userlist = join(root, "userlist.txt");
  writeFileSync(userlist, [userlistLine(superuser, superuserPassword), userlistLine(OWNER_ROLE, OWNER_PASSWORD), ""].join("\n"));
  writeFileSync(
    ini,
    [
      "[databases]",
      // Any database name is forwarded to the server under the same name.
      `* = host=127.0.0.1 port=${server.port}`,
      "",
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      // Its Unix socket in the folder: not /tmp, where PgBouncers of concurrent runs would meet.
      `unix_socket_dir = ${root}`,
      "auth_type = scram-sha-256",
      `auth_file = ${userlist}`,
      `admin_users = ${superuser}`,
      `pool_mode = ${poolMode}`,
      `default_pool_size = ${options.poolSize ?? 5}`,
      "max_client_conn = 200",
      // JDBC and some drivers send these; PgBouncer refuses unknown startup parameters otherwise.
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${log}`,
      `pidfile = ${join(root, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  if (owner) {
    for (const path of [root, ini, userlist]) chownSync(path, owner.uid, owner.gid);
  }
  chmodSync(root, 0o700);
  chmodSync(userlist, 0o600);

  const adminConsole = (command: string) => adminQuery(port, superuser, superuserPassword, command);
  // Run in the foreground (no -d): then it is this process's child, in a process group the reaper kills.
  const child = reaper.spawn(PGBOUNCER, [ini], { user: owner });
  const output = tailOutput(child);
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (hasExited(child)) throw new Error(`pgbouncer exited with ${child.exitCode ?? child.signalCode}`);
      try {
        await adminConsole("SHOW VERSION");
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`no connection within ${START_TIMEOUT_MS / 1000} s: ${String(error)}`);
        await sleep(50);
      }
    }
  } catch (error) {
    const details = readLog(log) + output();
    await reaper.dismiss();
    throw new Error(`PgBouncer did not start: ${(error as Error).message}\n${details}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    poolMode,
    url(database, user = OWNER_ROLE, password = OWNER_PASSWORD) {
      const url = new URL(`postgres://127.0.0.1:${port}/`);
      url.username = user;
      url.password = password;
      url.pathname = `/${database}`;
      return url.toString();
    },
    urlFor(directUrl) {
      return withUrl(directUrl, (u) => {
        u.hostname = "127.0.0.1";
        u.port = String(port);
      });
    },
    admin: adminConsole,
    async disconnect(database) {
      // Console commands take names as identifiers; test database names need no quoting.
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`disconnect: unsupported database name "${database}"`);
      await adminConsole(`KILL ${database}`).catch((error: Error) => {
        // A database no client has used yet is unknown to PgBouncer: nothing to close.
        if (!/no such database/i.test(error.message)) throw error;
      });
      await adminConsole(`RESUME ${database}`).catch((error: Error) => {
        if (!/no such database|not paused/i.test(error.message)) throw error;
      });
    },
    stop() {
      // SIGTERM: immediate shutdown in 1.18 (from 1.23 on it waits for clients; then the timeout kills it).
      stopping ??= stopChild(child, "SIGTERM", STOP_TIMEOUT_MS).finally(() => reaper.dismiss());
      return stopping;
    },
  };
}

/** The admin console speaks only the simple query protocol: a query without parameters. */
async function adminQuery(port: number, user: string, password: string, command: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ host: "127.0.0.1", port, user, password, database: "pgbouncer", connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const result = await client.query(command);
    return result.rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
