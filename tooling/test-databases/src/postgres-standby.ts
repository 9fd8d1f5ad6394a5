import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type PostgresServer, freePort, postgresBinDir } from "./postgres-server.js";
import { type OsUser, ProcessReaper, hasExited, serverUser, sleep, stopChild, tailOutput } from "./process-reaper.js";
import { withUrl } from "./urls.js";

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const REPLAY_TIMEOUT_MS = 30_000;

/** A hot standby of a test PostgreSQL server: read-only, fed by streaming replication. */
export interface PostgresStandby {
  readonly version: number;
  readonly port: number;
  /** The primary's superuser, on the standby. */
  readonly adminUrl: string;
  /** The same login and database as `primaryUrl` (e.g. a TestDatabase's url), on the standby. */
  urlFor(primaryUrl: string): string;
  /** Stops the standby, removes its folder and drops its replication slot on the primary. */
  stop(): Promise<void>;
}

/** Settings a hot standby must have at least as high as its primary, or it refuses to start. */
const STANDBY_MINIMUMS = [
  "max_connections",
  "max_worker_processes",
  "max_wal_senders",
  "max_prepared_transactions",
  "max_locks_per_transaction",
];

/**
 * The `postgres` OS user must be able to run the binaries. Those from the npm registry may sit under
 * a folder only root can enter; startPostgres has then copied them to the system's temporary folder.
 */
