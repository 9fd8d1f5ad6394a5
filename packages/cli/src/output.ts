/** Where the CLI writes. */
export interface Streams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
}

/**
 * Hides credentials wherever they appear in a message: the password of any URL
 * (`scheme://user:password@host`, also when the URL does not parse) and `password=` parameters.
 * Patterns, not the password's text: a password that is also an ordinary word must not blank out
 * that word elsewhere.
 */
export function maskCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s/?#:@]*):[^\s/?#]*@/gi, "$1:***@")
    .replace(/([?&](?:ssl)?password=)[^&#\s"']*/gi, "$1***");
}

export class Output {
  constructor(
    readonly json: boolean,
    private readonly streams: Streams,
  ) {}

  /** A line for people: on stdout, or on stderr when stdout carries data (sql) or JSON. */
  say(line: string, where: "stdout" | "stderr" = "stdout"): void {
    if (this.json && where === "stdout") return;
    this.streams[where].write(maskCredentials(line) + "\n");
  }

  /** Data on stdout as it is (the SQL text, rendered by us from the model). */
  data(text: string): void {
    this.streams.stdout.write(text);
  }

  /** The one JSON document of a --json run; credentials masked in every string in it. */
  result(value: unknown): void {
    if (this.json) this.streams.stdout.write(stringify(value) + "\n");
  }

  error(error: { code: string; message: string; hint?: string | undefined }): void {
    if (this.json) {
      this.streams.stdout.write(stringify({ error: { code: error.code, message: error.message, hint: error.hint ?? null } }) + "\n");
      return;
    }
    this.streams.stderr.write(maskCredentials(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`));
  }
}

function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? maskCredentials(v) : v), 2);
}
