/** The one way identifiers reach PostgreSQL SQL: always double-quoted, embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  if (typeof name !== "string") throw new TypeError(`A PostgreSQL identifier must be a string, not ${typeof name}.`);
  if (name.includes("\0")) throw new TypeError("PostgreSQL identifiers cannot contain NUL characters.");
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A string literal that means the same whatever the session's standard_conforming_strings says:
 * quotes doubled, and a value with a backslash written in the escape syntax (`E'a\\b'`) with its
 * backslashes doubled too. A plain `'…'` literal would read a backslash as an escape where that
 * setting is off (a server's configuration, a role's, or `options` in the URL), and `\'` would then
 * end the literal early.
 */
export function quoteLiteral(value: string): string {
  if (typeof value !== "string") throw new TypeError(`A PostgreSQL string literal must be a string, not ${typeof value}.`);
  if (value.includes("\0")) throw new TypeError("PostgreSQL text cannot contain NUL characters.");
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return value.includes("\\") ? `E${quoted.replaceAll("\\", "\\\\")}` : quoted;
}