function binariesFor(major: number, owner: OsUser | undefined): string {
  const bin = postgresBinDir(major);
  if (!owner) return bin;
  const probe = spawnSync(join(bin, "postgres"), ["--version"], { uid: owner.uid, gid: owner.gid });
  if (probe.status === 0) return bin;
  const copy = join(tmpdir(), `better-auth-test-postgres-${major}`, "bin");
  if (existsSync(join(copy, "postgres"))) return copy;
  throw new Error(`PostgreSQL ${major} binaries in ${bin} cannot be run by the OS user '${owner.name}'; start the primary with startPostgres(${major}) first`);
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** What pg_basebackup leaves out: runtime files, and the contents (not the folders) of runtime folders. */
const SKIPPED_FILES = new Set([
  "postmaster.pid",
  "postmaster.opts",
  "backup_label",
  "tablespace_map",
  "pg_internal.init",
  "postgresql.auto.conf.tmp",
  "current_logfiles.tmp",
]);
const EMPTIED_FOLDERS = new Set([
  "pg_wal",
  "pg_stat_tmp",
  "pg_replslot",
  "pg_dynshmem",
  "pg_notify",
  "pg_serial",
  "pg_snapshots",
  "pg_subtrans",
]);

/**
 * Copies the data folder of a running server, between pg_backup_start and pg_backup_stop: files
 * change and vanish while they are copied, which WAL replay on the standby repairs. Files owned by
 * `owner`, folders mode 0700.
 */
function copyDataFolder(from: string, to: string, owner: OsUser | undefined, top = true): void {
  mkdirSync(to, { mode: 0o700 });
  if (owner) chownSync(to, owner.uid, owner.gid);
  let names: string[];
  try {
    names = readdirSync(from);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for (const name of names) {
    if (SKIPPED_FILES.has(name)) continue;
    const source = join(from, name);
    const target = join(to, name);
    try {
      const stat = lstatSync(source);
      if (stat.isDirectory()) {
        if (top && EMPTIED_FOLDERS.has(name)) {
          mkdirSync(target, { mode: 0o700 });
          if (owner) chownSync(target, owner.uid, owner.gid);
          if (name === "pg_wal") {
            mkdirSync(join(target, "archive_status"), { mode: 0o700 });
            if (owner) chownSync(join(target, "archive_status"), owner.uid, owner.gid);
          }
        } else {
          copyDataFolder(source, target, owner, false);
        }
      } else if (stat.isFile()) {
        copyFileSync(source, target);
        chmodSync(target, 0o600);
        if (owner) chownSync(target, owner.uid, owner.gid);
      }
      // Symbolic links would be tablespaces; the test servers have none.
    } catch (error) {
      // Dropped during the copy (a table, a temporary file): replay recreates what still exists.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}

function quoteSetting(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/**
 * Starts a hot standby of `primary` (from startPostgres), on its own free port of 127.0.0.1 with its
 * data in a temporary folder, streaming from the primary through a physical replication slot.
 *
 * The base backup is taken with the low-level API (pg_backup_start, a copy of the data folder,
 * pg_backup_stop) rather than pg_basebackup: the PostgreSQL 17 binaries from the npm registry have
 * no pg_basebackup, and both are on the same machine. The primary's defaults suffice: wal_level
 * replica, max_wal_senders 10, and initdb's pg_hba.conf lines for `replication` from 127.0.0.1.
 *
 * stop() shuts the standby down; should this process end without stop(), it is killed and its folder
 * removed all the same (the slot then stays on the primary, which is thrown away too).
 */
export async function startStandby(primary: PostgresServer): Promise<PostgresStandby> {
  const owner = serverUser("postgres", "apt-get install -y postgresql");
  const bin = binariesFor(primary.version, owner);
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), `ba-pg${primary.version}-standby-`));
  const reaper = new ProcessReaper(root);
  const data = join(root, "data");
  const socketDir = join(root, "socket");
  mkdirSync(socketDir);
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
  }
  chmodSync(root, 0o700);
  const slot = `ba_standby_${randomBytes(4).toString("hex")}`;
  const admin = new URL(primary.adminUrl);

  let child: ReturnType<ProcessReaper["spawn"]> | undefined;
  let output = () => "";
  const session = await connect(primary.adminUrl);
  try {
    const { rows: settings } = await session.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name = ANY($1)",
      [STANDBY_MINIMUMS],
    );
    const primaryData = (await session.query<{ data_directory: string }>("SHOW data_directory")).rows[0]!.data_directory;
    // Created before the backup starts and reserving WAL at once: nothing the standby needs is recycled.
    await session.query("SELECT pg_create_physical_replication_slot($1, true)", [slot]);
    await session.query("SELECT pg_backup_start($1, true)", [slot]);
    try {
      copyDataFolder(primaryData, data, owner);
    } finally {
      const { rows } = await session.query<{ labelfile: string; spcmapfile: string | null }>(
        "SELECT labelfile, spcmapfile FROM pg_backup_stop(false)",
      );
      if (existsSync(data)) {
        writeFileSync(join(data, "backup_label"), rows[0]!.labelfile);
        if (rows[0]!.spcmapfile) writeFileSync(join(data, "tablespace_map"), rows[0]!.spcmapfile);
      }
    }
    const conninfo = [
      "host=127.0.0.1",
      `port=${primary.port}`,
      `user=${decodeURIComponent(admin.username)}`,
      `password=${quoteSetting(decodeURIComponent(admin.password))}`,
      `application_name=${slot}`,
    ].join(" ");
    appendFileSync(
      join(data, "postgresql.auto.conf"),
      `\nprimary_conninfo = ${quoteSetting(conninfo)}\nprimary_slot_name = ${quoteSetting(slot)}\n`,
    );
    writeFileSync(join(data, "standby.signal"), "");
    if (owner) {
      for (const file of ["backup_label", "postgresql.auto.conf", "standby.signal"]) {
        if (existsSync(join(data, file))) chownSync(join(data, file), owner.uid, owner.gid);
      }
    }

    child = reaper.spawn(
      join(bin, "postgres"),
      [
        "-D", data,
        "-p", String(port),
        "-k", socketDir,
        "-c", "listen_addresses=127.0.0.1",
        "-c", "hot_standby=on",
        // A test server: durability is not what is being tested, speed is welcome.
        "-c", "fsync=off",
        "-c", "synchronous_commit=off",
        "-c", "full_page_writes=off",
        ...settings.flatMap(({ name, setting }) => ["-c", `${name}=${setting}`]),
      ],
      { user: owner },
    );
    output = tailOutput(child);
    await waitUntilReadable(withUrl(primary.adminUrl, (u) => (u.port = String(port))), child);
  } catch (error) {
    if (child) await stopChild(child, "SIGINT", STOP_TIMEOUT_MS);
    await reaper.dismiss();
    await session.query("SELECT pg_drop_replication_slot($1)", [slot]).catch(() => undefined);
    await session.end();
    throw new Error(`PostgreSQL ${primary.version} standby did not start: ${(error as Error).message}\n${output()}`);
  }
  await session.end();

  const running = child;
  let stopping: Promise<void> | undefined;
  return {
    version: primary.version,
    port,
    adminUrl: withUrl(primary.adminUrl, (u) => (u.port = String(port))),
    urlFor: (primaryUrl) =>
      withUrl(primaryUrl, (u) => {
        u.hostname = "127.0.0.1";
        u.port = String(port);
      }),
    stop() {
      stopping ??= (async () => {
        try {
          // SIGINT: fast shutdown.
          await stopChild(running, "SIGINT", STOP_TIMEOUT_MS);
        } finally {
          await reaper.dismiss();
          await dropSlot(primary.adminUrl, slot);
        }
      })();
      return stopping;
    },
  };
}

/** Polls until the standby has reached a consistent state and accepts read-only sessions. */
async function waitUntilReadable(url: string, child: ReturnType<ProcessReaper["spawn"]>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`postgres exited with ${child.exitCode ?? child.signalCode}`);
    try {
      const client = await connect(url);
      try {
        const { rows } = await client.query<{ recovering: boolean }>("SELECT pg_is_in_recovery() AS recovering");
        if (!rows[0]?.recovering) throw new Error("the copy is not in recovery: it would be a second primary");
        return;
      } finally {
        await client.end();
      }
    } catch (error) {
      if ((error as Error).message.startsWith("the copy")) throw error;
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(`no read-only session within ${START_TIMEOUT_MS / 1000} s: ${String(lastError)}`);
}

/** The walsender may still hold the slot for a moment after the standby went; the primary may be gone. */
async function dropSlot(primaryUrl: string, slot: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const client = await connect(primaryUrl);
      try {
        await client.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [slot]);
        return;
      } finally {
        await client.end();
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 55006: the slot is still active.
      if (code !== "55006") return;
      await sleep(100);
    }
  }
}

