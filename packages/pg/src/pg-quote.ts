/** The one way identifiers reach PostgreSQL SQL: always double-quoted, embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal; standard_conforming_strings is on (the default since 9.1), so only quotes are doubled. */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new TypeError("PostgreSQL text cannot contain NUL characters.");
  return `'${value.replaceAll("'", "''")}'`;
}
