import { EXIT, type ExitCode } from "./exit-codes.js";

/** An error the CLI reports as one line and a hint, with its own exit status. */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string } = {}) {
    super(message);
    this.name = "CliError";
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT.USAGE;
    this.hint = options.hint;
  }
}

const DATABASE_ACCESS = new Set(["UNREACHABLE", "AUTHENTICATION_FAILED", "DATABASE_NOT_FOUND", "READ_ONLY", "PERMISSION_DENIED"]);
const USAGE = new Set(["INVALID_OPTIONS", "INVALID_EXTENSION"]);

/** The exit status for any error: ours, the library's (by its code), or an unexpected one. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && DATABASE_ACCESS.has(code)) return EXIT.DATABASE;
  if (typeof code === "string" && USAGE.has(code)) return EXIT.USAGE;
  if (code === "ADOPTION_REFUSED") return EXIT.DRIFT;
  return EXIT.FAILED;
}