/**
 * Waits until the standby has replayed everything the primary has committed so far, so that a test can
 * read on the standby what it just wrote on the primary: it waits for pg_last_wal_replay_lsn() on the
 * standby to reach the primary's WAL insert position.
 *
 * The test servers commit asynchronously (synchronous_commit=off), and WAL reaches the standby only
 * once flushed; so the position is read inside a transaction that writes a WAL record (a transactional
 * logical message, harmless at wal_level=replica) and then commits synchronously: its flush carries
 * every earlier commit to the standby, and its own commit record lies beyond the position, so replay
 * passes it even when the position sits on a page boundary.
 */
export async function waitForReplay(
  primary: { readonly adminUrl: string },
  standby: { readonly adminUrl: string },
  timeoutMs = REPLAY_TIMEOUT_MS,
): Promise<void> {
  const source = await connect(primary.adminUrl);
  let target: string;
  try {
    await source.query("BEGIN");
    await source.query("SET LOCAL synchronous_commit = on");
    await source.query("SELECT pg_logical_emit_message(true, 'better-auth-test', 'wait for replay')");
    target = (await source.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]!.lsn;
    await source.query("COMMIT");
  } finally {
    await source.end();
  }
  const replica = await connect(standby.adminUrl);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await replica.query<{ replayed: string | null; done: boolean }>(
        "SELECT pg_last_wal_replay_lsn()::text AS replayed, coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done",
        [target],
      );
      if (rows[0]?.done) return;
      if (Date.now() > deadline) {
        throw new Error(`The standby has replayed WAL up to ${rows[0]?.replayed}, not ${target}, after ${timeoutMs / 1000} s`);
      }
      await sleep(20);
    }
  } finally {
    await replica.end();
  }
}
