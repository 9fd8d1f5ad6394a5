import type { MysqlPool, MysqlPoolConnection } from "kysely";
import type mysql from "mysql2";
import { SESSION_SETTINGS } from "./mysql-renderer.js";

/**
 * What the migrator sets on a connection it borrows, after keeping the caller's values in session
 * variables (assignments run left to right): autocommit on, so that its writes are committed when
 * each statement ends and not left in a transaction the caller's code would later commit or roll
 * back; and the adapter's sql_mode and time zone (a mode such as ANSI_QUOTES or ORACLE changes how
 * the catalog's text reads). A transaction the caller left open on the connection is committed by
 * `autocommit = 1`, as MySQL does whenever autocommit is turned on.
 */
export const BORROW_SQL =
  "SET @better_auth_autocommit = @@SESSION.autocommit, @better_auth_sql_mode = @@SESSION.sql_mode, @better_auth_time_zone = @@SESSION.time_zone, " +
  `SESSION autocommit = 1, ${SESSION_SETTINGS}`;

/** Gives a borrowed connection its own settings back. */
export const GIVE_BACK_SQL = "SET SESSION autocommit = @better_auth_autocommit, sql_mode = @better_auth_sql_mode, time_zone = @better_auth_time_zone";

/**
 * Per-query options that undo pool options changing what a row looks like: DATETIME values are
 * read as UTC (the ledger's and sessions' instants are stored in UTC) whatever the pool's
 * `timezone` (mysql2's default is the process's local zone); rows are objects keyed by column; a
 * `typeCast` function of the caller's is bypassed; `?` is the only placeholder.
 */
const QUERY_OPTIONS = {
  timezone: "Z",
  rowsAsArray: false,
  nestTables: false,
  namedPlaceholders: false,
  typeCast: (_field: unknown, next: () => unknown) => next(),
};

type Callback = (error: unknown, result: never) => void;

/**
 * A caller's mysql2 pool as the migrator uses it: each connection it takes gets the migrator's
 * session settings ({@link BORROW_SQL}) and each query the options above; the connection gets the
 * caller's settings back ({@link GIVE_BACK_SQL}) before it returns to the pool, or is closed when
 * that fails. The pool itself is never ended.
 */
export function borrowPool(pool: mysql.Pool): MysqlPool {
  return {
    getConnection(callback) {
      pool.getConnection((error, connection) => {
        if (error) return callback(error, undefined as never);
        connection.query(BORROW_SQL, (setError) => {
          if (setError) {
            connection.destroy();
            return callback(setError, undefined as never);
          }
          callback(null, borrowed(connection));
        });
      });
    },
    end(callback) {
      callback(null);
    },
  };
}

function borrowed(connection: mysql.PoolConnection): MysqlPoolConnection {
  const options = (sql: string, values: unknown) => ({ ...QUERY_OPTIONS, sql, values }) as mysql.QueryOptions;
  return {
    get config() {
      return connection.config;
    },
    get threadId() {
      return connection.threadId;
    },
    connect: (callback) => connection.connect(callback),
    destroy: () => connection.destroy(),
    query: (sql: string, values: unknown, callback?: Callback) =>
      callback ? connection.query(options(sql, values), callback) : connection.query(options(sql, values)),
    release() {
      connection.query(GIVE_BACK_SQL, (error) => (error ? connection.destroy() : connection.release()));
    },
  };
}
