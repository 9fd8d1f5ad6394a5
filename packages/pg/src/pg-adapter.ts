import { DatabaseAccessError, type Dialect, InvalidOptionsError, MigrateError, type LockRequest, TableBusyError, type LockHolder, type LockWait, pollForLock, emptyModel, ledgerTable, schema as model, type TransactionalSession, type LedgerAccess } from "@better-auth/migrate-core";
import { type Kysely, sql } from "kysely";
import { type PostgresTarget, translatePostgresError } from "./pg-errors.js";
import { quoteIdentifier } from "./pg-quote.js";
import { PostgresIntrospector } from "./pg-introspector.js";
import { DEFAULT_DDL_LOCK_TIMEOUT_MS, FUNCTION_BODY_TAG, type PostgresRenderOptions, PostgresRenderer, transactionSettings } from "./pg-renderer.js";

/**
 * The advisory lock key: a constant namespace ("BAMG") and a hash of the schema, so that runs on
 * different schemas of one database do not wait for each other.
 */
const LOCK_NAMESPACE = 0x42414d47;

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The two-integer key of the advisory lock that serialises migration runs on `schema`. */
export function advisoryLockKey(schema: string): [number, number] {
  return [LOCK_NAMESPACE, fnv1a32(schema)];
}

const LOCK_POLL_MS = 50;

/** What ledgerColumns reads of the relation named like the ledger. */
interface LedgerRelationRow {
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table… */
  kind: string;
  owner: string;
  /** The owner can act as the current user already (is it, is a member of it, or is a superuser). */
  owner_is_us: boolean;
  us: string;
  row_security: boolean;
  columns: string[];
  /** "trigger name", "rule name", "policy name". */
  hooks: string[];
}

const RELATION_KINDS: Record<string, string> = { p: "a partitioned table", v: "a view", m: "a materialized view", f: "a foreign table", S: "a sequence", i: "an index", I: "an index", c: "a type" };

/** Refuses a relation named like the ledger that this tool did not make, or that would run someone else's code. */
function refuseForeignLedger(schema: string, relation: LedgerRelationRow, access: LedgerAccess): void {
  const name = `${schema}.${ledgerTable.name}`;
  if (relation.kind !== "r") {
    throw new MigrateError("FOREIGN_LEDGER", `${name} is ${RELATION_KINDS[relation.kind] ?? `a relation of kind "${relation.kind}"`}, not a better-auth-migrate ledger table.`, {
      hint: `Rename or drop it if it belongs to another tool; better-auth-migrate needs the name ${ledgerTable.name} for its own table.`,
    });
  }
  const wrong = [
    // Reading runs none of the owner's code once triggers, rules and row-level security are ruled
    // out, so a read-only role (a deploy gate running status --check) may read an application's ledger.
    ...(relation.owner_is_us || access === "read" ? [] : [`it belongs to role ${relation.owner}, which cannot act as ${relation.us}`]),
    ...(relation.hooks.length > 0 ? [`it has ${relation.hooks.join(", ")}`] : []),
    ...(relation.row_security ? ["row level security is enabled on it"] : []),
  ];
  if (wrong.length === 0) return;
  throw new MigrateError("FOREIGN_LEDGER", `The ledger ${name} was not made by better-auth-migrate as ${relation.us}: ${wrong.join("; ")}.`, {
    hint: `Its owner's code would run with ${relation.us}'s privileges; nothing was read from or written to it. Inspect it, then drop what was added (or the table, if nothing was applied), or run as its owner.`,
  });
}

/** Thrown inside a transaction that found the migration lock taken, to end it and try again. */
const LOCK_TAKEN = Symbol("migration lock taken");

export function validateSchemaName(schema: string): void {
  if (schema.length === 0 || Buffer.byteLength(schema) > 63) {
    throw new InvalidOptionsError(`schema must be 1 to 63 bytes long, not "${schema}".`);
  }
  if (schema.includes("\0") || schema.includes(FUNCTION_BODY_TAG)) {
    throw new InvalidOptionsError(`schema "${schema}" contains characters PostgreSQL cannot take here.`);
  }
}

/**
 * PostgreSQL's migration session: transactional DDL, and an advisory lock per schema taken by each
 * migration's transaction (`pg_try_advisory_xact_lock`), so that it is released with the transaction
 * whatever happens, and holds through a pooler in transaction mode (PgBouncer), where consecutive
 * transactions of one client may run on different server connections.
 */
