/** The exit statuses of better-auth-migrate; `--help` lists them. */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** A migration failed, or the ledger disagrees with the code (changed or unknown migrations), or the lock timed out. */
  FAILED: 1,
  /** Bad usage: unknown command or option, bad or unknown URL, adapter package not installed. */
  USAGE: 2,
  /** `status --check`: migrations are pending, partly applied, changed or unknown. */
  PENDING: 3,
  /** The database cannot be used: unreachable, login refused, missing database, read-only, missing privilege. */
  DATABASE: 4,
  /** A destructive command was not confirmed (declined, or no terminal and no --yes). */
  NOT_CONFIRMED: 5,
  /** `check`: the database differs from the model (an error finding); or up/baseline refused to adopt tables that differ. */
  DRIFT: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit status:
  0  success
  1  a migration failed, the ledger disagrees with the code, or the lock timed out
  2  bad usage: unknown command or option, bad or unknown URL, adapter not installed
  3  status --check, check: something is pending, partly applied, changed or unknown
  4  the database cannot be used: unreachable, login refused, no such database, read-only
  5  a destructive command was not confirmed (answer no, or no terminal and no --yes)
  6  check: the database differs from the model; up, baseline: hand-made tables differ, nothing changed`;
