import { type CliErrorCode, ERROR_EXIT, type ErrorCode, type ExitCode, isErrorCode } from "./exit-codes.js";

/** An error the CLI reports as one line and a hint; its exit status is its code's (ERROR_EXIT). */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(code: CliErrorCode, message: string, options: { hint?: string } = {}) {
    super(message);
    this.name = "CliError";
    this.code = code;
    this.exitCode = ERROR_EXIT[code];
    this.hint = options.hint;
  }
}

/** The documented code of any error: ours, the library's and the adapters', or ERROR for anything else. */
export function errorCodeOf(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return isErrorCode(code) ? code : "ERROR";
}

/** The exit status for any error, by its code. */
export function exitCodeOf(error: unknown): ExitCode {
  return ERROR_EXIT[errorCodeOf(error)];
}