export class PostgresSession implements TransactionalSession {
  readonly applyMode = "transactional";
  readonly lockScope = "transaction";
  readonly concurrentIndexes = true;
  // The statements carry no parameters, so pg sends them with the simple query protocol, which
  // accepts several at once: one round trip per migration.
  readonly supportsMultipleStatements = true;
  readonly commitsWhenLockReleased = false;
  readonly schema: string;
  readonly #renderer: PostgresRenderer;
  readonly #lockKey: [number, number];
  readonly #target: PostgresTarget;

  readonly #ddlLockTimeoutMs: number;
  /** The connection's own search_path while acquireLock has pinned it. */
  #sessionSearchPath: string | undefined;

  constructor(renderer: PostgresRenderer, schema: string, target: PostgresTarget = {}, options: { ddlLockTimeoutMs?: number } = {}) {
    this.#ddlLockTimeoutMs = options.ddlLockTimeoutMs ?? DEFAULT_DDL_LOCK_TIMEOUT_MS;
    this.#renderer = renderer;
    this.#target = target;
    this.schema = schema;
    this.#lockKey = advisoryLockKey(schema);
  }

  /**
   * The ledger's columns, after making sure it is a table this tool could have made: a plain table,
   * owned by a role that can already act as the current user (itself, a superuser, or a role that
   * is a member of it), and with no trigger, rule, policy or row-level security, which would run
   * code of its owner's with the current user's privileges when the runner reads or writes it.
   * Anything else is refused (FOREIGN_LEDGER), naming what is wrong, by every call.
   *
   * One query, one MVCC snapshot for the table and all it depends on (to_regclass would look the
   * table up in a newer catalog snapshot than the one pg_attribute is read in, and see a ledger
   * another run has just committed without its columns). It runs outside the transactions that pin
   * the search_path, so every name in it is qualified: operators and types included.
   */
  async ledgerColumns(db: Kysely<unknown>, access: LedgerAccess = "write"): Promise<readonly string[] | undefined> {
    const { rows } = await sql<LedgerRelationRow>`
      SELECT c.relkind::pg_catalog.text AS kind, pg_catalog.pg_get_userbyid(c.relowner)::pg_catalog.text AS owner,
             pg_catalog.pg_has_role(c.relowner, CURRENT_USER, 'MEMBER') AS owner_is_us, CURRENT_USER::pg_catalog.text AS us,
             c.relrowsecurity AS row_security,
             ARRAY(SELECT a.attname::pg_catalog.text FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped ORDER BY a.attnum) AS columns,
             ARRAY(SELECT 'trigger ' OPERATOR(pg_catalog.||) t.tgname::pg_catalog.text FROM pg_catalog.pg_trigger t
                   WHERE t.tgrelid OPERATOR(pg_catalog.=) c.oid AND NOT t.tgisinternal
                   UNION ALL SELECT 'rule ' OPERATOR(pg_catalog.||) r.rulename::pg_catalog.text FROM pg_catalog.pg_rewrite r
                   WHERE r.ev_class OPERATOR(pg_catalog.=) c.oid
                   UNION ALL SELECT 'policy ' OPERATOR(pg_catalog.||) p.polname::pg_catalog.text FROM pg_catalog.pg_policy p
                   WHERE p.polrelid OPERATOR(pg_catalog.=) c.oid
                   ORDER BY 1) AS hooks
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
      WHERE n.nspname OPERATOR(pg_catalog.=) ${this.schema}::pg_catalog.name
        AND c.relname OPERATOR(pg_catalog.=) ${ledgerTable.name}::pg_catalog.name`.execute(db);
    const relation = rows[0];
    if (!relation) return undefined;
    refuseForeignLedger(this.schema, relation, access);
    return relation.columns;
  }

  async createLedger(db: Kysely<unknown>): Promise<void> {
    const { rows } = await sql<{ found: boolean }>`SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) ${this.schema}::pg_catalog.name) AS found`.execute(db);
    // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database even when the schema
    // exists; asking first lets a role that may only use an existing schema run migrations.
    // Called in the transaction that holds the migration lock (see `atomically`).
    const statements = [
      ...(rows[0]?.found ? [] : [`CREATE SCHEMA ${quoteIdentifier(this.schema)}`]),
      ...this.#renderer.render({ kind: "createTable", table: ledgerTable }, emptyModel),
    ];
    await sql.raw(statements.join(";\n")).execute(db);
  }

