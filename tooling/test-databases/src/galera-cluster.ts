import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql, { type Connection, type RowDataPacket } from "mysql2/promise";
import { MYSQL_OWNER_PASSWORD, MYSQL_OWNER_USER } from "./mysql-test-database.js";
import {
  type OsUser,
  ProcessReaper,
  exitOf,
  hasExited,
  killGroup,
  readLog,
  serverUser,
  sleep,
  stopChild,
  tailOutput,
} from "./process-reaper.js";
import { freeStablePort } from "./stable-port.js";

/** One mariadbd of a test Galera cluster. */
export interface GaleraNode {
  /** 0 for the node that bootstrapped the cluster. */
  readonly index: number;
  readonly port: number;
  /** `mysql://root:PASSWORD@127.0.0.1:PORT/`. */
  readonly adminUrl: string;
  /** `mysql://better_auth_owner:...@127.0.0.1:PORT/DATABASE`: the owner of the databases createDatabase() makes. */
  url(database: string): string;
  /** Whether the node's process is running (it may still be joining). */
  readonly running: boolean;
  /** Shuts the node down cleanly (SIGTERM): it leaves the cluster, which goes on without it. */
  stop(): Promise<void>;
  /**
   * SIGKILL, as in a crash. Until Galera's timeouts evict the node (about 5 s), commits on the others
   * wait for it.
   */
  kill(): Promise<void>;
  /**
   * Starts a stopped or killed node again as a production unit does: crash recovery on its own data
   * first (`mariadbd --wsrep-recover`), then it rejoins and receives what it missed (IST). Resolves
   * once it is Synced.
   */
  restart(): Promise<void>;
}

export interface GaleraClusterDatabase {
  readonly name: string;
  /** The owner's URL on each node, in node order. */
  readonly urls: string[];
  /** Drops the database through a running node. */
  drop(): Promise<void>;
}

/** A throw-away MariaDB Galera cluster on 127.0.0.1, owned by the test run that started it. */
export interface GaleraCluster {
  /** Full version string of node 0, from `SELECT VERSION()`. */
  readonly version: string;
  readonly nodes: readonly GaleraNode[];
  /**
   * Creates an empty database (utf8mb4, binary collation) and gives the owner user every privilege on
   * it, through a running node; resolves once every running node has applied both.
   */
  createDatabase(): Promise<GaleraClusterDatabase>;
  /** Stops every node and removes the cluster's folder. */
  stop(): Promise<void>;
}

export interface StartGaleraClusterOptions {
  /** Number of nodes; default 3 (the smallest cluster that keeps a quorum when one node goes). */
  nodes?: number;
}

const MARIADBD = "/usr/sbin/mariadbd";
const INSTALL_DB = "/usr/bin/mariadb-install-db";
const GALERA_PROVIDER = "/usr/lib/galera/libgalera_smm.so";
const SST_SCRIPT = "/usr/bin/wsrep_sst_rsync";
const ROOT_PASSWORD = "test-root-secret";
/** As startMariadb's default: deliberately not UTC, so that code which relies on it storing UTC fails. */
const TIME_ZONE = "-07:00";
/** Joining includes a state transfer (a copy of the donor's data folder by rsync). */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

function assertInstalled(): void {
  const needed: [string, string][] = [
    [MARIADBD, "mariadb-server"],
    [INSTALL_DB, "mariadb-server"],
    [GALERA_PROVIDER, "galera-4"],
    [SST_SCRIPT, "mariadb-server"],
  ];
  for (const [file, pkg] of needed) {
    if (!existsSync(file)) throw new Error(`Galera cluster: ${file} not found. Install it: apt-get install -y ${pkg} galera-4 rsync`);
  }
  const onPath = (name: string) => (process.env.PATH ?? "/usr/bin:/bin").split(":").some((dir) => existsSync(join(dir, name)));
  if (!onPath("rsync")) throw new Error("Galera cluster: rsync not found (state transfers use it). Install it: apt-get install -y rsync");
  if (!onPath("ss") && !onPath("lsof")) {
    throw new Error("Galera cluster: neither ss nor lsof found (the rsync state transfer needs one). Install one: apt-get install -y iproute2");
  }
}

/** `count` distinct free ports that stay free while a node is down (see freeStablePort). */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freeStablePort(ports));
  return [...ports];
}

interface NodeLayout {
  index: number;
  dir: string;
  datadir: string;
  socket: string;
  errorLog: string;
  config: string;
  port: number;
}

