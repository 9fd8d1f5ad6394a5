import { visible } from "./safe-text.js";

/** Where the CLI writes. */
export interface Streams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

/**
 * Hides credentials wherever they appear in a message: the password of any URL
 * (`scheme://user:password@host`, also when the URL does not parse and when the password holds an
 * unencoded `/`, `?`, `#` or `@`: everything up to the token's last `@`) and `password=` parameters,
 * in a URL's query or a key=value connection string (quoted or not).
 * Patterns, not the password's text: a password that is also an ordinary word must not blank out
 * that word elsewhere.
 */
export function maskCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/?#:@]*):\S*@/gi, "$1:***@")
    .replace(/(^|[?&;\s])((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^&#\s"';]*)/gi, "$1$2***");
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly streams: Streams,
  ) {}

  /**
   * A line for people: on stdout, or on stderr when stdout carries data (sql) or JSON. Control
   * characters (from names and ids the database holds) are shown as escapes, so that no text can
   * forge a line or drive the terminal.
   */
  say(line: string, where: "stdout" | "stderr" = "stdout"): void {
    if (this.json && where === "stdout") return;
    this.streams[where].write(forPeople(line) + "\n");
  }

  /** Data on stdout as it is (the SQL text, rendered by us from the model). */
  data(text: string): void {
    this.streams.stdout.write(text);
  }

  /** The one JSON document of a --json run; credentials masked in every string in it. */
  result(value: unknown): void {
    if (this.json) this.streams.stdout.write(stringify(value) + "\n");
  }

  /** An error: one line and a hint; with --json, `driverCode` keeps the code of an error no adapter recognised. */
  error(error: {
    code: string; message: string; hint?: string | undefined; driverCode?: string;
    /** The migration it happened in, and what the same command applied before it (committed). */
    migrationId?: string | undefined;
    applied?: readonly { id: string; durationMs: number }[];
  }): void {
    const applied = error.applied ?? [];
    if (this.json) {
      const { code, message, hint, driverCode, migrationId } = error;
      const context = { ...(migrationId === undefined ? {} : { migrationId }), ...(applied.length > 0 ? { applied } : {}) };
      this.streams.stdout.write(stringify({ error: { code, message, hint: hint ?? null, ...(driverCode === undefined ? {} : { driverCode }), ...context } }) + "\n");
      return;
    }
    const before = applied.length > 0 ? `applied before the failure (kept): ${applied.map((m) => `${m.id} (${m.durationMs} ms)`).join(", ")}` : undefined;
    const lines = [`error: ${forPeople(error.message)}`, ...(before ? [forPeople(before)] : []), ...(error.hint ? [`hint: ${forPeople(error.hint)}`] : [])];
    this.streams.stderr.write(`${lines.join("\n")}\n`);
  }
}

/** One line of text as people see it: control characters escaped, then credentials masked. */
export function forPeople(text: string): string {
  return maskCredentials(visible(text));
}

function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? maskCredentials(v) : v), 2);
}