  /**
   * The session-level lock, held across transactions: only for concurrent index builds, which
   * cannot run in a transaction. Through a pooler it would stay on whichever server connection took
   * it, so a connection that does not reach the server directly is refused first.
   */
  async acquireLock(db: Kysely<unknown>, timeoutMs: number, onWait?: (wait: LockWait) => void): Promise<void> {
    await this.#refusePooler(db);
    // The work done under this lock runs outside a transaction, on this connection: its search_path
    // is pinned for the session (a direct connection, see above) and put back by releaseLock, so
    // that neither the ledger's queries nor the statements meet the database's own search_path.
    const { rows } = await sql<{ previous: string }>`
      SELECT pg_catalog.current_setting('search_path') AS previous, pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', false)`.execute(db);
    this.#sessionSearchPath = rows[0]?.previous;
    // pg_try_advisory_lock polled rather than pg_advisory_lock under a lock_timeout: the
    // uncontended case is one round trip, lock_timeout stays untouched, and between attempts the
    // wait can say whom it waits for.
    try {
      await pollForLock(
        async () => {
          const { rows } = await sql<{ locked: boolean }>`SELECT pg_catalog.pg_try_advisory_lock(${this.#lockKey[0]}, ${this.#lockKey[1]}) AS locked`.execute(db);
          return rows[0]?.locked === true;
        },
        { timeoutMs, pollMs: LOCK_POLL_MS, describeHolder: () => this.#lockHolder(db), ...(onWait ? { onWait } : {}) },
      );
    } catch (error) {
      await this.#restoreSearchPath(db).catch(() => undefined);
      throw error;
    }
  }

  /** The search_path acquireLock found, put back on the connection (which may be a caller's pool's). */
  async #restoreSearchPath(db: Kysely<unknown>): Promise<void> {
    const previous = this.#sessionSearchPath;
    if (previous === undefined) return;
    this.#sessionSearchPath = undefined;
    await sql`SELECT pg_catalog.set_config('search_path', ${previous}, false)`.execute(db);
  }

  /**
   * A hot standby takes reads only: refused with one line before anything is tried, rather than
   * with the error of the first statement.
   */
  async refuseReadOnly(db: Kysely<unknown>): Promise<void> {
    const { rows } = await sql<{ standby: boolean }>`SELECT pg_catalog.pg_is_in_recovery() AS standby`.execute(db);
    if (rows[0]?.standby) {
      throw new DatabaseAccessError("READ_ONLY", "The server is a read-only standby (in recovery): migrations and cleanup run on the primary.", {
        hint: "Point the URL at the primary server; status and check work on a standby.",
      });
    }
  }

