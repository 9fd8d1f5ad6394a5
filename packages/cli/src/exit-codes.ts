import type { DatabaseAccessProblem } from "@better-auth/migrate-core";

/** The exit statuses of better-auth-migrate; `--help` lists them. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A migration failed, or the ledger disagrees with the code (changed or unknown migrations), or the lock timed out. */
  FAILED: 1,
  /** Bad usage: unknown command or option, bad or unknown URL, adapter package not installed, an --extensions module that cannot be used, invalid extensions. */
  USAGE: 2,
  /** `status --check`: migrations are pending, partly applied, changed or unknown. */
  PENDING: 3,
  /** The database cannot be used: unreachable, connection lost, login refused, missing database, read-only, missing privilege, disk full, a pooler where a direct connection is needed. */
  DATABASE: 4,
  /** A destructive command was not confirmed (declined, Ctrl+D, Ctrl+C, or no terminal and no --yes), or down would drop data and --allow-data-loss was not given. */
  NOT_CONFIRMED: 5,
  /** `check`: the database differs from the model (an error finding); or up/baseline refused to adopt tables that differ. */
  DRIFT: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The errors the CLI raises itself. */
export type CliErrorCode = "BAD_OPTION" | "BAD_ARGUMENT" | "UNKNOWN_COMMAND" | "BAD_URL" | "UNKNOWN_SCHEME" | "ADAPTER_MISSING" | "BAD_EXTENSIONS_MODULE" | "NOT_CONFIRMED" | "DATA_LOSS";

/** The codes of the library's and the adapters' `MigrateError`s, other than database access. */
export type LibraryErrorCode =
  | "MIGRATION_FAILED"
  | "UNSAFE_NOT_NULL_COLUMN"
  | "CHECKSUM_MISMATCH"
  | "UNKNOWN_MIGRATION"
  | "LOCK_TIMEOUT"
  | "TABLE_BUSY"
  | "PLAN_CHANGED"
  | "NOTHING_TO_BASELINE"
  | "FOREIGN_LEDGER"
  | "NOT_A_DATABASE"
  | "INVALID_OPTIONS"
  | "INVALID_EXTENSION"
  | "INVALID_DEFAULT"
  | "INVALID_IDENTIFIER"
  | "UNSUPPORTED_BY_DIALECT"
  | "ADOPTION_REFUSED"
  | "DATA_LOSS";

/** Database access problems: the library's `DatabaseAccessError` codes, and SQLite's full disk. */
export type AccessErrorCode = DatabaseAccessProblem | "DISK_FULL";

/**
 * Every error code the CLI reports (`error.code` with `--json`). `ERROR` stands for anything
 * unexpected: a driver error no adapter recognises, a bug.
 */
export type ErrorCode = CliErrorCode | LibraryErrorCode | AccessErrorCode | "ERROR";

/**
 * The exit status of each error code. Exhaustive: a code added to the union (or to the library's
 * DatabaseAccessProblem) does not compile until it has its status here, and --help lists it.
 */
export const ERROR_EXIT = {
  ERROR: EXIT.FAILED,
  MIGRATION_FAILED: EXIT.FAILED,
  UNSAFE_NOT_NULL_COLUMN: EXIT.FAILED,
  CHECKSUM_MISMATCH: EXIT.FAILED,
  UNKNOWN_MIGRATION: EXIT.FAILED,
  LOCK_TIMEOUT: EXIT.FAILED,
  TABLE_BUSY: EXIT.FAILED,
  PLAN_CHANGED: EXIT.FAILED,
  NOTHING_TO_BASELINE: EXIT.FAILED,
  FOREIGN_LEDGER: EXIT.FAILED,
  NOT_A_DATABASE: EXIT.FAILED,
  UNSUPPORTED_BY_DIALECT: EXIT.FAILED,

  BAD_OPTION: EXIT.USAGE,
  BAD_ARGUMENT: EXIT.USAGE,
  UNKNOWN_COMMAND: EXIT.USAGE,
  BAD_URL: EXIT.USAGE,
  UNKNOWN_SCHEME: EXIT.USAGE,
  ADAPTER_MISSING: EXIT.USAGE,
  BAD_EXTENSIONS_MODULE: EXIT.USAGE,
  INVALID_OPTIONS: EXIT.USAGE,
  INVALID_EXTENSION: EXIT.USAGE,
  INVALID_DEFAULT: EXIT.USAGE,
  INVALID_IDENTIFIER: EXIT.USAGE,

  UNREACHABLE: EXIT.DATABASE,
  CONNECTION_LOST: EXIT.DATABASE,
  AUTHENTICATION_FAILED: EXIT.DATABASE,
  DATABASE_NOT_FOUND: EXIT.DATABASE,
  READ_ONLY: EXIT.DATABASE,
  PERMISSION_DENIED: EXIT.DATABASE,
  NEEDS_DIRECT_CONNECTION: EXIT.DATABASE,
  DISK_FULL: EXIT.DATABASE,

  NOT_CONFIRMED: EXIT.NOT_CONFIRMED,
  DATA_LOSS: EXIT.NOT_CONFIRMED,

  ADOPTION_REFUSED: EXIT.DRIFT,
} as const satisfies Record<ErrorCode, ExitCode>;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_EXIT, code);
}

/** What each exit status means; the error codes that lead to it are added from ERROR_EXIT. */
const MEANING: Record<ExitCode, string> = {
  0: "success",
  1: "a migration failed, the ledger disagrees with the code, a lock wait timed out, or another failure",
  2: "bad usage: unknown command or option, bad or unknown URL, adapter not installed, bad extensions or module",
  3: "status --check, check: something is pending, partly applied, changed or unknown",
  4: "the database cannot be used: unreachable, connection lost, login refused, no database, read-only, full, pooled where a direct connection is needed",
  5: "a destructive command was not confirmed (answer no, Ctrl+D, Ctrl+C, or no terminal and no --yes)",
  6: "check: the database differs from the model; up, baseline: hand-made tables differ, nothing changed",
};

/** The error codes that lead to an exit status, in the order of ERROR_EXIT. */
export function errorCodesFor(status: ExitCode): ErrorCode[] {
  return (Object.keys(ERROR_EXIT) as ErrorCode[]).filter((code) => ERROR_EXIT[code] === status);
}

function wrap(words: string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

export const EXIT_CODES_HELP = [
  "Exit status:",
  ...(Object.keys(MEANING).map(Number) as ExitCode[]).flatMap((status) => [
    `  ${status}  ${MEANING[status]}`,
    ...wrap(errorCodesFor(status), "       ", 104),
  ]),
  "  Under each status: the error codes that lead to it (error.code with --json).",
].join("\n");