/**
 * Each node's settings in its own option file: the rsync state transfer script reads the joiner's
 * and the donor's options back with my_print_defaults, so they cannot be command-line only.
 */
function nodeConfig(
  layout: NodeLayout,
  ports: { gcomm: number; ist: number; sst: number },
  clusterName: string,
  clusterAddress: string,
  owner: OsUser | undefined,
): string {
  const lines = [
    "[mysqld]",
    ...(owner ? [`user=${owner.name}`] : []),
    `datadir=${layout.datadir}`,
    // Its own folder for temporary tables: servers must not share /tmp files.
    `tmpdir=${layout.dir}`,
    `socket=${layout.socket}`,
    `port=${layout.port}`,
    "bind-address=127.0.0.1",
    `pid-file=${join(layout.dir, "mariadbd.pid")}`,
    `log-error=${layout.errorLog}`,
    "skip-name-resolve",
    // Test servers: durability against power loss is not what is being tested, speed and memory are
    // welcome. 2, not 0: the log is written at each commit, so a killed node loses nothing it committed.
    "innodb-buffer-pool-size=64M",
    "innodb-flush-log-at-trx-commit=2",
    "skip-log-bin",
    "max-connections=300",
    `default-time-zone=${TIME_ZONE}`,
    // What Galera requires.
    "binlog_format=ROW",
    "default_storage_engine=InnoDB",
    "innodb_autoinc_lock_mode=2",
    "wsrep_on=ON",
    `wsrep_provider=${GALERA_PROVIDER}`,
    `wsrep_cluster_name=${clusterName}`,
    `wsrep_cluster_address=${clusterAddress}`,
    `wsrep_node_name=node${layout.index}`,
    "wsrep_node_address=127.0.0.1",
    // Every node on 127.0.0.1: the group, IST and SST ports must differ per node.
    `wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:${ports.gcomm};ist.recv_addr=127.0.0.1:${ports.ist};gcache.size=64M"`,
    "wsrep_sst_method=rsync",
    `wsrep_sst_receive_address=127.0.0.1:${ports.sst}`,
    "",
  ];
  return lines.join("\n");
}

async function socketConnection(socket: string): Promise<Connection> {
  return mysql.createConnection({ socketPath: socket, user: "root", connectTimeout: 2_000 });
}

