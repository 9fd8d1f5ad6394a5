import { MigrateError } from "@better-auth/migrate-core";

/** The one way identifiers reach MySQL SQL: always in backticks, embedded backticks doubled. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== "string") throw new TypeError(`A MySQL identifier must be a string, not ${typeof name}.`);
  if (name.includes("\0")) throw new MigrateError("INVALID_IDENTIFIER", "MySQL identifiers cannot contain NUL characters.");
  return `\`${name.replaceAll("`", "``")}\``;
}

/**
 * A string literal: single quotes doubled. A backslash is an escape character unless the session's
 * sql_mode has NO_BACKSLASH_ESCAPES, so the same text would mean two different values; literals
 * with one are refused rather than rendered in a way that depends on the session.
 *
 * Characters beyond U+FFFF (most emoji) are refused too: the literals rendered are comments,
 * defaults and allowed values, which MySQL and MariaDB keep in their catalog in utf8mb3. A comment
 * would be stored as `?`, and information_schema reports defaults and checks with `?` in their
 * place, so `check` could never confirm them.
 */
export function quoteLiteral(value: string): string {
  if (typeof value !== "string") throw new TypeError(`A MySQL string literal must be a string, not ${typeof value}.`);
  if (value.includes("\\") || value.includes("\0")) {
    throw new MigrateError("UNSUPPORTED_BY_DIALECT", `MySQL reads backslashes in string literals according to sql_mode; the value ${JSON.stringify(value)} cannot be rendered safely.`, {
      hint: "Leave backslashes and NUL characters out of defaults, allowed values and comments.",
    });
  }
  if (/[\u{10000}-\u{10ffff}]/u.test(value)) {
    throw new MigrateError("UNSUPPORTED_BY_DIALECT", `MySQL keeps comments, defaults and allowed values in utf8mb3, which has no room for the characters of ${JSON.stringify(value)} beyond U+FFFF.`, {
      hint: "Leave emoji and other characters beyond U+FFFF out of defaults, allowed values and comments.",
    });
  }
  return `'${value.replaceAll("'", "''")}'`;
}

