import { type DatabaseAccessError, type Dialect, InvalidOptionsError, pollForLock, ledgerTable, schema as model, type TransactionalSession } from "@better-auth/migrate-core";
import { type Kysely, sql } from "kysely";
import { type PostgresTarget, translatePostgresError } from "./pg-errors.js";
import { quoteIdentifier } from "./pg-quote.js";
import { PostgresIntrospector } from "./pg-introspector.js";
import { FUNCTION_BODY_TAG, type PostgresRenderOptions, PostgresRenderer } from "./pg-renderer.js";

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

export function validateSchemaName(schema: string): void {
  if (schema.length === 0 || Buffer.byteLength(schema) > 63) {
    throw new InvalidOptionsError(`schema must be 1 to 63 bytes long, not "${schema}".`);
  }
  if (schema.includes("\0") || schema.includes(FUNCTION_BODY_TAG)) {
    throw new InvalidOptionsError(`schema "${schema}" contains characters PostgreSQL cannot take here.`);
  }
}

/** PostgreSQL's migration session: transactional DDL and an advisory lock per schema. */
export class PostgresSession implements TransactionalSession {
  readonly applyMode = "transactional";
  // The statements carry no parameters, so pg sends them with the simple query protocol, which
  // accepts several at once: one round trip per migration.
  readonly supportsMultipleStatements = true;
  readonly commitsWhenLockReleased = false;
  readonly schema: string;
  readonly #renderer: PostgresRenderer;
  readonly #lockKey: [number, number];
  readonly #target: PostgresTarget;

  constructor(renderer: PostgresRenderer, schema: string, target: PostgresTarget = {}) {
    this.#renderer = renderer;
    this.#target = target;
    this.schema = schema;
    this.#lockKey = advisoryLockKey(schema);
  }

  async ledgerColumns(db: Kysely<unknown>): Promise<readonly string[] | undefined> {
    const { rows } = await sql<{ name: string | null }>`
      SELECT a.attname AS name FROM (SELECT to_regclass(${this.#renderer.qualified(ledgerTable.name)}) AS oid) t
      LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE t.oid IS NOT NULL`.execute(db);
    return rows.length === 0 ? undefined : rows.flatMap((r) => (r.name === null ? [] : [r.name]));
  }

  async createLedger(db: Kysely<unknown>): Promise<void> {
    const { rows } = await sql<{ found: boolean }>`SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = ${this.schema}) AS found`.execute(db);
    // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege on the database even when the schema
    // exists; asking first lets a role that may only use an existing schema run migrations.
    const statements = [
      ...(rows[0]?.found ? [] : [`CREATE SCHEMA ${quoteIdentifier(this.schema)}`]),
      ...this.#renderer.render({ kind: "createTable", table: ledgerTable }),
    ];
    await sql.raw(statements.join(";\n")).execute(db);
  }

  async acquireLock(db: Kysely<unknown>, timeoutMs: number): Promise<void> {
    // pg_try_advisory_lock polled rather than pg_advisory_lock under a lock_timeout: the
    // uncontended case is one round trip and the session's settings stay untouched.
    await pollForLock(async () => {
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${this.#lockKey[0]}, ${this.#lockKey[1]}) AS locked`.execute(db);
      return rows[0]?.locked === true;
    }, timeoutMs, LOCK_POLL_MS);
  }

  async releaseLock(db: Kysely<unknown>): Promise<void> {
    await sql`SELECT pg_advisory_unlock(${this.#lockKey[0]}, ${this.#lockKey[1]})`.execute(db);
  }

  atomically<T>(db: Kysely<unknown>, work: (db: Kysely<unknown>) => Promise<T>): Promise<T> {
    return db.transaction().execute(work);
  }

  translateError(error: unknown): DatabaseAccessError | undefined {
    return translatePostgresError(error, this.#target);
  }

  readTimestamp(value: unknown): Date {
    return value instanceof Date ? value : new Date(String(value));
  }
}

/** The PostgreSQL dialect: renderer, session, introspector, and `cleanup_expired_sessions()` as the cleanup. */
export function postgresDialect(options: PostgresRenderOptions, target: PostgresTarget = {}): Dialect & { renderer: PostgresRenderer } {
  validateSchemaName(options.schema);
  const renderer = new PostgresRenderer(options);
  return {
    renderer,
    session: new PostgresSession(renderer, options.schema, target),
    introspector: new PostgresIntrospector(options.schema),
    async cleanupExpiredSessions(db) {
      const fn = sql.raw(`${renderer.qualified(model.cleanupExpiredSessions.name)}()`);
      const { rows } = await sql<{ deleted: number }>`SELECT ${fn} AS deleted`.execute(db);
      return Number(rows[0]?.deleted ?? 0);
    },
  };
}