async function wsrepStatus(socket: string): Promise<Record<string, string>> {
  const connection = await socketConnection(socket);
  try {
    const [rows] = await connection.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'wsrep_%'");
    return Object.fromEntries(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
  } finally {
    await connection.end();
  }
}

/**
 * Polls the node's socket until root can log in, the node is Synced and sees a cluster of
 * `clusterSize`; fails early if the process has died.
 */
async function waitUntilSynced(layout: NodeLayout, child: ChildProcess, clusterSize: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last: unknown = "no connection yet";
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`mariadbd (node ${layout.index}) exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const status = await wsrepStatus(layout.socket);
      last = `state ${status.wsrep_local_state_comment}, cluster size ${status.wsrep_cluster_size}, ready ${status.wsrep_ready}`;
      if (status.wsrep_local_state_comment === "Synced" && status.wsrep_ready === "ON" && Number(status.wsrep_cluster_size) >= clusterSize) {
        return;
      }
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`node ${layout.index} not Synced in a cluster of ${clusterSize} within ${START_TIMEOUT_MS / 1000} s: ${String(last)}`);
}

/**
 * What Debian's systemd unit does before every start (galera_recovery): `mariadbd --wsrep-recover`
 * runs the storage engines' crash recovery on the node's own data and prints the last transaction it
 * holds; the node then starts from that position and receives only what it missed (IST). Without it a
 * killed node asks for a full copy (SST), and the rsync SST keeps the joiner's own ddl_recovery.log,
 * whose replay then drops a table the copy holds.
 */
async function recoverPosition(reaper: ProcessReaper, layout: NodeLayout): Promise<string> {
  const log = join(layout.dir, "recovery.log");
  rmSync(log, { force: true });
  try {
    await reaper.run(MARIADBD, [`--defaults-file=${layout.config}`, "--wsrep-recover", `--log-error=${log}`]);
  } catch (error) {
    throw new Error(`mariadbd --wsrep-recover failed: ${(error as Error).message}\n${readLog(log)}`);
  }
  const position = /WSREP: Recovered position: (\S+)/.exec(readLog(log))?.[1];
  if (!position) throw new Error(`mariadbd --wsrep-recover printed no position:\n${readLog(log)}`);
  return position;
}

/**
 * As startMariadb does: root@localhost keeps its password-less login over the socket (in a folder only
 * the server's OS user and root can enter); root over TCP gets a password; the other password-less
 * and anonymous accounts go (an anonymous one would shadow 'u'@'%' for logins from 127.0.0.1).
 * Account statements replicate to the nodes that join later.
 */
async function secureAccounts(socket: string): Promise<string> {
  const connection = await socketConnection(socket);
  try {
    const [accounts] = await connection.query<RowDataPacket[]>(
      "SELECT User, Host FROM mysql.user WHERE User = '' OR (User = 'root' AND Host <> 'localhost')",
    );
    for (const { User, Host } of accounts) await connection.query("DROP USER ?@?", [User, Host]);
    await connection.query("CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY ?", [ROOT_PASSWORD]);
    await connection.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
    for (const host of ["%", "localhost"]) {
      await connection.query("CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?", [MYSQL_OWNER_USER, host, MYSQL_OWNER_PASSWORD]);
    }
    const [[row]] = await connection.query<RowDataPacket[]>("SELECT VERSION() AS version");
    return String(row?.version);
  } finally {
    await connection.end();
  }
}

/**
 * Starts a MariaDB Galera cluster (Debian's galera-4 provider) of `nodes` mariadbd processes on
 * 127.0.0.1, each with its own ports, socket and data folder in one temporary folder. Node 0 is
 * installed and bootstraps the cluster (--wsrep-new-cluster); the others start with an empty data
 * folder and receive a full copy from a donor (SST by rsync), one after the other. Resolves once every
 * node is Synced in a cluster of `nodes`.
 *
 * Reads on one node do not wait for writes committed on another unless the session sets
 * `wsrep_sync_wait` (e.g. `SET SESSION wsrep_sync_wait = 1`): replication is virtually synchronous.
 *
 * stop() shuts every node down and removes the folder; should this process end without stop(), the
 * nodes are killed and the folder removed all the same.
 */
export async function startGaleraCluster(options: StartGaleraClusterOptions = {}): Promise<GaleraCluster> {
  assertInstalled();
  const count = options.nodes ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new Error(`startGaleraCluster: bad node count ${count}`);
  const owner = serverUser("mysql", "apt-get install -y mariadb-server");
  const root = mkdtempSync(join(tmpdir(), "ba-galera-"));
  const reaper = new ProcessReaper(root);
  if (owner) chownSync(root, owner.uid, owner.gid);
  chmodSync(root, 0o700);

  const ports = await freePorts(count * 4);
  const gcommPorts = ports.slice(count, 2 * count);
  const clusterAddress = `gcomm://${gcommPorts.map((p) => `127.0.0.1:${p}`).join(",")}`;
  const clusterName = `ba_test_${randomBytes(4).toString("hex")}`;
  const layouts: NodeLayout[] = [];
  for (let index = 0; index < count; index++) {
    const dir = join(root, `node${index}`);
    const layout: NodeLayout = {
      index,
      dir,
      datadir: join(dir, "data"),
      socket: join(dir, "mariadbd.sock"),
      errorLog: join(dir, "error.log"),
      config: join(dir, "my.cnf"),
      port: ports[index]!,
    };
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(
      layout.config,
      nodeConfig(layout, { gcomm: gcommPorts[index]!, ist: ports[2 * count + index]!, sst: ports[3 * count + index]! }, clusterName, clusterAddress, owner),
    );
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(layout.config, owner.uid, owner.gid);
    }
    layouts.push(layout);
  }

  const processes: (ChildProcess | undefined)[] = layouts.map(() => undefined);
  const outputs: (() => string)[] = layouts.map(() => () => "");

  function spawnNode(layout: NodeLayout, extra: string[]): ChildProcess {
    // --defaults-file must come first; Debian's /etc/mysql configuration is not read.
    const args = [`--defaults-file=${layout.config}`, ...extra];
    const child = reaper.spawn(MARIADBD, args);
    processes[layout.index] = child;
    outputs[layout.index] = tailOutput(child);
    return child;
  }

  function failure(layout: NodeLayout, error: unknown): Error {
    return new Error(`Galera node ${layout.index} did not start: ${(error as Error).message}\n${readLog(layout.errorLog)}${outputs[layout.index]!()}`);
  }

  let version: string;
  try {
    const first = layouts[0]!;
    await reaper.run(INSTALL_DB, [
      "--no-defaults",
      `--datadir=${first.datadir}`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
      "--skip-name-resolve",
      ...(owner ? [`--user=${owner.name}`] : []),
    ]);
    try {
      await waitUntilSynced(first, spawnNode(first, ["--wsrep-new-cluster"]), 1);
      version = await secureAccounts(first.socket);
    } catch (error) {
      throw failure(first, error);
    }
    // Joiners one at a time: a donor is busy while it sends its copy.
    for (const layout of layouts.slice(1)) {
      mkdirSync(layout.datadir, { mode: 0o700 });
      if (owner) chownSync(layout.datadir, owner.uid, owner.gid);
      try {
        await waitUntilSynced(layout, spawnNode(layout, []), layout.index + 1);
      } catch (error) {
        throw failure(layout, error);
      }
    }
  } catch (error) {
    await Promise.all(processes.map((child) => child && stopChild(child, "SIGTERM", STOP_TIMEOUT_MS)));
    await reaper.dismiss();
    throw new Error(`Galera cluster did not start: ${(error as Error).message}`);
  }

  const nodes: GaleraNode[] = layouts.map((layout) => ({
    index: layout.index,
    port: layout.port,
    adminUrl: `mysql://root:${ROOT_PASSWORD}@127.0.0.1:${layout.port}/`,
    url(database) {
      const url = new URL(`mysql://127.0.0.1:${layout.port}/`);
      url.username = MYSQL_OWNER_USER;
      url.password = MYSQL_OWNER_PASSWORD;
      url.pathname = `/${database}`;
      return url.toString();
    },
    get running() {
      const child = processes[layout.index];
      return child !== undefined && !hasExited(child);
    },
    async stop() {
      const child = processes[layout.index];
      if (child) await stopChild(child, "SIGTERM", STOP_TIMEOUT_MS);
    },
    async kill() {
      const child = processes[layout.index];
      if (!child || child.pid === undefined || hasExited(child)) return;
      const gone = exitOf(child);
      killGroup(child.pid, "SIGKILL");
      await gone;
    },
    async restart() {
      const previous = processes[layout.index];
      if (previous && !hasExited(previous)) throw new Error(`Galera node ${layout.index} is running; stop() or kill() it first`);
      const others = nodes.filter((n) => n.index !== layout.index && n.running).length;
      if (others === 0) throw new Error(`Galera node ${layout.index} has no running node to rejoin`);
      try {
        const position = await recoverPosition(reaper, layout);
        await waitUntilSynced(layout, spawnNode(layout, [`--wsrep-start-position=${position}`]), others + 1);
      } catch (error) {
        throw failure(layout, error);
      }
    },
  }));

  /** Root over the socket of the first running node, for set-up statements. */
  async function anyNode<T>(use: (connection: Connection) => Promise<T>): Promise<T> {
    const layout = layouts.find((l) => nodes[l.index]!.running);
    if (!layout) throw new Error("Galera cluster: no node is running");
    const connection = await socketConnection(layout.socket);
    try {
      return await use(connection);
    } finally {
      await connection.end();
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    version,
    nodes,
    async createDatabase() {
      const name = `t_${randomBytes(6).toString("hex")}`;
      const database = mysql.escapeId(name);
      await anyNode(async (connection) => {
        await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
        for (const host of ["%", "localhost"]) {
          await connection.query(`GRANT ALL PRIVILEGES ON ${database}.* TO ?@?`, [MYSQL_OWNER_USER, host]);
        }
      });
      // wsrep_sync_wait: the read waits until the node has applied everything the cluster committed
      // before it, so the owner can log in to the database on every node at once.
      for (const layout of layouts) {
        if (!nodes[layout.index]!.running) continue;
        const connection = await socketConnection(layout.socket);
        try {
          await connection.query("SET SESSION wsrep_sync_wait = 1");
          await connection.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [name]);
        } finally {
          await connection.end();
        }
      }
      return {
        name,
        urls: nodes.map((node) => node.url(name)),
        async drop() {
          await anyNode((connection) => connection.query(`DROP DATABASE IF EXISTS ${database}`));
        },
      };
    },
    stop() {
      stopping ??= (async () => {
        try {
          // The last node to leave is the one that would bootstrap again: stop the joiners first.
          for (const node of [...nodes].reverse()) await node.stop();
        } finally {
          await reaper.dismiss();
        }
      })();
      return stopping;
    },
  };
}
