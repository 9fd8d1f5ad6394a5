import { MigrateError } from "@better-auth/migrate-core";

/** The one way identifiers reach MySQL SQL: always in backticks, embedded backticks doubled. */
export function quoteIdentifier(name: string): string {
  if (name.includes("\0")) throw new MigrateError("INVALID_IDENTIFIER", "MySQL identifiers cannot contain NUL characters.");
  return `\`${name.replaceAll("`", "``")}\``;
}

/**
 * A string literal: single quotes doubled. A backslash is an escape character unless the session's
 * sql_mode has NO_BACKSLASH_ESCAPES, so the same text would mean two different values; literals
 * with one are refused rather than rendered in a way that depends on the session.
 */
export function quoteLiteral(value: string): string {
  if (value.includes("\\") || value.includes("\0")) {
    throw new MigrateError("UNSUPPORTED_BY_DIALECT", `MySQL reads backslashes in string literals according to sql_mode; the value ${JSON.stringify(value)} cannot be rendered safely.`, {
      hint: "Leave backslashes and NUL characters out of defaults, allowed values and comments.",
    });
  }
  return `'${value.replaceAll("'", "''")}'`;
}