  /**
   * Whether this connection reaches the server directly: the port the server listens on must be
   * the one the URL names. Through a pooler (PgBouncer listens on its own port) it is not.
   * Unknown (a caller's pool, a Unix socket): taken as direct.
   */
  async #refusePooler(db: Kysely<unknown>): Promise<void> {
    const { port, host } = this.#target;
    if (port === undefined || host?.startsWith("/")) return;
    const { rows } = await sql<{ port: number | null }>`SELECT pg_catalog.inet_server_port() AS port`.execute(db);
    const serverPort = rows[0]?.port;
    if (serverPort !== null && serverPort !== undefined && Number(serverPort) !== port) {
      throw new DatabaseAccessError(
        "NEEDS_DIRECT_CONNECTION",
        `Building indexes concurrently needs a session of its own on the server, and this connection goes through a pooler (port ${port}; the server listens on ${serverPort}).`,
        { hint: "Run this migration with the server's direct URL (not the pooler's); every other migration works through the pooler." },
      );
    }
  }

  /** The session holding the advisory lock: pid, application, client, and how long it has been connected. */
  async #lockHolder(db: Kysely<unknown>): Promise<LockHolder | undefined> {
    // A two-integer advisory lock is stored as classid = key 1, objid = key 2 (as unsigned oids), objsubid = 2.
    // Read in a transaction of its own whose search_path is pinned first (db is never one: it is the run's connection).
    const { rows } = await db.transaction().execute(async (trx) => {
      await sql.raw(transactionSettings(this.#ddlLockTimeoutMs).join(";\n")).execute(trx);
      return sql<{ pid: number; application: string | null; client: string | null; connected_s: number | null }>`
        SELECT a.pid, nullif(a.application_name, '') AS application,
               CASE WHEN a.client_addr IS NULL THEN 'local socket' ELSE host(a.client_addr) || ':' || a.client_port END AS client,
               floor(extract(epoch FROM now() - a.backend_start))::int AS connected_s
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ${this.#lockKey[0] >>> 0}::bigint::oid AND l.objid = ${this.#lockKey[1] >>> 0}::bigint::oid AND l.objsubid = 2`.execute(trx);
    });
    const row = rows[0];
    if (!row) return undefined;
    const parts = [row.application ? `"${row.application}"` : undefined, row.client ? `from ${row.client}` : undefined].filter(Boolean);
    return {
      description: `session pid ${row.pid}${parts.length ? ` (${parts.join(", ")})` : ""}${row.connected_s === null ? "" : `, connected ${row.connected_s} s ago`}`,
      session: String(row.pid),
      ...(row.application ? { application: row.application } : {}),
      ...(row.client ? { client: row.client } : {}),
      ...(row.connected_s === null ? {} : { heldMs: row.connected_s * 1000 }),
    };
  }

  async releaseLock(db: Kysely<unknown>): Promise<void> {
    await sql`SELECT pg_catalog.pg_advisory_unlock(${this.#lockKey[0]}, ${this.#lockKey[1]})`.execute(db);
    await this.#restoreSearchPath(db);
  }

  /**
   * One transaction, its settings pinned, holding the migration lock where `lock` asks for it. A
   * transaction that finds the lock taken ends at once and the next attempt is a new one, so a
   * waiting run holds no server connection of a pooler while it waits.
   */
  async atomically<T>(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<T>, lock?: LockRequest): Promise<T> {
    const attempt = () =>
      db.transaction().execute(async (trx) => {
        // The search_path pinned, and DDL that gives up after ddlLockTimeoutMs rather than queue
        // every later query on a table behind a long transaction (the SQL files set the same).
        await sql.raw(transactionSettings(this.#ddlLockTimeoutMs).join(";\n")).execute(trx);
        if (lock) {
          const { rows } = await sql<{ locked: boolean }>`SELECT pg_catalog.pg_try_advisory_xact_lock(${this.#lockKey[0]}, ${this.#lockKey[1]}) AS locked`.execute(trx);
          if (rows[0]?.locked !== true) throw LOCK_TAKEN;
        }
        return { value: await work(trx) };
      });
    if (!lock) return (await attempt()).value;
    let outcome: { value: T } | undefined;
    await pollForLock(
      async () => {
        try {
          outcome = await attempt();
          return true;
        } catch (error) {
          if (error === LOCK_TAKEN) return false;
          throw error;
        }
      },
      { timeoutMs: lock.timeoutMs, pollMs: LOCK_POLL_MS, describeHolder: () => this.#lockHolder(db), ...(lock.onWait ? { onWait: lock.onWait } : {}) },
    );
    return outcome!.value;
  }

  translateError(error: unknown): MigrateError | undefined {
    // 55P03 lock_not_available: the lock_timeout set for the migration's transaction ran out.
    if ((error as { code?: string })?.code === "55P03") return new TableBusyError((error as Error).message, this.#ddlLockTimeoutMs);
    return translatePostgresError(error, this.#target);
  }

  readTimestamp(value: unknown): Date {
    return value instanceof Date ? value : new Date(String(value));
  }
}

/** The PostgreSQL dialect: renderer, session, introspector, and `cleanup_expired_sessions()` as the cleanup. */
export function postgresDialect(
  options: PostgresRenderOptions & { ddlLockTimeoutMs?: number },
  target: PostgresTarget = {},
): Dialect & { renderer: PostgresRenderer } {
  validateSchemaName(options.schema);
  const renderer = new PostgresRenderer(options);
  return {
    renderer,
    session: new PostgresSession(renderer, options.schema, target, options.ddlLockTimeoutMs === undefined ? {} : { ddlLockTimeoutMs: options.ddlLockTimeoutMs }),
    introspector: new PostgresIntrospector(options.schema),
    async cleanupExpiredSessions(db) {
      const fn = sql.raw(`${renderer.qualified(model.cleanupExpiredSessions.name)}()`);
      const { rows } = await sql<{ deleted: number }>`SELECT ${fn} AS deleted`.execute(db);
      return Number(rows[0]?.deleted ?? 0);
    },
  };
}
