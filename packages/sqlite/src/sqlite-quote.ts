/**
 * The one way identifiers reach SQLite SQL: always double-quoted, embedded quotes doubled. NUL is
 * refused: SQLite reads statement text as a C string, so it would end the statement there.
 */
export function quoteIdentifier(name: string): string {
  if (typeof name !== "string") throw new TypeError(`An SQLite identifier must be a string, not ${typeof name}.`);
  if (name.includes("\0")) throw new TypeError("SQLite identifiers cannot contain NUL characters.");
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal: single quotes doubled (SQLite has no backslash escapes). NUL is refused, as in identifiers. */
export function quoteLiteral(value: string): string {
  if (typeof value !== "string") throw new TypeError(`An SQLite string literal must be a string, not ${typeof value}.`);
  if (value.includes("\0")) throw new TypeError("SQLite string literals cannot contain NUL characters.");
  return `'${value.replaceAll("'", "''")}'`;
}
